/**
 * The dossier aggregate (hồ sơ): one event stream per dossier, from the draft a citizen (or an
 * officer at the counter) fills in, through submission and numbering, to the officer's receipt,
 * requests for supplements, rejection or the issued result (into the owner's store, or on paper).
 *
 * ```ts
 * const result = Dossier.decider.decide(command, state) // Result<events, DossierError>
 * ```
 *
 * Rules the decider enforces (see docs/dossier.md):
 * - only the owner or the submitter edits a draft (and, for a dossier opened at the counter, an
 *   officer of the deciding agency); only an officer of the deciding agency receives, asks for
 *   supplements, rejects or issues the result;
 * - every component is satisfied in one of five ways, kept apart in the events because the reuse-rate
 *   KPI counts them apart (see {@link reuseOf});
 * - submitting lists every missing mandatory component at once ({@link MissingComponents});
 * - the number is assigned after submission, and must name the deciding agency and the day of
 *   submission (see `DossierNumbering` for the gap-free sequence);
 * - a rejected command appends nothing; a repeat of something already done appends nothing.
 *
 * Commands carry their actor and time (`at`): the decider stays pure. The dossier keeps a snapshot of
 * the procedure's requirements taken when the draft was created, so a later change of the catalog
 * never changes what an old dossier needed.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { Actor, label as actorLabel } from "./Actor.ts"
import { type Role, roleProblem } from "./Authorization.ts"
import * as AgencyCode from "./AgencyCode.ts"
import type { Decider } from "./Decider.ts"
import { Instant, Sha256 } from "./Document.ts"
import * as DossierNumber from "./DossierNumber.ts"
import { canonicalJson } from "./internal/canonicalJson.ts"
import { fromEpochDay } from "./internal/isoDate.ts"
import { ownerIdProblem } from "./internal/ownerId.ts"

// -----------------------------------------------------------------------------------------------
// Values
// -----------------------------------------------------------------------------------------------

/**
 * Why `input` cannot be a dossier id (1–128 characters of `A–Z a–z 0–9 . _ : -`), or `undefined`.
 * Callers choose ids (a UUID is fine) so that a retried "create draft" names the same dossier.
 *
 * @since 0.1.0
 */
export const dossierIdProblem = (input: string): string | undefined =>
  /^[A-Za-z0-9._:-]{1,128}$/.test(input)
    ? undefined
    : `a dossier id is 1–128 characters of letters, digits and . _ : -; got ${JSON.stringify(input)}`

/**
 * Through which channel the dossier came in.
 *
 * @since 0.1.0
 */
export const Channel = Schema.Literals(["online", "counter", "post"])

/**
 * @since 0.1.0
 */
export type Channel = typeof Channel.Type

/**
 * Hình thức nộp hồ sơ: how the originals reach the agency (step 8 of the seed's Appendix II part II).
 *
 * @since 0.1.0
 */
export const SubmissionMethod = Schema.Literals(["Online", "AtOffice", "ByPost"])

/**
 * @since 0.1.0
 */
export type SubmissionMethod = typeof SubmissionMethod.Type

/**
 * Hình thức nhận kết quả: where the result is handed over. `ByPost` needs a delivery address.
 *
 * @since 0.1.0
 */
export const ReceiptMethod = Schema.Literals(["AtCommuneOffice", "AtAgency", "ByPost", "Online"])

/**
 * @since 0.1.0
 */
export type ReceiptMethod = typeof ReceiptMethod.Type

/**
 * A code and its name, as the catalog shows them (procedure, case).
 *
 * @since 0.1.0
 */
export const Named = Schema.Struct({ code: Schema.String, name: Schema.String })

/**
 * @since 0.1.0
 */
export type Named = typeof Named.Type

/**
 * Người nộp: the person who submits, who may differ from the owner (Chủ hồ sơ).
 *
 * @since 0.1.0
 */
export const Submitter = Schema.Struct({ personalId: Schema.String, name: Schema.NullOr(Schema.String) })

/**
 * @since 0.1.0
 */
export type Submitter = typeof Submitter.Type

/**
 * One component the procedure requires (thành phần hồ sơ), as snapshotted into the dossier.
 *
 * @since 0.1.0
 */
export const Requirement = Schema.Struct({
  componentId: Schema.String,
  name: Schema.String,
  mandatory: Schema.Boolean
})

/**
 * @since 0.1.0
 */
export type Requirement = typeof Requirement.Type

/**
 * How a component was satisfied.
 *
 * - `AutoAttached`: the only eligible document in the owner's store, attached by the system;
 * - `PickedFromStore`: one of several eligible documents, chosen by the citizen ("Lấy từ kho");
 * - `Uploaded`: a file uploaded for this dossier only (no reuse);
 * - `ScannedAtCounter`: paper scanned by an officer into the owner's store (digitised), then attached;
 * - `EarlierResult`: the result of an earlier dossier of the same owner.
 *
 * Store documents are referenced with the SHA-256 of the file attached: a later file replacement in
 * the store does not change what was submitted.
 *
 * @since 0.1.0
 */
export const Source = Schema.Union([
  Schema.TaggedStruct("AutoAttached", { documentId: Schema.String, sha256: Sha256 }),
  Schema.TaggedStruct("PickedFromStore", { documentId: Schema.String, sha256: Sha256 }),
  Schema.TaggedStruct("Uploaded", {
    sha256: Sha256,
    size: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
    mediaType: Schema.String,
    fileName: Schema.String
  }),
  Schema.TaggedStruct("ScannedAtCounter", {
    documentId: Schema.String,
    sha256: Sha256,
    agencyCode: Schema.String,
    officerId: Schema.String
  }),
  Schema.TaggedStruct("EarlierResult", {
    dossierNumber: Schema.String,
    dossierId: Schema.String,
    /** The result document in the owner's store, when the earlier result was issued into it. */
    documentId: Schema.NullOr(Schema.String)
  })
])

/**
 * @since 0.1.0
 */
export type Source = typeof Source.Type

/**
 * What the reuse-rate KPI counts a component as: reused from the store, reused from an earlier dossier
 * or its result, digitised at the counter, or not reused at all.
 *
 * @since 0.1.0
 */
export const ReuseKind = Schema.Literals(["Store", "EarlierDossier", "Digitised", "None"])

/**
 * @since 0.1.0
 */
export type ReuseKind = typeof ReuseKind.Type

/**
 * The reuse kind of a source. An upload is never reuse; an auto-attached or picked store document
 * is "Store" whatever put it in the store.
 *
 * @since 0.1.0
 */
