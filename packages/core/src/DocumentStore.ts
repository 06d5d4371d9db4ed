/**
 * The document store aggregate (Kho dữ liệu cá nhân, tổ chức): one event stream per owner, holding
 * what the owner uploaded, what agencies issued into it and what officers digitised at the counter.
 *
 * ```ts
 * const result = DocumentStore.decider.decide(command, state) // Result<events, DocumentStoreError>
 * ```
 *
 * Rules the decider enforces (see docs/domain-document-store.md):
 * - only PDFs (`application/pdf`) up to the size limit, each with a signature report for exactly its
 *   bytes whose indication is `TOTAL_PASSED` — otherwise {@link SignatureNotAccepted} with the report's
 *   reason;
 * - the owner alone uploads, hides, shows, shares, unshares, removes and replaces files;
 * - an agency alone issues into a store, and revokes or supersedes only the documents it issued;
 * - a rejected command appends nothing; a repeat of something already done appends nothing.
 *
 * Commands carry their actor and time (`at`): the decider stays pure.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { Actor, label as actorLabel } from "./Actor.ts"
import { mayRecordAccess, roleProblem } from "./Authorization.ts"
import * as Category from "./Category.ts"
import type { Decider } from "./Decider.ts"
import * as DocumentCode from "./DocumentCode.ts"
import {
  CalendarDate,
  defaultFileRules,
  DocumentFile,
  documentIdProblem,
  DocumentType,
  type Document,
  type FileRules,
  Instant,
  Issuer,
  ownerProblem,
  type Provenance,
  Validity
} from "./Document.ts"
import * as DossierNumber from "./DossierNumber.ts"
import { parseIsoDate } from "./internal/calendar.ts"
import * as ResultTypeCode from "./ResultTypeCode.ts"
import { Indication, SignatureReport, SubIndication } from "./SignatureReport.ts"

// -----------------------------------------------------------------------------------------------
// Commands
// -----------------------------------------------------------------------------------------------

const target = {
  /** The store's owner (its stream is `DocumentStore-<ownerId>`). */
  ownerId: Schema.String,
  documentId: Schema.String,
  actor: Actor,
  at: Instant
}

/** What a new entry says about itself; shared by upload, issue and digitise. */
const content = {
  /** Mã giấy tờ; when null, an issued result with a result type and issue day gets one built. */
  code: Schema.NullOr(Schema.String),
  resultType: Schema.NullOr(Schema.String),
  type: DocumentType,
  category: Schema.String,
  name: Schema.String,
  ownerName: Schema.NullOr(Schema.String),
  file: DocumentFile,
  signature: SignatureReport,
  identificationNumber: Schema.NullOr(Schema.String),
  decisionNumber: Schema.NullOr(Schema.String),
  summary: Schema.NullOr(Schema.String),
  issuedAt: Schema.NullOr(CalendarDate),
  validity: Validity
}

/**
 * The owner adds a signed PDF to their store ("Thêm mới").
 *
 * @since 0.1.0
 */
export const UploadDocument = Schema.TaggedStruct("UploadDocument", {
  ...target,
  ...content,
  visible: Schema.Boolean,
  shared: Schema.Boolean
})

/**
 * An agency puts the electronic result of a procedure, or an electronically certified copy, into the
 * owner's store (Kho cơ quan nhà nước). The issuer is the acting officer's agency.
 *
 * @since 0.1.0
 */
export const IssueDocument = Schema.TaggedStruct("IssueDocument", {
  ...target,
  ...content,
  kind: Schema.Literals(["Result", "CertifiedCopy"])
})

/**
 * An officer records a paper document scanned at the counter into the owner's store.
 *
 * @since 0.1.0
 */
export const RecordDigitisedDocument = Schema.TaggedStruct("RecordDigitisedDocument", {
  ...target,
  ...content,
  /** Who issued the paper original (an agency code, or a name as printed). */
  issuer: Issuer
})

/**
 * The owner replaces a wrong file of a document they uploaded; the old file stays in history.
 *
 * @since 0.1.0
 */
export const ReplaceFile = Schema.TaggedStruct("ReplaceFile", {
  ...target,
  file: DocumentFile,
  signature: SignatureReport
})

/**
 * The owner removes a document from their store (its history stays in the log).
 *
 * @since 0.1.0
 */
export const RemoveDocument = Schema.TaggedStruct("RemoveDocument", { ...target })

/**
 * The owner hides a document (Hiển thị off): matching no longer offers it.
 *
 * @since 0.1.0
 */
export const HideDocument = Schema.TaggedStruct("HideDocument", { ...target })

/**
 * The owner shows a hidden document again.
 *
 * @since 0.1.0
 */
export const ShowDocument = Schema.TaggedStruct("ShowDocument", { ...target })

/**
 * The owner shares a document (Chia sẻ on).
 *
 * @since 0.1.0
 */
export const ShareDocument = Schema.TaggedStruct("ShareDocument", { ...target })

/**
 * The owner stops sharing a document.
 *
 * @since 0.1.0
 */
export const UnshareDocument = Schema.TaggedStruct("UnshareDocument", { ...target })

/**
 * A dossier component used the document (Số lần sử dụng + 1). The same dossier component counts once,
 * however often the use is retried. Sent by the dossier flow; `DocumentStoreService.execute` checks
 * that a dossier holding the number attaches the document.
 *
 * @since 0.1.0
 */
export const RecordUse = Schema.TaggedStruct("RecordUse", {
  ...target,
  dossierNumber: Schema.String,
  componentId: Schema.String,
  /** The procedure's code (mã thủ tục). */
  procedure: Schema.String
})

/**
 * The issuing agency revokes a document it issued.
 *
 * @since 0.1.0
 */
export const RevokeDocument = Schema.TaggedStruct("RevokeDocument", { ...target, reason: Schema.String })

/**
 * The issuing agency replaces a document it issued by another one already in the store (how a
 * complaint about a wrong result is corrected).
 *
 * @since 0.1.0
 */
export const SupersedeDocument = Schema.TaggedStruct("SupersedeDocument", {
  ...target,
  replacementId: Schema.String,
  reason: Schema.String
})

