/**
 * The procedure catalog (danh mục thủ tục hành chính): each procedure as data — its code, the agency
 * that decides it, its cases (trường hợp giải quyết) with processing time and fee, how far it runs
 * online, and its required components (thành phần hồ sơ, TPHS) with what the store may satisfy them
 * with and how long such a document stays valid **for this procedure**.
 *
 * The catalog is data: the built-in one (`data/procedures.ts`) is drawn from real procedures, a
 * deployment may load its own. `load` validates it with Schema and against the category catalog, so a
 * bad entry is refused with a typed error naming it instead of surfacing later as a component nothing
 * ever matches.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as AgencyCode from "./AgencyCode.ts"
import * as Category from "./Category.ts"
import { procedures } from "./data/procedures.ts"
import { ResultTypeCode } from "./ResultTypeCode.ts"

const nonEmpty = (what: string) =>
  Schema.String.check(Schema.makeFilter((s: string) => s.trim().length > 0 ? undefined : `${what} cannot be empty`))

/**
 * Why `input` is not a procedure code, or `undefined`. A code is the national procedure database's
 * `d.dddddd` (`2.000815`), optionally followed by the agency code of a local variant
 * (`2.000815.000.00.00.H55`).
 *
 * @since 0.1.0
 */
export const codeProblem = (input: string): string | undefined => {
  const match = /^(\d\.\d{6})(?:\.(.+))?$/.exec(input)
  if (match === null) {
    return `a procedure code looks like 2.000815 (a digit, a dot, six digits), optionally followed by an agency code (2.000815.000.00.00.H55); got ${
      JSON.stringify(input)
    }`
  }
  const agency = match[2]
  if (agency === undefined) return undefined
  const problem = AgencyCode.problem(agency)
  return problem === undefined ? undefined : `the agency part of procedure code ${input} is wrong: ${problem}`
}

/**
 * A procedure code (mã thủ tục), branded.
 *
 * @since 0.1.0
 */
export const ProcedureCode = Schema.String.check(Schema.makeFilter(codeProblem)).pipe(Schema.brand("ProcedureCode"))

/**
 * @since 0.1.0
 */
export type ProcedureCode = typeof ProcedureCode.Type

/**
 * The prefix of illustrative codes. The national database numbers procedures `1.…`, `2.…`, `3.…`;
 * an entry whose code is not a real one must use `9.9…` so it can never be mistaken for one.
 *
 * @since 0.1.0
 */
export const illustrativePrefix = "9.9"

/**
 * An identifier inside a procedure (a case, a component): lower-case ASCII words joined by dashes.
 *
 * @since 0.1.0
 */
export const LocalId = Schema.String.check(
  Schema.makeFilter((s: string) =>
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s) && s.length <= 64
      ? undefined
      : `an id inside a procedure is lower-case ASCII words joined by dashes (giay-to-tuy-than), at most 64 characters; got ${
        JSON.stringify(s)
      }`
  )
)

/**
 * The form a component must be presented in. A document serves a form by its provenance and type
 * (see `Matching.formsServed`): an original serves every form, a certified copy serves a certified
 * copy or a copy.
 *
 * @since 0.1.0
 */
export const Form = Schema.Literals(["Original", "CertifiedCopy", "Copy"])

/**
 * @since 0.1.0
 */
export type Form = typeof Form.Type

/**
 * The Vietnamese label of each form, as component names print it ("(Bản chính)").
 *
 * @since 0.1.0
 */
export const formLabel: { readonly [K in Form]: string } = {
  Original: "Bản chính",
  CertifiedCopy: "Bản sao chứng thực",
  Copy: "Bản sao"
}

/**
 * A length of time counted from the day of issue. Counting follows the Civil Code (2015, art.
 * 147–148): the day of issue is not counted, so a period ends at the end of the day `days` later, or
 * of the same day of the month `months` later (the month's last day when it has no such day).
 *
 * @since 0.1.0
 */
export const Period = Schema.Union([
  Schema.TaggedStruct("Days", { days: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 3650 })) }),
  Schema.TaggedStruct("Months", { months: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 120 })) })
])

/**
 * @since 0.1.0
 */
export type Period = typeof Period.Type

