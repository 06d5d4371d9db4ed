/**
 * The 9-digit identity card number (chứng minh nhân dân, CMND) issued before the 12-digit personal ID.
 * Old stores and results still carry it (the seed shows an owner `205404812`). It has no check digit
 * and its first digits only hint at the issuing province, so only the format is validated.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"

/**
 * A legacy ID was malformed.
 *
 * @since 0.1.0
 */
export class InvalidLegacyId extends Schema.TaggedError<InvalidLegacyId>()("InvalidLegacyId", {
  input: Schema.String,
  message: Schema.String
}) {}

/**
 * Why `input` is not a 9-digit CMND, or `undefined` when it is one.
 *
 * @since 0.1.0
 */
export const problem = (input: string): string | undefined =>
  /^\d{9}$/.test(input)
    ? undefined
    : `a legacy identity card (CMND) number has exactly 9 digits, got ${JSON.stringify(input)}`

/**
 * A 9-digit CMND number (branded string).
 *
 * @since 0.1.0
 */
export const LegacyId = Schema.String.check(Schema.makeFilter(problem)).pipe(Schema.brand("LegacyId"))

/**
 * @since 0.1.0
 */
export type LegacyId = typeof LegacyId.Type

const decodeResult = Schema.decodeUnknownResult(LegacyId)

/**
 * Parses a 9-digit CMND number.
 *
 * @since 0.1.0
 */
export const parse = (input: string): Result.Result<LegacyId, InvalidLegacyId> =>
  Result.mapError(decodeResult(input), (error) => new InvalidLegacyId({ input, message: error.message }))

/**
 * Whether `input` is a 9-digit CMND number.
 *
 * @since 0.1.0
 */
export const isLegacyId = (input: string): input is LegacyId => Schema.is(LegacyId)(input)
