/**
 * The notification outbox: turns dossier events into citizen notifications that are never lost and
 * never sent twice by Kho.
 *
 * The event log is the outbox's source of truth: appending the dossier event *is* the transactional
 * write, so there is no second write that a crash could lose. A relay then works in two stages:
 *
 * 1. **record** — an asynchronous projection (own checkpoint in `CheckpointStore`) maps each
 *    triggering event to one notification per channel, with a deterministic id
 *    ({@link notificationId}), and inserts them, `Pending`, into the outbox state ({@link OutboxStore});
 *    an id already there is left alone, so replaying from an older checkpoint adds nothing;
 * 2. **dispatch** — each `Pending` notification is sent through the `Notifier`, retried with
 *    exponential backoff (`Schedule`), then marked `Sent`, `Failed` (attempts and last error kept)
 *    or `Skipped` (the owner has no address on that channel). A notification that is not `Pending`
 *    is never sent again.
 *
 * Triggers: a submitted dossier's number ({@link Notification.Kind} `Submitted`), receipt, request for
 * supplements, rejection, issued result. A dossier that was never submitted triggers nothing: only
 * events of a numbered dossier map to notifications, and the relay checks the stream holds a
 * `DossierSubmitted` before the event (so a forged or imported log cannot either).
 *
 * Guarantees: at least once to the provider, exactly once from a single relay as long as the process
 * does not die between the provider's acknowledgement and the `Sent` write (an interruption cannot
 * split them); after such a crash the message is sent again with the same id, which providers get as
 * an idempotency key. Run one relay per outbox (SQL adapters guard it with an advisory lock).
 *
 * ```ts
 * yield* Effect.forkScoped(NotificationOutbox.run({ channels: ["Zalo", "Sms"] }))
 * ```
 *
 * @since 0.1.0
 */
import { Context, Data, DateTime, Duration, Effect, Layer, Option, Queue, Schedule, Schema, Semaphore } from "effect"
import * as Checkpoint from "./Checkpoint.ts"
import * as Dossier from "./Dossier.ts"
import type { RecordedEvent } from "./Event.ts"
import type * as EventCodec from "./EventCodec.ts"
import { EventStore, type EventStoreError } from "./EventStore.ts"
import * as memory from "./internal/notificationOutboxMemory.ts"
import { Channel, Kind, Notifier, type NotifierError, render } from "./Notification.ts"
import type { Message } from "./Notification.ts"
import * as Projection from "./Projection.ts"
import { addressOf, RecipientDirectory, type RecipientDirectoryError } from "./RecipientDirectory.ts"

// -----------------------------------------------------------------------------------------------
// Outbox state
// -----------------------------------------------------------------------------------------------

/**
 * Where a notification stands. `Pending` is the only state the relay sends from.
 *
 * @since 0.1.0
 */
export const Status = Schema.Literals(["Pending", "Sent", "Failed", "Skipped"])

/**
 * @since 0.1.0
 */
export type Status = typeof Status.Type

/**
 * One notification in the outbox. It names the owner, not an address: the address is looked up in
 * the `RecipientDirectory` at send time, so the outbox holds no contact data.
 *
 * @since 0.1.0
 */
export const Entry = Schema.Struct({
  id: Schema.NonEmptyString,
  channel: Channel,
  kind: Kind,
  dossierId: Schema.String,
  dossierNumber: Schema.String,
  ownerId: Schema.String,
  text: Schema.String,
  /** The triggering event: its global position and hash (the id is derived from them). */
  sourcePosition: Schema.Int,
  sourceHash: Schema.String,
  /** The triggering event's `recordedAt`: the entry is the same whenever it is (re)built. */
  createdAt: Schema.String,
  status: Status,
  /** Calls to the notifier so far (a crash during a send leaves `Pending` with attempts > 0). */
  attempts: Schema.Int,
  lastAttemptAt: Schema.NullOr(Schema.String),
  lastError: Schema.NullOr(Schema.String),
  sentAt: Schema.NullOr(Schema.String),
  providerReference: Schema.NullOr(Schema.String)
})

