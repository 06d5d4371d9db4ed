/**
 * The document store's application service: the flows that need I/O around the pure decider.
 *
 * Upload (and issue, digitise, replace): check the size and the `%PDF-` magic bytes → check the
 * actor may enter a file at all (the owner uploads and replaces, an officer issues and digitises), so
 * a stranger's file is never parsed → verify the signatures through `SignatureVerifier` → check everything that does not depend on the store's
 * state → put the bytes in the `FileStore` → run the command through `CommandHandler` (load, decide,
 * append; idempotent by command id). A file refused at any step before the last stores nothing and
 * appends nothing; a refusal by the report carries the report's reason (`SignatureNotAccepted`).
 * Only a command refused because of the store's state (a duplicate id, say) can leave stored bytes
 * behind: they are content-addressed, referenced by nothing, and harmless.
 *
 * ```ts
 * const service = yield* DocumentStoreService
 * const outcome = yield* service.upload({ ownerId, documentId, bytes, fileName, ... }, { actor, commandId, correlationId })
 * ```
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option, Random, Result } from "effect"
import { type Actor, label } from "./Actor.ts"
import * as Authorization from "./Authorization.ts"
import * as CommandHandler from "./CommandHandler.ts"
import * as Complaint from "./Complaint.ts"
import type { Document, DocumentFile, DocumentType, Issuer, Validity } from "./Document.ts"
import { hasPdfMagic } from "./Document.ts"
import * as DocumentStore from "./DocumentStore.ts"
import * as Dossier from "./Dossier.ts"
import * as DossierNumber from "./DossierNumber.ts"
import * as DossierNumbering from "./DossierNumbering.ts"
import * as EventCodec from "./EventCodec.ts"
import { EventStore } from "./EventStore.ts"
import type { EventStoreError } from "./EventStore.ts"
import { type FileNotFound, FileStore, type FileStoreError, sha256 } from "./FileStore.ts"
import type { SignatureReport } from "./SignatureReport.ts"
import { SignatureVerifier, type UnreadablePdf } from "./SignatureVerifier.ts"
import { loadDossier, loadState, loadStore, recordAccess, scopeOf } from "./internal/storeReads.ts"

/**
 * Who asks, and the ids that make the request idempotent and traceable.
 *
 * @since 0.1.0
 */
export interface Request {
  readonly actor: Actor
  /** The idempotency key: the same command id appends once. */
  readonly commandId: string
  readonly correlationId: string
  readonly causationId?: string | null
}

/**
 * The bytes of a file and how the client named them.
 *
 * @since 0.1.0
 */
export interface FileInput {
  readonly bytes: Uint8Array
  readonly fileName: string
  /** What the client declared; only `application/pdf` is accepted, and the bytes are checked too. */
  readonly mediaType: string
}

/**
 * What a new entry says about itself; optional fields default to null ("no expiry" for validity).
 *
 * @since 0.1.0
 */
export interface EntryInput extends FileInput {
  readonly ownerId: string
  readonly documentId: string
  readonly type: DocumentType
  readonly category: string
  readonly name: string
  readonly code?: string | null
  readonly resultType?: string | null
  readonly ownerName?: string | null
  readonly identificationNumber?: string | null
  readonly decisionNumber?: string | null
  readonly summary?: string | null
  /** `YYYY-MM-DD`. */
  readonly issuedAt?: string | null
  readonly validity?: Validity
}

/**
 * An owner's upload.
 *
 * @since 0.1.0
 */
export interface UploadInput extends EntryInput {
  /** Hiển thị (default true). */
  readonly visible?: boolean
  /** Chia sẻ (default false). */
  readonly shared?: boolean
}

/**
 * An agency's issue of a result or a certified copy.
 *
 * @since 0.1.0
 */
export interface IssueInput extends EntryInput {
  readonly kind: "Result" | "CertifiedCopy"
}

/**
 * A paper document digitised at the counter.
 *
 * @since 0.1.0
 */
export interface DigitiseInput extends EntryInput {
  readonly issuer: Issuer
}

