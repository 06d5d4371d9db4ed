/**
 * `kho report check REPORT FILE`: confirms that a published reuse-rate report (its JSON or CSV form, as
 * `kho kpi --format json|csv` writes them; told apart by content: a CSV opens with `#` metadata records)
 * came from exactly this log. The log is replayed — and its chain
 * verified — up to the position the report names; the head hash there must be the report's, and the
 * report recomputed from the ledger (same period, root, unit data and targets) must equal the published
 * one, field by field. Exit 0 when it matches; 1 with every difference (or the other head hash) when
 * it does not; 65 when REPORT is not a valid report.
 *
 * @since 0.1.0
 */
import * as KpiLedger from "@kho/core/KpiLedger"
import * as ReportingPeriod from "@kho/core/ReportingPeriod"
import * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as Csv from "@kho/report/Csv"
import * as Json from "@kho/report/Json"
import { Effect, Result, Schema } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { readFile } from "node:fs/promises"
import * as ExitCode from "./ExitCode.ts"
import * as KpiCommand from "./KpiCommand.ts"
import { messageOf } from "./internal/logFile.ts"
import type { Outcome } from "./internal/outcome.ts"
import { fail, finish } from "./internal/outcome.ts"
import * as ReferenceData from "./internal/referenceData.ts"
import * as ReplayLog from "./internal/replayLog.ts"

/**
 * One field where the published report and the recomputed one disagree. `path` names rows by unit
 * code and levels by level (`levels[commune].rows[binh-dinh.an-lao.an-hoa].counts.reused`).
 *
 * @since 0.1.0
 */
export interface Difference {
  readonly path: string
  readonly published: unknown
  readonly recomputed: unknown
}

const keyOf = (item: unknown, index: number): string => {
  if (typeof item === "object" && item !== null) {
    const o = item as Record<string, unknown>
    if (typeof o.code === "string") return o.code
    if (typeof o.level === "string") return o.level
  }
  return String(index)
}

/**
 * Every difference between two JSON values (the encoded reports), in document order.
 *
 * @since 0.1.0
 */
export const diff = (published: unknown, recomputed: unknown, path = ""): Array<Difference> => {
  if (Array.isArray(published) && Array.isArray(recomputed)) {
    const a = new Map(published.map((item, i) => [keyOf(item, i), item] as const))
    const b = new Map(recomputed.map((item, i) => [keyOf(item, i), item] as const))
    const keys = [...new Set([...a.keys(), ...b.keys()])]
    const out = keys.flatMap((k) => diff(a.get(k), b.get(k), `${path}[${k}]`))
    if (out.length === 0 && published.map(keyOf).join("\u0000") !== recomputed.map(keyOf).join("\u0000")) {
      out.push({ path: `${path} (order)`, published: published.map(keyOf), recomputed: recomputed.map(keyOf) })
    }
    return out
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)
  if (isObject(published) && isObject(recomputed)) {
    const keys = [...new Set([...Object.keys(published), ...Object.keys(recomputed)])]
    return keys.flatMap((k) => diff(published[k], recomputed[k], path === "" ? k : `${path}.${k}`))
  }
  return Object.is(published, recomputed) ? [] : [{ path, published, recomputed }]
}

const encode = Schema.encodeSync(ReuseRateReport.ReuseRateReport)

const show = (v: unknown): string => (v === undefined ? "(absent)" : JSON.stringify(v))

/**
 * The `report check` subcommand.
 *
 * @since 0.1.0
 */
