/**
 * The KPIs of Kho as data — each indicator's exact numerator, denominator, deciding event and legal
 * source — and one table shape for all of them: per unit, per level, the whole tree, the target that
 * applies, and the log head the figures were computed from. Everything is read from the `KpiLedger`
 * (events only). `docs/kpi.md` restates these definitions for people.
 *
 * ```ts
 * const ledger = yield* KpiLedger.fromStore({ asOf: KpiLedger.atTime("2024-03-31T17:00:00Z") })
 * const table = Indicators.table(ledger, {
 *   indicator: "digitised-dossier", period: ReportingPeriod.quarter(2024, 1),
 *   units: AdministrativeUnit.binhDinhAnLao, root: AdministrativeUnit.AN_LAO, targets: []
 * })
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as AdministrativeUnit from "./AdministrativeUnit.ts"
import * as KpiLedger from "./KpiLedger.ts"
import type * as Period from "./Period.ts"
import * as Ratio from "./Ratio.ts"
import * as Target from "./Target.ts"

/**
 * Words in Vietnamese and English.
 *
 * @since 0.1.0
 */
export interface Label {
  readonly vi: string
  readonly en: string
}

/**
 * One indicator's definition. `denominator` is `null` for a plain count (certified copies).
 *
 * @since 0.1.0
 */
export interface Definition {
  readonly indicator: Target.Indicator
  readonly name: Label
  readonly numerator: Label & { readonly of: (facts: KpiLedger.Facts) => number }
  readonly denominator: (Label & { readonly of: (facts: KpiLedger.Facts) => number }) | null
  /** Which event puts an item in a period, and which of its timestamps decides the day. */
  readonly decidedBy: string
  /** The legal source, as far as Kho's authors are confident of it (see docs/kpi.md). */
  readonly source: string
}

const receivedDenominator = {
  vi: "Tổng số hồ sơ tiếp nhận trong kỳ",
  en: "dossiers received in the period",
  of: (f: KpiLedger.Facts) => f.received
}

/**
 * Every indicator, by its `Target.Indicator` name.
 *
 * @since 0.1.0
 */
