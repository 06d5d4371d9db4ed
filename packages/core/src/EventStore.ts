/**
 * The event-store port. Every adapter (in-memory here, SQLite and PostgreSQL in their own packages)
 * implements this service and passes the one contract suite in `@kho/testing`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Schema, Stream } from "effect"
import type { Option } from "effect"
import type { NewEvent, RecordedEvent } from "./Event.ts"
import * as memory from "./internal/memoryEventStore.ts"

/**
 * What the caller expects the stream's current version to be when appending.
 *
 * - `Any`: append whatever the version (use sparingly: no optimistic concurrency);
 * - `NoStream`: the stream must not exist yet;
 * - `Exact`: the stream's last version must be exactly `version` (0 = no events).
 *
 * @since 0.1.0
 */
export type ExpectedVersion =
  | { readonly _tag: "Any" }
  | { readonly _tag: "NoStream" }
  | { readonly _tag: "Exact"; readonly version: number }

/**
 * Constructors for {@link ExpectedVersion}.
 *
 * @since 0.1.0
 */
export const ExpectedVersion = {
  any: { _tag: "Any" } as ExpectedVersion,
  noStream: { _tag: "NoStream" } as ExpectedVersion,
  exact: (version: number): ExpectedVersion => ({ _tag: "Exact", version }),
  /** How a {@link ConcurrencyConflict} names what was expected: `"5"`, `"no stream"`, `"any version"`. */
  describe: (expected: ExpectedVersion): string =>
    expected._tag === "Exact" ? String(expected.version) : expected._tag === "NoStream" ? "no stream" : "any version"
} as const

/**
 * Outcome of an append.
 *
 * `alreadyAppended` is true when the command id had already been appended: nothing new was written
 * and the positions are those of the first append (idempotent command handling).
 *
 * @since 0.1.0
 */
export interface AppendResult {
  readonly streamId: string
  /** The stream's version after the append (its last event's version). */
  readonly nextExpectedVersion: number
  /** Global positions of the appended events, first and last (inclusive). */
  readonly firstPosition: number
  readonly lastPosition: number
  /** Hash of the last event appended: the log head after this append. */
  readonly headHash: string
  readonly alreadyAppended: boolean
}

/**
 * The head of the log: its last global position (0 when empty) and that event's hash.
 *
 * @since 0.1.0
 */
export interface LogHead {
  readonly position: number
  readonly hash: string
}

/**
 * The stream was not at the expected version: someone else appended first. Reload and decide again.
 *
 * @since 0.1.0
 */
export class ConcurrencyConflict extends Schema.TaggedError<ConcurrencyConflict>()("ConcurrencyConflict", {
  streamId: Schema.String,
  expected: Schema.String,
  actual: Schema.Number
}) {
  override get message(): string {
    return `stream ${this.streamId} is at version ${this.actual}, expected ${this.expected}: reload it and retry`
  }
}

/**
 * The store failed for a reason outside the domain (I/O, corrupted row, constraint, connection).
 * `retryable` says whether retrying the same operation may succeed (deadlock, busy, lost connection).
 *
 * @since 0.1.0
 */
export class EventStoreError extends Schema.TaggedError<EventStoreError>()("EventStoreError", {
  reason: Schema.Literals(["Io", "Corrupted", "Constraint", "Deadlock", "Busy", "Connection", "InvalidArgument"]),
  message: Schema.String,
  retryable: Schema.Boolean,
  cause: Schema.optional(Schema.Defect())
}) {}

/**
 * Options of {@link EventStore} `append`.
 *
 * @since 0.1.0
 */
export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion
  /**
   * Names the command these events result from. When events with this command id were already
   * appended, the store appends nothing and returns the first outcome (`alreadyAppended: true`).
   * Defaults to the `commandId` of the first event's metadata.
   */
  readonly commandId?: string
}

/**
 * Options of {@link EventStore} `readStream`; versions are inclusive.
 *
 * @since 0.1.0
 */
export interface ReadStreamOptions {
  readonly fromVersion?: number
  readonly toVersion?: number
}

