/**
 * The periods KPIs are asked for — a month, a quarter, a year, any range of days — as `Period`s
 * (whole days, both ends included), and their textual forms for command lines and file names:
 * `2024-03`, `2024-Q1`, `2024`, `2024-01-01..2024-03-20`.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { fromEpochDay, IsoDate, toEpochDay } from "./internal/isoDate.ts"
import type * as Period from "./Period.ts"

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

const lastDay = (year: number, month: number): string =>
  fromEpochDay(toEpochDay(`${pad(year, 4)}-${pad(month)}-01`) + daysIn(year, month) - 1)

const daysIn = (year: number, month: number): number => {
  const next = month === 12 ? `${pad(year + 1, 4)}-01-01` : `${pad(year, 4)}-${pad(month + 1)}-01`
  return toEpochDay(next) - toEpochDay(`${pad(year, 4)}-${pad(month)}-01`)
}

const checkYear = (year: number): void => {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`a year is 1 … 9999, got ${year}`)
}

/**
 * The calendar month `month` (1–12) of `year`: `month(2024, 2)` is 2024-02-01 … 2024-02-29.
 *
 * @since 0.1.0
 */
export const month = (year: number, month: number): Period.Period => {
  checkYear(year)
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`a month is 1 … 12, got ${month}`)
  return { from: `${pad(year, 4)}-${pad(month)}-01`, to: lastDay(year, month) }
}

/**
 * The quarter `quarter` (1–4) of `year`: `quarter(2024, 1)` is 2024-01-01 … 2024-03-31.
 *
 * @since 0.1.0
 */
export const quarter = (year: number, quarter: number): Period.Period => {
  checkYear(year)
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw new RangeError(`a quarter is 1 … 4, got ${quarter}`)
  return { from: month(year, quarter * 3 - 2).from, to: month(year, quarter * 3).to }
}

/**
 * The calendar year.
 *
 * @since 0.1.0
 */
export const year = (year: number): Period.Period => {
  checkYear(year)
  return { from: `${pad(year, 4)}-01-01`, to: `${pad(year, 4)}-12-31` }
}

/**
 * A period's text could not be read; the message lists the accepted forms.
 *
 * @since 0.1.0
 */
export class InvalidPeriod extends Schema.TaggedError<InvalidPeriod>()("InvalidPeriod", {
  input: Schema.String,
  message: Schema.String
}) {}

const isDate = Schema.is(IsoDate)

/**
 * Reads `2024-03` (a month), `2024-Q1` (a quarter), `2024` (a year), `2024-03-20` (one day) or
 * `2024-01-01..2024-03-20` (a range, both ends included).
 *
 * @since 0.1.0
 */
export const parse = (input: string): Result.Result<Period.Period, InvalidPeriod> => {
  const fail = (why: string) =>
    Result.fail(
      new InvalidPeriod({
        input,
        message: `${JSON.stringify(input)} is not a period (${why}): write 2024-03, 2024-Q1, 2024, 2024-03-20 or ` +
          `2024-01-01..2024-03-20`
      })
    )
  const text = input.trim()
  let m = /^(\d{4})$/.exec(text)
  if (m !== null) return Result.succeed(year(Number(m[1])))
  m = /^(\d{4})-[Qq]([1-4])$/.exec(text)
  if (m !== null) return Result.succeed(quarter(Number(m[1]), Number(m[2])))
  m = /^(\d{4})-(\d{2})$/.exec(text)
  if (m !== null) {
    const mm = Number(m[2])
    return mm >= 1 && mm <= 12 ? Result.succeed(month(Number(m[1]), mm)) : fail(`there is no month ${m[2]}`)
  }
  const [from, to, ...rest] = text.split("..")
  if (rest.length > 0 || from === undefined) return fail("more than one ..")
  const end = to ?? from
  if (!isDate(from) || !isDate(end)) return fail("not a calendar date")
  if (end < from) return fail(`it ends (${end}) before it starts (${from})`)
  return Result.succeed({ from, to: end })
}

/**
 * The shortest text {@link parse} reads back as the same period.
 *
 * @since 0.1.0
 */
export const format = (period: Period.Period): string => {
  const y = Number(period.from.slice(0, 4))
  if (period.from.slice(0, 4) === period.to.slice(0, 4)) {
    const p = year(y)
    if (p.from === period.from && p.to === period.to) return String(y).padStart(4, "0")
    for (let q = 1; q <= 4; q++) {
      const pq = quarter(y, q)
      if (pq.from === period.from && pq.to === period.to) return `${period.from.slice(0, 4)}-Q${q}`
    }
    const mm = Number(period.from.slice(5, 7))
    const pm = month(y, mm)
    if (pm.from === period.from && pm.to === period.to) return period.from.slice(0, 7)
  }
  return period.from === period.to ? period.from : `${period.from}..${period.to}`
}
