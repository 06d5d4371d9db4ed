/**
 * The reuse-rate KPI (tỷ lệ khai thác, sử dụng lại thông tin số hóa) read from the `KpiLedger`: per
 * unit, per level and for the whole tree, over any period, as of whatever position the ledger was
 * folded to — and the Appendix I–shaped `ReuseRateReport` built from it.
 *
 * Three figures are kept apart and labelled, never merged:
 * - **reused** (the KPI's numerator): received dossiers with ≥ 1 component satisfied from the owner's
 *   store or from an earlier dossier or its result; split into `reusedFromStore` and
 *   `reusedFromEarlierDossier` (a dossier using both counts in both, so the split need not add up);
 * - **any digitised component** (looser, for information): the reused ones plus those with paper
 *   scanned at the counter into the owner's store. Scanning is digitisation, not reuse: it is what
 *   makes *later* reuse possible.
 *
 * Zero dossiers received gives no rate (`null`, printed "—"), never 0 %.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import * as AdministrativeUnit from "./AdministrativeUnit.ts"
import * as KpiLedger from "./KpiLedger.ts"
import type * as Period from "./Period.ts"
import * as Ratio from "./Ratio.ts"
import * as ReuseRateReport from "./ReuseRateReport.ts"
import type * as Target from "./Target.ts"

/**
 * The label of each figure, in Vietnamese (as a report prints it) and English.
 *
 * @since 0.1.0
 */
export const labels = {
  received: { vi: "Tổng hồ sơ tiếp nhận", en: "Dossiers received" },
  reused: {
    vi: "Hồ sơ sử dụng lại dữ liệu số hóa",
    en: "Dossiers reusing digitised data (store or earlier dossier)"
  },
  reusedFromStore: {
    vi: "trong đó: lấy từ Kho dữ liệu cá nhân, tổ chức",
    en: "of which: taken from the owner's document store"
  },
  reusedFromEarlierDossier: {
    vi: "trong đó: từ hồ sơ, kết quả giải quyết trước đó",
    en: "of which: from an earlier dossier or its result"
  },
  anyDigitised: {
    vi: "Hồ sơ có thành phần từ dữ liệu số hóa (kể cả số hóa tại quầy) — tham khảo",
    en: "Dossiers with any digitised component (including paper scanned at the counter) — for information"
  },
  rate: { vi: "Tỷ lệ khai thác, sử dụng lại thông tin số hóa (%)", en: "Reuse rate (%)" }
} as const

/**
 * The report's counts from ledger facts.
 *
 * @since 0.1.0
 */
export const countsOf = (facts: KpiLedger.Facts): ReuseRateReport.Counts => ({
  received: facts.received,
  reused: facts.reused,
  reusedFromStore: facts.reusedFromStore,
  reusedFromEarlierDossier: facts.reusedFromEarlierDossier
})

/**
 * The reuse rate of facts: reused ÷ received, `null` without dossiers.
 *
 * @since 0.1.0
 */
export const rate = (facts: KpiLedger.Facts): Ratio.Ratio | null => Ratio.make(facts.reused, facts.received)

/**
 * The looser rate: dossiers with any digitised component ÷ received, `null` without dossiers.
 *
 * @since 0.1.0
 */
export const anyDigitisedRate = (facts: KpiLedger.Facts): Ratio.Ratio | null =>
  Ratio.make(facts.anyDigitised, facts.received)

/**
 * What {@link figures} and {@link report} need: the period, the unit history, the root of the tree to
 * report on (e.g. `AdministrativeUnit.AN_LAO`).
 *
 * @since 0.1.0
 */
export interface Query {
  readonly period: Period.Period
  readonly units: AdministrativeUnit.UnitHistory
  readonly root: string
}

/**
 * The figures of every unit under `root` (units without dossiers are absent: they count as zero), and
 * what could not be attributed to any unit of the history (`unattributed`, by agency code: dossiers of
 * agencies outside the unit data — other provinces, or a gap in the data).
 *
 * @since 0.1.0
 */
export const figures = (ledger: KpiLedger.KpiLedger, query: Query): {
  readonly units: ReadonlyMap<string, KpiLedger.Facts>
  readonly total: KpiLedger.Facts
  readonly unattributed: ReadonlyMap<string, KpiLedger.Facts>
} => {
  const all = KpiLedger.byUnit(ledger, query)
  const tree = AdministrativeUnit.asOf(query.units, query.period.to)
  const under = new Set(AdministrativeUnit.descendants(tree, query.root).map((u) => u.code))
  under.add(query.root)
  const units = new Map([...all.units].filter(([code]) => under.has(code)))
  return { units, total: KpiLedger.sumFacts(units.values()), unattributed: all.unattributed }
}

/**
 * The Appendix I–shaped report of the units under `root` for the period, naming the log position and
 * head hash the ledger was folded to, with the target that applies (`targets`, e.g.
 * `Target.anLao2024`). Dossiers received by the root unit itself belong to no level's table: the
 * report is refused (`UnknownUnit`) rather than silently leaving them out (An Lão's committee has none:
 * it receives through its offices). A root not in force at the period's end is refused (`UnknownRoot`)
 * with the reason — for the shipped data, any period after 30 June 2025: the data ends there.
 *
 * @since 0.1.0
 */
export const report = (
  ledger: KpiLedger.KpiLedger,
  query: Query & { readonly targets: ReadonlyArray<Target.Target> }
): Result.Result<ReuseRateReport.ReuseRateReport, ReuseRateReport.InvalidReuseRateReport> => {
  const { units } = figures(ledger, query)
  const counts = new Map<string, ReuseRateReport.Counts>()
  for (const [code, facts] of units) counts.set(code, countsOf(facts))
  return Result.mapError(
    ReuseRateReport.make({
      period: query.period,
      units: query.units,
      root: query.root,
      counts,
      targets: query.targets,
      computedFrom: KpiLedger.logHead(ledger)
    }),
    (e) => e.reason === "UnknownRoot" ? new ReuseRateReport.InvalidReuseRateReport({ reason: e.reason, message: unknownRootMessage(query) }) : e
  )
}

/** `UnknownRoot`, with why the root is not in force and what to do (the unit data may simply end). */
const unknownRootMessage = (query: Query): string =>
  `no unit ${query.root} is in force on ${query.period.to}: ` +
  (AdministrativeUnit.notInForce(query.units, query.root, query.period.to) ?? "it is not in the unit data")
