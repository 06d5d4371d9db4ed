/**
 * The reuse-rate report as JSON, through its Schema both ways: what is published is exactly the model,
 * and reading a published report back (`kho report check`) re-checks every total and invariant.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
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

const decode = Schema.decodeUnknownResult(ReuseRateReport.ReuseRateReportFromJson)

/**
 * Reads a published report back, checking it.
 *
 * @since 0.1.0
 */
export const parse = (text: string): Result.Result<ReuseRateReport.ReuseRateReport, InvalidReportJson> =>
  Result.mapError(
    decode(text),
    (e) => new InvalidReportJson({ message: `not a valid reuse-rate report: ${e.message}` })
  )
