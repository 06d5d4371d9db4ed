/**
 * The organisation tax code (mã số thuế, MST): 10 digits for an enterprise, `NNNNNNNNNN-BBB` for one of
 * its branches or dependent units (branch 001–999).
 *
 * The 10th digit is a check digit over the first nine (the tax administration's numbering scheme),
 * with weights 31, 29, 23, 19, 17, 13, 7, 5, 3, `check = 10 − (Σ dᵢ·wᵢ mod 11)`; a sum ≡ 0 (mod 11)
 * would need check digit 10, so no such code is ever issued. Verified against published codes
 * (e.g. 0100109106, 0101248141, 0300588569).
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"

const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const

/**
 * A tax code was malformed or its check digit is wrong.
 *
 * @since 0.1.0
 */
export class InvalidTaxCode extends Schema.TaggedError<InvalidTaxCode>()("InvalidTaxCode", {
  input: Schema.String,
  message: Schema.String
}) {}

/**
 * The check digit of the first nine digits, or `null` when they cannot start a tax code.
 *
 * @since 0.1.0
 */
export const checkDigit = (firstNine: string): number | null => {
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * weights[i]!
  const check = 10 - (sum % 11)
  return check === 10 ? null : check
}

/**
 * Why `input` is not a tax code, or `undefined` when it is one.
 *
 * @since 0.1.0
 */
export const problem = (input: string): string | undefined => {
  const match = /^(\d{10})(?:-(\d{3}))?$/.exec(input)
  if (match === null) {
    return `a tax code is 10 digits, or 10 digits, a dash and a 3-digit branch number (0100109106-001); got ${
      JSON.stringify(input)
    }`
  }
  const main = match[1]!
  if (match[2] === "000") return `${input}: a branch number runs from 001 to 999`
  const expected = checkDigit(main)
  if (expected === null) return `${input}: no tax code starts with ${main.slice(0, 9)} (its check digit would be 10)`
  if (expected !== Number(main[9])) {
    return `${input}: check digit is ${main[9]} but the first nine digits require ${expected} — a digit is probably mistyped`
  }
  return undefined
}

/**
 * A valid tax code (branded string).
 *
 * @since 0.1.0
 */
export const TaxCode = Schema.String.check(Schema.makeFilter(problem)).pipe(Schema.brand("TaxCode"))

/**
 * @since 0.1.0
 */
export type TaxCode = typeof TaxCode.Type

const decodeResult = Schema.decodeUnknownResult(TaxCode)

/**
 * Parses a tax code, checking the check digit.
 *
 * @since 0.1.0
 */
export const parse = (input: string): Result.Result<TaxCode, InvalidTaxCode> =>
  Result.mapError(decodeResult(input), (error) => new InvalidTaxCode({ input, message: error.message }))

/**
 * Whether `input` is a valid tax code.
 *
 * @since 0.1.0
 */
export const isTaxCode = (input: string): input is TaxCode => Schema.is(TaxCode)(input)

/**
 * The enterprise part and the branch number (null for the head office).
 *
 * @since 0.1.0
 */
export const decode = (code: TaxCode): { readonly enterprise: string; readonly branch: string | null } => ({
  enterprise: code.slice(0, 10),
  branch: code.length > 10 ? code.slice(11) : null
})
