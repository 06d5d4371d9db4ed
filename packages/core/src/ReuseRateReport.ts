/**
 * The reuse-rate report (tỷ lệ khai thác, sử dụng lại thông tin số hóa) as data, shaped like Appendix I
 * of the seed: a table per level, a total per level, the whole unit's total, the target and the gap.
 *
 * The report is built from a plain map `unit code → counts` (the KPI projection produces it from the
 * event log) and names the log position and head hash it was computed from, so an auditor can rebuild
 * it from the same log and compare. Rates are not stored: they are derived from the counts (`rate`),
 * so a published report cannot carry a rate that disagrees with its own counts.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as AdministrativeUnit from "./AdministrativeUnit.ts"
import { anLaoAppendixI } from "./data/anLaoAppendixI.ts"
import { GENESIS_HASH } from "./HashChain.ts"
import { IsoDate } from "./internal/isoDate.ts"
import * as Period from "./Period.ts"
import * as Ratio from "./Ratio.ts"
import * as Target from "./Target.ts"

/**
 * The exact definition of the rate, published with every report (DESIGN §3).
 *
 * @since 0.1.0
 */
export const definition = {
  vi: "Tỷ lệ khai thác, sử dụng lại thông tin số hóa = số hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần " +
    "hồ sơ được đáp ứng bằng dữ liệu đã số hóa (lấy từ Kho dữ liệu cá nhân, tổ chức hoặc từ hồ sơ, kết quả đã " +
    "số hóa trước đó) ÷ tổng số hồ sơ tiếp nhận trong kỳ × 100.",
  en: "Reuse rate = dossiers received in the period with at least one component satisfied from digitised data " +
    "(the owner's document store, or an earlier digitised dossier or result) ÷ all dossiers received in the " +
    "period × 100."
} as const

const Count = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * What a unit did in the period.
 *
 * - `received`: dossiers received (the denominator);
 * - `reused`: of those, dossiers with at least one component satisfied from digitised data (the
 *   numerator);
 * - `reusedFromStore` / `reusedFromEarlierDossier`: of `reused`, those with a component taken from the
 *   owner's store / from an earlier dossier or result. A dossier may count in both, so they need not
 *   add up to `reused`.
 *
 * @since 0.1.0
 */
export const Counts = Schema.Struct({
  received: Count,
  reused: Count,
  reusedFromStore: Count,
  reusedFromEarlierDossier: Count
}).check(
  Schema.makeFilter((c: { readonly received: number; readonly reused: number; readonly reusedFromStore: number; readonly reusedFromEarlierDossier: number }) => {
    const out: Array<string> = []
    if (c.reused > c.received) out.push(`reused (${c.reused}) exceeds received (${c.received})`)
    if (c.reusedFromStore > c.reused) out.push(`reusedFromStore (${c.reusedFromStore}) exceeds reused (${c.reused})`)
    if (c.reusedFromEarlierDossier > c.reused) {
      out.push(`reusedFromEarlierDossier (${c.reusedFromEarlierDossier}) exceeds reused (${c.reused})`)
    }
    return out
  })
)

/**
 * @since 0.1.0
 */
export type Counts = typeof Counts.Type

/**
 * No dossiers at all.
 *
 * @since 0.1.0
 */
export const zero: Counts = { received: 0, reused: 0, reusedFromStore: 0, reusedFromEarlierDossier: 0 }

/**
 * Field-wise sum.
 *
 * @since 0.1.0
 */
export const sum = (counts: Iterable<Counts>): Counts => {
  let t = zero
  for (const c of counts) {
    t = {
      received: t.received + c.received,
      reused: t.reused + c.reused,
      reusedFromStore: t.reusedFromStore + c.reusedFromStore,
      reusedFromEarlierDossier: t.reusedFromEarlierDossier + c.reusedFromEarlierDossier
    }
  }
  return t
}

/**
 * The reuse rate `reused / received`, or `null` when nothing was received (not applicable — never 0).
 *
 * @since 0.1.0
 */
export const rate = (counts: Counts): Ratio.Ratio | null => Ratio.make(counts.reused, counts.received)

/**
 * One unit's line.
 *
 * @since 0.1.0
 */
export const Row = Schema.Struct({ code: Schema.String, name: Schema.String, counts: Counts })

/**
 * @since 0.1.0
 */
