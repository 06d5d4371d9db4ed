/**
 * The owner's "who used my data" log (Nhật ký khai thác dữ liệu), read from the owner's store
 * stream: every lookup into the store (`StoreAccessed`: who, when, for which procedure, through
 * which channel, how many documents were found) and every use of a document by a submitted
 * dossier (`DocumentUsed`). Nothing else writes these events, so nothing can use the data unseen.
 */
import type { Actor } from "@kho/core/Actor"
import { label } from "@kho/core/Actor"
import { streamId } from "@kho/core/Decider"
import * as DocumentStore from "@kho/core/DocumentStore"
import * as EventCodec from "@kho/core/EventCodec"
import { EventStore } from "@kho/core/EventStore"
import * as Upcaster from "@kho/core/Upcaster"
import { Effect } from "effect"

/** One line of the log. */
export interface Entry {
  readonly position: number
  readonly at: string
  /** `Accessed`: somebody looked into the store; `Used`: a dossier used a document. */
  readonly kind: "Accessed" | "Used"
  readonly actor: Actor
  readonly who: string
  readonly procedure: string
  readonly channel: "online" | "counter" | null
  /** How many eligible documents the lookup found (`Accessed` only). */
  readonly found: number | null
  readonly dossierNumber: string | null
  /** The document used (`Used` only). */
  readonly documentId: string | null
}

/** Reads the log of one owner's store, oldest first. */
export const read = Effect.fn("AccessLog.read")(function*(ownerId: string) {
  const store = yield* EventStore
  const registry = yield* Effect.service(Upcaster.CurrentRegistry)
  const decode = EventCodec.decoder(DocumentStore.decider.eventSchema, registry)
  const entries: Array<Entry> = []
  for (const recorded of yield* store.readStream(streamId(DocumentStore.decider, ownerId))) {
    const event = yield* Effect.fromResult(decode(recorded))
    if (event._tag === "StoreAccessed") {
      entries.push({
        position: recorded.globalPosition,
        at: event.at,
        kind: "Accessed",
        actor: event.accessor,
        who: label(event.accessor),
        procedure: event.procedure,
        channel: event.channel,
        found: event.found,
        dossierNumber: event.dossierNumber,
        documentId: null
      })
    } else if (event._tag === "DocumentUsed") {
      entries.push({
        position: recorded.globalPosition,
        at: event.at,
        kind: "Used",
        actor: recorded.actor,
        who: label(recorded.actor),
        procedure: event.procedure,
        channel: null,
        found: null,
        dossierNumber: event.dossierNumber,
        documentId: event.documentId
      })
    }
  }
  return entries
})
