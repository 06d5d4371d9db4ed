/**
 * Runs an asynchronous projection on PostgreSQL so that, of every process running it (on any
 * machine), exactly one does the work at a time.
 *
 * Ownership is a session-level advisory lock (`pg_try_advisory_lock`) held on one dedicated
 * connection. The same connection runs each batch as one transaction — the read-model writes of
 * `handle` and the checkpoint together — so if the owner dies (its connection drops, PostgreSQL
 * releases the lock) nothing half-done is committed and the next owner resumes from the
 * checkpoint: every event takes effect exactly once. Waiting workers retry the lock every
 * `retryInterval`.
 *
 * @since 0.1.0
 */
import type { RecordedEvent } from "@kho/core/Event"
import { EventStore, EventStoreError } from "@kho/core/EventStore"
import { Effect, Stream } from "effect"
import { toEventStoreError } from "./internal/errors.ts"
import { clientQuery, PgDatabase } from "./PgDatabase.ts"
import type { Transaction } from "./PgDatabase.ts"

/**
 * One projection.
 *
 * @since 0.1.0
 */
export interface Options<E> {
  /** Names the projection: its checkpoint and its lock. */
  readonly name: string
  /** Events handed to `handle` per transaction at most (default 500). */
  readonly batchSize?: number
  /** How often a waiting worker tries to take ownership (ms, default 500). */
  readonly retryInterval?: number
  /** Applies a batch to the read model inside the transaction that also moves the checkpoint. */
  readonly handle: (events: ReadonlyArray<RecordedEvent>, tx: Transaction) => Effect.Effect<void, E>
  /** Called once this worker owns the projection (for logs and tests). */
  readonly onOwnership?: (checkpoint: number) => Effect.Effect<void>
}

/** Swallows a dead connection's 'error' event; the failure surfaces as the next query's error. */
const ignoreIdleError = (): void => undefined

/**
 * Waits for ownership of the projection, then follows the log forever. Interrupt it to stop; the
 * lock is released with its connection.
 *
 * @since 0.1.0
 */
export const run = <E>(options: Options<E>): Effect.Effect<never, E | EventStoreError, PgDatabase | EventStore> =>
  Effect.scoped(Effect.gen(function*() {
    const database = yield* PgDatabase
    const store = yield* EventStore
    const doing = `running projection ${options.name}`
    // a destroyed (not recycled) connection is the only safe way to give the session lock back
    const client = yield* Effect.acquireRelease(
      Effect.map(
        Effect.tryPromise({ try: () => database.pool.connect(), catch: (cause) => toEventStoreError(cause, doing) }),
        (client) => {
          // a checked-out client has no pool listener: an 'error' while idle (the server ended the
          // session, keepalive gave up) would crash the process; the next query reports it instead
          client.on("error", ignoreIdleError)
          return client
        }
      ),
      (client) => Effect.sync(() => client.release(true))
    )
    const query = clientQuery(client, doing)
    const key = `kho.projection:${database.schema}:${options.name}`
    for (;;) {
      const rows = yield* query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS owned", [key])
      if (rows[0]?.["owned"] === true) break
      yield* Effect.sleep(options.retryInterval ?? 500)
    }
    const checkpointRows = yield* query("SELECT position FROM kho_checkpoints WHERE projection = $1", [options.name])
    const checkpoint = Number(checkpointRows[0]?.["position"] ?? 0)
    if (options.onOwnership !== undefined) yield* options.onOwnership(checkpoint)
    const tx: Transaction = { query }
    yield* Stream.runForEachArray(
      store.subscribe({ after: checkpoint, batchSize: options.batchSize ?? 500 }),
      (events) => {
        const last = events[events.length - 1]!.globalPosition
        return query("BEGIN").pipe(
          Effect.andThen(options.handle(events, tx)),
          Effect.andThen(query(
            "INSERT INTO kho_checkpoints (projection, position) VALUES ($1, $2) ON CONFLICT (projection) DO UPDATE SET position = excluded.position",
            [options.name, last]
          )),
          Effect.andThen(query("COMMIT")),
          Effect.onError(() => Effect.ignore(query("ROLLBACK")))
        )
      }
    )
    // a subscription without `until` follows the log forever: only a store that does not is ended
    return yield* new EventStoreError({
      reason: "Io",
      message: `projection ${options.name}: the EventStore's subscribe() stream completed, yet one without \`until\` ` +
        "must follow the log forever, so the EventStore in this worker's context does not (a test double or a " +
        "wrapper whose subscribe ends?). Provide the store of PgEventStore.layer on the same database, then run " +
        "the worker again: it resumes from its checkpoint",
      retryable: false
    })
  }))
