/**
 * `kho kpi FILE --period 2024-03 [--format table|csv|json|pdf] [--as-of POS|TIME] [--root CODE]
 * [--out FILE]`: the Appendix I–shaped reuse-rate report of a unit tree over a period, computed from an
 * exported log (verified on the way) as of a position or an instant, rendered by `@kho/report`.
 *
 * The JSON form is the published form `kho report check` reads back. The report names the log position
 * and head hash it was computed from. Dossiers of agencies outside the unit data are not counted and
 * are listed on stderr (never silently dropped).
 *
 * @since 0.1.0
 */
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as ReportingPeriod from "@kho/core/ReportingPeriod"
import * as ReuseRate from "@kho/core/ReuseRate"
import type * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as Csv from "@kho/report/Csv"
import * as Json from "@kho/report/Json"
import * as Pdf from "@kho/report/Pdf"
import * as Terminal from "@kho/report/Terminal"
import { Console, Effect, Option, Result, Stdio } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as ExitCode from "./ExitCode.ts"
import * as Audit from "./internal/audit.ts"
import { fail, finish } from "./internal/outcome.ts"
import * as Output from "./internal/output.ts"
import * as ReferenceData from "./internal/referenceData.ts"
import * as ReplayLog from "./internal/replayLog.ts"

/**
 * The output formats.
 *
 * @since 0.1.0
 */
export const formats = ["table", "csv", "json", "pdf"] as const

/**
 * @since 0.1.0
 */
export type Format = typeof formats[number]

/**
 * Dossiers attributed to agency codes no unit of the data had on the day: a warning line, or `null`.
 *
 * @since 0.1.0
 */
export const unattributedWarning = (
  ledger: KpiLedger.KpiLedger,
  query: ReuseRate.Query
): string | null => {
  const { unattributed } = ReuseRate.figures(ledger, query)
  const listed = [...unattributed].filter(([, f]) => f.received > 0)
  if (listed.length === 0) return null
  return `warning: ${listed.map(([code, f]) => `${f.received} dossiers of agency ${code}`).join(", ")} ` +
    `belong to no unit of the unit data in ${ReportingPeriod.format(query.period)} and are not counted`
}

/**
 * Renders a report in a format.
 *
 * @since 0.1.0
 */
export const render = (report: ReuseRateReport.ReuseRateReport, format: Format): Effect.Effect<string | Uint8Array, Pdf.PdfRenderError> => {
  switch (format) {
    case "table":
      return Effect.succeed(Terminal.render(report))
    case "csv":
      return Effect.succeed(Csv.encode(report))
    case "json":
      return Effect.succeed(Json.render(report))
    case "pdf":
      return Pdf.render(report)
  }
}

/**
 * Reads `--period`: `2024-03`, `2024-Q1`, `2024`, `2024-03-20` or `2024-01-01..2024-03-20`.
 *
 * @since 0.1.0
 */
export const period = Flag.String("period").pipe(
  Flag.withDescription("The period: 2024-03 (month), 2024-Q1, 2024, 2024-03-20 (a day) or 2024-01-01..2024-03-20"),
  Flag.mapTryCatch((text) => Result.getOrThrow(ReportingPeriod.parse(text)), (e) => (e instanceof Error ? e.message : String(e)))
)

/**
 * `--units FILE` and `--targets FILE` (JSON), shared with `report check`.
 *
 * @since 0.1.0
 */
export const referenceFlags = {
  units: Flag.String("units").pipe(
    Flag.withDescription("JSON file of the effective-dated unit tree (default: Bình Định / An Lão, shipped with @kho/core)"),
    Flag.optional
  ),
  targets: Flag.String("targets").pipe(
    Flag.withDescription("JSON file of the targets (default: 60 % reuse for An Lão in 2024)"),
    Flag.optional
  )
}

/**
 * The `kpi` subcommand.
 *
 * @since 0.1.0
 */
export const command = Command.make(
  "kpi",
  {
    file: Argument.String("file").pipe(Argument.withDescription("The exported log (NDJSON)")),
    period,
    format: Flag.Literals("format", formats).pipe(
      Flag.withDescription("table (default), csv (UTF-8 with BOM), json (the published form) or pdf"),
      Flag.withDefault("table" as Format)
    ),
    asOf: Flag.String("as-of").pipe(
      Flag.withDescription("Compute as of this global position (e.g. 52000) or instant (ISO-8601 with its offset, e.g. 2024-02-15T10:00:00+07:00); default: the whole log"),
      Flag.mapTryCatch(Audit.parseAsOf, (e) => (e instanceof Error ? e.message : String(e))),
      Flag.optional
    ),
    root: Flag.String("root").pipe(
      Flag.withDescription(`The unit whose tree is reported (default: ${AdministrativeUnit.AN_LAO})`),
      Flag.withDefault(AdministrativeUnit.AN_LAO)
    ),
    out: Flag.String("out").pipe(Flag.withDescription("Write the report here (default: stdout)"), Flag.optional),
    force: Flag.Boolean("force").pipe(Flag.withDescription("Overwrite --out if it exists"), Flag.withDefault(false)),
    progress: Flag.Boolean("progress").pipe(
      Flag.withDescription("Show a progress bar on stderr (default: only when stderr is a terminal)"),
      Flag.optional
    ),
    ...referenceFlags
  },
  Effect.fn("KpiCommand")(function*({ asOf, file, force, format, out, period, progress, root, targets, units }) {
    yield* finish(
      "kpi",
      format === "json" && Option.isNone(out),
      Effect.gen(function*() {
        if (format === "pdf" && Option.isNone(out) && (yield* (yield* Stdio.Stdio).stdoutIsTerminal)) {
          return yield* fail(ExitCode.USAGE, "Usage", "a PDF is not for a terminal: pass --out FILE or redirect stdout")
        }
        const reference = yield* ReferenceData.load({ units, targets })
        const ledger = yield* ReplayLog.verifiedLedger(file, Option.getOrElse(asOf, () => KpiLedger.atHead), progress)
        const query = { period, root, ...reference }
        const report = yield* ReferenceData.reportOf(ledger, query)
        const warning = unattributedWarning(ledger, query)
        if (warning !== null) yield* Console.error(`kho kpi: ${warning}`)
        const rendered = yield* render(report, format).pipe(
          Effect.catch((e) => fail(ExitCode.IO_ERR, "PdfRenderError", e.message))
        )
        yield* Output.write(rendered, out, force)
        return {
          code: ExitCode.OK,
          text: Option.isNone(out)
            ? ""
            : `WROTE ${out.value}: reuse-rate report of ${report.root.name} for ${ReportingPeriod.format(period)}, ` +
              `computed from position ${report.computedFrom.position} (head hash ${report.computedFrom.headHash})`,
          json: null
        }
      })
    )
  })
).pipe(
  Command.withDescription("Compute the reuse-rate report (Appendix I) of a period from a log"),
  Command.withExamples([
    { command: "kho kpi an-lao-2024.ndjson --period 2024-01-01..2024-03-20", description: "Appendix I as a table" },
    { command: "kho kpi an-lao-2024.ndjson --period 2024-03 --format json --out bao-cao-2024-03.json", description: "The published JSON form" },
    { command: "kho kpi an-lao-2024.ndjson --period 2024-Q1 --as-of 2024-03-31T17:00:00Z --format pdf --out q1.pdf", description: "As the log stood at an instant, as PDF" }
  ])
)
