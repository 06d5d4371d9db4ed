/** Gregorian calendar checks for `YYYY-MM-DD` dates, without `Date` (domain code stays pure). */

/** Days in `month` (1–12) of `year`. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
    : [4, 6, 9, 11].includes(month)
    ? 30
    : 31

/** Whether the parts name a real calendar day. */
export const isValidDay = (year: number, month: number, day: number): boolean =>
  Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
  month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)

/** `YYYY-MM-DD` of the parts. */
export const isoDate = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`

/** The parts of a `YYYY-MM-DD` string naming a real day, or `null`. */
export const parseIsoDate = (
  input: string
): { readonly year: number; readonly month: number; readonly day: number } | null => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input)
  if (match === null) return null
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  return isValidDay(year, month, day) ? { year, month, day } : null
}
