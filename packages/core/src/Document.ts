/**
 * The document model of a store: one entry of "Kho dữ liệu cá nhân, tổ chức", as the
 * `DocumentStore` decider folds it from events. The bytes are not here: `file` references them in the
 * `FileStore` by SHA-256.
 *
 * Dates are kept as ISO strings so that events are their own JSON encoding: instants are
 * `2024-03-20T08:15:00.000Z`, calendar days `2024-02-02`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { parseIsoDate } from "./internal/calendar.ts"
import { ownerIdProblem } from "./internal/ownerId.ts"
import { SignatureReport } from "./SignatureReport.ts"

/**
 * An instant, ISO-8601 UTC with milliseconds (`DateTime.formatIso` output).
 *
 * @since 0.1.0
 */
export const Instant = Schema.String.check(
  Schema.makeFilter((s: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s)
      ? undefined
      : `an instant is ISO-8601 UTC with milliseconds (2024-03-20T08:15:00.000Z); got ${JSON.stringify(s)}`
  )
)

/**
 * A calendar day, `YYYY-MM-DD`, that exists.
 *
 * @since 0.1.0
 */
export const CalendarDate = Schema.String.check(
  Schema.makeFilter((s: string) =>
    parseIsoDate(s) !== null ? undefined : `a date is a real day written YYYY-MM-DD; got ${JSON.stringify(s)}`
  )
)

/**
 * Lower-case hex SHA-256.
 *
 * @since 0.1.0
 */
export const Sha256 = Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/))

/**
 * Who owns a store: a 12-digit personal ID, a 9-digit CMND, a tax code or an agency code (branded).
 *
 * @since 0.1.0
 */
export const OwnerId = Schema.String.check(Schema.makeFilter(ownerIdProblem)).pipe(Schema.brand("OwnerId"))

/**
 * @since 0.1.0
 */
export type OwnerId = typeof OwnerId.Type

/**
 * Why `input` cannot own a store, or `undefined`.
 *
 * @since 0.1.0
 */
export const ownerProblem: (input: string) => string | undefined = ownerIdProblem

/**
 * Why `input` cannot be a document id (1–128 characters of `A–Z a–z 0–9 . _ : -`), or `undefined`.
 * Callers choose ids (a UUID is fine) so a retried upload names the same document.
 *
 * @since 0.1.0
 */
export const documentIdProblem = (input: string): string | undefined =>
  /^[A-Za-z0-9._:-]{1,128}$/.test(input)
    ? undefined
    : `a document id is 1–128 characters of letters, digits and . _ : -; got ${JSON.stringify(input)}`

/**
 * Document type (Loại giấy tờ).
 *
 * @since 0.1.0
 */
export const DocumentType = Schema.Literals(["ProcedureResult", "CertifiedCopy", "PersonalDocument"])

/**
 * @since 0.1.0
 */
export type DocumentType = typeof DocumentType.Type

/**
 * The Vietnamese label of each document type, as the store screens show it.
 *
 * @since 0.1.0
 */
export const documentTypeLabel: { readonly [K in DocumentType]: string } = {
  ProcedureResult: "Kết quả giải quyết",
  CertifiedCopy: "Bản sao chứng thực",
  PersonalDocument: "Giấy tờ cá nhân"
}

/**
 * How a document entered the store.
 *
 * @since 0.1.0
 */
export const Provenance = Schema.Union([
  /** The owner uploaded it ("Thêm mới"). */
  Schema.TaggedStruct("Uploaded", {}),
  /** An agency issued it as the electronic result of a procedure. */
  Schema.TaggedStruct("Issued", { agencyCode: Schema.String, officerId: Schema.String }),
  /** An agency certified it as a copy of an original (chứng thực điện tử). */
  Schema.TaggedStruct("CertifiedCopy", { agencyCode: Schema.String, officerId: Schema.String }),
  /** An officer scanned a paper document at the counter (số hóa). */
  Schema.TaggedStruct("DigitisedAtCounter", { agencyCode: Schema.String, officerId: Schema.String })
])

/**
 * @since 0.1.0
 */
export type Provenance = typeof Provenance.Type

/**
 * Who issued the document itself (not who put it in the store).
 *
 * @since 0.1.0
 */
export const Issuer = Schema.Union([
  Schema.TaggedStruct("Agency", { agencyCode: Schema.String }),
  /** The owner, for uploads: the store cannot vouch for another issuer. */
  Schema.TaggedStruct("Owner", { ownerId: Schema.String }),
  /** Named as printed on a digitised paper document whose issuer has no agency code. */
  Schema.TaggedStruct("Named", { name: Schema.String })
])

/**
 * @since 0.1.0
 */
export type Issuer = typeof Issuer.Type

/**
 * How long the document is valid, as printed on it. Rules that depend on the procedure are the
 * matching engine's (see `Category.ValidityRule`).
 *
 * @since 0.1.0
 */