export const definitions: { readonly [K in Target.Indicator]: Definition } = {
  "reuse-rate": {
    indicator: "reuse-rate",
    name: { vi: "Tỷ lệ khai thác, sử dụng lại thông tin số hóa", en: "Reuse rate of digitised data" },
    numerator: {
      vi: "Hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần lấy từ Kho dữ liệu cá nhân, tổ chức hoặc từ hồ sơ, kết quả trước đó, " +
        "theo thành phần hồ sơ tại thời điểm tiếp nhận (bổ sung sau tiếp nhận không làm thay đổi)",
      en: "dossiers received in the period with at least one component taken from the owner's store or from an earlier dossier or its result, " +
        "judged on the components as they were at receipt (a supplement after receipt does not change it)",
      of: (f) => f.reused
    },
    denominator: receivedDenominator,
    decidedBy: "DossierReceived, day (Vietnam time, UTC+7) of its `at`; components as listed at receipt — " +
      "a supplement (SupplementProvided) records no components, so a component swapped after receipt changes nothing",
    source: "Quyết định 235/QĐ-UBND ngày 18/01/2024 của Chủ tịch UBND tỉnh Bình Định (chỉ tiêu 60 %); Bộ chỉ số theo Quyết định 766/QĐ-TTg"
  },
  "digitised-dossier": {
    indicator: "digitised-dossier",
    name: { vi: "Tỷ lệ hồ sơ được số hóa", en: "Digitised-dossier rate" },
    numerator: {
      vi: "Hồ sơ tiếp nhận trong kỳ mà mọi thành phần đều là dữ liệu số hóa (từ kho, từ hồ sơ trước, hoặc scan tại quầy vào kho)",
      en: "dossiers received in the period whose every component is digitised data (from the store, an earlier dossier, or scanned at the counter into the store)",
      of: (f) => f.digitisedDossiers
    },
    denominator: receivedDenominator,
    decidedBy: "DossierReceived, day (Vietnam time) of its `at`; components as listed at receipt (a supplement changes nothing)",
    source: "Bộ chỉ số theo Quyết định 766/QĐ-TTg; Thông tư 01/2023/TT-VPCP (số hóa hồ sơ, kết quả)"
  },
  "electronic-result": {
    indicator: "electronic-result",
    name: { vi: "Tỷ lệ hồ sơ được cấp kết quả điện tử", en: "Electronic-result rate" },
    numerator: {
      vi: "Hồ sơ được cấp kết quả trong kỳ bằng kết quả điện tử (cấp vào Kho dữ liệu của chủ hồ sơ)",
      en: "dossiers whose result was issued in the period electronically, into the owner's store",
      of: (f) => f.resultsIssued
    },
    denominator: {
      vi: "Hồ sơ được cấp kết quả trong kỳ (kết quả điện tử hoặc kết quả giấy); hồ sơ bị từ chối không tính",
      en: "dossiers whose result was issued in the period, electronically or on paper; rejected dossiers are not counted",
      of: (f) => f.resultsIssued + f.paperResults
    },
    decidedBy: "ResultIssued (electronic) / PaperResultIssued (paper), day (Vietnam time) of its `at`",
    source: "Bộ chỉ số theo Quyết định 766/QĐ-TTg; Nghị định 45/2020/NĐ-CP (kết quả điện tử)"
  },
  "electronic-certified-copy": {
    indicator: "electronic-certified-copy",
    name: { vi: "Số bản sao chứng thực điện tử đã cấp", en: "Electronic certified copies issued" },
    numerator: {
      vi: "Bản sao được chứng thực từ bản chính, cấp điện tử vào kho của công dân, tổ chức trong kỳ; " +
        "bản cấp lại để điều chỉnh theo phản ánh không tính là bản chứng thực mới",
      en: "certified copies issued electronically into owners' stores in the period; a copy reissued to correct one " +
        "after a complaint is not a new certification",
      of: (f) => f.certifiedCopies
    },
    denominator: null,
    decidedBy: "DocumentIssued of kind CertifiedCopy, day (Vietnam time) of its `at`, counted for the issuing agency; " +
      "not the replacement a complaint's correction issues (command issue-replacement of a complaint open with that agency)",
    source: "Nghị định 23/2015/NĐ-CP (chứng thực bản sao từ bản chính); Nghị định 45/2020/NĐ-CP (chứng thực điện tử)"
  },
  "complaint-on-time": {
    indicator: "complaint-on-time",
    name: { vi: "Tỷ lệ phản ánh về kết quả được xử lý đúng hạn", en: "Complaints handled on time" },
    numerator: {
      vi: "Phản ánh được xử lý (điều chỉnh hoặc từ chối) trong kỳ, đúng hạn",
      en: "complaints closed (corrected or rejected) in the period within their deadline",
      of: (f) => f.complaintsOnTime
    },
    denominator: {
      vi: "Phản ánh được xử lý trong kỳ có hạn xác định được (đúng hạn + quá hạn), cộng phản ánh chưa xử lý đến hết kỳ mà đã quá hạn xử lý (tính là quá hạn)",
      en: "complaints closed in the period with a known deadline (on time + late), plus complaints still open at the period's end past their handling deadline (counted as late)",
      of: (f) => f.complaintsOnTime + f.complaintsLate + f.complaintsOverdueOpen
    },
    decidedBy: "ComplaintResolved / ComplaintRejected, day (Vietnam time) of its `at`, for the agency the complaint was routed to; " +
      "a complaint still open is late in every period whose last day is past its handling deadline (and within the log); " +
      "deadlines from ComplaintFiled and the working calendar",
    source: "Bộ chỉ số theo Quyết định 766/QĐ-TTg (Kho: thời hạn là dữ liệu, ComplaintPolicy)"
  }
}

/**
 * An indicator's value: the numerator, the denominator (`null` for a count) and the rate (`null` for
 * a count, and when the denominator is 0: not applicable, never 0 %).
 *
 * @since 0.1.0
 */
export interface Value {
  readonly numerator: number
  readonly denominator: number | null
  readonly rate: Ratio.Ratio | null
}

/**
 * The value of `indicator` over some facts.
 *
 * @since 0.1.0
 */
export const value = (indicator: Target.Indicator, facts: KpiLedger.Facts): Value => {
  const d = definitions[indicator]
  const numerator = d.numerator.of(facts)
  if (d.denominator === null) return { numerator, denominator: null, rate: null }
  const denominator = d.denominator.of(facts)
  return { numerator, denominator, rate: Ratio.make(numerator, denominator) }
}

