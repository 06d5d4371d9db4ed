import { describe, expect, it } from "@effect/vitest"
import { AdministrativeUnit } from "@kho/core"
import { Effect, Schema } from "effect"
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs"
import { Pdf } from "../src/index.ts"
import { anLaoReport, build } from "./utils/anLao.ts"

/** The text of each page, as a PDF reader extracts it (through the fonts' ToUnicode maps). */
const pageTexts = async (bytes: Uint8Array): Promise<Array<string>> => {
  const task = getDocument({ data: bytes.slice(), useSystemFonts: false })
  const doc = await task.promise
  const pages: Array<string> = []
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent()
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join("\n"))
  }
  await task.destroy()
  return pages
}

describe("Pdf", () => {
  it.effect("renders Appendix I with its Vietnamese text intact", () =>
    Effect.gen(function*() {
      const bytes = yield* Pdf.render(anLaoReport)
      expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-")
      const pages = yield* Effect.promise(() => pageTexts(bytes))
      expect(pages).toHaveLength(1)
      const lines = pages[0]!.normalize("NFC").split("\n")
      for (const expected of [
        "TỶ LỆ KHAI THÁC, SỬ DỤNG LẠI THÔNG TIN SỐ HÓA",
        "I. CẤP HUYỆN",
        "II. CẤP XÃ",
        "Phòng Tư pháp",
        "Chi nhánh VPĐKĐĐ huyện",
        "Hạt Kiểm lâm huyện",
        "UBND Thị trấn An Lão",
        "UBND xã An Hòa",
        "UBND xã An Nghĩa",
        "Toàn huyện",
        "1.246",
        "2.234",
        "3.480",
        "12,53",
        "4,48",
        "—"
      ]) expect(lines).toContain(expected)
      const text = lines.join(" ")
      expect(text).toContain("Tỷ lệ khai thác, sử dụng lại")
      expect(text).toContain("Huyện An Lão — Kỳ báo cáo: từ 01/01/2024 đến 20/03/2024")
      expect(text).toContain("Còn thiếu so với chỉ tiêu: 55,52 điểm phần trăm")
      expect(text).toContain(`Computed from log position 4242, head hash ${"3f".repeat(32)}`)
      expect(text).toContain(`Tính từ nhật ký sự kiện đến vị trí 4.242, mã băm đầu ${"3f".repeat(32)}`)
    }))

  it.effect("gives the same bytes for the same report", () =>
    Effect.gen(function*() {
      const a = yield* Pdf.render(anLaoReport)
      const b = yield* Pdf.render(anLaoReport)
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
    }))

  it.effect("continues a long table on further pages, each with the header and the provenance footer", () =>
    Effect.gen(function*() {
      const communes = Array.from({ length: 70 }, (_, i) => ({
        code: `p.d.c${i}`,
        agencyCode: null,
        name: `UBND xã Thử Nghiệm ${i + 1}`,
        level: "commune",
        kind: "area",
        parent: "p.d",
        validFrom: "2024-01-01",
        validUntil: null
      }))
      const units = Schema.decodeUnknownSync(AdministrativeUnit.UnitHistory)([
        { code: "p", agencyCode: null, name: "Tỉnh Thử", level: "province", kind: "area", parent: null, validFrom: "2024-01-01", validUntil: null },
        { code: "p.d", agencyCode: null, name: "Huyện Thử", level: "district", kind: "area", parent: "p", validFrom: "2024-01-01", validUntil: null },
        ...communes
      ])
      const counts = Object.fromEntries(communes.map((c, i) => [c.code, { received: 10 + i, reused: i % 5, reusedFromStore: 0, reusedFromEarlierDossier: 0 }]))
      const report = build({ units, root: "p.d", counts, targets: [] })
      const pages = yield* Effect.promise(() => Pdf.render(report).pipe(Effect.runPromise).then(pageTexts))
      expect(pages.length).toBeGreaterThan(1)
      pages.forEach((page, i) => {
        expect(page).toContain("Cơ quan, đơn vị")
        expect(page).toContain(`Computed from log position 4242`)
        expect(page).toContain(`Trang ${i + 1}/${pages.length}`)
      })
      const all = pages.join("\n").split("\n")
      for (const c of communes) expect(all).toContain(c.name)
      expect(all).toContain("Toàn huyện")
      expect(all.join(" ")).not.toContain("Chỉ tiêu")
    }))
})