/**
 * A replacement file.
 *
 * @since 0.1.0
 */
export interface ReplaceInput extends FileInput {
  readonly ownerId: string
  readonly documentId: string
}

/**
 * A command without a file; the service fills in the actor and the time.
 *
 * @since 0.1.0
 */
export type PlainCommand = DistributiveOmit<
  Exclude<
    DocumentStore.Command,
    | typeof DocumentStore.UploadDocument.Type
    | typeof DocumentStore.IssueDocument.Type
    | typeof DocumentStore.RecordDigitisedDocument.Type
    | typeof DocumentStore.ReplaceFile.Type
  >,
  "actor" | "at"
>

/**
 * `Omit` applied to each member of a union, so that each command keeps its own fields.
 *
 * @since 0.1.0
 */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/**
 * Who reads a store, and — for an officer — the dossier of their agency they read it for.
 *
 * @since 0.1.0
 */
export interface Reader {
  readonly actor: Actor
  /** Required for an officer: a dossier of their agency for this owner; the read is recorded. */
  readonly dossierId?: string
  /**
   * Correlation id of the `StoreAccessed` event an officer's read appends. Its command id is always
   * derived here (a caller-chosen one could replay an earlier event instead of recording this read).
   */
  readonly correlationId?: string
}

/**
 * Everything an authorised read of a store can fail with.
 *
 * @since 0.1.0
 */
export type ReadError =
  | Authorization.Forbidden
  | DocumentStore.DocumentStoreError
  | CommandHandler.HandleError
  | EventStoreError
  | EventCodec.EventDecodeError

/**
 * What a command did: the events it appended (for an idempotent repeat, those of the first run) and
 * the store after it as the caller may see it ({@link viewFor}): the whole store only for its owner.
 *
 * @since 0.1.0
 */
export type Outcome = CommandHandler.HandleResult<DocumentStore.State, DocumentStore.Event>

/**
 * Everything a file flow can fail with.
 *
 * @since 0.1.0
 */
export type FileFlowError =
  | DocumentStore.DocumentStoreError
  | CommandHandler.HandleError
  | FileStoreError
  | UnreadablePdf

/**
 * The document store service.
 *
 * @since 0.1.0
 */
export class DocumentStoreService extends Context.Service<DocumentStoreService, {
  /** The owner uploads a signed PDF. */
  readonly upload: (input: UploadInput, request: Request) => Effect.Effect<Outcome, FileFlowError>
  /** An agency issues a result or an electronically certified copy into a store. */
  readonly issue: (input: IssueInput, request: Request) => Effect.Effect<Outcome, FileFlowError>
  /** An officer records a document digitised at the counter. */
  readonly recordDigitised: (input: DigitiseInput, request: Request) => Effect.Effect<Outcome, FileFlowError>
  /** The owner replaces the file of a document they uploaded. */
  readonly replaceFile: (input: ReplaceInput, request: Request) => Effect.Effect<Outcome, FileFlowError>
  /**
   * Any other command (hide, share, use, revoke, flag, record an access…). The outcome's state is the
   * store as the caller may see it ({@link viewFor}): acting on a store does not grant reading it. A
   * flag, an unflag or a use from anyone but the engine must follow from its flow (an open, resp.
   * closed, complaint; a dossier attaching the document), or is refused with `DocumentStoreForbidden`.
   */
  readonly execute: (
    command: PlainCommand,
    request: Request
  ) => Effect.Effect<Outcome, DocumentStore.DocumentStoreError | CommandHandler.HandleError>
  /**
   * The current state of a store, for who may read it (`Authorization.storeRead`): its owner, an
   * auditor, or an officer for a dossier of their agency (`reader.dossierId`) — whose read appends
   * a `StoreAccessed` event. Anyone else gets `Forbidden`.
   */
  readonly load: (ownerId: string, reader: Reader) => Effect.Effect<DocumentStore.State, ReadError>
  /** The bytes of a document's current file, for its owner. */
  readonly readFile: (
    ownerId: string,
    documentId: string,
    actor: Actor
  ) => Effect.Effect<
    Uint8Array,
    | DocumentStore.DocumentNotFound
    | DocumentStore.DocumentStoreForbidden
    | FileNotFound
    | FileStoreError
    | EventStoreError
    | EventCodec.EventDecodeError
  >
}>()("@kho/core/DocumentStoreService") {}

