/**
 * The complaint aggregate (phản ánh về kết quả giải quyết): one event stream per complaint, from the
 * owner filing it about a document in their store, through the issuing agency acknowledging it, to a
 * correction (a replacement issued into the owner's store) or a rejection with a reason.
 *
 * ```ts
 * const result = Complaint.decider.decide(command, state) // Result<events, ComplaintError>
 * ```
 *
 * Rules the decider enforces (see docs/complaints.md):
 * - only the owner of the store files, and only about a document an agency issued that is still
 *   active and not already under another open complaint — an upload has no issuing agency, so nobody
 *   could correct it ({@link ComplaintNotAccepted});
 * - the complaint is routed to the document's issuer: only an officer of that agency acknowledges,
 *   resolves or rejects it ({@link ComplaintForbidden} for anyone else, an officer of another agency
 *   included);
 * - Filed → Acknowledged → Resolved (corrected) | Rejected; a closed complaint stays closed;
 * - a rejected command appends nothing; a repeat of something already done appends nothing.
 *
 * The decider is pure: the document's facts (issuer, status, open complaints) come in the command as
 * a {@link Subject}, which `ComplaintService` reads from the owner's store; flagging, superseding and
 * unflagging the document are that service's job, in the `DocumentStore` stream.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { Actor, label as actorLabel } from "./Actor.ts"
import { roleProblem } from "./Authorization.ts"
import type { Decider } from "./Decider.ts"
import { documentIdProblem, Instant, Issuer } from "./Document.ts"
import { isOwner } from "./DocumentStore.ts"
import { Reason } from "./ComplaintPolicy.ts"
import { ownerIdProblem } from "./internal/ownerId.ts"

// -----------------------------------------------------------------------------------------------
// Values
// -----------------------------------------------------------------------------------------------

/**
 * Why `input` cannot be a complaint id (1–128 characters of `A–Z a–z 0–9 . _ : -`), or `undefined`.
 * Callers choose ids (a UUID is fine) so that a retried filing names the same complaint.
 *
 * @since 0.1.0
 */
export const complaintIdProblem = (input: string): string | undefined =>
  /^[A-Za-z0-9._:-]{1,128}$/.test(input)
    ? undefined
    : `a complaint id is 1–128 characters of letters, digits and . _ : -; got ${JSON.stringify(input)}`

/**
 * Where the owner filed from: the store view (Trường hợp 1 of the seed) or the pick-from-store dialog
 * while filling in a dossier component (Trường hợp 2), which names the dossier and the component.
 *
 * @since 0.1.0
 */
export const Origin = Schema.Union([
  Schema.TaggedStruct("StoreView", {}),
  Schema.TaggedStruct("PickFromStore", { dossierId: Schema.String, componentId: Schema.String })
])

/**
 * @since 0.1.0
 */
export type Origin = typeof Origin.Type

/**
 * What the owner's store says about the document when the complaint is filed.
 *
 * @since 0.1.0
 */
export const Subject = Schema.Struct({
  /** Mã giấy tờ, as the store shows it. */
  code: Schema.NullOr(Schema.String),
  name: Schema.String,
  issuer: Issuer,
  status: Schema.Literals(["Active", "Revoked", "Superseded", "Removed"]),
  /** The complaints already open about the document (from `Document.openComplaints`). */
  openComplaints: Schema.Array(Schema.String)
})

/**
 * @since 0.1.0
 */
export type Subject = typeof Subject.Type

/**
 * The longest comment accepted (characters).
 *
 * @since 0.1.0
 */
export const maxCommentLength = 2000

// -----------------------------------------------------------------------------------------------
// Commands
// -----------------------------------------------------------------------------------------------

const addressed = { complaintId: Schema.String, actor: Actor, at: Instant }

/**
 * The owner files a complaint about a document in their store, with one of the three reasons and an
 * optional comment. The deadlines in force (from `ComplaintPolicy`) are recorded with it.
 *
 * @since 0.1.0
 */
