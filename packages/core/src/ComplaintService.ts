/**
 * The complaint application service: the flows that span the complaint stream and the owner's
 * document store.
 *
 * - file: only the owner; reads the document from their store, appends `ComplaintFiled` (routed to
 *   the document's issuer), then flags the document so matching excludes it;
 * - acknowledge: only an officer of the issuing agency;
 * - resolve by correction: issues the corrected replacement into the owner's store, supersedes the
 *   old document (never matched again), appends `ComplaintResolved`, unflags;
 * - reject: appends `ComplaintRejected` with the reason, unflags.
 *
 * Every step goes through `CommandHandler` with a command id derived from the complaint id and the
 * step (`Complaint-<id>/file`, `…/flag`, `…/issue-replacement`, `…/supersede`, `…/resolve`,
 * `…/unflag`…), so a retry of a flow that failed half-way completes it without doing anything twice.
 * The complaint's own event is appended before its consequences on the store are (flag) or after
 * them (supersede), and the complaint is always checked against the pure decider before anything
 * is written, so a refused command writes nothing.
 *
 * ```ts
 * const complaints = yield* ComplaintService
 * yield* complaints.file({ complaintId, ownerId, documentId, reason: "WrongCitizenInformation" }, { actor: owner })
 * ```
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer } from "effect"
import type { Actor } from "./Actor.ts"
import { label as actorLabel } from "./Actor.ts"
import * as CommandHandler from "./CommandHandler.ts"
import * as Complaint from "./Complaint.ts"
import * as ComplaintDeadlines from "./ComplaintDeadlines.ts"
import * as ComplaintPolicy from "./ComplaintPolicy.ts"
import { streamId } from "./Decider.ts"
import type { Document } from "./Document.ts"
import * as DocumentStore from "./DocumentStore.ts"
import * as DocumentStoreService from "./DocumentStoreService.ts"
import * as EventCodec from "./EventCodec.ts"
import { EventStore } from "./EventStore.ts"
import { loadStore } from "./internal/storeReads.ts"
import * as Upcaster from "./Upcaster.ts"
import * as WorkingCalendar from "./WorkingCalendar.ts"

/**
 * Who asks. Command ids are derived from the complaint id, so the caller gives none.
 *
 * @since 0.1.0
 */
export interface Request {
  readonly actor: Actor
  /** Groups everything one interaction caused; default `Complaint-<id>`. */
  readonly correlationId?: string
  readonly causationId?: string | null
}

/**
 * The owner's complaint.
 *
 * @since 0.1.0
 */
export interface FileInput {
  /** Chosen by the caller (a UUID is fine); reuse it on retry. */
  readonly complaintId: string
  readonly ownerId: string
  readonly documentId: string
  readonly reason: ComplaintPolicy.Reason
  readonly comment?: string | null
  /** Default: the store view. */
  readonly origin?: Complaint.Origin
}

/**
 * The agency takes the complaint in.
 *
 * @since 0.1.0
 */
export interface AcknowledgeInput {
  readonly complaintId: string
  readonly note?: string | null
}

/**
 * The agency corrects the result: `replacement` is issued into the complaint's owner's store (its
 * `documentId` is the replacement's id, new in that store).
 *
 * @since 0.1.0
 */
export interface CorrectionInput {
  readonly complaintId: string
  /** What was corrected, for the owner. */
  readonly resolution: string
  readonly replacement: Omit<DocumentStoreService.IssueInput, "ownerId">
}

/**
 * The agency rejects the complaint.
 *
 * @since 0.1.0
 */
export interface RejectInput {
  readonly complaintId: string
  readonly reason: string
}

/**
 * A complaint as the owner and the agency see it: its state, the status label and its deadlines.
 *
 * @since 0.1.0
 */
export interface View {
  readonly complaint: Complaint.Complaint
  readonly status: { readonly vi: string; readonly en: string }
  readonly deadlines: ComplaintDeadlines.Entry
}

/**
 * What a flow did: the complaint after it, the complaint events this call appended (none for a
 * repeat) and whether the complaint's step had already been appended.
 *
 * @since 0.1.0
 */
export interface Outcome {
  readonly complaint: Complaint.Complaint
  readonly events: ReadonlyArray<Complaint.Event>
  readonly alreadyAppended: boolean
}