/**
 * @since 0.1.0
 */
export type Entry = typeof Entry.Type

/**
 * The outbox state port. SQL adapters keep it in the same database (and transaction) as the relay's
 * checkpoint; the memory layer lives as long as the layer.
 *
 * @since 0.1.0
 */
export class OutboxStore extends Context.Service<OutboxStore, {
  /** Inserts the entries whose id is unknown and returns them; known ids are left untouched. */
  readonly record: (entries: ReadonlyArray<Entry>) => Effect.Effect<ReadonlyArray<Entry>, EventStoreError>
  readonly get: (id: string) => Effect.Effect<Option.Option<Entry>, EventStoreError>
  /**
   * Replaces the entry with `next` only if it is still at `expected`'s status and attempts (a
   * compare-and-set: `UPDATE … WHERE id = ? AND status = ? AND attempts = ?`); false otherwise.
   */
  readonly transition: (
    expected: Pick<Entry, "id" | "status" | "attempts">,
    next: Entry
  ) => Effect.Effect<boolean, EventStoreError>
  /** Entries in insertion order, optionally of one status. */
  readonly list: (
    options?: { readonly status?: Status; readonly limit?: number }
  ) => Effect.Effect<ReadonlyArray<Entry>, EventStoreError>
}>()("@kho/core/OutboxStore") {}

/**
 * An outbox state kept in memory, for tests and examples. Gotcha: give it the same lifetime as the
 * relay's checkpoint — a fresh outbox with an old checkpoint loses nothing, but an old checkpoint
 * reset with a fresh outbox sends everything again.
 *
 * @since 0.1.0
 */
export const layerMemory: Layer.Layer<OutboxStore> = Layer.sync(OutboxStore, () => OutboxStore.of(memory.make<Entry>()))

// -----------------------------------------------------------------------------------------------
// Mapping events to notifications
// -----------------------------------------------------------------------------------------------

/**
 * The dossier events that notify the owner, and what they are called in a notification.
 *
 * @since 0.1.0
 */
export const triggers = {
  DossierNumberAssigned: "Submitted",
  DossierReceived: "Received",
  SupplementRequested: "SupplementRequested",
  DossierRejected: "Rejected",
  ResultIssued: "ResultIssued",
  // the papers wait where the citizen chose to receive them: tell them, as for an electronic result
  PaperResultIssued: "PaperResultIssued"
} as const satisfies Record<string, Kind>

type Trigger = Extract<Dossier.Event, { readonly _tag: keyof typeof triggers }>

const isTrigger = (event: Dossier.Event): event is Trigger => Object.hasOwn(triggers, event._tag)

/**
 * The id of the notification an event causes on a channel:
 * `ntf-<global position>-<channel>-<first 16 hex of the event hash>`. The same event always gives the
 * same id (replays, restarts, another relay on an imported copy of the log); the hash keeps ids of
 * two different logs apart.
 *
 * @since 0.1.0
 */
export const notificationId = (event: Pick<RecordedEvent, "globalPosition" | "hash">, channel: Channel): string =>
  `ntf-${event.globalPosition}-${channel.toLowerCase()}-${event.hash.slice(0, 16)}`

/**
 * The notifications a dossier event causes, one per channel, all `Pending` (none for other events).
 * Pure: it does not check the dossier was submitted — the relay does.
 *
 * @since 0.1.0
 */
