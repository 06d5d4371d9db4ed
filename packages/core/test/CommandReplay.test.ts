/**
 * A command id already appended answers only a retry of the same command by the same actor: anyone
 * else reusing it (the engine's ids are predictable) gets `CommandIdReused`, which carries no state,
 * no stream id and no personal id, and appends nothing.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Result, Stream } from "effect"
import type { Actor } from "../src/Actor.ts"
import * as CommandHandler from "../src/CommandHandler.ts"
import * as DocumentStoreService from "../src/DocumentStoreService.ts"
import { EventStore, layerMemory, makeMemory } from "../src/EventStore.ts"
import { decider, metadata } from "./utils/Counter.ts"
import { owner, ownerId, storeEntry as entry, stranger, system } from "./utils/documentFixtures.ts"
import { memoryDocuments, requestWithId as request } from "./utils/services.ts"

const increment = (by: number) => ({ _tag: "Increment" as const, by })
const as = (actor: Actor, commandId: string) => ({ ...metadata(commandId), actor })

/** Everything an error carries, as a caller would serialise it. */
const exposed = (error: unknown): string =>
  JSON.stringify(error) + String((error as { readonly message?: unknown }).message)

const expectReused = (error: { readonly _tag: string }, commandId: string) => {
  assert.strictEqual(error._tag, "CommandIdReused")
  expect(exposed(error)).toContain(commandId)
  expect(exposed(error)).not.toContain(ownerId)
  expect(exposed(error)).not.toContain("Counter-")
  expect(exposed(error)).not.toContain("DocumentStore-")
}

/** A memory store that yields before every read and append, so that two commands really race. */
const interleaving = Layer.effect(
  EventStore,
  Effect.map(makeMemory, (inner) =>
    EventStore.of({
      ...inner,
      readStream: (streamId, options) => Effect.andThen(Effect.yieldNow, inner.readStream(streamId, options)),
      append: (streamId, events, options) => Effect.andThen(Effect.yieldNow, inner.append(streamId, events, options))
    }))
)

describe("CommandHandler: a reused command id", () => {
  it.effect("answers a stranger with CommandIdReused, revealing nothing and appending nothing", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      // the aggregate is named by a personal id, as a document store is
      yield* CommandHandler.handle(decider, ownerId, increment(41), as(owner, "Owner:predictable"))
      const error = yield* Effect.flip(
        CommandHandler.handle(decider, ownerId, increment(1), as(stranger, "Owner:predictable"))
      )
      expectReused(error, "Owner:predictable")
      expect(exposed(error)).not.toContain("41")
      assert.strictEqual((yield* store.head).position, 1)
    }).pipe(Effect.provide(layerMemory)))

  it.effect("on another stream names neither stream", () =>
    Effect.gen(function*() {
      yield* CommandHandler.handle(decider, ownerId, increment(1), as(owner, "c1"))
      const error = yield* Effect.flip(CommandHandler.handle(decider, "b", increment(1), as(owner, "c1")))
      expectReused(error, "c1")
      expect(exposed(error)).not.toContain("Counter-b")
    }).pipe(Effect.provide(layerMemory)))

  it.effect("by the same actor for another kind of command is refused too", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* CommandHandler.handle(decider, ownerId, increment(5), as(owner, "c1"))
      const error = yield* Effect.flip(CommandHandler.handle(decider, ownerId, { _tag: "Reset" }, as(owner, "c1")))
      expectReused(error, "c1")
      assert.strictEqual((yield* store.head).position, 1)
    }).pipe(Effect.provide(layerMemory)))

  it.effect("still replays the same command retried by the same actor", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      const first = yield* CommandHandler.handle(decider, ownerId, increment(5), as(owner, "c1"))
      yield* CommandHandler.handle(decider, ownerId, increment(2), as(owner, "c2"))
      const retried = yield* CommandHandler.handle(decider, ownerId, increment(5), as(owner, "c1"))
      assert.isTrue(retried.alreadyAppended)
      assert.deepStrictEqual(retried.events, first.events)
      assert.strictEqual(retried.state, 5)
      assert.strictEqual(retried.nextExpectedVersion, 1)
      // the retry may carry a new correlation id: the actor and the command are what must match
      const relabelled = yield* CommandHandler.handle(decider, ownerId, increment(5), {
        ...as(owner, "c1"),
        correlationId: "another"
      })
      assert.isTrue(relabelled.alreadyAppended)
      assert.strictEqual((yield* store.head).position, 2)
    }).pipe(Effect.provide(layerMemory)))

  it.effect("lost in a race to another actor's command is refused, not replayed", () =>
    Effect.gen(function*() {
      const results = yield* Effect.all([
        Effect.result(CommandHandler.handle(decider, ownerId, increment(7), as(owner, "race"))),
        Effect.result(CommandHandler.handle(decider, ownerId, increment(7), as(stranger, "race")))
      ], { concurrency: 2 })
      const failures = results.filter(Result.isFailure)
      assert.strictEqual(failures.length, 1)
      expectReused(failures[0]!.failure, "race")
      const all = yield* Stream.runCollect((yield* EventStore).readAll())
      assert.strictEqual(Array.from(all).length, 1)
    }).pipe(Effect.provide(interleaving)))
})

