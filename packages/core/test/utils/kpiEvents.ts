/** Builders of recorded events for the KPI tests: the dossier, store and complaint events the ledger reads. */
import type { Actor } from "../../src/Actor.ts"
import type * as Dossier from "../../src/Dossier.ts"
import type { RecordedEvent } from "../../src/Event.ts"
import { GENESIS_HASH, seal } from "../../src/HashChain.ts"

const system: Actor = { _tag: "System", component: "kpi-test" }

/** An event as the log would hold it, chained to `previous` (or the genesis). */
export const recorded = (
  type: string,
  data: unknown,
  options: { readonly position: number; readonly recordedAt: string; readonly previous?: RecordedEvent; readonly streamId?: string }
): RecordedEvent =>
  seal({
    streamId: options.streamId ?? `Test-${options.position}`,
    streamVersion: 1,
    globalPosition: options.position,
    type,
    schemaVersion: 1,
    data,
    recordedAt: options.recordedAt,
    actor: system,
    commandId: `cmd-${options.position}`,
    correlationId: "corr",
    causationId: null,
    previousHash: options.previous?.hash ?? GENESIS_HASH
  })

/** A log of `[type, data, recordedAt]`, positions from 1, each chained to the one before. */
export const log = (entries: ReadonlyArray<readonly [string, unknown, string]>): ReadonlyArray<RecordedEvent> => {
  const out: Array<RecordedEvent> = []
  entries.forEach(([type, data, recordedAt], i) => {
    const previous = out[i - 1]
    out.push(recorded(type, data, { position: i + 1, recordedAt, ...(previous === undefined ? {} : { previous }) }))
  })
  return out
}

const numbered = (dossierId: string, agencyCode: string, at: string) => ({
  dossierId,
  at,
  number: `${agencyCode}-240320-0001`,
  ownerId: "052090000495",
  agencyCode,
  procedure: "1.001193"
})

/** `DossierReceived` data with components satisfied as `satisfiedBy` lists. */
export const received = (
  dossierId: string,
  agencyCode: string,
  at: string,
  satisfiedBy: ReadonlyArray<Dossier.ComponentSummary["satisfiedBy"]>
): readonly [string, unknown, string] => [
  "DossierReceived",
  {
    _tag: "DossierReceived",
    ...numbered(dossierId, agencyCode, at),
    officerId: "cb-001",
    components: satisfiedBy.map((s, i) => ({
      componentId: `c${i}`,
      satisfiedBy: s,
      // deliberately wrong: the ledger must classify from `satisfiedBy`, not trust this label
      reuse: "None"
    }))
  },
  at
]

/** `ResultIssued` data. */
export const resultIssued = (dossierId: string, agencyCode: string, at: string): readonly [string, unknown, string] => [
  "ResultIssued",
  {
    _tag: "ResultIssued",
    ...numbered(dossierId, agencyCode, at),
    officerId: "cb-001",
    documents: [{ documentId: `${dossierId}.kq`, kind: "Result", name: "Giấy khai sinh" }]
  },
  at
]

/** `PaperResultIssued` data: a result handed over on paper only. */
export const paperResultIssued = (dossierId: string, agencyCode: string, at: string): readonly [string, unknown, string] => [
  "PaperResultIssued",
  {
    _tag: "PaperResultIssued",
    ...numbered(dossierId, agencyCode, at),
    officerId: "cb-001",
    documents: [{ kind: "Result", name: "Giấy khai sinh (bản giấy)" }]
  },
  at
]

/** `DossierRejected` data. */
export const rejected = (dossierId: string, agencyCode: string, at: string): readonly [string, unknown, string] => [
  "DossierRejected",
  { _tag: "DossierRejected", ...numbered(dossierId, agencyCode, at), officerId: "cb-001", reason: "Không thuộc thẩm quyền" },
  at
]

const sha = "a".repeat(64)

/** `DocumentIssued` data of kind `kind`. */
export const documentIssued = (
  documentId: string,
  agencyCode: string,
  at: string,
  kind: "Result" | "CertifiedCopy"
): readonly [string, unknown, string] => [
  "DocumentIssued",
  {
    _tag: "DocumentIssued",
    ownerId: "052090000495",
    documentId,
    at,
    code: null,
    resultType: null,
    type: kind === "CertifiedCopy" ? "CertifiedCopy" : "ProcedureResult",
    category: "ban-sao-chung-thuc",
    name: "Bản sao được chứng thực từ bản chính",
    ownerName: null,
    file: { sha256: sha, size: 10, mediaType: "application/pdf", fileName: "a.pdf" },
    signature: {
      indication: "TOTAL_PASSED",
      subIndication: null,
      reason: "ok",
      validationTime: at,
      documentSha256: sha,
      signatures: []
    },
    identificationNumber: null,
    decisionNumber: null,
    summary: null,
    issuer: { _tag: "Agency", agencyCode },
    issuedAt: null,
    validity: { _tag: "NoExpiry", validFrom: null },
    visible: true,
    shared: false,
    kind,
    agencyCode,
    officerId: "cb-001"
  },
  at
]

const complaintAbout = (complaintId: string, agencyCode: string, at: string) => ({
  complaintId,
  ownerId: "052090000495",
  documentId: "kq-1",
  agencyCode,
  at
})

/** `ComplaintFiled` with deadlines of 2 (reject) and 15 (handle) working days. */
export const complaintFiled = (complaintId: string, agencyCode: string, at: string): readonly [string, unknown, string] => [
  "ComplaintFiled",
  {
    _tag: "ComplaintFiled",
    ...complaintAbout(complaintId, agencyCode, at),
    documentCode: null,
    documentName: "Giấy khai sinh",
    reason: "WrongCitizenInformation",
    comment: null,
    origin: { _tag: "StoreView" },
    rejectWithinWorkingDays: 2,
    handleWithinWorkingDays: 15
  },
  at
]

/** `ComplaintResolved` (a correction). */
export const complaintResolved = (complaintId: string, agencyCode: string, at: string): readonly [string, unknown, string] => [
  "ComplaintResolved",
  {
    _tag: "ComplaintResolved",
    ...complaintAbout(complaintId, agencyCode, at),
    officerId: "cb-001",
    replacementId: "kq-2",
    resolution: "Đã cấp lại"
  },
  at
]

/** `ComplaintRejected`. */
export const complaintRejected = (complaintId: string, agencyCode: string, at: string): readonly [string, unknown, string] => [
  "ComplaintRejected",
  { _tag: "ComplaintRejected", ...complaintAbout(complaintId, agencyCode, at), officerId: "cb-001", reason: "Kết quả đúng" },
  at
]
