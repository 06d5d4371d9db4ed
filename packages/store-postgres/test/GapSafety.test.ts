/**
 * Gap safety: a subscriber reading the global order must never skip a position that commits late.
 * The classic failure on PostgreSQL is a sequence: transaction A takes position 1, B takes 2 and
 * commits first, a reader sees 2, moves its checkpoint past 1 and never sees 1. Kho serialises
 * appends on the chain head, so positions commit in order; these tests interleave slow and fast
 * transactions to prove it, and show the hazard is real on a plain sequence.
 */
import { it } from "@effect/vitest"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import * as HashChain from "@kho/core/HashChain"
import { Context, Effect, Fiber, Layer, Stream } from "effect"
import { assert, inject } from "vitest"
import { PgEventStore } from "../src/index.ts"
import { freshSchema } from "./utils/freshSchema.ts"
import { schemaClient } from "./utils/schemaClient.ts"

const url = inject("pgUrl")

const connect = (schema: string) => schemaClient(url, schema)

const event = (n: number) => ({
  type: "DocumentUploaded",
  schemaVersion: 1,
  data: { n },
  metadata: { actor: { _tag: "System" as const, component: "gap-test" }, commandId: `cmd-${n}-${Math.random()}`, correlationId: "c", causationId: null }
})

const positionsOf = (store: EventStore["Service"], after = 0) =>
  Effect.map(Stream.runCollect(store.readAll({ after })), (events) => events.map((e) => e.globalPosition))

