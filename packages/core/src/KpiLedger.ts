/**
 * The KPI ledger: the one projection every KPI of Kho is read from. It folds recorded events — and
 * nothing else, never a flag a caller sets — into day-by-day counters per deciding agency, from which
 * `ReuseRate` and `Indicators` answer any period (a month, a quarter, a year, any range of days), per
 * unit and per level, on the unit tree in force on each day.
 *
 * ```ts
 * // an auditor's replay of an exported log, as of a position
 * const ledger = yield* KpiLedger.replay(Ndjson.decode(lines), { asOf: KpiLedger.atPosition(52_000) })
 * const report = ReuseRate.report(ledger, { period, units, root, targets })
 * ```
 *
 * Memory is bounded by agencies × days, not by events or dossiers: a fact is counted when the one
 * event that decides it arrives (a dossier's receipt carries how each component was satisfied), so no
 * per-dossier state is kept and a replay of a million events holds none of them.
 *
 * The fold step updates the ledger in place and returns it (a fold over a million events cannot copy
 * its accumulator each step); the result depends only on the events folded, in log order. Give each
 * fold its own ledger (`empty()`), and read it through the queries, which copy what they return.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Result, Schema, Stream } from "effect"
import type { UnitHistory } from "./AdministrativeUnit.ts"
import * as Complaint from "./Complaint.ts"
import * as ComplaintDeadlines from "./ComplaintDeadlines.ts"
import * as ComplaintPolicy from "./ComplaintPolicy.ts"
import * as DocumentStore from "./DocumentStore.ts"
import { streamId } from "./Decider.ts"
import * as Dossier from "./Dossier.ts"
import type { RecordedEvent } from "./Event.ts"
import * as EventCodec from "./EventCodec.ts"
import { EventStore, type EventStoreError } from "./EventStore.ts"
import { GENESIS_HASH } from "./HashChain.ts"
import { fromEpochDay, toEpochDay } from "./internal/isoDate.ts"
import * as Projection from "./Projection.ts"
import * as Upcaster from "./Upcaster.ts"
import * as WorkingCalendar from "./WorkingCalendar.ts"

// -----------------------------------------------------------------------------------------------
// Facts
// -----------------------------------------------------------------------------------------------

/**
 * The counters of one agency on one day (or summed over many). Each is a number of dossiers,
 * documents or complaints, attributed to the day (Vietnam time) of the event that decides it:
 *
 * - `received` — dossiers received (`DossierReceived`);
 * - `reused` — of those, dossiers with ≥ 1 component satisfied from the owner's store or from an
 *   earlier dossier or its result; `reusedFromStore` / `reusedFromEarlierDossier` split it (a dossier
 *   can count in both);
 * - `anyDigitised` — received dossiers with ≥ 1 component satisfied from digitised data of any kind:
 *   the reused ones, plus those with paper scanned at the counter into the owner's store;
 * - `digitisedDossiers` — received dossiers with at least one component, every one of them satisfied
 *   from digitised data (store, earlier dossier, or scanned at the counter: no one-off upload);
 * - `resultsIssued` — dossiers closed with their result issued electronically (`ResultIssued`);
 * - `paperResults` — dossiers closed with their result issued on paper only (`PaperResultIssued`);
 * - `rejected` — dossiers closed by a rejection (`DossierRejected`);
 * - `certifiedCopies` — electronically certified copies issued into owners' stores (`DocumentIssued`
 *   of kind `CertifiedCopy`), by the issuing agency; the replacement issued to resolve a complaint by
 *   correction is the same certification corrected, not a new one, and is not counted again;
 * - `complaintsOnTime` / `complaintsLate` / `complaintsUnknownDeadline` — complaints about a result
 *   closed (corrected or rejected) by the agency they were routed to, on the day of closing: within
 *   their deadline, after it, or with a deadline the working calendar could not compute (counted
 *   apart, never guessed). Deadlines and timeliness are those of `ComplaintDeadlines`;
 * - `complaintsOverdueOpen` — in {@link byUnit}'s answer for a period: complaints routed to the agency
 *   still open at the period's end whose handling deadline (`handleDue`) had passed by then (and by the
 *   last day the log reaches: a deadline after it has not passed yet, as far as the log knows), as
 *   `ComplaintDeadlines.Counts.overdueAtEnd`. The "complaints handled on time" indicator counts them
 *   as late, so an agency that lets complaints lapse shows a low rate, never "—". Gotcha: in a day's
 *   cell it is a change, not a count (+1 on the first overdue day and −1 on the closing day of a
 *   complaint closed after its deadline; the ones still open are read from `openComplaints`), so only
 *   `byUnit` sums it, over every day up to the period's end.
 *
 * @since 0.1.0
 */