export const Validity = Schema.Union([
  Schema.TaggedStruct("NoExpiry", { validFrom: Schema.NullOr(CalendarDate) }),
  Schema.TaggedStruct("Until", { validFrom: Schema.NullOr(CalendarDate), validUntil: CalendarDate })
])

/**
 * @since 0.1.0
 */
export type Validity = typeof Validity.Type

/**
 * The stored file: content-addressed, so `sha256` (with `size`) is the `FileStore` reference.
 *
 * @since 0.1.0
 */
export const DocumentFile = Schema.Struct({
  sha256: Sha256,
  size: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  mediaType: Schema.String,
  fileName: Schema.String
})

/**
 * @since 0.1.0
 */
export type DocumentFile = typeof DocumentFile.Type

/**
 * Where a document stands.
 *
 * @since 0.1.0
 */
export const Status = Schema.Union([
  Schema.TaggedStruct("Active", {}),
  Schema.TaggedStruct("Revoked", { at: Instant, agencyCode: Schema.String, reason: Schema.String }),
  Schema.TaggedStruct("Superseded", {
    at: Instant,
    agencyCode: Schema.String,
    replacementId: Schema.String,
    reason: Schema.String
  }),
  Schema.TaggedStruct("Removed", { at: Instant })
])

/**
 * @since 0.1.0
 */
export type Status = typeof Status.Type

/**
 * One use of a document by a dossier component; `(dossierNumber, componentId)` identifies it.
 *
 * @since 0.1.0
 */
export const Use = Schema.Struct({
  dossierNumber: Schema.String,
  componentId: Schema.String,
  procedure: Schema.String,
  at: Instant
})

/**
 * @since 0.1.0
 */
export type Use = typeof Use.Type

/**
 * A document in a store.
 *
 * @since 0.1.0
 */
export const Document = Schema.Struct({
  id: Schema.String,
  ownerId: Schema.String,
  /** Holder's name as printed (Tên chủ hồ sơ), for search. */
  ownerName: Schema.NullOr(Schema.String),
  /** Mã giấy tờ, e.g. `052090000495.KQ.G15.000021.02022024`; kept as given (see `DocumentCode`). */
  code: Schema.NullOr(Schema.String),
  /** The result type code (`KQ.G15.000021`) of a procedure result, when known. */
  resultType: Schema.NullOr(Schema.String),
  type: DocumentType,
  /** A code of the category catalog. */
  category: Schema.String,
  name: Schema.String,
  file: DocumentFile,
  /** Files this document had before, oldest first (a replaced file stays in history). */
  previousFiles: Schema.Array(DocumentFile),
  visible: Schema.Boolean,
  shared: Schema.Boolean,
  /** Số định danh of the document, as printed. */
  identificationNumber: Schema.NullOr(Schema.String),
  /** Số quyết định. */
  decisionNumber: Schema.NullOr(Schema.String),
  /** Trích yếu. */
  summary: Schema.NullOr(Schema.String),
  issuer: Issuer,
  issuedAt: Schema.NullOr(CalendarDate),
  validity: Validity,
  provenance: Provenance,
  /** The signature report the current file was accepted with. */
  signature: SignatureReport,
  uses: Schema.Array(Use),
  status: Status,
  openComplaints: Schema.Array(Schema.String),
  enteredAt: Instant,
  updatedAt: Instant
})

/**
 * @since 0.1.0
 */
export type Document = typeof Document.Type

/**
 * Số lần sử dụng: how many dossier components used the document.
 *
 * @since 0.1.0
 */
export const usageCount = (document: Document): number => document.uses.length

/**
 * Whether a document is active (not revoked, superseded or removed).
 *
 * @since 0.1.0
 */
export const isActive = (document: Document): boolean => document.status._tag === "Active"

/**
 * What a store accepts as a file, as data.
 *
 * @since 0.1.0
 */
export interface FileRules {
  readonly maxFileBytes: number
  readonly acceptedMediaTypes: ReadonlyArray<string>
}

/**
 * 20 MiB, PDF only: the portal accepts only signed PDFs.
 *
 * @since 0.1.0
 */
export const defaultFileRules: FileRules = {
  maxFileBytes: 20 * 1024 * 1024,
  acceptedMediaTypes: ["application/pdf"]
}

/**
 * The bytes every PDF starts with (`%PDF-`).
 *
 * @since 0.1.0
 */
export const pdfMagic: Uint8Array = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])

/**
 * Whether `bytes` start with `%PDF-`. The media type a client declares proves nothing.
 *
 * @since 0.1.0
 */
export const hasPdfMagic = (bytes: Uint8Array): boolean =>
  bytes.length >= pdfMagic.length && pdfMagic.every((byte, i) => bytes[i] === byte)
