/**
 * The complaint deadlines projection: for each complaint, its due dates computed with the working
 * calendar, and whether it was handled on time; for each agency and period, the counts behind the
 * "complaints handled on time" indicator of the national index (decision 766/QĐ-TTg).
 *
 * Definitions (docs/complaints.md):
 * - a complaint is filed on the civil day (Vietnam, UTC+7) of its `ComplaintFiled` event's `at`;
 * - `rejectDue` / `handleDue` are the `n`-th working day after that day, with `n` the durations the
 *   complaint recorded when it was filed (the policy then in force) and the calendar given here;
 * - a rejection is on time when made on or before `rejectDue`; a correction when made on or before
 *   `handleDue`; an open complaint is `Overdue` once `handleDue` has passed, `Pending` before;
 * - a due date the calendar cannot compute (its holiday data does not cover the day) makes the
 *   complaint's timeliness `Unknown` — counted apart, never guessed.
 *
 * Only events are read (never a flag a caller sets), so the projection can be rebuilt from the log as
 * of any position.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import type * as Complaint from "./Complaint.ts"
import { Event as ComplaintEvent, eventTypes as complaintEventTypes } from "./Complaint.ts"
import type { Reason } from "./ComplaintPolicy.ts"
import type { EventDecodeError } from "./EventCodec.ts"
import { vietnamDate } from "./internal/matchingDates.ts"
import * as Period from "./Period.ts"
import * as Projection from "./Projection.ts"
import * as Ratio from "./Ratio.ts"
import * as WorkingCalendar from "./WorkingCalendar.ts"

/**
 * One complaint's deadlines and outcome. Days are `YYYY-MM-DD` in Vietnam.
 *
 * @since 0.1.0
 */
export interface Entry {
  readonly complaintId: string
  readonly ownerId: string
  readonly documentId: string
  /** The issuing agency the complaint is routed to. */
  readonly agencyCode: string
  readonly reason: Reason
  readonly filedAt: string
  readonly filedOn: string
  /** Last day for an on-time rejection; null when the calendar does not cover it. */
  readonly rejectDue: string | null
  /** Last day for an on-time correction; null when the calendar does not cover it. */
  readonly handleDue: string | null
  /** Why a due date is missing (the calendar's message), or null. */
  readonly calendarProblem: string | null
  readonly acknowledgedOn: string | null
  readonly outcome: "Open" | "Resolved" | "Rejected"
  readonly closedAt: string | null
  readonly closedOn: string | null
}

/**
 * Whether a complaint was (or is being) handled in time.
 *
 * @since 0.1.0
 */
export type Timeliness = "OnTime" | "Late" | "Pending" | "Overdue" | "Unknown"

const due = (calendar: WorkingCalendar.WorkingCalendar, day: string, n: number) =>
  WorkingCalendar.addWorkingDays(calendar, day, n)

/**
 * Folds one complaint event into that complaint's entry (pure). Events for a complaint never filed
 * leave it undefined.
 *
 * @since 0.1.0
 */
export const step = (
  calendar: WorkingCalendar.WorkingCalendar,
  entry: Entry | undefined,
  event: Complaint.Event
): Entry | undefined => {
  switch (event._tag) {
    case "ComplaintFiled": {
      const filedOn = vietnamDate(event.at)
      const reject = due(calendar, filedOn, event.rejectWithinWorkingDays)
      const handle = due(calendar, filedOn, event.handleWithinWorkingDays)
      const problem = Result.isFailure(reject)
        ? reject.failure.message
        : Result.isFailure(handle)
        ? handle.failure.message
        : null
      return {
        complaintId: event.complaintId,
        ownerId: event.ownerId,
        documentId: event.documentId,
        agencyCode: event.agencyCode,
        reason: event.reason,
        filedAt: event.at,
        filedOn,
        rejectDue: Result.isSuccess(reject) ? reject.success : null,
        handleDue: Result.isSuccess(handle) ? handle.success : null,
        calendarProblem: problem,
        acknowledgedOn: null,
        outcome: "Open",
        closedAt: null,
        closedOn: null
      }
    }
    case "ComplaintAcknowledged":
      return entry === undefined ? undefined : { ...entry, acknowledgedOn: vietnamDate(event.at) }
    case "ComplaintResolved":
    case "ComplaintRejected":
      return entry === undefined ? undefined : {
        ...entry,
        outcome: event._tag === "ComplaintResolved" ? "Resolved" : "Rejected",
        closedAt: event.at,
        closedOn: vietnamDate(event.at)
      }
  }
}