export const FileComplaint = Schema.TaggedStruct("FileComplaint", {
  ...addressed,
  ownerId: Schema.String,
  documentId: Schema.String,
  subject: Subject,
  reason: Reason,
  comment: Schema.NullOr(Schema.String),
  origin: Origin,
  rejectWithinWorkingDays: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  handleWithinWorkingDays: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
})

/**
 * An officer of the issuing agency takes the complaint in (Đã tiếp nhận).
 *
 * @since 0.1.0
 */
export const AcknowledgeComplaint = Schema.TaggedStruct("AcknowledgeComplaint", {
  ...addressed,
  note: Schema.NullOr(Schema.String)
})

/**
 * An officer of the issuing agency records that a corrected result, `replacementId`, was issued into
 * the owner's store in place of the document complained about.
 *
 * @since 0.1.0
 */
export const ResolveComplaint = Schema.TaggedStruct("ResolveComplaint", {
  ...addressed,
  replacementId: Schema.String,
  /** What was corrected, for the owner. */
  resolution: Schema.String
})

/**
 * An officer of the issuing agency rejects the complaint, saying why.
 *
 * @since 0.1.0
 */
export const RejectComplaint = Schema.TaggedStruct("RejectComplaint", {
  ...addressed,
  reason: Schema.String
})

/**
 * Every command of the complaint aggregate.
 *
 * @since 0.1.0
 */
export const Command = Schema.Union([FileComplaint, AcknowledgeComplaint, ResolveComplaint, RejectComplaint])

/**
 * @since 0.1.0
 */
export type Command = typeof Command.Type

// -----------------------------------------------------------------------------------------------
// Events
// -----------------------------------------------------------------------------------------------

/** Every event names the complaint, the document and the agency it is routed to. */
const about = {
  complaintId: Schema.String,
  ownerId: Schema.String,
  documentId: Schema.String,
  agencyCode: Schema.String,
  at: Instant
}

/**
 * The owner filed a complaint; it is routed to `agencyCode`, the document's issuer.
 *
 * @since 0.1.0
 */
export const ComplaintFiled = Schema.TaggedStruct("ComplaintFiled", {
  ...about,
  documentCode: Schema.NullOr(Schema.String),
  documentName: Schema.String,
  reason: Reason,
  comment: Schema.NullOr(Schema.String),
  origin: Origin,
  rejectWithinWorkingDays: Schema.Int,
  handleWithinWorkingDays: Schema.Int
})

/**
 * The issuing agency acknowledged the complaint.
 *
 * @since 0.1.0
 */
export const ComplaintAcknowledged = Schema.TaggedStruct("ComplaintAcknowledged", {
  ...about,
  officerId: Schema.String,
  note: Schema.NullOr(Schema.String)
})

/**
 * The issuing agency corrected the result: `replacementId` replaces the document in the owner's store.
 *
 * @since 0.1.0
 */
export const ComplaintResolved = Schema.TaggedStruct("ComplaintResolved", {
  ...about,
  officerId: Schema.String,
  replacementId: Schema.String,
  resolution: Schema.String
})

/**
 * The issuing agency rejected the complaint.
 *
 * @since 0.1.0
 */
export const ComplaintRejected = Schema.TaggedStruct("ComplaintRejected", {
  ...about,
  officerId: Schema.String,
  reason: Schema.String
})

/**
 * Every event of the complaint aggregate; its JSON encoding is the event's `data` in the log.
 *
 * @since 0.1.0
 */
export const Event = Schema.Union([ComplaintFiled, ComplaintAcknowledged, ComplaintResolved, ComplaintRejected])

/**
 * @since 0.1.0
 */
export type Event = typeof Event.Type

/**
 * The event types of the aggregate, for projections' `eventTypes`.
 *
 * @since 0.1.0
 */
export const eventTypes: ReadonlyArray<Event["_tag"]> = [
  "ComplaintFiled",
  "ComplaintAcknowledged",
  "ComplaintResolved",
  "ComplaintRejected"
]

