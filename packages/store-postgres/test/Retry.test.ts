/**
 * Retries where safe: a round trip or a read that fails with a retryable error (its backend
 * terminated, a deadlock) is run again and the operation succeeds with the log intact; a retried
 * round trip carries only the appends not yet settled; a failure that is not retryable is reported
 * at once; and failures nobody can retry say what to do.
 */
import { describe, it } from "@effect/vitest"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import * as HashChain from "@kho/core/HashChain"
import { Effect, Exit, Fiber, Option, Stream } from "effect"
import pg from "pg"
import { assert, inject } from "vitest"
import { PgDatabase, PgEventStore, PgProjectionWorker } from "../src/index.ts"
import { countedEvents } from "./utils/countedEvents.ts"
import { freshSchema } from "./utils/freshSchema.ts"
import { schemaClient } from "./utils/schemaClient.ts"

const url = inject("pgUrl")

const events = countedEvents("retry-test")

/** A failure as `pg` reports a PostgreSQL error: a message and its SQLSTATE. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code })

/** `pool`, except that `fault` sees each statement the store sends through it first (and may throw). */
const withFault = (pool: pg.Pool, fault: (config: pg.QueryConfig) => Promise<void> | void): pg.Pool =>
  new Proxy(pool, {
    get: (target, key) =>
      key === "query"
        ? async (config: pg.QueryConfig) => {
          await fault(config)
          return target.query(config)
        }
        : Reflect.get(target, key, target)
  })

/** Pool connections named `name` in pg_stat_activity, so a test terminates only its own backends. */
const openDatabase = (schema: string, name?: string) =>
  PgDatabase.open({ url: name === undefined ? url : `${url}?application_name=${name}`, schema, poolSize: 4 })

const admin = (schema: string) => schemaClient(url, schema)

/** Terminates the backends named `name` that wait on a lock running `like`; their pids. */
const terminateWaiting = (client: pg.Client, name: string, like: string) =>
  Effect.promise(async () => {
    // inside a transaction pg_stat_activity is read once and kept: read it afresh
    await client.query("SELECT pg_stat_clear_snapshot()")
    const result = await client.query(
      `SELECT pid, pg_terminate_backend(pid) AS done FROM pg_stat_activity
        WHERE application_name = $1 AND wait_event_type = 'Lock' AND query LIKE $2`,
      [name, like]
    )
    return result.rows.map((row) => Number(row.pid))
  })

/** Terminates `count` distinct backends as they come to wait (every 20 ms, at most 10 s). */
const terminateNext = (client: pg.Client, name: string, like: string, count: number) =>
  Effect.gen(function*() {
    const pids = new Set<number>()
    while (pids.size < count) {
      for (const pid of yield* terminateWaiting(client, name, like)) pids.add(pid)
      if (pids.size < count) yield* Effect.sleep(20)
    }
    return pids
  }).pipe(Effect.timeoutOrElse({
    duration: "10 seconds",
    orElse: () => Effect.die(new Error(`no backend named ${name} came to wait on a lock running ${like}`))
  }))

const verify = (store: EventStore["Service"], count: number) =>
  Effect.gen(function*() {
    const result = yield* HashChain.verifyChain(store.readAll())
    assert.strictEqual(result._tag, "ChainIntact", JSON.stringify(result))
    assert.strictEqual(result._tag === "ChainIntact" ? result.count : -1, count)
  })

const errorOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined

describe("PgEventStore retries", () => {
  it.live("a retried round trip carries only the appends not yet settled (a conflict stays unwritten)", () =>
    Effect.gen(function*() {
      const schema = freshSchema("unsettled")
      const database = yield* openDatabase(schema)
      const { eventStore: other } = yield* PgEventStore.make(database)
      yield* other.append("s", events(1, "seed"), { expectedVersion: ExpectedVersion.noStream })
      const late = "cmd-late"
      const bystander = "cmd-bystander"
      let together = false
      let injected = false
      const { eventStore: store } = yield* PgEventStore.make({
        ...database,
        pool: withFault(database.pool, async (config) => {
          const appends = String(config.values?.[4] ?? "")
          if (!config.text.includes("kho_append")) return
          if (appends.includes(late) && appends.includes(bystander)) together = true
          if (together && !injected && appends.includes(bystander) && !appends.includes(late)) {
            // the late append was answered (conflict) by the round trip before this one; now its
            // expected version comes true, and this round trip fails as a deadlock would
            injected = true
            await Effect.runPromise(other.append("s", events(1, "intruder"), { expectedVersion: ExpectedVersion.exact(1) }))
            throw pgError("40P01", "deadlock detected")
          }
        })
      })
      const [lateExit, bystanderExit] = yield* Effect.all([
        Effect.exit(store.append("s", events(1, "late", late), { expectedVersion: ExpectedVersion.exact(2) })),
        Effect.exit(store.append("b", events(1, "bystander", bystander), { expectedVersion: ExpectedVersion.any }))
      ], { concurrency: "unbounded" })
      assert.isTrue(together, "the two appends did not share a round trip")
      assert.isTrue(injected, "the round trip after the conflict never came")
      assert.strictEqual((errorOf(lateExit) as { _tag?: string } | undefined)?._tag, "ConcurrencyConflict")
      assert.isTrue(Exit.isSuccess(bystanderExit), String(errorOf(bystanderExit)))
      const stream = yield* store.readStream("s")
      assert.deepStrictEqual(stream.map((e) => e.commandId).filter((c) => c === late), [], "a failed append was written")
      assert.isTrue(Option.isNone(yield* store.findCommand(late)))
      assert.strictEqual(stream.length, 2)
      yield* verify(store, 3)
    }).pipe(Effect.scoped))

  it.live("an append whose backend is terminated (twice) is committed again and succeeds once", () =>
    Effect.gen(function*() {
      const schema = freshSchema("killappend")
      const name = `retry-${schema}`
      const database = yield* openDatabase(schema, name)
      const { eventStore: store } = yield* PgEventStore.make(database, { pollInterval: 50 })
      yield* store.append("doc", events(2, "before"), { expectedVersion: ExpectedVersion.noStream })
      const holder = yield* admin(schema)
      yield* Effect.promise(() => holder.query("BEGIN; SELECT * FROM kho_head FOR UPDATE"))
      const appending = yield* Effect.forkChild(store.append("doc", events(3, "killed"), { expectedVersion: ExpectedVersion.exact(2) }))
      // the pipelined round trip, then the first one sent alone: only a retry can still succeed
      yield* terminateNext(holder, name, "%kho_append%", 2)
      yield* Effect.promise(() => holder.query("ROLLBACK"))
      const result = yield* Fiber.join(appending)
      assert.strictEqual(result.firstPosition, 3)
      assert.strictEqual(result.lastPosition, 5)
      assert.isFalse(result.alreadyAppended)
      const stream = yield* store.readStream("doc")
      assert.deepStrictEqual(stream.map((e) => e.streamVersion), [1, 2, 3, 4, 5])
      yield* verify(store, 5)
    }).pipe(Effect.scoped))

  it.live("a read whose backend is terminated is read again", () =>
    Effect.gen(function*() {
      const schema = freshSchema("killread")
      const name = `retry-${schema}`
      const database = yield* openDatabase(schema, name)
      const { eventStore: store } = yield* PgEventStore.make(database, { pollInterval: 50 })
      yield* store.append("doc", events(3, "doc"), { expectedVersion: ExpectedVersion.noStream })
      const holder = yield* admin(schema)
      yield* Effect.promise(() => holder.query("BEGIN; LOCK TABLE kho_events IN ACCESS EXCLUSIVE MODE"))
      const reading = yield* Effect.forkChild(store.readStream("doc"))
      yield* terminateNext(holder, name, "%FROM kho_events WHERE stream_id%", 1)
      yield* Effect.promise(() => holder.query("ROLLBACK"))
      const stream = yield* Fiber.join(reading)
      assert.deepStrictEqual(stream.map((e) => e.streamVersion), [1, 2, 3])
      yield* verify(store, 3)
    }).pipe(Effect.scoped))

  it.live("a deadlock on a read is retried; the log reads whole and intact", () =>
    Effect.gen(function*() {
      const schema = freshSchema("deadread")
      const database = yield* openDatabase(schema)
      let deadlocks = 0
      const { eventStore: store } = yield* PgEventStore.make({
        ...database,
        pool: withFault(database.pool, (config) => {
          if (config.text.includes("FROM kho_events WHERE global_position") && deadlocks < 2) {
            deadlocks++
            throw pgError("40P01", "deadlock detected")
          }
        })
      }, { batchSize: 4 })
      for (let k = 0; k < 3; k++) yield* store.append(`doc-${k}`, events(3, `doc-${k}`), { expectedVersion: ExpectedVersion.noStream })
      yield* verify(store, 9)
      assert.strictEqual(deadlocks, 2)
    }).pipe(Effect.scoped))

  it.live("a failure that is not retryable is reported at once, not retried", () =>
    Effect.gen(function*() {
      const schema = freshSchema("noretry")
      const database = yield* openDatabase(schema)
      let attempts = 0
      const { eventStore: store } = yield* PgEventStore.make({
        ...database,
        pool: withFault(database.pool, (config) => {
          if (config.text.includes("FROM kho_events WHERE stream_id")) {
            attempts++
            throw pgError("42501", "permission denied for table kho_events")
          }
        })
      })
      const error = errorOf(yield* Effect.exit(store.readStream("doc")))
      assert.strictEqual(error?.reason, "Io")
      assert.isFalse(error?.retryable)
      assert.include(error?.message, "permission denied")
      assert.strictEqual(attempts, 1)
    }).pipe(Effect.scoped))
})