/**
 * The file rules every stored file meets, checked before anything reads it further: not empty, at
 * most `rules.maxFileBytes`, declared `application/pdf`, and starting with `%PDF-`.
 *
 * @since 0.1.0
 */
export const checkFile = (
  rules: Pick<DocumentStore.Rules, "maxFileBytes">,
  ownerId: string,
  documentId: string,
  input: FileInput
): Effect.Effect<void, DocumentStore.InvalidDocument> => {
  const fail = (reason: DocumentStore.InvalidDocument["reason"], message: string) =>
    Effect.fail(new DocumentStore.InvalidDocument({ ownerId, documentId, reason, message }))
  if (input.bytes.length === 0) return fail("EmptyFile", `${input.fileName} is empty`)
  if (input.bytes.length > rules.maxFileBytes) {
    return fail(
      "FileTooLarge",
      `${input.fileName} is ${input.bytes.length} bytes; the limit is ${rules.maxFileBytes} bytes: split or compress it`
    )
  }
  if (!hasPdfMagic(input.bytes)) {
    return fail("NotPdf", `${input.fileName} is not a PDF (it does not start with %PDF-): upload the signed PDF itself`)
  }
  if (input.mediaType !== "application/pdf") {
    return fail(
      "UnsupportedMediaType",
      `${input.fileName} is declared ${JSON.stringify(input.mediaType)}; only application/pdf is accepted`
    )
  }
  return Effect.void
}

/**
 * The store as `actor` may see it in a command's outcome. Its owner and an auditor
 * (`Authorization.storeRead` without a dossier) see it whole. An officer sees only the documents their
 * agency issued or put in the store (with their uses: the issuer counts them) and no access count: acting on a store (a use, a revocation) is not reading it — an officer reads a store through
 * `load` for a dossier, which is recorded. Anyone else sees no document.
 *
 * @since 0.1.0
 */
export const viewFor = (actor: Actor, ownerId: string, state: DocumentStore.State): DocumentStore.State => {
  if (Result.isSuccess(Authorization.storeRead(actor, ownerId, null))) return state
  const agency = actor._tag === "Officer" ? actor.agencyCode : null
  const documents = new Map<string, Document>()
  if (agency !== null) {
    for (const [id, document] of state.documents) {
      const entered = "agencyCode" in document.provenance && document.provenance.agencyCode === agency
      const issued = document.issuer._tag === "Agency" && document.issuer.agencyCode === agency
      if (entered || issued) documents.set(id, document)
    }
  }
  return { ownerId: state.ownerId, documents, accesses: 0 }
}

/**
 * Refuses, before a file is parsed, an actor who may not enter a file into the store at all: only the
 * owner uploads or replaces, only an officer issues or digitises. The decider checks everything else
 * (roles, the document's provenance) once the file is verified.
 */
const entryProblem = (
  flow: "upload" | "replace the file of" | "issue" | "digitise",
  actor: Actor,
  ownerId: string,
  documentId: string
): Effect.Effect<void, DocumentStore.DocumentStoreForbidden> => {
  const allowed = flow === "upload" || flow === "replace the file of"
    ? DocumentStore.isOwner(actor, ownerId)
    : actor._tag === "Officer"
  if (allowed) return Effect.void
  const who = flow === "upload" || flow === "replace the file of" ? `the owner ${ownerId}` : "an agency officer"
  return Effect.fail(
    new DocumentStore.DocumentStoreForbidden({
      ownerId,
      documentId,
      actor: label(actor),
      message: `only ${who} may ${flow} document ${documentId}; ${label(actor)} may not`
    })
  )
}