// -----------------------------------------------------------------------------------------------
// Errors (validation, illegal state, not found, forbidden)
// -----------------------------------------------------------------------------------------------

/**
 * Validation: a field of the command is malformed (`reason` says which rule).
 *
 * @since 0.1.0
 */
export class InvalidComplaint extends Schema.TaggedError<InvalidComplaint>()("InvalidComplaint", {
  complaintId: Schema.String,
  reason: Schema.Literals(["InvalidComplaintId", "InvalidOwnerId", "InvalidDocumentId", "InvalidField"]),
  message: Schema.String
}) {}

/**
 * Validation: the document cannot be complained about — no agency issued it (an upload, or a paper
 * original whose issuer has no agency code), it is no longer active, or another complaint about it
 * is open.
 *
 * @since 0.1.0
 */
export class ComplaintNotAccepted extends Schema.TaggedError<ComplaintNotAccepted>()("ComplaintNotAccepted", {
  complaintId: Schema.String,
  ownerId: Schema.String,
  documentId: Schema.String,
  reason: Schema.Literals(["NotIssuedByAgency", "DocumentNotActive", "AlreadyUnderComplaint"]),
  message: Schema.String
}) {}

/**
 * Not found: no complaint with this id was filed.
 *
 * @since 0.1.0
 */
export class ComplaintNotFound extends Schema.TaggedError<ComplaintNotFound>()("ComplaintNotFound", {
  complaintId: Schema.String,
  message: Schema.String
}) {}

/**
 * Illegal state: a different complaint was already filed under this id.
 *
 * @since 0.1.0
 */
export class ComplaintAlreadyExists extends Schema.TaggedError<ComplaintAlreadyExists>()("ComplaintAlreadyExists", {
  complaintId: Schema.String,
  message: Schema.String
}) {}

/**
 * Illegal state: the complaint's status forbids the command (resolving before acknowledging,
 * rejecting a corrected complaint…).
 *
 * @since 0.1.0
 */
export class IllegalComplaintState extends Schema.TaggedError<IllegalComplaintState>()("IllegalComplaintState", {
  complaintId: Schema.String,
  status: Schema.String,
  message: Schema.String
}) {}

/**
 * Forbidden: the actor may not do this to this complaint (not the owner; not an officer of the
 * agency the complaint is routed to).
 *
 * @since 0.1.0
 */
export class ComplaintForbidden extends Schema.TaggedError<ComplaintForbidden>()("ComplaintForbidden", {
  complaintId: Schema.String,
  actor: Schema.String,
  message: Schema.String
}) {}

/**
 * Every domain error of the complaint aggregate.
 *
 * @since 0.1.0
 */
export type ComplaintError =
  | InvalidComplaint
  | ComplaintNotAccepted
  | ComplaintNotFound
  | ComplaintAlreadyExists
  | IllegalComplaintState
  | ComplaintForbidden

/**
 * The kind of an error in Emmett's taxonomy, for callers that map errors to responses.
 *
 * @since 0.1.0
 */
export const category = (error: ComplaintError): "validation" | "not-found" | "illegal-state" | "forbidden" => {
  switch (error._tag) {
    case "InvalidComplaint":
    case "ComplaintNotAccepted":
      return "validation"
    case "ComplaintNotFound":
      return "not-found"
    case "ComplaintAlreadyExists":
    case "IllegalComplaintState":
      return "illegal-state"
    case "ComplaintForbidden":
      return "forbidden"
  }
}

// -----------------------------------------------------------------------------------------------
// State
// -----------------------------------------------------------------------------------------------

/**
 * Where a complaint stands.
 *
 * @since 0.1.0
 */
