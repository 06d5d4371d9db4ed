/**
 * The reuse-rate report as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a
 * comma, quote or line break), encoded as UTF-8 with a byte-order mark so that Excel opens the
 * Vietnamese names correctly instead of guessing a legacy code page.
 *
 * The file opens with metadata records, one per line, whose first field starts with `#`: the key
 * (`#period`, `#logPosition`…), a Vietnamese label for people, then the values. They carry what every
 * other format states — the period, the unit, the target and the gap, the log position and head hash
 * the figures were computed from — so the CSV can be checked on its own (`kho report check` reads it
 * back with {@link parse}). The table follows: a header, a row per unit, a total row per level (`Σ`) and
 * the whole unit's row (empty level). In a spreadsheet the metadata are the first rows, key in column A,
 * label in B, values from C; a program skips them as comment lines (pandas:
 * `read_csv(path, comment="#", encoding="utf-8-sig")`; R: `read.csv(path, comment.char = "#",
 * fileEncoding = "UTF-8-BOM")`).
 *
 * The CSV is for machines and spreadsheets, so numbers are locale-neutral: counts without thousands
 * separators (`1246`) and rates with a dot and two decimals (`12.53`); a rate with no dossiers is an
 * empty field. People get the PDF or the terminal table.
 *
 * @since 0.1.0
 */
import { Ratio, ReuseRateReport } from "@kho/core"
import type { AdministrativeUnit } from "@kho/core"
import { Result, Schema } from "effect"
import * as CsvRecords from "./internal/csvRecords.ts"
import { columns, levelName, view } from "./internal/view.ts"
import type { Line } from "./internal/view.ts"

/**
 * The byte-order mark the text starts with.
 *
 * @since 0.1.0
 */
export const BOM = "\uFEFF"

/**
 * The header fields of the table: level, row number, unit code, then Appendix I's columns.
 *
 * @since 0.1.0
 */
export const header: ReadonlyArray<string> = ["Cấp", columns[0], "Mã đơn vị", ...columns.slice(1)]

/**
 * The metadata keys, in the order they are written, with the Vietnamese label each record carries and
 * what its values are. A record is `#key,label,value…`; an empty value means "none" (no target).
 *
 * - `indicator`: `reuse-rate`; `schemaVersion`: the report model's version (as in the JSON form);
 * - `period`: first and last day (ISO dates, inclusive); `unitsAsOf`: the date of the unit tree used;
 * - `root`: the reported unit's code, name and level;
 * - `target`: the target in percent (`60.00`); `targetRatio`: it exactly, numerator and denominator;
 *   `targetSource`: the deciding document, its date and its issuer;
 * - `gap`: target − whole rate in percentage points (`55.52`; negative when the target is exceeded);
 * - `logPosition` / `headHash`: the log the figures were computed from.
 *
 * @since 0.1.0
 */
export const metadata = {
  indicator: "Chỉ số",
  schemaVersion: "Phiên bản mô hình báo cáo",
  period: "Kỳ báo cáo (từ ngày, đến ngày)",
  unitsAsOf: "Danh mục đơn vị hành chính áp dụng tại ngày",
  root: "Đơn vị báo cáo (mã, tên, cấp)",
  target: "Chỉ tiêu (%)",
  targetRatio: "Chỉ tiêu (tử số, mẫu số)",
  targetSource: "Căn cứ giao chỉ tiêu (văn bản, ngày, cơ quan)",
  gap: "Còn thiếu so với chỉ tiêu (điểm phần trăm; âm: vượt chỉ tiêu)",
  logPosition: "Tính đến vị trí nhật ký sự kiện",
  headHash: "Mã băm đầu nhật ký tại vị trí đó"
} as const

/**
 * @since 0.1.0
 */
export type MetadataKey = keyof typeof metadata

const keys = Object.keys(metadata) as ReadonlyArray<MetadataKey>

const isMetadataKey = (key: string): key is MetadataKey => Object.hasOwn(metadata, key)

const percentOrEmpty = (r: Ratio.Ratio | null): string => (r === null ? "" : Ratio.toPercentString(r))