export const reuseOf = (source: Source): ReuseKind => reuseOfSatisfaction(source._tag)

/**
 * The reuse kind of a way of satisfying a component (a {@link Source} tag): the one classification
 * the dossier's events and the KPIs share.
 *
 * @since 0.1.0
 */
export const reuseOfSatisfaction = (satisfiedBy: Source["_tag"]): ReuseKind => {
  switch (satisfiedBy) {
    case "AutoAttached":
    case "PickedFromStore":
      return "Store"
    case "EarlierResult":
      return "EarlierDossier"
    case "ScannedAtCounter":
      return "Digitised"
    case "Uploaded":
      return "None"
  }
}

/**
 * The store document a component uses, if any: what `RecordUse` counts on that document (Số lần sử
 * dụng). An earlier dossier's result is a use of that dossier, not of a store document; an upload uses
 * nothing.
 *
 * @since 0.1.0
 */
export const storeUseOf = (source: Source): string | null => {
  switch (source._tag) {
    case "AutoAttached":
    case "PickedFromStore":
    case "ScannedAtCounter":
      return source.documentId
    case "EarlierResult":
    case "Uploaded":
      return null
  }
}

/**
 * A satisfied component, as `DossierReceived` lists it for the KPI projections.
 *
 * @since 0.1.0
 */
export const ComponentSummary = Schema.Struct({
  componentId: Schema.String,
  satisfiedBy: Schema.Literals(["AutoAttached", "PickedFromStore", "Uploaded", "ScannedAtCounter", "EarlierResult"]),
  reuse: ReuseKind
})

/**
 * @since 0.1.0
 */
export type ComponentSummary = typeof ComponentSummary.Type

/**
 * One document of an issued result, already in the owner's store.
 *
 * @since 0.1.0
 */
export const ResultDocument = Schema.Struct({
  documentId: Schema.String,
  kind: Schema.Literals(["Result", "CertifiedCopy"]),
  name: Schema.String
})

/**
 * @since 0.1.0
 */
export type ResultDocument = typeof ResultDocument.Type

/**
 * One paper of a result handed over on paper (no file enters the owner's store): what it is and its
 * name, e.g. `{ kind: "Result", name: "Giấy chứng nhận kết hôn (bản giấy)" }`.
 *
 * @since 0.1.0
 */
export const PaperDocument = Schema.Struct({
  kind: Schema.Literals(["Result", "CertifiedCopy"]),
  name: Schema.String
})

/**
 * @since 0.1.0
 */
export type PaperDocument = typeof PaperDocument.Type

/**
 * How a dossier's result was issued: `Electronic` (its documents are in the owner's store,
 * {@link ResultIssued}) or `Paper` (handed over on paper only, {@link PaperResultIssued}). The
 * electronic-result rate is electronic ÷ both.
 *
 * @since 0.1.0
 */
export type ResultForm = "Electronic" | "Paper"

const VIETNAM_OFFSET_MILLIS = 7 * 60 * 60 * 1000
const DAY_MILLIS = 24 * 60 * 60 * 1000

/**
 * The calendar day in Vietnam (UTC+7, no daylight saving) of an ISO instant: the day a dossier
 * submitted at `2024-03-19T17:30:00.000Z` is numbered under is 2024-03-20.
 *
 * @since 0.1.0
 */
export const vietnamDay = (instant: string): string =>
  fromEpochDay(Math.floor((Date.parse(instant) + VIETNAM_OFFSET_MILLIS) / DAY_MILLIS))

// -----------------------------------------------------------------------------------------------
// Commands
// -----------------------------------------------------------------------------------------------

const target = { dossierId: Schema.String, actor: Actor, at: Instant }

/**
 * Opens a draft: procedure, deciding agency, case, district and commune (step 5), submitter and owner
 * (step 6), and the procedure's requirements as of now.
 *
 * @since 0.1.0
 */
export const CreateDraft = Schema.TaggedStruct("CreateDraft", {
  ...target,
  procedure: Named,
  agencyCode: Schema.String,
  case: Named,
  district: Schema.String,
  commune: Schema.String,
  channel: Channel,
  submitter: Submitter,
  ownerId: Schema.String,
  requirements: Schema.Array(Requirement)
})

/**
 * Satisfies a component.
 *
 * @since 0.1.0
 */
export const AttachComponent = Schema.TaggedStruct("AttachComponent", {
  ...target,
  componentId: Schema.String,
  source: Source
})

/**
 * Removes what satisfied a component.
 *
 * @since 0.1.0
 */
export const DetachComponent = Schema.TaggedStruct("DetachComponent", { ...target, componentId: Schema.String })

/**
 * Chooses how the originals are submitted and how the result is received (step 8).
 *
 * @since 0.1.0
 */
export const ChooseMethods = Schema.TaggedStruct("ChooseMethods", {
  ...target,
  submission: SubmissionMethod,
  receipt: ReceiptMethod,
  deliveryAddress: Schema.NullOr(Schema.String)
})

/**
 * Submits the draft (step 9, "Nộp hồ sơ").
 *
 * @since 0.1.0
 */
export const Submit = Schema.TaggedStruct("Submit", { ...target })

/**
 * Gives a submitted dossier its number, allocated by `DossierNumbering`.
 *
 * @since 0.1.0
 */
export const AssignNumber = Schema.TaggedStruct("AssignNumber", { ...target, number: Schema.String })

/**
 * An officer of the deciding agency receives the dossier (tiếp nhận).
 *
 * @since 0.1.0
 */
export const Receive = Schema.TaggedStruct("Receive", { ...target })

/**
 * An officer asks for supplements (yêu cầu bổ sung), naming the components to redo.
 *
 * @since 0.1.0
 */
export const RequestSupplement = Schema.TaggedStruct("RequestSupplement", {
  ...target,
  reason: Schema.String,
  componentIds: Schema.Array(Schema.String)
})

/**
 * The owner or submitter hands in the supplements asked for.
 *
 * @since 0.1.0
 */
export const ProvideSupplement = Schema.TaggedStruct("ProvideSupplement", { ...target })

/**
 * An officer rejects the dossier, with a reason the citizen reads.
 *
 * @since 0.1.0
 */
export const Reject = Schema.TaggedStruct("Reject", { ...target, reason: Schema.String })

/**
 * An officer records the result, whose documents were already issued into the owner's store.
 *
 * @since 0.1.0
 */
