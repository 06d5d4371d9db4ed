/**
 * fast-check arbitraries for the matching rules: store documents, whole stores, component
 * requirements and as-of instants. The pools are deliberately small (two owners, five categories, two
 * result types, a year of dates) so that generated stores collide often — several documents of one
 * category, later certificates, expired ones — and a thousand runs stay fast.
 *
 * ```ts
 * fc.assert(fc.property(Arbitraries.matchInput(), (input) => { Matching.match(input) ... }), { numRuns: 1000 })
 * ```
 *
 * @since 0.1.0
 */
import type { Document, Provenance, Status } from "@kho/core/Document"
import * as Procedure from "@kho/core/Procedure"
import type { SignatureReport } from "@kho/core/SignatureReport"
import { Schema } from "effect"
import * as fc from "fast-check"

/**
 * The dossier owner the generated inputs match for, and another owner whose documents must never be
 * used.
 *
 * @since 0.1.0
 */
export const owners = { owner: "052090000495", other: "079201012345" } as const

/**
 * The categories documents are drawn from; the last one is never accepted by generated requirements.
 *
 * @since 0.1.0
 */
export const categoryPool = [
  "xac-nhan-tinh-trang-hon-nhan",
  "ly-lich-tu-phap-so-1",
  "ban-sao-chung-thuc",
  "the-can-cuoc-cong-dan",
  "giay-khai-sinh"
] as const

/**
 * The result types documents are drawn from.
 *
 * @since 0.1.0
 */
export const resultTypePool = ["KQ.G15.000021", "KQ.G01.000023"] as const

const DAY = 86_400_000
const BASE = Date.UTC(2023, 6, 1)

/**
 * A calendar day between 2023-07-01 and 2024-03-31 (issue dates, validity bounds), mostly a Saturday
 * (2023-07-01 was one) so that documents share issue dates and ranking ties happen.
 *
 * @since 0.1.0
 */
export const calendarDate: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 39 }).map((w) => w * 7) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 274 }) }
).map((d) => new Date(BASE + d * DAY).toISOString().slice(0, 10))

/**
 * An instant (ISO, UTC, milliseconds) between 2023-07-01 and 2024-09-30, any hour — so the
 * Vietnamese day (UTC+7) sometimes differs from the UTC day.
 *
 * @since 0.1.0
 */
export const instant: fc.Arbitrary<string> = fc.integer({ min: 0, max: 457 * 24 - 1 }).map((h) =>
  new Date(BASE + h * 3_600_000).toISOString()
)

/**
 * An as-of instant, mostly in the last half of the date range so that most generated documents are
 * already issued (and some have expired).
 *
 * @since 0.1.0
 */
export const asOf: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 245 * 24, max: 457 * 24 - 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 457 * 24 - 1 }) }
).map((h) => new Date(BASE + h * 3_600_000).toISOString())

/** Entry instants from a small pool, so that ranking ties — and their tie-breaks — happen. */
const enteredAt: fc.Arbitrary<string> = fc.integer({ min: 0, max: 5 }).map((m) =>
  new Date(BASE + m * 30 * DAY + 2 * 3_600_000).toISOString()
)

const sha = "a".repeat(64)

const report = (passed: boolean): SignatureReport => ({
  indication: passed ? "TOTAL_PASSED" : "INDETERMINATE",
  subIndication: passed ? null : "NO_CERTIFICATE_CHAIN_FOUND",
  reason: passed
    ? "all signatures are valid and chain to a trusted VGCA root"
    : "the signer certificate does not chain to a trusted VGCA root",
  validationTime: "2024-01-01T00:00:00.000Z",
  documentSha256: sha,
  signatures: []
})

const provenance: fc.Arbitrary<Provenance> = fc.constantFrom<Provenance>(
  { _tag: "Uploaded" },
  { _tag: "Issued", agencyCode: "000.00.16.H08", officerId: "cb-001" },
  { _tag: "CertifiedCopy", agencyCode: "000.20.33.H08", officerId: "cb-002" },
  { _tag: "DigitisedAtCounter", agencyCode: "000.20.33.H08", officerId: "cb-003" }
)