export const entriesOf = (
  event: Dossier.Event,
  recorded: RecordedEvent,
  channels: ReadonlyArray<Channel>
): ReadonlyArray<Entry> => {
  if (!isTrigger(event)) return []
  const kind = triggers[event._tag]
  const reason = event._tag === "SupplementRequested" || event._tag === "DossierRejected" ? event.reason : null
  const text = render({ kind, dossierNumber: event.number, reason })
  return [...new Set(channels)].map((channel) => ({
    id: notificationId(recorded, channel),
    channel,
    kind,
    dossierId: event.dossierId,
    dossierNumber: event.number,
    ownerId: event.ownerId,
    text,
    sourcePosition: recorded.globalPosition,
    sourceHash: recorded.hash,
    createdAt: recorded.recordedAt,
    status: "Pending",
    attempts: 0,
    lastAttemptAt: null,
    lastError: null,
    sentAt: null,
    providerReference: null
  }))
}

// -----------------------------------------------------------------------------------------------
// Options
// -----------------------------------------------------------------------------------------------

/**
 * How the dispatcher retries one notification: exponential backoff from `base`, times `factor`,
 * capped at `cap`, ±20 % jitter, `maxAttempts` sends in all; then the entry is `Failed`.
 *
 * @since 0.1.0
 */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly base: Duration.Input
  readonly factor: number
  readonly cap: Duration.Input
  readonly jitter: boolean
}

/**
 * The default retry policy: 8 sends over about 4 minutes (2 s, 4 s, … capped at 10 min).
 *
 * @since 0.1.0
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  base: "2 seconds",
  factor: 2,
  cap: "10 minutes",
  jitter: true
}

/**
 * Options of the relay.
 *
 * @since 0.1.0
 */
export interface Options {
  /** The projection's checkpoint name (default `notifications`). */
  readonly name?: string
  /** Channels every notification goes out on (default Zalo and SMS). */
  readonly channels?: ReadonlyArray<Channel>
  readonly retry?: Partial<RetryPolicy>
  /** Notifications sent at the same time (default 4). */
  readonly concurrency?: number
  /** Events per read and checkpoint (default the store's). */
  readonly batchSize?: number
  /**
   * Where a relay that never ran starts: `beginning` (default) notifies for the whole log; `head`
   * skips what is already there — use it when adding notifications to a deployment with history,
   * or every citizen hears about years-old dossiers.
   */
  readonly startFrom?: "beginning" | "head"
  /** How often `run` looks for `Pending` entries no one is sending (default 1 minute). */
  readonly sweepEvery?: Duration.Input
}

const nameOf = (options: Options | undefined) => options?.name ?? "notifications"
const channelsOf = (options: Options | undefined): ReadonlyArray<Channel> => options?.channels ?? ["Zalo", "Sms"]
const concurrencyOf = (options: Options | undefined) => Math.max(1, options?.concurrency ?? 4)

/**
 * The retry schedule of a policy (exposed so adapters and tests can reuse it).
 *
 * @since 0.1.0
 */
export const retrySchedule = (policy: RetryPolicy): Schedule.Schedule<Duration.Duration> => {
  const cap = Duration.fromInputUnsafe(policy.cap)
  const capped = Schedule.exponential(policy.base, policy.factor).pipe(
    Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, cap)))
  )
  return policy.jitter ? Schedule.jittered(capped) : capped
}

// -----------------------------------------------------------------------------------------------
// Stage 1: record
// -----------------------------------------------------------------------------------------------

const wasSubmitted = (recorded: RecordedEvent): Effect.Effect<boolean, EventStoreError, EventStore> =>
  Effect.gen(function*() {
    if (recorded.streamVersion <= 1) return false
    const before = yield* (yield* EventStore).readStream(recorded.streamId, { toVersion: recorded.streamVersion - 1 })
    return before.some((event) => event.type === "DossierSubmitted")
  })

/**
 * The recording stage as a projection: inserts the notifications of each triggering event of a
 * submitted dossier, then calls `onRecorded` with those that were new. Run it with `Projection` to
 * only fill the outbox (and send from elsewhere); {@link run} and {@link drain} use it.
 *
 * @since 0.1.0
 */