/**
 * A complaint about the document was opened: matching excludes it until the complaint closes. Only the
 * complaint flow sends it (the owner filing, or the engine); `DocumentStoreService.execute` also checks
 * the complaint is open.
 *
 * @since 0.1.0
 */
export const FlagDocument = Schema.TaggedStruct("FlagDocument", { ...target, complaintId: Schema.String })

/**
 * A complaint about the document was closed. Only the complaint flow sends it (the issuing agency
 * resolving or rejecting, or the engine); `DocumentStoreService.execute` refuses it while the
 * complaint is open.
 *
 * @since 0.1.0
 */
export const UnflagDocument = Schema.TaggedStruct("UnflagDocument", { ...target, complaintId: Schema.String })

/**
 * Channel through which a store was looked at.
 *
 * @since 0.1.0
 */
export const Channel = Schema.Literals(["online", "counter"])

/**
 * Somebody looked into the store for a procedure (the matching engine records it): the owner's
 * "who used my data" log.
 *
 * @since 0.1.0
 */
export const RecordStoreAccess = Schema.TaggedStruct("RecordStoreAccess", {
  ownerId: Schema.String,
  actor: Actor,
  at: Instant,
  procedure: Schema.String,
  channel: Channel,
  /** How many documents the lookup found eligible. */
  found: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  dossierNumber: Schema.NullOr(Schema.String)
})

/**
 * Every command of the document store.
 *
 * @since 0.1.0
 */
export const Command = Schema.Union([
  UploadDocument,
  IssueDocument,
  RecordDigitisedDocument,
  ReplaceFile,
  RemoveDocument,
  HideDocument,
  ShowDocument,
  ShareDocument,
  UnshareDocument,
  RecordUse,
  RevokeDocument,
  SupersedeDocument,
  FlagDocument,
  UnflagDocument,
  RecordStoreAccess
])

/**
 * @since 0.1.0
 */
export type Command = typeof Command.Type

// -----------------------------------------------------------------------------------------------
// Events
// -----------------------------------------------------------------------------------------------

const about = { ownerId: Schema.String, documentId: Schema.String, at: Instant }

const entry = {
  ...about,
  code: Schema.NullOr(Schema.String),
  resultType: Schema.NullOr(Schema.String),
  type: DocumentType,
  category: Schema.String,
  name: Schema.String,
  ownerName: Schema.NullOr(Schema.String),
  file: DocumentFile,
  signature: SignatureReport,
  identificationNumber: Schema.NullOr(Schema.String),
  decisionNumber: Schema.NullOr(Schema.String),
  summary: Schema.NullOr(Schema.String),
  issuer: Issuer,
  issuedAt: Schema.NullOr(CalendarDate),
  validity: Validity,
  visible: Schema.Boolean,
  shared: Schema.Boolean
}

/**
 * The owner uploaded a document.
 *
 * @since 0.1.0
 */
export const DocumentUploaded = Schema.TaggedStruct("DocumentUploaded", entry)

/**
 * An agency issued a result or a certified copy into the store.
 *
 * @since 0.1.0
 */
export const DocumentIssued = Schema.TaggedStruct("DocumentIssued", {
  ...entry,
  kind: Schema.Literals(["Result", "CertifiedCopy"]),
  agencyCode: Schema.String,
  officerId: Schema.String
})

/**
 * An officer recorded a document digitised at the counter.
 *
 * @since 0.1.0
 */
export const DocumentDigitised = Schema.TaggedStruct("DocumentDigitised", {
  ...entry,
  agencyCode: Schema.String,
  officerId: Schema.String
})

/**
 * The owner replaced the file; `previousFile` stays in the document's history.
 *
 * @since 0.1.0
 */
export const DocumentFileReplaced = Schema.TaggedStruct("DocumentFileReplaced", {
  ...about,
  previousFile: DocumentFile,
  file: DocumentFile,
  signature: SignatureReport
})

/**
 * The owner removed the document.
 *
 * @since 0.1.0
 */
export const DocumentRemoved = Schema.TaggedStruct("DocumentRemoved", about)

/**
 * The owner hid the document.
 *
 * @since 0.1.0
 */
export const DocumentHidden = Schema.TaggedStruct("DocumentHidden", about)

/**
 * The owner showed the document again.
 *
 * @since 0.1.0
 */
export const DocumentShown = Schema.TaggedStruct("DocumentShown", about)

/**
 * The owner shared the document.
 *
 * @since 0.1.0
 */
export const DocumentShared = Schema.TaggedStruct("DocumentShared", about)

/**
 * The owner stopped sharing the document.
 *
 * @since 0.1.0
 */
export const DocumentUnshared = Schema.TaggedStruct("DocumentUnshared", about)

/**
 * A dossier component used the document.
 *
 * @since 0.1.0
 */
export const DocumentUsed = Schema.TaggedStruct("DocumentUsed", {
  ...about,
  dossierNumber: Schema.String,
  componentId: Schema.String,
  procedure: Schema.String
})

/**
 * The issuing agency revoked the document.
 *
 * @since 0.1.0
 */
export const DocumentRevoked = Schema.TaggedStruct("DocumentRevoked", {
  ...about,
  agencyCode: Schema.String,
  reason: Schema.String
})

/**
 * The issuing agency superseded the document by `replacementId`; `officerId` names the officer who
 * did it, as in `DocumentIssued` (`null` only in events written at version 1, see ADR 0112).
 *
 * @since 0.1.0
 */
export const DocumentSuperseded = Schema.TaggedStruct("DocumentSuperseded", {
  ...about,
  agencyCode: Schema.String,
  officerId: Schema.NullOr(Schema.String),
  replacementId: Schema.String,
  reason: Schema.String
})

/**
 * The JSON of `DocumentSuperseded` at schema version 1, exactly as Kho wrote it before ADR 0112:
 * no `officerId`. Logs keep such events for ever; `Upcaster.builtIn` brings them to version 2.
 *
 * @since 0.1.0
 */
