/** Fixtures for document store tests: actors, files, signature reports and commands. */
import type { Actor } from "../../src/Actor.ts"
import type { DocumentFile } from "../../src/Document.ts"
import type * as DocumentStore from "../../src/DocumentStore.ts"
import type * as DocumentStoreService from "../../src/DocumentStoreService.ts"
import type { SignatureReport } from "../../src/SignatureReport.ts"

export const ownerId = "052090000495"
export const owner: Actor = { _tag: "Citizen", personalId: ownerId }
export const stranger: Actor = { _tag: "Citizen", personalId: "079201012345" }
export const justiceAgency = "000.00.16.H08"
export const otherAgency = "000.20.33.H08"
export const officer: Actor = { _tag: "Officer", officerId: "cb-001", agencyCode: justiceAgency, roles: ["issue", "certify", "digitise", "handle-complaints"] }
export const otherOfficer: Actor = { _tag: "Officer", officerId: "cb-777", agencyCode: otherAgency, roles: ["issue", "certify", "digitise", "handle-complaints"] }
export const system: Actor = { _tag: "System", component: "matching" }
export const auditor: Actor = { _tag: "Auditor", auditorId: "kiem-toan-1" }
export const at = "2024-03-20T08:15:00.000Z"
export const later = "2024-03-21T09:00:00.000Z"

export const sha = (c: string): string => c.repeat(64)

export const file = (hash: string, overrides: Partial<DocumentFile> = {}): DocumentFile => ({
  sha256: hash,
  size: 1_261_014,
  mediaType: "application/pdf",
  fileName: "30CVCC01022024signed_1706859285.pdf",
  ...overrides
})

export const passed = (hash: string): SignatureReport => ({
  indication: "TOTAL_PASSED",
  subIndication: null,
  reason: "all signatures are valid and chain to a trusted VGCA root",
  validationTime: at,
  documentSha256: hash,
  signatures: []
})

export const failed = (hash: string): SignatureReport => ({
  indication: "INDETERMINATE",
  subIndication: "NO_CERTIFICATE_CHAIN_FOUND",
  reason: "the signer certificate does not chain to a trusted VGCA root",
  validationTime: at,
  documentSha256: hash,
  signatures: []
})

export const seedName = "052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính"

type Upload = typeof DocumentStore.UploadDocument.Type
type Issue = typeof DocumentStore.IssueDocument.Type

export const upload = (overrides: Partial<Upload> = {}): Upload => ({
  _tag: "UploadDocument",
  ownerId,
  documentId: "doc-1",
  actor: owner,
  at,
  code: null,
  resultType: null,
  type: "ProcedureResult",
  category: "ban-sao-chung-thuc",
  name: seedName,
  ownerName: "Nguyễn Văn An",
  file: file(sha("a")),
  signature: passed(sha("a")),
  identificationNumber: null,
  decisionNumber: null,
  summary: null,
  issuedAt: null,
  validity: { _tag: "NoExpiry", validFrom: null },
  visible: true,
  shared: true,
  ...overrides
})

export const issue = (overrides: Partial<Issue> = {}): Issue => ({
  _tag: "IssueDocument",
  ownerId,
  documentId: "kq-1",
  actor: officer,
  at,
  code: null,
  resultType: "KQ.G15.000021",
  type: "CertifiedCopy",
  category: "ban-sao-chung-thuc",
  name: "Bản sao được chứng thực từ bản chính",
  ownerName: "Nguyễn Văn An",
  file: file(sha("b"), { fileName: "20CVCC01022024signed.pdf" }),
  signature: passed(sha("b")),
  identificationNumber: "0520900004956/DT",
  decisionNumber: "20/CVCC",
  summary: "Chứng thực bản sao Giấy khai sinh",
  issuedAt: "2024-02-02",
  validity: { _tag: "NoExpiry", validFrom: "2024-02-02" },
  kind: "CertifiedCopy",
  ...overrides
})