const metadataValues = (report: ReuseRateReport.ReuseRateReport): { readonly [K in MetadataKey]: ReadonlyArray<string> } => {
  const t = report.target
  return {
    indicator: [report.indicator],
    schemaVersion: [String(report.schemaVersion)],
    period: [report.period.from, report.period.to],
    unitsAsOf: [report.unitsAsOf],
    root: [report.root.code, report.root.name, report.root.level],
    target: [percentOrEmpty(t === null ? null : t.value)],
    targetRatio: t === null ? [""] : [String(t.value.numerator), String(t.value.denominator)],
    targetSource: t === null ? [""] : [t.source.document, t.source.date, t.source.issuer],
    gap: [percentOrEmpty(ReuseRateReport.gap(report))],
    logPosition: [String(report.computedFrom.position)],
    headHash: [report.computedFrom.headHash]
  }
}

const cellsOf = (level: string, l: Line): ReadonlyArray<string> => [
  level,
  l.index,
  l.kind === "unit" ? l.code : "",
  l.name,
  String(l.counts.received),
  String(l.counts.reused),
  String(l.counts.reusedFromStore),
  String(l.counts.reusedFromEarlierDossier),
  percentOrEmpty(ReuseRateReport.rate(l.counts))
]

// Every field of every record, the metadata by key and the table (header included) in order: what
// `render` writes and what `parse` compares a published CSV with.
const fieldsOf = (report: ReuseRateReport.ReuseRateReport): {
  readonly meta: (key: MetadataKey) => ReadonlyArray<string>
  readonly table: ReadonlyArray<ReadonlyArray<string>>
} => {
  const v = view(report)
  const values = metadataValues(report)
  return {
    meta: (k) => [`#${k}`, metadata[k], ...values[k]],
    table: [header, ...v.sections.flatMap((s) => s.lines.map((l) => cellsOf(s.name, l))), cellsOf("", v.whole)]
  }
}

/**
 * Renders the report as CSV text, starting with the BOM: the metadata records, then the table.
 *
 * @since 0.1.0
 */
export const render = (report: ReuseRateReport.ReuseRateReport): string => {
  const { meta, table } = fieldsOf(report)
  return BOM + [...keys.map((k) => meta(k)), ...table].map((r) => CsvRecords.record(r)).join("\r\n") + "\r\n"
}

/**
 * The CSV as UTF-8 bytes (BOM included), ready to write to a file.
 *
 * @since 0.1.0
 */
export const encode = (report: ReuseRateReport.ReuseRateReport): Uint8Array => new TextEncoder().encode(render(report))

// -----------------------------------------------------------------------------------------------
// Reading a published CSV back
// -----------------------------------------------------------------------------------------------

/**
 * A text that is not a valid published reuse-rate CSV; `message` names the line and what is wrong.
 *
 * @since 0.1.0
 */
export class InvalidReportCsv extends Schema.TaggedError<InvalidReportCsv>()("InvalidReportCsv", {
  message: Schema.String
}) {}

/**
 * Whether `text` looks like this CSV (its first record, after an optional BOM, is a `#` metadata
 * record) rather than the JSON form: how `kho report check` tells them apart.
 *
 * @since 0.1.0
 */
export const looksLikeCsv = (text: string): boolean => (text.startsWith(BOM) ? text.slice(1) : text).startsWith("#")

class Problem {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}

const levelOf = new Map(Object.entries(levelName).map(([level, name]) => [name, level as AdministrativeUnit.Level]))

const integer = (text: string, what: string, line: number): number => {
  if (!/^-?\d{1,15}$/.test(text)) throw new Problem(`line ${line}: ${what} is ${JSON.stringify(text)}, not an integer`)
  return Number(text)
}

const decodeReport = Schema.decodeUnknownResult(ReuseRateReport.ReuseRateReport)