export const Status = Schema.Union([
  Schema.TaggedStruct("Filed", {}),
  Schema.TaggedStruct("Acknowledged", { at: Instant, officerId: Schema.String, note: Schema.NullOr(Schema.String) }),
  Schema.TaggedStruct("Resolved", {
    at: Instant,
    officerId: Schema.String,
    replacementId: Schema.String,
    resolution: Schema.String
  }),
  Schema.TaggedStruct("Rejected", { at: Instant, officerId: Schema.String, reason: Schema.String })
])

/**
 * @since 0.1.0
 */
export type Status = typeof Status.Type

/**
 * What the owner sees for each status.
 *
 * @since 0.1.0
 */
export const statusLabel: { readonly [K in Status["_tag"]]: { readonly vi: string; readonly en: string } } = {
  Filed: { vi: "Đã gửi phản ánh", en: "Filed" },
  Acknowledged: { vi: "Cơ quan cấp kết quả đã tiếp nhận", en: "Acknowledged by the issuing agency" },
  Resolved: { vi: "Đã cập nhật lại kết quả điện tử vào kho", en: "Corrected: a replacement is in your store" },
  Rejected: { vi: "Phản ánh không được chấp nhận", en: "Rejected" }
}

/**
 * A complaint as the owner and the agency see it.
 *
 * @since 0.1.0
 */
export const Complaint = Schema.Struct({
  id: Schema.String,
  ownerId: Schema.String,
  documentId: Schema.String,
  documentCode: Schema.NullOr(Schema.String),
  documentName: Schema.String,
  /** The issuing agency the complaint is routed to. */
  agencyCode: Schema.String,
  reason: Reason,
  comment: Schema.NullOr(Schema.String),
  origin: Origin,
  filedAt: Instant,
  rejectWithinWorkingDays: Schema.Int,
  handleWithinWorkingDays: Schema.Int,
  /** Who acknowledged it and when, kept after it closes. */
  acknowledged: Schema.NullOr(Schema.Struct({ at: Instant, officerId: Schema.String })),
  status: Status,
  updatedAt: Instant
})

/**
 * @since 0.1.0
 */
export type Complaint = typeof Complaint.Type

/**
 * The state of one complaint stream: nothing before filing.
 *
 * @since 0.1.0
 */
export interface State {
  readonly complaint: Complaint | null
}

/**
 * No complaint filed.
 *
 * @since 0.1.0
 */
export const initialState: State = { complaint: null }

/**
 * Whether the complaint is still open (filed or acknowledged): its document stays flagged.
 *
 * @since 0.1.0
 */
export const isOpen = (complaint: Complaint): boolean =>
  complaint.status._tag === "Filed" || complaint.status._tag === "Acknowledged"

const change = (state: State, at: string, patch: (complaint: Complaint) => Partial<Complaint>): State =>
  state.complaint === null ? state : { complaint: { ...state.complaint, ...patch(state.complaint), updatedAt: at } }

/**
 * Folds one event into the state. Total: every event tag is handled, with no default.
 *
 * @since 0.1.0
 */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "ComplaintFiled":
      return {
        complaint: {
          id: event.complaintId,
          ownerId: event.ownerId,
          documentId: event.documentId,
          documentCode: event.documentCode,
          documentName: event.documentName,
          agencyCode: event.agencyCode,
          reason: event.reason,
          comment: event.comment,
          origin: event.origin,
          filedAt: event.at,
          rejectWithinWorkingDays: event.rejectWithinWorkingDays,
          handleWithinWorkingDays: event.handleWithinWorkingDays,
          acknowledged: null,
          status: { _tag: "Filed" },
          updatedAt: event.at
        }
      }
    case "ComplaintAcknowledged":
      return change(state, event.at, () => ({
        acknowledged: { at: event.at, officerId: event.officerId },
        status: { _tag: "Acknowledged", at: event.at, officerId: event.officerId, note: event.note }
      }))
    case "ComplaintResolved":
      return change(state, event.at, () => ({
        status: {
          _tag: "Resolved",
          at: event.at,
          officerId: event.officerId,
          replacementId: event.replacementId,
          resolution: event.resolution
        }
      }))
    case "ComplaintRejected":
      return change(state, event.at, () => ({
        status: { _tag: "Rejected", at: event.at, officerId: event.officerId, reason: event.reason }
      }))
  }
}

