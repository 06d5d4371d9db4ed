/**
 * The engine's own reads of a store and of a dossier, and the append of a store access. Unchecked:
 * only services call them, after deciding who may read (`Authorization.storeRead`).
 */
import { Effect } from "effect"
import type { Actor } from "../Actor.ts"
import type { DossierScope } from "../Authorization.ts"
import * as CommandHandler from "../CommandHandler.ts"
import { streamId } from "../Decider.ts"
import type { Decider } from "../Decider.ts"
import * as DocumentStore from "../DocumentStore.ts"
import * as Dossier from "../Dossier.ts"
import * as EventCodec from "../EventCodec.ts"
import { EventStore } from "../EventStore.ts"
import * as Upcaster from "../Upcaster.ts"

/** The current state of `decider`'s aggregate `id`, folded from its stream (upcast and decoded). */
export const loadState = <State, Event extends { readonly _tag: string }>(
  decider: Pick<Decider<State, never, Event, never>, "name" | "initialState" | "evolve" | "eventSchema">,
  id: string
) =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const registry = yield* Effect.service(Upcaster.CurrentRegistry)
    const decode = EventCodec.decoder(decider.eventSchema, registry)
    let state = decider.initialState
    for (const r of yield* events.readStream(streamId(decider, id))) {
      state = decider.evolve(state, yield* Effect.fromResult(decode(r)))
    }
    return state
  })

/** The current state of a store, folded from its stream. */
export const loadStore = (ownerId: string) => loadState(DocumentStore.decider, ownerId)

/** The current state of a dossier, folded from its stream. */
export const loadDossier = (dossierId: string) => loadState(Dossier.decider, dossierId)

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