export const IssueResult = Schema.TaggedStruct("IssueResult", { ...target, documents: Schema.Array(ResultDocument) })

/**
 * An officer records a result issued on paper only (kết quả giấy): nothing enters the owner's store,
 * so the result cannot be reused from it later. Recording it is what lets the electronic-result rate
 * count the results that were *not* electronic.
 *
 * @since 0.1.0
 */
export const IssuePaperResult = Schema.TaggedStruct("IssuePaperResult", {
  ...target,
  documents: Schema.Array(PaperDocument)
})

/**
 * Every command of the dossier.
 *
 * @since 0.1.0
 */
export const Command = Schema.Union([
  CreateDraft,
  AttachComponent,
  DetachComponent,
  ChooseMethods,
  Submit,
  AssignNumber,
  Receive,
  RequestSupplement,
  ProvideSupplement,
  Reject,
  IssueResult,
  IssuePaperResult
])

/**
 * @since 0.1.0
 */
export type Command = typeof Command.Type

// -----------------------------------------------------------------------------------------------
// Events
// -----------------------------------------------------------------------------------------------

const about = { dossierId: Schema.String, at: Instant }

/** What every event after numbering carries, so a reactor (notifications, KPIs) needs no fold. */
const numbered = {
  ...about,
  number: Schema.String,
  ownerId: Schema.String,
  agencyCode: Schema.String,
  procedure: Schema.String
}

/**
 * A draft was opened.
 *
 * @since 0.1.0
 */
export const DraftCreated = Schema.TaggedStruct("DraftCreated", {
  ...about,
  procedure: Named,
  agencyCode: Schema.String,
  case: Named,
  district: Schema.String,
  commune: Schema.String,
  channel: Channel,
  submitter: Submitter,
  ownerId: Schema.String,
  requirements: Schema.Array(Requirement)
})

/**
 * A component was satisfied; `source` says how (what the reuse rate counts).
 *
 * @since 0.1.0
 */
export const ComponentAttached = Schema.TaggedStruct("ComponentAttached", {
  ...about,
  componentId: Schema.String,
  source: Source
})

/**
 * A component's attachment was removed; `source` is what was removed.
 *
 * @since 0.1.0
 */
export const ComponentDetached = Schema.TaggedStruct("ComponentDetached", {
  ...about,
  componentId: Schema.String,
  source: Source
})

/**
 * Submission and receipt methods were chosen.
 *
 * @since 0.1.0
 */
export const MethodsChosen = Schema.TaggedStruct("MethodsChosen", {
  ...about,
  submission: SubmissionMethod,
  receipt: ReceiptMethod,
  deliveryAddress: Schema.NullOr(Schema.String)
})

/**
 * The dossier was submitted; its number follows in {@link DossierNumberAssigned}. `submittedOn` is
 * the Vietnamese calendar day the number is taken from.
 *
 * @since 0.1.0
 */
export const DossierSubmitted = Schema.TaggedStruct("DossierSubmitted", {
  ...about,
  ownerId: Schema.String,
  agencyCode: Schema.String,
  procedure: Schema.String,
  submittedOn: Schema.String
})

/**
 * The submitted dossier got its number: the moment the citizen is told "submitted, number …".
 *
 * @since 0.1.0
 */
export const DossierNumberAssigned = Schema.TaggedStruct("DossierNumberAssigned", {
  ...numbered,
  submittedOn: Schema.String,
  channel: Channel
})

/**
 * An officer received the dossier. `components` says how each satisfied component was satisfied, so
 * the reuse-rate projection counts received dossiers without folding them.
 *
 * @since 0.1.0
 */
export const DossierReceived = Schema.TaggedStruct("DossierReceived", {
  ...numbered,
  officerId: Schema.String,
  components: Schema.Array(ComponentSummary)
})

/**
 * An officer asked for supplements.
 *
 * @since 0.1.0
 */
export const SupplementRequested = Schema.TaggedStruct("SupplementRequested", {
  ...numbered,
  officerId: Schema.String,
  reason: Schema.String,
  componentIds: Schema.Array(Schema.String)
})

/**
 * The supplements were handed in.
 *
 * @since 0.1.0
 */
export const SupplementProvided = Schema.TaggedStruct("SupplementProvided", numbered)

/**
 * An officer rejected the dossier.
 *
 * @since 0.1.0
 */
export const DossierRejected = Schema.TaggedStruct("DossierRejected", {
  ...numbered,
  officerId: Schema.String,
  reason: Schema.String
})

/**
 * The result was issued; its documents are in the owner's store.
 *
 * @since 0.1.0
 */
export const ResultIssued = Schema.TaggedStruct("ResultIssued", {
  ...numbered,
  officerId: Schema.String,
  documents: Schema.Array(ResultDocument)
})

/**
 * The result was issued on paper only: no document entered the owner's store. A type of its own (not a
 * flag on `ResultIssued`), so logs written before it stay valid as they are.
 *
 * @since 0.1.0
 */
export const PaperResultIssued = Schema.TaggedStruct("PaperResultIssued", {
  ...numbered,
  officerId: Schema.String,
  documents: Schema.Array(PaperDocument)
})

/**
 * Every event of the dossier; its JSON encoding is the event's `data` in the log.
 *
 * @since 0.1.0
 */
export const Event = Schema.Union([
  DraftCreated,
  ComponentAttached,
  ComponentDetached,
  MethodsChosen,
  DossierSubmitted,
  DossierNumberAssigned,
  DossierReceived,
  SupplementRequested,
  SupplementProvided,
  DossierRejected,
  ResultIssued,
  PaperResultIssued
])

/**
 * @since 0.1.0
 */
export type Event = typeof Event.Type

// -----------------------------------------------------------------------------------------------
// Errors (Emmett's taxonomy: validation, illegal state, not found, forbidden)
// -----------------------------------------------------------------------------------------------

/**
 * Validation: the command is malformed. `reason` says which rule.
 *
 * @since 0.1.0
 */
export class InvalidDossier extends Schema.TaggedError<InvalidDossier>()("InvalidDossier", {
  dossierId: Schema.String,
  reason: Schema.Literals([
    "InvalidDossierId",
    "InvalidOwnerId",
    "InvalidSubmitter",
    "InvalidAgencyCode",
    "InvalidField",
    "UnknownComponent",
    "InvalidSource",
    "InvalidNumber",
    "NoMethods",
    "MissingReason",
    "FieldTooLong"
  ]),
  message: Schema.String
}) {}

