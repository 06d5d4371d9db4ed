/**
 * The overview sample of packages/report/README.md (its runnable example is the README's
 * ```ts example block, run by packages/promise/test/Packaging.test.ts).
 */
import type { ReuseRateReport } from "@kho/core"

// #region overview
import { Csv, Json, Pdf, Terminal } from "@kho/report"
import { Effect } from "effect"

process.stdout.write(Terminal.render(report)) // report: a ReuseRateReport of @kho/core
const csv = Csv.render(report) // RFC 4180, for spreadsheets
const json = Json.render(report) // Json.parse reads it back
const pdf = await Effect.runPromise(Pdf.render(report)) // Pdf.render: Effect<Uint8Array, PdfRenderError>
// #endregion overview

declare const report: ReuseRateReport.ReuseRateReport

export { csv, json, pdf }
