/**
 * The embedded default `EventStore`: one SQLite file (see {@link SqliteDatabase}).
 *
 * Appends run in `BEGIN IMMEDIATE` transactions: the command-id check, the expected-version
 * check, position assignment and sealing (`HashChain.sealForStorage`) all happen under SQLite's write
 * lock, so positions are dense and commit order is position order even with several processes on
 * one file. Appends that wait at the same moment (concurrent fibers of this process) share one
 * transaction and one fsync (group commit, docs/adr/0100); each is still checked on its own. The
 * `data` and `actor` columns hold the canonical JSON the hash was computed over (keys sorted), so a
 * read-back object may list its keys in another order than the one appended.
 * Each event's `recordedAt` is the later of the clock and the head event's `recordedAt`, taken
 * inside the write transaction: it never goes backwards along the log even when the clock steps back
 * (NTP) or another process on the file runs a slower clock, so "as of time T" stays a prefix of the
 * log (`KpiLedger.atTime`). Events of one append (and of a group) share or extend the same instant.
 * The head (last position, hash and `recordedAt`) and the versions of the streams appended to or
 * checked are remembered per connection and re-read only when `PRAGMA data_version` says another connection
 * committed, or after a rollback.
 * Subscribers in this process are woken by appends; appends by other processes are seen by polling
 * (`pollInterval`).
 *
 * @since 0.1.0
 */
import * as HashChain from "@kho/core/HashChain"
import * as EventRow from "@kho/core/EventRow"
import { CheckpointStore } from "@kho/core/Checkpoint"
import type { NewEvent, RecordedEvent } from "@kho/core/Event"
import { ConcurrencyConflict, EventStore, ExpectedVersion } from "@kho/core/EventStore"
import type { EventStoreError } from "@kho/core/EventStore"
import * as EventStoreChecks from "@kho/core/EventStoreChecks"
import type { AppendOptions, AppendResult, LogHead, ReadAllOptions } from "@kho/core/EventStore"
import { Cause, Clock, Context, Deferred, Effect, Exit, Layer, Option, Stream } from "effect"
import type { DatabaseSync } from "node:sqlite"
import { toEventStoreError } from "./internal/errors.ts"
import { prepareArrays } from "./internal/rows.ts"
import * as LogPaging from "@kho/core/LogPaging"
import * as SqliteDatabase from "./SqliteDatabase.ts"

/**
 * Options of the event store on top of an open {@link SqliteDatabase}.
 *
 * @since 0.1.0
 */
export interface StoreOptions {
  /** How often an idle subscriber looks for appends made by other processes (ms, default 100). */
  readonly pollInterval?: number
  /** Default `readAll`/`subscribe` batch size (default 1 000). */
  readonly batchSize?: number
}

const COLUMNS = EventRow.columns.join(", ")


type Outcome =
  | { readonly _tag: "Appended"; readonly result: AppendResult; readonly wrote: boolean }
  | { readonly _tag: "Conflict"; readonly actual: number }

/** An append waiting for its group's transaction. */
interface Job {
  readonly streamId: string
  readonly events: ReadonlyArray<NewEvent>
  readonly expected: ExpectedVersion
  readonly commandId: string | undefined
  readonly recordedAt: string
  readonly deferred: Deferred.Deferred<Outcome, EventStoreError>
}

/** The log's head and the versions of the streams read or written, as a connection last saw them. */
interface Known {
  head: LogHead
  /** The head event's `recordedAt` ("" for an empty log): the floor of the next append's stamp. */
  headRecordedAt: string
  readonly dataVersion: number
  readonly versions: Map<string, number>
}

/**
 * What each connection knows of the log: valid while no other connection has committed (`PRAGMA
 * data_version` changes only for commits by others), dropped whenever a write transaction rolls
 * back. Kept per connection, not per store: two stores made over one connection would otherwise
 * never see each other's appends (data_version does not move for them).
 */