export interface Facts {
  readonly received: number
  readonly reused: number
  readonly reusedFromStore: number
  readonly reusedFromEarlierDossier: number
  readonly anyDigitised: number
  readonly digitisedDossiers: number
  readonly resultsIssued: number
  readonly paperResults: number
  readonly rejected: number
  readonly certifiedCopies: number
  readonly complaintsOnTime: number
  readonly complaintsLate: number
  readonly complaintsUnknownDeadline: number
  readonly complaintsOverdueOpen: number
}

type MutableFacts = { -readonly [K in keyof Facts]: Facts[K] }

/**
 * The names of the counters, in the order of {@link Facts}.
 *
 * @since 0.1.0
 */
export const factNames: ReadonlyArray<keyof Facts> = [
  "received",
  "reused",
  "reusedFromStore",
  "reusedFromEarlierDossier",
  "anyDigitised",
  "digitisedDossiers",
  "resultsIssued",
  "paperResults",
  "rejected",
  "certifiedCopies",
  "complaintsOnTime",
  "complaintsLate",
  "complaintsUnknownDeadline",
  "complaintsOverdueOpen"
]

/**
 * All counters at zero.
 *
 * @since 0.1.0
 */
export const noFacts: Facts = {
  received: 0,
  reused: 0,
  reusedFromStore: 0,
  reusedFromEarlierDossier: 0,
  anyDigitised: 0,
  digitisedDossiers: 0,
  resultsIssued: 0,
  paperResults: 0,
  rejected: 0,
  certifiedCopies: 0,
  complaintsOnTime: 0,
  complaintsLate: 0,
  complaintsUnknownDeadline: 0,
  complaintsOverdueOpen: 0
}

const zeroFacts = (): MutableFacts => ({ ...noFacts })

/**
 * Field-wise sum of facts.
 *
 * @since 0.1.0
 */
export const sumFacts = (all: Iterable<Facts>): Facts => {
  const out = zeroFacts()
  for (const f of all) addInto(out, f)
  return out
}

const addInto = (into: MutableFacts, f: Facts): void => {
  for (const name of factNames) into[name] += f[name]
}

// -----------------------------------------------------------------------------------------------
// What a component counts as
// -----------------------------------------------------------------------------------------------

/**
 * How a component was satisfied, as `DossierReceived` records it.
 *
 * @since 0.1.0
 */
export type SatisfiedBy = Dossier.ComponentSummary["satisfiedBy"]

/**
 * What the KPIs count a component as, from how it was satisfied: `Store` (auto-attached or picked
 * from the owner's store), `EarlierDossier` (the result of an earlier dossier), `Digitised` (paper
 * scanned at the counter into the owner's store), `None` (a file uploaded for this dossier only).
 *
 * The ledger classifies from `satisfiedBy`, the recorded fact, not from the `reuse` label written next
 * to it: the classification is the KPI's definition, so changing it re-applies to all history on the
 * next replay.
 *
 * @since 0.1.0
 */
export const reuseKindOf = (satisfiedBy: SatisfiedBy): Dossier.ReuseKind => Dossier.reuseOfSatisfaction(satisfiedBy)

/**
 * What one received dossier contributes, from its components at receipt.
 *
 * @since 0.1.0
 */
