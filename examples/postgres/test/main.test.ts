/**
 * The PostgreSQL example: the journey prints what it prints on any store, and the two workers
 * project every event exactly once, handing over at the checkpoint. Starts its own throwaway
 * cluster unless `KHO_PG_URL` is set (PostgreSQL binaries are required: it fails, never skips).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Journey from "@kho-examples/citizen-journey/Journey"
import * as EventStore from "@kho/core/EventStore"
import * as FileStore from "@kho/core/FileStore"
import { Effect, Layer } from "effect"
import { run } from "../src/PostgresJourney.ts"

const silent = { print: () => Effect.void }

describe("postgres example", () => {
  it.live("runs the citizen journey with two workers: each event projected exactly once", () =>
    Effect.gen(function*() {
      const summary = yield* run(silent)
      const { journey } = summary
      assert.strictEqual(journey.chain._tag, "ChainIntact")

      // the same journey, line for line, as on the in-memory store
      const reference = yield* Journey.run(silent).pipe(Effect.provide(Layer.merge(EventStore.layerMemory, FileStore.layerMemory)))
      assert.deepStrictEqual(journey.lines, reference.lines)

      // worker-1 up to the hand-over, worker-2 from there to the head; nothing twice, nothing lost
      assert.isAbove(summary.handedOverAt, 0)
      assert.deepStrictEqual(summary.projected.map((p) => [p.worker, p.first, p.last]), [
        ["worker-1", 1, summary.handedOverAt],
        ["worker-2", summary.handedOverAt + 1, journey.head.position]
      ])
      assert.strictEqual(summary.duplicates, 0)
      assert.strictEqual(summary.missing, 0)

      // the read model's "who used my data" log is the owner's stream's
      assert.deepStrictEqual(
        summary.readModel.map((r) => [r.position, r.kind, r.procedure]),
        journey.accessLog.map((e) => [e.position, e.kind, e.procedure])
      )
      assert.isTrue(summary.readModel.some((r) => r.kind === "Accessed" && r.who.startsWith("Officer:")))
      assert.isTrue(summary.lines.some((line) => line.includes("0 projected twice, 0 never projected")))
    }))
})
