import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as DocumentCode from "../src/DocumentCode.ts"
import * as ResultTypeCode from "../src/ResultTypeCode.ts"
import { ok } from "./utils/result.ts"

describe("DocumentCode", () => {
  it("reads the seed's example", () => {
    expect(DocumentCode.parse("052090000495.KQ.G15.000021.02022024")).toEqual({
      raw: "052090000495.KQ.G15.000021.02022024",
      ownerId: "052090000495",
      ownerIdKind: "PersonalId",
      resultType: "KQ.G15.000021",
      suffix: "02022024",
      issuedOn: "2024-02-02",
      wellFormed: true
    })
  })

  it("reads the seed's irregular codes leniently", () => {
    const placeholder = DocumentCode.parse("00000000000.KQ.G01.000023")
    expect(placeholder).toMatchObject({ ownerId: "00000000000", ownerIdKind: null, resultType: "KQ.G01.000023" })
    expect(placeholder.wellFormed).toBe(false)
    const store = DocumentCode.parse("052098000814.KQ.G02.000144.CS10387")
    expect(store).toMatchObject({ ownerIdKind: "PersonalId", suffix: "CS10387", issuedOn: null, wellFormed: false })
    expect(DocumentCode.parse("205404812.KQ.G01.000005.CS10387").ownerIdKind).toBe("LegacyId")
    expect(DocumentCode.parse("052090000495.KQ.G15.000021.31022024").issuedOn).toBeNull()
  })

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const parts = DocumentCode.parse(input)
        expect(parts.raw).toBe(input)
      })
    )
  })

  it("builds a code that parses back", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2099 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (year, month, day) => {
          const issuedOn = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`
          const code = DocumentCode.make("052090000495", ok(ResultTypeCode.parse("KQ.G15.000021")), issuedOn)
          expect(code).not.toBeNull()
          expect(DocumentCode.parse(code!)).toMatchObject({ issuedOn, wellFormed: true })
        }
      )
    )
    expect(DocumentCode.make("052090000495", ok(ResultTypeCode.parse("KQ.G15.000021")), "2024-02-30")).toBeNull()
  })

  it("finds the code a downloaded result's name starts with", () => {
    expect(DocumentCode.fromName("052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính"))
      .toBe("052090000495.KQ.G15.000021.02022024")
    expect(DocumentCode.fromName("205404812.KQ.G01.000005.Thẻ căn cước công dân")).toBe("205404812.KQ.G01.000005")
    expect(DocumentCode.fromName("Giấy khai sinh")).toBeNull()
  })
})