/**
 * Folds events into entries by complaint id (pure; for tests and one-off computations).
 *
 * @since 0.1.0
 */
export const fold = (
  calendar: WorkingCalendar.WorkingCalendar,
  events: Iterable<Complaint.Event>
): ReadonlyMap<string, Entry> => {
  const entries = new Map<string, Entry>()
  for (const event of events) {
    const next = step(calendar, entries.get(event.complaintId), event)
    if (next !== undefined) entries.set(event.complaintId, next)
  }
  return entries
}

/**
 * The timeliness of a complaint as of the civil day `asOf` (`YYYY-MM-DD`); a closed complaint's
 * timeliness does not depend on `asOf`.
 *
 * @since 0.1.0
 */
export const timeliness = (entry: Entry, asOf: string): Timeliness => {
  if (entry.closedOn !== null) {
    const deadline = entry.outcome === "Resolved" ? entry.handleDue : entry.rejectDue
    if (deadline === null) return "Unknown"
    return entry.closedOn <= deadline ? "OnTime" : "Late"
  }
  if (entry.handleDue === null) return "Unknown"
  return asOf > entry.handleDue ? "Overdue" : "Pending"
}

/**
 * What one agency (or a total) did in a period:
 * - `filed`: complaints filed in the period;
 * - `handled`: complaints closed (resolved or rejected) in the period, split into `onTime`, `late`
 *   and `unknown` (no due date: the calendar does not cover it);
 * - `openAtEnd`: complaints filed by the period's last day and still open at its end, of which
 *   `overdueAtEnd` had passed their `handleDue`.
 *
 * @since 0.1.0
 */
export interface Counts {
  readonly filed: number
  readonly handled: number
  readonly onTime: number
  readonly late: number
  readonly unknown: number
  readonly openAtEnd: number
  readonly overdueAtEnd: number
}

/**
 * Nothing at all.
 *
 * @since 0.1.0
 */
export const zero: Counts = { filed: 0, handled: 0, onTime: 0, late: 0, unknown: 0, openAtEnd: 0, overdueAtEnd: 0 }

const add = (a: Counts, b: Counts): Counts => ({
  filed: a.filed + b.filed,
  handled: a.handled + b.handled,
  onTime: a.onTime + b.onTime,
  late: a.late + b.late,
  unknown: a.unknown + b.unknown,
  openAtEnd: a.openAtEnd + b.openAtEnd,
  overdueAtEnd: a.overdueAtEnd + b.overdueAtEnd
})

/**
 * Field-wise sum.
 *
 * @since 0.1.0
 */
export const sum = (counts: Iterable<Counts>): Counts => {
  let total = zero
  for (const c of counts) total = add(total, c)
  return total
}

/**
 * How one complaint counts in `period`.
 *
 * @since 0.1.0
 */
export const countsOf = (entry: Entry, period: Period.Period): Counts => {
  const filed = Period.contains(period, entry.filedOn) ? 1 : 0
  let handled = 0, onTime = 0, late = 0, unknown = 0, openAtEnd = 0, overdueAtEnd = 0
  if (entry.closedOn !== null && Period.contains(period, entry.closedOn)) {
    handled = 1
    const t = timeliness(entry, period.to)
    if (t === "OnTime") onTime = 1
    else if (t === "Late") late = 1
    else unknown = 1
  }
  if (entry.filedOn <= period.to && (entry.closedOn === null || entry.closedOn > period.to)) {
    openAtEnd = 1
    if (entry.handleDue !== null && period.to > entry.handleDue) overdueAtEnd = 1
  }
  return { filed, handled, onTime, late, unknown, openAtEnd, overdueAtEnd }
}

