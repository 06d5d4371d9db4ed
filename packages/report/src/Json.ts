/**
 * The reuse-rate report as JSON, through its Schema both ways: what is published is exactly the model,
 * and reading a published report back (`kho report check`) re-checks every total and invariant.
 *
 * @since 0.1.0
 */
import { Result, Schema, SchemaIssue } from "effect"
import { ReuseRateReport } from "@kho/core"

/**
 * A text that is not a valid published reuse-rate report.
 *
 * @since 0.1.0
 */
export class InvalidReportJson extends Schema.TaggedError<InvalidReportJson>()("InvalidReportJson", {
  message: Schema.String
}) {}

/**
 * The report as 2-space-indented JSON text, ending with a newline.
 *
 * @since 0.1.0
 */
export const render = (report: ReuseRateReport.ReuseRateReport): string =>
  Schema.encodeSync(ReuseRateReport.ReuseRateReportFromJson)(report) + "\n"

// A field the model does not have is an error, not dropped: a reader of the published text would take
// it (a `"rate": "99,99"`, a note) for part of the report while `kho report check` never compared it.
const decode = Schema.decodeUnknownResult(ReuseRateReport.ReuseRateReportFromJson, {
  onExcessProperty: "error",
  errors: "all"
})

const BOM = "\uFEFF"

const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join("")

const UNEXPECTED = "unexpected field"

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1({
  leafHook: (issue) => (issue._tag === "UnexpectedKey" ? UNEXPECTED : SchemaIssue.defaultLeafHook(issue))
})

// `unexpected field levels[1].rows[2].rate (…)`, otherwise the message then where (`… at levels[0]`)
const describe = (issue: SchemaIssue.Issue): string =>
  formatIssues(issue).issues
    .map((i) => {
      const path = pathText((i.path ?? []).map((p) => (typeof p === "object" ? p.key : p)))
      if (i.message === UNEXPECTED) return `${UNEXPECTED} ${path} (the report model has none such, so nothing would check it)`
      return path === "" ? i.message : `${i.message} at ${path}`
    })
    .join("; ")

/**
 * Reads a published report back, checking it: exactly the model's fields (a field it does not have is
 * refused, naming it), every total and invariant. A leading UTF-8 byte-order mark (as some editors
 * save) is skipped.
 *
 * @since 0.1.0
 */
export const parse = (text: string): Result.Result<ReuseRateReport.ReuseRateReport, InvalidReportJson> =>
  Result.mapError(
    decode(text.startsWith(BOM) ? text.slice(BOM.length) : text),
    (e) => new InvalidReportJson({ message: `not a valid reuse-rate report: ${describe(e.issue)}` })
  )