it.live("the hazard is real: a sequence lets a reader see position 2 while 1 is uncommitted", () =>
  Effect.gen(function*() {
    const schema = freshSchema("naive")
    const setup = yield* connect("public")
    yield* Effect.promise(() => setup.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.naive (pos bigserial PRIMARY KEY)`))
    const slow = yield* connect(schema)
    const fast = yield* connect(schema)
    yield* Effect.promise(() => slow.query("BEGIN; INSERT INTO naive DEFAULT VALUES"))
    yield* Effect.promise(() => fast.query("INSERT INTO naive DEFAULT VALUES"))
    const seen = yield* Effect.promise(() => setup.query(`SELECT pos FROM ${schema}.naive ORDER BY pos`))
    assert.deepStrictEqual(seen.rows.map((r) => Number(r.pos)), [2], "a reader sees 2 and would checkpoint past 1")
    yield* Effect.promise(() => slow.query("COMMIT"))
  }).pipe(Effect.scoped))

it.live("a slow uncommitted append holds back a fast one: the reader sees nothing, then 1 and 2 in order", () =>
  Effect.gen(function*() {
    const schema = freshSchema("gap")
    const writer = yield* Layer.build(PgEventStore.layer({ url, schema, poolSize: 3, pollInterval: 50 }))
    const reader = yield* Layer.build(PgEventStore.layer({ url, schema, poolSize: 2, pollInterval: 50 }))
    const writerStore = Context.get(writer, EventStore)
    const readerStore = Context.get(reader, EventStore)
    const subscription = yield* Effect.forkChild(Stream.runCollect(Stream.take(readerStore.subscribe(), 2)))

    // the slow transaction: seals position 1 by hand and calls kho_append, but does not commit yet
    const slow = yield* connect(schema)
    const e = event(1)
    const sealed = HashChain.seal({
      streamId: "slow",
      streamVersion: 1,
      globalPosition: 1,
      type: e.type,
      schemaVersion: 1,
      data: e.data,
      recordedAt: "2024-03-20T08:15:00.000Z",
      actor: e.metadata.actor,
      commandId: e.metadata.commandId,
      correlationId: "c",
      causationId: null,
      previousHash: HashChain.GENESIS_HASH
    })
    const appends = [{ i: 0, stream: "slow", assumed: 0, command: sealed.commandId, first: 1, last: 1, next: 1, hash: sealed.hash }]
    const events = [{
      p: 1, s: "slow", v: 1, t: sealed.type, sv: 1, d: JSON.stringify(sealed.data), r: sealed.recordedAt,
      a: JSON.stringify(sealed.actor), c: sealed.commandId, co: "c", ca: null, ph: sealed.previousHash, h: sealed.hash
    }]
    yield* Effect.promise(() => slow.query("BEGIN"))
    const reply = yield* Effect.promise(() =>
      slow.query("SELECT kho_append(0, $1, 1, $2, $3::json, $4::json) AS reply", [
        HashChain.GENESIS_HASH,
        sealed.hash,
        JSON.stringify(appends),
        JSON.stringify(events)
      ])
    )
    assert.isNull(reply.rows[0].reply, "the slow append is accepted (uncommitted)")

    // the fast append starts after and must wait for the slow one
    const fast = yield* Effect.forkChild(writerStore.append("fast", [event(2)], { expectedVersion: ExpectedVersion.noStream }))
    yield* Effect.sleep(300)
    assert.deepStrictEqual(yield* positionsOf(readerStore), [], "nothing is visible before the slow commit")
    assert.isUndefined(fast.pollUnsafe(), "the fast append waits for the chain head")

    yield* Effect.promise(() => slow.query("COMMIT"))
    const fastResult = yield* Fiber.join(fast)
    assert.strictEqual(fastResult.firstPosition, 2)
    const all = yield* Stream.runCollect(readerStore.readAll())
    assert.deepStrictEqual(all.map((x) => x.globalPosition), [1, 2])
    assert.strictEqual(all[1]!.previousHash, all[0]!.hash, "the fast event chains to the slow one")
    const live = yield* Fiber.join(subscription).pipe(Effect.timeout("10 seconds"))
    assert.deepStrictEqual(live.map((x) => x.globalPosition), [1, 2])
  }).pipe(Effect.scoped))

it.live("interleaved slow and fast transactions from three writers: readers never see a gap", () =>
  Effect.gen(function*() {
    const schema = freshSchema("jitter")
    const stores: Array<EventStore["Service"]> = []
    for (let i = 0; i < 4; i++) {
      const context = yield* Layer.build(PgEventStore.layer({ url, schema, poolSize: 3, pollInterval: 50 }))
      stores.push(Context.get(context, EventStore))
    }
    // half the appends sleep up to 30 ms after inserting, while holding their transaction open
    const admin = yield* connect(schema)
    yield* Effect.promise(() =>
      admin.query(`
        CREATE FUNCTION kho_test_jitter() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF random() < 0.5 THEN PERFORM pg_sleep(random() * 0.03); END IF; RETURN NULL; END $$;
        CREATE TRIGGER jitter AFTER INSERT ON kho_events FOR EACH STATEMENT EXECUTE FUNCTION kho_test_jitter();`)
    )
    const [readerStore, ...writers] = stores
    const perWriter = 4
    const appendsEach = 6
    const eventsPerAppend = (k: number) => 1 + (k % 3)
    const total = writers.length * perWriter * Array.from({ length: appendsEach }, (_, k) => eventsPerAppend(k)).reduce((a, b) => a + b, 0)
    const subscription = yield* Effect.forkChild(Stream.runCollect(Stream.take(readerStore!.subscribe({ batchSize: 7 }), total)))

    // a reader polling as fast as it can: every read must continue exactly after the last one
    let last = 0
    let reads = 0
    const poller = yield* Effect.forkChild(Effect.gen(function*() {
      while (last < total) {
        const seen = yield* positionsOf(readerStore!, last)
        seen.forEach((p, i) => assert.strictEqual(p, last + i + 1, `a read after ${last} skipped to ${p}`))
        last += seen.length
        reads++
      }
    }))
    yield* Effect.forEach(writers, (store, w) =>
      Effect.forEach(Array.from({ length: perWriter }, (_, f) => f), (f) =>
        Effect.gen(function*() {
          let version = 0
          for (let k = 0; k < appendsEach; k++) {
            const events = Array.from({ length: eventsPerAppend(k) }, (_, j) => event(w * 1000 + f * 100 + k * 10 + j))
            const result = yield* store.append(`w${w}-f${f}`, events, { expectedVersion: ExpectedVersion.exact(version) })
            version = result.nextExpectedVersion
          }
        }), { concurrency: "unbounded", discard: true }), { concurrency: "unbounded", discard: true })
    yield* Fiber.join(poller).pipe(Effect.timeout("30 seconds"))
    assert.isAbove(reads, 3, "the poller should have read while writers were writing")
    const live = yield* Fiber.join(subscription).pipe(Effect.timeout("30 seconds"))
    assert.deepStrictEqual(live.map((e) => e.globalPosition), Array.from({ length: total }, (_, i) => i + 1))
    let previous = HashChain.GENESIS_HASH
    for (const e of live) {
      assert.strictEqual(e.previousHash, previous)
      previous = e.hash
    }
  }).pipe(Effect.scoped), 60_000)