/**
 * How long a document stays valid for this component of this procedure. A document's own printed
 * validity (`validUntil`) always applies on top of it.
 *
 * - `NoneByLaw`: no limit for this procedure;
 * - `FromIssue`: valid `period` from its day of issue (the criminal-record certificate: each procedure
 *   sets its own period);
 * - `FromIssueUntilStatusChange`: valid `period` from issue or until the status it attests changes,
 *   whichever comes first (the marital-status certificate). A change is witnessed by the document
 *   being revoked or superseded, or by a later trustworthy document of the same category for the same
 *   owner (see `Matching`).
 *
 * `basis` names the legal text.
 *
 * @since 0.1.0
 */
export const ValidityRule = Schema.Union([
  Schema.TaggedStruct("NoneByLaw", { basis: Schema.optionalKey(Schema.String) }),
  Schema.TaggedStruct("FromIssue", { period: Period, basis: Schema.optionalKey(Schema.String) }),
  Schema.TaggedStruct("FromIssueUntilStatusChange", { period: Period, basis: Schema.optionalKey(Schema.String) })
])

/**
 * @since 0.1.0
 */
export type ValidityRule = typeof ValidityRule.Type

/**
 * One required component (thành phần hồ sơ). A store document can satisfy it when its category is
 * in `categories` or its result type is in `resultTypes`; a component accepting neither (a
 * declaration form filled in online, a paper original to present) is never satisfied from the store.
 *
 * @since 0.1.0
 */
export const Requirement = Schema.Struct({
  id: LocalId,
  name: nonEmpty("a component's name"),
  /** Category codes of the category catalog. */
  categories: Schema.Array(Category.CategoryCode),
  /** Result type codes (`KQ.G15.000021`). */
  resultTypes: Schema.Array(ResultTypeCode),
  form: Form,
  mandatory: Schema.Boolean,
  /** Whether a store document must be shared (Chia sẻ) to be used. */
  requiresShared: Schema.Boolean,
  validity: ValidityRule,
  /** The cases it applies to; absent means every case. */
  cases: Schema.optionalKey(Schema.Array(LocalId)),
  note: Schema.optionalKey(Schema.String)
})

/**
 * @since 0.1.0
 */
export type Requirement = typeof Requirement.Type

const Vnd = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * What a case costs (phí, lệ phí), in đồng.
 *
 * @since 0.1.0
 */
export const Fee = Schema.Union([
  Schema.TaggedStruct("Free", { basis: Schema.optionalKey(Schema.String) }),
  Schema.TaggedStruct("Fixed", { amountVnd: Vnd, basis: Schema.optionalKey(Schema.String) }),
  /** Per page: the first `firstPages` pages at `firstPagesVnd`, the rest at `nextPagesVnd`, capped. */
  Schema.TaggedStruct("PerPage", {
    firstPages: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
    firstPagesVnd: Vnd,
    nextPagesVnd: Vnd,
    maxVnd: Vnd,
    basis: Schema.optionalKey(Schema.String)
  }),
  /** Set by each province (a resolution of the provincial People's Council). */
  Schema.TaggedStruct("SetLocally", { basis: Schema.String })
])

/**
 * @since 0.1.0
 */
export type Fee = typeof Fee.Type

/**
 * A case (trường hợp giải quyết), e.g. "1 ngày làm việc - KHÔNG xác minh điều kiện kết hôn".
 *
 * @since 0.1.0
 */
export const Case = Schema.Struct({
  id: LocalId,
  name: nonEmpty("a case's name"),
  /** Processing time in working days (0: the same day). */
  processingDays: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 365 })),
  fee: Fee
})

/**
 * @since 0.1.0
 */
export type Case = typeof Case.Type

/**
 * Administrative level of a deciding agency.
 *
 * @since 0.1.0
 */
export const Level = Schema.Literals(["central", "province", "district", "commune"])

/**
 * @since 0.1.0
 */
export type Level = typeof Level.Type

/**
 * The deciding agency (cơ quan giải quyết), by kind and level: the concrete unit is chosen when the
 * dossier is drafted.
 *
 * @since 0.1.0
 */
export const DecidingAgency = Schema.Struct({
  /** e.g. "Ủy ban nhân dân cấp xã", "Sở Tư pháp". */
  kind: nonEmpty("an agency kind"),
  level: Level
})

/**
 * @since 0.1.0
 */
export type DecidingAgency = typeof DecidingAgency.Type

/**
 * Mức độ dịch vụ công trực tuyến: `full` (toàn trình) or `partial` (một phần).
 *
 * @since 0.1.0
 */
export const OnlineLevel = Schema.Literals(["full", "partial"])

/**
 * @since 0.1.0
 */
export type OnlineLevel = typeof OnlineLevel.Type

