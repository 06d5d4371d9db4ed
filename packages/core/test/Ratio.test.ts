import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Ratio from "../src/Ratio.ts"

describe("Ratio", () => {
  it("has no ratio over zero", () => {
    expect(Ratio.make(0, 0)).toBeNull()
    expect(Ratio.make(3, 0)).toBeNull()
    expect(Ratio.make(3, -4)).toEqual({ numerator: -3, denominator: 4 })
  })

  it("subtracts exactly: the An Lão gap is 60 % − 156/3480", () => {
    const gap = Ratio.subtract(Ratio.percent(60), { numerator: 156, denominator: 3480 })
    expect(gap).toEqual({ numerator: 161, denominator: 290 }) // 0.6 − 13/290 = 161/290
    expect(Ratio.toPercentString(gap)).toBe("55.52")
  })

  it("prints a machine-readable percentage with a dot", () => {
    expect(Ratio.toPercentString({ numerator: 50, denominator: 399 })).toBe("12.53")
    expect(Ratio.toPercentString({ numerator: -2, denominator: 400 })).toBe("-0.50")
  })

  it("compares like the rationals it holds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        (a, b, c, d) => {
          const x = { numerator: a, denominator: b }
          const y = { numerator: c, denominator: d }
          const diff = Ratio.subtract(x, y)
          return Ratio.compare(x, y) === Math.sign(diff.numerator) && Ratio.compare(y, x) === -Ratio.compare(x, y)
        }
      )
    )
  })
})