const status: fc.Arbitrary<Status> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Status>({ _tag: "Active" }) },
  {
    weight: 1,
    arbitrary: fc.constant<Status>({
      _tag: "Revoked",
      at: "2024-02-01T00:00:00.000Z",
      agencyCode: "000.00.16.H08",
      reason: "cấp sai thông tin"
    })
  },
  {
    weight: 1,
    arbitrary: fc.constant<Status>({
      _tag: "Superseded",
      at: "2024-02-01T00:00:00.000Z",
      agencyCode: "000.00.16.H08",
      replacementId: "replacement",
      reason: "cấp lại"
    })
  },
  { weight: 1, arbitrary: fc.constant<Status>({ _tag: "Removed", at: "2024-02-01T00:00:00.000Z" }) }
)

const mostly = (arbitrary: fc.Arbitrary<boolean>, yes: number): fc.Arbitrary<boolean> =>
  fc.oneof({ weight: yes, arbitrary: fc.constant(true) }, { weight: 1, arbitrary })

const validity: fc.Arbitrary<Document["validity"]> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.option(calendarDate, { nil: null, freq: 4 }).map((validFrom) => ({
      _tag: "NoExpiry" as const,
      validFrom
    }))
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 150, max: 600 }).map((d) => ({
      _tag: "Until" as const,
      validFrom: null,
      validUntil: new Date(BASE + d * DAY).toISOString().slice(0, 10)
    }))
  }
)

/**
 * One document, with an id of `idPrefix` (stores renumber them). Every field that matching reads
 * varies; most documents are visible, shared, signed, active and without complaint, so that eligible
 * documents are common.
 *
 * @since 0.1.0
 */
export const document = (idPrefix = "doc"): fc.Arbitrary<Document> =>
  fc.record({
    ownerId: fc.oneof(
      { weight: 4, arbitrary: fc.constant<string>(owners.owner) },
      { weight: 1, arbitrary: fc.constant<string>(owners.other) }
    ),
    category: fc.constantFrom<string>(...categoryPool),
    resultType: fc.option(fc.constantFrom<string>(...resultTypePool), { nil: null, freq: 2 }),
    type: fc.constantFrom<Document["type"]>("ProcedureResult", "CertifiedCopy", "PersonalDocument"),
    provenance,
    visible: mostly(fc.boolean(), 5),
    shared: mostly(fc.boolean(), 3),
    passed: mostly(fc.boolean(), 6),
    status,
    complaint: fc.oneof({ weight: 10, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    issuedAt: fc.option(calendarDate, { nil: null, freq: 6 }),
    validity,
    uses: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: 3 }) }),
    enteredAt: enteredAt
  }).map((g): Document => ({
    id: idPrefix,
    ownerId: g.ownerId,
    ownerName: "Nguyễn Văn An",
    code: null,
    resultType: g.resultType,
    type: g.type,
    category: g.category,
    name: `${g.category} ${idPrefix}`,
    file: { sha256: sha, size: 1000, mediaType: "application/pdf", fileName: `${idPrefix}.pdf` },
    previousFiles: [],
    visible: g.visible,
    shared: g.shared,
    identificationNumber: null,
    decisionNumber: null,
    summary: null,
    issuer: g.provenance._tag === "Uploaded"
      ? { _tag: "Owner", ownerId: g.ownerId }
      : { _tag: "Agency", agencyCode: g.provenance.agencyCode },
    issuedAt: g.issuedAt,
    validity: g.validity,
    provenance: g.provenance,
    signature: report(g.passed),
    uses: Array.from({ length: g.uses }, (_, i) => ({
      dossierNumber: `000.20.33.H08-240101-${String(i + 1).padStart(4, "0")}`,
      componentId: "giay-to",
      procedure: "1.000894",
      at: g.enteredAt
    })),
    status: g.status,
    openComplaints: g.complaint ? ["pa-1"] : [],
    enteredAt: g.enteredAt,
    updatedAt: g.enteredAt
  }))

