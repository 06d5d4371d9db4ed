/**
 * The reuse-rate report as a PDF shaped like Appendix I of the seed: title, unit and period, a table
 * per level with its total, the whole unit's line, target and gap, the rate's definition, and on every
 * page a footer naming the log position and head hash the figures were computed from.
 *
 * Made with pdf-lib and fontkit, embedding Noto Sans whole (see `docs/adr` 0052 for why not subset and
 * why glyph composition is turned off). The output is deterministic: no creation date, no random font
 * names — the same report gives the same bytes.
 *
 * @since 0.1.0
 */
import fontkit from "@pdf-lib/fontkit"
import type { ReuseRateReport } from "@kho/core"
import { Effect, Schema } from "effect"
import { PDFDocument, rgb } from "pdf-lib"
import type { PDFFont, PDFPage } from "pdf-lib"
import * as Fonts from "./internal/fonts.ts"
import { TITLE, cells, columns, view } from "./internal/view.ts"
import type { Line } from "./internal/view.ts"

/**
 * The PDF could not be produced (the font files could not be read or embedded).
 *
 * @since 0.1.0
 */
export class PdfRenderError extends Schema.TaggedError<PdfRenderError>()("PdfRenderError", {
  message: Schema.String,
  cause: Schema.Defect()
}) {}

const PAGE: readonly [number, number] = [841.89, 595.28] // A4 landscape
const MARGIN = 32
const FOOTER_SPACE = 26
const BODY = 8.5
const HEAD = 8
const LINE_HEIGHT = 12.5
const WIDTHS = [26, 184, 111.17, 111.17, 111.17, 111.17, 122.04] // sums to the page width less the margins
const BLACK = rgb(0, 0, 0)
const GREY = rgb(0.35, 0.35, 0.35)
const SHADE = rgb(0.93, 0.93, 0.93)

interface Fonts {
  readonly regular: PDFFont
  readonly bold: PDFFont
}

const wrap = (text: string, font: PDFFont, size: number, maxWidth: number): Array<string> => {
  const lines: Array<string> = []
  let current = ""
  for (const word of text.split(" ")) {
    const candidate = current === "" ? word : `${current} ${word}`
    if (current !== "" && font.widthOfTextAtSize(candidate, size) > maxWidth) {
      lines.push(current)
      current = word
    } else {
      current = candidate
    }
  }
  if (current !== "") lines.push(current)
  return lines
}

/** Lays text out top-down over as many pages as it needs. */
class Flow {
  page: PDFPage
  y: number
  readonly pages: Array<PDFPage> = []
  readonly doc: PDFDocument
  readonly fonts: Fonts
  constructor(doc: PDFDocument, fonts: Fonts) {
    this.doc = doc
    this.fonts = fonts
    this.page = this.newPage()
    this.y = PAGE[1] - MARGIN
  }
  newPage(): PDFPage {
    const page = this.doc.addPage([PAGE[0], PAGE[1]])
    this.pages.push(page)
    this.page = page
    this.y = PAGE[1] - MARGIN
    return page
  }
  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): boolean {
    if (this.y - height < MARGIN + FOOTER_SPACE) {
      this.newPage()
      return true
    }
    return false
  }
  text(text: string, options: { size: number; bold?: boolean; center?: boolean; color?: typeof BLACK; gap?: number }): void {
    const font = options.bold === true ? this.fonts.bold : this.fonts.regular
    for (const l of wrap(text, font, options.size, PAGE[0] - 2 * MARGIN)) {
      this.ensure(options.size + 4)
      const w = font.widthOfTextAtSize(l, options.size)
      const x = options.center === true ? (PAGE[0] - w) / 2 : MARGIN
      this.y -= options.size + 3
      this.page.drawText(l, { x, y: this.y, size: options.size, font, color: options.color ?? BLACK })
    }
    this.y -= options.gap ?? 0
  }
}

