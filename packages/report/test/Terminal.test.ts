import { describe, expect, it } from "@effect/vitest"
import { Terminal } from "../src/index.ts"
import { anLaoReport } from "./utils/anLao.ts"

const columns = (s: string) => [...s].length

describe("Terminal", () => {
  const text = Terminal.render(anLaoReport)
  const lines = text.split("\n")

  it("shows the title, unit, period and both level tables with Vietnamese labels", () => {
    expect(lines[0]).toBe("TỶ LỆ KHAI THÁC, SỬ DỤNG LẠI THÔNG TIN SỐ HÓA")
    expect(lines[1]).toBe("Huyện An Lão — Kỳ báo cáo: từ 01/01/2024 đến 20/03/2024")
    expect(text).toContain("I. CẤP HUYỆN")
    expect(text).toContain("II. CẤP XÃ")
  })

  it("prints the Appendix I figures, vi-VN style", () => {
    const row = (name: string) => lines.find((l) => l.includes(name))!.split(/\s{2,}/).map((c) => c.trim())
    expect(row("Phòng Tư pháp")).toEqual(["1", "Phòng Tư pháp", "306", "1", "1", "0", "0,33"])
    expect(row("Hạt Kiểm lâm huyện").at(-1)).toBe("—")
    expect(row("UBND xã An Hòa")).toEqual(["3", "UBND xã An Hòa", "461", "66", "44", "33", "14,32"])
    expect(row("Toàn huyện")).toEqual(["", "Toàn huyện", "3.480", "156", "107", "77", "4,48"])
    const totals = lines.filter((l) => l.includes("Tổng số")).map((l) => l.split(/\s{2,}/).map((c) => c.trim()))
    expect(totals.map((t) => [t[2], t[3], t.at(-1)])).toEqual([["1.246", "21", "1,69"], ["2.234", "135", "6,04"]])
    expect(text).toContain("Chỉ tiêu: 60,00 % (Quyết định số 235/QĐ-UBND ngày 18/01/2024 của Chủ tịch UBND tỉnh Bình Định)")
    expect(text).toContain("Còn thiếu so với chỉ tiêu: 55,52 điểm phần trăm")
    expect(text).toContain(`Computed from log position 4242, head hash ${"3f".repeat(32)}`)
  })

  it("aligns the rate column: every table line ends at the same column", () => {
    const table = lines.filter((l) => /\d,\d\d$|—$| 0$|Tỷ lệ \(%\)$/.test(l))
    expect(table.length).toBe(19 + 2 + 1 + 2)
    expect(new Set(table.map(columns)).size).toBe(1)
  })

  it("aligns decomposed (NFD) names like precomposed ones", () => {
    const nfd = {
      ...anLaoReport,
      levels: anLaoReport.levels.map((l) => ({ ...l, rows: l.rows.map((r) => ({ ...r, name: r.name.normalize("NFD") })) }))
    }
    expect(Terminal.render(nfd)).toBe(text)
  })
})