// -----------------------------------------------------------------------------------------------
// Decide
// -----------------------------------------------------------------------------------------------

/**
 * What `decide` returns: the events to append (none when the command changes nothing), or the refusal.
 *
 * @since 0.1.0
 */
export type Decision = Result.Result<ReadonlyArray<Event>, ComplaintError>

const none: Decision = Result.succeed([])
const emit = (event: Event): Decision => Result.succeed([event])

const invalid = (complaintId: string, reason: InvalidComplaint["reason"], message: string): Decision =>
  Result.fail(new InvalidComplaint({ complaintId, reason, message }))

const forbidden = (complaintId: string, actor: Actor, message: string): Decision =>
  Result.fail(new ComplaintForbidden({ complaintId, actor: actorLabel(actor), message }))

const illegal = (complaint: Complaint, message: string): Decision =>
  Result.fail(new IllegalComplaintState({ complaintId: complaint.id, status: complaint.status._tag, message }))

const describe = (complaint: Complaint): string => {
  const status = complaint.status
  switch (status._tag) {
    case "Filed":
      return `filed on ${complaint.filedAt} and not yet acknowledged`
    case "Acknowledged":
      return `acknowledged by ${status.officerId} on ${status.at}`
    case "Resolved":
      return `resolved on ${status.at}: document ${complaint.documentId} was replaced by ${status.replacementId}`
    case "Rejected":
      return `rejected on ${status.at} (${status.reason})`
  }
}

/** A free text that may be null but not blank, and not longer than `max`. */
const textProblem = (label: string, value: string | null, required: boolean, max = maxCommentLength) => {
  if (value === null) return required ? `the ${label} is required` : undefined
  if (value.trim().length === 0) return required ? `the ${label} is required` : `the ${label} is blank: leave it out or write it`
  if (value.length > max) return `the ${label} has at most ${max} characters; got ${value.length}`
  return undefined
}

/**
 * Why `actor` may not file a complaint about a document in the store of `ownerId`, or `undefined`.
 * Services call it before reading the store, so a stranger learns nothing about its documents.
 *
 * @since 0.1.0
 */
export const filerProblem = (actor: Actor, ownerId: string): string | undefined =>
  isOwner(actor, ownerId)
    ? undefined
    : `only the owner ${ownerId} may complain about a document of their store; ${actorLabel(actor)} is not the owner`

/**
 * Why `actor` may not handle (acknowledge, resolve, reject) `complaint`, or `undefined`: only an
 * officer of the agency it is routed to may.
 *
 * @since 0.1.0
 */
export const handlerProblem = (actor: Actor, complaint: Complaint, action: string): string | undefined => {
  if (actor._tag !== "Officer") {
    return `only an officer of the issuing agency ${complaint.agencyCode} may ${action} complaint ${complaint.id}; ${
      actorLabel(actor)
    } is not an agency officer`
  }
  if (actor.agencyCode !== complaint.agencyCode) {
    return `complaint ${complaint.id} is addressed to the issuing agency ${complaint.agencyCode}; an officer of ${actor.agencyCode} may not ${action} it`
  }
  return roleProblem(actor, "handle-complaints", `${action} complaint ${complaint.id}`) ?? undefined
}

/** The complaint, its handler checked, or the decision refusing the command. */
const routed = (
  state: State,
  command: { readonly complaintId: string; readonly actor: Actor },
  action: string
): Complaint | Decision => {
  const complaint = state.complaint
  if (complaint === null) {
    return Result.fail(
      new ComplaintNotFound({ complaintId: command.complaintId, message: `no complaint ${command.complaintId} was filed` })
    )
  }
  const problem = handlerProblem(command.actor, complaint, action)
  return problem === undefined ? complaint : forbidden(complaint.id, command.actor, problem)
}

