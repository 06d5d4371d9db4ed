/**
 * The `EventStore` on PostgreSQL (see docs/adr/0042).
 *
 * - Appends serialise on the chain head (a `FOR UPDATE` lock on the one `kho_head` row inside
 *   `kho_append`), so commit order is position order: a reader can never see position n+1 while n is
 *   still uncommitted, and subscriptions need no gap detection.
 * - Each append is one round trip: the client seals against the head it has cached; one statement
 *   calls `kho_append_v2`, which checks that head, the command ids and the stream versions, and
 *   inserts the events from its parameters only if the function found nothing amiss (else it says
 *   what it found). `data` and `actor` are written as the canonical JSON the hash was computed over.
 * - `recordedAt` never goes backwards along the log, even when the clock steps back (NTP) or several
 *   processes with different clocks append: the cached head keeps the head event's `recordedAt`, each
 *   append is stamped with the later of it and the clock, and the server's head check under the head
 *   lock refuses a seal against a stale head (the client refetches the head, with its `recordedAt`,
 *   and reseals). So "as of time T" stays a prefix of the log (`KpiLedger.atTime`).
 * - Appends waiting in this process while a round trip is in flight are sealed together into the
 *   next one (group commit): concurrent writers share one lock acquisition and one WAL flush.
 * - `pg_notify` at commit wakes subscribers (LISTEN on one connection per store, named
 *   `kho-listen:<schema>` in `pg_stat_activity`), with polling as a fallback. When that connection
 *   ends (server restart, `pg_terminate_backend`, network), it is opened again with backoff while
 *   subscribers poll, and they are woken once it listens again: appends may have gone unheard.
 * - A failed round trip is retried when the failure is retryable (deadlock, lost connection, busy),
 *   with only the appends it had not yet settled: an append already answered (conflict, repeated
 *   command id) never goes out again. Reads are retried likewise. When the connection was lost after
 *   the server committed, the retry finds the command id recorded and answers the append with
 *   `alreadyAppended: true` (the same positions and head): it was written once.
 * - A store over a database opened `readOnly` (a hot-standby replica) reads and subscribes (by
 *   polling: a standby refuses LISTEN) but refuses every append and import at once with an
 *   `InvalidArgument` error: appends go to a store opened on the primary.
 *
 * @since 0.1.0
 */
import * as HashChain from "@kho/core/HashChain"
import * as EventRow from "@kho/core/EventRow"
import { CheckpointStore } from "@kho/core/Checkpoint"
import type { NewEvent, RecordedEvent } from "@kho/core/Event"
import { ConcurrencyConflict, EventStore, EventStoreError, ExpectedVersion } from "@kho/core/EventStore"
import * as EventStoreChecks from "@kho/core/EventStoreChecks"
import type { AppendOptions, AppendResult, LogHead, ReadAllOptions } from "@kho/core/EventStore"
import { Clock, Context, Deferred, Effect, Exit, Fiber, Layer, Option, Queue, Schema, Stream } from "effect"
import pg from "pg"
import { toEventStoreError } from "./internal/errors.ts"
import * as LogPaging from "@kho/core/LogPaging"
import * as PgDatabase from "./PgDatabase.ts"

/**
 * Options of the store over an open {@link PgDatabase}.
 *
 * @since 0.1.0
 */
export interface StoreOptions {
  /** How often an idle subscriber polls when no notification arrives (ms, default 1 000). */
  readonly pollInterval?: number
  /** Default `readAll`/`subscribe` batch size (default 1 000). */
  readonly batchSize?: number
  /** At most this many events are sealed into one round trip (default 2 000). */
  readonly maxEventsPerRoundTrip?: number
  /**
   * Pipelining: a round trip of at least this many events (default 100) is sealed and sent while
   * the previous one commits, and when nothing is under way, twice as many waiting events are split
   * in two round trips to start the pipeline. `Infinity`: one round trip at a time. Smaller appends
   * are bound by fsyncs, where one larger round trip beats two.
   */
  readonly pipelineAbove?: number
}

// `actor::text`: the decoder reads the actor as the JSON text it was hashed from
const COLUMNS = EventRow.columns.map((c) => (c === "actor" ? "actor::text" : c)).join(", ")


interface Pending {
  readonly streamId: string
  readonly events: ReadonlyArray<NewEvent>
  readonly expected: ExpectedVersion
  readonly commandId: string
  readonly recordedAt: string
  readonly deferred: Deferred.Deferred<AppendResult, ConcurrencyConflict | EventStoreError>
}

/** Why a store over a database opened `readOnly` refuses to write. */
const readOnlyRefusal = (refused: string): EventStoreError =>
  new EventStoreError({
    reason: "InvalidArgument",
    message: `cannot ${refused}: this store was opened read-only (readOnly: true, e.g. on a hot-standby replica); ` +
      "appends go to a store opened on the primary",
    retryable: false
  })