export const DocumentSupersededV1 = Schema.Struct({
  _tag: Schema.Literal("DocumentSuperseded"),
  ownerId: Schema.String,
  documentId: Schema.String,
  at: Schema.String,
  agencyCode: Schema.String,
  replacementId: Schema.String,
  reason: Schema.String
})

/**
 * Version 1 → 2 of `DocumentSuperseded`: the officer was not recorded, so `officerId` is `null`
 * (an upcaster sees only `data`; it does not guess from the envelope).
 *
 * @since 0.1.0
 */
export const supersededV1ToV2 = (v1: typeof DocumentSupersededV1.Type): typeof DocumentSuperseded.Encoded => ({
  _tag: v1._tag,
  ownerId: v1.ownerId,
  documentId: v1.documentId,
  at: v1.at,
  agencyCode: v1.agencyCode,
  officerId: null,
  replacementId: v1.replacementId,
  reason: v1.reason
})

/**
 * A complaint about the document is open.
 *
 * @since 0.1.0
 */
export const DocumentFlagged = Schema.TaggedStruct("DocumentFlagged", { ...about, complaintId: Schema.String })

/**
 * A complaint about the document was closed.
 *
 * @since 0.1.0
 */
export const DocumentUnflagged = Schema.TaggedStruct("DocumentUnflagged", { ...about, complaintId: Schema.String })

/**
 * Somebody looked into the store: who, when, for which procedure, through which channel, and how
 * many documents they found.
 *
 * @since 0.1.0
 */
export const StoreAccessed = Schema.TaggedStruct("StoreAccessed", {
  ownerId: Schema.String,
  at: Instant,
  accessor: Actor,
  procedure: Schema.String,
  channel: Channel,
  found: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  dossierNumber: Schema.NullOr(Schema.String)
})

/**
 * Every event of the document store; its JSON encoding is the event's `data` in the log.
 *
 * @since 0.1.0
 */
export const Event = Schema.Union([
  DocumentUploaded,
  DocumentIssued,
  DocumentDigitised,
  DocumentFileReplaced,
  DocumentRemoved,
  DocumentHidden,
  DocumentShown,
  DocumentShared,
  DocumentUnshared,
  DocumentUsed,
  DocumentRevoked,
  DocumentSuperseded,
  DocumentFlagged,
  DocumentUnflagged,
  StoreAccessed
])

/**
 * @since 0.1.0
 */
export type Event = typeof Event.Type

// -----------------------------------------------------------------------------------------------
// Errors (Emmett's taxonomy: validation, illegal state, not found, forbidden)
// -----------------------------------------------------------------------------------------------

/**
 * Validation: the command is malformed or the file is not acceptable (not a PDF, too large,
 * unknown category, a report for other bytes…). `reason` says which rule.
 *
 * @since 0.1.0
 */
export class InvalidDocument extends Schema.TaggedError<InvalidDocument>()("InvalidDocument", {
  ownerId: Schema.String,
  documentId: Schema.NullOr(Schema.String),
  reason: Schema.Literals([
    "InvalidOwnerId",
    "InvalidDocumentId",
    "UnsupportedMediaType",
    "EmptyFile",
    "FileTooLarge",
    "NotPdf",
    "UnknownCategory",
    "InvalidField",
    "ReportMismatch",
    "FieldTooLong"
  ]),
  message: Schema.String
}) {}

/**
 * Validation: the file's signatures did not pass. Carries the report's verdict so the owner sees
 * why (e.g. "the signer certificate does not chain to a trusted VGCA root").
 *
 * @since 0.1.0
 */
export class SignatureNotAccepted extends Schema.TaggedError<SignatureNotAccepted>()("SignatureNotAccepted", {
  ownerId: Schema.String,
  documentId: Schema.NullOr(Schema.String),
  indication: Indication,
  subIndication: Schema.NullOr(SubIndication),
  /** The report's own reason. */
  reason: Schema.String,
  message: Schema.String
}) {}

/**
 * Not found: no such document in this store.
 *
 * @since 0.1.0
 */
export class DocumentNotFound extends Schema.TaggedError<DocumentNotFound>()("DocumentNotFound", {
  ownerId: Schema.String,
  documentId: Schema.String,
  message: Schema.String
}) {}

/**
 * Illegal state: a different document already has this id.
 *
 * @since 0.1.0
 */
export class DocumentAlreadyExists extends Schema.TaggedError<DocumentAlreadyExists>()("DocumentAlreadyExists", {
  ownerId: Schema.String,
  documentId: Schema.String,
  message: Schema.String
}) {}

/**
 * Illegal state: the document's status forbids the command (a removed document cannot be shared, a
 * revoked one cannot be used…).
 *
 * @since 0.1.0
 */
export class IllegalDocumentState extends Schema.TaggedError<IllegalDocumentState>()("IllegalDocumentState", {
  ownerId: Schema.String,
  documentId: Schema.String,
  status: Schema.String,
  message: Schema.String
}) {}

/**
 * Forbidden: the actor may not do this to this store or document.
 *
 * @since 0.1.0
 */
export class DocumentStoreForbidden extends Schema.TaggedError<DocumentStoreForbidden>()("DocumentStoreForbidden", {
  ownerId: Schema.String,
  documentId: Schema.NullOr(Schema.String),
  actor: Schema.String,
  message: Schema.String
}) {}

/**
 * Every error `decide` returns.
 *
 * @since 0.1.0
 */
export const DocumentStoreError = Schema.Union([
  InvalidDocument,
  SignatureNotAccepted,
  DocumentNotFound,
  DocumentAlreadyExists,
  IllegalDocumentState,
  DocumentStoreForbidden
])

/**
 * @since 0.1.0
 */
export type DocumentStoreError = typeof DocumentStoreError.Type

/**
 * The Emmett category of an error, for mapping to HTTP statuses or retry decisions.
 *
 * @since 0.1.0
 */
export const errorKind = (
  error: DocumentStoreError
): "validation" | "illegal-state" | "not-found" | "forbidden" => {
  switch (error._tag) {
    case "InvalidDocument":
    case "SignatureNotAccepted":
      return "validation"
    case "DocumentNotFound":
      return "not-found"
    case "DocumentAlreadyExists":
    case "IllegalDocumentState":
      return "illegal-state"
    case "DocumentStoreForbidden":
      return "forbidden"
  }
}