const readReport = (text: string): ReuseRateReport.ReuseRateReport => {
  const read = CsvRecords.read(text.startsWith(BOM) ? text.slice(BOM.length) : text)
  if (Result.isFailure(read)) throw new Problem(read.failure)
  const records = read.success
  // metadata
  const meta = new Map<string, { readonly line: number; readonly values: ReadonlyArray<string> }>()
  let i = 0
  for (; i < records.length && records[i]!.fields[0]!.startsWith("#"); i++) {
    const { fields, line } = records[i]!
    const key = fields[0]!.slice(1)
    if (!isMetadataKey(key)) {
      throw new Problem(
        `line ${line}: unknown metadata record #${key}: this version writes only ${keys.map((k) => `#${k}`).join(", ")}, ` +
          "and a record nothing checks could state what the log does not back"
      )
    }
    if (meta.has(key)) throw new Problem(`line ${line}: the metadata record #${key} appears twice`)
    meta.set(key, { line, values: fields.slice(2) })
  }
  const get = (key: MetadataKey, count: number, optional = false): ReadonlyArray<string> | null => {
    const entry = meta.get(key)
    if (entry === undefined) throw new Problem(`the metadata record #${key} (${metadata[key]}) is missing`)
    if (optional && entry.values.every((v) => v === "")) return null
    if (entry.values.length !== count || entry.values.some((v) => v === "")) {
      throw new Problem(`line ${entry.line}: #${key} needs ${count} value${count === 1 ? "" : "s"}, got ${JSON.stringify(entry.values)}`)
    }
    return entry.values
  }
  const one = (key: MetadataKey): string => get(key, 1)![0]!
  const [from, to] = get("period", 2)!
  const [rootCode, rootName, rootLevel] = get("root", 3)!
  const ratio = get("targetRatio", 2, true)
  const source = get("targetSource", 3, true)
  const targetPercent = get("target", 1, true)
  const gapPercent = get("gap", 1, true)
  if ((ratio === null) !== (source === null) || (ratio === null) !== (targetPercent === null)) {
    throw new Problem("#target, #targetRatio and #targetSource must be all filled in or all empty")
  }
  const line = (key: MetadataKey) => meta.get(key)!.line
  // the table
  const head = records[i]
  if (head === undefined || head.fields.join("\u0000") !== header.join("\u0000")) {
    throw new Problem(`line ${head?.line ?? records.length + 1}: expected the table header ${CsvRecords.record(header)}`)
  }
  const levels: Array<{ level: AdministrativeUnit.Level; rows: Array<ReuseRateReport.Row>; total: ReuseRateReport.Counts | null }> = []
  let whole: ReuseRateReport.Counts | null = null
  for (const { fields, line: n } of records.slice(i + 1)) {
    if (whole !== null) throw new Problem(`line ${n}: nothing may follow the whole unit's row`)
    if (fields.length !== header.length) throw new Problem(`line ${n}: ${fields.length} fields, expected ${header.length}`)
    const [level, index, code, name, received, reused, fromStore, fromEarlier, rate] = fields as [
      string, string, string, string, string, string, string, string, string
    ]
    const counts = {
      received: integer(received, header[4]!, n),
      reused: integer(reused, header[5]!, n),
      reusedFromStore: integer(fromStore, header[6]!, n),
      reusedFromEarlierDossier: integer(fromEarlier, header[7]!, n)
    }
    const derived = percentOrEmpty(Ratio.make(counts.reused, counts.received))
    if (rate !== derived) {
      throw new Problem(`line ${n}: the rate is ${JSON.stringify(rate)}, but ${counts.reused} of ${counts.received} is ${JSON.stringify(derived)}`)
    }
    if (level === "") {
      whole = counts
      continue
    }
    const l = levelOf.get(level)
    if (l === undefined) throw new Problem(`line ${n}: unknown level ${JSON.stringify(level)} (one of ${[...levelOf.keys()].join(", ")})`)
    let table = levels.at(-1)
    if (table === undefined || table.level !== l || table.total !== null) {
      if (levels.some((t) => t.level === l)) throw new Problem(`line ${n}: the rows of ${level} are not together`)
      table = { level: l, rows: [], total: null }
      levels.push(table)
    }
    if (index === "Σ") table.total = counts
    else {
      if (code === "") throw new Problem(`line ${n}: a unit row names its unit code`)
      table.rows.push({ code, name, counts })
    }
  }
  if (whole === null) throw new Problem("the whole unit's row (empty level) is missing at the end")
  const missingTotal = levels.find((t) => t.total === null)
  if (missingTotal !== undefined) throw new Problem(`the ${levelName[missingTotal.level]} table has no total row (Σ)`)
  const decoded = decodeReport({
    schemaVersion: integer(one("schemaVersion"), "#schemaVersion", line("schemaVersion")),
    indicator: one("indicator"),
    period: { from, to },
    unitsAsOf: one("unitsAsOf"),
    root: { code: rootCode, name: rootName, level: rootLevel },
    levels,
    total: whole,
    target: ratio === null || source === null ? null : {
      value: {
        numerator: integer(ratio[0]!, "the target's numerator", line("targetRatio")),
        denominator: integer(ratio[1]!, "the target's denominator", line("targetRatio"))
      },
      source: { document: source[0], date: source[1], issuer: source[2] }
    },
    computedFrom: {
      position: integer(one("logPosition"), "#logPosition", line("logPosition")),
      headHash: one("headHash")
    }
  })
  if (Result.isFailure(decoded)) throw new Problem(decoded.failure.message)
  const report = decoded.success
  // what is shown for people must agree with what it is derived from
  const expectedTarget = percentOrEmpty(report.target === null ? null : report.target.value)
  if ((targetPercent?.[0] ?? "") !== expectedTarget) {
    throw new Problem(`line ${line("target")}: #target is ${JSON.stringify(targetPercent?.[0] ?? "")}, but #targetRatio gives ${JSON.stringify(expectedTarget)}`)
  }
  const expectedGap = percentOrEmpty(ReuseRateReport.gap(report))
  if ((gapPercent?.[0] ?? "") !== expectedGap) {
    throw new Problem(`line ${line("gap")}: #gap is ${JSON.stringify(gapPercent?.[0] ?? "")}, but the target and the whole rate give ${JSON.stringify(expectedGap)}`)
  }
  // every visible cell — labels, row numbers, total and whole-unit rows' codes and names — must be
  // what the report it was read into prints: only then does checking the report check the text
  const expected = fieldsOf(report)
  for (let k = 0; k < i; k++) {
    const { fields, line: n } = records[k]!
    const key = fields[0]!.slice(1)
    if (isMetadataKey(key)) sameCells(fields, expected.meta(key), n, null) // always: unknown keys were refused
  }
  const table = records.slice(i)
  for (let k = 0; k < Math.max(table.length, expected.table.length); k++) {
    const published = table[k]
    const printed = expected.table[k]
    if (published === undefined || printed === undefined) {
      throw new Problem(`the table has ${table.length} records, but the report read from it prints ${expected.table.length}`)
    }
    sameCells(published.fields, printed, published.line, header)
  }
  return report
}