/** What `kho_append` answers: nothing (written), the real head, or per-append issues. */
const AppendReply = Schema.NullOr(Schema.Union([
  Schema.Struct({ head: Schema.Number, hash: Schema.String }),
  Schema.Struct({
    issues: Schema.Array(Schema.Struct({
      i: Schema.Number,
      actual: Schema.optional(Schema.Number),
      done: Schema.optional(Schema.Struct({
        streamId: Schema.String,
        firstPosition: Schema.Number,
        lastPosition: Schema.Number,
        nextExpectedVersion: Schema.Number,
        headHash: Schema.String
      }))
    }))
  })
]))
const decodeReply = Schema.decodeUnknownEffect(AppendReply)

const eventRow = (e: RecordedEvent) => ({
  p: e.globalPosition,
  s: e.streamId,
  v: e.streamVersion,
  t: e.type,
  sv: e.schemaVersion,
  // nested as JSON text: json_to_recordset cannot extract a json value holding \u0000
  d: JSON.stringify(e.data),
  r: e.recordedAt,
  a: JSON.stringify(e.actor),
  c: e.commandId,
  co: e.correlationId,
  ca: e.causationId,
  ph: e.previousHash,
  h: e.hash
})

/** The head the committer seals against, with the head event's `recordedAt` ("" for an empty log). */
interface SealHead extends LogHead {
  readonly recordedAt: string
}

/** The later of two ISO instants ("" is earlier than any): an append's stamp never precedes the head's. */
const laterOf = (floor: string, now: string): string =>
  floor !== "" && Date.parse(floor) > Date.parse(now) ? floor : now

/** The head row with its event's `recordedAt` (`FOR UPDATE OF h` inside a transaction). */
const HEAD_QUERY =
  "SELECT h.position, h.hash, (SELECT e.recorded_at FROM kho_events e WHERE e.global_position = h.position) AS recorded_at FROM kho_head h"

const sealHeadOf = (rows: ReadonlyArray<PgDatabase.Row>): SealHead => ({
  position: Number(rows[0]?.["position"] ?? 0),
  hash: String(rows[0]?.["hash"] ?? HashChain.GENESIS_HASH),
  recordedAt: rows[0]?.["recorded_at"] == null ? "" : String(rows[0]["recorded_at"])
})

const EVENT_COLUMNS = EventRow.columns.length
/** 4 096 events × 13 columns + 5 stay under PostgreSQL's 65 535 parameters per statement. */
const MAX_PARAMETER_EVENTS = 4_096

/**
 * The number of VALUES rows of the statement that appends `count` events: the next power of two,
 * the rest padded with NULL rows the statement skips. A few statement shapes, each prepared once
 * per connection, instead of one per batch size (planning 1 300 parameters on every append would
 * cost more than it saves).
 */
const rowsFor = (count: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, count)))

const CASTS = ["bigint", "text", "integer", "text", "integer", "json", "text", "json", "text", "text", "text", "text", "text"]
const statements = new Map<number, string>()

/**
 * The append as one statement: `kho_append_v2` checks the head, command ids and stream versions
 * and writes the head and command ids; the events are inserted from the parameters only when it
 * answers NULL (the reply is materialised first: the insert's WHERE reads it).
 */
const appendStatement = (rows: number): string => {
  let text = statements.get(rows)
  if (text === undefined) {
    const values: Array<string> = []
    for (let r = 0; r < rows; r++) {
      const base = 6 + r * EVENT_COLUMNS
      values.push("(" + CASTS.map((cast, k) => `$${base + k}::${cast}`).join(", ") + ")")
    }
    text = `WITH reply AS MATERIALIZED (SELECT kho_append_v2($1, $2, $3, $4, $5::json) AS reply),
      written AS (
        INSERT INTO kho_events (global_position, stream_id, stream_version, type, schema_version, data, recorded_at,
                                actor, command_id, correlation_id, causation_id, previous_hash, hash)
        SELECT * FROM (VALUES ${values.join(", ")}) AS e(p, s, v, t, sv, d, r, a, c, co, ca, ph, h)
        WHERE e.p IS NOT NULL AND (SELECT reply IS NULL FROM reply)
      )
      SELECT reply FROM reply`
    statements.set(rows, text)
  }
  return text
}

/** The JSON rows `kho_append` (migration 1) takes, from the flat column values. */
const jsonRows = (columns: ReadonlyArray<unknown>): Array<Record<string, unknown>> => {
  const rows: Array<Record<string, unknown>> = []
  for (let i = 0; i < columns.length; i += EVENT_COLUMNS) {
    rows.push({
      p: columns[i],
      s: columns[i + 1],
      v: columns[i + 2],
      t: columns[i + 3],
      sv: columns[i + 4],
      d: columns[i + 5],
      r: columns[i + 6],
      a: columns[i + 7],
      c: columns[i + 8],
      co: columns[i + 9],
      ca: columns[i + 10],
      ph: columns[i + 11],
      h: columns[i + 12]
    })
  }
  return rows
}