describe("failures nobody can retry say what to do", () => {
  it.live("kho_append_v2 changed by hand: the append fails, naming the function and kho_schema_migrations", () =>
    Effect.gen(function*() {
      const schema = freshSchema("handmade")
      const database = yield* openDatabase(schema)
      const { eventStore: store } = yield* PgEventStore.make(database)
      yield* database.query(
        "replacing kho_append_v2",
        `CREATE OR REPLACE FUNCTION kho_append_v2(p_head bigint, p_head_hash text, p_new_head bigint, p_new_hash text, p_appends json)
           RETURNS json LANGUAGE sql AS $$ SELECT '{"surprise": true}'::json $$`
      )
      const error = errorOf(yield* Effect.exit(store.append("doc", events(1, "doc"), { expectedVersion: ExpectedVersion.any })))
      assert.strictEqual(error?._tag, "EventStoreError")
      const message = error?._tag === "EventStoreError" ? error.message : ""
      assert.include(message, `kho_append_v2 in schema ${schema}`)
      assert.include(message, "kho_schema_migrations")
      assert.include(message, "nothing was written")
      assert.deepStrictEqual(yield* store.readStream("doc"), [])
    }).pipe(Effect.scoped))

  it.live("a projection over a store whose subscription ends says so, and is not retryable", () =>
    Effect.gen(function*() {
      const schema = freshSchema("ended")
      const database = yield* openDatabase(schema)
      const { eventStore: store } = yield* PgEventStore.make(database)
      const exit = yield* Effect.exit(PgProjectionWorker.run({ name: "ends", handle: () => Effect.void }).pipe(
        Effect.provideService(PgDatabase.PgDatabase, database),
        Effect.provideService(EventStore, { ...store, subscribe: () => Stream.empty })
      ))
      const error = errorOf(exit)
      assert.include(error?.message, "projection ends")
      assert.include(error?.message, "subscribe() stream completed")
      assert.include(error?.message, "PgEventStore.layer")
      assert.isFalse(error?.retryable)
    }).pipe(Effect.scoped))
})
