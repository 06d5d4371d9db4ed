import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as AdministrativeUnit from "../src/AdministrativeUnit.ts"

const decode = Schema.decodeUnknownResult(AdministrativeUnit.UnitHistory)

const unit = (overrides: Partial<AdministrativeUnit.AdministrativeUnit> & { code: string }) => ({
  agencyCode: null,
  name: overrides.code,
  level: "commune",
  kind: "area",
  parent: null,
  validFrom: "2024-01-01",
  validUntil: null,
  ...overrides
})

/** A small, clearly synthetic two-tier reform: province P, district D until 2025-07-01, commune C moved under P. */
const reform = [
  unit({ code: "p", level: "province" }),
  unit({ code: "p.d", level: "district", parent: "p", validUntil: "2025-07-01" }),
  unit({ code: "p.d.office", level: "district", kind: "agency", parent: "p.d", validUntil: "2025-07-01" }),
  unit({ code: "p.c", parent: "p.d", validUntil: "2025-07-01" }),
  unit({ code: "p.c", parent: "p", validFrom: "2025-07-01" })
]

const failure = (input: unknown): string => {
  const r = decode(input)
  return Result.isFailure(r) ? r.failure.message : "decoded"
}

describe("AdministrativeUnit", () => {
  it("ships An Lão with the units of Appendix I, named and ordered as in the seed", () => {
    const tree = AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, "2024-03-20")
    const under = AdministrativeUnit.descendants(tree, AdministrativeUnit.AN_LAO)
    expect(under.filter((u) => u.level === "district").map((u) => u.name)).toEqual([
      "Phòng Tư pháp",
      "Phòng Nội vụ",
      "Chi nhánh VPĐKĐĐ huyện",
      "Phòng TN&MT",
      "Phòng GD&ĐT",
      "Phòng Y tế",
      "Phòng KT&HT",
      "Hạt Kiểm lâm huyện",
      "Phòng TC-KH"
    ])
    expect(under.filter((u) => u.level === "commune").map((u) => u.name)).toEqual([
      "UBND Thị trấn An Lão",
      "UBND xã An Dũng",
      "UBND xã An Hòa",
      "UBND xã An Hưng",
      "UBND xã An Nghĩa",
      "UBND xã An Quang",
      "UBND xã An Tân",
      "UBND xã An Trung",
      "UBND xã An Toàn",
      "UBND xã An Vinh"
    ])
    expect(under.every((u) => u.parent === AdministrativeUnit.AN_LAO)).toBe(true)
    expect(AdministrativeUnit.ancestors(tree, "binh-dinh.an-lao.an-hoa").map((u) => u.name)).toEqual([
      "Huyện An Lão",
      "Tỉnh Bình Định"
    ])
  })

  it("stores names in NFC so that searching and aligning behave", () => {
    for (const u of AdministrativeUnit.binhDinhAnLao) expect(u.name).toBe(u.name.normalize("NFC"))
  })

  it("gives the tree in force on a date, with the levels it had then", () => {
    const history = Schema.decodeUnknownSync(AdministrativeUnit.UnitHistory)(reform)
    const before = AdministrativeUnit.asOf(history, "2025-06-30")
    const after = AdministrativeUnit.asOf(history, "2025-07-01")
    expect(before.units.map((u) => u.code)).toEqual(["p", "p.d", "p.d.office", "p.c"])
    expect(AdministrativeUnit.get(before, "p.c")?.parent).toBe("p.d")
    expect(AdministrativeUnit.descendants(before, "p").map((u) => u.level)).toEqual(["district", "district", "commune"])
    expect(after.units.map((u) => u.code)).toEqual(["p", "p.c"])
    expect(AdministrativeUnit.get(after, "p.c")?.parent).toBe("p")
    expect(AdministrativeUnit.children(after, "p").map((u) => u.code)).toEqual(["p.c"])
    expect(AdministrativeUnit.changesWithin(history, "2025-06-01", "2025-07-31")).toEqual(["2025-07-01"])
    expect(AdministrativeUnit.changesWithin(history, "2025-07-01", "2025-07-31")).toEqual([])
  })

  it("closes the shipped An Lão units at the 1 July 2025 reform", () => {
    expect(AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, "2025-06-30").units).toHaveLength(21)
    expect(AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, "2025-07-01").units).toHaveLength(0)
  })

  it("rejects overlapping versions of a unit", () => {
    expect(failure([
      unit({ code: "p", level: "province" }),
      unit({ code: "p.c", parent: "p", validUntil: "2025-01-01" }),
      unit({ code: "p.c", parent: "p", validFrom: "2024-06-01" })
    ])).toMatch(/overlaps/)
  })

  it("rejects a parent that is missing or not in force for the child's whole life", () => {
    expect(failure([unit({ code: "x.c", parent: "x" })])).toMatch(/not in the data/)
    expect(failure([
      unit({ code: "p", level: "province", validUntil: "2025-07-01" }),
      unit({ code: "p.c", parent: "p" })
    ])).toMatch(/not in force on 2025-07-01/)
  })

  it("rejects nesting that breaks province > district > commune or puts an agency at another level", () => {
    expect(failure([
      unit({ code: "p", level: "province" }),
      unit({ code: "p.c", parent: "p" }),
      unit({ code: "p.c.d", level: "district", parent: "p.c" })
    ])).toMatch(/cannot sit under/)
    expect(failure([
      unit({ code: "p", level: "province" }),
      unit({ code: "p.d", level: "district", parent: "p" }),
      unit({ code: "p.d.o", level: "commune", kind: "agency", parent: "p.d" })
    ])).toMatch(/reports at its parent's level/)
    expect(failure([unit({ code: "c" })])).toMatch(/not a province/)
  })

  it("rejects malformed unit data", () => {
    expect(failure([unit({ code: "p", level: "province", validFrom: "2024-02-30" })])).not.toBe("decoded")
    expect(failure([unit({ code: "p", level: "province", agencyCode: "H08" })])).not.toBe("decoded")
    expect(failure([unit({ code: "p", level: "province", validUntil: "2023-01-01" })])).toMatch(/ends before it starts/)
  })

  describe("where the data ends", () => {
    const shipped = AdministrativeUnit.binhDinhAnLao

    it("ships units only up to 1 July 2025: no tree after the reform", () => {
      expect(new Set(shipped.map((u) => u.validUntil))).toEqual(new Set(["2025-07-01"]))
      expect(AdministrativeUnit.asOf(shipped, "2025-06-30").units.length).toBe(shipped.length)
      expect(AdministrativeUnit.asOf(shipped, "2025-07-01").units).toEqual([])
    })

    it("says why a unit is not in force, and what to do when the data simply ends", () => {
      expect(AdministrativeUnit.notInForce(shipped, AdministrativeUnit.AN_LAO, "2025-06-30")).toBeUndefined()
      const after = AdministrativeUnit.notInForce(shipped, AdministrativeUnit.AN_LAO, "2025-08-31")
      expect(after).toMatch(/^binh-dinh\.an-lao \(Huyện An Lão\) ceased on 2025-07-01, where the unit data ends: /)
      expect(after).toContain("Unit data after 1 July 2025")
      expect(after).toContain("--units FILE --root CODE")
      expect(AdministrativeUnit.notInForce(shipped, AdministrativeUnit.AN_LAO, "2023-12-31")).toMatch(/only from 2024-01-01/)
      expect(AdministrativeUnit.notInForce(shipped, "nowhere", "2024-03-20")).toBe("there is no unit nowhere in the unit data")
      // in data that goes on past the reform, the district still ceased, but the data does not end there
      const history = Schema.decodeUnknownSync(AdministrativeUnit.UnitHistory)(reform)
      const district = AdministrativeUnit.notInForce(history, "p.d", "2025-08-01")
      expect(district).toMatch(/^p\.d \(p\.d\) ceased on 2025-07-01: after that date report on the units that succeeded it/)
      expect(AdministrativeUnit.notInForce(history, "p.c", "2025-08-01")).toBeUndefined()
    })
  })
})