const drawRow = (
  flow: Flow,
  texts: ReadonlyArray<string>,
  options: { font: PDFFont; size: number; shade: boolean; header: boolean }
): void => {
  const wrapped = texts.map((t, i) =>
    options.header || i === 1 ? wrap(t, options.font, options.size, WIDTHS[i]! - 8) : [t]
  )
  const lines = Math.max(...wrapped.map((w) => w.length))
  const height = Math.max(LINE_HEIGHT, lines * (options.size + 2.5) + 4)
  const top = flow.y
  let x = MARGIN
  for (let i = 0; i < texts.length; i++) {
    const w = WIDTHS[i]!
    flow.page.drawRectangle({
      x,
      y: top - height,
      width: w,
      height,
      borderColor: BLACK,
      borderWidth: 0.5,
      ...(options.shade ? { color: SHADE } : {})
    })
    wrapped[i]!.forEach((l, k) => {
      const tw = options.font.widthOfTextAtSize(l, options.size)
      const tx = options.header ? x + (w - tw) / 2 : i === 1 ? x + 4 : i === 0 ? x + (w - tw) / 2 : x + w - 4 - tw
      const blockTop = top - (height - wrapped[i]!.length * (options.size + 2.5)) / 2
      flow.page.drawText(l, { x: tx, y: blockTop - (k + 1) * (options.size + 2.5) + 2.5, size: options.size, font: options.font, color: BLACK })
    })
    x += w
  }
  flow.y = top - height
}

const tableHeader = (flow: Flow): void =>
  drawRow(flow, columns, { font: flow.fonts.bold, size: HEAD, shade: true, header: true })

const HEADER_HEIGHT = 30

const tableLine = (flow: Flow, line: Line): void => {
  if (flow.ensure(LINE_HEIGHT)) tableHeader(flow)
  const strong = line.kind !== "unit"
  drawRow(flow, cells(line), {
    font: strong ? flow.fonts.bold : flow.fonts.regular,
    size: BODY,
    shade: line.kind === "whole",
    header: false
  })
}

/**
 * Renders the report to PDF bytes.
 *
 * @since 0.1.0
 */
export const render = (report: ReuseRateReport.ReuseRateReport): Effect.Effect<Uint8Array, PdfRenderError> =>
  Effect.tryPromise({
    try: async () => {
      const v = view(report)
      const doc = await PDFDocument.create({ updateMetadata: false })
      doc.registerFontkit(fontkit)
      const bytes = await Fonts.load()
      // Whole fonts (fontkit's subsetter drops glyphs of Noto Sans) and no `ccmp`, which would split
      // letters such as "ụ" into a base and a mark that pdf-lib cannot position or map back to text.
      const features = { ccmp: false }
      const fonts: Fonts = {
        regular: await doc.embedFont(bytes.regular, { subset: false, customName: "NotoSans-Regular", features }),
        bold: await doc.embedFont(bytes.bold, { subset: false, customName: "NotoSans-Bold", features })
      }
      doc.setTitle(`${TITLE} — ${v.unit}`, { showInWindowTitleBar: true })
      doc.setLanguage("vi-VN")
      doc.setProducer("Kho (@kho/report)")
      doc.setCreator("Kho (@kho/report)")
      const flow = new Flow(doc, fonts)
      flow.text(TITLE, { size: 13, bold: true, center: true })
      flow.text(`${v.unit} — ${v.period}`, { size: 10.5, center: true, gap: 4 })
      for (const section of v.sections) {
        flow.ensure(18 + HEADER_HEIGHT + 2 * LINE_HEIGHT)
        flow.text(section.heading, { size: 10.5, bold: true, gap: 4 })
        tableHeader(flow)
        for (const line of section.lines) tableLine(flow, line)
        flow.y -= 6
      }
      // The whole unit's line closes the last table, like the seed's "Tổng số" lines.
      flow.y += 4
      tableLine(flow, v.whole)
      flow.y -= 8
      const goal = [v.target, v.gap].filter((s) => s !== null).join(" — ")
      if (goal !== "") flow.text(goal, { size: 9.5, bold: true, gap: 2 })
      flow.text(`Cách tính: ${v.definition}`, { size: 7.5, color: GREY })
      flow.pages.forEach((page, i) => {
        v.provenance.forEach((l, k) => {
          page.drawText(l, { x: MARGIN, y: MARGIN - 6 + (1 - k) * 9, size: 7, font: fonts.regular, color: GREY })
        })
        const n = `Trang ${i + 1}/${flow.pages.length}`
        page.drawText(n, {
          x: PAGE[0] - MARGIN - fonts.regular.widthOfTextAtSize(n, 7),
          y: MARGIN - 6,
          size: 7,
          font: fonts.regular,
          color: GREY
        })
      })
      return doc.save({ useObjectStreams: false })
    },
    catch: (cause) => new PdfRenderError({ message: `could not render the reuse-rate PDF: ${String(cause)}`, cause })
  })
