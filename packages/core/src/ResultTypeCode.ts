/**
 * The code of a type of procedure result (mã loại kết quả giải quyết), e.g. `KQ.G15.000021`:
 * the prefix `KQ` (kết quả), a group (a capital letter and two digits, `G01`, `G15`) and a 6-digit
 * serial within the group. It is the middle part of a store document code
 * (`052090000495.KQ.G15.000021.02022024`) and what a dossier component accepts when matching.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"

/**
 * A result type code was malformed.
 *
 * @since 0.1.0
 */
export class InvalidResultTypeCode extends Schema.TaggedError<InvalidResultTypeCode>()("InvalidResultTypeCode", {
  input: Schema.String,
  message: Schema.String
}) {}

/**
 * The pattern of a result type code, without anchors, for embedding in larger patterns.
 *
 * @since 0.1.0
 */
export const source = "KQ\\.[A-Z]\\d{2}\\.\\d{6}"

const pattern = new RegExp(`^${source}$`)

/**
 * Why `input` is not a result type code, or `undefined` when it is one.
 *
 * @since 0.1.0
 */
export const problem = (input: string): string | undefined =>
  pattern.test(input)
    ? undefined
    : `a result type code looks like KQ.G15.000021 (KQ, a group such as G15, a 6-digit serial); got ${
      JSON.stringify(input)
    }`

/**
 * A valid result type code (branded string).
 *
 * @since 0.1.0
 */
export const ResultTypeCode = Schema.String.check(Schema.makeFilter(problem)).pipe(Schema.brand("ResultTypeCode"))

/**
 * @since 0.1.0
 */
export type ResultTypeCode = typeof ResultTypeCode.Type

const decodeResult = Schema.decodeUnknownResult(ResultTypeCode)

/**
 * Parses a result type code.
 *
 * @since 0.1.0
 */
export const parse = (input: string): Result.Result<ResultTypeCode, InvalidResultTypeCode> =>
  Result.mapError(decodeResult(input), (error) => new InvalidResultTypeCode({ input, message: error.message }))

/**
 * Whether `input` is a valid result type code.
 *
 * @since 0.1.0
 */
export const isResultTypeCode: (input: string) => input is ResultTypeCode = Schema.is(ResultTypeCode)

/**
 * The group (`G15`) and serial (`000021`) of a code.
 *
 * @since 0.1.0
 */
export const decode = (code: ResultTypeCode): { readonly group: string; readonly serial: string } => {
  const [, group, serial] = code.split(".") as [string, string, string]
  return { group, serial }
}
