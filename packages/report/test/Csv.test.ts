import { describe, expect, it } from "@effect/vitest"
import { Target } from "@kho/core"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { Csv } from "../src/index.ts"
import { anLaoReport, build, head } from "./utils/anLao.ts"

/** A small, independent RFC 4180 reader (CRLF only), to check that the output parses back. */
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

const split = (text: string) => {
  const records = parse(text.slice(Csv.BOM.length))
  const meta = records.filter((r) => r[0]!.startsWith("#"))
  return { records, meta, table: records.slice(meta.length) }
}

const parsed = (text: string) => {
  const r = Csv.parse(text)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const failure = (text: string): string => {
  const r = Csv.parse(text)
  expect(Result.isFailure(r)).toBe(true)
  return Result.isFailure(r) ? r.failure.message : ""
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

  it("states the period, the unit, the target, the gap, the log position and the head hash in # records first", () => {
    const { meta, records } = split(text)
    // the metadata come first, then the table: every # record precedes the header
    expect(records.slice(0, meta.length)).toEqual(meta)
    expect(meta.map((r) => r[0])).toEqual(Object.keys(Csv.metadata).map((k) => `#${k}`))
    const values = new Map(meta.map((r) => [r[0]!.slice(1), r.slice(2)]))
    expect(meta.every((r) => r[1] === Csv.metadata[r[0]!.slice(1) as Csv.MetadataKey])).toBe(true)
    expect(values.get("indicator")).toEqual(["reuse-rate"])
    expect(values.get("period")).toEqual(["2024-01-01", "2024-03-20"])
    expect(values.get("unitsAsOf")).toEqual(["2024-03-20"])
    expect(values.get("root")).toEqual(["binh-dinh.an-lao", "Huyện An Lão", "district"])
    expect(values.get("target")).toEqual(["60.00"])
    expect(values.get("targetRatio")).toEqual(["60", "100"])
    expect(values.get("targetSource")).toEqual(["235/QĐ-UBND", "2024-01-18", "Chủ tịch UBND tỉnh Bình Định"])
    // 60 % − 156/3 480 (4,48 %) = 55,52 points short
    expect(values.get("gap")).toEqual(["55.52"])
    expect(values.get("logPosition")).toEqual([String(head.position)])
    expect(values.get("headHash")).toEqual([head.headHash])
    // as comment lines, a program that skips lines starting with # sees exactly the table
    const uncommented = text.slice(1).split("\r\n").filter((l) => !l.startsWith("#")).join("\r\n")
    expect(parse(uncommented)).toEqual(split(text).table)
  })

  it("leaves the target and gap empty without a target, and writes a negative gap when it is exceeded", () => {
    const none = split(Csv.render(build({ targets: [] }))).meta
    expect(none.filter((r) => ["#target", "#targetRatio", "#targetSource", "#gap"].includes(r[0]!)).map((r) => r.slice(2)))
      .toEqual([[""], [""], [""], [""]])
    const low = Schema.decodeUnknownSync(Schema.Array(Target.Target))([{
      ...Schema.encodeSync(Target.Target)(Target.anLao2024[0]!),
      value: { numerator: 4, denominator: 100 }
    }])
    const exceeded = split(Csv.render(build({ targets: low }))).meta
    expect(exceeded.find((r) => r[0] === "#gap")?.[2]).toBe("-0.48")
  })

  it("quotes fields holding commas and parses back to the report's figures", () => {
    expect(text).toContain("\"Cơ quan, đơn vị\"")
    const { table } = split(text)
    expect(table[0]).toEqual([...Csv.header])
    expect(table.every((r) => r.length === Csv.header.length)).toBe(true)
    expect(table).toHaveLength(1 + 9 + 1 + 10 + 1 + 1)
    const byName = (name: string) => table.find((r) => r[3] === name)!
    expect(byName("Phòng Tư pháp")).toEqual(["Cấp huyện", "1", "binh-dinh.an-lao.phong-tu-phap", "Phòng Tư pháp", "306", "1", "1", "0", "0.33"])
    expect(byName("Hạt Kiểm lâm huyện")[8]).toBe("")
    expect(byName("UBND xã An Tân")[8]).toBe("0.50")
    expect(table.filter((r) => r[3] === "Tổng số").map((r) => [r[0], r[4], r[5], r[8]])).toEqual([
      ["Cấp huyện", "1246", "21", "1.69"],
      ["Cấp xã", "2234", "135", "6.04"]
    ])
    expect(table.at(-1)).toEqual(["", "", "", "Toàn huyện", "3480", "156", "107", "77", "4.48"])
  })

  it("doubles quotes inside a quoted field", () => {
    const odd = { ...anLaoReport, root: { ...anLaoReport.root, level: "district" as const } }
    const renamed = {
      ...odd,
      levels: odd.levels.map((l) => ({ ...l, rows: l.rows.map((r, i) => (i === 0 ? { ...r, name: "Phòng \"A\", B" } : r)) }))
    }
    expect(Csv.render(renamed)).toContain("\"Phòng \"\"A\"\", B\"")
    expect(split(Csv.render(renamed)).table[1]![3]).toBe("Phòng \"A\", B")
    expect(parsed(Csv.render(renamed))).toEqual(renamed)
  })

  describe("parse", () => {
    it("reads the published CSV back to exactly the report, with or without a target, BOM or CRLF", () => {
      expect(parsed(text)).toEqual(anLaoReport)
      const noTarget = build({ targets: [] })
      expect(parsed(Csv.render(noTarget))).toEqual(noTarget)
      expect(parsed(text.slice(1).replace(/\r\n/g, "\n"))).toEqual(anLaoReport)
      expect(Csv.looksLikeCsv(text)).toBe(true)
      expect(Csv.looksLikeCsv("{\"schemaVersion\":1}")).toBe(false)
    })

    it("round-trips any counts and log head", () =>
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(5000), fc.nat(5000), fc.nat(5000)), { minLength: 19, maxLength: 19 }),
          fc.integer({ min: 1, max: 10_000_000 }),
          fc.stringMatching(/^[0-9a-f]{64}$/).filter((h) => h !== "0".repeat(64)),
          (triples, position, headHash) => {
            const codes = anLaoReport.levels.flatMap((l) => l.rows.map((r) => r.code))
            const counts = new Map(codes.map((code, k) => {
              const [a, b, c] = triples[k]!
              const received = a + b
              const reused = Math.min(b, received)
              return [code, { received, reused, reusedFromStore: Math.min(c, reused), reusedFromEarlierDossier: reused - Math.min(c, reused) }]
            }))
            const report = build({ counts, computedFrom: { position, headHash } })
            expect(parsed(Csv.render(report))).toEqual(report)
          }
        ),
        { numRuns: 100 }
      ))

    it("refuses edited figures, rates, targets, gaps and missing provenance, naming the line", () => {
      const lines = text.split("\r\n")
      const edit = (from: RegExp, to: string) => lines.map((l) => l.replace(from, to)).join("\r\n")
      // a count changed without fixing the totals: the model's invariant
      expect(failure(edit(/^(Cấp huyện,1,binh-dinh\.an-lao\.phong-tu-phap,Phòng Tư pháp),306,1,1,0,0\.33$/, "$1,306,2,1,0,0.65")))
        .toMatch(/district total is not the sum of its rows/)
      // a rate that its own counts do not give
      expect(failure(edit(/,3480,156,107,77,4\.48$/, ",3480,156,107,77,5.00"))).toMatch(
        /line \d+: the rate is "5\.00", but 156 of 3480 is "4\.48"/
      )
      expect(failure(edit(/^#gap,(.*),55\.52$/, "#gap,$1,0.00"))).toMatch(/#gap is "0\.00", but the target and the whole rate give "55\.52"/)
      expect(failure(edit(/^#target,(.*),60\.00$/, "#target,$1,70.00"))).toMatch(/#targetRatio gives "60\.00"/)
      expect(failure(lines.filter((l) => !l.startsWith("#headHash")).join("\r\n"))).toMatch(/#headHash .* is missing/)
      expect(failure(edit(/^#logPosition,(.*),4242$/, "#logPosition,$1,4242a"))).toMatch(/#logPosition is "4242a", not an integer/)
      expect(failure(edit(/^#headHash,(.*),[0-9a-f]{64}$/, "#headHash,$1,xyz"))).toMatch(/headHash/)
      expect(failure(lines.filter((l) => !l.startsWith("#targetSource")).join("\r\n"))).toMatch(/#targetSource/)
      expect(failure(edit(/^Cấp,TT.*$/, "Level,TT"))).toMatch(/expected the table header/)
      expect(failure(lines.slice(0, -2).join("\r\n"))).toMatch(/whole unit's row .* is missing/)
      expect(failure(text + "\"unclosed")).toMatch(/never closed/)
    })

    describe("refuses visible text the figures do not print, naming the line and cell", () => {
      const lines = text.split("\r\n")
      const edit = (from: RegExp, to: string) => {
        const edited = lines.map((l) => l.replace(from, to)).join("\r\n")
        expect(edited).not.toBe(text) // the edit applies
        return edited
      }
      const lineOf = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1
      const cases: ReadonlyArray<readonly [string, () => string, () => RegExp]> = [
        [
          "the Σ row relabelled with a unit's code and name",
          () => edit(/^Cấp xã,Σ,,Tổng số,/, "Cấp xã,Σ,binh-dinh.an-lao.an-hoa,Tổng số xã An Hòa,"),
          () => new RegExp(`line ${lineOf("Cấp xã,Σ,")}, column C \\(Mã đơn vị\\): the cell is "binh-dinh\\.an-lao\\.an-hoa", but .* prints ""`)
        ],
        [
          "the Σ row renamed",
          () => edit(/^Cấp xã,Σ,,Tổng số,/, "Cấp xã,Σ,,Tổng số xã An Hòa,"),
          () => new RegExp(`line ${lineOf("Cấp xã,Σ,")}, column D .*"Tổng số xã An Hòa", but .* prints "Tổng số"`)
        ],
        [
          "the whole unit's row renamed",
          () => edit(/^,,,Toàn huyện,/, ",,,Toàn tỉnh Bình Định,"),
          () => new RegExp(`line ${lineOf(",,,Toàn huyện,")}, column D \\(Cơ quan, đơn vị\\): the cell is "Toàn tỉnh Bình Định", but .* prints "Toàn huyện"`)
        ],
        [
          "an unknown # record",
          () => [lines[0], "#note,Ghi chú,Tỷ lệ toàn huyện đạt 60%", ...lines.slice(1)].join("\r\n"),
          () => /line 2: unknown metadata record #note/
        ],
        [
          "a row number",
          () => edit(/^(Cấp huyện),1,(binh-dinh\.an-lao\.phong-tu-phap,)/, "$1,99,$2"),
          () => new RegExp(`line ${lineOf("Cấp huyện,1,")}, column B \\(TT\\): the cell is "99", but .* prints "1"`)
        ],
        [
          "a row number on the whole unit's row",
          () => edit(/^,,,Toàn huyện,/, ",0,,Toàn huyện,"),
          () => new RegExp(`line ${lineOf(",,,Toàn huyện,")}, column B \\(TT\\): the cell is "0"`)
        ],
        [
          "a metadata record's label",
          () => edit(/^#target,Chỉ tiêu \(%\),/, "#target,Chỉ tiêu đã đạt (%),"),
          () => new RegExp(`line ${lineOf("#target,")}, column B: the cell is "Chỉ tiêu đã đạt \\(%\\)", but .* prints "Chỉ tiêu \\(%\\)"`)
        ],
        [
          "a count with a leading zero",
          () => edit(/^(Cấp huyện,1,binh-dinh\.an-lao\.phong-tu-phap,Phòng Tư pháp),306,/, "$1,0306,"),
          () => new RegExp(`line ${lineOf("Cấp huyện,1,")}, column E .*"0306", but .* prints "306"`)
        ]
      ]
      for (const [name, edited, message] of cases) {
        it(name, () => {
          expect(failure(edited())).toMatch(message())
        })
      }

      it("but not quoting, line ends, the BOM or the metadata's order", () => {
        const quoted = edit(/^(Cấp huyện,1,binh-dinh\.an-lao\.phong-tu-phap),Phòng Tư pháp,/, "$1,\"Phòng Tư pháp\",")
        expect(parsed(quoted)).toEqual(anLaoReport)
        const unmarked = text.slice(Csv.BOM.length).split("\r\n")
        const meta = unmarked.filter((l) => l.startsWith("#")).reverse()
        const reordered = [...meta, ...unmarked.filter((l) => !l.startsWith("#"))]
        expect(reordered[0]).toMatch(/^#headHash,/)
        expect(parsed(reordered.join("\n"))).toEqual(anLaoReport)
      })
    })
  })
})
