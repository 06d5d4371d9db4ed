/**
 * The reuse-rate report as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a
 * comma, quote or line break), encoded as UTF-8 with a byte-order mark so that Excel opens the
 * Vietnamese names correctly instead of guessing a legacy code page.
 *
 * The CSV is for machines and spreadsheets, so numbers are locale-neutral: counts without thousands
 * separators (`1246`) and the rate with a dot and two decimals (`12.53`); a rate with no dossiers is an
 * empty field. Totals are rows with an empty unit code. People get the PDF or the terminal table.
 *
 * @since 0.1.0
 */
import { Ratio, ReuseRateReport } from "@kho/core"
import { columns, view } from "./internal/view.ts"
import type { Line } from "./internal/view.ts"

/**
 * The byte-order mark the text starts with.
 *
 * @since 0.1.0
 */
export const BOM = "\uFEFF"

const field = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, "\"\"")}"` : s)

const record = (fields: ReadonlyArray<string>): string => fields.map(field).join(",")

/**
 * The header fields: level, row number, unit code, then Appendix I's columns.
 *
 * @since 0.1.0
 */
export const header: ReadonlyArray<string> = ["Cấp", columns[0], "Mã đơn vị", ...columns.slice(1)]

/**
 * Renders the report as CSV text, starting with the BOM.
 *
 * @since 0.1.0
 */
export const render = (report: ReuseRateReport.ReuseRateReport): string => {
  const v = view(report)
  const row = (level: string, l: Line): string => {
    const r = ReuseRateReport.rate(l.counts)
    return record([
      level,
      l.index,
      l.kind === "unit" ? l.code : "",
      l.name,
      String(l.counts.received),
      String(l.counts.reused),
      String(l.counts.reusedFromStore),
      String(l.counts.reusedFromEarlierDossier),
      r === null ? "" : Ratio.toPercentString(r)
    ])
  }
  const records = [
    record(header),
    ...v.sections.flatMap((s) => s.lines.map((l) => row(s.name, l))),
    row("", v.whole)
  ]
  return BOM + records.join("\r\n") + "\r\n"
}

/**
 * The CSV as UTF-8 bytes (BOM included), ready to write to a file.
 *
 * @since 0.1.0
 */
export const encode = (report: ReuseRateReport.ReuseRateReport): Uint8Array => new TextEncoder().encode(render(report))