export const projection = <E = never, R = never>(
  options?: Options,
  onRecorded?: (entries: ReadonlyArray<Entry>) => Effect.Effect<void, E, R>
): Projection.Projection<E | EventStoreError | EventCodec.EventDecodeError, R | EventStore | OutboxStore> => {
  const channels = channelsOf(options)
  return Projection.makeDecoded({
    name: nameOf(options),
    schema: Dossier.Event,
    eventTypes: Object.keys(triggers) as Array<keyof typeof triggers>,
    handle: (event, recorded) =>
      Effect.gen(function*() {
        const entries = entriesOf(event, recorded, channels)
        if (entries.length === 0 || !(yield* wasSubmitted(recorded))) return
        const inserted = yield* (yield* OutboxStore).record(entries)
        if (onRecorded !== undefined && inserted.length > 0) yield* onRecorded(inserted)
      })
  })
}

/** A relay that never ran starts at the head when asked to; afterwards the checkpoint rules. */
const prepare = (options: Options | undefined) =>
  Effect.gen(function*() {
    if (options?.startFrom !== "head") return
    const checkpoints = yield* Checkpoint.CheckpointStore
    const name = nameOf(options)
    if ((yield* checkpoints.load(name)) > 0) return
    const head = yield* (yield* EventStore).head
    if (head.position > 0) yield* checkpoints.save(name, head.position)
  })

// -----------------------------------------------------------------------------------------------
// Stage 2: dispatch
// -----------------------------------------------------------------------------------------------

/**
 * What {@link dispatch} did with one notification. `AlreadyDone`: it was not `Pending` (sent,
 * failed, skipped, unknown) or another dispatcher moved it first — nothing was sent.
 *
 * @since 0.1.0
 */
export type Outcome = "Sent" | "Failed" | "Skipped" | "AlreadyDone"

/** Another dispatcher changed the entry under us: stop without sending. */
class Superseded extends Data.TaggedError("Superseded") {}

const nowIso = Effect.map(DateTime.now, DateTime.formatIso)

const retryable = (error: NotifierError | RecipientDirectoryError | EventStoreError | Superseded): boolean =>
  (error._tag === "NotifierError" || error._tag === "RecipientDirectoryError") && error.retryable

/**
 * Sends one `Pending` notification: looks the owner's address up, counts the attempt, sends, and
 * marks it `Sent`; retries retryable failures with the policy's backoff, then marks it `Failed`.
 * Safe to call for any id, any number of times: only a `Pending` entry is ever sent.
 *
 * @since 0.1.0
 */
export const dispatch = (
  id: string,
  options?: Options
): Effect.Effect<Outcome, EventStoreError, OutboxStore | Notifier | RecipientDirectory> =>
  Effect.gen(function*() {
    const store = yield* OutboxStore
    const notifier = yield* Notifier
    const directory = yield* RecipientDirectory
    const inFlight = inFlightOf(store)
    return yield* Effect.uninterruptibleMask((restore) =>
      Effect.suspend(() => {
        if (inFlight.has(id)) return Effect.succeed<Outcome>("AlreadyDone")
        inFlight.add(id)
        return restore(dispatchClaimed(id, options, store, notifier, directory)).pipe(
          Effect.ensuring(Effect.sync(() => inFlight.delete(id)))
        )
      })
    )
  }).pipe(Effect.withSpan("NotificationOutbox.dispatch", { attributes: { id } }))

/**
 * Ids being dispatched in this process, per outbox store: a second `dispatch` of an id in flight
 * (a `drain` beside a `run`, a caller retrying) returns at once instead of sending it again.
 * Across processes, run one relay per outbox.
 */
const inFlightByStore = new WeakMap<object, Set<string>>()

const inFlightOf = (store: OutboxStore["Service"]): Set<string> => {
  let ids = inFlightByStore.get(store)
  if (ids === undefined) {
    ids = new Set()
    inFlightByStore.set(store, ids)
  }
  return ids
}