export type Row = typeof Row.Type

const sameCounts = (a: Counts, b: Counts): boolean =>
  a.received === b.received && a.reused === b.reused && a.reusedFromStore === b.reusedFromStore &&
  a.reusedFromEarlierDossier === b.reusedFromEarlierDossier

/**
 * The table of one level ("I. CẤP HUYỆN") with its total ("Tổng số").
 *
 * @since 0.1.0
 */
export const LevelTable = Schema.Struct({
  level: AdministrativeUnit.Level,
  rows: Schema.Array(Row),
  total: Counts
}).check(
  Schema.makeFilter((t: { readonly level: string; readonly rows: ReadonlyArray<Row>; readonly total: Counts }) =>
    sameCounts(t.total, sum(t.rows.map((r) => r.counts))) || `the ${t.level} total is not the sum of its rows`
  )
)

/**
 * @since 0.1.0
 */
export type LevelTable = typeof LevelTable.Type

/**
 * The log the report was computed from: the position of its last event (0 for an empty log) and that
 * event's hash (the genesis hash for an empty log).
 *
 * @since 0.1.0
 */
export const LogHead = Schema.Struct({
  position: Count,
  headHash: Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/))
}).check(
  Schema.makeFilter((h: { readonly position: number; readonly headHash: string }) =>
    (h.position === 0) === (h.headHash === GENESIS_HASH) ||
    "an empty log (position 0) and only an empty log has the genesis hash as its head"
  )
)

/**
 * @since 0.1.0
 */
export type LogHead = typeof LogHead.Type

/**
 * The report. `unitsAsOf` is the date of the unit tree used (the tree does not change within the
 * period, see `make`); `target` is `null` when no target applies.
 *
 * @since 0.1.0
 */
export const ReuseRateReport = Schema.Struct({
  schemaVersion: Schema.Literal(1),
  indicator: Schema.Literal("reuse-rate"),
  period: Period.Period,
  unitsAsOf: IsoDate,
  root: Schema.Struct({ code: Schema.String, name: Schema.String, level: AdministrativeUnit.Level }),
  levels: Schema.Array(LevelTable),
  total: Counts,
  target: Schema.NullOr(Schema.Struct({ value: Ratio.Ratio, source: Target.Source })),
  computedFrom: LogHead
}).check(
  Schema.makeFilter((r: { readonly levels: ReadonlyArray<LevelTable>; readonly total: Counts }) => {
    const out: Array<string> = []
    if (!sameCounts(r.total, sum(r.levels.map((l) => l.total)))) out.push("the whole total is not the sum of the level totals")
    const codes = r.levels.flatMap((l) => l.rows.map((row) => row.code))
    if (new Set(codes).size !== codes.length) out.push("a unit appears in more than one row")
    const order = r.levels.map((l) => AdministrativeUnit.levels.indexOf(l.level))
    if (order.some((o, i) => i > 0 && o <= order[i - 1]!)) out.push("levels must be listed once each, from the top down")
    return out
  })
)

/**
 * @since 0.1.0
 */
export type ReuseRateReport = typeof ReuseRateReport.Type

/**
 * The report's JSON text form (2-space indented), for publishing and for reading a published report back
 * (`kho report check`): decoding checks every total and invariant.
 *
 * @since 0.1.0
 */
export const ReuseRateReportFromJson = Schema.fromJsonString(ReuseRateReport, { space: 2 })

/**
 * Why a report could not be built.
 *
 * - `UnknownRoot`: the root is not in the unit tree of the period;
 * - `UnknownUnit`: counts name a unit that is not under the root in that tree (a wrong attribution
 *   would silently change the figures, so it is refused);
 * - `InvalidCounts`: counts that break an invariant (more reused than received…);
 * - `ReorganisedDuringPeriod`: the unit tree changes within the period (split the period there).
 *
 * @since 0.1.0
 */
export class InvalidReuseRateReport extends Schema.TaggedError<InvalidReuseRateReport>()("InvalidReuseRateReport", {
  reason: Schema.Literals(["UnknownRoot", "UnknownUnit", "InvalidCounts", "ReorganisedDuringPeriod"]),
  message: Schema.String
}) {}

/**
 * What `make` needs. `counts` may omit units (they count as zero: "—" for the rate).
 *
 * @since 0.1.0
 */
