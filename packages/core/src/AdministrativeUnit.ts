/**
 * The administrative units that receive dossiers, as an effective-dated tree.
 *
 * Vietnam had three tiers — province → district → commune — until 1 July 2025, when districts were
 * abolished and communes came directly under provinces (two-tier local government). A KPI for March
 * 2024 must be computed on the tree of March 2024, so every unit is a *version* with a validity
 * interval, and `asOf(history, date)` gives the tree in force on a date. History keeps its levels: a
 * 2024 report still shows a "district" level even when read in 2026.
 *
 * A unit's `kind` separates the territory's own People's Committee (`area`: a province, district or
 * commune) from `agency`s attached to it — a district's specialised offices (phòng), land-registration
 * branch and forest-protection unit — which the KPI tables report at their area's level ("cấp huyện").
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { unitsOfBinhDinhAnLao } from "./data/binhDinhAnLao.ts"
import { IsoDate } from "./internal/isoDate.ts"

/**
 * The tier a unit reports at.
 *
 * @since 0.1.0
 */
export const Level = Schema.Literals(["province", "district", "commune"])

/**
 * @since 0.1.0
 */
export type Level = typeof Level.Type

/**
 * The levels from the top down; reports list levels in this order.
 *
 * @since 0.1.0
 */
export const levels: ReadonlyArray<Level> = ["province", "district", "commune"]

/**
 * `area`: the territory's People's Committee itself; `agency`: a body attached to an area's committee,
 * reported at the area's level.
 *
 * @since 0.1.0
 */
export const Kind = Schema.Literals(["area", "agency"])

/**
 * @since 0.1.0
 */
export type Kind = typeof Kind.Type

/**
 * One version of a unit.
 *
 * - `code` is Kho's stable key (events name units by it); it survives renames and re-parenting, which
 *   is why it is not the agency code: agency codes were reissued by the 2025 reform.
 * - `agencyCode` is the electronic identifier in the dotted form of decision 20/2020/QĐ-TTg
 *   (`000.00.00.H08`), or `null` when unknown.
 * - `validFrom` is included, `validUntil` excluded (`null`: still in force).
 *
 * @since 0.1.0
 */
export const AdministrativeUnit = Schema.Struct({
  code: Schema.String.check(Schema.isPattern(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/)),
  agencyCode: Schema.NullOr(Schema.String.check(Schema.isPattern(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/))),
  name: Schema.NonEmptyString,
  level: Level,
  kind: Kind,
  parent: Schema.NullOr(Schema.String),
  validFrom: IsoDate,
  validUntil: Schema.NullOr(IsoDate)
})

/**
 * @since 0.1.0
 */
export type AdministrativeUnit = typeof AdministrativeUnit.Type

const rank: Record<Level, number> = { province: 0, district: 1, commune: 2 }

const inForce = (unit: AdministrativeUnit, date: string): boolean =>
  unit.validFrom <= date && (unit.validUntil === null || date < unit.validUntil)

const describe = (u: AdministrativeUnit): string =>
  `${u.code} (${u.validFrom} … ${u.validUntil ?? "open"})`

/** Every rule a set of unit versions must satisfy; each broken rule is one message. */
const problems = (units: ReadonlyArray<AdministrativeUnit>): Array<string> => {
  const out: Array<string> = []
  const byCode = new Map<string, Array<AdministrativeUnit>>()
  for (const u of units) {
    const versions = byCode.get(u.code) ?? []
    versions.push(u)
    byCode.set(u.code, versions)
  }
  for (const u of units) {
    if (u.validUntil !== null && u.validUntil <= u.validFrom) {
      out.push(`${describe(u)} ends before it starts`)
    }
    for (const other of byCode.get(u.code) ?? []) {
      if (other !== u && other.validFrom >= u.validFrom && inForce(u, other.validFrom)) {
        out.push(`${describe(u)} overlaps ${describe(other)}: versions of one unit must not overlap`)
      }
    }
    if (u.parent === null) {
      if (u.level !== "province" || u.kind !== "area") out.push(`${describe(u)} has no parent but is not a province`)
      continue
    }
    const parents = byCode.get(u.parent)
    if (parents === undefined) {
      out.push(`${describe(u)} names parent ${u.parent}, which is not in the data`)
      continue
    }
    // The parent must be in force on every day the child is: walk the child's interval through the
    // parent's versions.
    let day: string | null = u.validFrom
    while (day !== null && (u.validUntil === null || day < u.validUntil)) {
      const at: string = day
      const p = parents.find((v) => inForce(v, at))
      if (p === undefined) {
        out.push(`${describe(u)}: its parent ${u.parent} is not in force on ${at}`)
        break
      }
      if (p.kind !== "area") out.push(`${describe(u)}: its parent ${p.code} is an agency, not an area`)
      else if (u.kind === "agency" && p.level !== u.level) {
        out.push(`${describe(u)}: an agency reports at its parent's level (${p.level}), not ${u.level}`)
      } else if (u.kind === "area" && rank[p.level] >= rank[u.level]) {
        out.push(`${describe(u)}: a ${u.level} cannot sit under a ${p.level}`)
      }
      day = p.validUntil
    }
  }
  return out
}

