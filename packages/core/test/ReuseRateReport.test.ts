import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as AdministrativeUnit from "../src/AdministrativeUnit.ts"
import { GENESIS_HASH } from "../src/HashChain.ts"
import * as ReuseRateReport from "../src/ReuseRateReport.ts"
import * as Target from "../src/Target.ts"
import * as VietnameseFormat from "../src/VietnameseFormat.ts"

// The seed does not split reuse by source: the tests pick a split that respects the invariants.
const counts = new Map(
  ReuseRateReport.seedAppendixI.figures.map((f): [string, ReuseRateReport.Counts] => [f.code, {
    received: f.received,
    reused: f.reused,
    reusedFromStore: f.reused - Math.floor(f.reused / 3),
    reusedFromEarlierDossier: Math.floor(f.reused / 2)
  }])
)
const head = { position: 4242, headHash: "ab".repeat(32) }
const input: ReuseRateReport.Input = {
  period: ReuseRateReport.seedAppendixI.period,
  units: AdministrativeUnit.binhDinhAnLao,
  root: AdministrativeUnit.AN_LAO,
  counts,
  targets: Target.anLao2024,
  computedFrom: head
}
const build = (i: ReuseRateReport.Input = input) => {
  const r = ReuseRateReport.make(i)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}
const failure = (i: ReuseRateReport.Input) => {
  const r = ReuseRateReport.make(i)
  return Result.isFailure(r) ? r.failure : undefined
}
const shown = (c: ReuseRateReport.Counts) =>
  [VietnameseFormat.integer(c.received), VietnameseFormat.integer(c.reused), VietnameseFormat.percent(ReuseRateReport.rate(c))]