export interface Input {
  readonly period: Period.Period
  readonly units: AdministrativeUnit.UnitHistory
  readonly root: string
  readonly counts: ReadonlyMap<string, Counts> | { readonly [code: string]: Counts }
  readonly targets: ReadonlyArray<Target.Target>
  readonly computedFrom: LogHead
}

const decodeCounts = Schema.decodeUnknownResult(Counts)

/**
 * Builds the report: rows are the units under `root` in the tree of the period, grouped by level in data
 * order; levels without units are left out.
 *
 * @since 0.1.0
 */
export const make = (input: Input): Result.Result<ReuseRateReport, InvalidReuseRateReport> => {
  const { period, root } = input
  const changes = AdministrativeUnit.changesWithin(input.units, period.from, period.to)
  if (changes.length > 0) {
    return Result.fail(
      new InvalidReuseRateReport({
        reason: "ReorganisedDuringPeriod",
        message: `the unit tree changes on ${changes.join(", ")}, within the period ${period.from} … ${period.to}: ` +
          `report on the parts before and after separately`
      })
    )
  }
  const tree = AdministrativeUnit.asOf(input.units, period.to)
  const rootUnit = AdministrativeUnit.get(tree, root)
  if (rootUnit === undefined) {
    return Result.fail(
      new InvalidReuseRateReport({ reason: "UnknownRoot", message: `no unit ${root} is in force on ${period.to}` })
    )
  }
  const units = AdministrativeUnit.descendants(tree, root)
  const known = new Set(units.map((u) => u.code))
  const entries: ReadonlyArray<readonly [string, Counts]> = input.counts instanceof Map
    ? [...input.counts]
    : Object.entries(input.counts)
  const counts = new Map<string, Counts>()
  for (const [code, value] of entries) {
    if (!known.has(code)) {
      return Result.fail(
        new InvalidReuseRateReport({
          reason: "UnknownUnit",
          message: `counts name ${code}, which is not a unit under ${rootUnit.name} (${root}) on ${period.to}: ` +
            `either the dossiers are attributed to the wrong unit or the unit data lacks it`
        })
      )
    }
    const decoded = decodeCounts(value)
    if (Result.isFailure(decoded)) {
      return Result.fail(
        new InvalidReuseRateReport({
          reason: "InvalidCounts",
          message: `the counts of ${code} are inconsistent: ${decoded.failure.message}`
        })
      )
    }
    counts.set(code, decoded.success)
  }
  const levels: Array<LevelTable> = []
  for (const level of AdministrativeUnit.levels) {
    const rows = units
      .filter((u) => u.level === level)
      .map((u): Row => ({ code: u.code, name: u.name, counts: counts.get(u.code) ?? zero }))
    if (rows.length > 0) levels.push({ level, rows, total: sum(rows.map((r) => r.counts)) })
  }
  const target = Target.find(input.targets, { indicator: "reuse-rate", tree, unit: root, period })
  return Result.succeed({
    schemaVersion: 1,
    indicator: "reuse-rate",
    period,
    unitsAsOf: period.to,
    root: { code: rootUnit.code, name: rootUnit.name, level: rootUnit.level },
    levels,
    total: sum(levels.map((l) => l.total)),
    target: target === undefined ? null : { value: target.value, source: target.source },
    computedFrom: input.computedFrom
  })
}

/**
 * How far the whole total is from the target, in percentage points as an exact ratio (target − rate):
 * positive while short of the target. `null` without a target or without dossiers.
 *
 * @since 0.1.0
 */
export const gap = (report: ReuseRateReport): Ratio.Ratio | null => {
  const achieved = rate(report.total)
  return report.target === null || achieved === null ? null : Ratio.subtract(report.target.value, achieved)
}

/**
 * What the seed published for An Lão (Appendix I): the period and, per unit, dossiers received and
 * reused. The seed does not split reuse by source. The KPI projection must reproduce these figures from
 * the An Lão event log; tests and examples compare against them.
 *
 * @since 0.1.0
 */
export const seedAppendixI: {
  readonly period: Period.Period
  readonly figures: ReadonlyArray<{ readonly code: string; readonly received: number; readonly reused: number }>
} = {
  period: { from: "2024-01-01", to: "2024-03-20" },
  figures: anLaoAppendixI.map(([code, received, reused]) => ({ code, received, reused }))
}