/** The event an accepted {@link upload} appends. */
export const uploaded = (overrides: Partial<Upload> = {}): typeof DocumentStore.DocumentUploaded.Type => {
  const { _tag, actor: _actor, ...rest } = upload(overrides)
  return {
    ...rest,
    _tag: "DocumentUploaded",
    code: rest.code ?? "052090000495.KQ.G15.000021.02022024",
    issuer: { _tag: "Owner", ownerId: rest.ownerId }
  }
}

/** The event an accepted {@link issue} appends. */
export const issued = (overrides: Partial<Issue> = {}): typeof DocumentStore.DocumentIssued.Type => {
  const { _tag, actor, ...rest } = issue(overrides)
  const agencyCode = actor._tag === "Officer" ? actor.agencyCode : "?"
  return {
    ...rest,
    _tag: "DocumentIssued",
    code: rest.code ?? "052090000495.KQ.G15.000021.02022024",
    issuer: { _tag: "Agency", agencyCode },
    visible: true,
    shared: false,
    agencyCode,
    officerId: actor._tag === "Officer" ? actor.officerId : "?"
  }
}

export const target = (documentId = "doc-1", actor: Actor = owner, when = later) => ({
  ownerId,
  documentId,
  actor,
  at: when
})

/** The officer of the justice agency holding only `roles` (for the role checks). */
export const officerWith = (...roles: ReadonlyArray<string>): Actor => ({
  _tag: "Officer",
  officerId: "cb-001",
  agencyCode: justiceAgency,
  roles
})

/** A PDF's bytes carrying `text`: different texts make different files (and hashes). */
export const pdf = (text: string): Uint8Array => new TextEncoder().encode(`%PDF-1.7\n${text}\n%%EOF\n`)

/** The owner's personal document as the service uploads it; `summary` is the private text no refusal may show. */
export const storeEntry = (documentId: string, name: string, visible: boolean, summary = "bệnh án mật") => ({
  ownerId,
  documentId,
  bytes: pdf(name),
  fileName: `${documentId}.pdf`,
  mediaType: "application/pdf",
  type: "PersonalDocument" as const,
  category: "giay-khai-sinh",
  name,
  summary,
  visible
})

/** A citizen ID card (a result, KQ.G01.000023) as the police issue it into the owner's store. */
export const idCard = (documentId: string, text: string): DocumentStoreService.IssueInput => ({
  ownerId,
  documentId,
  bytes: pdf(text),
  fileName: `${documentId}.pdf`,
  mediaType: "application/pdf",
  type: "ProcedureResult",
  kind: "Result",
  category: "the-can-cuoc-cong-dan",
  name: "Thẻ căn cước công dân",
  resultType: "KQ.G01.000023",
  issuedAt: "2021-05-10"
})

/**
 * An electronic result of the police (an ID card, `cccd`) or the commune (a marital-status certificate)
 * for `owner`'s store, issued on `issuedAt` (by default 2021-05-10 and 2024-02-01).
 */
export const resultInput = (
  documentId: string,
  kind: "cccd" | "marital",
  options: { readonly owner?: string; readonly issuedAt?: string } = {}
): DocumentStoreService.IssueInput => {
  const store = options.owner ?? ownerId
  return {
    ownerId: store,
    documentId,
    bytes: pdf(`${kind} ${documentId} ${store}`),
    fileName: `${documentId}.pdf`,
    mediaType: "application/pdf",
    type: "ProcedureResult",
    kind: "Result",
    ...(kind === "cccd"
      ? { category: "the-can-cuoc-cong-dan", name: "Thẻ căn cước công dân", resultType: "KQ.G01.000023" }
      : { category: "xac-nhan-tinh-trang-hon-nhan", name: "Giấy xác nhận tình trạng hôn nhân" }),
    issuedAt: options.issuedAt ?? (kind === "cccd" ? "2021-05-10" : "2024-02-01")
  }
}