const dispatchClaimed = (
  id: string,
  options: Options | undefined,
  store: OutboxStore["Service"],
  notifier: Notifier["Service"],
  directory: RecipientDirectory["Service"]
): Effect.Effect<Outcome, EventStoreError> =>
  Effect.gen(function*() {
    const policy: RetryPolicy = { ...defaultRetryPolicy, ...options?.retry }
    const found = yield* store.get(id)
    if (Option.isNone(found) || found.value.status !== "Pending") return "AlreadyDone"
    let entry = found.value

    /** Moves the entry to `next`; false when someone else moved it first. */
    const move = (fields: Partial<Entry>) =>
      Effect.gen(function*() {
        const next: Entry = { ...entry, ...fields }
        const moved = yield* store.transition(entry, next)
        if (moved) entry = next
        return moved
      })

    const attempt: Effect.Effect<
      Outcome,
      NotifierError | RecipientDirectoryError | EventStoreError | Superseded
    > = Effect.gen(function*() {
      const contact = yield* directory.contactOf(entry.ownerId)
      const to = Option.isNone(contact) ? null : addressOf(contact.value, entry.channel)
      if (to === null) {
        const what = entry.channel === "Sms" ? "phone number" : "Zalo id"
        const moved = yield* move({
          status: "Skipped",
          lastError: Option.isNone(contact)
            ? `the recipient directory does not know owner ${entry.ownerId}`
            : `owner ${entry.ownerId} has no ${what}`
        })
        return moved ? "Skipped" : "AlreadyDone"
      }
      if (!(yield* move({ attempts: entry.attempts + 1, lastAttemptAt: yield* nowIso }))) {
        return yield* new Superseded()
      }
      const message: Message = {
        id: entry.id,
        channel: entry.channel,
        kind: entry.kind,
        to,
        dossierNumber: entry.dossierNumber,
        text: entry.text
      }
      // Once the provider acknowledged, `Sent` is written before any interruption is honoured.
      return yield* Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const receipt = yield* restore(notifier.send(message))
          yield* move({ status: "Sent", sentAt: yield* nowIso, providerReference: receipt.providerReference, lastError: null })
          return "Sent" as const
        })
      )
    })

    return yield* attempt.pipe(
      Effect.tapError((error) =>
        retryable(error) ? move({ lastError: error.message }).pipe(Effect.asVoid) : Effect.void
      ),
      Effect.retry({ schedule: retrySchedule(policy), times: Math.max(0, policy.maxAttempts - 1), while: retryable }),
      Effect.catchTags({
        Superseded: () => Effect.succeed("AlreadyDone" as const),
        NotifierError: (error) => Effect.map(move({ status: "Failed", lastError: error.message }), (): Outcome => "Failed"),
        RecipientDirectoryError: (error) =>
          Effect.map(move({ status: "Failed", lastError: error.message }), (): Outcome => "Failed")
      })
    )
  })

/**
 * Puts `Failed` notifications back to `Pending` (all of them, or those of `ids`) so the relay sends
 * them again: the operator's answer to a provider outage longer than the retry policy. Returns the
 * ids requeued.
 *
 * @since 0.1.0
 */
export const requeueFailed = (ids?: Iterable<string>): Effect.Effect<ReadonlyArray<string>, EventStoreError, OutboxStore> =>
  Effect.gen(function*() {
    const store = yield* OutboxStore
    const wanted = ids === undefined ? undefined : new Set(ids)
    const failed = yield* store.list({ status: "Failed" })
    const requeued: Array<string> = []
    for (const entry of failed) {
      if (wanted !== undefined && !wanted.has(entry.id)) continue
      if (yield* store.transition(entry, { ...entry, status: "Pending" })) requeued.push(entry.id)
    }
    return requeued
  })

// -----------------------------------------------------------------------------------------------
// Running the relay
// -----------------------------------------------------------------------------------------------

/**
 * What one {@link drain} did.
 *
 * @since 0.1.0
 */
export interface Summary {
  /** The relay's checkpoint after recording. */
  readonly position: number
  readonly sent: number
  readonly failed: number
  readonly skipped: number
  readonly alreadyDone: number
}