export const classify = (components: ReadonlyArray<{ readonly satisfiedBy: SatisfiedBy }>): Facts => {
  let store = false
  let earlier = false
  let scanned = false
  let allDigitised = components.length > 0
  for (const c of components) {
    switch (reuseKindOf(c.satisfiedBy)) {
      case "Store":
        store = true
        break
      case "EarlierDossier":
        earlier = true
        break
      case "Digitised":
        scanned = true
        break
      case "None":
        allDigitised = false
        break
    }
  }
  return {
    ...noFacts,
    received: 1,
    reused: store || earlier ? 1 : 0,
    reusedFromStore: store ? 1 : 0,
    reusedFromEarlierDossier: earlier ? 1 : 0,
    anyDigitised: store || earlier || scanned ? 1 : 0,
    digitisedDossiers: allDigitised ? 1 : 0
  }
}

// -----------------------------------------------------------------------------------------------
// The ledger
// -----------------------------------------------------------------------------------------------

/**
 * The ledger. `position` and `headHash` name the last event folded (0 and the genesis hash before
 * any): a report computed from the ledger states them, so an auditor can check it against the log.
 * `lastRecordedAt` is that event's recording time.
 *
 * @since 0.1.0
 */
export interface KpiLedger {
  readonly position: number
  readonly headHash: string
  readonly lastRecordedAt: string | null
  /** Counters by agency code, then by Vietnamese calendar day (`YYYY-MM-DD`). */
  readonly cells: ReadonlyMap<string, ReadonlyMap<string, Facts>>
  /**
   * The complaints still open, by id: the only per-item state, kept from filing (which fixes the due
   * dates) to closing (which decides on time or late), then dropped. Only what the deadlines need:
   * no owner, document or reason, so the ledger stays aggregate (DESIGN.md §6).
   */
  readonly openComplaints: ReadonlyMap<string, OpenComplaint>
}

/**
 * What the ledger keeps of an open complaint: its id, agency and deadlines — never the owner's
 * personal id, the document or the reason.
 *
 * @since 0.1.0
 */
export type OpenComplaint = Omit<ComplaintDeadlines.Entry, "ownerId" | "documentId" | "reason">

/** Drops what names a person or a document from a deadline entry. */
const openComplaintOf = ({ documentId: _d, ownerId: _o, reason: _r, ...rest }: ComplaintDeadlines.Entry): OpenComplaint =>
  rest

/**
 * Steps a kept complaint. `ComplaintDeadlines.step` only copies the owner, document and reason
 * after filing, so blanks stand in for them and are dropped again.
 */
const stepOpenComplaint = (
  calendar: WorkingCalendar.WorkingCalendar,
  open: OpenComplaint | undefined,
  event: Complaint.Event
): ComplaintDeadlines.Entry | undefined =>
  ComplaintDeadlines.step(
    calendar,
    open === undefined ? undefined : { ...open, ownerId: "", documentId: "", reason: ComplaintPolicy.reasons[0]! },
    event
  )

interface MutableLedger {
  position: number
  headHash: string
  lastRecordedAt: string | null
  readonly cells: Map<string, Map<string, MutableFacts>>
  readonly openComplaints: Map<string, OpenComplaint>
}

/**
 * A new, empty ledger (position 0).
 *
 * @since 0.1.0
 */
export const empty = (): KpiLedger => ({
  position: 0,
  headHash: GENESIS_HASH,
  lastRecordedAt: null,
  cells: new Map(),
  openComplaints: new Map()
})

/**
 * The event types whose data the ledger reads; every other event only advances its position.
 *
 * @since 0.1.0
 */
export const factEventTypes: ReadonlySet<string> = new Set([
  "DossierReceived",
  "ResultIssued",
  "PaperResultIssued",
  "DossierRejected",
  "DocumentIssued",
  ...Complaint.eventTypes
])

const cell = (ledger: MutableLedger, agencyCode: string, day: string): MutableFacts => {
  let days = ledger.cells.get(agencyCode)
  if (days === undefined) {
    days = new Map()
    ledger.cells.set(agencyCode, days)
  }
  let facts = days.get(day)
  if (facts === undefined) {
    facts = zeroFacts()
    days.set(day, facts)
  }
  return facts
}