/**
 * One procedure. `codeSource` says whether `code` is a code of the national procedure database or an
 * illustrative one (which must start with `9.9`).
 *
 * @since 0.1.0
 */
export const Procedure = Schema.Struct({
  code: ProcedureCode,
  codeSource: Schema.Literals(["national", "illustrative"]),
  name: nonEmpty("a procedure's name"),
  /** Lĩnh vực, e.g. "Hộ tịch". */
  field: nonEmpty("a procedure's field"),
  agency: DecidingAgency,
  cases: Schema.NonEmptyArray(Case),
  onlineLevel: OnlineLevel,
  requirements: Schema.Array(Requirement),
  basis: Schema.optionalKey(Schema.String)
})

/**
 * @since 0.1.0
 */
export type Procedure = typeof Procedure.Type

/**
 * A procedure catalog failed validation. `entry` names the offending procedure (its code, or `#index`
 * when it has no readable code); `message` says what is wrong.
 *
 * @since 0.1.0
 */
export class InvalidProcedureCatalog extends Schema.TaggedError<InvalidProcedureCatalog>()("InvalidProcedureCatalog", {
  entry: Schema.String,
  message: Schema.String
}) {}

/**
 * A validated catalog.
 *
 * @since 0.1.0
 */
export interface ProcedureCatalog {
  readonly entries: ReadonlyArray<Procedure>
  /** The procedure with this code, if any. */
  readonly get: (code: string) => Procedure | undefined
}

const decodeProcedure = Schema.decodeUnknownResult(Procedure)

const entryName = (raw: unknown, index: number): string => {
  if (typeof raw === "object" && raw !== null && "code" in raw && typeof raw.code === "string") return raw.code
  return `#${index}`
}

/**
 * The categories whose documents stop being valid when the status they attest changes, before their
 * months run out (the marital-status certificate, Nghị định 123/2015/NĐ-CP art. 23): a component
 * accepting one must keep that rule (`FromIssueUntilStatusChange`). Gotcha: the category catalog
 * states this only in a note, so the list is kept here.
 *
 * @since 0.1.0
 */
export const statusChangeCategories: ReadonlySet<string> = new Set(["xac-nhan-tinh-trang-hon-nhan"])

const daysInMonth = (year: number, month: number): number =>
  month === 1 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!

const shortestSpans = new Map<number, number>()

/**
 * The fewest days `months` months from issue can last (Civil Code counting, a missing day falling to
 * the month's end), over every day of issue in a four-year cycle: a period of that many days or fewer
 * is never longer than the months.
 */
const shortestDaysIn = (months: number): number => {
  const known = shortestSpans.get(months)
  if (known !== undefined) return known
  let shortest = Number.POSITIVE_INFINITY
  for (let year = 2024; year < 2028; year++) {
    for (let month = 0; month < 12; month++) {
      for (let day = 1; day <= daysInMonth(year, month); day++) {
        const endYear = year + Math.floor((month + months) / 12)
        const endMonth = (month + months) % 12
        const end = Date.UTC(endYear, endMonth, Math.min(day, daysInMonth(endYear, endMonth)))
        shortest = Math.min(shortest, (end - Date.UTC(year, month, day)) / 86_400_000)
      }
    }
  }
  shortestSpans.set(months, shortest)
  return shortest
}

