/**
 * Calendar dates as ISO-8601 strings (`YYYY-MM-DD`) and their day numbers, without `Date`: domain code
 * must not read the clock, and a civil date has no time zone to get wrong. ISO date strings compare
 * correctly as strings; arithmetic goes through epoch days (days since 1970-01-01).
 */
import { Schema } from "effect"

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const parts = (iso: string): readonly [number, number, number] | undefined => {
  const m = ISO_DATE.exec(iso)
  if (m === null) return undefined
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3])
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined
  return [y, mo, d]
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31

/** A real calendar date written `YYYY-MM-DD` (2024-02-30 is rejected). */
export const IsoDate = Schema.String.check(
  Schema.makeFilter((s: string) => parts(s) !== undefined || `expected a calendar date written YYYY-MM-DD, got ${JSON.stringify(s)}`)
)

/** Days since 1970-01-01 (H. Hinnant's days_from_civil). The input must be a valid `IsoDate`. */
export const toEpochDay = (iso: string): number => {
  const p = parts(iso)
  if (p === undefined) throw new RangeError(`not a calendar date: ${JSON.stringify(iso)}`)
  const [y0, m, d] = p
  const y = m <= 2 ? y0 - 1 : y0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** The ISO date of an epoch day (inverse of `toEpochDay`). */
export const fromEpochDay = (day: number): string => {
  const z = day + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`
}

/** Day of the week of an epoch day: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const dayOfWeek = (day: number): number => (((day + 4) % 7) + 7) % 7

/** `2024-03-20` → `20/03/2024`, the way Vietnamese documents write dates. */
export const toVietnamese = (iso: string): string => {
  const p = parts(iso)
  if (p === undefined) throw new RangeError(`not a calendar date: ${JSON.stringify(iso)}`)
  return `${String(p[2]).padStart(2, "0")}/${String(p[1]).padStart(2, "0")}/${p[0]}`
}
