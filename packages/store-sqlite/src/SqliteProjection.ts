/**
 * Runs an asynchronous projection whose read model lives in the SQLite file, exactly once: for each
 * batch read from the `EventStore` after the projection's checkpoint, `handle` writes the read model
 * on the file's own connection and the checkpoint moves to the batch's last position, in one
 * `BEGIN IMMEDIATE … COMMIT`. A throwing `handle`, a crash or a `kill -9` leaves the read model and
 * its checkpoint together as of the last committed batch, and the next run resumes right after it:
 * every event takes effect once, never twice, never not at all.
 *
 * Gotchas:
 * - `handle` is synchronous (node:sqlite is): nothing else in this process runs between BEGIN and
 *   COMMIT. It must not BEGIN, COMMIT or ROLLBACK itself (SAVEPOINTs are fine), and what it does
 *   outside the file (a request, a message) is not undone by a rollback: record such work in the file
 *   (an outbox, `SqliteOutboxStore`) and send it from there.
 * - The checkpoint is the projection's `kho_checkpoints` row, the one `CheckpointStore.load` returns.
 *   Do not also run the same name through core `Projection.run`/`catchUp`: those save the checkpoint
 *   apart from the read model (at-least-once).
 * - Each batch commits only if that row still names the position the batch was read after; if
 *   another runner moved it (another process on the file, a `rebuild`), this one reads again from
 *   there. Several runners on one file therefore never apply an event twice, but they only waste
 *   work: run one. (PostgreSQL's `PgProjectionWorker` needs a lock for this; SQLite has one writer.)
 * - The events may come from any `EventStore` (usually the `SqliteEventStore` of the same file); the
 *   read model and its checkpoint are in the `SqliteDatabase` of the context.
 *
 * @since 0.1.0
 */
import type { RecordedEvent } from "@kho/core/Event"
import { EventStore, EventStoreError } from "@kho/core/EventStore"
import { Data, Effect, Schema, Stream } from "effect"
import type { DatabaseSync } from "node:sqlite"
import { toEventStoreError } from "./internal/errors.ts"
import { prepareArrays } from "./internal/rows.ts"
import { SqliteDatabase } from "./SqliteDatabase.ts"

/**
 * One projection over the SQLite file.
 *
 * @since 0.1.0
 */
export interface Options {
  /** Names the projection: the key of its checkpoint. Changing it rebuilds the read model from zero. */
  readonly name: string
  /** Events handed to `handle` per transaction at most (default 500). */
  readonly batchSize?: number
  /**
   * Applies a batch (in log order, never empty) to the read model with `connection`, inside the
   * transaction that also moves the checkpoint. Synchronous; throw to roll the whole batch back.
   */
  readonly handle: (events: ReadonlyArray<RecordedEvent>, connection: DatabaseSync) => void
}

/**
 * Options of {@link catchUp}.
 *
 * @since 0.1.0
 */
export interface CatchUpOptions extends Options {
  /** Stop after this global position (inclusive): the read model "as of" a log position. */
  readonly until?: number
}

/**
 * Options of {@link rebuild}: a projection that knows how to empty its read model.
 *
 * @since 0.1.0
 */
export interface RebuildOptions extends CatchUpOptions {
  /** Empties the read model; runs in the transaction that deletes the checkpoint. */
  readonly reset: (connection: DatabaseSync) => void
}

/**
 * `handle` threw: the batch's transaction was rolled back, so neither its read-model writes nor its
 * checkpoint were committed, and a new run starts again at the same batch.
 *
 * @since 0.1.0
 */
export class ProjectionHandlerError extends Schema.TaggedError<ProjectionHandlerError>()("ProjectionHandlerError", {
  projection: Schema.String,
  /** The checkpoint, which stays where it was. */
  checkpoint: Schema.Number,
  firstPosition: Schema.Number,
  lastPosition: Schema.Number,
  cause: Schema.Defect()
}) {
  override get message(): string {
    const detail = this.cause instanceof Error ? this.cause.message : String(this.cause)
    return `projection ${this.projection}: handle threw on events ${this.firstPosition}–${this.lastPosition} (${detail}); ` +
      `nothing of that batch was committed and the checkpoint stays at ${this.checkpoint}: ` +
      `fix the handler (or the event it trips on) and run the projection again, it resumes with that batch`
  }
}

/** The checkpoint was not where the batch was read from: read again from `position`. */
class CheckpointMoved extends Data.TaggedError("CheckpointMoved")<{ readonly position: number }> {}

const defaultBatchSize = 500

