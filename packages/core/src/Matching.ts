/**
 * The matching rules (the heart of reuse): for one required component (thành phần hồ sơ, TPHS) of a
 * procedure, which documents of the owner's store can satisfy it, and whether the system attaches one
 * automatically, suggests several for the citizen to pick ("Lấy từ kho"), or finds none (upload or
 * scan). Every document it does not retain is reported with every reason that applies.
 *
 * Matching is a pure, deterministic function of its input: the same requirement, owner, documents (in
 * any order) and as-of instant give the same outcome. Two modes give the same eligible documents and
 * the same decision:
 *
 * - `match` (explain mode) looks at every document it is given and explains every exclusion, other
 *   owners' and other categories' documents included — for audits and for the "why not this one?"
 *   screen;
 * - `matchIndexed` (fast mode) works on an `index` built once per snapshot and touches only the
 *   owner's documents of the accepted categories and result types, so its cost grows with those
 *   candidates, not with the store; its `excluded` lists only those candidates.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { isArrayNonEmpty, isReadonlyArrayNonEmpty, type NonEmptyReadonlyArray } from "effect/Array"
import { CalendarDate, type Document, Instant } from "./Document.ts"
import { lastValidDay, vietnamDate } from "./internal/matchingDates.ts"
import { Form, type Procedure, type Requirement, requirementsFor } from "./Procedure.ts"
import { Indication, isPassed, SubIndication } from "./SignatureReport.ts"

// ---------------------------------------------------------------------------------------------
// exclusion reasons
// ---------------------------------------------------------------------------------------------

/**
 * Why a document is expired for a procedure: its printed `validUntil` passed; the procedure's period
 * from issue passed; the procedure counts from issue but the document has no issue date; or (for
 * "until the status changes" rules) the owner has a later document of the same category that this
 * component could use instead — eligible in every other respect (docs/adr/0118).
 *
 * @since 0.1.0
 */
export const ExpiryBasis = Schema.Union([
  Schema.TaggedStruct("Printed", { validUntil: CalendarDate }),
  Schema.TaggedStruct("FromIssue", { validUntil: CalendarDate }),
  Schema.TaggedStruct("IssueDateUnknown", {}),
  Schema.TaggedStruct("StatusChanged", { laterDocumentId: Schema.String, laterIssuedAt: CalendarDate })
])

/**
 * @since 0.1.0
 */
export type ExpiryBasis = typeof ExpiryBasis.Type

/**
 * Why a document cannot satisfy a component. Tagged data (it can be stored in events); `message`
 * renders it for people. Reasons are listed in this order, the first being the primary one.
 *
 * @since 0.1.0
 */
export const ExclusionReason = Schema.Union([
  Schema.TaggedStruct("OtherOwner", { ownerId: Schema.String }),
  Schema.TaggedStruct("CategoryNotAccepted", { category: Schema.String, resultType: Schema.NullOr(Schema.String) }),
  Schema.TaggedStruct("Removed", { at: Instant }),
  Schema.TaggedStruct("Revoked", { at: Instant, agencyCode: Schema.String, reason: Schema.String }),
  Schema.TaggedStruct("Superseded", { at: Instant, replacementId: Schema.String }),
  Schema.TaggedStruct("SignatureNotPassed", { indication: Indication, subIndication: Schema.NullOr(SubIndication) }),
  Schema.TaggedStruct("ComplaintOpen", { complaintIds: Schema.NonEmptyArray(Schema.String) }),
  Schema.TaggedStruct("Hidden", {}),
  Schema.TaggedStruct("NotShared", {}),
  Schema.TaggedStruct("WrongForm", { required: Form, serves: Schema.Array(Form) }),
  Schema.TaggedStruct("NotYetValid", { validFrom: CalendarDate }),
  Schema.TaggedStruct("ExpiredForProcedure", { procedure: Schema.String, basis: ExpiryBasis })
])

/**
 * @since 0.1.0
 */
export type ExclusionReason = typeof ExclusionReason.Type

/**
 * The tags of `ExclusionReason`, in the order reasons are listed.
 *
 * @since 0.1.0
 */