/** The first day a complaint is overdue: the day after its last on-time day. */
const overdueFrom = (handleDue: string): string => fromEpochDay(toEpochDay(handleDue) + 1)

const replacementPrefix = streamId(Complaint.decider, "")
const replacementSuffix = "/issue-replacement"

/**
 * Whether a `DocumentIssued` is the replacement that resolves a complaint by correction: a correction
 * of a copy already counted, not a new certification. `ComplaintService.resolveByCorrection` issues it
 * under the command id `ComplaintService.commandId(complaintId, "issue-replacement")`; it counts as
 * one only while that complaint is open and routed to the issuing agency (so no other command can
 * pass for it), and the resolution that follows names the replacement.
 */
const isComplaintReplacement = (ledger: MutableLedger, commandId: string, agencyCode: string): boolean => {
  if (!commandId.startsWith(replacementPrefix) || !commandId.endsWith(replacementSuffix)) return false
  const complaintId = commandId.slice(replacementPrefix.length, commandId.length - replacementSuffix.length)
  return ledger.openComplaints.get(complaintId)?.agencyCode === agencyCode
}

/**
 * A fold step bound to an upcaster registry: decodes the events the ledger reads (upcasting old
 * versions) and adds what they decide. Fails with the event's position when its data does not decode.
 *
 * @since 0.1.0
 */
export type Step = (ledger: KpiLedger, event: RecordedEvent) => Result.Result<KpiLedger, EventCodec.EventDecodeError>

/**
 * Builds the fold step for a registry (see {@link Step}) and the working calendar complaint deadlines
 * are counted on (default: Vietnam's, `WorkingCalendar.vietnam`).
 *
 * @since 0.1.0
 */
export const stepWith = (
  registry: Upcaster.Registry,
  calendar: WorkingCalendar.WorkingCalendar = WorkingCalendar.vietnam
): Step => {
  const complaint = EventCodec.decoder(Complaint.Event, registry)
  const complaintTypes: ReadonlySet<string> = new Set(Complaint.eventTypes)
  const received = EventCodec.decoder(Dossier.DossierReceived, registry)
  const issued = EventCodec.decoder(Dossier.ResultIssued, registry)
  const onPaper = EventCodec.decoder(Dossier.PaperResultIssued, registry)
  const rejected = EventCodec.decoder(Dossier.DossierRejected, registry)
  const document = EventCodec.decoder(DocumentStore.DocumentIssued, registry)
  return (ledger, event) => {
    const l = ledger as MutableLedger
    switch (event.type) {
      case "DossierReceived": {
        const decoded = received(event)
        if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
        const e = decoded.success
        addInto(cell(l, e.agencyCode, Dossier.vietnamDay(e.at)), classify(e.components))
        break
      }
      case "ResultIssued": {
        const decoded = issued(event)
        if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
        cell(l, decoded.success.agencyCode, Dossier.vietnamDay(decoded.success.at)).resultsIssued += 1
        break
      }
      case "PaperResultIssued": {
        const decoded = onPaper(event)
        if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
        cell(l, decoded.success.agencyCode, Dossier.vietnamDay(decoded.success.at)).paperResults += 1
        break
      }
      case "DossierRejected": {
        const decoded = rejected(event)
        if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
        cell(l, decoded.success.agencyCode, Dossier.vietnamDay(decoded.success.at)).rejected += 1
        break
      }
      case "DocumentIssued": {
        const decoded = document(event)
        if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
        const e = decoded.success
        if (e.kind === "CertifiedCopy" && !isComplaintReplacement(l, event.commandId, e.agencyCode)) {
          cell(l, e.agencyCode, Dossier.vietnamDay(e.at)).certifiedCopies += 1
        }
        break
      }
      default: {
        if (!complaintTypes.has(event.type)) break
        const decoded = complaint(event)
        if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
        const e = decoded.success
        const entry = stepOpenComplaint(calendar, l.openComplaints.get(e.complaintId), e)
        if (entry === undefined) break
        if (entry.closedOn === null) {
          l.openComplaints.set(e.complaintId, openComplaintOf(entry))
          break
        }
        l.openComplaints.delete(e.complaintId)
        const facts = cell(l, entry.agencyCode, entry.closedOn)
        const t = ComplaintDeadlines.timeliness(entry, entry.closedOn)
        if (t === "OnTime") facts.complaintsOnTime += 1
        else if (t === "Late") facts.complaintsLate += 1
        else facts.complaintsUnknownDeadline += 1
        if (entry.handleDue !== null && entry.closedOn > entry.handleDue) {
          // overdue from the day after its deadline until the day it closed
          cell(l, entry.agencyCode, overdueFrom(entry.handleDue)).complaintsOverdueOpen += 1
          facts.complaintsOverdueOpen -= 1
        }
      }
    }
    l.position = event.globalPosition
    l.headHash = event.hash
    l.lastRecordedAt = event.recordedAt
    return Result.succeed(ledger)
  }
}

