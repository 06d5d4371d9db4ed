import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import * as ReportingPeriod from "../src/ReportingPeriod.ts"

const read = (text: string) => Result.getOrThrow(ReportingPeriod.parse(text))

describe("ReportingPeriod", () => {
  it("builds months, quarters and years with their real last days", () => {
    assert.deepStrictEqual(ReportingPeriod.month(2024, 2), { from: "2024-02-01", to: "2024-02-29" })
    assert.deepStrictEqual(ReportingPeriod.month(2023, 2), { from: "2023-02-01", to: "2023-02-28" })
    assert.deepStrictEqual(ReportingPeriod.month(2024, 12), { from: "2024-12-01", to: "2024-12-31" })
    assert.deepStrictEqual(ReportingPeriod.quarter(2024, 1), { from: "2024-01-01", to: "2024-03-31" })
    assert.deepStrictEqual(ReportingPeriod.quarter(2024, 3), { from: "2024-07-01", to: "2024-09-30" })
    assert.deepStrictEqual(ReportingPeriod.year(2024), { from: "2024-01-01", to: "2024-12-31" })
    assert.throws(() => ReportingPeriod.month(2024, 13))
    assert.throws(() => ReportingPeriod.quarter(2024, 0))
  })

  it("reads the textual forms", () => {
    assert.deepStrictEqual(read("2024-03"), ReportingPeriod.month(2024, 3))
    assert.deepStrictEqual(read("2024-Q1"), ReportingPeriod.quarter(2024, 1))
    assert.deepStrictEqual(read("2024"), ReportingPeriod.year(2024))
    assert.deepStrictEqual(read("2024-03-20"), { from: "2024-03-20", to: "2024-03-20" })
    assert.deepStrictEqual(read("2024-01-01..2024-03-20"), { from: "2024-01-01", to: "2024-03-20" })
    for (const bad of ["2024-13", "2024-Q5", "2024-02-30", "2024-03-20..2024-01-01", "march", "2024-01-01..2024-02-01..2024-03-01"]) {
      const parsed = ReportingPeriod.parse(bad)
      assert.isTrue(Result.isFailure(parsed), bad)
      if (Result.isFailure(parsed)) assert.include(parsed.failure.message, "2024-Q1")
    }
  })

  it("formats the shortest form, which reads back as the same period", () => {
    assert.strictEqual(ReportingPeriod.format({ from: "2024-01-01", to: "2024-03-20" }), "2024-01-01..2024-03-20")
    assert.strictEqual(ReportingPeriod.format(ReportingPeriod.quarter(2024, 2)), "2024-Q2")
    assert.strictEqual(ReportingPeriod.format(ReportingPeriod.month(2024, 2)), "2024-02")
    assert.strictEqual(ReportingPeriod.format(ReportingPeriod.year(2025)), "2025")
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 400 }), (start, length) => {
        const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
        const period = { from: day(start), to: day(start + length) }
        return JSON.stringify(read(ReportingPeriod.format(period))) === JSON.stringify(period)
      })
    )
  })
})
