/**
 * The electronic identification code of an agency or organisation (mã định danh điện tử của cơ quan,
 * tổ chức) of decision 20/2020/QĐ-TTg: 13 characters written `L4.L3.L2.L1`, from the lowest level to
 * the highest:
 *
 * - `L1` (3 characters, a letter and two digits) — the level-1 unit: a ministry or central agency
 *   (`Gnn`) or a province (`Hnn`; `H08` is Bình Định);
 * - `L2` (2 digits) — a unit directly under level 1 (a department, a district People's Committee);
 * - `L3` (2 digits) — a unit under level 2 (e.g. a commune People's Committee under its district);
 * - `L4` (3 digits) — a unit under level 3.
 *
 * Zero groups mean "this level is not used": `000.00.00.H08` is the province itself, `000.00.16.H08` a
 * level-2 unit, `000.20.33.H08` a level-3 unit. A level cannot be set when the one above it is zero.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"

/**
 * An agency code was malformed.
 *
 * @since 0.1.0
 */
export class InvalidAgencyCode extends Schema.TaggedError<InvalidAgencyCode>()("InvalidAgencyCode", {
  input: Schema.String,
  message: Schema.String
}) {}

const pattern = /^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})$/

/**
 * Why `input` is not an agency code, or `undefined` when it is one.
 *
 * @since 0.1.0
 */
export const problem = (input: string): string | undefined => {
  const match = pattern.exec(input)
  if (match === null) {
    return `an agency code (decision 20/2020/QĐ-TTg) looks like 000.20.33.H08 (3 digits, 2 digits, 2 digits, a capital letter and 2 digits, separated by dots); got ${
      JSON.stringify(input)
    }`
  }
  const [, l4, l3, l2, l1] = match
  if (l1!.slice(1) === "00") return `${input}: the level-1 unit ${l1} does not exist (numbering starts at 01)`
  if (l2 === "00" && l3 !== "00") return `${input}: a level-3 unit (${l3}) needs a level-2 unit, but level 2 is 00`
  if (l3 === "00" && l4 !== "000") return `${input}: a level-4 unit (${l4}) needs a level-3 unit, but level 3 is 00`
  return undefined
}

/**
 * A valid agency code (branded string).
 *
 * @since 0.1.0
 */
export const AgencyCode = Schema.String.check(Schema.makeFilter(problem)).pipe(Schema.brand("AgencyCode"))

/**
 * @since 0.1.0
 */
export type AgencyCode = typeof AgencyCode.Type

const decodeResult = Schema.decodeUnknownResult(AgencyCode)

/**
 * Parses an agency code.
 *
 * @since 0.1.0
 */
export const parse = (input: string): Result.Result<AgencyCode, InvalidAgencyCode> =>
  Result.mapError(decodeResult(input), (error) => new InvalidAgencyCode({ input, message: error.message }))

/**
 * Whether `input` is a valid agency code.
 *
 * @since 0.1.0
 */
export const isAgencyCode = (input: string): input is AgencyCode => Schema.is(AgencyCode)(input)

/**
 * The groups of a code and the level of the unit it names (1 to 4).
 *
 * @since 0.1.0
 */
export interface Decoded {
  readonly level1: string
  readonly level2: string
  readonly level3: string
  readonly level4: string
  readonly level: 1 | 2 | 3 | 4
}

/**
 * Splits a code into its levels.
 *
 * @since 0.1.0
 */
export const decode = (code: AgencyCode): Decoded => {
  const [level4, level3, level2, level1] = code.split(".") as [string, string, string, string]
  const level = level4 !== "000" ? 4 : level3 !== "00" ? 3 : level2 !== "00" ? 2 : 1
  return { level1, level2, level3, level4, level }
}

/**
 * The code of the unit directly above, or `null` for a level-1 unit.
 *
 * @since 0.1.0
 */
export const parent = (code: AgencyCode): AgencyCode | null => {
  const d = decode(code)
  switch (d.level) {
    case 1:
      return null
    case 2:
      return AgencyCode.make(`000.00.00.${d.level1}`)
    case 3:
      return AgencyCode.make(`000.00.${d.level2}.${d.level1}`)
    case 4:
      return AgencyCode.make(`000.${d.level3}.${d.level2}.${d.level1}`)
  }
}
