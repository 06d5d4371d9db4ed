/**
 * Working days of Vietnamese state agencies: deadlines (processing times, complaint answers) are counted
 * in working days, which skip weekends and public holidays but include the Saturdays the government
 * turns into make-up working days when it swaps a day to bridge a holiday.
 *
 * The holidays are data (`vietnam`, see `data/vietnamHolidays.ts` for what is official). A calendar
 * knows the span its data covers and refuses to count outside it (`OutsideCalendar`) rather than
 * silently treating an unknown year's holidays as working days.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { vietnamHolidays2024To2026 } from "./data/vietnamHolidays.ts"
import { IsoDate, dayOfWeek, fromEpochDay, toEpochDay } from "./internal/isoDate.ts"
import { Period } from "./Period.ts"

/**
 * A day off: `statutory` (Labour Code), `compensatory` (a statutory day fell on a weekend) or `swapped`
 * (a working day moved to a weekend, see `workingWeekendDays`).
 *
 * @since 0.1.0
 */
export const Holiday = Schema.Struct({
  date: IsoDate,
  name: Schema.NonEmptyString,
  kind: Schema.Literals(["statutory", "compensatory", "swapped"])
})

/**
 * @since 0.1.0
 */
export type Holiday = typeof Holiday.Type

/**
 * A calendar: weekend days (0 = Sunday … 6 = Saturday), days off, weekend days worked, and the span
 * (inclusive) for which that data is complete.
 *
 * @since 0.1.0
 */
export const WorkingCalendar = Schema.Struct({
  name: Schema.NonEmptyString,
  coverage: Period,
  weekend: Schema.Array(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 6 }))),
  holidays: Schema.Array(Holiday),
  workingWeekendDays: Schema.Array(Schema.Struct({ date: IsoDate, name: Schema.NonEmptyString }))
}).check(
  Schema.makeFilter((c: {
    readonly coverage: { readonly from: string; readonly to: string }
    readonly holidays: ReadonlyArray<{ readonly date: string }>
    readonly workingWeekendDays: ReadonlyArray<{ readonly date: string }>
  }) => {
    const out: Array<string> = []
    for (const d of [...c.holidays, ...c.workingWeekendDays]) {
      if (d.date < c.coverage.from || d.date > c.coverage.to) out.push(`${d.date} lies outside the coverage`)
    }
    const off = new Set(c.holidays.map((h) => h.date))
    for (const w of c.workingWeekendDays) if (off.has(w.date)) out.push(`${w.date} is both a day off and a working day`)
    return out
  })
)

/**
 * @since 0.1.0
 */
export type WorkingCalendar = typeof WorkingCalendar.Type

/**
 * A date outside the span the calendar's holiday data covers.
 *
 * @since 0.1.0
 */
export class OutsideCalendar extends Schema.TaggedError<OutsideCalendar>()("OutsideCalendar", {
  date: Schema.String,
  message: Schema.String
}) {}

interface Index {
  readonly from: number
  readonly to: number
  readonly weekend: ReadonlySet<number>
  readonly off: ReadonlySet<number>
  readonly worked: ReadonlySet<number>
}

const indexes = new WeakMap<WorkingCalendar, Index>()

const indexOf = (calendar: WorkingCalendar): Index => {
  let index = indexes.get(calendar)
  if (index === undefined) {
    index = {
      from: toEpochDay(calendar.coverage.from),
      to: toEpochDay(calendar.coverage.to),
      weekend: new Set(calendar.weekend),
      off: new Set(calendar.holidays.map((h) => toEpochDay(h.date))),
      worked: new Set(calendar.workingWeekendDays.map((w) => toEpochDay(w.date)))
    }
    indexes.set(calendar, index)
  }
  return index
}

const outside = (calendar: WorkingCalendar, day: number): OutsideCalendar => {
  const date = fromEpochDay(day)
  return new OutsideCalendar({
    date,
    message: `${date} is outside the working calendar "${calendar.name}", which covers ` +
      `${calendar.coverage.from} … ${calendar.coverage.to}: add that year's public holidays to the calendar data`
  })
}

const working = (index: Index, day: number): boolean =>
  index.worked.has(day) || (!index.weekend.has(dayOfWeek(day)) && !index.off.has(day))

const covered = (index: Index, day: number): boolean => index.from <= day && day <= index.to

/**
 * Whether `date` is a working day.
 *
 * @since 0.1.0
 */
export const isWorkingDay = (calendar: WorkingCalendar, date: string): Result.Result<boolean, OutsideCalendar> => {
  const index = indexOf(calendar)
  const day = toEpochDay(date)
  return covered(index, day) ? Result.succeed(working(index, day)) : Result.fail(outside(calendar, day))
}

/**
 * The `n`-th working day after `start` (`start` itself is not counted, and need not be a working day):
 * a dossier received on Friday 26/04/2024 with a 1-working-day deadline is due Thursday 02/05/2024.
 * `n = 0` returns `start`. Throws a `RangeError` if `n` is not a non-negative integer.
 *
 * @since 0.1.0
 */
export const addWorkingDays = (
  calendar: WorkingCalendar,
  start: string,
  n: number
): Result.Result<string, OutsideCalendar> => {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`expected a non-negative integer, got ${n}`)
  const index = indexOf(calendar)
  let day = toEpochDay(start)
  if (!covered(index, day)) return Result.fail(outside(calendar, day))
  for (let left = n; left > 0;) {
    day += 1
    if (!covered(index, day)) return Result.fail(outside(calendar, day))
    if (working(index, day)) left -= 1
  }
  return Result.succeed(fromEpochDay(day))
}

/**
 * The number of working days in `(start, end]` — how many working days have passed from `start` to
 * `end`, so that `workingDaysBetween(s, addWorkingDays(s, n)) = n`. Negative when `end` is before `start`.
 *
 * @since 0.1.0
 */
export const workingDaysBetween = (
  calendar: WorkingCalendar,
  start: string,
  end: string
): Result.Result<number, OutsideCalendar> => {
  const index = indexOf(calendar)
  const a = toEpochDay(start)
  const b = toEpochDay(end)
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1]
  if (!covered(index, lo)) return Result.fail(outside(calendar, lo))
  if (!covered(index, hi)) return Result.fail(outside(calendar, hi))
  let count = 0
  for (let day = lo + 1; day <= hi; day++) if (working(index, day)) count++
  return Result.succeed(sign * count)
}

/**
 * Vietnamese state agencies, 2024–2026 (weekends Saturday and Sunday), decoded and checked on load.
 *
 * @since 0.1.0
 */
export const vietnam: WorkingCalendar = Schema.decodeUnknownSync(WorkingCalendar)(vietnamHolidays2024To2026)