/**
 * Validation: submission refused because mandatory components are not satisfied. `missing` lists
 * every one of them, not only the first.
 *
 * @since 0.1.0
 */
export class MissingComponents extends Schema.TaggedError<MissingComponents>()("MissingComponents", {
  dossierId: Schema.String,
  missing: Schema.Array(Schema.Struct({ componentId: Schema.String, name: Schema.String })),
  message: Schema.String
}) {}

/**
 * Not found: no such dossier.
 *
 * @since 0.1.0
 */
export class DossierNotFound extends Schema.TaggedError<DossierNotFound>()("DossierNotFound", {
  dossierId: Schema.String,
  message: Schema.String
}) {}

/**
 * Illegal state: a different dossier already has this id.
 *
 * @since 0.1.0
 */
export class DossierAlreadyExists extends Schema.TaggedError<DossierAlreadyExists>()("DossierAlreadyExists", {
  dossierId: Schema.String,
  message: Schema.String
}) {}

/**
 * Illegal state: the dossier's status forbids the command (a submitted dossier's components are
 * frozen, a draft cannot be received…).
 *
 * @since 0.1.0
 */
export class IllegalDossierState extends Schema.TaggedError<IllegalDossierState>()("IllegalDossierState", {
  dossierId: Schema.String,
  status: Schema.String,
  message: Schema.String
}) {}

/**
 * Forbidden: the actor may not do this to this dossier.
 *
 * @since 0.1.0
 */
export class DossierForbidden extends Schema.TaggedError<DossierForbidden>()("DossierForbidden", {
  dossierId: Schema.String,
  actor: Schema.String,
  message: Schema.String
}) {}

/**
 * Every error `decide` returns.
 *
 * @since 0.1.0
 */
export const DossierError = Schema.Union([
  InvalidDossier,
  MissingComponents,
  DossierNotFound,
  DossierAlreadyExists,
  IllegalDossierState,
  DossierForbidden
])

/**
 * @since 0.1.0
 */
export type DossierError = typeof DossierError.Type

/**
 * The Emmett category of an error, for mapping to HTTP statuses or retry decisions.
 *
 * @since 0.1.0
 */
export const errorKind = (error: DossierError): "validation" | "illegal-state" | "not-found" | "forbidden" => {
  switch (error._tag) {
    case "InvalidDossier":
    case "MissingComponents":
      return "validation"
    case "DossierNotFound":
      return "not-found"
    case "DossierAlreadyExists":
    case "IllegalDossierState":
      return "illegal-state"
    case "DossierForbidden":
      return "forbidden"
  }
}

// -----------------------------------------------------------------------------------------------
// State
// -----------------------------------------------------------------------------------------------

/**
 * Where a dossier stands. `Submitted` covers the short moment before the number is assigned
 * (`number` is null) and the wait for receipt.
 *
 * @since 0.1.0
 */
export type Status = "Draft" | "Submitted" | "Received" | "SupplementRequested" | "Rejected" | "ResultIssued"

/**
 * A dossier as its events fold.
 *
 * @since 0.1.0
 */
export interface Dossier {
  readonly id: string
  readonly procedure: Named
  readonly agencyCode: string
  readonly case: Named
  readonly district: string
  readonly commune: string
  readonly channel: Channel
  readonly submitter: Submitter
  readonly ownerId: string
  readonly requirements: ReadonlyArray<Requirement>
  /** The source of each satisfied component, by component id. */
  readonly components: ReadonlyMap<string, Source>
  readonly methods: {
    readonly submission: SubmissionMethod
    readonly receipt: ReceiptMethod
    readonly deliveryAddress: string | null
  } | null
  readonly status: Status
  /** The status a supplement request interrupted, to return to once supplements are provided. */
  readonly resumeTo: Status | null
  readonly number: string | null
  readonly createdAt: string
  readonly submittedAt: string | null
  readonly submittedOn: string | null
  readonly receivedAt: string | null
  readonly supplementRequest: { readonly reason: string; readonly componentIds: ReadonlyArray<string> } | null
  readonly rejection: string | null
  /** The result's documents in the owner's store (empty for a paper result). */
  readonly results: ReadonlyArray<ResultDocument>
  /** How the result was issued; `null` until it is. */
  readonly resultForm: ResultForm | null
  /** What was handed over on paper (empty for an electronic result). */
  readonly paperResults: ReadonlyArray<PaperDocument>
  readonly updatedAt: string
}

/**
 * A dossier's state: `null` until the draft is created.
 *
 * @since 0.1.0
 */
export interface State {
  readonly dossier: Dossier | null
}

/**
 * The state before any event.
 *
 * @since 0.1.0
 */
export const initialState: State = { dossier: null }

const change = (state: State, at: string, f: (dossier: Dossier) => Partial<Dossier>): State =>
  state.dossier === null ? state : { dossier: { ...state.dossier, ...f(state.dossier), updatedAt: at } }

const withComponents = (
  dossier: Dossier,
  f: (components: Map<string, Source>) => void
): ReadonlyMap<string, Source> => {
  const next = new Map(dossier.components)
  f(next)
  return next
}

/**
 * Folds one event into the state. Total: every event tag is handled, with no default.
 *
 * @since 0.1.0
 */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "DraftCreated":
      return {
        dossier: {
          id: event.dossierId,
          procedure: event.procedure,
          agencyCode: event.agencyCode,
          case: event.case,
          district: event.district,
          commune: event.commune,
          channel: event.channel,
          submitter: event.submitter,
          ownerId: event.ownerId,
          requirements: event.requirements,
          components: new Map(),
          methods: null,
          status: "Draft",
          resumeTo: null,
          number: null,
          createdAt: event.at,
          submittedAt: null,
          submittedOn: null,
          receivedAt: null,
          supplementRequest: null,
          rejection: null,
          results: [],
          resultForm: null,
          paperResults: [],
          updatedAt: event.at
        }
      }
    case "ComponentAttached":
      return change(state, event.at, (d) => ({
        components: withComponents(d, (m) => m.set(event.componentId, event.source))
      }))
    case "ComponentDetached":
      return change(state, event.at, (d) => ({
        components: withComponents(d, (m) => m.delete(event.componentId))
      }))
    case "MethodsChosen":
      return change(state, event.at, () => ({
        methods: { submission: event.submission, receipt: event.receipt, deliveryAddress: event.deliveryAddress }
      }))
    case "DossierSubmitted":
      return change(state, event.at, () => ({
        status: "Submitted",
        submittedAt: event.at,
        submittedOn: event.submittedOn
      }))
    case "DossierNumberAssigned":
      return change(state, event.at, () => ({ number: event.number }))
    case "DossierReceived":
      return change(state, event.at, () => ({ status: "Received", receivedAt: event.at }))
    case "SupplementRequested":
      return change(state, event.at, (d) => ({
        status: "SupplementRequested",
        resumeTo: d.status,
        supplementRequest: { reason: event.reason, componentIds: event.componentIds }
      }))
    case "SupplementProvided":
      return change(state, event.at, (d) => ({
        status: d.resumeTo ?? "Submitted",
        resumeTo: null,
        supplementRequest: null
      }))
    case "DossierRejected":
      return change(state, event.at, () => ({ status: "Rejected", rejection: event.reason }))
    case "ResultIssued":
      return change(state, event.at, () => ({ status: "ResultIssued", results: event.documents, resultForm: "Electronic" }))
    case "PaperResultIssued":
      return change(state, event.at, () => ({ status: "ResultIssued", paperResults: event.documents, resultForm: "Paper" }))
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
export type Decision = Result.Result<ReadonlyArray<Event>, DossierError>

