/**
 * LISTEN/NOTIFY: an append committed by another store wakes a subscriber that would otherwise poll
 * only once a minute; when the listener's connection is killed, the store listens again and wakes
 * its subscribers once. A read-only store (a replica) does not LISTEN: its subscribers poll, its
 * reads work, and it refuses every append at once.
 */
import { describe, it } from "@effect/vitest"
import type { RecordedEvent } from "@kho/core/Event"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import * as HashChain from "@kho/core/HashChain"
import { Effect, Exit, Fiber, Option, Queue, Stream } from "effect"
import pg from "pg"
import { assert, inject } from "vitest"
import { PgDatabase, PgEventStore } from "../src/index.ts"
import { countedEvents } from "./utils/countedEvents.ts"
import { freshSchema } from "./utils/freshSchema.ts"
import { watchedStore } from "./utils/watchedStore.ts"

const url = inject("pgUrl")

/** Polls this rarely, so only a notification can wake a subscriber within the test's time. */
const RARE_POLL = 60_000

const events = countedEvents("listen-test")

/** Within this, a woken subscriber has long read; only a missed notification takes longer. */
const within = <A, E>(what: string, effect: Effect.Effect<A, E>) =>
  effect.pipe(Effect.timeoutOrElse({ duration: "10 seconds", orElse: () => Effect.die(new Error(`${what} within 10 s`)) }))

/** The first `count` events a subscriber of `store` sees, in a fiber. */
const subscriber = (store: EventStore["Service"], count: number) =>
  Effect.forkChild(Stream.runCollect(Stream.take(store.subscribe(), count)))

const openDatabase = (schema: string, readOnly = false) => PgDatabase.open({ url, schema, poolSize: 4, readOnly })

/** The backends of `schema`'s listeners (by the name the store gives them). */
const listeners = (database: PgDatabase.PgDatabase["Service"]) =>
  Effect.map(
    database.query("finding listeners", "SELECT pid FROM pg_stat_activity WHERE application_name = $1", [`kho-listen:${database.schema}`]),
    (rows) => rows.map((row) => Number(row["pid"]))
  )

const positions = (log: ReadonlyArray<RecordedEvent>) => log.map((e) => e.globalPosition)

describe("PgEventStore LISTEN/NOTIFY", () => {
  it.live("another store's append wakes a subscriber that polls once a minute", () =>
    Effect.gen(function*() {
      const schema = freshSchema("listen")
      const { caughtUp, store } = yield* watchedStore(yield* openDatabase(schema), RARE_POLL)
      const { eventStore: other } = yield* PgEventStore.make(yield* openDatabase(schema), { pollInterval: RARE_POLL })
      const following = yield* subscriber(store, 1)
      yield* within("the subscriber never caught up", Queue.take(caughtUp))
      yield* other.append("doc", events(1, "elsewhere"), { expectedVersion: ExpectedVersion.noStream })
      const seen = yield* within("the notification never woke the subscriber", Fiber.join(following))
      assert.deepStrictEqual(positions(seen), [1])
    }).pipe(Effect.scoped))

  it.live("a killed listener connection is opened again; subscribers are woken, then notified again", () =>
    Effect.gen(function*() {
      const schema = freshSchema("relisten")
      const database = yield* openDatabase(schema)
      const { caughtUp, store } = yield* watchedStore(database, RARE_POLL)
      const { eventStore: other } = yield* PgEventStore.make(yield* openDatabase(schema), { pollInterval: RARE_POLL })
      const following = yield* subscriber(store, 2)
      yield* within("the subscriber never caught up", Queue.take(caughtUp))
      yield* other.append("doc", events(1, "first"), { expectedVersion: ExpectedVersion.noStream })
      yield* within("the notification never woke the subscriber", Queue.take(caughtUp))

      const before = yield* listeners(database)
      assert.strictEqual(before.length, 2, "one listener per store")
      const mine = yield* Effect.promise(async () => {
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        // this store's listener connected before the other store's
        const result = await client.query(
          `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1
            ORDER BY backend_start LIMIT 1`,
          [`kho-listen:${schema}`]
        )
        await client.end()
        return Number(result.rows[0]?.pid)
      })
      // listening again, the store wakes its subscriber once: appends may have gone unheard
      yield* within("the listener never came back to wake the subscriber", Queue.take(caughtUp))
      const after = yield* listeners(database)
      assert.strictEqual(after.length, 2)
      assert.notInclude(after, mine)

      yield* other.append("doc", events(1, "second"), { expectedVersion: ExpectedVersion.exact(1) })
      const seen = yield* within("the reopened listener never woke the subscriber", Fiber.join(following))
      assert.deepStrictEqual(positions(seen), [1, 2])
    }).pipe(Effect.scoped))
})

describe("PgEventStore over a read-only database", () => {
  it.live("reads and subscribes (polling, no LISTEN); refuses appends and imports at once", () =>
    Effect.gen(function*() {
      const schema = freshSchema("readonly")
      const primary = yield* openDatabase(schema)
      const { eventStore: writer } = yield* PgEventStore.make(primary, { pollInterval: RARE_POLL })
      yield* writer.append("doc", events(3, "doc"), { expectedVersion: ExpectedVersion.noStream })
      const listening = yield* listeners(primary)

      const replica = yield* openDatabase(schema, true)
      assert.isTrue(replica.readOnly)
      const { eventStore: store } = yield* PgEventStore.make(replica, { pollInterval: 50 })
      assert.deepStrictEqual(yield* listeners(primary), listening, "the read-only store listens")

      const refusals = [
        yield* Effect.exit(Effect.asVoid(store.append("doc", events(1, "refused"), { expectedVersion: ExpectedVersion.exact(3) }))),
        yield* Effect.exit(Effect.asVoid(store.append("doc", [], { expectedVersion: ExpectedVersion.any, commandId: "cmd-empty" }))),
        yield* Effect.exit(Effect.asVoid(store.importRecorded([])))
      ]
      for (const exit of refusals) {
        const error = Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
        assert.strictEqual(error?._tag, "EventStoreError")
        if (error?._tag !== "EventStoreError") continue
        assert.strictEqual(error.reason, "InvalidArgument")
        assert.isFalse(error.retryable)
        assert.include(error.message, "read-only")
        assert.include(error.message, "replica")
        assert.include(error.message, "primary")
      }

      assert.deepStrictEqual((yield* store.readStream("doc")).map((e) => e.streamVersion), [1, 2, 3])
      const verified = yield* HashChain.verifyChain(store.readAll())
      assert.strictEqual(verified._tag === "ChainIntact" ? verified.count : -1, 3, JSON.stringify(verified))
      const following = yield* subscriber(store, 4)
      yield* writer.append("doc", events(1, "later"), { expectedVersion: ExpectedVersion.exact(3) })
      const seen = yield* within("the read-only store's subscriber never polled the append", Fiber.join(following))
      assert.deepStrictEqual(positions(seen), [1, 2, 3, 4])
      assert.strictEqual((yield* writer.readStream("doc")).length, 4, "the refused append was written")
    }).pipe(Effect.scoped))
})