// -----------------------------------------------------------------------------------------------
// State
// -----------------------------------------------------------------------------------------------

/**
 * A store's state: its documents by id, in the order they entered.
 *
 * @since 0.1.0
 */
export interface State {
  readonly ownerId: string | null
  readonly documents: ReadonlyMap<string, Document>
  /** How many `StoreAccessed` events the store has. */
  readonly accesses: number
}

/**
 * The empty store.
 *
 * @since 0.1.0
 */
export const initialState: State = { ownerId: null, documents: new Map(), accesses: 0 }

const withDocument = (state: State, ownerId: string, document: Document): State => ({
  ...state,
  ownerId,
  documents: new Map(state.documents).set(document.id, document)
})

const update = (state: State, id: string, at: string, change: (document: Document) => Partial<Document>): State => {
  const document = state.documents.get(id)
  return document === undefined
    ? state
    : withDocument(state, state.ownerId ?? document.ownerId, { ...document, ...change(document), updatedAt: at })
}

type EntryEvent = typeof DocumentUploaded.Type

const enter = (state: State, event: Omit<EntryEvent, "_tag">, provenance: Provenance): State =>
  withDocument(state, event.ownerId, {
    id: event.documentId,
    ownerId: event.ownerId,
    ownerName: event.ownerName,
    code: event.code,
    resultType: event.resultType,
    type: event.type,
    category: event.category,
    name: event.name,
    file: event.file,
    previousFiles: [],
    visible: event.visible,
    shared: event.shared,
    identificationNumber: event.identificationNumber,
    decisionNumber: event.decisionNumber,
    summary: event.summary,
    issuer: event.issuer,
    issuedAt: event.issuedAt,
    validity: event.validity,
    provenance,
    signature: event.signature,
    uses: [],
    status: { _tag: "Active" },
    openComplaints: [],
    enteredAt: event.at,
    updatedAt: event.at
  })

/**
 * Folds one event into the state. Total: every event tag is handled, with no default.
 *
 * @since 0.1.0
 */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "DocumentUploaded":
      return enter(state, event, { _tag: "Uploaded" })
    case "DocumentIssued":
      return enter(state, event, {
        _tag: event.kind === "Result" ? "Issued" : "CertifiedCopy",
        agencyCode: event.agencyCode,
        officerId: event.officerId
      })
    case "DocumentDigitised":
      return enter(state, event, {
        _tag: "DigitisedAtCounter",
        agencyCode: event.agencyCode,
        officerId: event.officerId
      })
    case "DocumentFileReplaced":
      return update(state, event.documentId, event.at, (d) => ({
        file: event.file,
        signature: event.signature,
        previousFiles: [...d.previousFiles, event.previousFile]
      }))
    case "DocumentRemoved":
      return update(state, event.documentId, event.at, () => ({ status: { _tag: "Removed", at: event.at } }))
    case "DocumentHidden":
      return update(state, event.documentId, event.at, () => ({ visible: false }))
    case "DocumentShown":
      return update(state, event.documentId, event.at, () => ({ visible: true }))
    case "DocumentShared":
      return update(state, event.documentId, event.at, () => ({ shared: true }))
    case "DocumentUnshared":
      return update(state, event.documentId, event.at, () => ({ shared: false }))
    case "DocumentUsed":
      return update(state, event.documentId, event.at, (d) => ({
        uses: [...d.uses, {
          dossierNumber: event.dossierNumber,
          componentId: event.componentId,
          procedure: event.procedure,
          at: event.at
        }]
      }))
    case "DocumentRevoked":
      return update(state, event.documentId, event.at, () => ({
        status: { _tag: "Revoked", at: event.at, agencyCode: event.agencyCode, reason: event.reason }
      }))
    case "DocumentSuperseded":
      return update(state, event.documentId, event.at, () => ({
        status: {
          _tag: "Superseded",
          at: event.at,
          agencyCode: event.agencyCode,
          replacementId: event.replacementId,
          reason: event.reason
        }
      }))
    case "DocumentFlagged":
      return update(state, event.documentId, event.at, (d) => ({
        openComplaints: [...d.openComplaints, event.complaintId]
      }))
    case "DocumentUnflagged":
      return update(state, event.documentId, event.at, (d) => ({
        openComplaints: d.openComplaints.filter((id) => id !== event.complaintId)
      }))
    case "StoreAccessed":
      return { ...state, ownerId: state.ownerId ?? event.ownerId, accesses: state.accesses + 1 }
  }
}

// -----------------------------------------------------------------------------------------------
// Decide
// -----------------------------------------------------------------------------------------------

/**
 * The data a store's rules depend on: the file rules and the category catalog.
 *
 * @since 0.1.0
 */
export interface Rules extends FileRules {
  readonly catalog: Category.Catalog
}

/**
 * 20 MiB PDFs and the seed's catalog.
 *
 * @since 0.1.0
 */
export const defaultRules: Rules = { ...defaultFileRules, catalog: Category.defaultCatalog }

/**
 * What `decide` returns: the events to append (none when the command changes nothing), or the refusal.
 *
 * @since 0.1.0
 */
export type Decision = Result.Result<ReadonlyArray<Event>, DocumentStoreError>
type Target = { readonly ownerId: string; readonly documentId: string; readonly actor: Actor; readonly at: string }

const none: Decision = Result.succeed([])
const emit = (...events: ReadonlyArray<Event>): Decision => Result.succeed(events)

/**
 * Whether `actor` is the owner of the store `ownerId` (the citizen, or a representative of the
 * organisation).
 *
 * @since 0.1.0
 */
export const isOwner = (actor: Actor, ownerId: string): boolean =>
  (actor._tag === "Citizen" && actor.personalId === ownerId) ||
  (actor._tag === "OrganisationRepresentative" && actor.organisationId === ownerId)

