import { assert, describe, expect, it } from "@effect/vitest"
import * as DeciderSpecification from "@kho/testing/DeciderSpecification"
import { Effect, Option } from "effect"
import * as DossierNumber from "../src/DossierNumber.ts"
import * as DossierNumbering from "../src/DossierNumbering.ts"
import { EventStore, layerMemory } from "../src/EventStore.ts"
import { agencyCode, interleavedEventStore, owner } from "./utils/dossierFixtures.ts"

const spec = DeciderSpecification.for(DossierNumbering.decider)
const day = "2024-03-20"
const metadata = { actor: owner, commandId: "ignored", correlationId: "c-1", causationId: null }
const allocation = (dossierId: string, sequence: number): DossierNumbering.Event => ({
  _tag: "DossierNumberAllocated",
  agencyCode,
  day,
  sequence,
  number: `${agencyCode}-240320-${String(sequence).padStart(4, "0")}`,
  dossierId
})
const allocate = (dossierId: string, agency = agencyCode, on = day) =>
  DossierNumbering.allocate({ agencyCode: agency, day: on, dossierId }, metadata)

describe("DossierNumbering", () => {
  describe("decider", () => {
    it("takes the next sequence, and nothing for a dossier that already has one", () => {
      spec.given([]).when({ _tag: "AllocateNumber", agencyCode, day, dossierId: "a" }).then([allocation("a", 1)])
      spec.given([allocation("a", 1), allocation("b", 2)]).when({ _tag: "AllocateNumber", agencyCode, day, dossierId: "c" })
        .then([allocation("c", 3)])
      spec.given([allocation("a", 1)]).when({ _tag: "AllocateNumber", agencyCode, day, dossierId: "a" })
        .thenNothingHappened()
    })

    it("stops at 9999", () => {
      const full = { sequence: 9999, byDossier: new Map() }
      const result = DossierNumbering.decide({ _tag: "AllocateNumber", agencyCode, day, dossierId: "z" }, full)
      assert.isTrue(result._tag === "Failure" && result.failure._tag === "NumbersExhausted")
    })
  })

  it("names one stream per agency and day", () => {
    expect(DossierNumbering.streamIdOf(agencyCode, day)).toBe("DossierNumbering-000.20.33.H08-240320")
  })

  const conflicts = { count: 0 }
  it.effect("numbers 50 concurrent dossiers of one agency-day 0001..0050: no gap, no duplicate", () =>
    Effect.gen(function*() {
      const ids = Array.from({ length: 50 }, (_, i) => `hs-${i}`)
      const numbers = yield* Effect.forEach(ids, (id) => allocate(id), { concurrency: "unbounded" })
      const sequences = numbers.map((n) => DossierNumber.decode(n).sequence).sort((a, b) => a - b)
      expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
      expect(new Set(numbers).size).toBe(50)
      // the stream's version is the sequence, and every number resolves to the dossier holding it
      const store = yield* EventStore
      const stream = yield* store.readStream(DossierNumbering.streamIdOf(agencyCode, day))
      expect(stream.map((e) => e.streamVersion)).toEqual(sequences)
      for (const [i, id] of ids.entries()) {
        expect(yield* DossierNumbering.resolve(numbers[i]!)).toEqual(Option.some(id))
      }
      // the allocations did race: losers reloaded and took the next number
      expect(conflicts.count).toBeGreaterThan(0)
    }).pipe(Effect.provide(interleavedEventStore(conflicts))))

  it.effect("gives a retried dossier the number it already has, and keeps agencies and days apart", () =>
    Effect.gen(function*() {
      const first = yield* allocate("hs-a")
      yield* allocate("hs-b")
      expect(yield* allocate("hs-a")).toBe(first)
      expect(yield* allocate("hs-c", "000.00.16.H08")).toBe("000.00.16.H08-240320-0001")
      expect(yield* allocate("hs-d", agencyCode, "2024-03-21")).toBe("000.20.33.H08-240321-0001")
      expect(yield* allocate("hs-e")).toBe("000.20.33.H08-240320-0003")
      const unknown = DossierNumber.DossierNumber.make("000.20.33.H08-240320-0009")
      expect(yield* DossierNumbering.resolve(unknown)).toEqual(Option.none())
    }).pipe(Effect.provide(layerMemory)))

  it.effect("refuses an agency code or a day that cannot make a number", () =>
    Effect.gen(function*() {
      const badAgency = yield* Effect.flip(allocate("hs-x", "UBND An Hòa"))
      expect(badAgency._tag).toBe("InvalidNumbering")
      const badDay = yield* Effect.flip(allocate("hs-x", agencyCode, "2024-02-30"))
      expect(badDay._tag).toBe("InvalidNumbering")
      const store = yield* EventStore
      expect((yield* store.head).position).toBe(0)
    }).pipe(Effect.provide(layerMemory)))
})
