import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as TaxCode from "../src/TaxCode.ts"
import { ok, fail } from "./utils/result.ts"

describe("TaxCode", () => {
  it.each(["0100109106", "0101248141", "0300588569", "0100109106-001"])("accepts %s", (input) => {
    expect(ok(TaxCode.parse(input))).toBe(input)
  })

  it("splits a branch code", () => {
    expect(TaxCode.decode(ok(TaxCode.parse("0100109106-012")))).toEqual({ enterprise: "0100109106", branch: "012" })
    expect(TaxCode.decode(ok(TaxCode.parse("0100109106"))).branch).toBeNull()
  })

  it.each([
    ["0100109107", "check digit"],
    ["010010910", "10 digits"],
    ["0100109106-1", "10 digits"],
    ["0100109106-000", "001 to 999"],
    ["01001091066", "10 digits"]
  ])("refuses %s (%s)", (input, why) => {
    expect(fail(TaxCode.parse(input)).message).toContain(why)
  })

  it("detects every single-digit typo in the check digit", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 1, max: 9 }), (nine, delta) => {
        const check = TaxCode.checkDigit(nine)
        fc.pre(check !== null)
        expect(TaxCode.isTaxCode(`${nine}${check}`)).toBe(true)
        expect(TaxCode.isTaxCode(`${nine}${(check! + delta) % 10}`)).toBe(false)
      })
    )
  })
})