const isDecision = (value: Complaint | Decision): value is Decision => Result.isResult(value)

const aboutOf = (complaint: Complaint, at: string) => ({
  complaintId: complaint.id,
  ownerId: complaint.ownerId,
  documentId: complaint.documentId,
  agencyCode: complaint.agencyCode,
  at
})

const officerIdOf = (actor: Actor): string => actor._tag === "Officer" ? actor.officerId : actorLabel(actor)

const decideFile = (command: typeof FileComplaint.Type, state: State): Decision => {
  const id = command.complaintId
  const idProblem = complaintIdProblem(id)
  if (idProblem !== undefined) return invalid(id, "InvalidComplaintId", idProblem)
  const ownerProblem = ownerIdProblem(command.ownerId)
  if (ownerProblem !== undefined) return invalid(id, "InvalidOwnerId", ownerProblem)
  const documentProblem = documentIdProblem(command.documentId)
  if (documentProblem !== undefined) return invalid(id, "InvalidDocumentId", documentProblem)
  const notOwner = filerProblem(command.actor, command.ownerId)
  if (notOwner !== undefined) return forbidden(id, command.actor, notOwner)

  const existing = state.complaint
  if (existing !== null) {
    return existing.ownerId === command.ownerId && existing.documentId === command.documentId &&
        existing.reason === command.reason
      ? none
      : Result.fail(
        new ComplaintAlreadyExists({
          complaintId: id,
          message: `complaint ${id} was already filed about document ${existing.documentId} of ${existing.ownerId}: choose a new id`
        })
      )
  }

  const commentProblem = textProblem("comment", command.comment, false)
  if (commentProblem !== undefined) return invalid(id, "InvalidField", commentProblem)
  const origin = command.origin
  if (
    origin._tag === "PickFromStore" && (origin.dossierId.trim().length === 0 || origin.componentId.trim().length === 0)
  ) {
    return invalid(id, "InvalidField", "a complaint from the pick-from-store dialog names the dossier and the component")
  }

  const notAccepted = (reason: ComplaintNotAccepted["reason"], message: string): Decision =>
    Result.fail(new ComplaintNotAccepted({ complaintId: id, ownerId: command.ownerId, documentId: command.documentId, reason, message }))
  const subject = command.subject
  const issuer = subject.issuer
  switch (issuer._tag) {
    case "Owner":
      return notAccepted(
        "NotIssuedByAgency",
        `document ${command.documentId} was uploaded by its owner; no agency issued it, so no agency can correct it: ` +
          `replace the file yourself, or remove the document`
      )
    case "Named":
      return notAccepted(
        "NotIssuedByAgency",
        `document ${command.documentId} was digitised from a paper issued by "${issuer.name}", which has no agency code: ` +
          `ask that issuer for a corrected original`
      )
    case "Agency":
      break
  }
  if (subject.status !== "Active") {
    return notAccepted(
      "DocumentNotActive",
      `document ${command.documentId} is ${subject.status.toLowerCase()}; complain about the document that replaced it, if any`
    )
  }
  const others = subject.openComplaints.filter((other) => other !== id)
  if (others.length > 0) {
    return notAccepted(
      "AlreadyUnderComplaint",
      `document ${command.documentId} is already under complaint ${others.join(", ")}; wait for the agency's answer to it`
    )
  }
  return emit({
    _tag: "ComplaintFiled",
    complaintId: id,
    ownerId: command.ownerId,
    documentId: command.documentId,
    agencyCode: issuer.agencyCode,
    at: command.at,
    documentCode: subject.code,
    documentName: subject.name,
    reason: command.reason,
    comment: command.comment,
    origin,
    rejectWithinWorkingDays: command.rejectWithinWorkingDays,
    handleWithinWorkingDays: command.handleWithinWorkingDays
  })
}

