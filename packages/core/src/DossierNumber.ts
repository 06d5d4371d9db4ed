/**
 * The number a dossier receives on submission (mã hồ sơ): `{agency code}-{yyMMdd}-{NNNN}`, e.g.
 * `000.20.33.H08-240320-0001` — the receiving agency, the day of receipt and a 4-digit daily
 * sequence (0001–9999). The document store records it with every use of a document, so a retried use
 * of the same dossier component is not counted twice.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as AgencyCode from "./AgencyCode.ts"
import { isoDate, isValidDay, parseIsoDate } from "./internal/calendar.ts"

/**
 * A dossier number was malformed.
 *
 * @since 0.1.0
 */
export class InvalidDossierNumber extends Schema.TaggedError<InvalidDossierNumber>()("InvalidDossierNumber", {
  input: Schema.String,
  message: Schema.String
}) {}

const pattern = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d{4})$/

/**
 * Why `input` is not a dossier number, or `undefined` when it is one.
 *
 * @since 0.1.0
 */
export const problem = (input: string): string | undefined => {
  const match = pattern.exec(input)
  if (match === null) {
    return `a dossier number looks like 000.20.33.H08-240320-0001 (agency code, yyMMdd, 4-digit sequence); got ${
      JSON.stringify(input)
    }`
  }
  const agencyProblem = AgencyCode.problem(match[1]!)
  if (agencyProblem !== undefined) return `${input}: ${agencyProblem}`
  const [year, month, day] = [2000 + Number(match[2]), Number(match[3]), Number(match[4])]
  if (!isValidDay(year, month, day)) return `${input}: ${match[2]}${match[3]}${match[4]} is not a real day (yyMMdd)`
  if (match[5] === "0000") return `${input}: the sequence runs from 0001 to 9999`
  return undefined
}

/**
 * A valid dossier number (branded string).
 *
 * @since 0.1.0
 */
export const DossierNumber = Schema.String.check(Schema.makeFilter(problem)).pipe(Schema.brand("DossierNumber"))

/**
 * @since 0.1.0
 */
export type DossierNumber = typeof DossierNumber.Type

const decodeResult = Schema.decodeUnknownResult(DossierNumber)

/**
 * Parses a dossier number.
 *
 * @since 0.1.0
 */
export const parse = (input: string): Result.Result<DossierNumber, InvalidDossierNumber> =>
  Result.mapError(decodeResult(input), (error) => new InvalidDossierNumber({ input, message: error.message }))

/**
 * The parts of a dossier number.
 *
 * @since 0.1.0
 */
export interface Parts {
  readonly agencyCode: AgencyCode.AgencyCode
  /** The day of receipt, `YYYY-MM-DD`. */
  readonly receivedOn: string
  readonly sequence: number
}

/**
 * Splits a valid dossier number into its parts.
 *
 * @since 0.1.0
 */
export const decode = (number: DossierNumber): Parts => {
  const match = pattern.exec(number)!
  return {
    agencyCode: AgencyCode.AgencyCode.make(match[1]!),
    receivedOn: isoDate(2000 + Number(match[2]), Number(match[3]), Number(match[4])),
    sequence: Number(match[5])
  }
}

/**
 * Formats a dossier number; fails when the day is not a real day of 2000–2099 or the sequence is
 * outside 1–9999.
 *
 * @since 0.1.0
 */
export const format = (parts: Parts): Result.Result<DossierNumber, InvalidDossierNumber> => {
  const day = parseIsoDate(parts.receivedOn)
  const input = `${parts.agencyCode}-${parts.receivedOn}-${parts.sequence}`
  if (day === null || day.year < 2000 || day.year > 2099) {
    return Result.fail(
      new InvalidDossierNumber({
        input,
        message: `a dossier number's day must be a real day of 2000–2099 (YYYY-MM-DD); got ${parts.receivedOn}`
      })
    )
  }
  if (!Number.isInteger(parts.sequence) || parts.sequence < 1 || parts.sequence > 9999) {
    return Result.fail(
      new InvalidDossierNumber({ input, message: `a dossier's daily sequence runs from 1 to 9999; got ${parts.sequence}` })
    )
  }
  const yyMMdd = `${String(day.year % 100).padStart(2, "0")}${String(day.month).padStart(2, "0")}${
    String(day.day).padStart(2, "0")
  }`
  return parse(`${parts.agencyCode}-${yyMMdd}-${String(parts.sequence).padStart(4, "0")}`)
}