/**
 * Everything the relay needs.
 *
 * @since 0.1.0
 */
export type Requirements = EventStore | Checkpoint.CheckpointStore | OutboxStore | Notifier | RecipientDirectory

/**
 * Errors that stop the relay: the stores failing, or an event that does not decode.
 *
 * @since 0.1.0
 */
export type RelayError = EventStoreError | EventCodec.EventDecodeError

/**
 * Runs the relay once to completion: records up to the head of the log, then dispatches every
 * `Pending` notification (retries included). For tests, a cron job, or a CLI; services want {@link run}.
 *
 * @since 0.1.0
 */
export const drain = (options?: Options): Effect.Effect<Summary, RelayError, Requirements> =>
  Effect.gen(function*() {
    yield* prepare(options)
    const position = yield* Projection.catchUp(projection(options), {
      ...(options?.batchSize === undefined ? {} : { batchSize: options.batchSize })
    })
    const pending = yield* (yield* OutboxStore).list({ status: "Pending" })
    // A semaphore over fibers all started at once, not `forEach`'s bounded concurrency: in Effect
    // 4.1 interrupting the latter can return before late-started fibers ran their finalizers.
    const permits = yield* Semaphore.make(concurrencyOf(options))
    const outcomes = yield* Effect.forEach(pending, (entry) => Semaphore.withPermit(permits, dispatch(entry.id, options)), {
      concurrency: "unbounded"
    })
    const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length
    return {
      position,
      sent: count("Sent"),
      failed: count("Failed"),
      skipped: count("Skipped"),
      alreadyDone: count("AlreadyDone")
    }
  }).pipe(Effect.withSpan("NotificationOutbox.drain"))

/**
 * Runs the relay for ever: follows the log from its checkpoint, records notifications, and sends
 * them as they are recorded (up to `concurrency` at once); every `sweepEvery` it also picks up
 * `Pending` entries no one is sending (left by a crash, a store error, or {@link requeueFailed}).
 * Fork it; interrupting it is a clean stop, and a new relay on the same stores resumes. A failed
 * dispatch (the outbox store down) is logged and left to the next sweep.
 *
 * @since 0.1.0
 */
export const run = (options?: Options): Effect.Effect<never, RelayError, Requirements> =>
  Effect.scoped(Effect.gen(function*() {
    yield* prepare(options)
    const store = yield* OutboxStore
    const queue = yield* Queue.unbounded<string>()
    const queued = new Set<string>()
    const enqueue = (ids: Iterable<string>) =>
      Effect.suspend(() => {
        const fresh = [...ids].filter((id) => !queued.has(id))
        for (const id of fresh) queued.add(id)
        return fresh.length === 0 ? Effect.void : Effect.asVoid(Queue.offerAll(queue, fresh))
      })

    // A fixed pool of workers (see the note in `drain` on bounded concurrency and interruption).
    const worker = Queue.take(queue).pipe(
      Effect.flatMap((id) =>
        dispatch(id, options).pipe(
          Effect.catch((error) => Effect.logWarning(`notification ${id} stays pending: ${error.message}`)),
          Effect.ensuring(Effect.sync(() => queued.delete(id)))
        )
      ),
      Effect.forever
    )
    const sweep = Effect.flatMap(store.list({ status: "Pending" }), (pending) => enqueue(pending.map((e) => e.id))).pipe(
      Effect.catch((error) => Effect.logWarning(`the notification sweep failed: ${error.message}`)),
      Effect.repeat(Schedule.spaced(options?.sweepEvery ?? "1 minute"))
    )
    for (let i = 0; i < concurrencyOf(options); i++) yield* Effect.forkScoped(worker)
    yield* Effect.forkScoped(sweep)
    return yield* Projection.run(
      projection(options, (entries) => enqueue(entries.map((entry) => entry.id))),
      options?.batchSize === undefined ? undefined : { batchSize: options.batchSize }
    )
  }))