// -----------------------------------------------------------------------------------------------
// As of
// -----------------------------------------------------------------------------------------------

/**
 * Where a fold stops: at the head, after a global position (inclusive), or after the last event
 * recorded at or before an instant. The stores stamp `recordedAt` never earlier than the event before,
 * so a time cut is a prefix of the log (what the log knew at that moment). Gotcha: a log where it
 * goes backwards anyway (written by an older store, or edited and resealed) is not; `replay` and
 * `fromStore` trust the order, while the auditor's CLI watches it with {@link recordedAtOrder} and
 * refuses such a cut with {@link RecordedAtDecreases}.
 *
 * @since 0.1.0
 */
export type AsOf =
  | { readonly _tag: "Head" }
  | { readonly _tag: "Position"; readonly position: number }
  | { readonly _tag: "Time"; readonly at: string }

/**
 * The whole log.
 *
 * @since 0.1.0
 */
export const atHead: AsOf = { _tag: "Head" }

/**
 * Up to and including global position `position` (0: nothing).
 *
 * @since 0.1.0
 */
export const atPosition = (position: number): AsOf => ({ _tag: "Position", position })

/**
 * Up to and including the events recorded at or before `at` (an ISO instant or a `DateTime`; any offset
 * is converted to UTC). Throws a `RangeError` for a string that is not an instant. Gotcha: a string
 * without an offset is read as UTC and an impossible date rolls over (2024-02-30 is 1 March): check
 * untrusted text first (the CLI's `--until`/`--as-of` require an offset and a real date).
 *
 * @since 0.1.0
 */
export const atTime = (at: string | DateTime.DateTime): AsOf => {
  const parsed = DateTime.make(at)
  if (Option.isNone(parsed)) throw new RangeError(`${String(at)} is not an instant (ISO-8601 with an offset)`)
  return { _tag: "Time", at: DateTime.formatIso(parsed.value) }
}

/**
 * Whether `event` lies within `asOf` (a prefix test: once false, false for every later event).
 *
 * @since 0.1.0
 */
export const within = (asOf: AsOf, event: RecordedEvent): boolean => {
  switch (asOf._tag) {
    case "Head":
      return true
    case "Position":
      return event.globalPosition <= asOf.position
    case "Time":
      return event.recordedAt <= asOf.at
  }
}

/**
 * A cut by time over a log whose `recordedAt` goes backwards at `position`: an event recorded before
 * the instant may follow one recorded after it, so "as of T" is not a prefix of the log and figures
 * cut there would silently miss events. Cut by position instead.
 *
 * @since 0.1.0
 */
export class RecordedAtDecreases extends Schema.TaggedError<RecordedAtDecreases>()("RecordedAtDecreases", {
  position: Schema.Number,
  recordedAt: Schema.String,
  previousRecordedAt: Schema.String,
  message: Schema.String
}) {}

/**
 * Watches `recordedAt` along a log, in order: `see` answers the first event recorded earlier than the
 * one before it (then keeps answering it). Compares instants, not strings (offsets may differ).
 *
 * @since 0.1.0
 */