const serviceLayer = memoryDocuments()

describe("DocumentStoreService: the engine's predictable command ids", () => {
  it.effect("give a stranger neither the store nor its hidden documents", () =>
    Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const events = yield* EventStore
      yield* service.upload(entry("doc-1", "Giấy khai sinh", true), request(owner, "up-1"))
      yield* service.upload(entry("doc-2", "Hồ sơ bệnh án", false), request(owner, "up-2"))
      // the ids DossierService and ComplaintService derive from a dossier number and a complaint id
      const use = "DossierUse:000.20.33.H08-240320-0001:giay-khai-sinh:doc-1"
      yield* service.execute(
        {
          _tag: "RecordUse",
          ownerId,
          documentId: "doc-1",
          dossierNumber: "000.20.33.H08-240320-0001",
          componentId: "giay-khai-sinh",
          procedure: "1.000894"
        },
        request(system, use)
      )
      // a use and a flag are the dossier and complaint flows' own steps: recorded here as the engine
      yield* service.execute(
        { _tag: "FlagDocument", ownerId, documentId: "doc-1", complaintId: "pa-1" },
        request(system, "Complaint-pa-1/flag")
      )
      const head = (yield* events.head).position
      for (const commandId of [use, "Complaint-pa-1/flag", "up-2"]) {
        for (const command of [
          { _tag: "HideDocument" as const, ownerId, documentId: "doc-1" },
          { _tag: "ShowDocument" as const, ownerId, documentId: "whatever" }
        ]) {
          // decided afresh as the stranger: refused like any stranger's command, the first one unseen
          const error = yield* Effect.flip(service.execute(command, request(stranger, commandId)))
          expect(["DocumentStoreForbidden", "DocumentNotFound"]).toContain(error._tag)
          expect(exposed(error)).not.toContain("DocumentStore-")
          expect(exposed(error)).not.toContain("Hồ sơ bệnh án")
          expect(exposed(error)).not.toContain("bệnh án mật")
        }
      }
      assert.strictEqual((yield* events.head).position, head)
      // the engine's own retry of its flag still replays
      const retried = yield* service.execute(
        { _tag: "FlagDocument", ownerId, documentId: "doc-1", complaintId: "pa-1" },
        request(system, "Complaint-pa-1/flag")
      )
      assert.isTrue(retried.alreadyAppended)
      const store = yield* service.load(ownerId, { actor: owner })
      assert.deepStrictEqual(store.documents.get("doc-1")?.openComplaints, ["pa-1"])
      // the owner reusing it for another command that would append is told to pick a fresh id
      const reused = yield* Effect.flip(service.execute(
        { _tag: "HideDocument", ownerId, documentId: "doc-1" },
        request(owner, "Complaint-pa-1/flag")
      ))
      expectReused(reused, "Complaint-pa-1/flag")
      assert.strictEqual((yield* events.head).position, head)
    }).pipe(Effect.provide(serviceLayer)))

  it.effect("retried by another actor when the use is already recorded, appends nothing and replays nothing", () =>
    Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const events = yield* EventStore
      yield* service.upload(entry("doc-1", "Giấy khai sinh", true), request(owner, "up-1"))
      const use = {
        _tag: "RecordUse" as const,
        ownerId,
        documentId: "doc-1",
        dossierNumber: "000.20.33.H08-240320-0001",
        componentId: "giay-khai-sinh",
        procedure: "1.000894"
      }
      const id = "DossierUse:000.20.33.H08-240320-0001:giay-khai-sinh:doc-1"
      yield* service.execute(use, request(system, id))
      // another part of the engine retries the dossier flow's id
      const colleague: Actor = { _tag: "System", component: "retry" }
      const again = yield* service.execute(use, request(colleague, id))
      assert.isFalse(again.alreadyAppended)
      assert.deepStrictEqual(again.events, [])
      assert.strictEqual((yield* events.head).position, 2)
    }).pipe(Effect.provide(serviceLayer)))
})
