/**
 * The outbox against random dossiers, random provider failures and a crash at a random send: every
 * notification a submitted dossier must cause is delivered exactly once, and a dossier that was not
 * submitted causes none.
 */
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer } from "effect"
import * as fc from "fast-check"
import * as Notification from "../src/Notification.ts"
import * as NotificationOutbox from "../src/NotificationOutbox.ts"
import { directoryOf, drive, expectedKinds, fastRetry, numberOf, ownerOf, type Stage, stages, stores } from "./utils/notificationFixtures.ts"

interface Scenario {
  readonly dossiers: ReadonlyArray<Stage>
  /** How many times the provider fails each message before accepting it. */
  readonly failFirst: (id: string) => number
  /** The send (counted over all messages) during which the relay dies; null: no crash. */
  readonly crashAt: number | null
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  dossiers: fc.array(fc.constantFrom(...stages), { minLength: 1, maxLength: 5 }),
  failFirst: fc.func(fc.integer({ min: 0, max: 2 })),
  crashAt: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null })
})

const retry = { ...fastRetry, maxAttempts: 4 }

const play = (s: Scenario) =>
  Effect.gen(function*() {
    const crashed = yield* Deferred.make<void>()
    let sends = 0
    const script: Notification.Script = (message, attempt) =>
      Effect.suspend(() => {
        sends++
        if (sends === s.crashAt) return Effect.andThen(Deferred.succeed(crashed, undefined), Effect.never)
        return attempt <= s.failFirst(message.id) ? Effect.fail(Notification.unavailable(message)) : Effect.void
      })
    const layer = Layer.mergeAll(stores, Notification.layerTest(script), directoryOf(s.dossiers.length))
    return yield* Effect.gen(function*() {
      for (const [i, stage] of s.dossiers.entries()) {
        yield* drive(`hs-${i}`, stage, { ownerId: ownerOf(i), number: numberOf(i + 1) })
      }
      const first = yield* Effect.forkChild(NotificationOutbox.drain({ retry }))
      yield* Effect.raceFirst(Effect.asVoid(Fiber.await(first)), Deferred.await(crashed))
      yield* Fiber.interrupt(first)
      yield* NotificationOutbox.drain({ retry })
      const delivered = yield* (yield* Notification.Deliveries).delivered
      const entries = yield* (yield* NotificationOutbox.OutboxStore).list()
      return { delivered: delivered.map((d) => d.message), entries }
    }).pipe(Effect.provide(layer))
  })

describe("NotificationOutbox properties", () => {
  it("a crash anywhere loses nothing and sends nothing twice; drafts notify nobody", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { delivered, entries } = await Effect.runPromise(play(s))
        const ids = delivered.map((m) => m.id)
        assert.strictEqual(new Set(ids).size, ids.length, "no id is delivered twice")
        assert.deepStrictEqual(entries.filter((e) => e.status !== "Sent"), [])
        assert.strictEqual(entries.length, ids.length)
        for (const [i, stage] of s.dossiers.entries()) {
          for (const channel of Notification.Channel.literals) {
            const kinds = delivered
              .filter((m) => m.dossierNumber === numberOf(i + 1) && m.channel === channel)
              .map((m) => m.kind)
              .sort()
            assert.deepStrictEqual(kinds, [...expectedKinds(stage)].sort(), `${stage} on ${channel}`)
          }
        }
      }),
      { numRuns: 200 }
    )
  })
})
