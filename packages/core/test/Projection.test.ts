import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Queue, Schema } from "effect"
import { CheckpointStore, layerMemory as checkpointsMemory } from "../src/Checkpoint.ts"
import type { RecordedEvent } from "../src/Event.ts"
import { EventStore, ExpectedVersion, layerMemory } from "../src/EventStore.ts"
import * as Projection from "../src/Projection.ts"
import { CounterEvent, metadata } from "./utils/Counter.ts"

const layer = Layer.mergeAll(layerMemory, checkpointsMemory)

const appendIncrements = (from: number, to: number) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    for (let i = from; i <= to; i++) {
      const type = i % 4 === 0 ? "Reset" : "Incremented"
      yield* store.append(`Counter-${i % 3}`, [{
        type,
        schemaVersion: 1,
        data: type === "Reset" ? { _tag: "Reset" } : { _tag: "Incremented", by: i },
        metadata: metadata(`c${i}`)
      }], { expectedVersion: ExpectedVersion.any })
    }
  })

/** A projection recording the positions of the Incremented events it handled. */
const recording = (name = "increments") => {
  const seen: Array<number> = []
  const projection = Projection.make({
    name,
    eventTypes: ["Incremented"],
    handle: (event: RecordedEvent) => {
      seen.push(event.globalPosition)
    },
    reset: () => {
      seen.length = 0
    }
  })
  return { seen, projection }
}

const incrementsBetween = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i).filter((i) => i % 4 !== 0)

describe("Projection", () => {
  it.effect("catches up from zero, handles only its event types, and checkpoints the last position", () =>
    Effect.gen(function*() {
      yield* appendIncrements(1, 12)
      const { projection, seen } = recording()
      const last = yield* Projection.catchUp(projection, { batchSize: 5 })
      assert.strictEqual(last, 12)
      assert.deepStrictEqual(seen, incrementsBetween(1, 12))
      assert.strictEqual(yield* (yield* CheckpointStore).load("increments"), 12)
    }).pipe(Effect.provide(layer)))

  it.effect("resumes from its checkpoint without repeating", () =>
    Effect.gen(function*() {
      yield* appendIncrements(1, 6)
      const { projection, seen } = recording()
      yield* Projection.catchUp(projection)
      yield* appendIncrements(7, 15)
      const last = yield* Projection.catchUp(projection, { batchSize: 4 })
      assert.strictEqual(last, 15)
      assert.deepStrictEqual(seen, incrementsBetween(1, 15))
      // nothing new: nothing handled, checkpoint unchanged
      assert.strictEqual(yield* Projection.catchUp(projection), 15)
      assert.deepStrictEqual(seen, incrementsBetween(1, 15))
    }).pipe(Effect.provide(layer)))

  it.effect("stops at `until` to build a read model as of a log position", () =>
    Effect.gen(function*() {
      yield* appendIncrements(1, 12)
      const { projection, seen } = recording()
      assert.strictEqual(yield* Projection.catchUp(projection, { until: 7 }), 7)
      assert.deepStrictEqual(seen, incrementsBetween(1, 7))
    }).pipe(Effect.provide(layer)))

  it.effect("runs for ever: catches up, follows new appends, and resumes after interruption without repeating", () =>
    Effect.gen(function*() {
      yield* appendIncrements(1, 5)
      const handled = yield* Queue.unbounded<number>()
      const seen: Array<number> = []
      const projection = Projection.make({
        name: "follower",
        eventTypes: ["Incremented"],
        handle: (event) => {
          seen.push(event.globalPosition)
          return Queue.offer(handled, event.globalPosition)
        }
      })
      const awaitPosition = (position: number) =>
        Effect.gen(function*() {
          while ((yield* Queue.take(handled)) < position) {
            // keep draining until the projection reached `position`
          }
        })
      const first = yield* Effect.forkChild(Projection.run(projection, { batchSize: 2 }))
      yield* awaitPosition(5)
      yield* appendIncrements(6, 10)
      yield* awaitPosition(10)
      yield* Fiber.interrupt(first)
      assert.strictEqual(yield* (yield* CheckpointStore).load("follower"), 10)

      yield* appendIncrements(11, 14)
      const second = yield* Effect.forkChild(Projection.run(projection))
      yield* awaitPosition(14)
      yield* Fiber.interrupt(second)
      assert.deepStrictEqual(seen, incrementsBetween(1, 14))
    }).pipe(Effect.provide(layer)))

  it.effect("rebuilds from zero: resets the read model and the checkpoint", () =>
    Effect.gen(function*() {
      yield* appendIncrements(1, 8)
      const { projection, seen } = recording()
      yield* Projection.catchUp(projection)
      seen.push(-1) // a read model gone wrong
      const last = yield* Projection.rebuild(projection)
      assert.strictEqual(last, 8)
      assert.deepStrictEqual(seen, incrementsBetween(1, 8))
    }).pipe(Effect.provide(layer)))

  it.effect("a failing handler leaves the checkpoint at the last batch fully handled", () =>
    Effect.gen(function*() {
      yield* appendIncrements(1, 10)
      class Boom extends Schema.TaggedError<Boom>()("Boom", { position: Schema.Number }) {}
      let failAt = 6
      const seen: Array<number> = []
      const projection = Projection.make({
        name: "fragile",
        handle: (event) =>
          event.globalPosition === failAt
            ? Effect.fail(new Boom({ position: event.globalPosition }))
            : Effect.sync(() => {
              seen.push(event.globalPosition)
            })
      })
      const error = yield* Effect.flip(Projection.catchUp(projection, { batchSize: 1 }))
      assert.strictEqual(error._tag, "Boom")
      assert.strictEqual(yield* (yield* CheckpointStore).load("fragile"), 5)
      failAt = -1
      yield* Projection.catchUp(projection)
      assert.deepStrictEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    }).pipe(Effect.provide(layer)))

  it.effect("decoded projections see domain events", () =>
    Effect.gen(function*() {
      yield* appendIncrements(1, 8)
      let total = 0
      const sum = Projection.makeDecoded({
        name: "sum",
        schema: CounterEvent,
        eventTypes: ["Incremented", "Reset"],
        handle: (event) => {
          total = event._tag === "Incremented" ? total + event.by : 0
        }
      })
      yield* Projection.catchUp(sum)
      // 5 + 6 + 7 after the reset at 4, then reset at 8
      assert.strictEqual(total, 0)
      yield* appendIncrements(9, 10)
      yield* Projection.catchUp(sum)
      assert.strictEqual(total, 19)
    }).pipe(Effect.provide(layer)))
})
