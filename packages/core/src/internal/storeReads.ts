/**
 * The engine's own reads of a store and of a dossier, and the append of a store access. Unchecked:
 * only services call them, after deciding who may read (`Authorization.storeRead`).
 */
import { Effect } from "effect"
import type { Actor } from "../Actor.ts"
import type { DossierScope } from "../Authorization.ts"
import * as CommandHandler from "../CommandHandler.ts"
import { streamId } from "../Decider.ts"
import * as DocumentStore from "../DocumentStore.ts"
import * as Dossier from "../Dossier.ts"
import * as EventCodec from "../EventCodec.ts"
import { EventStore } from "../EventStore.ts"
import * as Upcaster from "../Upcaster.ts"

/** The current state of a store, folded from its stream. */
export const loadStore = (ownerId: string) =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const registry = yield* Effect.service(Upcaster.CurrentRegistry)
    const decode = EventCodec.decoder(DocumentStore.decider.eventSchema, registry)
    let state = DocumentStore.decider.initialState
    for (const r of yield* events.readStream(streamId(DocumentStore.decider, ownerId))) {
      state = DocumentStore.decider.evolve(state, yield* Effect.fromResult(decode(r)))
    }
    return state
  })

/** The current state of a dossier, folded from its stream. */
export const loadDossier = (dossierId: string) =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const registry = yield* Effect.service(Upcaster.CurrentRegistry)
    const decode = EventCodec.decoder(Dossier.decider.eventSchema, registry)
    let state = Dossier.initialState
    for (const r of yield* events.readStream(streamId(Dossier.decider, dossierId))) {
      state = Dossier.evolve(state, yield* Effect.fromResult(decode(r)))
    }
    return state
  })

/** What `Authorization.storeRead` needs to know of a dossier. */
export const scopeOf = (dossier: Dossier.Dossier): DossierScope => ({
  dossierId: dossier.id,
  ownerId: dossier.ownerId,
  agencyCode: dossier.agencyCode,
  procedure: dossier.procedure.code,
  dossierNumber: dossier.number
})

const storeHandler = CommandHandler.make(DocumentStore.decider)

/** The ids and the actor of the access command. */
export interface AccessRequest {
  readonly actor: Actor
  readonly commandId: string
  readonly correlationId: string
  readonly causationId: string | null
  readonly at: string
}

/** Appends one `StoreAccessed` to the owner's stream: an officer looks at the counter, others online. */
export const recordAccess = (scope: DossierScope, request: AccessRequest, found: number) =>
  storeHandler.handle(
    scope.ownerId,
    {
      _tag: "RecordStoreAccess",
      ownerId: scope.ownerId,
      actor: request.actor,
      at: request.at,
      procedure: scope.procedure,
      channel: request.actor._tag === "Officer" ? "counter" : "online",
      found,
      dossierNumber: scope.dossierNumber
    },
    {
      actor: request.actor,
      commandId: request.commandId,
      correlationId: request.correlationId,
      causationId: request.causationId
    }
  )