export const recordedAtOrder = (): { readonly see: (event: RecordedEvent) => RecordedAtDecreases | undefined } => {
  let previous: RecordedEvent | undefined
  let previousMillis = Number.NEGATIVE_INFINITY
  let found: RecordedAtDecreases | undefined
  return {
    see: (event) => {
      if (found !== undefined) return found
      const millis = Date.parse(event.recordedAt)
      if (previous !== undefined && millis < previousMillis) {
        const p = event.globalPosition
        found = new RecordedAtDecreases({
          position: p,
          recordedAt: event.recordedAt,
          previousRecordedAt: previous.recordedAt,
          message: `recordedAt goes backwards at position ${p} (${event.recordedAt}, after ${previous.recordedAt} at ` +
            `position ${previous.globalPosition}): the log is not in time order, so a cut by time is not a prefix ` +
            `of the log and would silently drop events recorded before it; cut by position instead (e.g. up to ` +
            `position ${previous.globalPosition})`
        })
        return found
      }
      previous = event
      previousMillis = millis
      return undefined
    }
  }
}

// -----------------------------------------------------------------------------------------------
// Folding
// -----------------------------------------------------------------------------------------------

/**
 * Folds recorded events into a new ledger, in order, stopping at `asOf` (and pulling no event past
 * it). Streaming: a log of any length runs in the memory of the ledger alone.
 *
 * @since 0.1.0
 */
export const replay = <E, R>(
  events: Stream.Stream<RecordedEvent, E, R>,
  options?: { readonly asOf?: AsOf; readonly calendar?: WorkingCalendar.WorkingCalendar }
): Effect.Effect<KpiLedger, E | EventCodec.EventDecodeError, R> =>
  Effect.gen(function*() {
    const registry = yield* Effect.service(Upcaster.CurrentRegistry)
    const step = stepWith(registry, options?.calendar)
    const asOf = options?.asOf ?? atHead
    const ledger = empty()
    const bounded = asOf._tag === "Head" ? events : Stream.takeWhile(events, (e) => within(asOf, e))
    yield* Stream.runForEachArray(bounded, (batch) => {
      for (const event of batch) {
        const next = step(ledger, event)
        if (Result.isFailure(next)) return Effect.fail(next.failure)
      }
      return Effect.void
    })
    return ledger
  })

/**
 * Folds the log of the `EventStore` in context, as of `asOf` (a position is passed to the store, so
 * it reads no further).
 *
 * @since 0.1.0
 */
export const fromStore = (
  options?: {
    readonly asOf?: AsOf
    readonly batchSize?: number
    readonly calendar?: WorkingCalendar.WorkingCalendar
  }
): Effect.Effect<KpiLedger, EventStoreError | EventCodec.EventDecodeError, EventStore> =>
  Effect.gen(function*() {
    const store = yield* EventStore
    const asOf = options?.asOf ?? atHead
    return yield* replay(
      store.readAll({
        ...(asOf._tag === "Position" ? { until: asOf.position } : {}),
        ...(options?.batchSize === undefined ? {} : { batchSize: options.batchSize })
      }),
      { asOf, ...(options?.calendar === undefined ? {} : { calendar: options.calendar }) }
    )
  })

/**
 * The ledger as a projection for the runner (`Projection.catchUp` / `run`, or inline in
 * `CommandHandler`): it takes every event (so its position follows the log) and folds it into
 * `ledger` in place; a rebuild empties it first. Read the ledger between batches.
 *
 * @since 0.1.0
 */
export const projection = (
  ledger: KpiLedger,
  options?: { readonly name?: string; readonly calendar?: WorkingCalendar.WorkingCalendar }
): Projection.Projection<EventCodec.EventDecodeError> => {
  let bound: { readonly registry: Upcaster.Registry; readonly step: Step } | undefined
  return Projection.make<EventCodec.EventDecodeError>({
    name: options?.name ?? "kpi-ledger",
    handle: (event) =>
      Effect.flatMap(Effect.service(Upcaster.CurrentRegistry), (registry) => {
        if (bound?.registry !== registry) bound = { registry, step: stepWith(registry, options?.calendar) }
        return Effect.fromResult(Result.map(bound.step(ledger, event), () => undefined))
      }),
    reset: () => {
      const l = ledger as MutableLedger
      l.cells.clear()
      l.openComplaints.clear()
      l.position = 0
      l.headHash = GENESIS_HASH
      l.lastRecordedAt = null
    }
  })
}