/**
 * The indicator "complaints handled on time": on time ÷ (on time + late) among the complaints closed
 * in the period; `null` when none was closed with a known deadline (not applicable — never 0 %).
 *
 * @since 0.1.0
 */
export const onTimeRate = (counts: Counts): Ratio.Ratio | null => Ratio.make(counts.onTime, counts.onTime + counts.late)

/**
 * One agency's line.
 *
 * @since 0.1.0
 */
export interface AgencyRow {
  readonly agencyCode: string
  readonly counts: Counts
}

/**
 * Counts per agency for `period`, sorted by agency code; agencies with nothing in the period are left
 * out (list them with {@link zero} counts if a report must show every unit).
 *
 * @since 0.1.0
 */
export const byAgency = (entries: Iterable<Entry>, period: Period.Period): ReadonlyArray<AgencyRow> => {
  const rows = new Map<string, Counts>()
  for (const entry of entries) {
    const c = countsOf(entry, period)
    if (c.filed + c.handled + c.openAtEnd === 0) continue
    rows.set(entry.agencyCode, add(rows.get(entry.agencyCode) ?? zero, c))
  }
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([agencyCode, counts]) => ({ agencyCode, counts }))
}

/**
 * A live read model fed by {@link ReadModel.projection} (inline through `CommandHandler`, or
 * `Projection.catchUp` / `run` / `rebuild`).
 *
 * @since 0.1.0
 */
export interface ReadModel {
  readonly projection: Projection.Projection<EventDecodeError>
  readonly calendar: WorkingCalendar.WorkingCalendar
  readonly get: (complaintId: string) => Entry | undefined
  /** Every complaint, in the order filed. */
  readonly entries: () => ReadonlyArray<Entry>
  /** An owner's complaints ("the owner sees the status"). */
  readonly forOwner: (ownerId: string) => ReadonlyArray<Entry>
  /** The complaints routed to an agency (its inbox); `openOnly` keeps those still open. */
  readonly forAgency: (agencyCode: string, options?: { readonly openOnly?: boolean }) => ReadonlyArray<Entry>
  /** {@link byAgency} over every complaint. */
  readonly byAgency: (period: Period.Period) => ReadonlyArray<AgencyRow>
}

/**
 * Builds an in-memory read model. Gotcha: the state lives in this object; run its projection with a
 * checkpoint store that is as fresh as it (or `rebuild`), or the model misses what came before.
 *
 * @since 0.1.0
 */
export const make = (options?: {
  readonly calendar?: WorkingCalendar.WorkingCalendar
  /** The projection's name (checkpoint key); default `ComplaintDeadlines`. */
  readonly name?: string
}): ReadModel => {
  const calendar = options?.calendar ?? WorkingCalendar.vietnam
  const entries = new Map<string, Entry>()
  const all = () => [...entries.values()]
  return {
    calendar,
    projection: Projection.makeDecoded({
      name: options?.name ?? "ComplaintDeadlines",
      schema: ComplaintEvent,
      eventTypes: complaintEventTypes,
      handle: (event) => {
        const next = step(calendar, entries.get(event.complaintId), event)
        if (next !== undefined) entries.set(event.complaintId, next)
      },
      reset: () => entries.clear()
    }),
    get: (complaintId) => entries.get(complaintId),
    entries: all,
    forOwner: (ownerId) => all().filter((e) => e.ownerId === ownerId),
    forAgency: (agencyCode, filter) =>
      all().filter((e) => e.agencyCode === agencyCode && (filter?.openOnly !== true || e.outcome === "Open")),
    byAgency: (period) => byAgency(entries.values(), period)
  }
}
