/**
 * KPI targets as data: which indicator, for whom, over which period, what value, and which decision set
 * it — so a report can print its target with its legal source, and a new decision is a data change.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { UnitTree } from "./AdministrativeUnit.ts"
import { Level, ancestors, get } from "./AdministrativeUnit.ts"
import { IsoDate } from "./internal/isoDate.ts"
import * as Period from "./Period.ts"
import { Ratio } from "./Ratio.ts"

/**
 * The indicators Kho computes: the reuse rate of the seed, and related indicators of the national
 * index (decision 766/QĐ-TTg).
 *
 * @since 0.1.0
 */
export const Indicator = Schema.Literals([
  "reuse-rate",
  "electronic-result",
  "digitised-dossier",
  "electronic-certified-copy",
  "complaint-on-time"
])

/**
 * @since 0.1.0
 */
export type Indicator = typeof Indicator.Type

/**
 * Whom a target binds: one unit (and, failing a more specific target, everything under it), or every
 * unit of a level under a unit (`within`).
 *
 * @since 0.1.0
 */
export const Scope = Schema.Union([
  Schema.TaggedStruct("Unit", { code: Schema.String }),
  Schema.TaggedStruct("Level", { level: Level, within: Schema.String })
])

/**
 * @since 0.1.0
 */
export type Scope = typeof Scope.Type

/**
 * The document that set a target.
 *
 * @since 0.1.0
 */
export const Source = Schema.Struct({
  document: Schema.NonEmptyString,
  date: IsoDate,
  issuer: Schema.NonEmptyString
})

/**
 * @since 0.1.0
 */
export type Source = typeof Source.Type

/**
 * A target: `value` is a ratio (60 % is 60/100).
 *
 * @since 0.1.0
 */
export const Target = Schema.Struct({
  indicator: Indicator,
  scope: Scope,
  period: Period.Period,
  value: Ratio,
  source: Source
})

/**
 * @since 0.1.0
 */
export type Target = typeof Target.Type

/**
 * The target that applies to `unit` (a code in `tree`) for `indicator` over `period`: the target must
 * cover the whole period; the most specific scope wins — the unit itself, then a level target within its
 * nearest ancestor, then the nearest ancestor's own target. `undefined` when none applies.
 *
 * @since 0.1.0
 */
export const find = (
  targets: ReadonlyArray<Target>,
  query: { readonly indicator: Indicator; readonly tree: UnitTree; readonly unit: string; readonly period: Period.Period }
): Target | undefined => {
  const unit = get(query.tree, query.unit)
  if (unit === undefined) return undefined
  const applicable = targets.filter((t) => t.indicator === query.indicator && Period.covers(t.period, query.period))
  const own = applicable.find((t) => t.scope._tag === "Unit" && t.scope.code === unit.code)
  if (own !== undefined) return own
  for (const ancestor of ancestors(query.tree, unit.code)) {
    const byLevel = applicable.find((t) =>
      t.scope._tag === "Level" && t.scope.within === ancestor.code && t.scope.level === unit.level
    )
    if (byLevel !== undefined) return byLevel
    const inherited = applicable.find((t) => t.scope._tag === "Unit" && t.scope.code === ancestor.code)
    if (inherited !== undefined) return inherited
  }
  return undefined
}

/**
 * The 2024 reuse-rate target of An Lão district: 60 % (decision 235/QĐ-UBND of 18/01/2024 of the
 * chairman of Bình Định's People's Committee, relayed to the district's units by decision 231/QĐ-UBND
 * of 24/01/2024 of the district chairman).
 *
 * @since 0.1.0
 */
export const anLao2024: ReadonlyArray<Target> = Schema.decodeUnknownSync(Schema.Array(Target))([
  {
    indicator: "reuse-rate",
    scope: { _tag: "Unit", code: "binh-dinh.an-lao" },
    period: { from: "2024-01-01", to: "2024-12-31" },
    value: { numerator: 60, denominator: 100 },
    source: { document: "235/QĐ-UBND", date: "2024-01-18", issuer: "Chủ tịch UBND tỉnh Bình Định" }
  }
])