// -----------------------------------------------------------------------------------------------
// Reading
// -----------------------------------------------------------------------------------------------

/**
 * The log head the ledger was computed from, in the form reports publish (`ReuseRateReport.LogHead`).
 *
 * @since 0.1.0
 */
export const logHead = (ledger: KpiLedger): { readonly position: number; readonly headHash: string } => ({
  position: ledger.position,
  headHash: ledger.headHash
})

/**
 * The facts of the period, attributed to units: each agency-day goes to the unit that had the
 * agency's code on that day (the unit tree is effective-dated, and agency codes were reissued by the
 * 2025 reform, so the day decides). Agency codes no unit had on the day are kept apart in
 * `unattributed` — never dropped silently, never guessed. `complaintsOverdueOpen` is the number at the
 * period's end (see {@link Facts}), each complaint attributed by its first overdue day.
 *
 * @since 0.1.0
 */
export const byUnit = (
  ledger: KpiLedger,
  query: { readonly period: { readonly from: string; readonly to: string }; readonly units: UnitHistory }
): {
  readonly units: ReadonlyMap<string, Facts>
  readonly unattributed: ReadonlyMap<string, Facts>
} => {
  const versions = new Map<string, Array<UnitHistory[number]>>()
  for (const u of query.units) {
    if (u.agencyCode === null) continue
    const list = versions.get(u.agencyCode) ?? []
    list.push(u)
    versions.set(u.agencyCode, list)
  }
  const units = new Map<string, MutableFacts>()
  const unattributed = new Map<string, MutableFacts>()
  const into = (map: Map<string, MutableFacts>, key: string): MutableFacts => {
    let f = map.get(key)
    if (f === undefined) {
      f = zeroFacts()
      map.set(key, f)
    }
    return f
  }
  const { from, to } = query.period
  const unitOn = (agencyCode: string, day: string) =>
    (versions.get(agencyCode) ?? []).find((u) => u.validFrom <= day && (u.validUntil === null || day < u.validUntil))
  // complaints overdue and open at the period's end, by where they go: summed apart, so that changes
  // netting to nothing before the period list no unit
  const overdue = new Map<string, { readonly map: Map<string, MutableFacts>; readonly key: string; count: number }>()
  const addOverdue = (agencyCode: string, day: string, n: number) => {
    const unit = unitOn(agencyCode, day)
    const id = unit === undefined ? `a ${agencyCode}` : `u ${unit.code}`
    const slot = overdue.get(id) ?? (unit === undefined
      ? { map: unattributed, key: agencyCode, count: 0 }
      : { map: units, key: unit.code, count: 0 })
    slot.count += n
    overdue.set(id, slot)
  }
  for (const [agencyCode, days] of ledger.cells) {
    for (const [day, facts] of days) {
      if (to < day) continue
      if (facts.complaintsOverdueOpen !== 0) addOverdue(agencyCode, day, facts.complaintsOverdueOpen)
      if (day < from) continue
      const unit = unitOn(agencyCode, day)
      addInto(unit === undefined ? into(unattributed, agencyCode) : into(units, unit.code), {
        ...facts,
        complaintsOverdueOpen: 0
      })
    }
  }
  const known = ledger.lastRecordedAt === null ? null : Dossier.vietnamDay(ledger.lastRecordedAt)
  for (const open of ledger.openComplaints.values()) {
    if (open.handleDue === null) continue
    const first = overdueFrom(open.handleDue)
    if (first <= to && known !== null && first <= known) addOverdue(open.agencyCode, first, 1)
  }
  for (const { map, key, count } of overdue.values()) {
    if (count !== 0) into(map, key).complaintsOverdueOpen += count
  }
  return { units, unattributed }
}