/** The complaint `complaintId` as its stream says, or null when none was filed. */
const loadComplaint = (complaintId: string) =>
  Effect.map(loadState(Complaint.decider, complaintId), (state) => state.complaint)

/**
 * Why a flag, an unflag or a use sent through `execute` by a person does not follow from the flow that
 * owns it, or null. The decider sees neither complaints nor dossiers, so these are checked here:
 * - a flag follows an open complaint about that very document (`ComplaintService.file`);
 * - an unflag follows its complaint's closing (`ComplaintService.resolve`/`reject`), never while the
 *   complaint is open — the document stays out of matching until then (DESIGN.md §3);
 * - a use (Số lần sử dụng) follows a dossier that holds that number, belongs to the store's owner, is
 *   for that procedure and attaches that document to that component (`DossierService`), sent by the
 *   owner or an officer of the dossier's agency.
 * The engine (`System`) is trusted. Messages name the rule, never a personal id.
 */
const flowProblem = (command: PlainCommand, actor: Actor) =>
  Effect.gen(function*() {
    if (actor._tag === "System") return null
    switch (command._tag) {
      case "FlagDocument":
      case "UnflagDocument": {
        const flag = command._tag === "FlagDocument"
        const complaint = yield* loadComplaint(command.complaintId)
        if (complaint === null || complaint.ownerId !== command.ownerId || complaint.documentId !== command.documentId) {
          return `no complaint ${command.complaintId} was filed about document ${command.documentId}: a document is ${
            flag ? "flagged" : "unflagged"
          } only by the flow of its complaint (ComplaintService)`
        }
        if (flag && !Complaint.isOpen(complaint)) {
          return `complaint ${complaint.id} is ${complaint.status._tag}: only an open complaint flags its document`
        }
        if (!flag && Complaint.isOpen(complaint)) {
          return `complaint ${complaint.id} is still open (${complaint.status._tag}): document ${command.documentId} stays flagged until the issuing agency resolves or rejects it (ComplaintService)`
        }
        return null
      }
      case "RecordUse": {
        // a malformed number is the decider's to refuse (InvalidDocument)
        if (DossierNumber.problem(command.dossierNumber) !== undefined) return null
        const rule =
          "a use is recorded only by the dossier that attaches the document (DossierService), for its owner or an officer of its agency"
        const dossierId = yield* DossierNumbering.resolve(DossierNumber.DossierNumber.make(command.dossierNumber))
        if (Option.isNone(dossierId)) return `no dossier holds number ${command.dossierNumber}: ${rule}`
        const dossier = (yield* loadDossier(dossierId.value)).dossier
        const source = dossier?.components.get(command.componentId)
        if (
          dossier === null || dossier.number !== command.dossierNumber || dossier.ownerId !== command.ownerId ||
          dossier.procedure.code !== command.procedure || source === undefined ||
          Dossier.storeUseOf(source) !== command.documentId
        ) {
          return `dossier ${command.dossierNumber} does not attach document ${command.documentId} to component ${command.componentId}: ${rule}`
        }
        const allowed = DocumentStore.isOwner(actor, command.ownerId) ||
          (actor._tag === "Officer" && actor.agencyCode === dossier.agencyCode)
        return allowed
          ? null
          : `only the dossier's owner or an officer of ${dossier.agencyCode} may record a use of dossier ${command.dossierNumber}: ${rule}`
      }
      default:
        return null
    }
  })

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 */
export interface Options {
  /** The decider to run (default `DocumentStore.decider`: 20 MiB, the seed's catalog). */
  readonly rules?: DocumentStore.Rules
}

