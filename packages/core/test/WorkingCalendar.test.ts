import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import * as WorkingCalendar from "../src/WorkingCalendar.ts"

const cal = WorkingCalendar.vietnam
const ok = <A>(r: Result.Result<A, WorkingCalendar.OutsideCalendar>): A => {
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}
const add = (start: string, n: number) => ok(WorkingCalendar.addWorkingDays(cal, start, n))
const between = (a: string, b: string) => ok(WorkingCalendar.workingDaysBetween(cal, a, b))
const working = (d: string) => ok(WorkingCalendar.isWorkingDay(cal, d))

// Days in 2024-01-01 … 2026-11-30, leaving room to add up to ~20 working days inside the coverage.
const isoDay = fc.integer({ min: 0, max: 1064 }).map((i) => {
  const t = Date.UTC(2024, 0, 1) + i * 86_400_000
  return new Date(t).toISOString().slice(0, 10)
})

describe("WorkingCalendar", () => {
  it("skips weekends", () => {
    expect(working("2024-03-15")).toBe(true) // Friday
    expect(working("2024-03-16")).toBe(false) // Saturday
    expect(add("2024-03-15", 1)).toBe("2024-03-18")
  })

  it("skips Tết 2024 (08–14/02) and the 30/04–01/05 bridge, and works the make-up Saturday", () => {
    expect(add("2024-02-07", 1)).toBe("2024-02-15")
    expect(add("2024-04-26", 1)).toBe("2024-05-02")
    expect(working("2024-04-29")).toBe(false)
    expect(working("2024-05-04")).toBe(true)
    expect(add("2024-05-03", 1)).toBe("2024-05-04")
    expect(add("2025-04-25", 1)).toBe("2025-04-26")
    expect(add("2025-04-29", 1)).toBe("2025-05-05")
  })

  it("knows the 2025 Tết and National Day breaks and the 2026 statutory days", () => {
    expect(between("2025-01-24", "2025-02-03")).toBe(1)
    expect(between("2025-08-29", "2025-09-03")).toBe(1)
    expect(working("2026-02-17")).toBe(false)
    expect(working("2026-04-27")).toBe(false)
  })

  it("counts the working days of the seed's period, 01/01–20/03/2024", () => {
    // January: 23 weekdays less New Year; February: 21 less the 5 Tết weekdays; March 1–20: 14.
    expect(between("2024-01-01", "2024-03-20")).toBe(22 + 16 + 14)
  })

  it("refuses to count outside the data it has", () => {
    const r = WorkingCalendar.addWorkingDays(cal, "2026-12-30", 5)
    expect(Result.isFailure(r) && r.failure.message).toMatch(/2027-01-0\d is outside .* add that year's public holidays/)
    expect(Result.isFailure(WorkingCalendar.isWorkingDay(cal, "2023-12-29"))).toBe(true)
    expect(Result.isFailure(WorkingCalendar.workingDaysBetween(cal, "2024-01-01", "2027-01-01"))).toBe(true)
    expect(() => WorkingCalendar.addWorkingDays(cal, "2024-01-01", -1)).toThrow(RangeError)
  })

  it("counts back what it added", () => {
    fc.assert(fc.property(isoDay, fc.integer({ min: 0, max: 20 }), (s, n) => between(s, add(s, n)) === n))
  })

  it("lands on working days and composes", () => {
    fc.assert(
      fc.property(isoDay, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 10 }), (s, a, b) =>
        working(add(s, a)) && add(add(s, a), b) === add(s, a + b)
      )
    )
  })

  it("counts additively and antisymmetrically", () => {
    fc.assert(
      fc.property(isoDay, isoDay, isoDay, (a, b, c) =>
        between(a, b) + between(b, c) === between(a, c) && between(a, b) === -between(b, a) && between(a, a) === 0
      )
    )
  })

  it("rejects calendar data that contradicts itself", () => {
    const decode = Schema.decodeUnknownResult(WorkingCalendar.WorkingCalendar)
    const base = { name: "t", coverage: { from: "2024-01-01", to: "2024-12-31" }, weekend: [0, 6], holidays: [], workingWeekendDays: [] }
    expect(Result.isSuccess(decode(base))).toBe(true)
    expect(Result.isFailure(decode({ ...base, holidays: [{ date: "2025-01-01", name: "x", kind: "statutory" }] }))).toBe(true)
    expect(Result.isFailure(decode({
      ...base,
      holidays: [{ date: "2024-05-04", name: "x", kind: "statutory" }],
      workingWeekendDays: [{ date: "2024-05-04", name: "y" }]
    }))).toBe(true)
    expect(Result.isFailure(decode({ ...base, weekend: [7] }))).toBe(true)
  })
})
