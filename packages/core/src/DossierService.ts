/**
 * The dossier's application service: the flows of the seed's Appendix II part II around the pure
 * `Dossier` decider, with I/O through the event store, the document store and the file store.
 *
 * Citizen flow (online): `createDraft` (steps 5–6) → `matchComponents` (step 7: matching on the
 * owner's store attaches the only eligible document, or returns suggestions, or nothing) → `pick` /
 * `upload` / `referEarlierResult` for the rest → `chooseMethods` (step 8) → `submit` (step 9: the
 * number, and one use recorded on every store document used).
 *
 * Officer flow (at the counter): `createDraft` with channel `counter` → `matchComponents` / `lookup`
 * on the owner's store first → `pick` what the store has → `scan` only what it does not (the scan goes
 * into the owner's store as a digitised document, then is attached) → `submit`, `receive`…
 *
 * Every lookup into the owner's store is recorded in the owner's "who used my data" log
 * (`RecordStoreAccess`: who, when, procedure, channel, how many found).
 *
 * Idempotency: each call takes a command id; the commands a call issues besides its main one get ids
 * derived from it (`<commandId>:attach:<component>`…), so retrying a call with the same id repeats
 * nothing. Store uses are keyed by dossier number and component, whatever the request.
 *
 * ```ts
 * const dossiers = yield* DossierService
 * yield* dossiers.createDraft({ dossierId, procedureCode: "1.000894", caseId: "khong-xac-minh", ... }, request)
 * const step7 = yield* dossiers.matchComponents(dossierId, request)
 * const { number } = yield* dossiers.submit(dossierId, request)
 * ```
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option, Result, Schema } from "effect"
import { type Actor, label as actorLabel } from "./Actor.ts"
import * as Authorization from "./Authorization.ts"
import * as CommandHandler from "./CommandHandler.ts"
import { type Document, isActive } from "./Document.ts"
import * as Dossier from "./Dossier.ts"
import * as DossierNumber from "./DossierNumber.ts"
import * as DossierNumbering from "./DossierNumbering.ts"
import * as DocumentStore from "./DocumentStore.ts"
import * as DocumentStoreService from "./DocumentStoreService.ts"
import type { EventMetadata } from "./Event.ts"
import * as EventCodec from "./EventCodec.ts"
import { EventStore, type EventStoreError } from "./EventStore.ts"
import { FileStore, type FileStoreError, sha256 } from "./FileStore.ts"
import * as Matching from "./Matching.ts"
import * as Procedure from "./Procedure.ts"
import {
  loadDossier as loadDossierState,
  loadStore as loadStoreState,
  recordAccess as recordStoreAccess,
  scopeOf
} from "./internal/storeReads.ts"

/**
 * Who asks, and the ids that make the request idempotent and traceable.
 *
 * @since 0.1.0
 */
export type Request = DocumentStoreService.Request

// -----------------------------------------------------------------------------------------------
// Errors of the flows (the decider's own are in Dossier)
// -----------------------------------------------------------------------------------------------

/**
 * The document picked cannot satisfy the component; `reasons` are matching's, in words.
 *
 * @since 0.1.0
 */
