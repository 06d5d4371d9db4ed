/**
 * Calendar arithmetic for the matching rules, without `Date`: the civil day of an instant in Vietnam
 * and the last day of a validity period.
 */
import type { Period } from "../Procedure.ts"
import { daysInMonth } from "./calendar.ts"
import { fromEpochDay, toEpochDay } from "./isoDate.ts"

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):\d{2}:\d{2}\.\d{3}Z$/

/** Vietnam is UTC+7 all year (no daylight saving since 1975). */
const VIETNAM_OFFSET_HOURS = 7

/**
 * The civil day in Vietnam of an ISO instant (`2024-03-20T17:30:00.000Z` → `2024-03-21`). Throws a
 * `RangeError` on a malformed instant: callers pass decoded `Document.Instant` values.
 */
export const vietnamDate = (instant: string): string => {
  const match = INSTANT.exec(instant)
  if (match === null) {
    throw new RangeError(`asOf must be an ISO-8601 UTC instant with milliseconds; got ${JSON.stringify(instant)}`)
  }
  const day = match[1]!
  return Number(match[2]) + VIETNAM_OFFSET_HOURS >= 24 ? fromEpochDay(toEpochDay(day) + 1) : day
}

/**
 * The last valid day of a period counted from `issuedAt` (Civil Code 2015, art. 147–148): the day of
 * issue is not counted, so `Days n` ends on issue + n days, and `Months n` on the same day n months
 * later, or that month's last day when it has no such day.
 */
export const lastValidDay = (issuedAt: string, period: Period): string => {
  switch (period._tag) {
    case "Days":
      return fromEpochDay(toEpochDay(issuedAt) + period.days)
    case "Months": {
      const year = Number(issuedAt.slice(0, 4))
      const month = Number(issuedAt.slice(5, 7))
      const day = Number(issuedAt.slice(8, 10))
      const index = year * 12 + (month - 1) + period.months
      const y = Math.floor(index / 12)
      const m = (index % 12) + 1
      const d = Math.min(day, daysInMonth(y, m))
      return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`
    }
  }
}
