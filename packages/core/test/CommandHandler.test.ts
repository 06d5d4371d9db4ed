import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref, Stream } from "effect"
import * as CommandHandler from "../src/CommandHandler.ts"
import { EventStore, ExpectedVersion, layerMemory, makeMemory } from "../src/EventStore.ts"
import { verifyChain } from "../src/HashChain.ts"
import * as Projection from "../src/Projection.ts"
import { Incremented, LIMIT, Reset, decider, metadata } from "./utils/Counter.ts"

/**
 * A memory store that yields to other fibers before every read and append, so concurrent commands
 * really interleave (the plain memory store would run each command to completion in one go), and
 * that counts the conflicts it reports.
 */
const interleaving = (conflicts: Ref.Ref<number>) =>
  Layer.effect(
    EventStore,
    Effect.map(makeMemory, (inner) =>
      EventStore.of({
        ...inner,
        readStream: (streamId, options) => Effect.andThen(Effect.yieldNow, inner.readStream(streamId, options)),
        append: (streamId, events, options) =>
          Effect.andThen(Effect.yieldNow, inner.append(streamId, events, options)).pipe(
            Effect.tapErrorTag("ConcurrencyConflict", () => Ref.update(conflicts, (n) => n + 1))
          )
      }))
  )

const increment = (by: number) => ({ _tag: "Increment" as const, by })