export class NotEligible extends Schema.TaggedError<NotEligible>()("NotEligible", {
  dossierId: Schema.String,
  componentId: Schema.String,
  documentId: Schema.String,
  reasons: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/**
 * The officer tried to scan paper for a component the owner's store can already satisfy: attach the
 * store's document instead (digitise only what the store lacks).
 *
 * @since 0.1.0
 */
export class ReusableDocumentExists extends Schema.TaggedError<ReusableDocumentExists>()("ReusableDocumentExists", {
  dossierId: Schema.String,
  componentId: Schema.String,
  documentIds: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/**
 * Store documents attached to the dossier can no longer be used (removed, revoked, hidden, under
 * complaint, no longer shared, expired for the procedure… since they were attached). Every such
 * component is listed with matching's reasons: detach and replace them.
 *
 * @since 0.1.0
 */
export class AttachmentNotUsable extends Schema.TaggedError<AttachmentNotUsable>()("AttachmentNotUsable", {
  dossierId: Schema.String,
  problems: Schema.Array(Schema.Struct({ componentId: Schema.String, documentId: Schema.String, reason: Schema.String })),
  message: Schema.String
}) {}

/**
 * The earlier dossier named cannot lend its result: unknown number, another owner's, no result yet,
 * on paper, a component not taken from a store, or no result document matching finds eligible for
 * the component (`reasons`, in words, per result document; empty for the other cases).
 *
 * @since 0.1.0
 */
export class EarlierResultNotUsable extends Schema.TaggedError<EarlierResultNotUsable>()("EarlierResultNotUsable", {
  dossierId: Schema.String,
  dossierNumber: Schema.String,
  componentId: Schema.String,
  reasons: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/**
 * Everything a dossier flow can fail with.
 *
 * @since 0.1.0
 */
export type FlowError =
  | Dossier.DossierError
  | DossierNumbering.NumberingError
  | DocumentStore.DocumentStoreError
  | DocumentStoreService.FileFlowError
  | CommandHandler.HandleError
  | FileStoreError
  | NotEligible
  | ReusableDocumentExists
  | AttachmentNotUsable
  | EarlierResultNotUsable

// -----------------------------------------------------------------------------------------------
// Inputs and outputs
// -----------------------------------------------------------------------------------------------

/**
 * Steps 5–6: the procedure and case from the catalog, the deciding agency, where, who.
 *
 * @since 0.1.0
 */
export interface DraftInput {
  readonly dossierId: string
  readonly procedureCode: string
  readonly caseId: string
  /** The deciding agency's code (the unit chosen under the procedure's agency kind). */
  readonly agencyCode: string
  readonly district: string
  readonly commune: string
  readonly channel: Dossier.Channel
  readonly submitter: { readonly personalId: string; readonly name?: string | null }
  readonly ownerId: string
}

/**
 * What matching said about one component; `outcome` is null when the component cannot be satisfied
 * from a store (a form to fill in), or when it was not looked up (already satisfied).
 *
 * @since 0.1.0
 */
export interface ComponentLookup {
  readonly componentId: string
  readonly name: string
  readonly mandatory: boolean
  readonly outcome: Matching.MatchOutcome | null
}

/**
 * The outcome of a lookup: per component, and how many distinct documents were found eligible (what
 * the owner's access log records).
 *
 * @since 0.1.0
 */
export interface Lookup {
  readonly dossier: Dossier.Dossier
  readonly components: ReadonlyArray<ComponentLookup>
  readonly found: number
}

/**
 * Step 7: the lookup, and the components the system attached on its own (exactly one eligible).
 *
 * @since 0.1.0
 */
export interface Prepared extends Lookup {
  readonly autoAttached: ReadonlyArray<{ readonly componentId: string; readonly documentId: string }>
}

/**
 * A paper document scanned at the counter for a component.
 *
 * @since 0.1.0
 */
export interface ScanInput extends Omit<DocumentStoreService.DigitiseInput, "ownerId"> {
  readonly dossierId: string
  readonly componentId: string
}

/**
 * A file uploaded for one component of this dossier only.
 *
 * @since 0.1.0
 */
export interface UploadInput {
  readonly dossierId: string
  readonly componentId: string
  readonly bytes: Uint8Array
  readonly fileName: string
  readonly mediaType: string
}

/**
 * One document of a result, to issue into the owner's store.
 *
 * @since 0.1.0
 */
export type ResultInput = Omit<DocumentStoreService.IssueInput, "ownerId">

/**
 * What a dossier command did.
 *
 * @since 0.1.0
 */
export type Outcome = CommandHandler.HandleResult<Dossier.State, Dossier.Event>

/**
 * The dossier after submission, with its number.
 *
 * @since 0.1.0
 */
export interface Submitted {
  readonly dossier: Dossier.Dossier
  readonly number: DossierNumber.DossierNumber
}

// -----------------------------------------------------------------------------------------------
// The service
// -----------------------------------------------------------------------------------------------

/**
 * The dossier service.
 *
 * @since 0.1.0
 */
export class DossierService extends Context.Service<DossierService, {
  /** Opens a draft from the catalog: the requirements of the procedure's case are snapshotted. */
  readonly createDraft: (input: DraftInput, request: Request) => Effect.Effect<Outcome, FlowError>
  /**
   * Runs matching on the owner's store for the given components (default: every unsatisfied one)
   * and records one access in the owner's log. The owner or an officer of the deciding agency only.
   */
  readonly lookup: (
    dossierId: string,
    request: Request,
    componentIds?: ReadonlyArray<string>
  ) => Effect.Effect<Lookup, FlowError>
  /** Step 7: looks up every unsatisfied component and attaches those with exactly one eligible document. */
  readonly matchComponents: (dossierId: string, request: Request) => Effect.Effect<Prepared, FlowError>
  /** "Lấy từ kho": attaches a document of the owner's store that matching finds eligible. */
  readonly pick: (
    input: { readonly dossierId: string; readonly componentId: string; readonly documentId: string },
    request: Request
  ) => Effect.Effect<Outcome, FlowError>
  /** Attaches a file for this dossier only (no reuse); the bytes go to the file store. */
  readonly upload: (input: UploadInput, request: Request) => Effect.Effect<Outcome, FlowError>
  /**
   * At the counter: looks the owner's store up for the component (refusing when it has an eligible
   * document), records the scan in the owner's store as digitised, and attaches it.
   */
  readonly scan: (input: ScanInput, request: Request) => Effect.Effect<Outcome, FlowError>
  /** Attaches the result of an earlier dossier of the same owner, by its number. */
  readonly referEarlierResult: (
    input: { readonly dossierId: string; readonly componentId: string; readonly dossierNumber: string },
    request: Request
  ) => Effect.Effect<Outcome, FlowError>
  /** Removes what satisfied a component. */
  readonly detach: (
    input: { readonly dossierId: string; readonly componentId: string },
    request: Request
  ) => Effect.Effect<Outcome, FlowError>
  /** Step 8: submission and receipt methods. */
  readonly chooseMethods: (
    input: {
      readonly dossierId: string
      readonly submission: Dossier.SubmissionMethod
      readonly receipt: Dossier.ReceiptMethod
      readonly deliveryAddress?: string | null
    },
    request: Request
  ) => Effect.Effect<Outcome, FlowError>
  /**
   * Step 9: submits, takes the next number of the agency-day, and records one use on every store
   * document attached. Safe to retry (also after a crash half-way): it completes what is missing.
   */
  readonly submit: (dossierId: string, request: Request) => Effect.Effect<Submitted, FlowError>
  /** The officer receives the dossier. */
  readonly receive: (dossierId: string, request: Request) => Effect.Effect<Outcome, FlowError>
  /** The officer asks for supplements. */
  readonly requestSupplement: (
    input: { readonly dossierId: string; readonly reason: string; readonly componentIds: ReadonlyArray<string> },
    request: Request
  ) => Effect.Effect<Outcome, FlowError>
  /** The citizen hands the supplements in; uses of newly attached store documents are recorded. */
  readonly provideSupplement: (dossierId: string, request: Request) => Effect.Effect<Outcome, FlowError>
  /** The officer rejects the dossier with a reason. */
  readonly reject: (
    input: { readonly dossierId: string; readonly reason: string },
    request: Request
  ) => Effect.Effect<Outcome, FlowError>
  /**
   * The officer issues the result: each document (results and certified copies, signed) goes into
   * the owner's store through `IssueDocument`, then the dossier records them.
   */
  readonly issueResult: (
    input: { readonly dossierId: string; readonly documents: ReadonlyArray<ResultInput> },
    request: Request
  ) => Effect.Effect<Outcome, FlowError>
  /**
   * The officer records a result issued on paper only: nothing enters the owner's store (so it cannot
   * be reused from there, nor referred to as an earlier result), but the electronic-result rate counts
   * it among all results.
   */
  readonly issuePaperResult: (
    input: { readonly dossierId: string; readonly documents: ReadonlyArray<Dossier.PaperDocument> },
    request: Request
  ) => Effect.Effect<Outcome, FlowError>
  /**
   * The dossier's current state, for who may read it: its owner or submitter, an officer of the
   * deciding agency, or an auditor. Anyone else gets `DossierNotFound`, exactly as for an unknown
   * dossier, so a dossier id tells a stranger nothing.
   */
  readonly load: (
    dossierId: string,
    actor: Actor
  ) => Effect.Effect<Dossier.State, Dossier.DossierNotFound | EventStoreError | EventCodec.EventDecodeError>
}>()("@kho/core/DossierService") {}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 */
export interface Options {
  /** The procedure catalog (default: the built-in one). */
  readonly procedures?: Procedure.ProcedureCatalog
  /** The largest file `upload` accepts (default: the document store's, 20 MiB). */
  readonly maxFileBytes?: number
}

const notFound = Dossier.notFound

const forbidden = (dossierId: string, actor: Actor, message: string) =>
  new Dossier.DossierForbidden({ dossierId, actor: actorLabel(actor), message })

/** A store document is usable in a dossier when it is active, visible and under no complaint. */
const unusable = (document: Document | undefined): string | null => {
  if (document === undefined) return "it is no longer in the owner's store"
  if (!isActive(document)) return `it was ${document.status._tag.toLowerCase()}`
  if (!document.visible) return "its owner hid it"
  if (document.openComplaints.length > 0) return `complaint ${document.openComplaints.join(", ")} about it is open`
  return null
}

/**
 * The exclusion reasons that refuse a document. For an earlier result every reason counts but
 * `NotShared`: the owner (only they may refer to an earlier dossier) names that result for this
 * dossier themselves, which is their consent to its use here; sharing governs what others, and
 * automatic attachment, may take from the store.
 */
const blocking = (
  reasons: ReadonlyArray<Matching.ExclusionReason>,
  earlierResult: boolean
): ReadonlyArray<Matching.ExclusionReason> => earlierResult ? reasons.filter((r) => r._tag !== "NotShared") : reasons

/**
 * The command id of a store use: one per dossier number, component and document, whoever retries.
 *
 * @since 0.1.0
 */
export const useCommandId = (number: string, componentId: string, documentId: string): string =>
  `DossierUse:${number}:${componentId}:${documentId}`

/**
 * Builds the service over the event store, the document store service and the file store in context.
 *
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function*(options?: Options) {
  const procedures = options?.procedures ?? Procedure.defaultCatalog
  const fileRules = { maxFileBytes: options?.maxFileBytes ?? DocumentStore.defaultRules.maxFileBytes }
  const events = yield* EventStore
  const files = yield* FileStore
  const store = yield* DocumentStoreService.DocumentStoreService
  const context = Context.make(EventStore, events)
  const handler = CommandHandler.make(Dossier.decider)

  const now = Effect.map(DateTime.now, DateTime.formatIso)

  const metadata = (request: Request, commandId = request.commandId): EventMetadata => ({
    actor: request.actor,
    commandId,
    correlationId: request.correlationId,
    causationId: commandId === request.commandId ? request.causationId ?? null : request.commandId
  })

  /** A request for a command the main one causes. */
  const derived = (request: Request, suffix: string): Request => ({
    ...request,
    commandId: `${request.commandId}:${suffix}`,
    causationId: request.commandId
  })

  const run = (command: Dossier.Command, request: Request, commandId?: string) =>
    handler.handle(command.dossierId, command, metadata(request, commandId)).pipe(Effect.provideContext(context))

  const load = (dossierId: string) => loadDossierState(dossierId).pipe(Effect.provideContext(context))

  /** The owner's store, read after this service decided the actor may look (and records it). */
  const loadStore = (ownerId: string) => loadStoreState(ownerId).pipe(Effect.provideContext(context))

  /** Who may read a dossier: its owner or submitter, an officer of the deciding agency, an auditor. */
  const mayRead = (actor: Actor, dossier: Dossier.Dossier): boolean =>
    actor._tag === "Auditor" ||
    Dossier.isOfficerOf(actor, dossier) ||
    (actor._tag !== "Officer" && Dossier.mayEdit(actor, dossier))

  /** The dossier and its state; a missing dossier fails before any input is checked. */
  const loadFor = (dossierId: string) =>
    Effect.flatMap(load(dossierId), (state) =>
      state.dossier === null
        ? Effect.fail(notFound(dossierId))
        : Effect.succeed({ state, dossier: state.dossier }))

  const loadDossier = (dossierId: string) => Effect.map(loadFor(dossierId), (x) => x.dossier)

  /** Runs the decider without appending: refuses early, before any side effect elsewhere. */
  const dryRun = (command: Dossier.Command, state: Dossier.State): Effect.Effect<void, Dossier.DossierError> => {
    const decided = Dossier.decide(command, state)
    return Result.isFailure(decided) ? Effect.fail(decided.failure) : Effect.void
  }

  const mayLookUp = (actor: Actor, dossier: Dossier.Dossier): boolean =>
    (DocumentStore.isOwner(actor, dossier.ownerId) && Dossier.mayEdit(actor, dossier)) || Dossier.isOfficerOf(actor, dossier)

  const catalogRequirement = (dossier: Dossier.Dossier, componentId: string) => {
    const procedure = procedures.get(dossier.procedure.code)
    const requirement = procedure === undefined ? undefined : Procedure.requirement(procedure, componentId)
    return procedure === undefined || requirement === undefined || !Procedure.isReusable(requirement)
      ? null
      : { procedure, requirement }
  }

  /** One entry in the owner's "who used my data" log; an officer looks at the counter, others online. */
  const recordAccess = (dossier: Dossier.Dossier, request: Request, found: number) =>
    Effect.gen(function*() {
      const access = derived(request, "access")
      return yield* recordStoreAccess(scopeOf(dossier), {
        actor: access.actor,
        commandId: access.commandId,
        correlationId: access.correlationId,
        causationId: access.causationId ?? null,
        at: yield* now
      }, found).pipe(Effect.provideContext(context))
    })

  const lookup = (dossierId: string, request: Request, componentIds?: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const dossier = yield* loadDossier(dossierId)
      if (!mayLookUp(request.actor, dossier)) {
        return yield* forbidden(
          dossierId,
          request.actor,
          `only the dossier's owner or an officer of the deciding agency may look into the owner's store for dossier ${dossierId}`
        )
      }
      const wanted = componentIds === undefined
        ? dossier.requirements.filter((r) => !dossier.components.has(r.componentId))
        : dossier.requirements.filter((r) => componentIds.includes(r.componentId))
      const unknown = componentIds?.find((id) => !dossier.requirements.some((r) => r.componentId === id))
      if (unknown !== undefined) {
        return yield* new Dossier.InvalidDossier({
          dossierId,
          reason: "UnknownComponent",
          message: `procedure ${dossier.procedure.code} has no component ${JSON.stringify(unknown)}`
        })
      }
      const reusable = wanted.map((r) => ({ r, found: catalogRequirement(dossier, r.componentId) }))
      if (!reusable.some((x) => x.found !== null)) {
        return {
          dossier,
          components: wanted.map((r) => ({ ...r, outcome: null })),
          found: 0
        } satisfies Lookup
      }
      const asOf = yield* now
      const snapshot = Matching.index(DocumentStore.documents(yield* loadStore(dossier.ownerId)))
      const components: Array<ComponentLookup> = reusable.map(({ found, r }) => ({
        componentId: r.componentId,
        name: r.name,
        mandatory: r.mandatory,
        outcome: found === null ? null : Matching.matchIndexed(snapshot, {
          requirement: found.requirement,
          procedure: found.procedure,
          ownerId: dossier.ownerId,
          asOf
        })
      }))
      const eligible = new Set(components.flatMap((c) => c.outcome?.eligible.map((d) => d.id) ?? []))
      yield* recordAccess(dossier, request, eligible.size)
      return { dossier, components, found: eligible.size } satisfies Lookup
    })

  const attachCommand = (
    dossierId: string,
    componentId: string,
    source: Dossier.Source,
    actor: Actor,
    at: string
  ): Dossier.Command => ({ _tag: "AttachComponent", dossierId, actor, at, componentId, source })

  const attach = (dossierId: string, componentId: string, source: Dossier.Source, request: Request, commandId?: string) =>
    Effect.flatMap(now, (at) => run(attachCommand(dossierId, componentId, source, request.actor, at), request, commandId))

  /** Matching's reasons, in words, why `documentId` cannot satisfy the component as of `asOf`. */
  const matchingReasons = (
    found: NonNullable<ReturnType<typeof catalogRequirement>>,
    ownerId: string,
    documents: ReadonlyArray<Document>,
    documentId: string,
    asOf: string,
    earlierResult: boolean
  ): ReadonlyArray<string> => {
    // the whole store: a later document of the same category can make this one expire
    const outcome = Matching.match({ requirement: found.requirement, procedure: found.procedure, ownerId, asOf, documents })
    if (outcome.eligible.some((d) => d.id === documentId)) return []
    const exclusion = outcome.excluded.find((x) => x.document.id === documentId)
    if (exclusion === undefined) return [`the owner's store has no document ${documentId}`]
    return blocking(exclusion.reasons, earlierResult).map((r) => Matching.message(r).en)
  }

  /**
   * Every store document attached that can no longer be used, before the dossier goes out. Documents
   * taken from the store (and earlier results) are matched again as of now, as `pick` does: a document
   * attached in the draft may since have been unshared, or have expired for the procedure (a newer
   * marital-status certificate). `recheck` says which components get matching again (default: all);
   * a document scanned at the counter was handed over on paper for this dossier, so it gets only the
   * status check.
   */
  const checkAttachments = (dossier: Dossier.Dossier, recheck: (componentId: string, documentId: string) => boolean = () => true) =>
    Effect.gen(function*() {
      const used = [...dossier.components].flatMap(([componentId, source]) => {
        const documentId = source._tag === "EarlierResult" ? source.documentId : Dossier.storeUseOf(source)
        const matched = source._tag === "ScannedAtCounter" ? null : source._tag
        return documentId === null ? [] : [{ componentId, documentId, matched }]
      })
      if (used.length === 0) return
      const state = yield* loadStore(dossier.ownerId)
      const snapshot = DocumentStore.documents(state)
      const asOf = yield* now
      const problems = used.flatMap(({ componentId, documentId, matched }) => {
        const status = unusable(state.documents.get(documentId))
        if (status !== null) return [{ componentId, documentId, reason: status }]
        const found = matched !== null && recheck(componentId, documentId) ? catalogRequirement(dossier, componentId) : null
        if (found === null) return []
        const reasons = matchingReasons(found, dossier.ownerId, snapshot, documentId, asOf, matched === "EarlierResult")
        return reasons.length === 0 ? [] : [{ componentId, documentId, reason: reasons.join("; ") }]
      })
      if (problems.length > 0) {
        return yield* new AttachmentNotUsable({
          dossierId: dossier.id,
          problems,
          message: `dossier ${dossier.id} uses store documents that can no longer be used: ${
            problems.map((p) => `${p.componentId} (${p.documentId}: ${p.reason})`).join("; ")
          }; detach them and attach others`
        })
      }
    })

  /** One use per (number, component), with a command id that does not depend on the request. */
  const recordUses = (dossier: Dossier.Dossier, number: string, request: Request) =>
    Effect.forEach(
      [...dossier.components],
      ([componentId, source]) => {
        const documentId = Dossier.storeUseOf(source)
        if (documentId === null) return Effect.void
        return Effect.asVoid(store.execute(
          {
            _tag: "RecordUse",
            ownerId: dossier.ownerId,
            documentId,
            dossierNumber: number,
            componentId,
            procedure: dossier.procedure.code
          },
          { ...request, commandId: useCommandId(number, componentId, documentId), causationId: request.commandId }
        ))
      },
      { discard: true }
    )

  const service: DossierService["Service"] = {
    createDraft: (input, request) =>
      Effect.gen(function*() {
        const procedure = procedures.get(input.procedureCode)
        if (procedure === undefined) {
          return yield* new Dossier.InvalidDossier({
            dossierId: input.dossierId,
            reason: "InvalidField",
            message: `procedure ${input.procedureCode} is not in the procedure catalog`
          })
        }
        const chosen = procedure.cases.find((c) => c.id === input.caseId)
        if (chosen === undefined) {
          return yield* new Dossier.InvalidDossier({
            dossierId: input.dossierId,
            reason: "InvalidField",
            message: `procedure ${procedure.code} has no case ${JSON.stringify(input.caseId)}; its cases are ${
              procedure.cases.map((c) => c.id).join(", ")
            }`
          })
        }
        return yield* run({
          _tag: "CreateDraft",
          dossierId: input.dossierId,
          actor: request.actor,
          at: yield* now,
          procedure: { code: procedure.code, name: procedure.name },
          agencyCode: input.agencyCode,
          case: { code: chosen.id, name: chosen.name },
          district: input.district,
          commune: input.commune,
          channel: input.channel,
          submitter: { personalId: input.submitter.personalId, name: input.submitter.name ?? null },
          ownerId: input.ownerId,
          requirements: Procedure.requirementsFor(procedure, chosen.id).map((r) => ({
            componentId: r.id,
            name: r.name,
            mandatory: r.mandatory
          }))
        }, request)
      }),

    lookup,

    matchComponents: (dossierId, request) =>
      Effect.gen(function*() {
        const found = yield* lookup(dossierId, request)
        const autoAttached: Array<{ componentId: string; documentId: string }> = []
        let dossier = found.dossier
        for (const component of found.components) {
          const outcome = component.outcome
          if (outcome?._tag !== "AutoAttach") continue
          const source: Dossier.Source = {
            _tag: "AutoAttached",
            documentId: outcome.document.id,
            sha256: outcome.document.file.sha256
          }
          const attached = yield* attach(dossierId, component.componentId, source, request, `${request.commandId}:auto:${component.componentId}`)
          if (attached.state.dossier !== null) dossier = attached.state.dossier
          autoAttached.push({ componentId: component.componentId, documentId: outcome.document.id })
        }
        return { ...found, dossier, autoAttached }
      }),

    pick: (input, request) =>
      Effect.gen(function*() {
        const { dossier, state } = yield* loadFor(input.dossierId)
        if (!mayLookUp(request.actor, dossier)) {
          return yield* forbidden(
            input.dossierId,
            request.actor,
            `only the dossier's owner, or an officer of the deciding agency at the counter, may pick from the owner's store`
          )
        }
        const at = yield* now
        // the dossier's own rules first (who, which component, which status), before reading the store
        const placeholder: Dossier.Source = { _tag: "PickedFromStore", documentId: input.documentId, sha256: "0".repeat(64) }
        yield* dryRun(attachCommand(input.dossierId, input.componentId, placeholder, request.actor, at), state)
        const fail = (reasons: ReadonlyArray<string>) =>
          new NotEligible({
            ...input,
            reasons,
            message: `document ${input.documentId} cannot satisfy component ${input.componentId} of dossier ${input.dossierId}: ${
              reasons.join("; ")
            }`
          })
        const found = catalogRequirement(dossier, input.componentId)
        if (found === null) return yield* fail([`component ${input.componentId} is not satisfied from a store`])
        const snapshot = DocumentStore.documents(yield* loadStore(dossier.ownerId))
        // the whole store: a later document of the same category can make this one expire
        const outcome = Matching.match({
          requirement: found.requirement,
          procedure: found.procedure,
          ownerId: dossier.ownerId,
          asOf: at,
          documents: snapshot
        })
        // reading the store is an access, whether or not the pick is accepted
        yield* recordAccess(dossier, request, Matching.found(outcome))
        const document = snapshot.find((d) => d.id === input.documentId)
        if (document === undefined) return yield* fail([`the owner's store has no document ${input.documentId}`])
        const exclusion = outcome.excluded.find((x) => x.document.id === document.id)
        if (exclusion !== undefined) return yield* fail(exclusion.reasons.map((r) => Matching.message(r).en))
        const source: Dossier.Source = { _tag: "PickedFromStore", documentId: document.id, sha256: document.file.sha256 }
        return yield* attach(input.dossierId, input.componentId, source, request)
      }),

    upload: (input, request) =>
      Effect.gen(function*() {
        const { dossier, state } = yield* loadFor(input.dossierId)
        const source: Dossier.Source = {
          _tag: "Uploaded",
          sha256: sha256(input.bytes),
          size: input.bytes.length,
          mediaType: input.mediaType,
          fileName: input.fileName
        }
        // who may attach (and to what) is decided before the file is looked at, so a refusal
        // depends on nothing the actor sent and names no one
        yield* dryRun(attachCommand(input.dossierId, input.componentId, source, request.actor, yield* now), state)
        // the document store's file rules: a dossier's file is kept in the same file store
        yield* DocumentStoreService.checkFile(fileRules, dossier.ownerId, input.componentId, input)
        yield* files.put(input.bytes)
        return yield* attach(input.dossierId, input.componentId, source, request)
      }),

    scan: (input, request) =>
      Effect.gen(function*() {
        const { dossier, state } = yield* loadFor(input.dossierId)
        const actor = request.actor
        if (actor._tag !== "Officer" || !Dossier.isOfficerOf(actor, dossier)) {
          return yield* forbidden(
            input.dossierId,
            actor,
            `only an officer of the deciding agency scans paper at the counter for dossier ${input.dossierId}`
          )
        }
        const cannotDigitise = Authorization.roleProblem(actor, "digitise", `scan paper for dossier ${input.dossierId}`)
        if (cannotDigitise !== null) return yield* forbidden(input.dossierId, actor, cannotDigitise)
        const source: Dossier.Source = {
          _tag: "ScannedAtCounter",
          documentId: input.documentId,
          sha256: sha256(input.bytes),
          agencyCode: actor.agencyCode,
          officerId: actor.officerId
        }
        yield* dryRun(attachCommand(input.dossierId, input.componentId, source, actor, yield* now), state)
        // look the store up first: paper is scanned only when the store has nothing to reuse
        const looked = yield* lookup(input.dossierId, derived(request, "lookup"), [input.componentId])
        const eligible = looked.components[0]?.outcome?.eligible ?? []
        if (eligible.length > 0) {
          return yield* new ReusableDocumentExists({
            dossierId: input.dossierId,
            componentId: input.componentId,
            documentIds: eligible.map((d) => d.id),
            message: `the owner's store already holds ${
              eligible.map((d) => d.id).join(", ")
            } for component ${input.componentId}: attach it instead of scanning paper`
          })
        }
        const { componentId: _c, dossierId: _d, ...entry } = input
        const digitised = yield* store.recordDigitised({ ...entry, ownerId: dossier.ownerId }, derived(request, "digitise"))
        const document = digitised.state.documents.get(input.documentId)
        return yield* attach(
          input.dossierId,
          input.componentId,
          { ...source, sha256: document?.file.sha256 ?? source.sha256 },
          request
        )
      }),

    referEarlierResult: (input, request) =>
      Effect.gen(function*() {
        const dossier = yield* loadDossier(input.dossierId)
        // the owner only: a submitter (anyone may name themselves one in a draft) would otherwise
        // learn which dossier numbers are the owner's and how far each has got
        if (!DocumentStore.isOwner(request.actor, dossier.ownerId)) {
          return yield* forbidden(
            input.dossierId,
            request.actor,
            `only the dossier's owner may refer to the results of their earlier dossiers in dossier ${input.dossierId}`
          )
        }
        const notUsable = (message: string, reasons: ReadonlyArray<string> = []) =>
          new EarlierResultNotUsable({
            dossierId: input.dossierId,
            dossierNumber: input.dossierNumber,
            componentId: input.componentId,
            reasons,
            message
          })
        // the component must be one a store can satisfy: a declaration to fill in is not taken from one
        const found = catalogRequirement(dossier, input.componentId)
        if (found === null) {
          return yield* notUsable(
            `component ${input.componentId} of dossier ${input.dossierId} is not taken from a store ` +
              `(a form to fill in, or not a component of the procedure): upload it instead`
          )
        }
        const parsed = DossierNumber.parse(input.dossierNumber)
        if (Result.isFailure(parsed)) return yield* notUsable(parsed.failure.message)
        const holder = yield* DossierNumbering.resolve(parsed.success).pipe(Effect.provideContext(context))
        const earlier = Option.isNone(holder) ? null : (yield* load(holder.value)).dossier
        // another owner's dossier is reported exactly like an unknown one: nothing leaks
        if (earlier === null || earlier.ownerId !== dossier.ownerId) {
          return yield* notUsable(`the dossier's owner has no dossier ${input.dossierNumber}`)
        }
        if (earlier.status !== "ResultIssued") {
          return yield* notUsable(`dossier ${input.dossierNumber} has no result yet (it is ${earlier.status})`)
        }
        if (earlier.resultForm === "Paper") {
          return yield* notUsable(
            `the result of dossier ${input.dossierNumber} was issued on paper, so it is not digitised data: ` +
              `scan the paper at the counter or upload it instead`
          )
        }
        // the same rules as a pick from the store, over the earlier dossier's result documents
        const snapshot = DocumentStore.documents(yield* loadStore(dossier.ownerId))
        const outcome = Matching.match({
          requirement: found.requirement,
          procedure: found.procedure,
          ownerId: dossier.ownerId,
          asOf: yield* now,
          documents: snapshot
        })
        const resultIds = earlier.results.map((r) => r.documentId)
        const chosen = outcome.eligible.find((d) => resultIds.includes(d.id)) ??
          outcome.excluded.find((x) => resultIds.includes(x.document.id) && blocking(x.reasons, true).length === 0)
            ?.document
        if (chosen === undefined) {
          const reasons = resultIds.map((id) => {
            const exclusion = outcome.excluded.find((x) => x.document.id === id)
            return exclusion === undefined
              ? `${id}: it is no longer in the owner's store`
              : `${id}: ${blocking(exclusion.reasons, true).map((r) => Matching.message(r).en).join("; ")}`
          })
          return yield* notUsable(
            `no result of dossier ${input.dossierNumber} can satisfy component ${input.componentId}: ${
              reasons.length === 0 ? "it has no result document" : reasons.join(" | ")
            }`,
            reasons
          )
        }
        return yield* attach(input.dossierId, input.componentId, {
          _tag: "EarlierResult",
          dossierNumber: parsed.success,
          dossierId: earlier.id,
          documentId: chosen.id
        }, request)
      }),

    detach: (input, request) =>
      Effect.flatMap(now, (at) => run({ _tag: "DetachComponent", ...input, actor: request.actor, at }, request)),

    chooseMethods: (input, request) =>
      Effect.flatMap(now, (at) =>
        run({
          _tag: "ChooseMethods",
          dossierId: input.dossierId,
          actor: request.actor,
          at,
          submission: input.submission,
          receipt: input.receipt,
          deliveryAddress: input.deliveryAddress ?? null
        }, request)),

    submit: (dossierId, request) =>
      Effect.gen(function*() {
        const state = yield* load(dossierId)
        const command: Dossier.Command = { _tag: "Submit", dossierId, actor: request.actor, at: yield* now }
        yield* dryRun(command, state)
        if (state.dossier?.status === "Draft") yield* checkAttachments(state.dossier)
        const submitted = (yield* run(command, request)).state.dossier
        if (submitted === null || submitted.submittedOn === null) return yield* notFound(dossierId)
        const day = submitted.submittedOn
        let dossier = submitted
        if (dossier.number === null) {
          const number = yield* DossierNumbering.allocate(
            { agencyCode: dossier.agencyCode, day, dossierId },
            metadata(request, DossierNumbering.commandIdOf(dossierId))
          ).pipe(Effect.provideContext(context))
          const assigned = yield* run(
            { _tag: "AssignNumber", dossierId, actor: request.actor, at: yield* now, number },
            request,
            `${dossierId}:assign-number`
          )
          dossier = assigned.state.dossier ?? dossier
        }
        const number = DossierNumber.DossierNumber.make(dossier.number!)
        yield* recordUses(dossier, number, request)
        return { dossier, number }
      }),

    receive: (dossierId, request) =>
      Effect.flatMap(now, (at) => run({ _tag: "Receive", dossierId, actor: request.actor, at }, request)),

    requestSupplement: (input, request) =>
      Effect.flatMap(now, (at) => run({ _tag: "RequestSupplement", ...input, actor: request.actor, at }, request)),

    provideSupplement: (dossierId, request) =>
      Effect.gen(function*() {
        const state = yield* load(dossierId)
        const command: Dossier.Command = { _tag: "ProvideSupplement", dossierId, actor: request.actor, at: yield* now }
        yield* dryRun(command, state)
        const current = state.dossier
        if (current !== null) {
          // matched again: what was attached since submission (no use recorded for it under this
          // number yet) and the components the officer asked to redo
          const owned = current.number === null ? null : yield* loadStore(current.ownerId)
          const asked = current.supplementRequest?.componentIds ?? []
          yield* checkAttachments(current, (componentId, documentId) =>
            asked.includes(componentId) ||
            !(owned?.documents.get(documentId)?.uses.some((u) =>
              u.dossierNumber === current.number && u.componentId === componentId
            ) ?? false))
        }
        const outcome = yield* run(command, request)
        const dossier = outcome.state.dossier
        if (dossier !== null && dossier.number !== null) yield* recordUses(dossier, dossier.number, request)
        return outcome
      }),

    reject: (input, request) =>
      Effect.flatMap(now, (at) => run({ _tag: "Reject", ...input, actor: request.actor, at }, request)),

    issueResult: (input, request) =>
      Effect.gen(function*() {
        const state = yield* load(input.dossierId)
        const dossier = state.dossier
        if (dossier === null) return yield* notFound(input.dossierId)
        const command: Dossier.Command = {
          _tag: "IssueResult",
          dossierId: input.dossierId,
          actor: request.actor,
          at: yield* now,
          documents: input.documents.map((d) => ({
            documentId: d.documentId,
            kind: d.kind,
            name: d.name
          }))
        }
        // refuse before anything enters the owner's store
        yield* dryRun(command, state)
        for (const document of input.documents) {
          yield* store.issue({ ...document, ownerId: dossier.ownerId }, derived(request, `issue:${document.documentId}`))
        }
        return yield* run(command, request)
      }),

    issuePaperResult: (input, request) =>
      Effect.flatMap(now, (at) =>
        run({ _tag: "IssuePaperResult", dossierId: input.dossierId, documents: input.documents, actor: request.actor, at }, request)),

    load: (dossierId, actor) =>
      Effect.flatMap(load(dossierId), (state) =>
        // a refused read looks exactly like a missing dossier: a dossier id probes nothing
        state.dossier !== null && mayRead(actor, state.dossier)
          ? Effect.succeed(state)
          : Effect.fail(notFound(dossierId)))
  }
  return DossierService.of(service)
})

/**
 * The service with the built-in catalog; needs `EventStore`, `FileStore` and `DocumentStoreService`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<
  DossierService,
  never,
  EventStore | FileStore | DocumentStoreService.DocumentStoreService
> = Layer.effect(DossierService, make())