describe("ReuseRateReport", () => {
  it("reproduces Appendix I: district level 1.246 / 21 / 1,69", () => {
    const report = build()
    const district = report.levels[0]!
    expect(district.level).toBe("district")
    expect(district.rows.map((r) => [r.name, ...shown(r.counts)])).toEqual([
      ["Phòng Tư pháp", "306", "1", "0,33"],
      ["Phòng Nội vụ", "3", "0", "0"],
      ["Chi nhánh VPĐKĐĐ huyện", "818", "20", "2,44"],
      ["Phòng TN&MT", "37", "0", "0"],
      ["Phòng GD&ĐT", "15", "0", "0"],
      ["Phòng Y tế", "1", "0", "0"],
      ["Phòng KT&HT", "44", "0", "0"],
      ["Hạt Kiểm lâm huyện", "0", "0", "—"],
      ["Phòng TC-KH", "22", "0", "0"]
    ])
    expect(shown(district.total)).toEqual(["1.246", "21", "1,69"])
  })

  it("reproduces Appendix I: commune level 2.234 / 135 / 6,04 and the whole district 3.480 / 156 / 4,48", () => {
    const report = build()
    const commune = report.levels[1]!
    expect(commune.level).toBe("commune")
    expect(commune.rows.map((r) => [r.name, ...shown(r.counts)])).toEqual([
      ["UBND Thị trấn An Lão", "399", "50", "12,53"],
      ["UBND xã An Dũng", "98", "0", "0"],
      ["UBND xã An Hòa", "461", "66", "14,32"],
      ["UBND xã An Hưng", "168", "0", "0"],
      ["UBND xã An Nghĩa", "91", "0", "0"],
      ["UBND xã An Quang", "126", "0", "0"],
      ["UBND xã An Tân", "400", "2", "0,50"],
      ["UBND xã An Trung", "179", "17", "9,50"],
      ["UBND xã An Toàn", "47", "0", "0"],
      ["UBND xã An Vinh", "265", "0", "0"]
    ])
    expect(shown(commune.total)).toEqual(["2.234", "135", "6,04"])
    expect(shown(report.total)).toEqual(["3.480", "156", "4,48"])
    expect(report.levels).toHaveLength(2)
  })

  it("carries the target, its source, the gap and the log head", () => {
    const report = build()
    expect(report.root).toEqual({ code: "binh-dinh.an-lao", name: "Huyện An Lão", level: "district" })
    expect(report.target?.source.document).toBe("235/QĐ-UBND")
    expect(VietnameseFormat.percent(report.target!.value)).toBe("60,00")
    expect(VietnameseFormat.percent(ReuseRateReport.gap(report))).toBe("55,52")
    expect(report.computedFrom).toEqual(head)
    expect(report.unitsAsOf).toBe("2024-03-20")
  })

  it("keeps the breakdown by source beside the numerator", () => {
    const report = build()
    expect(report.total.reusedFromStore).toBe([...counts.values()].reduce((s, c) => s + c.reusedFromStore, 0))
    expect(report.total.reusedFromEarlierDossier).toBe([...counts.values()].reduce((s, c) => s + c.reusedFromEarlierDossier, 0))
  })

  it("accepts a plain object as the counts map and treats missing units as zero", () => {
    const report = build({ ...input, counts: { "binh-dinh.an-lao.an-hoa": counts.get("binh-dinh.an-lao.an-hoa")! } })
    expect(shown(report.total)).toEqual(["461", "66", "14,32"])
    expect(shown(report.levels[0]!.total)).toEqual(["0", "0", "—"])
  })

  it("has neither target nor gap when no target applies, and no rate without dossiers", () => {
    const report = build({ ...input, targets: [], counts: new Map() })
    expect(report.target).toBeNull()
    expect(ReuseRateReport.gap(report)).toBeNull()
    expect(ReuseRateReport.rate(report.total)).toBeNull()
  })

  it("refuses counts for a unit outside the tree rather than dropping them", () => {
    const e = failure({ ...input, counts: new Map([...counts, ["binh-dinh.hoai-nhon.x", ReuseRateReport.zero]]) })
    expect(e?.reason).toBe("UnknownUnit")
    expect(e?.message).toMatch(/binh-dinh\.hoai-nhon\.x.*Huyện An Lão/)
    expect(failure({ ...input, counts: { [AdministrativeUnit.AN_LAO]: ReuseRateReport.zero } })?.reason).toBe("UnknownUnit")
  })

  it("refuses inconsistent counts", () => {
    const bad = { received: 1, reused: 2, reusedFromStore: 0, reusedFromEarlierDossier: 0 }
    const e = failure({ ...input, counts: { "binh-dinh.an-lao.an-hoa": bad } })
    expect(e?.reason).toBe("InvalidCounts")
    expect(e?.message).toMatch(/reused \(2\) exceeds received \(1\)/)
  })

  it("refuses a period over which the unit tree changes, and an unknown root", () => {
    const e = failure({ ...input, period: { from: "2025-06-01", to: "2025-07-31" }, counts: {} })
    expect(e?.reason).toBe("ReorganisedDuringPeriod")
    expect(e?.message).toMatch(/2025-07-01/)
    expect(failure({ ...input, period: { from: "2025-08-01", to: "2025-08-31" }, counts: {} })?.reason).toBe("UnknownRoot")
  })

  it("round-trips through its JSON form", () => {
    const report = build()
    const json = Schema.encodeSync(ReuseRateReport.ReuseRateReportFromJson)(report)
    expect(json).toContain("\"Phòng Tư pháp\"")
    expect(Schema.decodeUnknownSync(ReuseRateReport.ReuseRateReportFromJson)(json)).toEqual(report)
  })

  it("rejects a published JSON whose totals were edited", () => {
    const report = build()
    const decode = Schema.decodeUnknownResult(ReuseRateReport.ReuseRateReportFromJson)
    const edit = (f: (r: any) => void) => {
      const copy = JSON.parse(JSON.stringify(report))
      f(copy)
      return Result.isFailure(decode(JSON.stringify(copy)))
    }
    expect(edit(() => {})).toBe(false)
    expect(edit((r) => (r.levels[0].rows[0].counts.reused = 2))).toBe(true) // row no longer sums to the level total
    expect(edit((r) => (r.total.reused = 157))).toBe(true)
    expect(edit((r) => (r.computedFrom = { position: 0, headHash: "ab".repeat(32) }))).toBe(true)
    expect(edit((r) => (r.computedFrom = { position: 0, headHash: GENESIS_HASH }))).toBe(false)
    expect(edit((r) => r.levels.reverse())).toBe(true)
  })
})