const memos = new WeakMap<DatabaseSync, { known: Known | undefined }>()
const memoOf = (connection: DatabaseSync): { known: Known | undefined } => {
  let memo = memos.get(connection)
  if (memo === undefined) {
    memo = { known: undefined }
    memos.set(connection, memo)
  }
  return memo
}

/**
 * The stamp of an append: `now`, or the head event's `recordedAt` when the clock reads earlier (a
 * step back, or another process with a slower clock), so `recordedAt` never decreases.
 */
const notBefore = (headRecordedAt: string, now: string): string =>
  headRecordedAt !== "" && Date.parse(headRecordedAt) > Date.parse(now) ? headRecordedAt : now

/**
 * Builds the event store and checkpoint store over an open database.
 *
 * @since 0.1.0
 */
export const make = (database: SqliteDatabase.SqliteDatabase["Service"], options: StoreOptions = {}) => {
  const db = database.connection
  const pollInterval = options.pollInterval ?? 100
  const defaultBatch = options.batchSize ?? 1_000
  const decodeRow = EventRow.makeDecoder((data) => JSON.parse(String(data)))
  const wakeup = LogPaging.makeWakeup()

  const statements = {
    dataVersion: prepareArrays(db, "PRAGMA data_version"),
    head: prepareArrays(db, "SELECT global_position, hash, recorded_at FROM kho_events ORDER BY global_position DESC LIMIT 1"),
    streamVersion: prepareArrays(
      db,
      "SELECT stream_version FROM kho_events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1"
    ),
    command: prepareArrays(
      db,
      "SELECT stream_id, first_position, last_position, next_expected_version, head_hash FROM kho_commands WHERE command_id = ?"
    ),
    insertEvent: db.prepare(`INSERT INTO kho_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    insertCommand: db.prepare(
      "INSERT OR IGNORE INTO kho_commands (command_id, stream_id, first_position, last_position, next_expected_version, head_hash) VALUES (?, ?, ?, ?, ?, ?)"
    ),
    readAll: prepareArrays(
      db,
      `SELECT ${COLUMNS} FROM kho_events WHERE global_position > ? AND global_position <= ? ORDER BY global_position LIMIT ?`
    ),
    readStream: prepareArrays(
      db,
      `SELECT ${COLUMNS} FROM kho_events WHERE stream_id = ? AND stream_version >= ? AND stream_version <= ? ORDER BY stream_version`
    ),
    loadCheckpoint: prepareArrays(db, "SELECT position FROM kho_checkpoints WHERE projection = ?"),
    saveCheckpoint: db.prepare(
      "INSERT INTO kho_checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position"
    ),
    resetCheckpoint: db.prepare("DELETE FROM kho_checkpoints WHERE projection = ?")
  }

  // What this connection knows of the log as of its last look (see `memoOf`).
  const memo = memoOf(db)
  const known = (): Known => {
    const dataVersion = Number(statements.dataVersion.get()?.[0])
    if (memo.known !== undefined && memo.known.dataVersion === dataVersion) return memo.known
    const row = statements.head.get()
    const head = row === undefined
      ? { position: 0, hash: HashChain.GENESIS_HASH }
      : { position: Number(row[0]), hash: String(row[1]) }
    memo.known = { head, headRecordedAt: row === undefined ? "" : String(row[2]), dataVersion, versions: new Map() }
    return memo.known
  }
  const currentHead = (): LogHead => known().head

  /** A stream's current version, from `state` when this connection has seen it since. */
  const versionIn = (state: Known, streamId: string): number => {
    const seen = state.versions.get(streamId)
    if (seen !== undefined) return seen
    const row = statements.streamVersion.get(streamId)
    const version = row === undefined ? 0 : Number(row[0])
    remember(state, streamId, version)
    return version
  }
  const remember = (state: Known, streamId: string, version: number) => {
    // bounded: a long-lived store touching millions of streams re-reads the ones it forgot
    if (state.versions.size >= 100_000) state.versions.clear()
    state.versions.set(streamId, version)
  }

  const commandOf = (commandId: string): AppendResult | undefined => {
    const row = statements.command.get(commandId)
    return row === undefined ? undefined : {
      streamId: String(row[0]),
      firstPosition: Number(row[1]),
      lastPosition: Number(row[2]),
      nextExpectedVersion: Number(row[3]),
      headHash: String(row[4]),
      alreadyAppended: true
    }
  }

  const appendSync = (
    streamId: string,
    events: ReadonlyArray<NewEvent>,
    expected: ExpectedVersion,
    commandId: string | undefined,
    recordedAt: string
  ): Outcome => {
    const done = commandId === undefined ? undefined : commandOf(commandId)
    if (done !== undefined) return { _tag: "Appended", result: done, wrote: false }
    const state = known()
    const current = versionIn(state, streamId)
    if (
      (expected._tag === "NoStream" && current !== 0) ||
      (expected._tag === "Exact" && current !== expected.version)
    ) return { _tag: "Conflict", actual: current }
    const head = state.head
    if (commandId === undefined || events.length === 0) {
      // an empty append is a version check: it writes nothing and records no command id
      const result = {
        streamId,
        nextExpectedVersion: current,
        firstPosition: head.position + 1,
        lastPosition: head.position,
        headHash: head.hash,
        alreadyAppended: false
      }
      return { _tag: "Appended", result, wrote: false }
    }
    const stamp = notBefore(state.headRecordedAt, recordedAt)
    let previousHash = head.hash
    let position = head.position
    let version = current
    for (const event of events) {
      const metadata = event.metadata
      const sealed = HashChain.sealForStorage({
        streamId,
        streamVersion: ++version,
        globalPosition: ++position,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        recordedAt: stamp,
        actor: metadata.actor,
        commandId: metadata.commandId,
        correlationId: metadata.correlationId,
        causationId: metadata.causationId,
        previousHash
      })
      // the canonical texts the hash was computed over: no second JSON.stringify per event
      statements.insertEvent.run(
        position,
        streamId,
        version,
        event.type,
        event.schemaVersion,
        sealed.data,
        stamp,
        sealed.actor,
        metadata.commandId,
        metadata.correlationId,
        metadata.causationId,
        previousHash,
        sealed.hash
      )
      previousHash = sealed.hash
    }
    const result: AppendResult = {
      streamId,
      nextExpectedVersion: version,
      firstPosition: head.position + 1,
      lastPosition: position,
      headHash: previousHash,
      alreadyAppended: false
    }
    statements.insertCommand.run(commandId, streamId, result.firstPosition, position, version, previousHash)
    state.head = { position, hash: previousHash }
    state.headRecordedAt = stamp
    remember(state, streamId, version)
    return { _tag: "Appended", result, wrote: true }
  }

  // ---- group commit ---------------------------------------------------------------------------
  // Appends waiting at the same moment share one BEGIN IMMEDIATE … COMMIT (one fsync): the first
  // becomes the leader and, when other writers are likely about, yields once so they can join; each
  // append still runs its own checks in order inside the transaction, exactly as if alone.

  let waiting: Array<Job> = []
  /** The fiber that led the last group and how many appends it carried: is anyone else writing? */
  let lastLeader = -1
  let lastGroupSize = 1

  const settle = (job: Job, exit: Exit.Exit<Outcome, EventStoreError>) => Deferred.doneUnsafe(job.deferred, exit)

  const runJob = (job: Job): Outcome => appendSync(job.streamId, job.events, job.expected, job.commandId, job.recordedAt)

  /** Commits `jobs` in one transaction, or each alone if that fails, settling each job exactly once. */
  const commitGroup = (jobs: ReadonlyArray<Job>): Effect.Effect<void> =>
    Effect.flatMap(
      Effect.exit(database.immediate(
        jobs.length === 1 ? `appending to ${jobs[0]!.streamId}` : `appending to ${jobs.length} streams`,
        () => jobs.map(runJob)
      )),
      (exit) => {
        if (exit._tag === "Success") {
          if (exit.value.some((o) => o._tag === "Appended" && o.wrote)) wakeup.fire()
          jobs.forEach((job, i) => settle(job, Exit.succeed(exit.value[i]!)))
          return Effect.void
        }
        // rolled back: the remembered head and versions may name writes that were never committed
        memo.known = undefined
        const busy = Cause.findErrorOption(exit.cause).pipe(Option.exists((e) => e.reason === "Busy"))
        if (jobs.length === 1 || busy) {
          // alone, or locked by another process: each append would wait the busy timeout again
          for (const job of jobs) settle(job, exit as Exit.Exit<never, EventStoreError>)
          return Effect.void
        }
        // one append's failure is its own: retry each in its own transaction
        return Effect.forEach(jobs, (job) => commitGroup([job]), { discard: true })
      }
    )

  // Uninterruptible from the push to the outcome: an interruption between the push and the flush
  // would strand the job in `waiting` and every later append would wait on it for ever, and a waiting
  // append is committed by its leader whatever happens to its own fiber. As before group commit
  // (a synchronous transaction), an interruption takes effect once the append has its outcome.
  const enqueue = (job: Job): Effect.Effect<Outcome, EventStoreError> =>
    Effect.uninterruptible(Effect.withFiber((fiber) => {
      waiting.push(job)
      if (waiting.length > 1) return Deferred.await(job.deferred)
      const flush = Effect.suspend(() => {
        const jobs = waiting
        waiting = []
        lastGroupSize = jobs.length
        return commitGroup(jobs)
      })
      // gather only when others may be writing: a lone writer never pays the scheduler hop
      const gather = lastGroupSize > 1 || fiber.id !== lastLeader
      lastLeader = fiber.id
      return Effect.andThen(gather ? Effect.andThen(Effect.yieldNow, flush) : flush, Deferred.await(job.deferred))
    }))

  const append = (
    streamId: string,
    events: ReadonlyArray<NewEvent>,
    options: AppendOptions
  ): Effect.Effect<AppendResult, ConcurrencyConflict | EventStoreError> => {
    const commandId = options.commandId ?? events[0]?.metadata.commandId
    const refused = EventStoreChecks.appendRefusal(streamId, events)
    if (refused !== undefined) return Effect.fail(refused)
    return Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.flatMap(
        enqueue({
          streamId,
          events,
          expected: options.expectedVersion,
          commandId,
          recordedAt: new Date(now).toISOString(),
          deferred: Deferred.makeUnsafe<Outcome, EventStoreError>()
        }),
        (outcome) =>
          outcome._tag === "Conflict"
            ? Effect.fail(new ConcurrencyConflict({
              streamId,
              expected: ExpectedVersion.describe(options.expectedVersion),
              actual: outcome.actual
            }))
            : Effect.succeed(outcome.result)
      ))
  }

  const query = <A>(doing: string, f: () => A): Effect.Effect<A, EventStoreError> =>
    Effect.try({ try: f, catch: (cause) => toEventStoreError(cause, doing) })

  const readBatch = (after: number, until: number, limit: number) =>
    query(`reading the log after ${after}`, () =>
      (statements.readAll.all(after, until, limit)).map(decodeRow))

  const readAll = (options: ReadAllOptions = {}): Stream.Stream<RecordedEvent, EventStoreError> =>
    LogPaging.readAll(readBatch, defaultBatch, options)

  const subscribe = (options: ReadAllOptions = {}): Stream.Stream<RecordedEvent, EventStoreError> =>
    LogPaging.subscribe(readBatch, wakeup, { defaultBatch, pollInterval }, options)

  const readStream = (streamId: string, options: { fromVersion?: number; toVersion?: number } = {}) =>
    query(`reading stream ${streamId}`, () =>
      (statements.readStream.all(
        streamId,
        options.fromVersion ?? 1,
        options.toVersion ?? Number.MAX_SAFE_INTEGER
      )).map(decodeRow))

  const importRecorded = (events: ReadonlyArray<RecordedEvent>): Effect.Effect<LogHead, EventStoreError> =>
    Effect.tap(
      database.immediate("importing recorded events", () => {
        const state = known()
        const head = state.head
        if (events.length === 0) return head
        const refused = EventStoreChecks.importRefusal(events, head, (streamId) => versionIn(state, streamId))
        if (refused !== undefined) throw refused
        for (const e of events) {
          statements.insertEvent.run(
            e.globalPosition,
            e.streamId,
            e.streamVersion,
            e.type,
            e.schemaVersion,
            JSON.stringify(e.data),
            e.recordedAt,
            JSON.stringify(e.actor),
            e.commandId,
            e.correlationId,
            e.causationId,
            e.previousHash,
            e.hash
          )
        }
        for (const [commandId, c] of EventStoreChecks.importedCommands(events)) {
          statements.insertCommand.run(commandId, c.streamId, c.firstPosition, c.lastPosition, c.nextExpectedVersion, c.headHash)
        }
        const last = events[events.length - 1]!
        const next = { position: last.globalPosition, hash: last.hash }
        state.head = next
        state.headRecordedAt = last.recordedAt
        for (const e of events) remember(state, e.streamId, e.streamVersion)
        return next
      }),
      (head) => Effect.sync(() => events.length > 0 && head.position > 0 ? wakeup.fire() : undefined)
    ).pipe(Effect.tapError(() =>
      Effect.sync(() => {
        // rolled back: what we remembered during the transaction may never have been committed
        memo.known = undefined
      })
    ))

  const eventStore = EventStore.of({
    append,
    readStream,
    readAll,
    subscribe,
    findCommand: (commandId) => query(`finding command ${commandId}`, () => Option.fromUndefinedOr(commandOf(commandId))),
    head: query("reading the log head", currentHead),
    importRecorded
  })

  const checkpointStore = CheckpointStore.of({
    load: (projection) =>
      query(`loading checkpoint ${projection}`, () => {
        const row = statements.loadCheckpoint.get(projection)
        return row === undefined ? 0 : Number(row[0])
      }),
    save: (projection, position) =>
      query(`saving checkpoint ${projection}`, () => {
        statements.saveCheckpoint.run(projection, position)
      }),
    reset: (projection) =>
      query(`resetting checkpoint ${projection}`, () => {
        statements.resetCheckpoint.run(projection)
      })
  })

  return { eventStore, checkpointStore }
}

/**
 * The event store and checkpoint store over a {@link SqliteDatabase} already in the context.
 *
 * @since 0.1.0
 */
export const layerFromDatabase = (
  options: StoreOptions = {}
): Layer.Layer<EventStore | CheckpointStore, never, SqliteDatabase.SqliteDatabase> =>
  Layer.effectContext(Effect.gen(function*() {
    const database = yield* SqliteDatabase.SqliteDatabase
    const { checkpointStore, eventStore } = make(database, options)
    return EventStore.context(eventStore).pipe(Context.add(CheckpointStore, checkpointStore))
  }))

/**
 * Opens the file and provides the event store, the checkpoint store and the database itself (for
 * read models that share the file).
 *
 * @since 0.1.0
 */
export const layer = (
  options: SqliteDatabase.Options & StoreOptions
): Layer.Layer<EventStore | CheckpointStore | SqliteDatabase.SqliteDatabase, EventStoreError> =>
  layerFromDatabase(options).pipe(Layer.provideMerge(SqliteDatabase.layer(options)))
