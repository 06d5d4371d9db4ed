import { describe, expect, it } from "@effect/vitest"
import { Csv } from "../src/index.ts"
import { anLaoReport } from "./utils/anLao.ts"

/** A small RFC 4180 reader, to check that the output parses back. */
const parse = (text: string): Array<Array<string>> => {
  const records: Array<Array<string>> = []
  let record: Array<string> = []
  let field = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === "\"" && text[i + 1] === "\"") {
        field += "\""
        i++
      } else if (c === "\"") quoted = false
      else field += c
    } else if (c === "\"") quoted = true
    else if (c === ",") {
      record.push(field)
      field = ""
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field)
      records.push(record)
      record = []
      field = ""
      i++
    } else field += c
  }
  expect(field).toBe("")
  expect(record).toEqual([])
  return records
}

describe("Csv", () => {
  const text = Csv.render(anLaoReport)

  it("starts with a UTF-8 byte-order mark and ends records with CRLF", () => {
    const bytes = Csv.encode(anLaoReport)
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(text.endsWith("\r\n")).toBe(true)
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/)
    expect(new TextDecoder().decode(bytes.slice(3))).toBe(text.slice(1))
  })

  it("quotes fields holding commas and parses back to the report's figures", () => {
    expect(text).toContain("\"Cơ quan, đơn vị\"")
    const records = parse(text.slice(Csv.BOM.length))
    expect(records[0]).toEqual([...Csv.header])
    expect(records.every((r) => r.length === Csv.header.length)).toBe(true)
    expect(records).toHaveLength(1 + 9 + 1 + 10 + 1 + 1)
    const byName = (name: string) => records.find((r) => r[3] === name)!
    expect(byName("Phòng Tư pháp")).toEqual(["Cấp huyện", "1", "binh-dinh.an-lao.phong-tu-phap", "Phòng Tư pháp", "306", "1", "1", "0", "0.33"])
    expect(byName("Hạt Kiểm lâm huyện")[8]).toBe("")
    expect(byName("UBND xã An Tân")[8]).toBe("0.50")
    expect(records.filter((r) => r[3] === "Tổng số").map((r) => [r[0], r[4], r[5], r[8]])).toEqual([
      ["Cấp huyện", "1246", "21", "1.69"],
      ["Cấp xã", "2234", "135", "6.04"]
    ])
    expect(records.at(-1)).toEqual(["", "", "", "Toàn huyện", "3480", "156", "107", "77", "4.48"])
  })

  it("doubles quotes inside a quoted field", () => {
    const odd = { ...anLaoReport, root: { ...anLaoReport.root, level: "district" as const } }
    const renamed = {
      ...odd,
      levels: odd.levels.map((l) => ({ ...l, rows: l.rows.map((r, i) => (i === 0 ? { ...r, name: "Phòng \"A\", B" } : r)) }))
    }
    expect(Csv.render(renamed)).toContain("\"Phòng \"\"A\"\", B\"")
    expect(parse(Csv.render(renamed).slice(1))[1]![3]).toBe("Phòng \"A\", B")
  })
})
