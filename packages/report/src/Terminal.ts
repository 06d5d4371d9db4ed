/**
 * The reuse-rate report as an aligned text table for a terminal, with Vietnamese labels.
 *
 * Widths count Unicode code points after NFC normalisation: every Vietnamese letter has a precomposed
 * form, so one letter is one column in a monospace terminal (decomposed input would otherwise count
 * its combining marks as columns and break the alignment).
 *
 * @since 0.1.0
 */
import type { ReuseRateReport } from "@kho/core"
import { cells, shortColumns, view } from "./internal/view.ts"

const width = (s: string): number => [...s.normalize("NFC")].length

const pad = (s: string, w: number, right: boolean): string => {
  const fill = " ".repeat(Math.max(0, w - width(s)))
  return right ? fill + s : s + fill
}

/**
 * Renders the report; the result ends with a newline.
 *
 * @since 0.1.0
 */
export const render = (report: ReuseRateReport.ReuseRateReport): string => {
  const v = view(report)
  const all = [...v.sections.flatMap((s) => s.lines), v.whole]
  const widths = shortColumns.map((h, i) => Math.max(width(h), ...all.map((l) => width(cells(l)[i]!))))
  const line = (row: ReadonlyArray<string>): string =>
    row.map((c, i) => pad(c.normalize("NFC"), widths[i]!, i !== 1)).join("  ").trimEnd()
  const rule = widths.map((w) => "─".repeat(w)).join("  ")
  const out: Array<string> = [v.title, `${v.unit} — ${v.period}`, ""]
  for (const section of v.sections) {
    out.push(section.heading, line(shortColumns), rule)
    for (const l of section.lines) {
      if (l.kind === "total") out.push(rule)
      out.push(line(cells(l)))
    }
    out.push("")
  }
  out.push(rule.replace(/─/g, "═"), line(cells(v.whole)), "")
  if (v.target !== null) out.push(v.target)
  if (v.gap !== null) out.push(v.gap)
  out.push("", ...v.provenance)
  return out.join("\n") + "\n"
}
