/** The services under test on in-memory stores, and the request metadata their calls take. */
import { expect } from "@effect/vitest"
import { Effect, Layer } from "effect"
import type { Actor } from "../../src/Actor.ts"
import * as ComplaintService from "../../src/ComplaintService.ts"
import * as DocumentStoreService from "../../src/DocumentStoreService.ts"
import * as DossierService from "../../src/DossierService.ts"
import { EventStore, layerMemory as eventStoreMemory } from "../../src/EventStore.ts"
import * as FileStore from "../../src/FileStore.ts"
import * as SignatureVerifier from "../../src/SignatureVerifier.ts"
import { passed } from "./documentFixtures.ts"
import { owner } from "./dossierFixtures.ts"

/** Memory event and file stores with a verifier that passes every file; `events` swaps the event store. */
export const memoryInfrastructure = (events: Layer.Layer<EventStore> = eventStoreMemory) =>
  Layer.mergeAll(events, FileStore.layerMemory, SignatureVerifier.layerTest((bytes) => passed(FileStore.sha256(bytes))))

/** The document store service on {@link memoryInfrastructure}, whose stores the test can read too. */
export const memoryDocuments = () => DocumentStoreService.layer.pipe(Layer.provideMerge(memoryInfrastructure()))

/** Dossier, complaint and document store services on memory stores: a new layer per call (per test, for a clean store). */
export const memoryServices = () =>
  Layer.mergeAll(DossierService.layer, ComplaintService.layer).pipe(Layer.provideMerge(memoryDocuments()))

/** Request metadata with fresh command ids `<prefix>-1`, `<prefix>-2`, …; the actor defaults to the owner. */
export const numberedRequests = (prefix = "cmd") => {
  let n = 0
  return (actor: Actor = owner) => ({ actor, commandId: `${prefix}-${++n}`, correlationId: `corr-${n}` })
}

/** Request metadata whose command id (also the correlation id) the test chooses, e.g. to reuse it. */
export const requestWithId = (actor: Actor, commandId: string) => ({ actor, commandId, correlationId: commandId })

/** Runs `effect`, expects it to fail, and checks that it appended nothing; its error. */
export const refused = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const before = yield* events.head
    const error = yield* Effect.flip(effect)
    expect((yield* events.head).position).toBe(before.position)
    return error
  })
