/**
 * Read replicas: a streaming hot standby of the test cluster. A store opened with `readOnly: true`
 * on the standby reads and subscribes to what a store on the primary appends, refuses appends with
 * a typed error; opening the standby read-write fails saying it is a standby and what to do.
 */
import { it } from "@effect/vitest"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import type { EventStoreError } from "@kho/core/EventStore"
import { Context, Effect, Exit, Fiber, Layer, Option, Queue, Stream } from "effect"
import { afterAll, assert, beforeAll, inject } from "vitest"
import { PgDatabase, PgEventStore } from "../src/index.ts"
import { freshSchema } from "./utils/freshSchema.ts"
import { watchedStore } from "./utils/watchedStore.ts"
import type { Cluster } from "./utils/pgCluster.ts"
import { startStandby, waitForReplay } from "./utils/pgCluster.ts"

const primaryUrl = inject("pgUrl")
let standby: Cluster | undefined

beforeAll(async () => {
  standby = await startStandby(primaryUrl)
}, 60_000)
afterAll(() => standby?.stop())

const standbyUrl = () => {
  if (standby === undefined) throw new Error("the standby did not start")
  return standby.url
}

const replayed = Effect.promise(() => waitForReplay(primaryUrl, standbyUrl()))

const event = (n: number) => ({
  type: "DocumentUploaded",
  schemaVersion: 1,
  data: { n },
  metadata: { actor: { _tag: "System" as const, component: "replica-test" }, commandId: `c-${n}`, correlationId: "c", causationId: null }
})

/** The typed error an effect that must fail failed with. */
const failureOf = <A>(effect: Effect.Effect<A, EventStoreError>) =>
  Effect.map(Effect.exit(effect), (exit) => Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined)

it.live("a readOnly store on the standby reads the primary's events, follows new ones and refuses appends", () =>
  Effect.gen(function*() {
    const schema = freshSchema("replica")
    const primary = Context.get(yield* Layer.build(PgEventStore.layer({ url: primaryUrl, schema, poolSize: 2 })), EventStore)
    yield* primary.append("doc-1", [event(1), event(2)], { expectedVersion: ExpectedVersion.noStream })
    yield* primary.append("doc-2", [event(3)], { expectedVersion: ExpectedVersion.noStream })
    yield* replayed

    const replicaDatabase = yield* PgDatabase.open({ url: standbyUrl(), schema, poolSize: 2, readOnly: true })
    assert.isTrue(replicaDatabase.readOnly)
    // the append below happens only once the subscriber is caught up and waiting
    const { caughtUp, store: replica } = yield* watchedStore(replicaDatabase, 50)
    const written = yield* Stream.runCollect(primary.readAll())
    assert.deepStrictEqual(yield* Stream.runCollect(replica.readAll()), written)
    assert.deepStrictEqual((yield* replica.readStream("doc-1")).map((e) => e.data), [{ n: 1 }, { n: 2 }])
    assert.deepStrictEqual(yield* replica.head, yield* primary.head)

    // NOTIFY is not replicated (and LISTEN is refused during recovery): the subscriber polls
    const next = yield* Effect.forkChild(Stream.runHead(replica.subscribe({ after: 3 })))
    yield* Queue.take(caughtUp).pipe(Effect.timeout("20 seconds")) // waiting: the event can only come by polling
    const appended = yield* primary.append("doc-2", [event(4)], { expectedVersion: ExpectedVersion.exact(1) })
    const received = yield* Fiber.join(next).pipe(Effect.timeout("20 seconds"))
    assert.strictEqual(Option.getOrUndefined(received)?.globalPosition, 4)
    assert.strictEqual(Option.getOrUndefined(received)?.hash, appended.headHash)

    const refused = yield* failureOf(
      replica.append("doc-3", [event(5)], { expectedVersion: ExpectedVersion.noStream }).pipe(Effect.catchTag("ConcurrencyConflict", Effect.die))
    )
    assert.strictEqual(refused?._tag, "EventStoreError")
    assert.strictEqual(refused?.reason, "InvalidArgument")
    assert.isFalse(refused?.retryable)
  }).pipe(Effect.scoped), 60_000)

it.live("opening the standby read-write fails, migrated schema or not: it is a hot standby, open it readOnly or use the primary", () =>
  Effect.gen(function*() {
    // one schema the standby has at the latest version (nothing to write: only the check catches it), one it lacks
    const migrated = freshSchema("replica_rw")
    yield* Effect.scoped(PgDatabase.open({ url: primaryUrl, schema: migrated }))
    yield* replayed
    for (const schema of [migrated, freshSchema("replica_rw_missing")]) {
      const error = yield* failureOf(Effect.scoped(PgDatabase.open({ url: standbyUrl(), schema })))
      assert.strictEqual(error?.reason, "InvalidArgument", schema)
      assert.isFalse(error?.retryable)
      assert.include(error?.message, `the URL points at a read-only server: 127.0.0.1:${standby?.port}/kho is a hot standby`)
      assert.include(error?.message, "readOnly: true")
      assert.include(error?.message, "primary's URL")
    }
  }), 30_000)

it.live("a readOnly open of a schema the primary never migrated says to migrate it on the primary first", () =>
  Effect.gen(function*() {
    const schema = freshSchema("replica_missing")
    const error = yield* failureOf(Effect.scoped(PgDatabase.open({ url: standbyUrl(), schema, readOnly: true })))
    assert.strictEqual(error?.reason, "InvalidArgument")
    assert.include(error?.message, `schema ${schema}`)
    assert.include(error?.message, "has no Kho tables")
    assert.include(error?.message, "open a read-write store on the primary first to migrate it")
  }), 30_000)

it.live("a readOnly store on the primary writes nothing either: its transactions are read-only", () =>
  Effect.gen(function*() {
    const schema = freshSchema("replica_ro_primary")
    yield* Effect.scoped(PgDatabase.open({ url: primaryUrl, schema }))
    const database = yield* PgDatabase.open({ url: primaryUrl, schema, readOnly: true })
    const error = yield* failureOf(database.query("writing a checkpoint", "INSERT INTO kho_checkpoints VALUES ('p', 1)"))
    assert.strictEqual(error?.reason, "InvalidArgument")
    assert.include(error?.message, "read-only transaction")
    assert.include(error?.message, "readOnly: true")
  }).pipe(Effect.scoped), 30_000)