/**
 * Errors of the flows without a file.
 *
 * @since 0.1.0
 */
export type ComplaintFlowError =
  | Complaint.ComplaintError
  | DocumentStore.DocumentStoreError
  | CommandHandler.HandleError

/**
 * Errors of the correction flow (it verifies and stores the replacement's file too).
 *
 * @since 0.1.0
 */
export type CorrectionError = ComplaintFlowError | DocumentStoreService.FileFlowError

/**
 * The complaint service.
 *
 * @since 0.1.0
 */
export class ComplaintService extends Context.Service<ComplaintService, {
  /** The owner files a complaint about a document of their store; the document is flagged. */
  readonly file: (input: FileInput, request: Request) => Effect.Effect<Outcome, ComplaintFlowError>
  /** An officer of the issuing agency acknowledges the complaint. */
  readonly acknowledge: (input: AcknowledgeInput, request: Request) => Effect.Effect<Outcome, ComplaintFlowError>
  /** An officer of the issuing agency issues a corrected replacement; the old document is superseded. */
  readonly resolveByCorrection: (input: CorrectionInput, request: Request) => Effect.Effect<Outcome, CorrectionError>
  /** An officer of the issuing agency rejects the complaint with a reason; the document is unflagged. */
  readonly reject: (input: RejectInput, request: Request) => Effect.Effect<Outcome, ComplaintFlowError>
  /** The complaint, for its owner, an officer of the agency it is routed to, or an auditor; anyone else gets `ComplaintNotFound`, as for an unknown id. */
  readonly get: (
    complaintId: string,
    actor: Actor
  ) => Effect.Effect<View, Complaint.ComplaintNotFound | Complaint.ComplaintForbidden | CommandHandler.HandleError>
}>()("@kho/core/ComplaintService") {}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 */
export interface Options {
  /** Deadlines recorded with new complaints (default `ComplaintPolicy.standard`: 2 and 15 working days). */
  readonly policy?: ComplaintPolicy.ComplaintPolicy
  /** The calendar the views' due dates are computed with (default `WorkingCalendar.vietnam`). */
  readonly calendar?: WorkingCalendar.WorkingCalendar
}

/**
 * The command id of one step of one complaint's flows: the same step of the same complaint always
 * has the same id, so a retry appends nothing new.
 *
 * @since 0.1.0
 */
export const commandId = (complaintId: string, step: string): string =>
  `${streamId(Complaint.decider, complaintId)}/${step}`

const subjectOf = (document: Document): Complaint.Subject => ({
  code: document.code,
  name: document.name,
  issuer: document.issuer,
  status: document.status._tag,
  openComplaints: document.openComplaints
})