const decideAcknowledge = (command: typeof AcknowledgeComplaint.Type, state: State): Decision => {
  const complaint = routed(state, command, "acknowledge")
  if (isDecision(complaint)) return complaint
  const noteProblem = textProblem("note", command.note, false)
  if (noteProblem !== undefined) return invalid(complaint.id, "InvalidField", noteProblem)
  switch (complaint.status._tag) {
    case "Acknowledged":
      return none
    case "Resolved":
    case "Rejected":
      return illegal(complaint, `complaint ${complaint.id} cannot be acknowledged: it was ${describe(complaint)}`)
    case "Filed":
      return emit({
        _tag: "ComplaintAcknowledged",
        ...aboutOf(complaint, command.at),
        officerId: officerIdOf(command.actor),
        note: command.note
      })
  }
}

const decideResolve = (command: typeof ResolveComplaint.Type, state: State): Decision => {
  const complaint = routed(state, command, "resolve")
  if (isDecision(complaint)) return complaint
  const replacementProblem = documentIdProblem(command.replacementId)
  if (replacementProblem !== undefined) return invalid(complaint.id, "InvalidDocumentId", replacementProblem)
  if (command.replacementId === complaint.documentId) {
    return invalid(
      complaint.id,
      "InvalidField",
      `the replacement must be a new document, not ${complaint.documentId} itself: issue a corrected result under a new id`
    )
  }
  const resolutionProblem = textProblem("resolution", command.resolution, true)
  if (resolutionProblem !== undefined) return invalid(complaint.id, "InvalidField", resolutionProblem)
  const status = complaint.status
  switch (status._tag) {
    case "Resolved":
      return status.replacementId === command.replacementId
        ? none
        : illegal(complaint, `complaint ${complaint.id} was already ${describe(complaint)}`)
    case "Rejected":
      return illegal(complaint, `complaint ${complaint.id} cannot be resolved: it was ${describe(complaint)}`)
    case "Filed":
      return illegal(complaint, `acknowledge complaint ${complaint.id} before resolving it`)
    case "Acknowledged":
      return emit({
        _tag: "ComplaintResolved",
        ...aboutOf(complaint, command.at),
        officerId: officerIdOf(command.actor),
        replacementId: command.replacementId,
        resolution: command.resolution
      })
  }
}

const decideReject = (command: typeof RejectComplaint.Type, state: State): Decision => {
  const complaint = routed(state, command, "reject")
  if (isDecision(complaint)) return complaint
  const reasonProblem = textProblem("reason for rejecting", command.reason, true)
  if (reasonProblem !== undefined) return invalid(complaint.id, "InvalidField", reasonProblem)
  switch (complaint.status._tag) {
    case "Rejected":
      return none
    case "Resolved":
      return illegal(complaint, `complaint ${complaint.id} cannot be rejected: it was ${describe(complaint)}`)
    case "Filed":
      return illegal(complaint, `acknowledge complaint ${complaint.id} before rejecting it`)
    case "Acknowledged":
      return emit({
        _tag: "ComplaintRejected",
        ...aboutOf(complaint, command.at),
        officerId: officerIdOf(command.actor),
        reason: command.reason
      })
  }
}

/**
 * Decides a command against the state of its complaint stream.
 *
 * @since 0.1.0
 */
export const decide = (command: Command, state: State): Decision => {
  switch (command._tag) {
    case "FileComplaint":
      return decideFile(command, state)
    case "AcknowledgeComplaint":
      return decideAcknowledge(command, state)
    case "ResolveComplaint":
      return decideResolve(command, state)
    case "RejectComplaint":
      return decideReject(command, state)
  }
}

/**
 * The decider type of the complaint aggregate.
 *
 * @since 0.1.0
 */
export type ComplaintDecider = Decider<State, Command, Event, ComplaintError>

/**
 * The complaint decider: stream `Complaint-<complaintId>`.
 *
 * @since 0.1.0
 */
export const decider: ComplaintDecider = {
  name: "Complaint",
  initialState,
  decide,
  evolve,
  eventSchema: Event
}