const columnLetter = (k: number): string =>
  k < 26 ? String.fromCharCode(65 + k) : columnLetter(Math.floor(k / 26) - 1) + String.fromCharCode(65 + (k % 26))

const sameCells = (
  published: ReadonlyArray<string>,
  printed: ReadonlyArray<string>,
  line: number,
  names: ReadonlyArray<string> | null
): void => {
  for (let k = 0; k < Math.max(published.length, printed.length); k++) {
    if (published[k] !== printed[k]) {
      const column = `column ${columnLetter(k)}${names?.[k] === undefined ? "" : ` (${names[k]})`}`
      const shown = (cell: string | undefined) => (cell === undefined ? "absent" : JSON.stringify(cell))
      throw new Problem(
        `line ${line}, ${column}: the cell is ${shown(published[k])}, but the report read from this file prints ${shown(printed[k])}`
      )
    }
  }
}

/**
 * Reads a published CSV back into the report, checking it: every metadata record present, the header,
 * every count an integer, every rate, the target in percent and the gap equal to what their counts
 * and ratio give, and the report model's own invariants (totals are sums…). Then every cell must be
 * what {@link render} prints for the report read (labels, row numbers, the `Σ` and whole-unit rows'
 * codes and names, no extra field): the text says nothing the report — and so the check against the
 * log — does not cover. Metadata records may come in any order, none may repeat, and a key this
 * version does not know is refused. Quoting, line ends (CRLF or LF) and the BOM are free.
 *
 * @since 0.1.0
 */
export const parse = (text: string): Result.Result<ReuseRateReport.ReuseRateReport, InvalidReportCsv> => {
  try {
    return Result.succeed(readReport(text))
  } catch (e) {
    if (e instanceof Problem) return Result.fail(new InvalidReportCsv({ message: `not a valid reuse-rate CSV: ${e.message}` }))
    throw e
  }
}