/** The `application_name` of a store's LISTEN connection (find it in `pg_stat_activity`). */
const listenerName = (schema: string): string => `kho-listen:${schema}`

/** How long opening the LISTEN connection may take before it counts as failed (ms). */
const LISTEN_CONNECT_TIMEOUT = 10_000

/** Reconnecting the listener waits 100 ms, doubling after each failed attempt up to this. */
const MAX_LISTEN_BACKOFF = 10_000

/**
 * One LISTEN connection, from opening to its end: runs `onListening` once LISTEN holds, then
 * waits until the connection ends (succeeding with why); fails only if it could not be opened.
 */
const listenOnce = (database: PgDatabase.PgDatabase["Service"], wakeup: LogPaging.Wakeup, onListening: Effect.Effect<void>) =>
  Effect.scoped(Effect.gen(function*() {
    const ended = Deferred.makeUnsafe<string>()
    const client = yield* Effect.acquireRelease(
      Effect.sync(() => {
        // keepalive: a connection the network silently dropped ends instead of listening to nothing;
        // a connect timeout: a server that accepts but never answers must not hang `make` or a reconnect
        const client = new pg.Client({
          connectionString: database.url,
          keepAlive: true,
          keepAliveInitialDelayMillis: 10_000,
          connectionTimeoutMillis: LISTEN_CONNECT_TIMEOUT
        })
        // the connection's end is awaited below; an 'error' without a listener would crash the process
        client.on("error", (error) => Deferred.doneUnsafe(ended, Exit.succeed(error.message)))
        client.on("end", () => Deferred.doneUnsafe(ended, Exit.succeed("the connection ended")))
        client.on("notification", () => wakeup.fire())
        return client
      }),
      (client) => Effect.promise(() => client.end().catch(() => undefined))
    )
    yield* Effect.tryPromise({
      try: async () => {
        await client.connect()
        // named by SET: an application_name in the URL would override one given to the client
        await client.query(`SET application_name TO '${listenerName(database.schema)}'; LISTEN "kho_events:${database.schema}"`)
      },
      catch: (cause) => toEventStoreError(cause, "listening for new events")
    })
    yield* onListening
    return yield* Deferred.await(ended)
  }))

/**
 * Keeps a LISTEN connection open for the store's lifetime. `listening` completes when the first
 * one listens (or fails with why it could not, which fails `make`); every later one wakes the
 * subscribers once, since appends committed while nobody listened were not heard.
 */
const listen = (
  database: PgDatabase.PgDatabase["Service"],
  wakeup: LogPaging.Wakeup,
  listening: Deferred.Deferred<void, EventStoreError>,
  pollInterval: number
) =>
  Effect.gen(function*() {
    let failures = 0
    for (;;) {
      const exit = yield* Effect.exit(listenOnce(database, wakeup, Effect.sync(() => {
        failures = 0
        if (!Deferred.doneUnsafe(listening, Exit.void)) wakeup.fire()
      })))
      // the first connection failed: `make` fails with why
      if (Exit.isFailure(exit) && Deferred.doneUnsafe(listening, exit)) return
      const delay = Math.min(MAX_LISTEN_BACKOFF, 100 * 2 ** failures++)
      const why = Exit.isSuccess(exit) ? exit.value : Option.getOrUndefined(Exit.findErrorOption(exit))?.message
      yield* Effect.logWarning(
        `kho listener of schema ${database.schema}: ${why ?? "the connection failed"}; reconnecting in ${delay} ms ` +
          `(subscribers poll every ${pollInterval} ms meanwhile)`
      )
      yield* Effect.sleep(delay)
    }
  })

