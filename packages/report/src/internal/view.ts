/**
 * What every renderer shows, in Vietnamese, computed once from the report: sections per level with
 * their rows and totals, the whole-unit line, the target and gap, the provenance footer. Renderers only
 * lay it out.
 */
import { ReuseRateReport, VietnameseFormat } from "@kho/core"
import type { AdministrativeUnit } from "@kho/core"

type Counts = ReuseRateReport.Counts

export const TITLE = "TỶ LỆ KHAI THÁC, SỬ DỤNG LẠI THÔNG TIN SỐ HÓA"

const levelHeading: Record<AdministrativeUnit.Level, string> = {
  province: "CẤP TỈNH",
  district: "CẤP HUYỆN",
  commune: "CẤP XÃ"
}

/** A level's name as a table's "Cấp" column gives it (CSV). */
export const levelName: Record<AdministrativeUnit.Level, string> = {
  province: "Cấp tỉnh",
  district: "Cấp huyện",
  commune: "Cấp xã"
}

const wholeLabel: Record<AdministrativeUnit.Level, string> = {
  province: "Toàn tỉnh",
  district: "Toàn huyện",
  commune: "Toàn xã"
}

const ROMAN = ["I", "II", "III", "IV", "V"]

/** Full column headings, as in Appendix I (PDF, CSV). */
export const columns = [
  "TT",
  "Cơ quan, đơn vị",
  "Tổng hồ sơ tiếp nhận",
  "Hồ sơ sử dụng lại dữ liệu số hóa",
  "Trong đó: lấy từ Kho dữ liệu cá nhân, tổ chức",
  "Trong đó: lấy từ hồ sơ, kết quả đã số hóa trước",
  "Tỷ lệ khai thác, sử dụng lại thông tin số hóa (%)"
] as const

/** Short column headings for narrow outputs (terminal). */
export const shortColumns = ["TT", "Cơ quan, đơn vị", "Tiếp nhận", "Sử dụng lại", "Từ kho", "Từ hồ sơ trước", "Tỷ lệ (%)"] as const

export interface Line {
  readonly kind: "unit" | "total" | "whole"
  readonly index: string
  readonly code: string
  readonly name: string
  readonly counts: Counts
}

export interface Section {
  readonly level: AdministrativeUnit.Level
  readonly heading: string
  readonly name: string
  readonly lines: ReadonlyArray<Line>
}

export interface View {
  readonly title: string
  readonly unit: string
  readonly period: string
  readonly sections: ReadonlyArray<Section>
  readonly whole: Line
  readonly target: string | null
  readonly gap: string | null
  readonly definition: string
  /** Where the figures come from, in Vietnamese then in English (for auditors). */
  readonly provenance: readonly [string, string]
}

/** The cells of a line as people read them: vi-VN integers and rate. */
export const cells = (line: Line): ReadonlyArray<string> => [
  line.index,
  line.name,
  VietnameseFormat.integer(line.counts.received),
  VietnameseFormat.integer(line.counts.reused),
  VietnameseFormat.integer(line.counts.reusedFromStore),
  VietnameseFormat.integer(line.counts.reusedFromEarlierDossier),
  VietnameseFormat.percent(ReuseRateReport.rate(line.counts))
]

export const view = (report: ReuseRateReport.ReuseRateReport): View => {
  const gap = ReuseRateReport.gap(report)
  const target = report.target
  return {
    title: TITLE,
    unit: report.root.name,
    period: `Kỳ báo cáo: từ ${VietnameseFormat.date(report.period.from)} đến ${VietnameseFormat.date(report.period.to)}`,
    sections: report.levels.map((level, i) => ({
      level: level.level,
      heading: `${ROMAN[i] ?? String(i + 1)}. ${levelHeading[level.level]}`,
      name: levelName[level.level],
      lines: [
        ...level.rows.map((row, j): Line => ({ kind: "unit", index: String(j + 1), code: row.code, name: row.name, counts: row.counts })),
        { kind: "total", index: "Σ", code: "", name: "Tổng số", counts: level.total }
      ]
    })),
    whole: { kind: "whole", index: "", code: report.root.code, name: wholeLabel[report.root.level], counts: report.total },
    target: target === null
      ? null
      : `Chỉ tiêu: ${VietnameseFormat.percent(target.value)} % (Quyết định số ${target.source.document} ngày ` +
        `${VietnameseFormat.date(target.source.date)} của ${target.source.issuer})`,
    gap: gap === null
      ? null
      : gap.numerator > 0
      ? `Còn thiếu so với chỉ tiêu: ${VietnameseFormat.percent(gap)} điểm phần trăm`
      : gap.numerator === 0
      ? "Đạt chỉ tiêu"
      : `Vượt chỉ tiêu: ${VietnameseFormat.percent({ numerator: -gap.numerator, denominator: gap.denominator })} điểm phần trăm`,
    definition: ReuseRateReport.definition.vi,
    provenance: [
      `Tính từ nhật ký sự kiện đến vị trí ${VietnameseFormat.integer(report.computedFrom.position)}, ` +
      `mã băm đầu ${report.computedFrom.headHash}`,
      `Computed from log position ${report.computedFrom.position}, head hash ${report.computedFrom.headHash}`
    ]
  }
}
