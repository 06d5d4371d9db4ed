import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as Category from "../src/Category.ts"
import { procedures } from "../src/data/procedures.ts"
import * as Procedure from "../src/Procedure.ts"

const refused = (data: unknown): Procedure.InvalidProcedureCatalog => {
  const result = Procedure.load(data)
  if (Result.isSuccess(result)) throw new Error("expected the catalog to be refused")
  expect(result.failure._tag).toBe("InvalidProcedureCatalog")
  return result.failure
}

/** A deep, mutable copy of a shipped entry, to break. */
const entry = (code: string): any => structuredClone(procedures.find((p) => p.code === code))

const marriage = () => Procedure.defaultCatalog.get("1.000894")!

describe("Procedure", () => {
  it("loads the built-in catalog: birth, marriage, marital status, certified copy, criminal record, …", () => {
    const catalog = Procedure.defaultCatalog
    expect(catalog.entries).toHaveLength(procedures.length)
    const names = catalog.entries.map((p) => p.name)
    for (
      const name of [
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu"
      ]
    ) expect(names).toContain(name)
    expect(names.some((n) => n.startsWith("Chứng thực bản sao từ bản chính"))).toBe(true)
    expect(names.some((n) => n.includes("quyền sử dụng đất"))).toBe(true)
    expect(catalog.get("2.000815")?.cases[0].fee).toMatchObject({ _tag: "PerPage", maxVnd: 200000 })
    expect(catalog.get("nope")).toBeUndefined()
  })

  it("marks every code it does not know to be national as illustrative (9.9…)", () => {
    for (const p of Procedure.defaultCatalog.entries) {
      expect(p.code.startsWith(Procedure.illustrativePrefix)).toBe(p.codeSource === "illustrative")
    }
    expect(Procedure.defaultCatalog.entries.filter((p) => p.codeSource === "national").map((p) => p.code)).toEqual([
      "1.001193",
      "1.000894",
      "1.004873",
      "2.000815",
      "2.000648"
    ])
  })

  it("accepts only categories of the category catalog", () => {
    for (const p of Procedure.defaultCatalog.entries) {
      for (const r of p.requirements) {
        for (const code of r.categories) expect(Category.defaultCatalog.get(code)).toBeDefined()
      }
    }
  })

  it("states validity per procedure: the marital-status certificate, the criminal-record certificate", () => {
    expect(Procedure.requirement(marriage(), "xac-nhan-tinh-trang-hon-nhan")?.validity).toMatchObject({
      _tag: "FromIssueUntilStatusChange",
      period: { _tag: "Months", months: 6 }
    })
    const criminalRecord = Procedure.defaultCatalog.entries.flatMap((p) =>
      p.requirements.filter((r) => r.categories.includes("ly-lich-tu-phap-so-1" as never)).map((r) => r.validity)
    )
    expect(criminalRecord).toContainEqual(expect.objectContaining({ period: { _tag: "Months", months: 6 } }))
    expect(criminalRecord).toContainEqual(expect.objectContaining({ period: { _tag: "Days", days: 30 } }))
  })

  it("lists the components of a case", () => {
    const fuel = Procedure.defaultCatalog.get("2.000648")!
    expect(Procedure.requirementsFor(fuel, "cap-moi").map((r) => r.id)).toEqual(["don-de-nghi", "giay-to-tuy-than"])
    expect(Procedure.requirementsFor(fuel, "sua-doi").map((r) => r.id)).toEqual([
      "don-de-nghi",
      "giay-chung-nhan-da-cap",
      "giay-to-tuy-than"
    ])
    expect(Procedure.isReusable(Procedure.requirement(fuel, "don-de-nghi")!)).toBe(false)
    expect(Procedure.isReusable(Procedure.requirement(fuel, "giay-chung-nhan-da-cap")!)).toBe(true)
  })

  it("reads procedure codes, with or without an agency suffix", () => {
    expect(Procedure.codeProblem("2.000815")).toBeUndefined()
    expect(Procedure.codeProblem("2.000815.000.00.00.H55")).toBeUndefined()
    expect(Procedure.codeProblem("2.00081")).toContain("a digit, a dot, six digits")
    expect(Procedure.codeProblem("2.000815.000.20.00.H55")).toContain("agency part")
  })

  describe("refuses a bad entry with a typed error naming it", () => {
    it("a malformed field", () => {
      const bad = entry("1.000894")
      bad.requirements[1].form = "Photocopy"
      const error = refused([entry("1.001193"), bad])
      expect(error.entry).toBe("1.000894")
      expect(error.message).toContain("procedure 1.000894 is invalid")
      expect(error.message).toContain(`["requirements"][1]["form"]`)
    })

    it("a malformed code, named as written", () => {
      const bad = entry("1.001193")
      bad.code = "1-001193"
      const error = refused([bad])
      expect(error.entry).toBe("1-001193")
      expect(error.message).toContain("a digit, a dot, six digits")
    })

    it("an entry that is not a procedure, named by position", () => {
      const error = refused([entry("1.001193"), 42])
      expect(error.entry).toBe("#1")
    })

    it("a catalog that is not an array", () => {
      expect(refused({ procedures: [] }).entry).toBe("(catalog)")
    })

    it("a code listed twice", () => {
      expect(refused([entry("1.001193"), entry("1.001193")]).message).toContain("listed twice")
    })

    it("an unknown category", () => {
      const bad = entry("1.000894")
      bad.requirements[1].categories = ["giay-chung-nhan-ket-hon"]
      const error = refused([bad])
      expect(error.entry).toBe("1.000894")
      expect(error.message).toContain("giay-chung-nhan-ket-hon")
      expect(error.message).toContain("category catalog lacks")
    })

    it("an illustrative code that could pass for a real one, and the reverse", () => {
      const fake = entry("9.900001")
      fake.code = "2.001417"
      expect(refused([fake]).message).toContain("must start with 9.9")
      const real = entry("1.001193")
      real.code = "9.912345"
      expect(refused([real]).message).toContain("reserved for illustrative")
    })

    it("a component that silently waives a category's validity", () => {
      const bad = entry("9.900002")
      bad.requirements[2].validity = { _tag: "NoneByLaw" }
      const error = refused([bad])
      expect(error.entry).toBe("9.900002")
      expect(error.message).toContain("ly-lich-tu-phap-so-1")
      expect(error.message).toContain("set by each procedure")
      const marital = entry("1.000894")
      marital.requirements[1].validity = { _tag: "NoneByLaw" }
      expect(refused([marital]).message).toContain("6 months")
      marital.requirements[1].validity = { _tag: "NoneByLaw", basis: "stated on purpose" }
      expect(Result.isSuccess(Procedure.load([marital]))).toBe(true)
    })

    it("a component naming a case the procedure lacks, or listed twice", () => {
      const bad = entry("2.000648")
      bad.requirements[1].cases = ["cap-lai"]
      expect(refused([bad]).message).toContain("names case cap-lai")
      const twice = entry("1.001193")
      twice.requirements.push(twice.requirements[0])
      expect(refused([twice]).message).toContain("component to-khai is listed twice")
    })

    it("a case listed twice", () => {
      const bad = entry("1.000894")
      bad.cases[1].id = bad.cases[0].id
      expect(refused([bad]).message).toContain("case khong-xac-minh is listed twice")
    })
  })
})