const none: Decision = Result.succeed([])
const emit = (...events: ReadonlyArray<Event>): Decision => Result.succeed(events)

const invalid = (dossierId: string, reason: InvalidDossier["reason"], message: string): Decision =>
  Result.fail(new InvalidDossier({ dossierId, reason, message }))

const forbidden = (dossierId: string, actor: Actor, message: string): Decision =>
  Result.fail(new DossierForbidden({ dossierId, actor: actorLabel(actor), message }))

const illegal = (dossier: Dossier, message: string): Decision =>
  Result.fail(new IllegalDossierState({ dossierId: dossier.id, status: dossier.status, message }))

const first = (...checks: ReadonlyArray<() => Decision | null>): Decision | null => {
  for (const check of checks) {
    const decision = check()
    if (decision !== null) return decision
  }
  return null
}

const blank = (value: string): boolean => value.trim().length === 0

/**
 * Whether `actor` may edit the dossier's draft: its owner (citizen or organisation representative),
 * its submitter, or — for a dossier opened at the counter — an officer of the deciding agency.
 *
 * @since 0.1.0
 */
export const mayEdit = (actor: Actor, dossier: Pick<Dossier, "ownerId" | "submitter" | "channel" | "agencyCode">): boolean => {
  switch (actor._tag) {
    case "Citizen":
      return actor.personalId === dossier.ownerId || actor.personalId === dossier.submitter.personalId
    case "OrganisationRepresentative":
      return actor.organisationId === dossier.ownerId || actor.personalId === dossier.submitter.personalId
    case "Officer":
      return dossier.channel === "counter" && actor.agencyCode === dossier.agencyCode
    case "Auditor":
    case "System":
      return false
  }
}

/**
 * Whether `actor` is an officer of the dossier's deciding agency (the officer side).
 *
 * @since 0.1.0
 */
export const isOfficerOf = (actor: Actor, dossier: Pick<Dossier, "agencyCode">): boolean =>
  actor._tag === "Officer" && actor.agencyCode === dossier.agencyCode

const editorOnly = (command: { readonly actor: Actor }, dossier: Dossier, action: string): Decision | null =>
  mayEdit(command.actor, dossier) ? null : forbidden(
    dossier.id,
    command.actor,
    // the rule and the actor's role only: never the other party's ids (DESIGN.md §6)
    `only the dossier's owner or its submitter${
      dossier.channel === "counter" ? " (or an officer of the deciding agency at the counter)" : ""
    } may ${action} dossier ${dossier.id}; a ${roleOf(command.actor)} who is neither may not`
  )

/** The actor's role, for refusal messages that must not name anyone. */
const roleOf = (actor: Actor): string => {
  switch (actor._tag) {
    case "Citizen":
      return "citizen"
    case "OrganisationRepresentative":
      return "representative of an organisation"
    case "Officer":
      return "officer"
    case "Auditor":
      return "auditor"
    case "System":
      return "system process"
  }
}

const officerOnly = (command: { readonly actor: Actor }, dossier: Dossier, action: string, role: Role): Decision | null => {
  if (!isOfficerOf(command.actor, dossier)) {
    return forbidden(
      dossier.id,
      command.actor,
      `only an officer of the deciding agency may ${action} dossier ${dossier.id}; this ${roleOf(command.actor)} is not one`
    )
  }
  const missing = roleProblem(command.actor, role, `${action} dossier ${dossier.id}`)
  return missing === null ? null : forbidden(dossier.id, command.actor, missing)
}

const describe = (dossier: Dossier): string => {
  switch (dossier.status) {
    case "Draft":
      return "a draft"
    case "Submitted":
      return dossier.number === null ? "submitted and waiting for its number" : `submitted as ${dossier.number}`
    case "Received":
      return `received as ${dossier.number}`
    case "SupplementRequested":
      return `waiting for supplements (${dossier.supplementRequest?.reason ?? ""})`
    case "Rejected":
      return `rejected (${dossier.rejection ?? ""})`
    case "ResultIssued":
      return dossier.resultForm === "Paper" ? "closed with its result issued on paper" : "closed with its result issued"
  }
}

/** The components may change while drafting, and while supplements are asked for. */
const editable = (dossier: Dossier, action: string): Decision | null =>
  dossier.status === "Draft" || dossier.status === "SupplementRequested"
    ? null
    : illegal(dossier, `cannot ${action} dossier ${dossier.id}: it is ${describe(dossier)}`)

const requirementOf = (dossier: Dossier, componentId: string): Requirement | undefined =>
  dossier.requirements.find((r) => r.componentId === componentId)

const unknownComponent = (dossier: Dossier, componentId: string): Decision =>
  invalid(
    dossier.id,
    "UnknownComponent",
    `procedure ${dossier.procedure.code} has no component ${JSON.stringify(componentId)}; its components are ${
      dossier.requirements.map((r) => r.componentId).join(", ")
    }`
  )

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b)