/**
 * Builds the service over the event store and the document store service in context.
 *
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function*(options?: Options) {
  const policy = options?.policy ?? ComplaintPolicy.standard
  const calendar = options?.calendar ?? WorkingCalendar.vietnam
  const events = yield* EventStore
  const documents = yield* DocumentStoreService.DocumentStoreService
  const handler = CommandHandler.make(Complaint.decider)
  const context = Context.make(EventStore, events)
  /** The engine's own read of a store, to route and correct a complaint (the decider checks the actor). */
  const readStore = (ownerId: string) => loadStore(ownerId).pipe(Effect.provideContext(context))

  const now = Effect.map(DateTime.now, DateTime.formatIso)

  const metadata = (request: Request, complaintId: string, step: string, causationId?: string) => ({
    actor: request.actor,
    commandId: commandId(complaintId, step),
    correlationId: request.correlationId ?? streamId(Complaint.decider, complaintId),
    causationId: causationId ?? request.causationId ?? null
  })

  /** The complaint stream's state, and its deadlines entry. */
  const load = (complaintId: string) =>
    Effect.gen(function*() {
      const registry = yield* Effect.service(Upcaster.CurrentRegistry)
      const decode = EventCodec.decoder(Complaint.decider.eventSchema, registry)
      const recorded = yield* events.readStream(streamId(Complaint.decider, complaintId))
      let state = Complaint.initialState
      let entry: ComplaintDeadlines.Entry | undefined
      for (const r of recorded) {
        const event = yield* Effect.fromResult(decode(r))
        state = Complaint.evolve(state, event)
        entry = ComplaintDeadlines.step(calendar, entry, event)
      }
      return { state, entry }
    })

  /** Refuses before writing anything when the decider would refuse; returns the events it would append. */
  const precheck = (command: Complaint.Command, state: Complaint.State) =>
    Effect.fromResult(Complaint.decide(command, state))

  const run = (command: Complaint.Command, request: Request, step: string) =>
    handler.handle(command.complaintId, command, metadata(request, command.complaintId, step)).pipe(
      Effect.provideContext(context)
    )

  /** A document store command caused by step `cause` of the complaint. */
  const onStore = (
    command: DocumentStoreService.PlainCommand,
    request: Request,
    complaintId: string,
    step: string,
    cause: string
  ) => documents.execute(command, metadata(request, complaintId, step, commandId(complaintId, cause)))

  const outcomeOf = (
    result: CommandHandler.HandleResult<Complaint.State, Complaint.Event>,
    complaintId: string
  ): Effect.Effect<Outcome, Complaint.ComplaintNotFound> =>
    result.state.complaint === null
      ? Effect.fail(
        new Complaint.ComplaintNotFound({ complaintId, message: `no complaint ${complaintId} was filed` })
      )
      : Effect.succeed({
        complaint: result.state.complaint,
        events: result.alreadyAppended ? [] : result.events,
        alreadyAppended: result.alreadyAppended
      })

  const unflag = (complaint: Complaint.Complaint, request: Request, cause: string) =>
    onStore(
      { _tag: "UnflagDocument", ownerId: complaint.ownerId, documentId: complaint.documentId, complaintId: complaint.id },
      request,
      complaint.id,
      "unflag",
      cause
    )

  const file = (input: FileInput, request: Request) =>
    Effect.gen(function*() {
      const notOwner = Complaint.filerProblem(request.actor, input.ownerId)
      if (notOwner !== undefined) {
        return yield* new Complaint.ComplaintForbidden({
          complaintId: input.complaintId,
          actor: actorLabel(request.actor),
          message: notOwner
        })
      }
      const store = yield* readStore(input.ownerId)
      const document = store.documents.get(input.documentId)
      if (document === undefined) {
        return yield* new DocumentStore.DocumentNotFound({
          ownerId: input.ownerId,
          documentId: input.documentId,
          message: `the store of ${input.ownerId} has no document ${input.documentId}`
        })
      }
      const command: typeof Complaint.FileComplaint.Type = {
        _tag: "FileComplaint",
        complaintId: input.complaintId,
        actor: request.actor,
        at: yield* now,
        ownerId: input.ownerId,
        documentId: input.documentId,
        subject: subjectOf(document),
        reason: input.reason,
        comment: input.comment ?? null,
        origin: input.origin ?? { _tag: "StoreView" },
        rejectWithinWorkingDays: policy.rejectWithinWorkingDays,
        handleWithinWorkingDays: policy.handleWithinWorkingDays
      }
      const { state } = yield* load(input.complaintId)
      yield* precheck(command, state)
      const outcome = yield* outcomeOf(yield* run(command, request, "file"), input.complaintId)
      const complaint = outcome.complaint
      // a race lost to a different filing under the same id replays that filing: refuse it
      if (complaint.ownerId !== input.ownerId || complaint.documentId !== input.documentId) {
        return yield* new Complaint.ComplaintAlreadyExists({
          complaintId: input.complaintId,
          message: `complaint ${input.complaintId} was already filed about another document: choose a new id`
        })
      }
      if (Complaint.isOpen(complaint)) {
        yield* onStore(
          { _tag: "FlagDocument", ownerId: complaint.ownerId, documentId: complaint.documentId, complaintId: complaint.id },
          request,
          complaint.id,
          "flag",
          "file"
        )
      }
      return outcome
    })

  const acknowledge = (input: AcknowledgeInput, request: Request) =>
    Effect.gen(function*() {
      const command: typeof Complaint.AcknowledgeComplaint.Type = {
        _tag: "AcknowledgeComplaint",
        complaintId: input.complaintId,
        actor: request.actor,
        at: yield* now,
        note: input.note ?? null
      }
      const { state } = yield* load(input.complaintId)
      yield* precheck(command, state)
      return yield* outcomeOf(yield* run(command, request, "acknowledge"), input.complaintId)
    })

  const resolveByCorrection = (input: CorrectionInput, request: Request) =>
    Effect.gen(function*() {
      const id = input.complaintId
      const provisional: typeof Complaint.ResolveComplaint.Type = {
        _tag: "ResolveComplaint",
        complaintId: id,
        actor: request.actor,
        at: yield* now,
        replacementId: input.replacement.documentId,
        resolution: input.resolution
      }
      const { state } = yield* load(id)
      const wouldAppend = yield* precheck(provisional, state)
      const complaint = state.complaint
      if (complaint === null) {
        return yield* new Complaint.ComplaintNotFound({ complaintId: id, message: `no complaint ${id} was filed` })
      }
      let replacementId = provisional.replacementId
      if (wouldAppend.length > 0) {
        const issued = yield* documents.issue(
          { ...input.replacement, ownerId: complaint.ownerId },
          metadata(request, id, "issue-replacement")
        )
        // a retry replays the first issue, whose id is the one to supersede with
        for (const event of issued.events) if (event._tag === "DocumentIssued") replacementId = event.documentId
      } else if (complaint.status._tag === "Resolved") {
        replacementId = complaint.status.replacementId
      }
      // the owner may have removed the document meanwhile: then there is nothing left to supersede
      const store = yield* readStore(complaint.ownerId)
      const old = store.documents.get(complaint.documentId)
      if (
        old !== undefined &&
        (old.status._tag === "Active" ||
          (old.status._tag === "Superseded" && old.status.replacementId === replacementId))
      ) {
        yield* onStore(
          {
            _tag: "SupersedeDocument",
            ownerId: complaint.ownerId,
            documentId: complaint.documentId,
            replacementId,
            reason: `Phản ánh ${id}: ${input.resolution}`
          },
          request,
          id,
          "supersede",
          "issue-replacement"
        )
      }
      const outcome = yield* outcomeOf(yield* run({ ...provisional, replacementId }, request, "resolve"), id)
      yield* unflag(outcome.complaint, request, "resolve")
      return outcome
    })

  const reject = (input: RejectInput, request: Request) =>
    Effect.gen(function*() {
      const command: typeof Complaint.RejectComplaint.Type = {
        _tag: "RejectComplaint",
        complaintId: input.complaintId,
        actor: request.actor,
        at: yield* now,
        reason: input.reason
      }
      const { state } = yield* load(input.complaintId)
      yield* precheck(command, state)
      const outcome = yield* outcomeOf(yield* run(command, request, "reject"), input.complaintId)
      yield* unflag(outcome.complaint, request, "reject")
      return outcome
    })

  const get = (complaintId: string, actor: Actor) =>
    Effect.gen(function*() {
      const { entry, state } = yield* load(complaintId)
      const complaint = state.complaint
      const allowed = complaint !== null && (
        DocumentStore.isOwner(actor, complaint.ownerId) || actor._tag === "Auditor" ||
        (actor._tag === "Officer" && actor.agencyCode === complaint.agencyCode)
      )
      // a refused read looks exactly like a missing complaint: a complaint id probes nothing
      if (complaint === null || entry === undefined || !allowed) {
        return yield* new Complaint.ComplaintNotFound({ complaintId, message: `no complaint ${complaintId} was filed` })
      }
      return { complaint, status: Complaint.statusLabel[complaint.status._tag], deadlines: entry }
    })

  return ComplaintService.of({
    file: (input, request) => file(input, request).pipe(Effect.withSpan("ComplaintService.file")),
    acknowledge: (input, request) => acknowledge(input, request).pipe(Effect.withSpan("ComplaintService.acknowledge")),
    resolveByCorrection: (input, request) =>
      resolveByCorrection(input, request).pipe(Effect.withSpan("ComplaintService.resolveByCorrection")),
    reject: (input, request) => reject(input, request).pipe(Effect.withSpan("ComplaintService.reject")),
    get
  })
})

/**
 * The service with the standard policy and the Vietnamese calendar; needs `EventStore` and
 * `DocumentStoreService`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<ComplaintService, never, EventStore | DocumentStoreService.DocumentStoreService> = Layer.effect(
  ComplaintService,
  make()
)
