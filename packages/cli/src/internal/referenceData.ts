/**
 * The reference data a KPI figure depends on besides the log: the effective-dated unit tree and the
 * targets. Defaults are the data `@kho/core` ships (Bình Định / An Lão, the 60 % target of 2024);
 * `--units FILE` / `--targets FILE` read others as JSON, decoded (never cast).
 */
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import type * as KpiLedger from "@kho/core/KpiLedger"
import * as ReuseRate from "@kho/core/ReuseRate"
import type * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as Target from "@kho/core/Target"
import { Effect, Option, Result, Schema } from "effect"
import { readFile } from "node:fs/promises"
import * as ExitCode from "../ExitCode.ts"
import type { CommandFailure } from "./outcome.ts"
import { fail } from "./outcome.ts"
import { messageOf } from "./logFile.ts"

/** The units and targets in use. */
export interface ReferenceData {
  readonly units: AdministrativeUnit.UnitHistory
  readonly targets: ReadonlyArray<Target.Target>
}

const readJson = <A>(
  path: string,
  what: string,
  schema: Schema.Codec<A, string>
): Effect.Effect<A, CommandFailure> =>
  Effect.tryPromise({ try: () => readFile(path, "utf8"), catch: (e) => e }).pipe(
    Effect.catch((e) => fail(ExitCode.NO_INPUT, "NoInput", `cannot read the ${what} file ${path}: ${messageOf(e)}`)),
    Effect.flatMap((text) => {
      const decoded = Schema.decodeUnknownResult(schema)(text)
      return Result.isSuccess(decoded)
        ? Effect.succeed(decoded.success)
        : fail(ExitCode.DATA_ERR, "InvalidReferenceData", `the ${what} file ${path} is not valid: ${decoded.failure.message}`)
    })
  )

const UnitsJson = Schema.fromJsonString(AdministrativeUnit.UnitHistory)
const TargetsJson = Schema.fromJsonString(Schema.Array(Target.Target))

/** Loads `--units` and `--targets` (or the shipped defaults). */
export const load = (options: {
  readonly units: Option.Option<string>
  readonly targets: Option.Option<string>
}): Effect.Effect<ReferenceData, CommandFailure> =>
  Effect.all({
    units: Option.isSome(options.units)
      ? readJson(options.units.value, "units", UnitsJson)
      : Effect.succeed(AdministrativeUnit.binhDinhAnLao),
    targets: Option.isSome(options.targets)
      ? readJson(options.targets.value, "targets", TargetsJson)
      : Effect.succeed(Target.anLao2024)
  })

/**
 * The reuse-rate report of `query.root` over `query.period` from a ledger, with the unit data and
 * targets in use; a refusal of the report model becomes a command failure (a bad `--root` or a
 * period cut by a reorganisation is a usage error, 64; dossiers the tree cannot place, 65).
 */
export const reportOf = (
  ledger: KpiLedger.KpiLedger,
  query: ReuseRate.Query & ReferenceData
): Effect.Effect<ReuseRateReport.ReuseRateReport, CommandFailure> => {
  const made = ReuseRate.report(ledger, query)
  if (Result.isSuccess(made)) return Effect.succeed(made.success)
  const e = made.failure
  return fail(e.reason === "UnknownUnit" || e.reason === "InvalidCounts" ? ExitCode.DATA_ERR : ExitCode.USAGE, e.reason, e.message)
}