export const reasonTags: ReadonlyArray<ExclusionReason["_tag"]> = [
  "OtherOwner",
  "CategoryNotAccepted",
  "Removed",
  "Revoked",
  "Superseded",
  "SignatureNotPassed",
  "ComplaintOpen",
  "Hidden",
  "NotShared",
  "WrongForm",
  "NotYetValid",
  "ExpiredForProcedure"
]

const formVi: { readonly [K in Form]: string } = {
  Original: "bản chính",
  CertifiedCopy: "bản sao chứng thực",
  Copy: "bản sao"
}
const formEn: { readonly [K in Form]: string } = {
  Original: "an original",
  CertifiedCopy: "a certified copy",
  Copy: "a copy"
}

const viDate = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`

/**
 * A reason in words, Vietnamese (for citizens and officers) and English (for logs and integrators).
 *
 * @since 0.1.0
 */
export const message = (reason: ExclusionReason): { readonly vi: string; readonly en: string } => {
  switch (reason._tag) {
    case "OtherOwner":
      return {
        vi: `Giấy tờ thuộc kho của chủ khác (${reason.ownerId}), không phải của chủ hồ sơ`,
        en: `the document belongs to another owner (${reason.ownerId}), not to the dossier's owner`
      }
    case "CategoryNotAccepted":
      return {
        vi: `Danh mục giấy tờ "${reason.category}"${
          reason.resultType === null ? "" : ` (loại kết quả ${reason.resultType})`
        } không phù hợp với thành phần hồ sơ`,
        en: `category ${reason.category}${
          reason.resultType === null ? "" : ` (result type ${reason.resultType})`
        } is not accepted by this component`
      }
    case "Removed":
      return { vi: "Giấy tờ đã bị xóa khỏi kho", en: "the document was removed from the store" }
    case "Revoked":
      return {
        vi: `Giấy tờ đã bị thu hồi bởi ${reason.agencyCode}: ${reason.reason}`,
        en: `the document was revoked by ${reason.agencyCode}: ${reason.reason}`
      }
    case "Superseded":
      return {
        vi: `Giấy tờ đã được thay thế bởi ${reason.replacementId}`,
        en: `the document was superseded by ${reason.replacementId}`
      }
    case "SignatureNotPassed":
      return {
        vi: "Chữ ký số của tệp tin không hợp lệ hoặc không được ký bằng chứng thư số do Ban Cơ yếu Chính phủ cấp",
        en: `the file's signature did not pass validation (${reason.indication}${
          reason.subIndication === null ? "" : `/${reason.subIndication}`
        })`
      }
    case "ComplaintOpen":
      return {
        vi: `Giấy tờ đang có phản ánh về kết quả giải quyết chưa được xử lý (${reason.complaintIds.join(", ")})`,
        en: `the document is under an open complaint (${reason.complaintIds.join(", ")})`
      }
    case "Hidden":
      return { vi: "Giấy tờ đang ở chế độ không hiển thị", en: "the document is hidden" }
    case "NotShared":
      return {
        vi: "Giấy tờ chưa được chia sẻ, trong khi thành phần hồ sơ yêu cầu chia sẻ",
        en: "the component requires a shared document and this one is not shared"
      }
    case "WrongForm":
      return {
        vi: `Thành phần hồ sơ yêu cầu ${formVi[reason.required]}; giấy tờ này chỉ dùng được làm ${
          reason.serves.map((f) => formVi[f]).join(", ") || "—"
        }`,
        en: `the component requires ${formEn[reason.required]}; this document only serves as ${
          reason.serves.map((f) => formEn[f]).join(", ") || "nothing"
        }`
      }
    case "NotYetValid":
      return {
        vi: `Giấy tờ chưa có hiệu lực (có hiệu lực từ ngày ${viDate(reason.validFrom)})`,
        en: `the document is not valid yet (valid from ${reason.validFrom})`
      }
    case "ExpiredForProcedure": {
      const basis = reason.basis
      switch (basis._tag) {
        case "Printed":
          return {
            vi: `Giấy tờ đã hết hiệu lực từ sau ngày ${viDate(basis.validUntil)}`,
            en: `the document expired after ${basis.validUntil}`
          }
        case "FromIssue":
          return {
            vi: `Giấy tờ đã quá thời hạn sử dụng cho thủ tục ${reason.procedure} (hết hạn sau ngày ${
              viDate(basis.validUntil)
            })`,
            en: `the document is too old for procedure ${reason.procedure} (valid until ${basis.validUntil})`
          }
        case "IssueDateUnknown":
          return {
            vi: `Thủ tục ${reason.procedure} tính thời hạn từ ngày cấp nhưng giấy tờ không có ngày cấp`,
            en: `procedure ${reason.procedure} counts validity from the day of issue, and the document has none`
          }
        case "StatusChanged":
          return {
            vi: `Tình trạng đã thay đổi: kho có giấy tờ cùng loại cấp sau (${basis.laterDocumentId}, ngày ${
              viDate(basis.laterIssuedAt)
            })`,
            en: `the status changed: a later document of the same category exists (${basis.laterDocumentId}, issued ${basis.laterIssuedAt})`
          }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// forms and acceptance
// ---------------------------------------------------------------------------------------------

const original: ReadonlyArray<Form> = ["Original", "CertifiedCopy", "Copy"]
const certified: ReadonlyArray<Form> = ["CertifiedCopy", "Copy"]
const copyOnly: ReadonlyArray<Form> = ["Copy"]

/**
 * The forms a document can be presented as, from how it entered the store (see docs/adr/0062):
 * an agency-issued electronic result is an original (unless it is itself a certified copy); an
 * electronic certified copy and a counter digitisation serve as certified copies; an upload serves as
 * a certified copy only when it is one (type or category), otherwise as a copy — the store cannot
 * vouch that an uploaded file is the issuer's original.
 *
 * @since 0.1.0
 */
export const formsServed = (document: Document): ReadonlyArray<Form> => {
  switch (document.provenance._tag) {
    case "Issued":
      return document.type === "CertifiedCopy" ? certified : original
    case "CertifiedCopy":
    case "DigitisedAtCounter":
      return certified
    case "Uploaded":
      return document.type === "CertifiedCopy" || document.category === "ban-sao-chung-thuc" ? certified : copyOnly
  }
}

/**
 * Whether the component accepts the document's category or result type.
 *
 * @since 0.1.0
 */
export const accepts = (requirement: Requirement, document: Document): boolean =>
  (requirement.categories as ReadonlyArray<string>).includes(document.category) ||
  (document.resultType !== null && (requirement.resultTypes as ReadonlyArray<string>).includes(document.resultType))

// ---------------------------------------------------------------------------------------------
// outcome
// ---------------------------------------------------------------------------------------------

/**
 * A document left out, with every reason that applies (the first is the primary one). Exclusions with
 * the same single reason share one `reasons` array (it is read-only).
 *
 * @since 0.1.0
 */
export interface Exclusion {
  readonly document: Document
  readonly reasons: NonEmptyReadonlyArray<ExclusionReason>
}

interface Explained {
  /** Every eligible document, best first: the order suggestions are shown in. */
  readonly eligible: ReadonlyArray<Document>
  /** Every other candidate with its reasons, in the same canonical order (`byRank`). */
  readonly excluded: ReadonlyArray<Exclusion>
}

/**
 * Exactly one document is eligible: attach it automatically.
 *
 * @since 0.1.0
 */
export interface AutoAttach extends Explained {
  readonly _tag: "AutoAttach"
  readonly document: Document
}

/**
 * Several are eligible: the citizen picks ("Lấy từ kho"); `documents` is `eligible`, best first (most
 * recently issued, then most recently entered, then most used; ties by id).
 *
 * @since 0.1.0
 */
export interface Suggest extends Explained {
  readonly _tag: "Suggest"
  readonly documents: NonEmptyReadonlyArray<Document>
}

/**
 * None is eligible: upload or scan.
 *
 * @since 0.1.0
 */
export interface None extends Explained {
  readonly _tag: "None"
}

/**
 * What matching decides for one component.
 *
 * @since 0.1.0
 */
export type MatchOutcome = AutoAttach | Suggest | None

/**
 * What `matchIndexed` needs: everything `match` needs but the documents.
 *
 * @since 0.1.0
 */
export interface MatchQuery {
  readonly requirement: Requirement
  readonly procedure: Procedure
  /** The dossier's owner (chủ hồ sơ): only their documents can be used. */
  readonly ownerId: string
  /** When matching happens, an ISO instant; validity is judged on that day in Vietnam (UTC+7). */
  readonly asOf: string
}

/**
 * The input of `match`: the query and the candidates — the owner's store snapshot and
 * agency-issued entries, possibly with other owners' documents (which are excluded).
 *
 * @since 0.1.0
 */
export interface MatchInput extends MatchQuery {
  readonly documents: ReadonlyArray<Document>
}

// ---------------------------------------------------------------------------------------------
// the rules
// ---------------------------------------------------------------------------------------------

/** Which of two entries for the same (owner, id) is the newer snapshot; order-independent. */
const newer = (a: Document, b: Document): Document => {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b
  if (a.uses.length !== b.uses.length) return a.uses.length > b.uses.length ? a : b
  return JSON.stringify(a) >= JSON.stringify(b) ? a : b
}

/** One entry per (owner, id); nested maps rather than joined string keys keep this allocation-light. */
const dedupe = (documents: ReadonlyArray<Document>): Array<Document> => {
  const owners = new Map<string, Map<string, Document>>()
  let repeated = false
  for (const document of documents) {
    let byId = owners.get(document.ownerId)
    if (byId === undefined) {
      byId = new Map()
      owners.set(document.ownerId, byId)
    }
    const seen = byId.get(document.id)
    if (seen !== undefined) repeated = true
    byId.set(document.id, seen === undefined ? document : newer(seen, document))
  }
  if (!repeated) return [...documents]
  const unique: Array<Document> = []
  for (const byId of owners.values()) for (const document of byId.values()) unique.push(document)
  return unique
}

/**
 * The canonical order of documents, best first: most recently issued (undated last), most recently
 * entered, most used, then by id and owner. Suggestions, `eligible` and `excluded` all follow it, so
 * the outcome does not depend on the order documents were given in.
 *
 * @since 0.1.0
 */
export const byRank = (a: Document, b: Document): number => {
  if (a.issuedAt !== b.issuedAt) {
    if (a.issuedAt === null) return 1
    if (b.issuedAt === null) return -1
    return a.issuedAt > b.issuedAt ? -1 : 1
  }
  if (a.enteredAt !== b.enteredAt) return a.enteredAt > b.enteredAt ? -1 : 1
  const uses = b.uses.length - a.uses.length
  if (uses !== 0) return uses
  return a.id < b.id ? -1 : a.id > b.id ? 1 : a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0
}

/**
 * The latest document that retires the owner's earlier ones of its category under an "until the
 * status changes" rule: one that is eligible for this component on this day in every other respect
 * (docs/adr/0118). Always dated: an undated document is excluded (`IssueDateUnknown`) under this rule.
 */
interface Witness {
  readonly id: string
  readonly day: string
}

/** What one call needs to judge documents, with the per-call caches. */
interface Context {
  readonly query: MatchQuery
  readonly today: string
  /** By issue date: the `FromIssue` expiry under the component's period, or null while still valid. */
  readonly fromIssue: Map<string, ExclusionReason | null>
  /** Reasons shared by many documents, built once per call (they are immutable). */
  readonly shared: Map<unknown, ExclusionReason>
  /** The values of `shared`. */
  readonly sharedSet: Set<ExclusionReason>
  /** `[reason]` for a shared reason, built once per call: most exclusions have one, shared, reason. */
  readonly alone: Map<ExclusionReason, NonEmptyReadonlyArray<ExclusionReason>>
  /** The reasons of the document being judged, from index 0 (reused: a document that passes allocates nothing). */
  readonly scratch: Array<ExclusionReason>
}

const makeContext = (query: MatchQuery): Context => ({
  query,
  today: vietnamDate(query.asOf),
  fromIssue: new Map(),
  shared: new Map(),
  sharedSet: new Set(),
  alone: new Map(),
  scratch: []
})

const HIDDEN: ExclusionReason = { _tag: "Hidden" }
const NOT_SHARED: ExclusionReason = { _tag: "NotShared" }

/** The reason `make` builds for `key`, built once per call: thousands of exclusions can share it. */
const sharedReason = (context: Context, key: unknown, make: () => ExclusionReason): ExclusionReason => {
  let reason = context.shared.get(key)
  if (reason === undefined) {
    reason = make()
    context.shared.set(key, reason)
    context.sharedSet.add(reason)
  }
  return reason
}

/** `[reason]` for a reason shared across documents: one array per call, not one per document. */
const alone = (context: Context, reason: ExclusionReason): NonEmptyReadonlyArray<ExclusionReason> => {
  let reasons = context.alone.get(reason)
  if (reasons === undefined) {
    reasons = [reason]
    context.alone.set(reason, reasons)
  }
  return reasons
}

/** Whether `reason` is one instance shared by many documents (a constant or from `sharedReason`). */
const isShared = (context: Context, reason: ExclusionReason): boolean =>
  reason === HIDDEN || reason === NOT_SHARED || context.sharedSet.has(reason)

/**
 * Every reason `document` cannot satisfy the component but a status change, in `reasonTags` order;
 * null when there is none. Reasons gather in `context.scratch`; a single shared reason comes back as
 * its shared one-element array, so the common exclusions allocate no array of their own.
 */
const reasonsBesidesStatusChange = (
  document: Document,
  context: Context
): NonEmptyReadonlyArray<ExclusionReason> | null => {
  const { query, scratch, today } = context
  const { procedure, requirement } = query
  let n = 0
  if (document.ownerId !== query.ownerId) {
    const ownerId = document.ownerId
    scratch[n++] = sharedReason(context, `owner:${ownerId}`, () => ({ _tag: "OtherOwner", ownerId }))
  }
  if (!accepts(requirement, document)) {
    const { category, resultType } = document
    scratch[n++] = sharedReason(
      context,
      `category:${category}\u0000${resultType}`,
      () => ({ _tag: "CategoryNotAccepted", category, resultType })
    )
  }
  const status = document.status
  switch (status._tag) {
    case "Active":
      break
    case "Removed":
      scratch[n++] = { _tag: "Removed", at: status.at }
      break
    case "Revoked":
      scratch[n++] = { _tag: "Revoked", at: status.at, agencyCode: status.agencyCode, reason: status.reason }
      break
    case "Superseded":
      scratch[n++] = { _tag: "Superseded", at: status.at, replacementId: status.replacementId }
      break
  }
  if (!isPassed(document.signature)) {
    scratch[n++] = {
      _tag: "SignatureNotPassed",
      indication: document.signature.indication,
      subIndication: document.signature.subIndication
    }
  }
  if (isReadonlyArrayNonEmpty(document.openComplaints)) {
    scratch[n++] = { _tag: "ComplaintOpen", complaintIds: document.openComplaints }
  }
  if (!document.visible) scratch[n++] = HIDDEN
  if (requirement.requiresShared && !document.shared) scratch[n++] = NOT_SHARED
  const serves = formsServed(document)
  if (!serves.includes(requirement.form)) {
    scratch[n++] = sharedReason(context, serves, () => ({ _tag: "WrongForm", required: requirement.form, serves }))
  }

  // validity: from the later of the printed start and the issue date; until the printed end and the
  // procedure's own rule, whichever comes first
  const issuedAt = document.issuedAt
  const validFrom = document.validity.validFrom
  const start = validFrom !== null && (issuedAt === null || validFrom > issuedAt) ? validFrom : issuedAt
  if (start !== null && start > today) scratch[n++] = { _tag: "NotYetValid", validFrom: start }
  if (document.validity._tag === "Until" && document.validity.validUntil < today) {
    scratch[n++] = {
      _tag: "ExpiredForProcedure",
      procedure: procedure.code,
      basis: { _tag: "Printed", validUntil: document.validity.validUntil }
    }
  }
  const rule = requirement.validity
  if (rule._tag !== "NoneByLaw") {
    if (issuedAt === null) {
      scratch[n++] = { _tag: "ExpiredForProcedure", procedure: procedure.code, basis: { _tag: "IssueDateUnknown" } }
    } else {
      let expired = context.fromIssue.get(issuedAt)
      if (expired === undefined) {
        const validUntil = lastValidDay(issuedAt, rule.period)
        expired = validUntil < today
          ? sharedReason(context, `until:${validUntil}`, () => ({
            _tag: "ExpiredForProcedure",
            procedure: procedure.code,
            basis: { _tag: "FromIssue", validUntil }
          }))
          : null
        context.fromIssue.set(issuedAt, expired)
      }
      if (expired !== null) scratch[n++] = expired
    }
  }
  if (n === 0) return null
  const first = scratch[0]!
  if (n === 1) return isShared(context, first) ? alone(context, first) : [first]
  const reasons: [ExclusionReason, ...Array<ExclusionReason>] = [first]
  for (let i = 1; i < n; i++) reasons.push(scratch[i]!)
  return reasons
}

/**
 * Under an "until the status changes" rule, adds `StatusChanged` to the owner's documents issued
 * before the latest witness of their category. Witnesses are the documents with no other reason
 * (`judged[i] === null`): only a document that could itself take the earlier one's place retires it,
 * so a hidden, unshared, wrong-form, undated, disputed or otherwise unusable later document changes
 * nothing (docs/adr/0118). Two passes over the candidates, whatever their order: linear.
 */
const retireEarlier = (
  candidates: ReadonlyArray<Document>,
  judged: Array<NonEmptyReadonlyArray<ExclusionReason> | null>,
  context: Context
): void => {
  const latest = new Map<string, Witness>()
  for (let i = 0; i < candidates.length; i++) {
    if (judged[i] !== null) continue
    const document = candidates[i]!
    const day = document.issuedAt
    if (day === null) continue // unreachable: an undated document has `IssueDateUnknown` under this rule
    const best = latest.get(document.category)
    if (best === undefined || day > best.day || (day === best.day && document.id > best.id)) {
      latest.set(document.category, { id: document.id, day })
    }
  }
  if (latest.size === 0) return
  const { ownerId, procedure } = context.query
  for (let i = 0; i < candidates.length; i++) {
    const document = candidates[i]!
    const issuedAt = document.issuedAt
    if (document.ownerId !== ownerId || issuedAt === null) continue
    const later = latest.get(document.category)
    if (later === undefined || later.day <= issuedAt) continue
    const reason = sharedReason(context, later, () => ({
      _tag: "ExpiredForProcedure",
      procedure: procedure.code,
      basis: { _tag: "StatusChanged", laterDocumentId: later.id, laterIssuedAt: later.day }
    }))
    const reasons = judged[i]!
    judged[i] = reasons === null ? alone(context, reason) : [...reasons, reason]
  }
}

/** Judges candidates given in canonical order (`byRank`); the partition keeps that order. */
const decide = (candidates: ReadonlyArray<Document>, context: Context): MatchOutcome => {
  const judged = new Array<NonEmptyReadonlyArray<ExclusionReason> | null>(candidates.length)
  for (let i = 0; i < candidates.length; i++) judged[i] = reasonsBesidesStatusChange(candidates[i]!, context)
  if (context.query.requirement.validity._tag === "FromIssueUntilStatusChange") {
    retireEarlier(candidates, judged, context)
  }
  const eligible: Array<Document> = []
  const excluded: Array<Exclusion> = []
  for (let i = 0; i < candidates.length; i++) {
    const document = candidates[i]!
    const reasons = judged[i]!
    if (reasons === null) eligible.push(document)
    else excluded.push({ document, reasons })
  }
  if (!isArrayNonEmpty(eligible)) return { _tag: "None", eligible, excluded }
  if (eligible.length === 1) return { _tag: "AutoAttach", document: eligible[0], eligible, excluded }
  return { _tag: "Suggest", documents: eligible, eligible, excluded }
}

/**
 * Explain mode: matches the component against every given document and explains every exclusion
 * (other owners' documents and other categories included). Entries repeating an (owner, id) count
 * once, the newer snapshot winning. Linear in the number of documents, plus one sort.
 *
 * @since 0.1.0
 */
export const match = (input: MatchInput): MatchOutcome =>
  decide(dedupe(input.documents).sort(byRank), makeContext(input))

// ---------------------------------------------------------------------------------------------
// the index (fast mode)
// ---------------------------------------------------------------------------------------------

/**
 * One owner's documents grouped by category and by result type, each group in canonical order.
 *
 * @since 0.1.0
 */
export interface OwnerIndex {
  readonly byCategory: Map<string, Array<Document>>
  readonly byResultType: Map<string, Array<Document>>
}

/**
 * A snapshot grouped once by owner, then by category and by result type, each group in canonical
 * order (`byRank`), so that matching touches only the groups a component accepts and need not sort
 * them. Immutable once built; rebuild it (or build it for one owner) when the store changes.
 *
 * @since 0.1.0
 */
export interface MatchIndex {
  /** The snapshot, one entry per (owner, id), in canonical order. */
  readonly documents: ReadonlyArray<Document>
  readonly owners: ReadonlyMap<string, OwnerIndex>
}

function push(map: Map<string, Array<Document>>, key: string, document: Document): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [document])
  else list.push(document)
}