/**
 * Builds the service over the event store, the file store and the signature verifier in context.
 *
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function*(options?: Options) {
  const rules = options?.rules ?? DocumentStore.defaultRules
  const decider = options?.rules === undefined ? DocumentStore.decider : DocumentStore.make(rules)
  const events = yield* EventStore
  const files = yield* FileStore
  const verifier = yield* SignatureVerifier
  const handler = CommandHandler.make(decider)
  const context = Context.make(EventStore, events)

  const now = Effect.map(DateTime.now, DateTime.formatIso)

  const metadata = (request: Request) => ({
    actor: request.actor,
    commandId: request.commandId,
    correlationId: request.correlationId,
    causationId: request.causationId ?? null
  })

  /** Runs a command; the outcome's state is what the caller may see of the store ({@link viewFor}). */
  const run = (command: DocumentStore.Command, request: Request) => {
    const ownerId = DocumentStore.ownerOf(command)
    return handler.handle(ownerId, command, metadata(request)).pipe(
      Effect.map((outcome): Outcome => ({ ...outcome, state: viewFor(request.actor, ownerId, outcome.state) })),
      Effect.provideContext(context)
    )
  }

  const checkBytes = (ownerId: string, documentId: string, input: FileInput) =>
    checkFile(rules, ownerId, documentId, input)

  /**
   * Checks and verifies a file, then describes it. The hash is computed here, not taken from the
   * report, so a report about other bytes is caught by the decider (`ReportMismatch`).
   */
  const prepare = Effect.fnUntraced(function*(
    flow: Parameters<typeof entryProblem>[0],
    actor: Actor,
    ownerId: string,
    documentId: string,
    input: FileInput
  ) {
    yield* checkBytes(ownerId, documentId, input)
    yield* entryProblem(flow, actor, ownerId, documentId)
    const signature = yield* verifier.verify(input.bytes)
    const file: DocumentFile = {
      sha256: sha256(input.bytes),
      size: input.bytes.length,
      mediaType: input.mediaType,
      fileName: input.fileName
    }
    return { file, signature }
  })

  /** Refuses before storing when the command fails on its own; stores the bytes; runs it. */
  const store = Effect.fnUntraced(function*(
    command: DocumentStore.Command,
    precheck: Result.Result<unknown, DocumentStore.DocumentStoreError>,
    bytes: Uint8Array,
    request: Request
  ) {
    if (Result.isFailure(precheck)) return yield* Effect.fail(precheck.failure)
    yield* files.put(bytes)
    return yield* run(command, request)
  })

  const entry = (
    input: EntryInput,
    request: Request,
    at: string,
    file: DocumentFile,
    signature: SignatureReport
  ) => ({
    ownerId: input.ownerId,
    documentId: input.documentId,
    actor: request.actor,
    at,
    code: input.code ?? null,
    resultType: input.resultType ?? null,
    type: input.type,
    category: input.category,
    name: input.name,
    ownerName: input.ownerName ?? null,
    file,
    signature,
    identificationNumber: input.identificationNumber ?? null,
    decisionNumber: input.decisionNumber ?? null,
    summary: input.summary ?? null,
    issuedAt: input.issuedAt ?? null,
    validity: input.validity ?? { _tag: "NoExpiry" as const, validFrom: null }
  })

  const enterFlow = (
    flow: "upload" | "issue" | "digitise",
    input: EntryInput,
    request: Request,
    build: (base: ReturnType<typeof entry>) => DocumentStore.Command
  ): Effect.Effect<Outcome, FileFlowError> =>
    Effect.gen(function*() {
      const { file, signature } = yield* prepare(flow, request.actor, input.ownerId, input.documentId, input)
      const command = build(entry(input, request, yield* now, file, signature))
      // every entry rule that does not depend on the store's state, before storing any byte
      const precheck = decider.decide(command, decider.initialState)
      return yield* store(command, precheck, input.bytes, request)
    })

  const loadState = (ownerId: string) => loadStore(ownerId).pipe(Effect.provideContext(context))

  const load = (ownerId: string, reader: Reader) =>
    Effect.gen(function*() {
      const officerDossier = reader.actor._tag === "Officer" && reader.dossierId !== undefined
        ? (yield* loadDossier(reader.dossierId).pipe(Effect.provideContext(context))).dossier
        : null
      const scope = officerDossier === null ? null : scopeOf(officerDossier)
      const read = yield* Effect.fromResult(Authorization.storeRead(reader.actor, ownerId, scope))
      const state = yield* loadState(ownerId)
      if (read._tag === "Officer") {
        const at = yield* now
        // one access per read, whatever the caller passes: the id names the dossier, the officer, the
        // time and the count so far, and a nonce so that two reads in the same millisecond both append
        const nonce = yield* Random.nextIntBetween(0, 2 ** 31 - 1)
        const commandId = `StoreRead:${read.dossier.dossierId}:${label(reader.actor)}:${at}:${state.accesses}:${nonce}`
        yield* recordAccess(read.dossier, {
          actor: reader.actor,
          commandId,
          correlationId: reader.correlationId ?? commandId,
          causationId: null,
          at
        }, DocumentStore.documents(state).length).pipe(Effect.provideContext(context))
      }
      return state
    })

  return DocumentStoreService.of({
    upload: (input, request) =>
      enterFlow("upload", input, request, (base) => ({
        ...base,
        _tag: "UploadDocument",
        visible: input.visible ?? true,
        shared: input.shared ?? false
      })),
    issue: (input, request) => enterFlow("issue", input, request, (base) => ({ ...base, _tag: "IssueDocument", kind: input.kind })),
    recordDigitised: (input, request) =>
      enterFlow("digitise", input, request, (base) => ({ ...base, _tag: "RecordDigitisedDocument", issuer: input.issuer })),
    replaceFile: (input, request) =>
      Effect.gen(function*() {
        const { file, signature } = yield* prepare(
          "replace the file of",
          request.actor,
          input.ownerId,
          input.documentId,
          input
        )
        const command: DocumentStore.Command = {
          _tag: "ReplaceFile",
          ownerId: input.ownerId,
          documentId: input.documentId,
          actor: request.actor,
          at: yield* now,
          file,
          signature
        }
        const precheck = DocumentStore.validateFile(rules, input.ownerId, input.documentId, file, signature)
        return yield* store(command, precheck, input.bytes, request)
      }),
    execute: (command, request) =>
      command._tag === "RecordStoreAccess" && request.actor._tag === "Officer"
        ? Effect.fail(
          new DocumentStore.DocumentStoreForbidden({
            ownerId: command.ownerId,
            documentId: null,
            actor: label(request.actor),
            message:
              "an officer's look into a store is recorded by the read itself: load the store for a dossier of your agency, or go through DossierService"
          })
        )
        : Effect.gen(function*() {
          const problem = yield* flowProblem(command, request.actor).pipe(Effect.provideContext(context))
          if (problem !== null) {
            return yield* new DocumentStore.DocumentStoreForbidden({
              ownerId: command.ownerId,
              documentId: "documentId" in command ? command.documentId : null,
              actor: label(request.actor),
              message: problem
            })
          }
          const at = yield* now
          // spreading a union loses the tag-to-fields correlation TypeScript would need to see that
          // adding `actor` and `at` back gives a command; it does, by construction of PlainCommand
          return yield* run({ ...command, actor: request.actor, at } as DocumentStore.Command, request)
        }),
    load,
    readFile: (ownerId, documentId, actor) =>
      Effect.gen(function*() {
        if (!DocumentStore.isOwner(actor, ownerId)) {
          return yield* new DocumentStore.DocumentStoreForbidden({
            ownerId,
            documentId,
            actor: label(actor),
            message: `only the owner ${ownerId} may read the files of this store`
          })
        }
        const state = yield* loadState(ownerId)
        const document: Document | undefined = state.documents.get(documentId)
        if (document === undefined || document.status._tag === "Removed") {
          return yield* new DocumentStore.DocumentNotFound({
            ownerId,
            documentId,
            message: `the store of ${ownerId} has no document ${documentId}`
          })
        }
        return yield* files.get({ sha256: document.file.sha256, size: document.file.size })
      })
  })
})

/**
 * The service with the default rules; needs `EventStore`, `FileStore` and `SignatureVerifier`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<DocumentStoreService, never, EventStore | FileStore | SignatureVerifier> = Layer
  .effect(DocumentStoreService, make())
