import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as AgencyCode from "../src/AgencyCode.ts"
import * as DossierNumber from "../src/DossierNumber.ts"
import { ok, fail } from "./utils/result.ts"

describe("DossierNumber", () => {
  it("formats and parses back", () => {
    const number = ok(DossierNumber.format({
      agencyCode: ok(AgencyCode.parse("000.20.33.H08")),
      receivedOn: "2024-03-20",
      sequence: 7
    }))
    expect(number).toBe("000.20.33.H08-240320-0007")
    expect(DossierNumber.decode(number)).toEqual({ agencyCode: "000.20.33.H08", receivedOn: "2024-03-20", sequence: 7 })
  })

  it("round-trips any valid parts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2099 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 1, max: 9999 }),
        (year, month, day, sequence) => {
          const parts = {
            agencyCode: ok(AgencyCode.parse("000.00.16.H08")),
            receivedOn: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
            sequence
          }
          expect(DossierNumber.decode(ok(DossierNumber.format(parts)))).toEqual(parts)
        }
      )
    )
  })

  it("refuses malformed numbers and parts", () => {
    for (const input of ["000.20.33.H08-240230-0001", "000.20.33.H08-240320-0000", "HS-240320-0001", "000.20.33.H08-240320-1"]) {
      expect(fail(DossierNumber.parse(input))._tag).toBe("InvalidDossierNumber")
    }
    const agencyCode = ok(AgencyCode.parse("000.20.33.H08"))
    expect(fail(DossierNumber.format({ agencyCode, receivedOn: "2024-03-20", sequence: 10_000 })).message).toContain("9999")
    expect(fail(DossierNumber.format({ agencyCode, receivedOn: "1999-03-20", sequence: 1 })).message).toContain("2000")
  })
})