/**
 * Builds the index of a snapshot: one pass to group, one sort (entries repeating an (owner, id) count
 * once, as in `match`).
 *
 * @since 0.1.0
 */
export const index = (documents: ReadonlyArray<Document>): MatchIndex => {
  const sorted = dedupe(documents).sort(byRank)
  const owners = new Map<string, OwnerIndex>()
  for (const document of sorted) {
    let owner = owners.get(document.ownerId)
    if (owner === undefined) {
      owner = { byCategory: new Map(), byResultType: new Map() }
      owners.set(document.ownerId, owner)
    }
    push(owner.byCategory, document.category, document)
    if (document.resultType !== null) push(owner.byResultType, document.resultType, document)
  }
  return { documents: sorted, owners }
}

/**
 * The candidates fast mode considers: the owner's documents whose category or result type the
 * component accepts, each once, in canonical order.
 *
 * @since 0.1.0
 */
export const candidates = (
  matchIndex: MatchIndex,
  query: Pick<MatchQuery, "ownerId" | "requirement">
): ReadonlyArray<Document> => {
  const owner = matchIndex.owners.get(query.ownerId)
  if (owner === undefined) return []
  const buckets: Array<ReadonlyArray<Document>> = []
  for (const category of query.requirement.categories) {
    const bucket = owner.byCategory.get(category)
    if (bucket !== undefined) buckets.push(bucket)
  }
  for (const resultType of query.requirement.resultTypes) {
    const bucket = owner.byResultType.get(resultType)
    if (bucket !== undefined) buckets.push(bucket)
  }
  if (buckets.length <= 1) return buckets[0] ?? []
  // several groups: a document may sit in an accepted category and an accepted result type
  return [...new Set(buckets.flat())].sort(byRank)
}

