/**
 * The owner's "who used my data" log (Nhật ký khai thác dữ liệu): every look into a store
 * (`StoreAccessed`: who, when, for which procedure, through which channel, how many documents were
 * found) and every use of a document by a numbered dossier (`DocumentUsed`: which document for
 * which dossier component), per owner, oldest first.
 *
 * Only the owner (or an auditor) may read an owner's log (`forOwner`, `read`): the log itself says
 * who looked at whom.
 *
 * ```ts
 * const state = recorded.reduce(AccessLog.apply, AccessLog.initialState) // fold decoded events
 * const mine = AccessLog.forOwner(state, ownerId, actor)                   // Result<entries, Forbidden>
 * ```
 *
 * @since 0.1.0
 */
import { Effect, Result } from "effect"
import { type Actor, label } from "./Actor.ts"
import * as Authorization from "./Authorization.ts"
import { streamId } from "./Decider.ts"
import * as DocumentStore from "./DocumentStore.ts"
import type { RecordedEvent } from "./Event.ts"
import * as EventCodec from "./EventCodec.ts"
import { EventStore } from "./EventStore.ts"
import * as Upcaster from "./Upcaster.ts"

/**
 * One line of the log.
 *
 * @since 0.1.0
 */
export interface Entry {
  /** The event's global position: a stable key and the log's order. */
  readonly position: number
  readonly ownerId: string
  readonly at: string
  /** `Accessed`: somebody looked into the store; `Used`: a dossier used a document. */
  readonly kind: "Accessed" | "Used"
  readonly actor: Actor
  /** `Actor.label` of the actor, e.g. `Officer:cb-001@000.00.16.H08`. */
  readonly who: string
  readonly procedure: string
  /** `Accessed` only (null for a use). */
  readonly channel: "online" | "counter" | null
  /** How many eligible documents the lookup found (`Accessed` only). */
  readonly found: number | null
  readonly dossierNumber: string | null
  /** The document used (`Used` only). */
  readonly documentId: string | null
  /** The dossier component it was used for (`Used` only). */
  readonly componentId: string | null
}

/**
 * The line an event adds to its owner's log, or null for events that are not accesses or uses. The
 * actor of a use is the one recorded on the event (the dossier flow that used it).
 *
 * @since 0.1.0
 */
export const entryOf = (
  event: DocumentStore.Event,
  recorded: Pick<RecordedEvent, "globalPosition" | "actor">
): Entry | null => {
  switch (event._tag) {
    case "StoreAccessed":
      return {
        position: recorded.globalPosition,
        ownerId: event.ownerId,
        at: event.at,
        kind: "Accessed",
        actor: event.accessor,
        who: label(event.accessor),
        procedure: event.procedure,
        channel: event.channel,
        found: event.found,
        dossierNumber: event.dossierNumber,
        documentId: null,
        componentId: null
      }
    case "DocumentUsed":
      return {
        position: recorded.globalPosition,
        ownerId: event.ownerId,
        at: event.at,
        kind: "Used",
        actor: recorded.actor,
        who: label(recorded.actor),
        procedure: event.procedure,
        channel: null,
        found: null,
        dossierNumber: event.dossierNumber,
        documentId: event.documentId,
        componentId: event.componentId
      }
    default:
      return null
  }
}

/**
 * Every owner's log, by owner id.
 *
 * @since 0.1.0
 */
export type State = ReadonlyMap<string, ReadonlyArray<Entry>>

/**
 * The empty log.
 *
 * @since 0.1.0
 */
export const initialState: State = new Map()

/**
 * Folds one decoded store event (with its record) into the log; other events leave it unchanged.
 *
 * @since 0.1.0
 */
export const apply = (
  state: State,
  input: { readonly event: DocumentStore.Event; readonly recorded: Pick<RecordedEvent, "globalPosition" | "actor"> }
): State => {
  const entry = entryOf(input.event, input.recorded)
  if (entry === null) return state
  const next = new Map(state)
  next.set(entry.ownerId, [...(state.get(entry.ownerId) ?? []), entry])
  return next
}

const mayRead = (actor: Actor, ownerId: string): Result.Result<void, Authorization.Forbidden> =>
  Authorization.isOwner(actor, ownerId) || actor._tag === "Auditor"
    ? Result.void
    : Result.fail(
      new Authorization.Forbidden({
        ownerId,
        actor: label(actor),
        message: `only the owner ${ownerId} (or an auditor) may read who used their data`
      })
    )

/**
 * The log of one owner, oldest first, for that owner or an auditor; anyone else gets `Forbidden`.
 *
 * @since 0.1.0
 */
export const forOwner = (
  state: State,
  ownerId: string,
  actor: Actor
): Result.Result<ReadonlyArray<Entry>, Authorization.Forbidden> =>
  Result.map(mayRead(actor, ownerId), () => state.get(ownerId) ?? [])

/**
 * Reads one owner's log from the event store (their store's stream), checking the reader first.
 *
 * @since 0.1.0
 */
export const read = Effect.fn("AccessLog.read")(function*(ownerId: string, actor: Actor) {
  yield* Effect.fromResult(mayRead(actor, ownerId))
  const store = yield* EventStore
  const registry = yield* Effect.service(Upcaster.CurrentRegistry)
  const decode = EventCodec.decoder(DocumentStore.decider.eventSchema, registry)
  let state = initialState
  for (const recorded of yield* store.readStream(streamId(DocumentStore.decider, ownerId))) {
    if (recorded.type !== "StoreAccessed" && recorded.type !== "DocumentUsed") continue
    state = apply(state, { event: yield* Effect.fromResult(decode(recorded)), recorded })
  }
  return yield* Effect.fromResult(forOwner(state, ownerId, actor))
})
