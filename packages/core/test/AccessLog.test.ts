import { describe, expect, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as AccessLog from "../src/AccessLog.ts"
import type { Actor } from "../src/Actor.ts"
import * as CommandHandler from "../src/CommandHandler.ts"
import * as DocumentStore from "../src/DocumentStore.ts"
import { layerMemory as eventStoreMemory } from "../src/EventStore.ts"
import { at, auditor, issue, justiceAgency, officer, owner, ownerId, stranger, system } from "./utils/documentFixtures.ts"

const accessed = (accessor: Actor, found: number): DocumentStore.Event => ({
  _tag: "StoreAccessed",
  ownerId,
  at,
  accessor,
  procedure: "1.000894",
  channel: accessor._tag === "Officer" ? "counter" : "online",
  found,
  dossierNumber: null
})

const used: DocumentStore.Event = {
  _tag: "DocumentUsed",
  ownerId,
  documentId: "kq-1",
  at,
  dossierNumber: "000.20.33.H08-240320-0001",
  componentId: "giay-to-tuy-than",
  procedure: "1.000894"
}

const fold = (events: ReadonlyArray<[DocumentStore.Event, Actor]>) =>
  events.reduce(
    (state, [event, actor], i) => AccessLog.apply(state, { event, recorded: { globalPosition: i + 1, actor } }),
    AccessLog.initialState
  )

describe("AccessLog", () => {
  it("folds accesses and uses into the owner's log, oldest first, and ignores other events", () => {
    const removed: DocumentStore.Event = { _tag: "DocumentRemoved", ownerId, documentId: "x", at }
    const state = fold([[accessed(owner, 2), owner], [removed, owner], [accessed(officer, 1), officer], [used, system]])
    const log = Result.getOrThrow(AccessLog.forOwner(state, ownerId, owner))
    expect(log.map((e) => [e.position, e.kind, e.who, e.channel, e.found])).toEqual([
      [1, "Accessed", `Citizen:${ownerId}`, "online", 2],
      [3, "Accessed", `Officer:cb-001@${justiceAgency}`, "counter", 1],
      [4, "Used", "System:matching", null, null]
    ])
    expect(log[2]).toMatchObject({ documentId: "kq-1", componentId: "giay-to-tuy-than", dossierNumber: used.dossierNumber })
    expect(Result.getOrThrow(AccessLog.forOwner(state, "079201012345", auditor))).toEqual([])
  })

  it("is readable by the owner and an auditor only", () => {
    const state = fold([[accessed(officer, 1), officer]])
    expect(Result.isSuccess(AccessLog.forOwner(state, ownerId, auditor))).toBe(true)
    for (const actor of [stranger, officer, system]) {
      const read = AccessLog.forOwner(state, ownerId, actor)
      expect(Result.isFailure(read) && read.failure._tag).toBe("Forbidden")
    }
  })

  it.effect("reads an owner's log from the event store", () =>
    Effect.gen(function*() {
      const handler = CommandHandler.make(DocumentStore.decider)
      const meta = (actor: Actor, commandId: string) => ({ actor, commandId, correlationId: commandId, causationId: null })
      yield* handler.handle(ownerId, issue(), meta(officer, "issue"))
      yield* handler.handle(ownerId, {
        _tag: "RecordStoreAccess",
        ownerId,
        actor: officer,
        at,
        procedure: "1.000894",
        channel: "counter",
        found: 1,
        dossierNumber: null
      }, meta(officer, "access"))
      const log = yield* AccessLog.read(ownerId, owner)
      expect(log.map((e) => [e.kind, e.actor])).toEqual([["Accessed", officer]])
      expect((yield* Effect.flip(AccessLog.read(ownerId, stranger)))._tag).toBe("Forbidden")
    }).pipe(Effect.provide(eventStoreMemory)))
})