describe("CommandHandler.handle", () => {
  it.effect("folds the stream, decides, encodes through the schema and appends", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const first = yield* CommandHandler.handle(decider, "a", increment(2), metadata("c1"))
      assert.deepStrictEqual(first, {
        events: [new Incremented({ by: 2 })],
        state: 2,
        nextExpectedVersion: 1,
        alreadyAppended: false
      })
      const second = yield* CommandHandler.handle(decider, "a", increment(3), metadata("c2"))
      assert.strictEqual(second.state, 5)
      assert.strictEqual(second.nextExpectedVersion, 2)
      const recorded = yield* store.readStream("Counter-a")
      assert.deepStrictEqual(recorded.map((e) => [e.type, e.schemaVersion, e.data, e.commandId]), [
        ["Incremented", 1, { _tag: "Incremented", by: 2 }, "c1"],
        ["Incremented", 1, { _tag: "Incremented", by: 3 }, "c2"]
      ])
      assert.strictEqual(recorded[1]!.correlationId, "corr-c2")
    }).pipe(Effect.provide(layerMemory)))

  it.effect("returns the domain error typed and appends nothing", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* CommandHandler.handle(decider, "a", increment(LIMIT), metadata("c1"))
      const error = yield* Effect.flip(CommandHandler.handle(decider, "a", increment(1), metadata("c2")))
      assert.strictEqual(error._tag, "LimitExceeded")
      if (error._tag === "LimitExceeded") assert.strictEqual(error.value, LIMIT + 1)
      assert.strictEqual((yield* store.head).position, 1)
      assert.isTrue(Option.isNone(yield* store.findCommand("c2")))
    }).pipe(Effect.provide(layerMemory)))

  it.effect("appends nothing when decide returns no event", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const outcome = yield* CommandHandler.handle(decider, "a", { _tag: "Reset" }, metadata("c1"))
      assert.deepStrictEqual(outcome, { events: [], state: 0, nextExpectedVersion: 0, alreadyAppended: false })
      assert.strictEqual((yield* store.head).position, 0)
    }).pipe(Effect.provide(layerMemory)))

  it.effect("appends a command id once and returns the first outcome to a repeat", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const first = yield* CommandHandler.handle(decider, "a", increment(2), metadata("c1"))
      yield* CommandHandler.handle(decider, "a", increment(40), metadata("c2"))
      yield* CommandHandler.handle(decider, "a", { _tag: "Reset" }, metadata("c3"))
      const repeat = yield* CommandHandler.handle(decider, "a", increment(2), metadata("c1"))
      assert.deepStrictEqual(repeat, { ...first, alreadyAppended: true })
      const resetAgain = yield* CommandHandler.handle(decider, "a", { _tag: "Reset" }, metadata("c3"))
      assert.deepStrictEqual(resetAgain, {
        events: [new Reset({})],
        state: 0,
        nextExpectedVersion: 3,
        alreadyAppended: true
      })
      assert.strictEqual((yield* store.head).position, 3)
    }).pipe(Effect.provide(layerMemory)))

  it.effect("refuses a command id already used for another aggregate", () =>
    Effect.gen(function*() {
      yield* CommandHandler.handle(decider, "a", increment(1), metadata("c1"))
      const error = yield* Effect.flip(CommandHandler.handle(decider, "b", increment(1), metadata("c1")))
      assert.strictEqual(error._tag, "CommandIdReused")
      // the first command's stream is not named: it may carry a personal id
      expect(error.message).not.toContain("Counter-a")
    }).pipe(Effect.provide(layerMemory)))

  it.effect("fails with a decode error naming the event when the log holds what the schema refuses", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* store.append("Counter-a", [{
        type: "Incremented",
        schemaVersion: 1,
        data: { _tag: "Incremented", by: "two" },
        metadata: metadata("bad")
      }], { expectedVersion: ExpectedVersion.any })
      const error = yield* Effect.flip(CommandHandler.handle(decider, "a", increment(1), metadata("c1")))
      assert.strictEqual(error._tag, "EventDecodeError")
      expect(error.message).toContain("event 1 (Incremented v1 in Counter-a)")
    }).pipe(Effect.provide(layerMemory)))

  it.effect("runs inline projections after a successful append only", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const totals = Projection.make({
        name: "totals",
        eventTypes: ["Incremented"],
        handle: (event) => {
          seen.push(`${event.globalPosition}:${event.type}`)
        }
      })
      const handler = CommandHandler.make(decider, { inline: [totals] })
      yield* handler.handle("a", increment(1), metadata("c1"))
      yield* handler.handle("a", increment(2), metadata("c2"))
      yield* Effect.flip(handler.handle("a", increment(LIMIT), metadata("c3")))
      yield* handler.handle("a", { _tag: "Reset" }, metadata("c4"))
      yield* handler.handle("a", increment(1), metadata("c1"))
      assert.deepStrictEqual(seen, ["1:Incremented", "2:Incremented"])
    }).pipe(Effect.provide(layerMemory)))

  it.live("handles 100 concurrent commands on one stream: none lost, versions gap-free", () =>
    Effect.gen(function*() {
      const conflicts = yield* Ref.make(0)
      yield* Effect.gen(function*() {
        const store = yield* EventStore
        const outcomes = yield* Effect.forEach(
          Array.from({ length: 100 }, (_, i) => i + 1),
          (i) => CommandHandler.handle(decider, "shared", increment(i), metadata(`c${i}`)),
          { concurrency: "unbounded" }
        )
        const recorded = yield* store.readStream("Counter-shared")
        assert.deepStrictEqual(recorded.map((e) => e.streamVersion), Array.from({ length: 100 }, (_, i) => i + 1))
        assert.deepStrictEqual(
          [...new Set(recorded.map((e) => e.commandId))].sort(),
          Array.from({ length: 100 }, (_, i) => `c${i + 1}`).sort()
        )
        assert.deepStrictEqual(outcomes.map((o) => o.nextExpectedVersion).sort((a, b) => a - b), recorded.map((e) => e.streamVersion))
        const final = yield* CommandHandler.handle(decider, "shared", increment(0), metadata("last"))
        assert.strictEqual(final.state, 5050)
        assert.strictEqual((yield* verifyChain(store.readAll()))._tag, "ChainIntact")
      }).pipe(Effect.provide(interleaving(conflicts)))
      // the commands really raced: the handler had to reload and retry
      assert.isAbove(yield* Ref.get(conflicts), 0)
    }))

  it.live("appends once when the same command races itself", () =>
    Effect.gen(function*() {
      const conflicts = yield* Ref.make(0)
      yield* Effect.gen(function*() {
        const store = yield* EventStore
        const outcomes = yield* Effect.forEach(
          Array.from({ length: 20 }, () => 0),
          () => CommandHandler.handle(decider, "a", increment(7), metadata("same")),
          { concurrency: "unbounded" }
        )
        assert.strictEqual((yield* store.head).position, 1)
        assert.strictEqual(outcomes.filter((o) => !o.alreadyAppended).length, 1)
        for (const outcome of outcomes) assert.deepStrictEqual(outcome.events, [new Incremented({ by: 7 })])
      }).pipe(Effect.provide(interleaving(conflicts)))
    }))

  it.live("gives up with the ConcurrencyConflict after maxAttempts", () =>
    Effect.gen(function*() {
      const attempts = yield* Ref.make(0)
      const alwaysBehind = Layer.effect(
        EventStore,
        Effect.map(makeMemory, (inner) =>
          EventStore.of({
            ...inner,
            append: (streamId, events, options) =>
              // someone else always appends first
              Ref.update(attempts, (n) => n + 1).pipe(
                Effect.andThen(inner.append(streamId, [{ ...events[0]!, metadata: metadata(`other-${Math.random()}`) }], {
                  expectedVersion: ExpectedVersion.any
                })),
                Effect.andThen(inner.append(streamId, events, options))
              )
          }))
      )
      const error = yield* Effect.flip(
        CommandHandler.handle(decider, "a", increment(1), metadata("c1"), { maxAttempts: 4, backoffMillis: 1 }).pipe(
          Effect.provide(alwaysBehind)
        )
      )
      assert.strictEqual(error._tag, "ConcurrencyConflict")
      assert.strictEqual(yield* Ref.get(attempts), 4)
    }))

  it.effect("works inside a Stream consumer too (handler is an ordinary Effect)", () =>
    Effect.gen(function*() {
      const outcomes = yield* Stream.fromIterable([1, 2, 3]).pipe(
        Stream.mapEffect((i) => CommandHandler.handle(decider, "a", increment(i), metadata(`c${i}`))),
        Stream.runCollect
      )
      assert.deepStrictEqual(outcomes.map((o) => o.state), [1, 3, 6])
    }).pipe(Effect.provide(layerMemory)))
})