const forbidden = (ownerId: string, documentId: string | null, actor: Actor, message: string): Decision =>
  Result.fail(new DocumentStoreForbidden({ ownerId, documentId, actor: actorLabel(actor), message }))

const invalid = (
  ownerId: string,
  documentId: string | null,
  reason: InvalidDocument["reason"],
  message: string
): Decision => Result.fail(new InvalidDocument({ ownerId, documentId, reason, message }))

const illegal = (document: Document, message: string): Decision =>
  Result.fail(
    new IllegalDocumentState({ ownerId: document.ownerId, documentId: document.id, status: document.status._tag, message })
  )

const describeStatus = (document: Document): string => {
  const status = document.status
  switch (status._tag) {
    case "Active":
      return "active"
    case "Removed":
      return `removed on ${status.at}`
    case "Revoked":
      return `revoked by ${status.agencyCode} on ${status.at} (${status.reason})`
    case "Superseded":
      return `superseded by ${status.replacementId} on ${status.at}`
  }
}

const ownerOnly = (command: Target, action: string): Decision | null =>
  isOwner(command.actor, command.ownerId)
    ? null
    : forbidden(
      command.ownerId,
      command.documentId,
      command.actor,
      `only the owner ${command.ownerId} may ${action} document ${command.documentId}; ${
        actorLabel(command.actor)
      } is not the owner`
    )

const checkOwnerId = (ownerId: string, documentId: string | null): Decision | null => {
  const wrong = ownerProblem(ownerId)
  return wrong === undefined ? null : invalid(ownerId, documentId, "InvalidOwnerId", wrong)
}

/** The document, or the NotFound decision. */
const find = (state: State, command: Target): Document | Decision => {
  const document = state.documents.get(command.documentId)
  return document ?? Result.fail(
    new DocumentNotFound({
      ownerId: command.ownerId,
      documentId: command.documentId,
      message: `the store of ${command.ownerId} has no document ${command.documentId}`
    })
  )
}

const isDecision = (value: Document | Decision): value is Decision => Result.isResult(value)

const notRemoved = (document: Document, action: string): Decision | null =>
  document.status._tag === "Removed"
    ? illegal(document, `cannot ${action} document ${document.id}: it was ${describeStatus(document)}`)
    : null

const fileProblem = (
  rules: Rules,
  ownerId: string,
  documentId: string,
  file: DocumentFile,
  signature: SignatureReport
): InvalidDocument | SignatureNotAccepted | null => {
  const invalidFile = (reason: InvalidDocument["reason"], message: string) =>
    new InvalidDocument({ ownerId, documentId, reason, message })
  // first: every message below names the file
  if (file.fileName.length > maxFileNameLength) {
    return invalidFile("FieldTooLong", `a file name has at most ${maxFileNameLength} characters; got ${file.fileName.length}`)
  }
  if (!rules.acceptedMediaTypes.includes(file.mediaType)) {
    return invalidFile(
      "UnsupportedMediaType",
      `${file.fileName} is ${file.mediaType}; a store accepts only ${rules.acceptedMediaTypes.join(", ")} (a signed PDF)`
    )
  }
  if (file.size === 0) return invalidFile("EmptyFile", `${file.fileName} is empty`)
  if (file.size > rules.maxFileBytes) {
    return invalidFile(
      "FileTooLarge",
      `${file.fileName} is ${file.size} bytes; the limit is ${rules.maxFileBytes} bytes (${
        Math.floor(rules.maxFileBytes / 1024 / 1024)
      } MiB)`
    )
  }
  if (signature.documentSha256 !== file.sha256) {
    return invalidFile(
      "ReportMismatch",
      `the signature report is for a file with SHA-256 ${signature.documentSha256}, not for ${file.fileName} (${file.sha256}): verify this exact file`
    )
  }
  if (signature.indication !== "TOTAL_PASSED") {
    return new SignatureNotAccepted({
      ownerId,
      documentId,
      indication: signature.indication,
      subIndication: signature.subIndication,
      reason: signature.reason,
      message: `${file.fileName} was not accepted: ${signature.reason} (${signature.indication}${
        signature.subIndication === null ? "" : `/${signature.subIndication}`
      }). Only PDFs signed with a certificate issued by the Government Cipher Committee (Ban Cơ yếu Chính phủ) are accepted`
    })
  }
  return null
}

const checkFile = (
  rules: Rules,
  ownerId: string,
  documentId: string,
  file: DocumentFile,
  signature: SignatureReport
): Decision | null => {
  const problem = fileProblem(rules, ownerId, documentId, file, signature)
  return problem === null ? null : Result.fail(problem)
}

/**
 * The file rules alone (media type, size, a passed report for exactly these bytes), for services
 * that must refuse a file before storing its bytes.
 *
 * @since 0.1.0
 */
export const validateFile = (
  rules: Rules,
  ownerId: string,
  documentId: string,
  file: DocumentFile,
  signature: SignatureReport
): Result.Result<void, InvalidDocument | SignatureNotAccepted> => {
  const problem = fileProblem(rules, ownerId, documentId, file, signature)
  return problem === null ? Result.void : Result.fail(problem)
}

const blank = (value: string | null): boolean => value !== null && value.trim().length === 0

/**
 * The most characters a document's free text (summary, owner name, numbers) may have.
 *
 * @since 0.1.0
 */
export const maxTextLength = 2000

/**
 * The most characters a document's name (Tên giấy tờ) may have.
 *
 * @since 0.1.0
 */
export const maxNameLength = 500

/**
 * The most characters a file name may have.
 *
 * @since 0.1.0
 */
export const maxFileNameLength = 255

const isDocumentType = Schema.is(DocumentType)