/**
 * A store snapshot of up to `maxLength` documents (plus up to 3 copies of some of them that differ
 * only by id — the same certificate entered twice, which ties in every ranking key) with distinct ids
 * (`doc-0`, `doc-1`, …), in the order they were added.
 *
 * @since 0.1.0
 */
export const store = (maxLength = 12): fc.Arbitrary<ReadonlyArray<Document>> =>
  fc.tuple(fc.array(document(), { maxLength }), fc.array(fc.nat(), { maxLength: 3 })).map(([documents, copies]) =>
    [...documents, ...(documents.length === 0 ? [] : copies.map((k) => documents[k % documents.length]!))]
      .map((d, i) => ({ ...d, id: `doc-${i}` }))
  )

const decodeRequirement = Schema.decodeUnknownSync(Procedure.Requirement)
const decodeProcedure = Schema.decodeUnknownSync(Procedure.Procedure)

const period = fc.oneof(
  fc.integer({ min: 1, max: 400 }).map((days) => ({ _tag: "Days" as const, days })),
  fc.integer({ min: 1, max: 24 }).map((months) => ({ _tag: "Months" as const, months }))
)

/**
 * A validity rule of any kind.
 *
 * @since 0.1.0
 */
export const validityRule: fc.Arbitrary<Procedure.ValidityRule> = fc.oneof(
  fc.constant({ _tag: "NoneByLaw" as const }),
  period.map((p) => ({ _tag: "FromIssue" as const, period: p })),
  period.map((p) => ({ _tag: "FromIssueUntilStatusChange" as const, period: p }))
)

/**
 * A component requirement accepting some of the first four categories and some result types (never
 * `giay-khai-sinh`), with any form, sharing demand and validity rule.
 *
 * @since 0.1.0
 */
export const requirement = (rule: fc.Arbitrary<Procedure.ValidityRule> = validityRule): fc.Arbitrary<
  Procedure.Requirement
> =>
  fc.record({
    categories: fc.subarray(categoryPool.slice(0, 4), { minLength: 1 }),
    resultTypes: fc.subarray([...resultTypePool]),
    form: fc.oneof(
      { weight: 1, arbitrary: fc.constant<Procedure.Form>("Original") },
      { weight: 1, arbitrary: fc.constant<Procedure.Form>("CertifiedCopy") },
      { weight: 3, arbitrary: fc.constant<Procedure.Form>("Copy") }
    ),
    mandatory: fc.boolean(),
    requiresShared: fc.boolean(),
    validity: rule
  }).map((r) => decodeRequirement({ id: "thanh-phan", name: "Thành phần hồ sơ", ...r }))

/**
 * An (illustrative) procedure holding exactly `requirement`.
 *
 * @since 0.1.0
 */
export const procedureOf = (requirement: Procedure.Requirement): Procedure.Procedure =>
  decodeProcedure({
    code: "9.999999",
    codeSource: "illustrative",
    name: "Thủ tục sinh ngẫu nhiên",
    field: "Kiểm thử",
    agency: { kind: "Ủy ban nhân dân cấp xã", level: "commune" },
    cases: [{ id: "thong-thuong", name: "Thông thường", processingDays: 1, fee: { _tag: "Free" } }],
    onlineLevel: "full",
    requirements: [Schema.encodeSync(Procedure.Requirement)(requirement)]
  })

/**
 * A complete matching input for `owners.owner`: a requirement, its procedure, a store and an as-of
 * instant.
 *
 * @since 0.1.0
 */
export const matchInput = (
  options: { readonly maxDocuments?: number; readonly rule?: fc.Arbitrary<Procedure.ValidityRule> } = {}
): fc.Arbitrary<{
  readonly requirement: Procedure.Requirement
  readonly procedure: Procedure.Procedure
  readonly ownerId: string
  readonly documents: ReadonlyArray<Document>
  readonly asOf: string
}> =>
  fc.record({
    requirement: requirement(options.rule),
    documents: store(options.maxDocuments),
    asOf
  }).map(({ asOf, documents, requirement }) => ({
    requirement,
    procedure: procedureOf(requirement),
    ownerId: owners.owner,
    documents,
    asOf
  }))
