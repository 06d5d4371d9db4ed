/**
 * `recordedAt` never goes backwards along the log, whatever the clocks do: a step back (NTP) between
 * appends, several writers in one process whose clock readings arrive out of order (group commit,
 * pipelining), and two stores (two processes) on one schema whose clocks differ. Auditors cut the log
 * "as of time T" on that promise (`KpiLedger.atTime`).
 */
import { it } from "@effect/vitest"
import type { RecordedEvent } from "@kho/core/Event"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import * as HashChain from "@kho/core/HashChain"
import { Clock, Context, Effect, Layer, Stream } from "effect"
import { assert, inject } from "vitest"
import { PgEventStore } from "../src/index.ts"
import { countedEvents } from "./utils/countedEvents.ts"
import { freshSchema } from "./utils/freshSchema.ts"

const url = inject("pgUrl")

const MINUTE = 60_000
const start = Date.UTC(2024, 2, 20, 16, 58)

const events = countedEvents("recorded-at-test")

const storeIn = (schema: string, options: Partial<PgEventStore.StoreOptions> = {}) =>
  Effect.map(
    Layer.build(PgEventStore.layer({ url, schema, poolSize: 4, pollInterval: 50, ...options })),
    (context) => Context.get(context, EventStore)
  )

/** Runs `effect` with a wall clock that reads `millis` (sleeping still works). */
const at = (millis: number) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.clockWith((live) =>
    Effect.provideService(effect, Clock.Clock, {
      currentTimeMillisUnsafe: () => millis,
      currentTimeMillis: Effect.succeed(millis),
      currentTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
      currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
      monotonicTimeNanosUnsafe: () => live.monotonicTimeNanosUnsafe(),
      monotonicTimeNanos: live.monotonicTimeNanos,
      sleep: (duration) => live.sleep(duration)
    }))

const append = (store: EventStore["Service"], stream: string, count: number, millis: number) =>
  store.append(stream, events(count, stream), { expectedVersion: ExpectedVersion.any }).pipe(at(millis))

/** The log, after checking its chain; and the first position whose `recordedAt` decreases, if any. */
const logOf = (store: EventStore["Service"]) =>
  Effect.gen(function*() {
    const verified = yield* HashChain.verifyChain(store.readAll())
    assert.strictEqual(verified._tag, "ChainIntact", JSON.stringify(verified))
    return Array.from(yield* Stream.runCollect(store.readAll()))
  })
const firstDecrease = (log: ReadonlyArray<RecordedEvent>): number | undefined => {
  for (let i = 1; i < log.length; i++) {
    if (Date.parse(log[i]!.recordedAt) < Date.parse(log[i - 1]!.recordedAt)) return log[i]!.globalPosition
  }
  return undefined
}
const stamps = (log: ReadonlyArray<RecordedEvent>) => JSON.stringify(log.map((e) => e.recordedAt))

it.live("a clock stepped back between appends stamps the head's recordedAt, never earlier", () =>
  Effect.gen(function*() {
    const store = yield* storeIn(freshSchema("recat"))
    yield* append(store, "Counter-a", 2, start)
    yield* append(store, "Counter-b", 1, start - 5 * MINUTE)
    yield* append(store, "Counter-c", 1, start + 3 * MINUTE)
    const log = yield* logOf(store)
    assert.deepStrictEqual(log.map((e) => e.recordedAt), [
      new Date(start).toISOString(),
      new Date(start).toISOString(),
      new Date(start).toISOString(),
      new Date(start + 3 * MINUTE).toISOString()
    ])
  }), 60_000)

it.live("concurrent appends whose clock readings go backwards, grouped and pipelined, stay non-decreasing", () =>
  Effect.gen(function*() {
    const store = yield* storeIn(freshSchema("recat"), { pipelineAbove: 2 })
    // each append reads an earlier clock than the one before it
    yield* Effect.forEach(
      Array.from({ length: 40 }, (_, i) => i),
      (i) => append(store, `Counter-${i}`, 1 + (i % 3), start - i * MINUTE),
      { concurrency: 8 }
    )
    const log = yield* logOf(store)
    assert.strictEqual(log.length, 40 + 13 + 13 * 2)
    assert.strictEqual(firstDecrease(log), undefined, stamps(log))
  }), 60_000)

it.live("two stores on one schema whose clocks differ never stamp earlier than the head", () =>
  Effect.gen(function*() {
    const schema = freshSchema("recat")
    const ahead = yield* storeIn(schema)
    const behind = yield* storeIn(schema)
    // alternating: the slow store's cached head is stale each time, and it must learn the head's recordedAt
    for (let round = 0; round < 4; round++) {
      yield* append(ahead, `Ahead-${round}`, 1, start + round * MINUTE)
      yield* append(behind, `Behind-${round}`, 2, start + round * MINUTE - 10 * MINUTE)
    }
    // and at once: head mismatches, reseals, locked retries
    yield* Effect.all([
      Effect.forEach(Array.from({ length: 10 }, (_, i) => i), (i) => append(ahead, `Ahead-x${i}`, 1, start + 10 * MINUTE), {
        concurrency: 3
      }),
      Effect.forEach(Array.from({ length: 10 }, (_, i) => i), (i) => append(behind, `Behind-x${i}`, 1, start - 10 * MINUTE), {
        concurrency: 3
      })
    ], { concurrency: "unbounded" })
    const log = yield* logOf(ahead)
    assert.strictEqual(log.length, 4 * 3 + 20)
    assert.strictEqual(firstDecrease(log), undefined, stamps(log))
  }), 60_000)