/**
 * Builds the event store and checkpoint store; forks the committer and the listener in `scope`.
 *
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function*(database: PgDatabase.PgDatabase["Service"], options: StoreOptions = {}) {
  const pool = database.pool
  const pollInterval = options.pollInterval ?? 1_000
  const defaultBatch = options.batchSize ?? 1_000
  const maxEvents = options.maxEventsPerRoundTrip ?? 2_000
  const pipelineAbove = options.pipelineAbove ?? 100
  const decodeRow = EventRow.makeDecoder((data) => data)
  const wakeup = LogPaging.makeWakeup()

  // LISTEN on a dedicated connection: commits anywhere (other processes too) wake our subscribers.
  // A hot standby refuses LISTEN: a read-only store's subscribers poll.
  if (!database.readOnly) {
    const listening = Deferred.makeUnsafe<void, EventStoreError>()
    yield* Effect.forkScoped(listen(database, wakeup, listening, pollInterval))
    yield* Deferred.await(listening)
  }

  // ---- appends: one committer fiber seals waiting appends against the cached head -------------

  let head: SealHead | undefined
  const versions = new Map<string, number>()
  const queue = yield* Queue.unbounded<Pending>()

  const fetchHead = Effect.map(
    database.query("reading the log head", "SELECT position, hash FROM kho_head"),
    (rows): LogHead => ({ position: Number(rows[0]?.["position"] ?? 0), hash: String(rows[0]?.["hash"] ?? HashChain.GENESIS_HASH) })
  )
  /** The head to seal against: position, hash and the head event's `recordedAt`. */
  const fetchSealHead = Effect.map(database.query("reading the log head", HEAD_QUERY), sealHeadOf)

  const fetchVersions = (streams: ReadonlyArray<string>) =>
    Effect.map(
      database.query(
        "reading stream versions",
        "SELECT stream_id, max(stream_version)::int AS version FROM kho_events WHERE stream_id = ANY($1) GROUP BY stream_id",
        [streams]
      ),
      (rows) => {
        for (const s of streams) versions.set(s, 0)
        for (const row of rows) versions.set(String(row["stream_id"]), Number(row["version"]))
      }
    )

  const assumedVersion = (p: Pending): number =>
    p.expected._tag === "Exact" ? p.expected.version : p.expected._tag === "NoStream" ? 0 : versions.get(p.streamId) ?? 0

  /**
   * Seals `batch` after `from` now; `reply` appends it in one statement when run (in `tx` when
   * given: the head is locked). `results` and `newHead` are what a NULL reply confirms.
   */
  const callAppend = (batch: ReadonlyArray<Pending>, from: SealHead, tx?: PgDatabase.Transaction) => {
    const appends: Array<Record<string, unknown>> = []
    // the events' columns, EVENT_COLUMNS values per event, in the order of EVENT_COLUMNS
    const columns: Array<unknown> = []
    const results: Array<AppendResult> = []
    let position = from.position
    let previousHash = from.hash
    // never earlier than the event before: appends queued in order may carry clock readings out of order
    let recordedAt = from.recordedAt
    batch.forEach((p, i) => {
      recordedAt = laterOf(recordedAt, p.recordedAt)
      const assumed = assumedVersion(p)
      let version = assumed
      const first = position + 1
      for (const event of p.events) {
        const m = event.metadata
        const sealed = HashChain.sealForStorage({
          streamId: p.streamId,
          streamVersion: ++version,
          globalPosition: ++position,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          recordedAt,
          actor: m.actor,
          commandId: m.commandId,
          correlationId: m.correlationId,
          causationId: m.causationId,
          previousHash
        })
        // the canonical texts the hash was computed over: no second JSON.stringify per event
        columns.push(
          position,
          p.streamId,
          version,
          event.type,
          event.schemaVersion,
          sealed.data,
          recordedAt,
          sealed.actor,
          m.commandId,
          m.correlationId,
          m.causationId,
          previousHash,
          sealed.hash
        )
        previousHash = sealed.hash
      }
      appends.push({ i, stream: p.streamId, assumed, command: p.commandId, first, last: position, next: version, hash: previousHash })
      results.push({
        streamId: p.streamId,
        nextExpectedVersion: version,
        firstPosition: first,
        lastPosition: position,
        headHash: previousHash,
        alreadyAppended: false
      })
    })
    const head = [from.position, from.hash, position, previousHash, JSON.stringify(appends)]
    const count = columns.length / EVENT_COLUMNS
    const appendFunction = count > MAX_PARAMETER_EVENTS ? "kho_append" : "kho_append_v2"
    const run = count > MAX_PARAMETER_EVENTS
      ? // beyond PostgreSQL's 65 535 parameters per statement: the events travel as one JSON array
        runAppend(tx, undefined, "SELECT kho_append($1, $2, $3, $4, $5::json, $6::json) AS reply", [
          ...head,
          JSON.stringify(jsonRows(columns))
        ])
      : runAppend(tx, `kho-append-${rowsFor(count)}`, appendStatement(rowsFor(count)), [
        ...head,
        ...columns,
        ...new Array<null>((rowsFor(count) - count) * EVENT_COLUMNS).fill(null)
      ])
    const reply = Effect.flatMap(run, (rows) =>
      Effect.mapError(decodeReply(rows[0]?.["reply"] ?? null), (cause) =>
        new EventStoreError({
          reason: "Corrupted",
          message: `appending events: ${appendFunction} in schema ${database.schema} answered something this ` +
            `@kho/store-postgres does not understand (${cause.message}), and nothing was written. The function was ` +
            `likely changed by hand or by another Kho version: compare the schema's kho_schema_migrations with ` +
            `this package's migrations, and restore ${appendFunction} from them or upgrade the package`,
          retryable: false
        })))
    const newHead: SealHead = { position, hash: previousHash, recordedAt }
    return { reply, results, newHead }
  }

  /** One append statement, prepared per connection under `name` when given (outside transactions). */
  const runAppend = (
    tx: PgDatabase.Transaction | undefined,
    name: string | undefined,
    text: string,
    values: ReadonlyArray<unknown>
  ): Effect.Effect<ReadonlyArray<PgDatabase.Row>, EventStoreError> =>
    tx !== undefined
      ? tx.query(text, values)
      : Effect.map(
        Effect.tryPromise({
          try: () => pool.query(name === undefined ? { text, values: [...values] } : { name, text, values: [...values] }),
          catch: (cause) => toEventStoreError(cause, "appending events")
        }),
        (result) => result.rows as ReadonlyArray<PgDatabase.Row>
      )

  /**
   * Commits a batch, re-sealing after head mismatches and settling each append exactly once. Run
   * again after a retryable failure, it starts from the appends still unsettled: one answered by an
   * earlier round trip (a conflict, a repeated command id) must not be written after its caller was
   * told otherwise, once its expected version has come true.
   */
  const commitBatch = (initial: ReadonlyArray<Pending>) =>
    Effect.gen(function*() {
      let batch = initial.filter((p) => !Deferred.isDoneUnsafe(p.deferred))
      for (let attempt = 0; batch.length > 0; attempt++) {
        if (head === undefined) head = yield* fetchSealHead
        const unknown = batch.filter((p) => p.expected._tag === "Any" && !versions.has(p.streamId)).map((p) => p.streamId)
        if (unknown.length > 0) yield* fetchVersions(unknown)
        // after two lost races with other processes, hold the head lock across the round trips
        const locked = attempt >= 2
        const outcome = locked
          ? yield* database.transaction("appending events (head locked)", (tx) =>
            Effect.gen(function*() {
              head = sealHeadOf(yield* tx.query(`${HEAD_QUERY} FOR UPDATE OF h`))
              versions.clear()
              yield* fetchVersions(batch.map((p) => p.streamId))
              const sealed = callAppend(batch, head, tx)
              return { ...sealed, reply: yield* sealed.reply }
            }))
          : yield* Effect.suspend(() => {
            const sealed = callAppend(batch, head!)
            return Effect.map(sealed.reply, (reply) => ({ ...sealed, reply }))
          })
        const reply = outcome.reply
        if (reply === null) {
          head = outcome.newHead
          batch.forEach((p, i) => {
            versions.set(p.streamId, outcome.results[i]!.nextExpectedVersion)
            Deferred.doneUnsafe(p.deferred, Exit.succeed(outcome.results[i]!))
          })
          if (versions.size > 100_000) versions.clear()
          wakeup.fire()
          return
        }
        if ("head" in reply) {
          // another process appended: forget what we knew about streams, refetch the head (its event's
          // recordedAt is the floor of our stamps) and reseal
          head = undefined
          versions.clear()
          continue
        }
        const settled = new Set<number>()
        for (const issue of reply.issues) {
          const p = batch[issue.i]!
          if (issue.done !== undefined) {
            Deferred.doneUnsafe(p.deferred, Exit.succeed({ ...issue.done, alreadyAppended: true }))
            settled.add(issue.i)
          } else if (issue.actual !== undefined) {
            versions.set(p.streamId, issue.actual)
            if (p.expected._tag !== "Any") {
              Deferred.doneUnsafe(
                p.deferred,
                Exit.fail(new ConcurrencyConflict({ streamId: p.streamId, expected: ExpectedVersion.describe(p.expected), actual: issue.actual }))
              )
              settled.add(issue.i)
            }
          }
        }
        batch = batch.filter((_, i) => !settled.has(i))
      }
    })

  /** Picks appends that can share a round trip: distinct streams and command ids, bounded size. */
  const pick = (waiting: Array<Pending>, limit = maxEvents): { batch: Array<Pending>; rest: Array<Pending> } => {
    const batch: Array<Pending> = []
    const rest: Array<Pending> = []
    const streams = new Set<string>()
    const commands = new Set<string>()
    let events = 0
    for (const p of waiting) {
      if (
        streams.has(p.streamId) || commands.has(p.commandId) ||
        (batch.length > 0 && events + p.events.length > limit)
      ) {
        rest.push(p)
        continue
      }
      streams.add(p.streamId)
      commands.add(p.commandId)
      events += p.events.length
      batch.push(p)
    }
    return { batch, rest }
  }

  // ---- pipelining: while one batch's round trip is under way, the next is sealed against the head
  // it will leave and sent on another connection. kho_append_v2 checks the head under the head
  // row's lock, so the second writes only if the first has committed before it: when the first
  // wrote nothing, or the second took the lock first, the second finds a head it was not sealed
  // against and writes nothing, and whatever did not land is committed again on its own (resealed,
  // its conflicts and repeated command ids settled as in commitBatch). Nothing is written out of
  // order; a lost race costs a round trip.

  /** A batch whose round trip is under way (`fiber` undefined: it could not even be sealed). */
  interface InFlight {
    readonly batch: ReadonlyArray<Pending>
    readonly results: ReadonlyArray<AppendResult>
    readonly fiber: Fiber.Fiber<typeof AppendReply.Type, EventStoreError> | undefined
  }

  /** Seals `batch` against the (predicted) head, starts its round trip, and predicts what it leaves. */
  const launch = (batch: ReadonlyArray<Pending>) =>
    Effect.gen(function*() {
      const ready = yield* Effect.exit(Effect.gen(function*() {
        if (head === undefined) head = yield* fetchSealHead
        const unknown = batch.filter((p) => p.expected._tag === "Any" && !versions.has(p.streamId)).map((p) => p.streamId)
        if (unknown.length > 0) yield* fetchVersions(unknown)
        return head
      }))
      if (ready._tag === "Failure") return { batch, results: [], fiber: undefined } satisfies InFlight
      const sealed = callAppend(batch, ready.value)
      const fiber = yield* Effect.forkChild(sealed.reply, { startImmediately: true })
      head = sealed.newHead
      batch.forEach((p, i) => versions.set(p.streamId, sealed.results[i]!.nextExpectedVersion))
      return { batch, results: sealed.results, fiber } satisfies InFlight
    })

  /** Settles a batch whose statement wrote it; false when it wrote nothing (or failed). */
  const land = (flight: InFlight) =>
    flight.fiber === undefined ? Effect.succeed(false) : Effect.map(Effect.exit(Fiber.join(flight.fiber)), (exit) => {
      if (exit._tag === "Failure" || exit.value !== null) return false
      flight.batch.forEach((p, i) => Deferred.doneUnsafe(p.deferred, Exit.succeed(flight.results[i]!)))
      wakeup.fire()
      return true
    })

  /** Commits a batch on its own (no pipelining): reseals, retries what is unsettled, settles each append once. */
  const commitAlone = (batch: ReadonlyArray<Pending>) =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(PgDatabase.retryRetryable(commitBatch(batch)))
      if (exit._tag === "Failure") {
        head = undefined
        versions.clear()
        for (const p of batch) Deferred.doneUnsafe(p.deferred, exit as Exit.Exit<never, EventStoreError>)
      }
    })

  const eventsOf = (appends: ReadonlyArray<Pending>) => appends.reduce((n, p) => n + p.events.length, 0)

  let carried: Array<Pending> = []
  let inFlight: InFlight | undefined
  const committer = Effect.gen(function*() {
    if (inFlight === undefined) {
      const fresh = carried.length > 0 ? yield* Queue.clear(queue) : yield* Queue.takeAll(queue)
      const waiting = [...carried, ...fresh]
      // much work and nothing under way: send half now, so the rest is sealed while it commits
      const total = eventsOf(waiting)
      const { batch, rest } = pick(waiting, total >= 2 * pipelineAbove ? Math.min(maxEvents, Math.ceil(total / 2)) : maxEvents)
      carried = rest
      inFlight = yield* launch(batch)
      return
    }
    const flight = inFlight
    let waiting = [...carried, ...(yield* Queue.clear(queue))]
    if (waiting.length === 0 && pipelineAbove < Infinity) {
      // writers just settled by the last landing are about to append again: let them
      yield* Effect.yieldNow
      waiting = yield* Queue.clear(queue)
    }
    let next: InFlight | undefined
    carried = waiting
    if (eventsOf(waiting) >= pipelineAbove) {
      const { batch, rest } = pick(waiting)
      carried = rest
      next = yield* launch(batch)
    }
    if (yield* land(flight)) {
      inFlight = next
      if (next === undefined && versions.size > 100_000) versions.clear()
      return
    }
    // the batch wrote nothing: the next one was sealed against a head that never came to be
    inFlight = undefined
    const nextLanded = next === undefined ? true : yield* land(next)
    head = undefined
    versions.clear()
    yield* commitAlone(flight.batch)
    if (next !== undefined && !nextLanded) yield* commitAlone(next.batch)
  }).pipe(Effect.forever)
  yield* Effect.forkScoped(committer)

  /** An empty append: checks the command id and the expected version, writes nothing. */
  const checkOnly = (streamId: string, expected: ExpectedVersion, commandId: string | undefined) =>
    Effect.gen(function*() {
      if (commandId !== undefined) {
        const done = yield* findCommand(commandId)
        if (Option.isSome(done)) return done.value
      }
      const rows = yield* database.query(
        `checking stream ${streamId}`,
        `SELECT h.position, h.hash, (SELECT coalesce(max(stream_version), 0)::int FROM kho_events WHERE stream_id = $1) AS version
           FROM kho_head h`,
        [streamId]
      )
      const current = Number(rows[0]?.["version"] ?? 0)
      if ((expected._tag === "NoStream" && current !== 0) || (expected._tag === "Exact" && current !== expected.version)) {
        return yield* new ConcurrencyConflict({ streamId, expected: ExpectedVersion.describe(expected), actual: current })
      }
      const position = Number(rows[0]?.["position"] ?? 0)
      return {
        streamId,
        nextExpectedVersion: current,
        firstPosition: position + 1,
        lastPosition: position,
        headHash: String(rows[0]?.["hash"]),
        alreadyAppended: false
      }
    })

  const append = (
    streamId: string,
    events: ReadonlyArray<NewEvent>,
    options: AppendOptions
  ): Effect.Effect<AppendResult, ConcurrencyConflict | EventStoreError> => {
    if (database.readOnly) return Effect.fail(readOnlyRefusal(`append to stream ${streamId}`))
    const commandId = options.commandId ?? events[0]?.metadata.commandId
    const refused = EventStoreChecks.appendRefusal(streamId, events)
    if (refused !== undefined) return Effect.fail(refused)
    if (commandId === undefined || events.length === 0) return checkOnly(streamId, options.expectedVersion, commandId)
    return Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const deferred = Deferred.makeUnsafe<AppendResult, ConcurrencyConflict | EventStoreError>()
      yield* Queue.offer(queue, {
        streamId,
        events,
        expected: options.expectedVersion,
        commandId,
        recordedAt: new Date(now).toISOString(),
        deferred
      })
      return yield* Deferred.await(deferred)
    })
  }

  // ---- reads --------------------------------------------------------------------------------

  const readRows = (doing: string, text: string, values: ReadonlyArray<unknown>) =>
    PgDatabase.retryRetryable(Effect.map(
      Effect.tryPromise({
        try: () => pool.query({ text, values: [...values], rowMode: "array" }),
        catch: (cause) => toEventStoreError(cause, doing)
      }),
      (result) => (result.rows as Array<ReadonlyArray<unknown>>).map(decodeRow)
    ))

  // Without an upper bound the planner sees only `> after` and walks the primary key; a bound far
  // above the head made it prefer a full scan and a sort for large batches.
  const readBatch = (after: number, until: number, limit: number): Effect.Effect<Array<RecordedEvent>, EventStoreError> =>
    until <= after
      ? Effect.succeed([])
      : until === Number.MAX_SAFE_INTEGER
      ? readRows(
        `reading the log after ${after}`,
        `SELECT ${COLUMNS} FROM kho_events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
        [after, limit]
      )
      : readRows(
        `reading the log after ${after}`,
        `SELECT ${COLUMNS} FROM kho_events WHERE global_position > $1 AND global_position <= $2 ORDER BY global_position LIMIT $3`,
        [after, until, Math.min(limit, until - after)]
      )

  const readAll = (options: ReadAllOptions = {}): Stream.Stream<RecordedEvent, EventStoreError> =>
    LogPaging.readAll(readBatch, defaultBatch, options)

  const subscribe = (options: ReadAllOptions = {}): Stream.Stream<RecordedEvent, EventStoreError> =>
    LogPaging.subscribe(readBatch, wakeup, { defaultBatch, pollInterval }, options)

  const readStream = (streamId: string, options: { fromVersion?: number; toVersion?: number } = {}) =>
    readRows(
      `reading stream ${streamId}`,
      `SELECT ${COLUMNS} FROM kho_events WHERE stream_id = $1 AND stream_version >= $2 AND stream_version <= $3 ORDER BY stream_version`,
      [streamId, options.fromVersion ?? 1, options.toVersion ?? 2_147_483_647]
    )

  const findCommand = (commandId: string) =>
    Effect.map(
      database.query(
        `finding command ${commandId}`,
        "SELECT stream_id, first_position, last_position, next_expected_version, head_hash FROM kho_commands WHERE command_id = $1",
        [commandId]
      ),
      (rows) =>
        Option.map(Option.fromUndefinedOr(rows[0]), (row): AppendResult => ({
          streamId: String(row["stream_id"]),
          firstPosition: Number(row["first_position"]),
          lastPosition: Number(row["last_position"]),
          nextExpectedVersion: Number(row["next_expected_version"]),
          headHash: String(row["head_hash"]),
          alreadyAppended: true
        }))
    )

  const importRecorded = (events: ReadonlyArray<RecordedEvent>): Effect.Effect<LogHead, EventStoreError> =>
    database.readOnly
      ? Effect.fail(readOnlyRefusal(`import ${events.length} recorded events`))
      : database.transaction("importing recorded events", (tx) =>
      Effect.gen(function*() {
        const rows = yield* tx.query("SELECT position, hash FROM kho_head FOR UPDATE")
        const current: LogHead = { position: Number(rows[0]?.["position"]), hash: String(rows[0]?.["hash"]) }
        if (events.length === 0) return current
        const streams = [...new Set(events.map((e) => e.streamId))]
        const versionRows = yield* tx.query(
          "SELECT stream_id, max(stream_version)::int AS version FROM kho_events WHERE stream_id = ANY($1) GROUP BY stream_id",
          [streams]
        )
        const known = new Map(versionRows.map((r) => [String(r["stream_id"]), Number(r["version"])]))
        const refused = EventStoreChecks.importRefusal(events, current, (streamId) => known.get(streamId) ?? 0)
        if (refused !== undefined) return yield* refused
        const last = events[events.length - 1]!
        const commands = [...EventStoreChecks.importedCommands(events)].map(([command, c]) => ({
          command,
          stream: c.streamId,
          first: c.firstPosition,
          last: c.lastPosition,
          next: c.nextExpectedVersion,
          hash: c.headHash
        }))
        yield* tx.query(
          `INSERT INTO kho_events (global_position, stream_id, stream_version, type, schema_version, data, recorded_at,
                                   actor, command_id, correlation_id, causation_id, previous_hash, hash)
             SELECT p, s, v, t, sv, d::json, r, a::json, c, co, ca, ph, h
             FROM json_to_recordset($1::json) AS e(p bigint, s text, v integer, t text, sv integer, d text, r text,
                                                  a text, c text, co text, ca text, ph text, h text)`,
          [JSON.stringify(events.map(eventRow))]
        )
        yield* tx.query(
          `INSERT INTO kho_commands (command_id, stream_id, first_position, last_position, next_expected_version, head_hash)
             SELECT command, stream, first, last, next, hash
             FROM json_to_recordset($1::json) AS x(command text, stream text, first bigint, last bigint, next integer, hash text)
           ON CONFLICT (command_id) DO NOTHING`,
          [JSON.stringify(commands)]
        )
        yield* tx.query("UPDATE kho_head SET position = $1, hash = $2", [last.globalPosition, last.hash])
        yield* tx.query("SELECT pg_notify('kho_events:' || current_schema(), $1)", [String(last.globalPosition)])
        return { position: last.globalPosition, hash: last.hash }
      })).pipe(Effect.tap(() =>
        Effect.sync(() => {
          // the committer reseals against the database's head next time
          head = undefined
          versions.clear()
        })
      ))

  const eventStore = EventStore.of({
    append,
    readStream,
    readAll,
    subscribe,
    findCommand,
    head: fetchHead,
    importRecorded
  })

  const checkpointStore = CheckpointStore.of({
    load: (projection) =>
      Effect.map(
        database.query(`loading checkpoint ${projection}`, "SELECT position FROM kho_checkpoints WHERE projection = $1", [projection]),
        (rows) => Number(rows[0]?.["position"] ?? 0)
      ),
    save: (projection, position) =>
      Effect.asVoid(database.query(
        `saving checkpoint ${projection}`,
        "INSERT INTO kho_checkpoints (projection, position) VALUES ($1, $2) ON CONFLICT (projection) DO UPDATE SET position = excluded.position",
        [projection, position]
      )),
    reset: (projection) =>
      Effect.asVoid(database.query(`resetting checkpoint ${projection}`, "DELETE FROM kho_checkpoints WHERE projection = $1", [projection]))
  })

  return { eventStore, checkpointStore }
})

/**
 * The event store and checkpoint store over a {@link PgDatabase} already in the context.
 *
 * @since 0.1.0
 */
export const layerFromDatabase = (
  options: StoreOptions = {}
): Layer.Layer<EventStore | CheckpointStore, EventStoreError, PgDatabase.PgDatabase> =>
  Layer.effectContext(Effect.gen(function*() {
    const database = yield* PgDatabase.PgDatabase
    const { checkpointStore, eventStore } = yield* make(database, options)
    return EventStore.context(eventStore).pipe(Context.add(CheckpointStore, checkpointStore))
  }))

/**
 * Connects, migrates and provides the event store, the checkpoint store and the database.
 *
 * @since 0.1.0
 */
export const layer = (
  options: PgDatabase.Options & StoreOptions
): Layer.Layer<EventStore | CheckpointStore | PgDatabase.PgDatabase, EventStoreError> =>
  layerFromDatabase(options).pipe(Layer.provideMerge(PgDatabase.layer(options)))