const sourceProblem = (dossier: Dossier, source: Source): string | null => {
  switch (source._tag) {
    case "AutoAttached":
    case "PickedFromStore":
    case "ScannedAtCounter":
      if (blank(source.documentId)) return "a store document is named by its document id"
      if (source._tag === "ScannedAtCounter" && source.agencyCode !== dossier.agencyCode) {
        return `a scan at the counter is made by the deciding agency ${dossier.agencyCode}, not ${source.agencyCode}`
      }
      return null
    case "Uploaded":
      if (source.size === 0) return `${source.fileName} is empty`
      if (blank(source.fileName)) return "an uploaded file needs a file name"
      return null
    case "EarlierResult": {
      const problem = DossierNumber.problem(source.dossierNumber)
      if (problem !== undefined) return problem
      if (source.dossierId === dossier.id) return "a dossier cannot reuse its own result"
      return null
    }
  }
}

const draftProblem = (command: typeof CreateDraft.Type): Decision | null => {
  const id = command.dossierId
  const field = (message: string) => invalid(id, "InvalidField", message)
  return first(
    () => {
      const p = dossierIdProblem(id)
      return p === undefined ? null : invalid(id, "InvalidDossierId", p)
    },
    () => {
      const p = ownerIdProblem(command.ownerId)
      return p === undefined ? null : invalid(id, "InvalidOwnerId", p)
    },
    () => {
      const p = ownerIdProblem(command.submitter.personalId)
      return p === undefined ? null : invalid(id, "InvalidSubmitter", `the submitter (người nộp): ${p}`)
    },
    () => {
      const p = AgencyCode.problem(command.agencyCode)
      return p === undefined ? null : invalid(id, "InvalidAgencyCode", `the deciding agency: ${p}`)
    },
    () => blank(command.procedure.code) ? field("name the procedure (mã thủ tục)") : null,
    () => blank(command.case.code) ? field("choose the case (trường hợp giải quyết)") : null,
    () => blank(command.district) || blank(command.commune) ? field("choose the district and the commune") : null,
    () => {
      const seen = new Set<string>()
      for (const r of command.requirements) {
        if (blank(r.componentId)) return field("every component of the procedure needs an id")
        if (seen.has(r.componentId)) return field(`component ${r.componentId} is listed twice`)
        seen.add(r.componentId)
      }
      return null
    }
  )
}

/**
 * Whether the actor may create this draft: the owner or the submitter, or an officer of the deciding
 * agency at the counter.
 */
const creatorProblem = (command: typeof CreateDraft.Type): Decision | null =>
  mayEdit(command.actor, command) ? null : forbidden(
    command.dossierId,
    command.actor,
    command.channel === "counter"
      ? `a dossier at the counter is opened by its owner, its submitter or an officer of ${command.agencyCode}; ${
        actorLabel(command.actor)
      } is none of them`
      : `an ${command.channel} dossier is opened by its owner ${command.ownerId} or its submitter ${command.submitter.personalId}; ${
        actorLabel(command.actor)
      } is neither`
  )

/**
 * The refusal for a missing dossier; `DossierService.load` answers a refused read with it too, so a
 * stranger cannot tell the two apart.
 *
 * @since 0.1.0
 */
export const notFound = (dossierId: string): DossierNotFound =>
  new DossierNotFound({ dossierId, message: `there is no dossier ${dossierId}: create the draft first` })

const withDossier = (
  state: State,
  command: { readonly dossierId: string },
  then: (dossier: Dossier) => Decision
): Decision =>
  state.dossier === null
    ? Result.fail(notFound(command.dossierId))
    : then(state.dossier)

const numberedOf = (dossier: Dossier, number: string, at: string) => ({
  dossierId: dossier.id,
  at,
  number,
  ownerId: dossier.ownerId,
  agencyCode: dossier.agencyCode,
  procedure: dossier.procedure.code
})

/**
 * Closes a received dossier with its result, electronic or on paper. A dossier closes once and one
 * way: issuing the same result again (`sameAsIssued`, in the same form) changes nothing; anything
 * else after the result is refused.
 */
const issueResult = (
  dossier: Dossier,
  form: ResultForm,
  sameAsIssued: boolean,
  event: (number: string) => Event
): Decision => {
  if (dossier.status === "ResultIssued" && dossier.resultForm === form && sameAsIssued) return none
  if (dossier.status !== "Received") {
    return illegal(dossier, `cannot issue the result of dossier ${dossier.id}: it is ${describe(dossier)}; receive it first`)
  }
  return whenNumbered(dossier, "issue the result of", (number) => emit(event(number)))
}

/** The officer side needs a numbered dossier; `then` gets its number. */
const whenNumbered = (dossier: Dossier, action: string, then: (number: string) => Decision): Decision =>
  dossier.number === null
    ? illegal(dossier, `cannot ${action} dossier ${dossier.id}: it is ${describe(dossier)}`)
    : then(dossier.number)

/**
 * Components that are mandatory and not satisfied, in the procedure's order.
 *
 * @since 0.1.0
 */
export const missingComponents = (dossier: Dossier): ReadonlyArray<Requirement> =>
  dossier.requirements.filter((r) => r.mandatory && !dossier.components.has(r.componentId))

/**
 * How each satisfied component was satisfied, in the procedure's order.
 *
 * @since 0.1.0
 */
export const componentSummaries = (dossier: Dossier): ReadonlyArray<ComponentSummary> =>
  dossier.requirements.flatMap((r) => {
    const source = dossier.components.get(r.componentId)
    return source === undefined ? [] : [{ componentId: r.componentId, satisfiedBy: source._tag, reuse: reuseOf(source) }]
  })

const officer = (actor: Actor): string => actor._tag === "Officer" ? actor.officerId : actorLabel(actor)

/**
 * The most characters a free text of a dossier may have (a name, an address, an officer's reason).
 *
 * @since 0.1.0
 */
export const maxTextLength = 2000

/**
 * The most characters an uploaded file's name may have.
 *
 * @since 0.1.0
 */
export const maxFileNameLength = 255

/** The command's free texts, with what to call each in a refusal. */
const freeTexts = (command: Command): ReadonlyArray<readonly [string, string | null, number]> => {
  switch (command._tag) {
    case "CreateDraft":
      return [["submitter's name", command.submitter.name, maxTextLength]]
    case "AttachComponent":
      return command.source._tag === "Uploaded" ? [["file name", command.source.fileName, maxFileNameLength]] : []
    case "ChooseMethods":
      return [["delivery address", command.deliveryAddress, maxTextLength]]
    case "RequestSupplement":
    case "Reject":
      return [["reason", command.reason, maxTextLength]]
    case "IssueResult":
    case "IssuePaperResult":
      return command.documents.map((d) => ["result document's name", d.name, maxTextLength] as const)
    default:
      return []
  }
}