/** Every problem of one decoded procedure that Schema alone cannot see. */
const consistencyProblem = (procedure: Procedure, categories: Category.Catalog): string | undefined => {
  const illustrative = procedure.code.startsWith(illustrativePrefix)
  if (procedure.codeSource === "illustrative" && !illustrative) {
    return `an illustrative code must start with ${illustrativePrefix} so it cannot pass for a real one`
  }
  if (procedure.codeSource === "national" && illustrative) {
    return `${illustrativePrefix}… codes are reserved for illustrative entries; mark it codeSource "illustrative"`
  }
  const caseIds = new Set<string>()
  for (const c of procedure.cases) {
    if (caseIds.has(c.id)) return `case ${c.id} is listed twice`
    caseIds.add(c.id)
  }
  const requirementIds = new Set<string>()
  for (const requirement of procedure.requirements) {
    if (requirementIds.has(requirement.id)) return `component ${requirement.id} is listed twice`
    requirementIds.add(requirement.id)
    for (const caseId of requirement.cases ?? []) {
      if (!caseIds.has(caseId)) return `component ${requirement.id} names case ${caseId}, which the procedure lacks`
    }
    for (const code of requirement.categories) {
      const category = categories.get(code)
      if (category === undefined) {
        return `component ${requirement.id} accepts category ${code}, which the category catalog lacks`
      }
      const carriesValidity = category.validity._tag === "Months" || category.validity._tag === "SetByProcedure"
      if (carriesValidity && requirement.validity._tag === "NoneByLaw" && requirement.validity.basis === undefined) {
        return `component ${requirement.id} accepts ${code}, whose validity is ${
          category.validity._tag === "Months" ? `${category.validity.months} months` : "set by each procedure"
        }, but states no period: give one, or a basis saying why none applies`
      }
      if (category.validity._tag === "Months" && requirement.validity._tag !== "NoneByLaw") {
        const months = category.validity.months
        const period = requirement.validity.period
        const longer = period._tag === "Months" ? period.months > months : period.days > shortestDaysIn(months)
        if (longer) {
          return `component ${requirement.id} accepts ${code}, valid ${months} months from issue, for ${
            period._tag === "Months" ? `${period.months} months` : `${period.days} days`
          }: a procedure may shorten a category's validity, never lengthen it`
        }
        if (statusChangeCategories.has(code) && requirement.validity._tag !== "FromIssueUntilStatusChange") {
          return `component ${requirement.id} accepts ${code}, which is valid only until the status it attests ` +
            `changes, but its validity is ${requirement.validity._tag}: use FromIssueUntilStatusChange`
        }
      }
    }
  }
  return undefined
}

/**
 * Validates catalog data: every procedure well formed, codes unique, case and component ids unique
 * within their procedure, every accepted category known to `categories`, and no component silently
 * waiving the validity a category carries: a category valid for some months is accepted for as long at
 * most (shorter is fine), and with its status-change rule where it has one ({@link
 * statusChangeCategories}); only `NoneByLaw` with a stated `basis` waives it, on purpose. The first bad
 * entry is refused, by name.
 *
 * @since 0.1.0
 */
export const load = (
  data: unknown,
  categories: Category.Catalog = Category.defaultCatalog
): Result.Result<ProcedureCatalog, InvalidProcedureCatalog> => {
  if (!Array.isArray(data)) {
    return Result.fail(
      new InvalidProcedureCatalog({ entry: "(catalog)", message: "a procedure catalog is an array of procedures" })
    )
  }
  const entries: Array<Procedure> = []
  const byCode = new Map<string, Procedure>()
  for (const [index, raw] of data.entries()) {
    const entry = entryName(raw, index)
    const decoded = decodeProcedure(raw)
    if (Result.isFailure(decoded)) {
      return Result.fail(
        new InvalidProcedureCatalog({ entry, message: `procedure ${entry} is invalid: ${decoded.failure.message}` })
      )
    }
    const procedure = decoded.success
    if (byCode.has(procedure.code)) {
      return Result.fail(
        new InvalidProcedureCatalog({ entry, message: `procedure ${entry} is listed twice (again at entry ${index})` })
      )
    }
    const problem = consistencyProblem(procedure, categories)
    if (problem !== undefined) {
      return Result.fail(new InvalidProcedureCatalog({ entry, message: `procedure ${entry}: ${problem}` }))
    }
    byCode.set(procedure.code, procedure)
    entries.push(procedure)
  }
  return Result.succeed({ entries, get: (code) => byCode.get(code) })
}

/**
 * The built-in catalog. Loading it cannot fail unless the shipped data is wrong, which the test suite
 * would catch; if it ever did, importing this module throws the `InvalidProcedureCatalog`.
 *
 * @since 0.1.0
 */
export const defaultCatalog: ProcedureCatalog = Result.getOrThrow(load(procedures))

/**
 * The components that apply to a case: those without `cases` and those naming it.
 *
 * @since 0.1.0
 */
export const requirementsFor = (procedure: Procedure, caseId: string): ReadonlyArray<Requirement> =>
  procedure.requirements.filter((r) => r.cases === undefined || r.cases.includes(caseId))

/**
 * The component with this id, if any.
 *
 * @since 0.1.0
 */
export const requirement = (procedure: Procedure, id: string): Requirement | undefined =>
  procedure.requirements.find((r) => r.id === id)

/**
 * Whether a store document can ever satisfy the component (it accepts some category or result type).
 *
 * @since 0.1.0
 */
export const isReusable = (requirement: Requirement): boolean =>
  requirement.categories.length > 0 || requirement.resultTypes.length > 0
