/**
 * The what-if, month by month: each month's Appendix I–shaped report from the KPI ledger, and the
 * table `main.ts` prints (rates per level and for the whole district, against the 60 % target).
 *
 * @since 0.1.0
 */
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import type * as KpiLedger from "@kho/core/KpiLedger"
import * as Ratio from "@kho/core/Ratio"
import * as ReportingPeriod from "@kho/core/ReportingPeriod"
import * as ReuseRate from "@kho/core/ReuseRate"
import * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as Target from "@kho/core/Target"
import * as VietnameseFormat from "@kho/core/VietnameseFormat"
import { Result } from "effect"
import type { Month } from "./WhatIf.ts"
import { directive } from "./WhatIf.ts"

/**
 * One month's figures as the KPI ledger counts them, and the month's directive setting.
 *
 * @since 0.1.0
 */
export interface MonthRow {
  readonly month: number
  readonly adoption: number
  readonly report: ReuseRateReport.ReuseRateReport
  readonly district: ReuseRateReport.Counts
  readonly commune: ReuseRateReport.Counts
}

/**
 * The reuse-rate report of each month of the what-if, from the ledger.
 *
 * @since 0.1.0
 */
export const monthly = (
  ledger: KpiLedger.KpiLedger,
  months: ReadonlyArray<Month> = directive
): Result.Result<ReadonlyArray<MonthRow>, ReuseRateReport.InvalidReuseRateReport> =>
  Result.all(months.map((m) =>
    Result.map(
      ReuseRate.report(ledger, {
        period: ReportingPeriod.month(2024, m.month),
        units: AdministrativeUnit.binhDinhAnLao,
        root: AdministrativeUnit.AN_LAO,
        targets: Target.anLao2024
      }),
      (report): MonthRow => ({
        month: m.month,
        adoption: m.adoption,
        report,
        district: report.levels.find((l) => l.level === "district")?.total ?? ReuseRateReport.zero,
        commune: report.levels.find((l) => l.level === "commune")?.total ?? ReuseRateReport.zero
      })
    )
  ))

/**
 * The first month whose whole-district rate reaches the target, or `null`.
 *
 * @since 0.1.0
 */
export const firstMonthOnTarget = (rows: ReadonlyArray<MonthRow>): MonthRow | null =>
  rows.find((r) => {
    const rate = ReuseRateReport.rate(r.report.total)
    return rate !== null && r.report.target !== null && Ratio.compare(rate, r.report.target.value) >= 0
  }) ?? null

const BAR = 20

/** A bar of the rate on a 0–100 % scale, with the target marked `|`. */
const bar = (rate: Ratio.Ratio | null, target: Ratio.Ratio | null): string => {
  const filled = rate === null ? 0 : Math.round(Number(Ratio.toPercentHundredths(rate)) / 10_000 * BAR)
  const mark = target === null ? -1 : Math.round(Number(Ratio.toPercentHundredths(target)) / 10_000 * BAR)
  return Array.from({ length: BAR }, (_, i) => (i === mark ? "|" : i < filled ? "█" : "·")).join("")
}

const pad = (s: string, w: number, right = true): string => (right ? s.padStart(w) : s.padEnd(w))

/**
 * The month-by-month table: received, reused (of which from the owner's store), the district-level,
 * commune-level and whole-district rates, the target and whether it is met, with a bar.
 *
 * @since 0.1.0
 */
export const render = (rows: ReadonlyArray<MonthRow>): string => {
  const header = [
    pad("Tháng", 7, false),
    pad("Theo CĐ", 7),
    pad("Tiếp nhận", 9),
    pad("Sử dụng lại", 11),
    pad("từ kho", 6),
    pad("Cấp huyện", 9),
    pad("Cấp xã", 7),
    pad("Tỷ lệ %", 7),
    pad("Mục tiêu", 8),
    "0 … 100 % (| mục tiêu)"
  ].join("  ")
  const lines = rows.map((r) => {
    const t = r.report.total
    const rate = ReuseRateReport.rate(t)
    const target = r.report.target?.value ?? null
    const met = rate !== null && target !== null && Ratio.compare(rate, target) >= 0
    return [
      pad(`${String(r.month).padStart(2, "0")}/2024`, 7, false),
      pad(`${Math.round(r.adoption * 100)} %`, 7),
      pad(VietnameseFormat.integer(t.received), 9),
      pad(VietnameseFormat.integer(t.reused), 11),
      pad(VietnameseFormat.integer(t.reusedFromStore), 6),
      pad(VietnameseFormat.percent(ReuseRateReport.rate(r.district)), 9),
      pad(VietnameseFormat.percent(ReuseRateReport.rate(r.commune)), 7),
      pad(VietnameseFormat.percent(rate), 7),
      pad(target === null ? "—" : VietnameseFormat.percent(target), 8),
      `${bar(rate, target)} ${met ? "đạt" : "chưa đạt"}`
    ].join("  ")
  })
  return [header, "─".repeat(header.length), ...lines].join("\n") + "\n"
}