/** Every free text is bounded: an unbounded one would make an export line no reader accepts. */
const textLimitProblem = (command: Command): Decision | null => {
  for (const [label, value, max] of freeTexts(command)) {
    if (value !== null && value.length > max) {
      return invalid(command.dossierId, "FieldTooLong", `the ${label} has at most ${max} characters; got ${value.length}`)
    }
  }
  return null
}

/**
 * Decides a command. Pure: the actor and the time come with the command.
 *
 * @since 0.1.0
 */
export const decide = (command: Command, state: State): Decision => {
  const tooLong = textLimitProblem(command)
  if (tooLong !== null) return tooLong
  switch (command._tag) {
    case "CreateDraft": {
      const problem = first(() => draftProblem(command), () => creatorProblem(command))
      if (problem !== null) return problem
      const existing = state.dossier
      const { _tag, actor: _actor, at, ...rest } = command
      if (existing !== null) {
        const { _tag: _t, at: _at, ...before } = draftOf(existing)
        return same(rest, before)
          ? none
          : Result.fail(
            new DossierAlreadyExists({
              dossierId: command.dossierId,
              message: `dossier ${command.dossierId} already exists with other details: choose a new id`
            })
          )
      }
      return emit({ ...rest, _tag: "DraftCreated", at })
    }
    case "AttachComponent":
      return withDossier(state, command, (dossier) => {
        const problem = first(
          () => editorOnly(command, dossier, "attach components to"),
          () => editable(dossier, "attach components to"),
          () => requirementOf(dossier, command.componentId) === undefined ? unknownComponent(dossier, command.componentId) : null,
          () => {
            const p = sourceProblem(dossier, command.source)
            return p === null ? null : invalid(dossier.id, "InvalidSource", p)
          }
        )
        if (problem !== null) return problem
        const current = dossier.components.get(command.componentId)
        if (current !== undefined) {
          return same(current, command.source) ? none : illegal(
            dossier,
            `component ${command.componentId} of dossier ${dossier.id} is already satisfied (${current._tag}); detach it first`
          )
        }
        return emit({
          _tag: "ComponentAttached",
          dossierId: dossier.id,
          at: command.at,
          componentId: command.componentId,
          source: command.source
        })
      })
    case "DetachComponent":
      return withDossier(state, command, (dossier) => {
        const problem = first(
          () => editorOnly(command, dossier, "detach components from"),
          () => editable(dossier, "detach components from"),
          () => requirementOf(dossier, command.componentId) === undefined ? unknownComponent(dossier, command.componentId) : null
        )
        if (problem !== null) return problem
        const current = dossier.components.get(command.componentId)
        return current === undefined ? none : emit({
          _tag: "ComponentDetached",
          dossierId: dossier.id,
          at: command.at,
          componentId: command.componentId,
          source: current
        })
      })
    case "ChooseMethods":
      return withDossier(state, command, (dossier) => {
        const problem = first(
          () => editorOnly(command, dossier, "choose the methods of"),
          () => dossier.status === "Draft" ? null : illegal(dossier, `cannot change the methods of dossier ${dossier.id}: it is ${describe(dossier)}`),
          () =>
            command.receipt === "ByPost" && (command.deliveryAddress === null || blank(command.deliveryAddress))
              ? invalid(dossier.id, "InvalidField", "a result sent by post needs a delivery address")
              : null,
          () =>
            command.deliveryAddress !== null && blank(command.deliveryAddress)
              ? invalid(dossier.id, "InvalidField", "the delivery address is blank: leave it null or fill it in")
              : null
        )
        if (problem !== null) return problem
        const next = { submission: command.submission, receipt: command.receipt, deliveryAddress: command.deliveryAddress }
        if (dossier.methods !== null && same(dossier.methods, next)) return none
        return emit({ _tag: "MethodsChosen", dossierId: dossier.id, at: command.at, ...next })
      })
    case "Submit":
      return withDossier(state, command, (dossier) => {
        const problem = editorOnly(command, dossier, "submit")
        if (problem !== null) return problem
        if (dossier.status !== "Draft") {
          // submitted already (a retry, a double click): nothing more to do
          return dossier.submittedAt === null ? illegal(dossier, `cannot submit dossier ${dossier.id}: it is ${describe(dossier)}`) : none
        }
        const missing = missingComponents(dossier)
        if (missing.length > 0) {
          return Result.fail(
            new MissingComponents({
              dossierId: dossier.id,
              missing: missing.map((r) => ({ componentId: r.componentId, name: r.name })),
              message: `dossier ${dossier.id} cannot be submitted: ${missing.length} mandatory component${
                missing.length === 1 ? " is" : "s are"
              } missing: ${missing.map((r) => `${r.componentId} (${r.name})`).join("; ")}`
            })
          )
        }
        if (dossier.methods === null) {
          return invalid(
            dossier.id,
            "NoMethods",
            `choose how dossier ${dossier.id} is submitted and how its result is received before submitting`
          )
        }
        return emit({
          _tag: "DossierSubmitted",
          dossierId: dossier.id,
          at: command.at,
          ownerId: dossier.ownerId,
          agencyCode: dossier.agencyCode,
          procedure: dossier.procedure.code,
          submittedOn: vietnamDay(command.at)
        })
      })
    case "AssignNumber":
      return withDossier(state, command, (dossier) => {
        if (!(mayEdit(command.actor, dossier) || command.actor._tag === "System" || isOfficerOf(command.actor, dossier))) {
          return forbidden(
            dossier.id,
            command.actor,
            `only the engine, the submitter or the deciding agency numbers dossier ${dossier.id}`
          )
        }
        if (dossier.number !== null) {
          return dossier.number === command.number ? none : illegal(
            dossier,
            `dossier ${dossier.id} already has number ${dossier.number}; a number is never changed`
          )
        }
        if (dossier.status !== "Submitted" || dossier.submittedOn === null) {
          return illegal(dossier, `cannot number dossier ${dossier.id}: it is ${describe(dossier)}`)
        }
        const parsed = DossierNumber.parse(command.number)
        if (Result.isFailure(parsed)) return invalid(dossier.id, "InvalidNumber", parsed.failure.message)
        const parts = DossierNumber.decode(parsed.success)
        if (parts.agencyCode !== dossier.agencyCode || parts.receivedOn !== dossier.submittedOn) {
          return invalid(
            dossier.id,
            "InvalidNumber",
            `dossier ${dossier.id} was submitted to ${dossier.agencyCode} on ${dossier.submittedOn}; number ${command.number} is of ${parts.agencyCode} on ${parts.receivedOn}`
          )
        }
        return emit({
          _tag: "DossierNumberAssigned",
          ...numberedOf(dossier, parsed.success, command.at),
          submittedOn: dossier.submittedOn,
          channel: dossier.channel
        })
      })
    case "Receive":
      return withDossier(state, command, (dossier) => {
        const problem = officerOnly(command, dossier, "receive", "receive")
        if (problem !== null) return problem
        if (dossier.status === "Received") return none
        if (dossier.status !== "Submitted") {
          return illegal(dossier, `cannot receive dossier ${dossier.id}: it is ${describe(dossier)}`)
        }
        return whenNumbered(dossier, "receive", (number) =>
          emit({
            _tag: "DossierReceived",
            ...numberedOf(dossier, number, command.at),
            officerId: officer(command.actor),
            components: componentSummaries(dossier)
          }))
      })
    case "RequestSupplement":
      return withDossier(state, command, (dossier) => {
        const problem = first(
          () => officerOnly(command, dossier, "ask for supplements to", "receive"),
          () => blank(command.reason) ? invalid(dossier.id, "MissingReason", "say what the citizen must supplement (reason)") : null,
          () => {
            const unknown = command.componentIds.find((id) => requirementOf(dossier, id) === undefined)
            return unknown === undefined ? null : unknownComponent(dossier, unknown)
          }
        )
        if (problem !== null) return problem
        if (dossier.status !== "Submitted" && dossier.status !== "Received") {
          return illegal(dossier, `cannot ask for supplements to dossier ${dossier.id}: it is ${describe(dossier)}`)
        }
        return whenNumbered(dossier, "ask for supplements to", (number) =>
          emit({
            _tag: "SupplementRequested",
            ...numberedOf(dossier, number, command.at),
            officerId: officer(command.actor),
            reason: command.reason,
            componentIds: command.componentIds
          }))
      })
    case "ProvideSupplement":
      return withDossier(state, command, (dossier) => {
        const problem = editorOnly(command, dossier, "supplement")
        if (problem !== null) return problem
        if (dossier.status !== "SupplementRequested") {
          return illegal(dossier, `dossier ${dossier.id} is ${describe(dossier)}; nobody asked for supplements`)
        }
        const missing = missingComponents(dossier)
        const asked = dossier.supplementRequest?.componentIds ?? []
        const stillMissing = dossier.requirements.filter((r) =>
          missing.includes(r) || (asked.includes(r.componentId) && !dossier.components.has(r.componentId))
        )
        if (stillMissing.length > 0) {
          return Result.fail(
            new MissingComponents({
              dossierId: dossier.id,
              missing: stillMissing.map((r) => ({ componentId: r.componentId, name: r.name })),
              message: `the supplements to dossier ${dossier.id} are incomplete: ${
                stillMissing.map((r) => `${r.componentId} (${r.name})`).join("; ")
              }`
            })
          )
        }
        return whenNumbered(dossier, "supplement", (number) =>
          emit({ _tag: "SupplementProvided", ...numberedOf(dossier, number, command.at) }))
      })
    case "Reject":
      return withDossier(state, command, (dossier) => {
        const problem = first(
          () => officerOnly(command, dossier, "reject", "receive"),
          () => blank(command.reason) ? invalid(dossier.id, "MissingReason", "a rejection states its reason for the citizen") : null
        )
        if (problem !== null) return problem
        if (dossier.status === "Rejected" && dossier.rejection === command.reason) return none
        if (dossier.status !== "Submitted" && dossier.status !== "Received" && dossier.status !== "SupplementRequested") {
          return illegal(dossier, `cannot reject dossier ${dossier.id}: it is ${describe(dossier)}`)
        }
        return whenNumbered(dossier, "reject", (number) =>
          emit({
            _tag: "DossierRejected",
            ...numberedOf(dossier, number, command.at),
            officerId: officer(command.actor),
            reason: command.reason
          }))
      })
    case "IssueResult":
      return withDossier(state, command, (dossier) => {
        const problem = first(
          () => officerOnly(command, dossier, "issue the result of", "issue"),
          () =>
            command.documents.length === 0
              ? invalid(dossier.id, "InvalidField", "a result has at least one document, issued into the owner's store first")
              : null,
          () => {
            const bad = command.documents.find((d) => blank(d.documentId) || blank(d.name))
            return bad === undefined ? null : invalid(dossier.id, "InvalidField", "every result document has an id and a name")
          }
        )
        if (problem !== null) return problem
        return issueResult(dossier, "Electronic", same(dossier.results, command.documents), (number) => ({
          _tag: "ResultIssued",
          ...numberedOf(dossier, number, command.at),
          officerId: officer(command.actor),
          documents: command.documents
        }))
      })
    case "IssuePaperResult":
      return withDossier(state, command, (dossier) => {
        const problem = first(
          () => officerOnly(command, dossier, "issue the result of", "issue"),
          () =>
            command.documents.length === 0
              ? invalid(dossier.id, "InvalidField", "a paper result names at least one paper handed over (kind and name)")
              : null,
          () =>
            command.documents.some((d) => blank(d.name))
              ? invalid(dossier.id, "InvalidField", "every paper of the result has a name")
              : null
        )
        if (problem !== null) return problem
        return issueResult(dossier, "Paper", same(dossier.paperResults, command.documents), (number) => ({
          _tag: "PaperResultIssued",
          ...numberedOf(dossier, number, command.at),
          officerId: officer(command.actor),
          documents: command.documents
        }))
      })
  }
}

const draftOf = (dossier: Dossier): typeof DraftCreated.Type => ({
  _tag: "DraftCreated",
  dossierId: dossier.id,
  at: dossier.createdAt,
  procedure: dossier.procedure,
  agencyCode: dossier.agencyCode,
  case: dossier.case,
  district: dossier.district,
  commune: dossier.commune,
  channel: dossier.channel,
  submitter: dossier.submitter,
  ownerId: dossier.ownerId,
  requirements: dossier.requirements
})

/**
 * The decider type of the dossier.
 *
 * @since 0.1.0
 */
export type DossierDecider = Decider<State, Command, Event, DossierError>

/**
 * The dossier decider; a dossier's stream is `Dossier-<dossierId>`.
 *
 * @since 0.1.0
 */
export const decider: DossierDecider = {
  name: "Dossier",
  initialState,
  decide,
  evolve,
  eventSchema: Event
}