/**
 * Options of {@link EventStore} `readAll` and `subscribe`.
 *
 * @since 0.1.0
 */
export interface ReadAllOptions {
  /** Read events strictly after this global position (a checkpoint); 0 reads from the start. */
  readonly after?: number
  /** Read at most up to this global position (inclusive). */
  readonly until?: number
  /** How many events each database round trip fetches. */
  readonly batchSize?: number
}

/**
 * The event store service.
 *
 * Guarantees every adapter gives (and the contract suite checks):
 * - an append is atomic: all its events or none;
 * - global positions start at 1, have no gaps, and a reader never sees position n+1 before n;
 * - every event is sealed into the hash chain at append time (`HashChain.seal`);
 * - a command id is appended at most once.
 *
 * @since 0.1.0
 */
export class EventStore extends Context.Service<EventStore, {
  /** Appends events to one stream atomically, checking the expected version. */
  readonly append: (
    streamId: string,
    events: ReadonlyArray<NewEvent>,
    options: AppendOptions
  ) => Effect.Effect<AppendResult, ConcurrencyConflict | EventStoreError>
  /** Reads one stream in version order (empty when the stream does not exist). */
  readonly readStream: (
    streamId: string,
    options?: ReadStreamOptions
  ) => Effect.Effect<ReadonlyArray<RecordedEvent>, EventStoreError>
  /** Reads the log in global order, in batches, and ends at the head as of each batch. */
  readonly readAll: (options?: ReadAllOptions) => Stream.Stream<RecordedEvent, EventStoreError>
  /** Catches up from a checkpoint and then keeps following new events; never ends by itself. */
  readonly subscribe: (options?: ReadAllOptions) => Stream.Stream<RecordedEvent, EventStoreError>
  /** The first outcome of a command id, if it was appended. */
  readonly findCommand: (commandId: string) => Effect.Effect<Option.Option<AppendResult>, EventStoreError>
  /** The last position and hash of the log. */
  readonly head: Effect.Effect<LogHead, EventStoreError>
  /**
   * Appends events that were already sealed elsewhere (an NDJSON import), keeping their positions,
   * times and hashes. The batch must continue the log exactly: the first event's `globalPosition` is
   * head + 1, its `previousHash` is the head hash, each stream version follows the stream's last one,
   * and every hash recomputes; otherwise nothing is written and the error says which event and why.
   */
  readonly importRecorded: (events: ReadonlyArray<RecordedEvent>) => Effect.Effect<LogHead, EventStoreError>
}>()("@kho/core/EventStore") {}

/**
 * Builds a fresh, empty in-memory store (for several independent stores in one program, e.g. an
 * export/import round trip). Most code wants {@link layerMemory}.
 *
 * @since 0.1.0
 */
export const makeMemory: Effect.Effect<EventStore["Service"]> = Effect.sync(() => memory.make())

/**
 * The in-memory store: the reference implementation of the port, for tests, examples and replays.
 * Times come from Effect's `Clock` (so `TestClock` controls `recordedAt`) and never go backwards
 * along the log. It freezes the `data` you append (it must be plain JSON) and the events it returns.
 *
 * @since 0.1.0
 */
export const layerMemory: Layer.Layer<EventStore> = Layer.effect(EventStore, makeMemory)

/**
 * Imports a (possibly huge) stream of sealed events into the store in batches through
 * `importRecorded`. Each batch is all-or-nothing; when a batch is refused the batches before it
 * stay imported, and the error names the first bad event. Returns the new head.
 *
 * @since 0.1.0
 */
export const importStream = <E, R>(
  events: Stream.Stream<RecordedEvent, E, R>,
  options?: { readonly batchSize?: number }
): Effect.Effect<LogHead, E | EventStoreError, EventStore | R> =>
  Effect.gen(function*() {
    const store = yield* EventStore
    let head: LogHead = yield* store.head
    yield* events.pipe(
      Stream.rechunk(options?.batchSize ?? 1000),
      Stream.runForEachArray((batch) =>
        Effect.map(store.importRecorded(batch), (next) => {
          head = next
        })
      )
    )
    return head
  })
