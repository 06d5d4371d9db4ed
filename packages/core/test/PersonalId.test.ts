import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import { provinces } from "../src/data/provinces.ts"
import * as PersonalId from "../src/PersonalId.ts"
import { ok, fail } from "./utils/result.ts"

describe("PersonalId", () => {
  it("ships the 63 provinces with distinct 3-digit codes", () => {
    expect(provinces).toHaveLength(63)
    expect(new Set(provinces.map(([code]) => code)).size).toBe(63)
    expect(provinces.every(([code]) => /^\d{3}$/.test(code))).toBe(true)
  })

  it.each([
    ["052090000495", "052", "Bình Định", "male", 1990],
    ["001185012345", "001", "Hà Nội", "female", 1985],
    ["079201012345", "079", "Hồ Chí Minh", "male", 2001],
    ["096312000001", "096", "Cà Mau", "female", 2012],
    ["048599000001", "048", "Đà Nẵng", "female", 2199],
    ["001800000000", "001", "Hà Nội", "male", 2300]
  ] as const)("decodes %s", (input, code, name, sex, birthYear) => {
    const decoded = PersonalId.decode(ok(PersonalId.parse(input)))
    expect(decoded.province).toEqual({ code, name })
    expect(decoded.sex).toBe(sex)
    expect(decoded.birthYear).toBe(birthYear)
  })

  it.each([
    ["05209000049", "12 digits"],
    ["0520900004950", "12 digits"],
    ["05209000049a", "12 digits"],
    [" 052090000495", "12 digits"],
    ["003090000495", "not a province code"],
    ["099090000495", "not a province code"],
    ["000090000495", "not a province code"]
  ])("refuses %s (%s)", (input, why) => {
    const error = fail(PersonalId.parse(input))
    expect(error._tag).toBe("InvalidPersonalId")
    expect(error.message).toContain(why)
  })

  it("works as a Schema brand", () => {
    expect(Schema.is(PersonalId.PersonalId)("052090000495")).toBe(true)
    expect(() => Schema.decodeUnknownSync(PersonalId.PersonalId)("123")).toThrow()
  })

  it("decodes the century digit for every province and year", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...provinces.map(([code]) => code)),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 999_999 }),
        (province, g, yy, serial) => {
          const input = `${province}${g}${String(yy).padStart(2, "0")}${String(serial).padStart(6, "0")}`
          const decoded = PersonalId.decode(ok(PersonalId.parse(input)))
          expect(decoded.birthYear).toBe(1900 + 100 * Math.floor(g / 2) + yy)
          expect(decoded.sex).toBe(g % 2 === 0 ? "male" : "female")
        }
      )
    )
  })
})
