import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as AdministrativeUnit from "../src/AdministrativeUnit.ts"
import * as Target from "../src/Target.ts"

const tree = AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, "2024-03-20")
const q1 = { from: "2024-01-01", to: "2024-03-20" }
const source = { document: "x/QĐ-UBND", date: "2024-02-01", issuer: "test" }
const target = (scope: Target.Scope, numerator: number, period = { from: "2024-01-01", to: "2024-12-31" }): Target.Target =>
  ({ indicator: "reuse-rate", scope, period, value: { numerator, denominator: 100 }, source })

describe("Target", () => {
  it("ships An Lão's 60 % for 2024 from decision 235/QĐ-UBND of 18/01/2024", () => {
    const t = Target.find(Target.anLao2024, { indicator: "reuse-rate", tree, unit: AdministrativeUnit.AN_LAO, period: q1 })
    expect(t?.value).toEqual({ numerator: 60, denominator: 100 })
    expect(t?.source).toEqual({ document: "235/QĐ-UBND", date: "2024-01-18", issuer: "Chủ tịch UBND tỉnh Bình Định" })
  })

  it("applies a unit's target to the units under it", () => {
    const t = Target.find(Target.anLao2024, { indicator: "reuse-rate", tree, unit: "binh-dinh.an-lao.an-hoa", period: q1 })
    expect(t?.source.document).toBe("235/QĐ-UBND")
  })

  it("prefers the unit's own target, then a level target, then an ancestor's", () => {
    const targets = [
      target({ _tag: "Unit", code: "binh-dinh" }, 50),
      target({ _tag: "Level", level: "commune", within: "binh-dinh.an-lao" }, 70),
      target({ _tag: "Unit", code: "binh-dinh.an-lao.an-hoa" }, 80)
    ]
    const find = (unit: string) => Target.find(targets, { indicator: "reuse-rate", tree, unit, period: q1 })?.value.numerator
    expect(find("binh-dinh.an-lao.an-hoa")).toBe(80)
    expect(find("binh-dinh.an-lao.an-tan")).toBe(70)
    expect(find("binh-dinh.an-lao.phong-tu-phap")).toBe(50)
    expect(find("binh-dinh.an-lao")).toBe(50)
    expect(find("nowhere")).toBeUndefined()
  })

  it("applies only when it covers the whole period and the indicator matches", () => {
    const targets = [target({ _tag: "Unit", code: "binh-dinh.an-lao" }, 60, { from: "2024-02-01", to: "2024-12-31" })]
    expect(Target.find(targets, { indicator: "reuse-rate", tree, unit: "binh-dinh.an-lao", period: q1 })).toBeUndefined()
    expect(Target.find(Target.anLao2024, { indicator: "digitised-dossier", tree, unit: "binh-dinh.an-lao", period: q1 }))
      .toBeUndefined()
    expect(Target.find(Target.anLao2024, {
      indicator: "reuse-rate",
      tree,
      unit: "binh-dinh.an-lao",
      period: { from: "2024-12-01", to: "2025-01-31" }
    })).toBeUndefined()
  })

  it("rejects a target with a zero denominator or a reversed period", () => {
    const decode = Schema.decodeUnknownSync(Target.Target)
    expect(() => decode({ ...target({ _tag: "Unit", code: "u" }, 60), value: { numerator: 60, denominator: 0 } })).toThrow()
    expect(() => decode(target({ _tag: "Unit", code: "u" }, 60, { from: "2024-12-31", to: "2024-01-01" }))).toThrow(/must not end/)
  })
})