/**
 * Every version of every unit, checked as a whole: versions of a code do not overlap, parents exist
 * and are in force for the child's whole validity, areas nest province > district > commune, and
 * agencies hang under an area of their own level. Decode external unit data through this schema.
 *
 * @since 0.1.0
 */
export const UnitHistory = Schema.Array(AdministrativeUnit).check(
  Schema.makeFilter((units: ReadonlyArray<AdministrativeUnit>) => problems(units))
)

/**
 * @since 0.1.0
 */
export type UnitHistory = typeof UnitHistory.Type

/**
 * The units in force on one date, in data order (which is the order reports list them in).
 *
 * @since 0.1.0
 */
export interface UnitTree {
  readonly date: string
  readonly units: ReadonlyArray<AdministrativeUnit>
}

/**
 * The tree in force on `date`.
 *
 * @since 0.1.0
 */
export const asOf = (history: UnitHistory, date: string): UnitTree => ({
  date,
  units: history.filter((u) => inForce(u, date))
})

/**
 * The dates in `(from, to]` on which the tree changes (a version starts or ends). Empty means the tree
 * of `from` holds for the whole span, so one tree can serve a report over it.
 *
 * @since 0.1.0
 */
export const changesWithin = (history: UnitHistory, from: string, to: string): ReadonlyArray<string> => {
  const dates = new Set<string>()
  for (const u of history) {
    for (const d of [u.validFrom, u.validUntil]) if (d !== null && from < d && d <= to) dates.add(d)
  }
  return [...dates].sort()
}

/**
 * Why no version of `code` is in force on `date`, in words a person can act on, or `undefined` when
 * one is. The case that matters in practice: the shipped data (`binhDinhAnLao`) ends on 1 July 2025,
 * when the reform abolished districts and merged provinces and communes, and holds no successor
 * units; a report on a later period has no tree until a deployment adds them as new versions (see
 * docs/kpi.md, "Unit data after 1 July 2025").
 *
 * @since 0.1.0
 */
export const notInForce = (history: UnitHistory, code: string, date: string): string | undefined => {
  const versions = history.filter((u) => u.code === code)
  if (versions.some((u) => inForce(u, date))) return undefined
  if (versions.length === 0) return `there is no unit ${code} in the unit data`
  const first = versions.reduce((a, b) => (b.validFrom < a.validFrom ? b : a))
  if (date < first.validFrom) return `the unit data has ${code} (${first.name}) only from ${first.validFrom}`
  const ended = versions.filter((u) => u.validUntil !== null && u.validUntil <= date)
  const last = ended.reduce((a, b) => (b.validUntil! > a.validUntil! ? b : a))
  const later = history.some((u) => u.validUntil === null || u.validUntil > last.validUntil!)
  return versions.some((u) => u.validFrom > date)
    ? `${code} (${last.name}) has no version in force between ${last.validUntil} and its next version`
    : `${code} (${last.name}) ceased on ${last.validUntil}${
      later ? "" : `, where the unit data ends`
    }: after that date report on the units that succeeded it (the 2025 reform abolished districts and merged ` +
      `provinces and communes), adding them to the unit data as new versions if they are not there ` +
      `(docs/kpi.md, "Unit data after 1 July 2025"; with kho: --units FILE --root CODE)`
}

/**
 * The unit with `code` in the tree, if any.
 *
 * @since 0.1.0
 */
export const get = (tree: UnitTree, code: string): AdministrativeUnit | undefined =>
  tree.units.find((u) => u.code === code)

/**
 * The units directly under `code`, in data order.
 *
 * @since 0.1.0
 */
export const children = (tree: UnitTree, code: string): ReadonlyArray<AdministrativeUnit> =>
  tree.units.filter((u) => u.parent === code)

/**
 * Every unit below `code` (not `code` itself), parents before children, siblings in data order.
 *
 * @since 0.1.0
 */
export const descendants = (tree: UnitTree, code: string): ReadonlyArray<AdministrativeUnit> => {
  const out: Array<AdministrativeUnit> = []
  const walk = (c: string): void => {
    for (const child of children(tree, c)) {
      out.push(child)
      walk(child.code)
    }
  }
  walk(code)
  return out
}

/**
 * The chain of parents of `code`, nearest first (empty for a root or an unknown code).
 *
 * @since 0.1.0
 */
export const ancestors = (tree: UnitTree, code: string): ReadonlyArray<AdministrativeUnit> => {
  const out: Array<AdministrativeUnit> = []
  let current = get(tree, code)
  while (current !== undefined && current.parent !== null) {
    const parent = get(tree, current.parent)
    if (parent === undefined) break
    out.push(parent)
    current = parent
  }
  return out
}

/**
 * Bình Định province and An Lão district with the units of the seed's Appendix I, decoded (and so
 * checked) when the module loads. See `data/binhDinhAnLao.ts` for what is official and what is not.
 *
 * @since 0.1.0
 */
export const binhDinhAnLao: UnitHistory = Schema.decodeUnknownSync(UnitHistory)(unitsOfBinhDinhAnLao)

/**
 * The stable code of An Lão district in `binhDinhAnLao`.
 *
 * @since 0.1.0
 */
export const AN_LAO = "binh-dinh.an-lao"