export const check = Command.make(
  "check",
  {
    report: Argument.String("report").pipe(
      Argument.withDescription("The published report (JSON or CSV, as kho kpi --format json|csv writes them)")
    ),
    file: Argument.String("file").pipe(Argument.withDescription("The exported log (NDJSON) it claims to come from")),
    json: Flag.Boolean("json").pipe(Flag.withDescription("Print one JSON object on stdout instead of text"), Flag.withDefault(false)),
    progress: Flag.Boolean("progress").pipe(
      Flag.withDescription("Show a progress bar on stderr (default: only when stderr is a terminal)"),
      Flag.optional
    ),
    ...KpiCommand.referenceFlags
  },
  Effect.fn("ReportCommand.check")(function*({ file, json, progress, report: reportPath, targets, units }) {
    yield* finish(
      "report check",
      json,
      Effect.gen(function*() {
        const text = yield* Effect.tryPromise({ try: () => readFile(reportPath, "utf8"), catch: (e) => e }).pipe(
          Effect.catch((e) => fail(ExitCode.NO_INPUT, "NoInput", `cannot read the report ${reportPath}: ${messageOf(e)}`))
        )
        const format = Csv.looksLikeCsv(text) ? "csv" : "json"
        const parsed: Result.Result<ReuseRateReport.ReuseRateReport, Csv.InvalidReportCsv | Json.InvalidReportJson> =
          format === "csv" ? Csv.parse(text) : Json.parse(text)
        if (Result.isFailure(parsed)) {
          return yield* fail(ExitCode.DATA_ERR, "InvalidReport", `${reportPath} is ${parsed.failure.message}`)
        }
        const published = parsed.success
        const reference = yield* ReferenceData.load({ units, targets })
        const claimed = published.computedFrom
        const ledger = yield* ReplayLog.verifiedLedger(file, KpiLedger.atPosition(claimed.position), progress)
        const base = {
          report: reportPath,
          format,
          file,
          period: published.period,
          root: published.root.code,
          claimed: { position: claimed.position, headHash: claimed.headHash }
        }
        const mismatch = (kind: string, message: string, differences: ReadonlyArray<Difference> = []): Outcome => ({
          code: ExitCode.FAILED,
          text: [
            `MISMATCH ${reportPath} against ${file} (${kind}): ${message}`,
            ...differences.map((d) => `  ${d.path}: published ${show(d.published)}, recomputed ${show(d.recomputed)}`)
          ].join("\n"),
          json: { ...base, verdict: "mismatch", kind, message, differences }
        })
        if (ledger.position < claimed.position) {
          return mismatch(
            "LogTooShort",
            `the report was computed at position ${claimed.position}, but the log ends at position ${ledger.position}`
          )
        }
        if (ledger.headHash !== claimed.headHash) {
          return mismatch(
            "DifferentLog",
            `at position ${claimed.position} the log's hash is ${ledger.headHash}, the report names ${claimed.headHash}: ` +
              `the report was computed from a different log`
          )
        }
        const recomputed = yield* ReferenceData.reportOf(ledger, {
          period: published.period,
          root: published.root.code,
          ...reference
        }).pipe(
          Effect.catch((e) => Effect.succeed(e))
        )
        if (!("schemaVersion" in recomputed)) {
          return mismatch("NotRecomputable", `the report cannot be recomputed from this log: ${recomputed.message}`)
        }
        const differences = diff(encode(published), encode(recomputed))
        if (differences.length > 0) {
          return mismatch(
            "FiguresDiffer",
            `${differences.length} field${differences.length === 1 ? "" : "s"} of the report differ from the log's figures`,
            differences
          )
        }
        return {
          code: ExitCode.OK,
          text: `MATCH ${reportPath}: the reuse-rate report of ${published.root.name} for ` +
            `${ReportingPeriod.format(published.period)} recomputes exactly from ${file} at position ${claimed.position} ` +
            `(head hash ${claimed.headHash})`,
          json: { ...base, verdict: "match", differences: [] }
        }
      })
    )
  })
).pipe(
  Command.withDescription("Recompute a published report from a log and confirm they match"),
  Command.withExamples([
    { command: "kho report check bao-cao-2024-03.json an-lao-2024.ndjson", description: "Exit 0 if it matches, 1 with every difference" },
    { command: "kho report check bao-cao-2024-03.csv an-lao-2024.ndjson", description: "The same for the CSV form" }
  ])
)

/**
 * `kho report`: the group of the report subcommands.
 *
 * @since 0.1.0
 */
export const command = Command.make("report").pipe(
  Command.withDescription("Check published KPI reports against a log"),
  Command.withSubcommands([check])
)
