/**
 * The 12-digit personal identification number (số định danh cá nhân), `PPP G YY RRRRRR`:
 *
 * - `PPP` — code of the province where the birth was registered (63 values, see `data/provinces.ts`);
 * - `G` — century and sex: 0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th;
 * - `YY` — last two digits of the birth year;
 * - `RRRRRR` — a random serial.
 *
 * There is no check digit: a well-formed number can still belong to nobody. Parse at the edge with
 * {@link parse} (typed error) or decode with the {@link PersonalId} schema (a brand).
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { provinces } from "./data/provinces.ts"

const provinceNames: ReadonlyMap<string, string> = new Map(provinces)

/**
 * A personal ID was malformed; `message` says which part is wrong.
 *
 * @since 0.1.0
 */
export class InvalidPersonalId extends Schema.TaggedError<InvalidPersonalId>()("InvalidPersonalId", {
  input: Schema.String,
  message: Schema.String
}) {}

/** How many characters of a wrong input a message repeats. */
const maxEcho = 32

/**
 * Why `input` is not a personal ID, or `undefined` when it is one.
 *
 * @since 0.1.0
 */
export const problem = (input: string): string | undefined => {
  if (!/^\d{12}$/.test(input)) {
    // a bounded echo: the input may be anything, of any length
    const shown = input.length > maxEcho ? `${JSON.stringify(input.slice(0, maxEcho))}…` : JSON.stringify(input)
    return `a personal ID has exactly 12 digits, got ${shown} (${input.length} characters)`
  }
  const province = input.slice(0, 3)
  if (!provinceNames.has(province)) {
    return `${input} starts with ${province}, which is not a province code (001 Hà Nội … 096 Cà Mau)`
  }
  return undefined
}

/**
 * A valid personal ID (branded string).
 *
 * @since 0.1.0
 */
export const PersonalId = Schema.String.check(Schema.makeFilter(problem)).pipe(Schema.brand("PersonalId"))

/**
 * @since 0.1.0
 */
export type PersonalId = typeof PersonalId.Type

const decodeResult = Schema.decodeUnknownResult(PersonalId)

/**
 * Parses a personal ID, with a message that names the wrong part.
 *
 * @since 0.1.0
 */
export const parse = (input: string): Result.Result<PersonalId, InvalidPersonalId> =>
  Result.mapError(decodeResult(input), (error) => new InvalidPersonalId({ input, message: error.message }))

/**
 * Whether `input` is a valid personal ID.
 *
 * @since 0.1.0
 */
export const isPersonalId = (input: string): input is PersonalId => Schema.is(PersonalId)(input)

/**
 * What a personal ID tells about its holder.
 *
 * @since 0.1.0
 */
export interface Decoded {
  readonly province: { readonly code: string; readonly name: string }
  readonly sex: "male" | "female"
  /** 20 for 1900–1999, 21 for 2000–2099, … 24 for 2300–2399. */
  readonly century: number
  readonly birthYear: number
  readonly serial: string
}

/**
 * Decodes the province of birth registration, sex and birth year.
 *
 * @since 0.1.0
 */
export const decode = (id: PersonalId): Decoded => {
  const code = id.slice(0, 3)
  const g = Number(id[3])
  const century = 20 + Math.floor(g / 2)
  return {
    province: { code, name: provinceNames.get(code) ?? code },
    sex: g % 2 === 0 ? "male" : "female",
    century,
    birthYear: (century - 1) * 100 + Number(id.slice(4, 6)),
    serial: id.slice(6)
  }
}