const checkContent = (
  rules: Rules,
  command: Target & Schema.Struct.Type<typeof content>
): Decision | null => {
  const { documentId, ownerId } = command
  const field = (message: string) => invalid(ownerId, documentId, "InvalidField", message)
  const idProblem = documentIdProblem(documentId)
  if (idProblem !== undefined) return invalid(ownerId, documentId, "InvalidDocumentId", idProblem)
  const fileProblem = checkFile(rules, ownerId, documentId, command.file, command.signature)
  if (fileProblem !== null) return fileProblem
  if (rules.catalog.get(command.category) === undefined) {
    return invalid(
      ownerId,
      documentId,
      "UnknownCategory",
      `${JSON.stringify(command.category.slice(0, 100))} is not in the category catalog (Danh mục giấy tờ); pick one of ${
        rules.catalog.entries.map((c) => c.code).join(", ")
      }`
    )
  }
  if (!isDocumentType(command.type)) {
    return field(`the document type must be one of ${DocumentType.literals.join(", ")}`)
  }
  const tooLong = (label: string, value: string, max: number) =>
    invalid(ownerId, documentId, "FieldTooLong", `the ${label} has at most ${max} characters; got ${value.length}`)
  if (command.name.trim().length === 0) return field("a document needs a name (Tên giấy tờ)")
  if (command.name.length > maxNameLength) {
    return invalid(
      ownerId,
      documentId,
      "FieldTooLong",
      `a document name has at most ${maxNameLength} characters; got ${command.name.length}`
    )
  }
  for (const [label, value] of [
    ["document code", command.code],
    ["result type", command.resultType],
    ["identification number", command.identificationNumber],
    ["decision number", command.decisionNumber],
    ["summary", command.summary],
    ["owner name", command.ownerName]
  ] as const) {
    if (value !== null && value.length > maxTextLength) return tooLong(label, value, maxTextLength)
  }
  if (blank(command.code)) return field("the document code is blank: leave it null or give the code")
  if (command.resultType !== null && !ResultTypeCode.isResultTypeCode(command.resultType)) {
    return field(ResultTypeCode.problem(command.resultType)!)
  }
  for (const [label, value] of [["identification number", command.identificationNumber], [
    "decision number",
    command.decisionNumber
  ], ["summary", command.summary], ["owner name", command.ownerName]] as const) {
    if (blank(value)) return field(`the ${label} is blank: leave it null or fill it in`)
  }
  if (command.issuedAt !== null && parseIsoDate(command.issuedAt) === null) {
    return field(`issuedAt ${command.issuedAt} is not a real day (YYYY-MM-DD)`)
  }
  const validity = command.validity
  if (validity._tag === "Until" && validity.validFrom !== null && validity.validFrom > validity.validUntil) {
    return field(`the document is valid from ${validity.validFrom} until ${validity.validUntil}: the dates are reversed`)
  }
  return null
}

/** A new entry: id free, or the same file already entered under it (an idempotent repeat). */
const checkNew = (state: State, command: Target & { readonly file: DocumentFile }): Decision | null => {
  const existing = state.documents.get(command.documentId)
  if (existing === undefined) return null
  const original = existing.previousFiles[0] ?? existing.file
  if (original.sha256 === command.file.sha256 || existing.file.sha256 === command.file.sha256) return none
  return Result.fail(
    new DocumentAlreadyExists({
      ownerId: command.ownerId,
      documentId: command.documentId,
      message: `the store of ${command.ownerId} already has a different document ${command.documentId}: choose a new id`
    })
  )
}

const entryOf = (
  command: Target & Schema.Struct.Type<typeof content>,
  issuer: Issuer,
  visible: boolean,
  shared: boolean
): EntryEvent => ({
  _tag: "DocumentUploaded",
  ownerId: command.ownerId,
  documentId: command.documentId,
  at: command.at,
  code: command.code ?? derivedCode(command),
  resultType: command.resultType,
  type: command.type,
  category: command.category,
  name: command.name,
  ownerName: command.ownerName,
  file: command.file,
  signature: command.signature,
  identificationNumber: command.identificationNumber,
  decisionNumber: command.decisionNumber,
  summary: command.summary,
  issuer,
  issuedAt: command.issuedAt,
  validity: command.validity,
  visible,
  shared
})

/** `owner.resultType.ddMMyyyy` when both are known, else the code the name starts with, else null. */
const derivedCode = (command: Target & Schema.Struct.Type<typeof content>): string | null =>
  (command.resultType !== null && command.issuedAt !== null && ResultTypeCode.isResultTypeCode(command.resultType)
    ? DocumentCode.make(command.ownerId, command.resultType, command.issuedAt)
    : null) ?? DocumentCode.fromName(command.name)

const first = (...checks: ReadonlyArray<() => Decision | null>): Decision | null => {
  for (const check of checks) {
    const decision = check()
    if (decision !== null) return decision
  }
  return null
}

/** Runs the common checks of a command on one existing document, then `then`. */
const onDocument = (
  state: State,
  command: Target,
  checks: { readonly ownerAction?: string },
  then: (document: Document) => Decision
): Decision => {
  const early = first(
    () => checkOwnerId(command.ownerId, command.documentId),
    () => checks.ownerAction === undefined ? null : ownerOnly(command, checks.ownerAction)
  )
  if (early !== null) return early
  const found = find(state, command)
  return isDecision(found) ? found : then(found)
}

const toggle = (
  state: State,
  command: Target,
  action: string,
  already: (document: Document) => boolean,
  event: Event
): Decision =>
  onDocument(state, command, { ownerAction: action }, (document) =>
    notRemoved(document, action) ?? (already(document) ? none : emit(event)))

const officerOf = (actor: Actor) => actor._tag === "Officer" ? actor : null

