import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Option, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import type { NewEvent, RecordedEvent } from "../src/Event.ts"
import { EventStore, ExpectedVersion, importStream, layerMemory, makeMemory } from "../src/EventStore.ts"
import { GENESIS_HASH, computeHash, seal, verifyChain } from "../src/HashChain.ts"
import { metadata } from "./utils/Counter.ts"

const event = (commandId: string, n = 0): NewEvent => ({
  type: "Incremented",
  schemaVersion: 1,
  data: { _tag: "Incremented", by: n },
  metadata: metadata(commandId)
})

const collect = (stream: Stream.Stream<RecordedEvent, unknown>) => Stream.runCollect(stream)

describe("EventStore.layerMemory", () => {
  it.effect("seals appended events into one chain with gap-free positions and versions", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* TestClock.setTime(Date.UTC(2024, 2, 20, 8, 15, 0, 123))
      const a = yield* store.append("Counter-a", [event("c1", 1), event("c1", 2)], { expectedVersion: ExpectedVersion.noStream })
      const b = yield* store.append("Counter-b", [event("c2", 3)], { expectedVersion: ExpectedVersion.any })
      const c = yield* store.append("Counter-a", [event("c3", 4)], { expectedVersion: ExpectedVersion.exact(2) })
      assert.deepStrictEqual([a.firstPosition, a.lastPosition, a.nextExpectedVersion], [1, 2, 2])
      assert.deepStrictEqual([b.firstPosition, b.lastPosition, b.nextExpectedVersion], [3, 3, 1])
      assert.deepStrictEqual([c.firstPosition, c.lastPosition, c.nextExpectedVersion], [4, 4, 3])
      const all = yield* collect(store.readAll())
      assert.deepStrictEqual(all.map((e) => e.globalPosition), [1, 2, 3, 4])
      assert.deepStrictEqual(all.map((e) => `${e.streamId}@${e.streamVersion}`), [
        "Counter-a@1",
        "Counter-a@2",
        "Counter-b@1",
        "Counter-a@3"
      ])
      assert.strictEqual(all[0]!.previousHash, GENESIS_HASH)
      for (let i = 0; i < all.length; i++) {
        const { hash, ...rest } = all[i]!
        assert.strictEqual(hash, computeHash(rest))
        if (i > 0) assert.strictEqual(all[i]!.previousHash, all[i - 1]!.hash)
      }
      assert.strictEqual(all[0]!.recordedAt, "2024-03-20T08:15:00.123Z")
      assert.strictEqual(all[0]!.commandId, "c1")
      assert.deepStrictEqual(yield* store.head, { position: 4, hash: all[3]!.hash })
      assert.strictEqual(c.headHash, all[3]!.hash)
    }).pipe(Effect.provide(layerMemory)))

  it.effect("takes recordedAt from the Clock and never lets it go backwards", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* TestClock.setTime(Date.UTC(2024, 0, 1))
      yield* store.append("s", [event("c1")], { expectedVersion: ExpectedVersion.any })
      yield* TestClock.adjust("90 minutes")
      yield* store.append("s", [event("c2")], { expectedVersion: ExpectedVersion.any })
      const all = yield* collect(store.readAll())
      assert.deepStrictEqual(all.map((e) => e.recordedAt), ["2024-01-01T00:00:00.000Z", "2024-01-01T01:30:00.000Z"])
    }).pipe(Effect.provide(layerMemory)))

  it.effect("refuses an append at the wrong expected version and writes nothing", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* store.append("s", [event("c1")], { expectedVersion: ExpectedVersion.noStream })
      const headBefore = yield* store.head
      const noStream = yield* Effect.flip(store.append("s", [event("c2")], { expectedVersion: ExpectedVersion.noStream }))
      const stale = yield* Effect.flip(store.append("s", [event("c3")], { expectedVersion: ExpectedVersion.exact(0) }))
      const ahead = yield* Effect.flip(store.append("s", [event("c4")], { expectedVersion: ExpectedVersion.exact(5) }))
      for (const error of [noStream, stale, ahead]) {
        assert.strictEqual(error._tag, "ConcurrencyConflict")
        if (error._tag === "ConcurrencyConflict") assert.strictEqual(error.actual, 1)
      }
      expect(stale.message).toContain("expected 0")
      assert.deepStrictEqual(yield* store.head, headBefore)
      assert.isTrue(Option.isNone(yield* store.findCommand("c2")))
    }).pipe(Effect.provide(layerMemory)))

  it.effect("appends a command id once and returns the first outcome to every repeat", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const first = yield* store.append("s", [event("cmd", 1), event("cmd", 2)], { expectedVersion: ExpectedVersion.noStream })
      yield* store.append("s", [event("other")], { expectedVersion: ExpectedVersion.exact(2) })
      // a retry with a now-stale expected version is still answered, not refused
      const repeat = yield* store.append("s", [event("cmd", 1), event("cmd", 2)], {
        expectedVersion: ExpectedVersion.noStream
      })
      assert.deepStrictEqual(repeat, { ...first, alreadyAppended: true })
      assert.strictEqual(first.alreadyAppended, false)
      assert.deepStrictEqual(yield* store.findCommand("cmd"), Option.some(first))
      assert.strictEqual((yield* store.head).position, 3)
      // an explicit commandId option overrides the events' metadata
      const explicit = yield* store.append("t", [event("x")], { expectedVersion: ExpectedVersion.any, commandId: "cmd" })
      assert.isTrue(explicit.alreadyAppended)
    }).pipe(Effect.provide(layerMemory)))

  it.effect("reads a stream by version range", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      for (let i = 1; i <= 5; i++) {
        yield* store.append("s", [event(`c${i}`, i)], { expectedVersion: ExpectedVersion.exact(i - 1) })
      }
      const versions = (events: ReadonlyArray<RecordedEvent>) => events.map((e) => e.streamVersion)
      assert.deepStrictEqual(versions(yield* store.readStream("s")), [1, 2, 3, 4, 5])
      assert.deepStrictEqual(versions(yield* store.readStream("s", { fromVersion: 2, toVersion: 4 })), [2, 3, 4])
      assert.deepStrictEqual(versions(yield* store.readStream("s", { fromVersion: 4 })), [4, 5])
      assert.deepStrictEqual(versions(yield* store.readStream("s", { toVersion: 1 })), [1])
      assert.deepStrictEqual(yield* store.readStream("missing"), [])
    }).pipe(Effect.provide(layerMemory)))

  it.effect("reads the whole log in batches from a checkpoint up to a position", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      for (let i = 0; i < 25; i++) {
        yield* store.append(`s-${i % 3}`, [event(`c${i}`, i)], { expectedVersion: ExpectedVersion.any })
      }
      const positions = (events: ReadonlyArray<RecordedEvent>) => events.map((e) => e.globalPosition)
      const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)
      assert.deepStrictEqual(positions(yield* collect(store.readAll({ batchSize: 4 }))), range(1, 25))
      assert.deepStrictEqual(positions(yield* collect(store.readAll({ after: 10, batchSize: 4 }))), range(11, 25))
      assert.deepStrictEqual(positions(yield* collect(store.readAll({ after: 10, until: 17 }))), range(11, 17))
      assert.deepStrictEqual(positions(yield* collect(store.readAll({ after: 25 }))), [])
      const batches: Array<number> = []
      yield* Stream.runForEachArray(store.readAll({ batchSize: 4 }), (batch) => Effect.sync(() => batches.push(batch.length)))
      assert.deepStrictEqual(batches, [4, 4, 4, 4, 4, 4, 1])
    }).pipe(Effect.provide(layerMemory)))

  it.effect("subscribe catches up, then follows new appends without skipping or repeating", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      for (let i = 1; i <= 5; i++) yield* store.append("s", [event(`c${i}`)], { expectedVersion: ExpectedVersion.any })
      const fiber = yield* store.subscribe({ after: 2, batchSize: 2 }).pipe(
        Stream.take(10),
        Stream.runCollect,
        Effect.forkChild
      )
      yield* Effect.yieldNow
      for (let i = 6; i <= 9; i++) {
        yield* store.append("t", [event(`c${i}`)], { expectedVersion: ExpectedVersion.any })
        yield* Effect.yieldNow
      }
      yield* store.append("u", [event("c10"), event("c10"), event("c10")], { expectedVersion: ExpectedVersion.any })
      const seen = yield* Fiber.join(fiber)
      assert.deepStrictEqual(seen.map((e) => e.globalPosition), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    }).pipe(Effect.provide(layerMemory)))

  it.effect("subscribe with until ends there", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const fiber = yield* store.subscribe({ until: 3 }).pipe(Stream.runCollect, Effect.forkChild)
      for (let i = 1; i <= 5; i++) {
        yield* store.append("s", [event(`c${i}`)], { expectedVersion: ExpectedVersion.any })
        yield* Effect.yieldNow
      }
      assert.deepStrictEqual((yield* Fiber.join(fiber)).map((e) => e.globalPosition), [1, 2, 3])
    }).pipe(Effect.provide(layerMemory)))

  it.effect("refuses data that is not plain JSON, and freezes what it stores", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const withDate = { ...event("c1"), data: { at: new Date(0) } }
      const error = yield* Effect.flip(store.append("s", [withDate], { expectedVersion: ExpectedVersion.any }))
      assert.strictEqual(error._tag, "EventStoreError")
      expect(error.message).toContain("data.at is a Date")
      const nan = { ...event("c2"), data: { n: Number.NaN } }
      assert.strictEqual((yield* Effect.flip(store.append("s", [nan], { expectedVersion: ExpectedVersion.any })))._tag, "EventStoreError")
      assert.strictEqual((yield* store.head).position, 0)
      yield* store.append("s", [event("c3", 1)], { expectedVersion: ExpectedVersion.any })
      const [stored] = yield* store.readStream("s")
      assert.isTrue(Object.isFrozen(stored) && Object.isFrozen(stored!.data))
    }).pipe(Effect.provide(layerMemory)))

  it.effect("an empty append checks the version and writes nothing", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const result = yield* store.append("s", [], { expectedVersion: ExpectedVersion.noStream, commandId: "c" })
      assert.strictEqual(result.nextExpectedVersion, 0)
      assert.isTrue(Option.isNone(yield* store.findCommand("c")))
      const conflict = yield* Effect.exit(store.append("s", [], { expectedVersion: ExpectedVersion.exact(1) }))
      assert.isTrue(Exit.isFailure(conflict))
    }).pipe(Effect.provide(layerMemory)))

  describe("importRecorded", () => {
    const source = Effect.gen(function*() {
      const store = yield* makeMemory
      yield* store.append("a", [event("c1", 1), event("c1", 2)], { expectedVersion: ExpectedVersion.any })
      yield* store.append("b", [event("c2", 3)], { expectedVersion: ExpectedVersion.any })
      yield* store.append("a", [event("c3", 4)], { expectedVersion: ExpectedVersion.any })
      return yield* collect(store.readAll())
    })

    it.effect("imports a sealed log keeping positions, times and hashes, and indexes its command ids", () =>
      Effect.gen(function*() {
        const events = yield* source
        const store = yield* EventStore
        const head = yield* store.importRecorded(events)
        assert.deepStrictEqual(head, { position: 4, hash: events[3]!.hash })
        assert.deepStrictEqual(yield* collect(store.readAll()), events)
        const c1 = yield* store.findCommand("c1")
        assert.deepStrictEqual(Option.map(c1, (r) => [r.firstPosition, r.lastPosition, r.nextExpectedVersion]), Option.some([1, 2, 2]))
        // the log goes on from the imported head
        const next = yield* store.append("a", [event("c4")], { expectedVersion: ExpectedVersion.exact(3) })
        assert.strictEqual(next.firstPosition, 5)
        const [fifth] = yield* store.readStream("a", { fromVersion: 4 })
        assert.strictEqual(fifth!.previousHash, events[3]!.hash)
        // an imported command id is not appended again
        assert.isTrue((yield* store.append("a", [event("c3")], { expectedVersion: ExpectedVersion.any })).alreadyAppended)
      }).pipe(Effect.provide(layerMemory)))

    it.effect("refuses a batch that does not continue the log exactly, writing nothing", () =>
      Effect.gen(function*() {
        const events = yield* source
        const store = yield* EventStore
        const reseal = (e: RecordedEvent, patch: Partial<RecordedEvent>): RecordedEvent => {
          const { hash: _, ...rest } = { ...e, ...patch }
          return seal(rest)
        }
        const cases: Array<[ReadonlyArray<RecordedEvent>, string]> = [
          [events.slice(1), "expected global position 1"],
          [[events[0]!, events[2]!, events[3]!], "expected global position 2"],
          [[events[0]!, { ...events[1]!, data: { _tag: "Incremented", by: 99 } }], "does not recompute"],
          [[events[0]!, reseal(events[1]!, { previousHash: "f".repeat(64) })], "previous hash"],
          [[events[0]!, reseal(events[1]!, { streamVersion: 3, previousHash: events[0]!.hash })], "stream version is 3, expected 2"]
        ]
        for (const [batch, expected] of cases) {
          const error = yield* Effect.flip(store.importRecorded(batch))
          expect(error.message).toContain(expected)
          assert.deepStrictEqual(yield* store.head, { position: 0, hash: GENESIS_HASH })
        }
        assert.deepStrictEqual(yield* collect(store.readAll()), [])
      }).pipe(Effect.provide(layerMemory)))

    it.effect("importStream imports a stream in batches", () =>
      Effect.gen(function*() {
        const events = yield* source
        const head = yield* importStream(Stream.fromIterable(events), { batchSize: 3 })
        assert.deepStrictEqual(head, { position: 4, hash: events[3]!.hash })
      }).pipe(Effect.provide(layerMemory)))
  })

  it("keeps positions, versions and the chain gap-free for any sequence of appends", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ stream: fc.integer({ min: 0, max: 4 }), count: fc.integer({ min: 0, max: 4 }) }), {
          maxLength: 30
        }),
        async (appends) => {
          const program = Effect.gen(function*() {
            const store = yield* makeMemory
            let n = 0
            for (const { stream, count } of appends) {
              const events = Array.from({ length: count }, () => event(`c${n}`, n))
              n++
              yield* store.append(`s-${stream}`, events, { expectedVersion: ExpectedVersion.any })
            }
            const all = yield* collect(store.readAll({ batchSize: 3 }))
            const total = appends.reduce((sum, a) => sum + a.count, 0)
            expect(all.map((e) => e.globalPosition)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
            const verification = yield* verifyChain(Stream.fromIterable(all))
            expect(verification._tag).toBe("ChainIntact")
            for (let s = 0; s < 5; s++) {
              const versions = (yield* store.readStream(`s-${s}`)).map((e) => e.streamVersion)
              expect(versions).toEqual(versions.map((_, i) => i + 1))
            }
          })
          await Effect.runPromise(program)
        }
      ),
      { numRuns: 50 }
    )
  })
})
