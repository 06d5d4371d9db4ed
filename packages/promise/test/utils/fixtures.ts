/** Fixtures of the facade tests: actors, a verifier function, PDFs, a marriage-registration draft. */
import type { Actor } from "@kho/core/Actor"
import type { SignatureReport } from "@kho/core/SignatureReport"
import { hash } from "node:crypto"

export const ownerId = "052090000495"
export const owner: Actor = { _tag: "Citizen", personalId: ownerId }
export const stranger: Actor = { _tag: "Citizen", personalId: "079201012345" }
/** UBND xã An Hòa in the unit data of An Lão. */
export const agencyCode = "000.23.30.H08"
export const officer: Actor = { _tag: "Officer", officerId: "cb-001", agencyCode, roles: ["receive", "digitise", "issue", "certify", "handle-complaints"] }
export const police: Actor = { _tag: "Officer", officerId: "ca-01", agencyCode: "000.00.16.H08", roles: ["issue", "certify", "handle-complaints"] }
/** 2024-03-20 08:15 in An Lão. */
export const morning = new Date("2024-03-20T01:15:00.000Z")

export const pdf = (text: string): Uint8Array => new TextEncoder().encode(`%PDF-1.7\n${text}\n%%EOF\n`)

const report = (bytes: Uint8Array, indication: SignatureReport["indication"]): SignatureReport => ({
  indication,
  subIndication: indication === "TOTAL_PASSED" ? null : "NO_CERTIFICATE_CHAIN_FOUND",
  reason: indication === "TOTAL_PASSED" ? "signed by a trusted VGCA certificate" : "the signer does not chain to a VGCA root",
  validationTime: morning.toISOString(),
  documentSha256: hash("sha256", bytes, "hex"),
  signatures: []
})

/** Accepts every PDF whose text does not contain "forged" (async, as a remote verifier would be). */
export const verifier = async (bytes: Uint8Array): Promise<SignatureReport> =>
  report(bytes, new TextDecoder().decode(bytes).includes("forged") ? "INDETERMINATE" : "TOTAL_PASSED")

export const idCard = (documentId: string, issuedAt = "2021-05-10") => ({
  ownerId,
  documentId,
  bytes: pdf(`cccd ${documentId}`),
  fileName: `${documentId}.pdf`,
  mediaType: "application/pdf",
  type: "ProcedureResult" as const,
  kind: "Result" as const,
  category: "the-can-cuoc-cong-dan",
  name: "Thẻ căn cước công dân",
  resultType: "KQ.G01.000023",
  issuedAt
})

export const maritalStatus = (documentId: string) => ({
  ownerId,
  documentId,
  bytes: pdf(`xac nhan ${documentId}`),
  fileName: `${documentId}.pdf`,
  mediaType: "application/pdf",
  type: "ProcedureResult" as const,
  kind: "Result" as const,
  category: "xac-nhan-tinh-trang-hon-nhan",
  name: "Giấy xác nhận tình trạng hôn nhân",
  issuedAt: "2024-02-01"
})

export const draft = (dossierId: string) => ({
  dossierId,
  procedureCode: "1.000894",
  caseId: "khong-xac-minh",
  agencyCode,
  district: "binh-dinh.an-lao",
  commune: "binh-dinh.an-lao.an-hoa",
  channel: "online" as const,
  submitter: { personalId: ownerId, name: "Nguyễn Văn An" },
  ownerId
})