/**
 * One unit's line.
 *
 * @since 0.1.0
 */
export interface Row extends Value {
  readonly code: string
  readonly name: string
  readonly level: AdministrativeUnit.Level
}

/**
 * One level's table and total.
 *
 * @since 0.1.0
 */
export interface LevelTable {
  readonly level: AdministrativeUnit.Level
  readonly rows: ReadonlyArray<Row>
  readonly total: Value
}

/**
 * An indicator over a tree: a table per level (levels from the top down, units in data order, units
 * without anything listed with zeros), the whole total, the target that applies and the log head.
 *
 * @since 0.1.0
 */
export interface IndicatorTable {
  readonly indicator: Target.Indicator
  readonly period: Period.Period
  readonly root: { readonly code: string; readonly name: string; readonly level: AdministrativeUnit.Level }
  readonly levels: ReadonlyArray<LevelTable>
  readonly total: Value
  readonly target: { readonly value: Ratio.Ratio; readonly source: Target.Source } | null
  readonly computedFrom: { readonly position: number; readonly headHash: string }
}

/**
 * Why a table could not be built: no such root on the period's last day, or a unit tree that changes
 * within the period (split the period at the reorganisation).
 *
 * @since 0.1.0
 */
export class InvalidIndicatorQuery extends Schema.TaggedError<InvalidIndicatorQuery>()("InvalidIndicatorQuery", {
  reason: Schema.Literals(["UnknownRoot", "ReorganisedDuringPeriod"]),
  message: Schema.String
}) {}

const sumValues = (indicator: Target.Indicator, facts: Iterable<KpiLedger.Facts>): Value =>
  value(indicator, KpiLedger.sumFacts(facts))

/**
 * Builds the table of `indicator` for the units under `root` (the root too, when it has figures of
 * its own) over `period`, from the ledger.
 *
 * @since 0.1.0
 */
export const table = (
  ledger: KpiLedger.KpiLedger,
  query: {
    readonly indicator: Target.Indicator
    readonly period: Period.Period
    readonly units: AdministrativeUnit.UnitHistory
    readonly root: string
    readonly targets: ReadonlyArray<Target.Target>
  }
): Result.Result<IndicatorTable, InvalidIndicatorQuery> => {
  const { indicator, period, root } = query
  const changes = AdministrativeUnit.changesWithin(query.units, period.from, period.to)
  if (changes.length > 0) {
    return Result.fail(
      new InvalidIndicatorQuery({
        reason: "ReorganisedDuringPeriod",
        message: `the unit tree changes on ${changes.join(", ")}, within ${period.from} … ${period.to}: ` +
          `query the parts before and after separately`
      })
    )
  }
  const tree = AdministrativeUnit.asOf(query.units, period.to)
  const rootUnit = AdministrativeUnit.get(tree, root)
  if (rootUnit === undefined) {
    return Result.fail(
      new InvalidIndicatorQuery({
        reason: "UnknownRoot",
        message: `no unit ${root} is in force on ${period.to}: ${
          AdministrativeUnit.notInForce(query.units, root, period.to) ?? "it is not in the unit data"
        }`
      })
    )
  }
  const { units: facts } = KpiLedger.byUnit(ledger, { period, units: query.units })
  const listed = [...(facts.has(root) ? [rootUnit] : []), ...AdministrativeUnit.descendants(tree, root)]
  const levels: Array<LevelTable> = []
  for (const level of AdministrativeUnit.levels) {
    const units = listed.filter((u) => u.level === level)
    if (units.length === 0) continue
    const rows = units.map((u): Row => ({
      code: u.code,
      name: u.name,
      level: u.level,
      ...value(indicator, facts.get(u.code) ?? KpiLedger.noFacts)
    }))
    levels.push({ level, rows, total: sumValues(indicator, units.map((u) => facts.get(u.code) ?? KpiLedger.noFacts)) })
  }
  const target = Target.find(query.targets, { indicator, tree, unit: root, period })
  return Result.succeed({
    indicator,
    period,
    root: { code: rootUnit.code, name: rootUnit.name, level: rootUnit.level },
    levels,
    total: sumValues(indicator, listed.map((u) => facts.get(u.code) ?? KpiLedger.noFacts)),
    target: target === undefined ? null : { value: target.value, source: target.source },
    computedFrom: KpiLedger.logHead(ledger)
  })
}