const drive = (
  options: Options,
  follow: boolean,
  until: number | undefined
): Effect.Effect<number, ProjectionHandlerError | EventStoreError, SqliteDatabase | EventStore> =>
  Effect.gen(function*() {
    const database = yield* SqliteDatabase
    const store = yield* EventStore
    const name = options.name
    const batchSize = options.batchSize ?? defaultBatchSize
    const statements = yield* Effect.try({
      try: () => ({
        load: prepareArrays(database.connection, "SELECT position FROM kho_checkpoints WHERE projection = ?"),
        save: database.connection.prepare(
          "INSERT INTO kho_checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position"
        )
      }),
      catch: (cause) => toEventStoreError(cause, `preparing projection ${name}`)
    })
    const load = (): number => Number(statements.load.get(name)?.[0] ?? 0)

    /** Applies `events` (read after `after`) and moves the checkpoint, in one transaction. */
    const commit = (after: number, events: ReadonlyArray<RecordedEvent>) =>
      Effect.suspend(() => {
        const first = events[0]!.globalPosition
        const last = events[events.length - 1]!.globalPosition
        // what `handle` threw, typed: `immediate` reports any non-SQLite throw as an `Io` error
        let failure: ProjectionHandlerError | undefined
        return database.immediate(`projection ${name}: committing events ${first}–${last}`, (connection) => {
          const stored = load()
          if (stored !== after) return stored
          try {
            options.handle(events, connection)
          } catch (cause) {
            failure = new ProjectionHandlerError({ projection: name, checkpoint: after, firstPosition: first, lastPosition: last, cause })
            throw failure
          }
          statements.save.run(name, last)
          return last
        }).pipe(
          Effect.mapError((error): ProjectionHandlerError | EventStoreError => failure ?? error),
          Effect.flatMap((position) => position === last ? Effect.succeed(last) : Effect.fail(new CheckpointMoved({ position })))
        )
      })

    /** Reads from `from` and commits batch after batch; starts again where the checkpoint moved to. */
    const pass = (from: number): Effect.Effect<number, ProjectionHandlerError | EventStoreError> => {
      let position = from
      const read = { after: from, batchSize, ...(until === undefined ? {} : { until }) }
      return Stream.runForEachArray(follow ? store.subscribe(read) : store.readAll(read), (events) =>
        Effect.map(commit(position, events), (last) => {
          position = last
        })).pipe(
          Effect.map(() => position),
          Effect.catchTag("CheckpointMoved", (moved) => pass(moved.position))
        )
    }

    const start = yield* Effect.try({ try: load, catch: (cause) => toEventStoreError(cause, `loading checkpoint ${name}`) })
    return yield* pass(start)
  })

/**
 * Applies every event after the projection's checkpoint up to the head of the log (or `until`),
 * batch by batch, and returns the checkpoint it leaves.
 *
 * @since 0.1.0
 */
export const catchUp = (
  options: CatchUpOptions
): Effect.Effect<number, ProjectionHandlerError | EventStoreError, SqliteDatabase | EventStore> =>
  drive(options, false, options.until)

/**
 * Catches up, then follows the log for ever, applying new events as they are appended (appends by
 * other processes are seen at the store's `pollInterval`). Fork it; it ends only by interruption
 * (the batch in progress is rolled back or committed whole) or a failure.
 *
 * @since 0.1.0
 */
export const run = (
  options: Options
): Effect.Effect<never, ProjectionHandlerError | EventStoreError, SqliteDatabase | EventStore> =>
  Effect.andThen(
    drive(options, true, undefined),
    Effect.fail(
      new EventStoreError({
        reason: "Io",
        message: `projection ${options.name}: the EventStore's subscribe() stream completed, yet one without \`until\` ` +
          "must follow the log forever, so the EventStore in this projection's context does not (a test double or a " +
          "wrapper whose subscribe ends?). Provide the store of SqliteEventStore.layer on the same file, then run the " +
          "projection again: it resumes from its checkpoint",
        retryable: false
      })
    )
  )

/**
 * Empties the read model (`reset`) and deletes the checkpoint in one transaction, then catches up
 * from the first event. A runner of the same projection elsewhere notices the checkpoint moved and
 * follows from there.
 *
 * @since 0.1.0
 */
export const rebuild = (
  options: RebuildOptions
): Effect.Effect<number, ProjectionHandlerError | EventStoreError, SqliteDatabase | EventStore> =>
  Effect.gen(function*() {
    const database = yield* SqliteDatabase
    yield* database.immediate(`projection ${options.name}: resetting the read model`, (connection) => {
      options.reset(connection)
      connection.prepare("DELETE FROM kho_checkpoints WHERE projection = ?").run(options.name)
    })
    return yield* catchUp(options)
  })