const decideFor = (rules: Rules) => (command: Command, state: State): Decision => {
  switch (command._tag) {
    case "UploadDocument": {
      const problem = first(
        () => checkOwnerId(command.ownerId, command.documentId),
        () => ownerOnly(command, "upload"),
        () => checkContent(rules, command),
        () => checkNew(state, command)
      )
      if (problem !== null) return problem
      return emit(entryOf(command, { _tag: "Owner", ownerId: command.ownerId }, command.visible, command.shared))
    }
    case "IssueDocument": {
      const wrongOwner = checkOwnerId(command.ownerId, command.documentId)
      if (wrongOwner !== null) return wrongOwner
      const officer = officerOf(command.actor)
      if (officer === null) {
        return forbidden(
          command.ownerId,
          command.documentId,
          command.actor,
          `only an agency officer may issue into the store of ${command.ownerId}; ${actorLabel(command.actor)} is not one`
        )
      }
      const missingRole = command.kind === "Result"
        ? roleProblem(officer, "issue", `issue a result into the store of ${command.ownerId}`)
        : roleProblem(officer, "certify", `issue a certified copy into the store of ${command.ownerId}`)
      if (missingRole !== null) return forbidden(command.ownerId, command.documentId, command.actor, missingRole)
      const problem = checkContent(rules, command) ?? checkNew(state, command)
      if (problem !== null) return problem
      return emit({
        ...entryOf(command, { _tag: "Agency", agencyCode: officer.agencyCode }, true, false),
        _tag: "DocumentIssued",
        kind: command.kind,
        agencyCode: officer.agencyCode,
        officerId: officer.officerId
      })
    }
    case "RecordDigitisedDocument": {
      const wrongOwner = checkOwnerId(command.ownerId, command.documentId)
      if (wrongOwner !== null) return wrongOwner
      const officer = officerOf(command.actor)
      if (officer === null) {
        return forbidden(
          command.ownerId,
          command.documentId,
          command.actor,
          `only an officer at the counter may record a digitised document; ${actorLabel(command.actor)} is not one`
        )
      }
      const cannotDigitise = roleProblem(officer, "digitise", "record a digitised document")
      if (cannotDigitise !== null) return forbidden(command.ownerId, command.documentId, command.actor, cannotDigitise)
      const problem = checkContent(rules, command) ?? checkNew(state, command)
      if (problem !== null) return problem
      return emit({
        ...entryOf(command, command.issuer, true, false),
        _tag: "DocumentDigitised",
        agencyCode: officer.agencyCode,
        officerId: officer.officerId
      })
    }
    case "ReplaceFile":
      return onDocument(state, command, { ownerAction: "replace the file of" }, (document) => {
        if (document.provenance._tag !== "Uploaded") {
          return forbidden(
            command.ownerId,
            document.id,
            command.actor,
            `document ${document.id} was put in the store by agency ${
              "agencyCode" in document.provenance ? document.provenance.agencyCode : ""
            }; only uploads can be replaced — file a complaint so the agency issues a corrected one`
          )
        }
        if (document.status._tag !== "Active") {
          return illegal(document, `cannot replace the file of document ${document.id}: it was ${describeStatus(document)}`)
        }
        if (document.file.sha256 === command.file.sha256) return none
        return (
          checkFile(rules, command.ownerId, document.id, command.file, command.signature) ??
            emit({
              _tag: "DocumentFileReplaced",
              ownerId: command.ownerId,
              documentId: document.id,
              at: command.at,
              previousFile: document.file,
              file: command.file,
              signature: command.signature
            })
        )
      })
    case "RemoveDocument":
      return onDocument(state, command, { ownerAction: "remove" }, (document) =>
        document.status._tag === "Removed"
          ? none
          : emit({ _tag: "DocumentRemoved", ownerId: command.ownerId, documentId: document.id, at: command.at }))
    case "HideDocument":
      return toggle(state, command, "hide", (d) => !d.visible, {
        _tag: "DocumentHidden",
        ownerId: command.ownerId,
        documentId: command.documentId,
        at: command.at
      })
    case "ShowDocument":
      return toggle(state, command, "show", (d) => d.visible, {
        _tag: "DocumentShown",
        ownerId: command.ownerId,
        documentId: command.documentId,
        at: command.at
      })
    case "ShareDocument":
      return toggle(state, command, "share", (d) => d.shared, {
        _tag: "DocumentShared",
        ownerId: command.ownerId,
        documentId: command.documentId,
        at: command.at
      })
    case "UnshareDocument":
      return toggle(state, command, "stop sharing", (d) => !d.shared, {
        _tag: "DocumentUnshared",
        ownerId: command.ownerId,
        documentId: command.documentId,
        at: command.at
      })
    case "RecordUse": {
      const actor = command.actor
      if (!(isOwner(actor, command.ownerId) || actor._tag === "Officer" || actor._tag === "System")) {
        return forbidden(
          command.ownerId,
          command.documentId,
          actor,
          `only the owner ${command.ownerId}, an agency officer or the engine may use documents of this store; ${
            actorLabel(actor)
          } may not`
        )
      }
      const dossierProblem = DossierNumber.problem(command.dossierNumber)
      if (dossierProblem !== undefined) return invalid(command.ownerId, command.documentId, "InvalidField", dossierProblem)
      if (command.componentId.trim().length === 0 || command.procedure.trim().length === 0) {
        return invalid(command.ownerId, command.documentId, "InvalidField", "a use names its dossier component and procedure")
      }
      return onDocument(state, command, {}, (document) => {
        if (document.uses.some((u) => u.dossierNumber === command.dossierNumber && u.componentId === command.componentId)) {
          return none
        }
        if (document.status._tag !== "Active") {
          return illegal(document, `document ${document.id} cannot be used: it was ${describeStatus(document)}`)
        }
        if (!document.visible) {
          return illegal(document, `document ${document.id} is hidden by its owner; show it before using it`)
        }
        if (document.openComplaints.length > 0) {
          return illegal(
            document,
            `document ${document.id} cannot be used while complaint ${document.openComplaints.join(", ")} is open`
          )
        }
        return emit({
          _tag: "DocumentUsed",
          ownerId: command.ownerId,
          documentId: document.id,
          at: command.at,
          dossierNumber: command.dossierNumber,
          componentId: command.componentId,
          procedure: command.procedure
        })
      })
    }
    case "RevokeDocument":
    case "SupersedeDocument": {
      const action = command._tag === "RevokeDocument" ? "revoke" : "supersede"
      const officer = officerOf(command.actor)
      if (officer === null) {
        return forbidden(
          command.ownerId,
          command.documentId,
          command.actor,
          `only the issuing agency may ${action} document ${command.documentId}; ${actorLabel(command.actor)} is not an agency officer`
        )
      }
      return onDocument(state, command, {}, (document) => {
        const issuer = document.issuer._tag === "Agency" ? document.issuer.agencyCode : null
        if (issuer !== officer.agencyCode) {
          return forbidden(
            command.ownerId,
            document.id,
            command.actor,
            issuer === null
              ? `document ${document.id} was not issued by an agency; nobody may ${action} it`
              : `only the issuing agency ${issuer} may ${action} document ${document.id}; ${officer.agencyCode} did not issue it`
          )
        }
        if (command.reason.trim().length === 0) {
          return invalid(command.ownerId, document.id, "InvalidField", `say why the document is ${action}d (reason)`)
        }
        if (command._tag === "RevokeDocument") {
          if (document.status._tag === "Revoked") return none
          if (document.status._tag !== "Active") {
            return illegal(document, `cannot revoke document ${document.id}: it was ${describeStatus(document)}`)
          }
          return emit({
            _tag: "DocumentRevoked",
            ownerId: command.ownerId,
            documentId: document.id,
            at: command.at,
            agencyCode: officer.agencyCode,
            reason: command.reason
          })
        }
        const status = document.status
        if (status._tag === "Superseded" && status.replacementId === command.replacementId) return none
        if (status._tag !== "Active") {
          return illegal(document, `cannot supersede document ${document.id}: it was ${describeStatus(document)}`)
        }
        if (command.replacementId === document.id) {
          return invalid(command.ownerId, document.id, "InvalidField", "a document cannot supersede itself")
        }
        const replacement = find(state, { ...command, documentId: command.replacementId })
        if (isDecision(replacement)) return replacement
        if (replacement.status._tag !== "Active") {
          return illegal(
            replacement,
            `the replacement ${replacement.id} was ${describeStatus(replacement)}; issue a new result first`
          )
        }
        if (replacement.issuer._tag !== "Agency" || replacement.issuer.agencyCode !== officer.agencyCode) {
          return forbidden(
            command.ownerId,
            document.id,
            command.actor,
            `the replacement ${replacement.id} was not issued by ${officer.agencyCode}; an agency supersedes with its own result`
          )
        }
        return emit({
          _tag: "DocumentSuperseded",
          ownerId: command.ownerId,
          documentId: document.id,
          at: command.at,
          agencyCode: officer.agencyCode,
          officerId: officer.officerId,
          replacementId: replacement.id,
          reason: command.reason
        })
      })
    }
    case "FlagDocument":
    case "UnflagDocument": {
      const flag = command._tag === "FlagDocument"
      return onDocument(state, command, {}, (document) => {
        const actor = command.actor
        const issuer = document.issuer._tag === "Agency" ? document.issuer.agencyCode : null
        // the complaint flow's own steps: the owner files (flag), the issuing agency closes (unflag)
        const allowed = actor._tag === "System" || (flag
          ? isOwner(actor, command.ownerId)
          : actor._tag === "Officer" && actor.agencyCode === issuer)
        if (!allowed) {
          return forbidden(
            command.ownerId,
            document.id,
            actor,
            flag
              ? `a document is flagged by the complaint its owner files (ComplaintService.file); document ${document.id} cannot be flagged by anyone else`
              : `a document is unflagged only when the issuing agency resolves or rejects its complaint (ComplaintService.resolve/reject); document ${document.id} cannot be unflagged by anyone else`
          )
        }
        if (command.complaintId.trim().length === 0) {
          return invalid(command.ownerId, document.id, "InvalidField", "name the complaint (complaintId)")
        }
        const open = document.openComplaints.includes(command.complaintId)
        if (!flag) {
          return open
            ? emit({
              _tag: "DocumentUnflagged",
              ownerId: command.ownerId,
              documentId: document.id,
              at: command.at,
              complaintId: command.complaintId
            })
            : none
        }
        if (open) return none
        return notRemoved(document, "flag") ?? emit({
          _tag: "DocumentFlagged",
          ownerId: command.ownerId,
          documentId: document.id,
          at: command.at,
          complaintId: command.complaintId
        })
      })
    }
    case "RecordStoreAccess": {
      const wrongOwner = checkOwnerId(command.ownerId, null)
      if (wrongOwner !== null) return wrongOwner
      if (command.actor._tag === "Auditor") {
        return forbidden(command.ownerId, null, command.actor, "an auditor reads the log; they do not access stores")
      }
      if (!mayRecordAccess(command.actor, command.ownerId)) {
        return forbidden(
          command.ownerId,
          null,
          command.actor,
          `only the owner ${command.ownerId}, an officer handling their dossier or the engine records a look into this store`
        )
      }
      if (command.procedure.trim().length === 0) {
        return invalid(command.ownerId, null, "InvalidField", "a store access names the procedure it was for")
      }
      return emit({
        _tag: "StoreAccessed",
        ownerId: command.ownerId,
        at: command.at,
        accessor: command.actor,
        procedure: command.procedure,
        channel: command.channel,
        found: command.found,
        dossierNumber: command.dossierNumber
      })
    }
  }
}

/**
 * The decider type of the document store.
 *
 * @since 0.1.0
 */
export type DocumentStoreDecider = Decider<State, Command, Event, DocumentStoreError>

/**
 * A document store decider with other rules (a different size limit, a deployment's catalog).
 *
 * @since 0.1.0
 */
export const make = (rules: Rules): DocumentStoreDecider => ({
  name: "DocumentStore",
  initialState,
  decide: decideFor(rules),
  evolve,
  eventSchema: Event
})

/**
 * The document store decider with {@link defaultRules}.
 *
 * @since 0.1.0
 */
export const decider: DocumentStoreDecider = make(defaultRules)

/**
 * Decides with the default rules.
 *
 * @since 0.1.0
 */
export const decide: (command: Command, state: State) => Decision = decider.decide

/**
 * The owner a command addresses: its stream is `Decider.streamId(decider, ownerOf(command))`.
 *
 * @since 0.1.0
 */
export const ownerOf = (command: Command): string => command.ownerId

/**
 * The documents of a store, in the order they entered.
 *
 * @since 0.1.0
 */
export const documents = (state: State): ReadonlyArray<Document> => [...state.documents.values()]
