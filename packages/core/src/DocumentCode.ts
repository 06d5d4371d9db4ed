/**
 * The code of a document in a store (mã giấy tờ), e.g. `052090000495.KQ.G15.000021.02022024`:
 * `owner id . result type code . ddMMyyyy` (the day the result was issued).
 *
 * Real systems are not consistent: the seed also shows placeholder owners (`00000000000.KQ.G01.000023`),
 * 9-digit CMND owners and suffixes that are not dates (`052098000814.KQ.G02.000144.CS10387`), and
 * uploads whose *name* starts with the code. So {@link parse} never fails: it returns whatever parts
 * it recognises and says whether the whole code is well formed. A store keeps codes as given.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { isoDate, isValidDay, parseIsoDate } from "./internal/calendar.ts"
import { ownerIdKind, type OwnerIdKind } from "./internal/ownerId.ts"
import * as ResultTypeCode from "./ResultTypeCode.ts"

/**
 * Which identifier a store owner id is: a citizen's personal ID or CMND, a tax code, an agency code.
 *
 * @since 0.1.0
 */
export type { OwnerIdKind } from "./internal/ownerId.ts"

/**
 * A document code as recorded: any non-blank string without surrounding spaces (branded).
 *
 * @since 0.1.0
 */
export const DocumentCode = Schema.String.check(
  Schema.makeFilter((s: string) =>
    s.trim() === s && s.length > 0 && s.length <= 200
      ? undefined
      : `a document code is 1–200 characters without leading or trailing spaces; got ${JSON.stringify(s)}`
  )
).pipe(Schema.brand("DocumentCode"))

/**
 * @since 0.1.0
 */
export type DocumentCode = typeof DocumentCode.Type

/**
 * What {@link parse} recognised in a code.
 *
 * @since 0.1.0
 */
export interface Parts {
  readonly raw: string
  /** The part before the result type code, as written. */
  readonly ownerId: string | null
  /** Which identifier `ownerId` is, or `null` when it is none (placeholders such as `00000000000`). */
  readonly ownerIdKind: OwnerIdKind | null
  readonly resultType: ResultTypeCode.ResultTypeCode | null
  /** The part after the result type code, as written (`02022024`, `CS10387`). */
  readonly suffix: string | null
  /** The suffix read as a `ddMMyyyy` calendar day, as `YYYY-MM-DD`. */
  readonly issuedOn: string | null
  /** Owner id valid, result type valid and suffix a real `ddMMyyyy` day. */
  readonly wellFormed: boolean
}

const codePattern = new RegExp(`^([^.\\s]+)\\.(${ResultTypeCode.source})(?:\\.([^.\\s]+))?$`)
const namePrefix = new RegExp(`^(\\d{9,13}\\.${ResultTypeCode.source}(?:\\.[A-Za-z0-9]+)?)(?:\\.|\\s|$)`)

const dayOf = (suffix: string | null): string | null => {
  if (suffix === null) return null
  const match = /^(\d{2})(\d{2})(\d{4})$/.exec(suffix)
  if (match === null) return null
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])]
  return isValidDay(year, month, day) ? isoDate(year, month, day) : null
}

/**
 * Splits a code into its parts; never throws, whatever the input.
 *
 * @since 0.1.0
 */
export const parse = (raw: string): Parts => {
  const input = raw.trim()
  const match = codePattern.exec(input)
  if (match === null) {
    return { raw, ownerId: null, ownerIdKind: null, resultType: null, suffix: null, issuedOn: null, wellFormed: false }
  }
  const ownerId = match[1]!
  const kind = ownerIdKind(ownerId)
  const suffix = match[3] ?? null
  const issuedOn = dayOf(suffix)
  return {
    raw,
    ownerId,
    ownerIdKind: kind,
    resultType: ResultTypeCode.ResultTypeCode.make(match[2]!),
    suffix,
    issuedOn,
    wellFormed: kind !== null && issuedOn !== null
  }
}

/**
 * Builds the code of a result issued into `ownerId`'s store on `issuedOn` (`YYYY-MM-DD`).
 * Returns `null` when `issuedOn` is not a real day.
 *
 * @since 0.1.0
 */
export const make = (
  ownerId: string,
  resultType: ResultTypeCode.ResultTypeCode,
  issuedOn: string
): DocumentCode | null => {
  const day = parseIsoDate(issuedOn)
  if (day === null || ownerId.trim() !== ownerId || ownerId.length === 0) return null
  const ddMMyyyy = `${String(day.day).padStart(2, "0")}${String(day.month).padStart(2, "0")}${
    String(day.year).padStart(4, "0")
  }`
  return DocumentCode.make(`${ownerId}.${resultType}.${ddMMyyyy}`)
}

/**
 * The code an uploaded file's name starts with, as the portal names downloaded results
 * (`052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính`), or `null`.
 *
 * @since 0.1.0
 */
export const fromName = (name: string): DocumentCode | null => {
  const match = namePrefix.exec(name.trim())
  return match === null ? null : DocumentCode.make(match[1]!)
}
