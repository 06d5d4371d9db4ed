import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Ratio from "../src/Ratio.ts"
import * as VietnameseFormat from "../src/VietnameseFormat.ts"

describe("VietnameseFormat", () => {
  it("groups thousands with dots", () => {
    expect(VietnameseFormat.integer(0)).toBe("0")
    expect(VietnameseFormat.integer(999)).toBe("999")
    expect(VietnameseFormat.integer(1246)).toBe("1.246")
    expect(VietnameseFormat.integer(3480)).toBe("3.480")
    expect(VietnameseFormat.integer(1234567)).toBe("1.234.567")
    expect(VietnameseFormat.integer(-2234)).toBe("-2.234")
    expect(VietnameseFormat.integer(10n ** 15n)).toBe("1.000.000.000.000.000")
    expect(() => VietnameseFormat.integer(1.5)).toThrow(RangeError)
  })

  it.each([
    [21, 1246, "1,69"],
    [156, 3480, "4,48"],
    [1, 306, "0,33"],
    [50, 399, "12,53"],
    [66, 461, "14,32"],
    [2, 400, "0,50"],
    [17, 179, "9,50"],
    [135, 2234, "6,04"],
    [20, 818, "2,44"]
  ])("formats the Appendix I rate %i/%i as %s", (n, d, expected) => {
    expect(VietnameseFormat.rate(n, d)).toBe(expected)
  })

  it("prints 0 for none of some and — when there is nothing to divide", () => {
    expect(VietnameseFormat.rate(0, 98)).toBe("0")
    expect(VietnameseFormat.rate(0, 0)).toBe(VietnameseFormat.NOT_APPLICABLE)
    expect(VietnameseFormat.NOT_APPLICABLE).toBe("—")
    expect(VietnameseFormat.percent(null)).toBe("—")
  })

  it("rounds a true half up, where floating point rounds it down", () => {
    // 201/20000 = 1,005 % exactly; (201 / 20000 * 100).toFixed(2) gives "1.00"
    expect(VietnameseFormat.rate(201, 20000)).toBe("1,01")
    expect(VietnameseFormat.rate(1, 800)).toBe("0,13") // 0,125
    expect(VietnameseFormat.rate(1, 1600)).toBe("0,06") // 0,0625
    expect(VietnameseFormat.rate(1, 8)).toBe("12,50")
    expect(VietnameseFormat.rate(1, 1)).toBe("100,00")
    expect(VietnameseFormat.rate(1, 1_000_000)).toBe("0,00")
  })

  it("rounds negatives away from zero and groups large percentages", () => {
    expect(VietnameseFormat.percent({ numerator: -201, denominator: 20000 })).toBe("-1,01")
    expect(VietnameseFormat.percent({ numerator: 12345, denominator: 1 })).toBe("1.234.500,00")
  })

  it("is within half a hundredth of the exact percentage, ties going up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (d, k) => {
        const n = k % (d + 1)
        const h = Ratio.toPercentHundredths({ numerator: n, denominator: d })
        // h is the unique integer with  h - 1/2 <= 10000 n / d < h + 1/2
        const twice = 20000n * BigInt(n)
        const dd = BigInt(d)
        return (2n * h - 1n) * dd <= twice && twice < (2n * h + 1n) * dd
      })
    )
  })

  it("writes dates the Vietnamese way", () => {
    expect(VietnameseFormat.date("2024-03-20")).toBe("20/03/2024")
    expect(() => VietnameseFormat.date("2024-02-30")).toThrow(RangeError)
  })
})