/**
 * Fast mode: the same decision and eligible documents as `match` over the indexed snapshot, but
 * `excluded` lists only the owner's documents of accepted categories and result types (use `explain`
 * for the rest). Cost grows linearly with those candidates (a few passes over them, no sort when one
 * group is accepted), not with the store.
 *
 * @since 0.1.0
 */
export const matchIndexed = (matchIndex: MatchIndex, query: MatchQuery): MatchOutcome =>
  decide(candidates(matchIndex, query), makeContext(query))

/**
 * Explain mode over an index: `match` on every indexed document.
 *
 * @since 0.1.0
 */
export const explain = (matchIndex: MatchIndex, query: MatchQuery): MatchOutcome =>
  match({ ...query, documents: matchIndex.documents })

/**
 * One component of a dossier and its outcome.
 *
 * @since 0.1.0
 */
export interface ComponentMatch {
  readonly requirement: Requirement
  readonly outcome: MatchOutcome
}

/**
 * Fast mode for every component of a procedure's case (all components when `caseId` is absent), in
 * catalog order: what a dossier draft shows when opened.
 *
 * @since 0.1.0
 */
export const matchProcedure = (
  matchIndex: MatchIndex,
  query: {
    readonly procedure: Procedure
    readonly caseId?: string | undefined
    readonly ownerId: string
    readonly asOf: string
  }
): ReadonlyArray<ComponentMatch> => {
  const requirements = query.caseId === undefined
    ? query.procedure.requirements
    : requirementsFor(query.procedure, query.caseId)
  return requirements.map((requirement) => ({
    requirement,
    outcome: matchIndexed(matchIndex, { ...query, requirement })
  }))
}

/**
 * How many documents were found (eligible): what the owner's "who used my data" log records.
 *
 * @since 0.1.0
 */
export const found = (outcome: MatchOutcome): number => outcome.eligible.length

/**
 * The primary reason of an exclusion.
 *
 * @since 0.1.0
 */
export const primaryReason = (exclusion: Exclusion): ExclusionReason => exclusion.reasons[0]
