/**
 * A real schema change of a real Kho event, end to end (ADR 0112): `DocumentSuperseded` v1, as Kho
 * wrote it before the officer was recorded, read by the default registry, the real codec, the real
 * decider and the NDJSON import.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Result, Schema, Stream } from "effect"
import * as CommandHandler from "../src/CommandHandler.ts"
import * as Decider from "../src/Decider.ts"
import * as DocumentStore from "../src/DocumentStore.ts"
import type { EventMetadata, NewEvent, RecordedEvent } from "../src/Event.ts"
import * as EventCodec from "../src/EventCodec.ts"
import { EventStore, ExpectedVersion, importStream, layerMemory, makeMemory } from "../src/EventStore.ts"
import * as HashChain from "../src/HashChain.ts"
import * as Ndjson from "../src/Ndjson.ts"
import * as Upcaster from "../src/Upcaster.ts"
import { file, issued, justiceAgency, later, officer, ownerId, passed, sha, target } from "./utils/documentFixtures.ts"

const streamId = Decider.streamId(DocumentStore.decider, ownerId)
const encodeEvent = Schema.encodeSync(DocumentStore.Event)

/** `DocumentSuperseded` data exactly as version 1 was written: no `officerId`. */
const supersededV1 = (documentId: string, replacementId: string) => ({
  _tag: "DocumentSuperseded" as const,
  ownerId,
  documentId,
  at: "2024-03-22T02:00:00.000Z",
  agencyCode: justiceAgency,
  replacementId,
  reason: "sai ngày sinh"
})

const metadata = (commandId: string): EventMetadata => ({
  actor: officer,
  commandId,
  correlationId: `corr-${commandId}`,
  causationId: null
})

const results = [
  issued({ documentId: "kq-1" }),
  issued({ documentId: "kq-2", file: file(sha("c")), signature: passed(sha("c")) }),
  issued({ documentId: "kq-3", file: file(sha("d")), signature: passed(sha("d")) })
]

/** A store's log as an old Kho wrote it: three results issued, then kq-1 superseded by kq-2 at v1. */
const v1Log: ReadonlyArray<NewEvent> = [
  ...results.map((event, i) => ({
    type: event._tag,
    schemaVersion: 1,
    data: encodeEvent(event),
    metadata: metadata(`issue-${i + 1}`)
  })),
  { type: "DocumentSuperseded", schemaVersion: 1, data: supersededV1("kq-1", "kq-2"), metadata: metadata("supersede-1") }
]

/** The same log sealed into NDJSON lines, as `kho log export` of an old store would give. */
const v1Ndjson = (): string => {
  let previousHash = HashChain.GENESIS_HASH
  return v1Log.map((event, i) => {
    const sealed = HashChain.seal({
      streamId,
      streamVersion: i + 1,
      globalPosition: i + 1,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      recordedAt: `2024-03-2${i}T02:00:00.000Z`,
      ...event.metadata,
      previousHash
    })
    previousHash = sealed.hash
    return Ndjson.encodeLine(sealed) + "\n"
  }).join("")
}

const recordedV1 = (data: unknown): RecordedEvent =>
  HashChain.seal({
    streamId,
    streamVersion: 4,
    globalPosition: 4,
    type: "DocumentSuperseded",
    schemaVersion: 1,
    data,
    recordedAt: "2024-03-22T02:00:00.000Z",
    ...metadata("supersede-1"),
    previousHash: HashChain.GENESIS_HASH
  })

const supersede = (documentId: string, replacementId: string) => ({
  _tag: "SupersedeDocument" as const,
  ...target(documentId, officer),
  replacementId,
  reason: "sai thông tin công dân"
})

describe("DocumentSuperseded v1 → v2 (ADR 0112)", () => {
  it.effect("is registered in the registry the codec uses by default; every other store event stays at v1", () =>
    Effect.gen(function*() {
      const registry = yield* Effect.service(Upcaster.CurrentRegistry)
      assert.strictEqual(registry, Upcaster.kho)
      const tags = DocumentStore.Event.members.map((member) => member.fields._tag.schema.literal as string)
      expect(tags).toHaveLength(15)
      for (const tag of tags) {
        assert.strictEqual(Upcaster.currentVersion(registry, tag), tag === "DocumentSuperseded" ? 2 : 1, tag)
      }
    }))

  it.effect("decodes a hand-written v1 event through the decider's schema, officerId null", () =>
    Effect.gen(function*() {
      const decoded = yield* EventCodec.decode(DocumentStore.decider.eventSchema, recordedV1(supersededV1("kq-1", "kq-2")))
      assert.deepStrictEqual(decoded, { ...supersededV1("kq-1", "kq-2"), officerId: null })
    }))

  it.effect("refuses a v1 event missing a v1 field, and a v2 event missing officerId, naming the event", () =>
    Effect.gen(function*() {
      const { replacementId: _, ...broken } = supersededV1("kq-1", "kq-2")
      const v1Error = yield* Effect.flip(EventCodec.decode(DocumentStore.Event, recordedV1(broken)))
      expect(v1Error.message).toContain("event 4 (DocumentSuperseded v1 in DocumentStore-052090000495)")
      expect(v1Error.message).toContain("cannot upcast DocumentSuperseded from version 1 to 2")
      const v2Error = yield* Effect.flip(
        EventCodec.decode(DocumentStore.Event, { ...recordedV1(supersededV1("kq-1", "kq-2")), schemaVersion: 2 })
      )
      expect(v2Error.message).toContain("does not match the schema")
      expect(v2Error.message).toContain("officerId")
    }))

  it.effect("folds a v1 log in the command handler, and writes the next supersede at v2 with the officer", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* store.append(streamId, v1Log, { expectedVersion: ExpectedVersion.noStream })

      // the v1 event folded into the state: repeating it is a no-op, and kq-1 can no longer be used
      const repeat = yield* CommandHandler.handle(DocumentStore.decider, ownerId, supersede("kq-1", "kq-2"), metadata("c-1"))
      assert.deepStrictEqual(repeat.events, [])
      assert.deepStrictEqual(repeat.state.documents.get("kq-1")?.status, {
        _tag: "Superseded",
        at: "2024-03-22T02:00:00.000Z",
        agencyCode: justiceAgency,
        replacementId: "kq-2",
        reason: "sai ngày sinh"
      })
      assert.strictEqual(repeat.state.documents.get("kq-2")?.status._tag, "Active")
      const use = yield* Effect.flip(CommandHandler.handle(DocumentStore.decider, ownerId, {
        _tag: "RecordUse",
        ...target("kq-1", officer),
        dossierNumber: "000.00.16.H08-240325-0001",
        componentId: "tphs-1",
        procedure: "2.000889"
      }, metadata("c-2")))
      assert.strictEqual(use._tag, "IllegalDocumentState")
      expect(use.message).toContain("superseded by kq-2")

      // a new supersede is written at the current version, with the officer
      const next = yield* CommandHandler.handle(DocumentStore.decider, ownerId, supersede("kq-2", "kq-3"), metadata("c-3"))
      assert.deepStrictEqual(next.events, [{
        _tag: "DocumentSuperseded",
        ownerId,
        documentId: "kq-2",
        at: later,
        agencyCode: justiceAgency,
        officerId: "cb-001",
        replacementId: "kq-3",
        reason: "sai thông tin công dân"
      }])
      const log = yield* store.readStream(streamId)
      assert.deepStrictEqual(log.map((e) => `${e.type}@v${e.schemaVersion}`), [
        "DocumentIssued@v1",
        "DocumentIssued@v1",
        "DocumentIssued@v1",
        "DocumentSuperseded@v1",
        "DocumentSuperseded@v2"
      ])
      // the old event is read, never rewritten
      assert.deepStrictEqual(log[3]!.data, supersededV1("kq-1", "kq-2"))
      assert.strictEqual((log[4]!.data as { officerId: unknown }).officerId, "cb-001")
    }).pipe(Effect.provide(layerMemory)))

  it.effect("imports an NDJSON log written at v1 with its hashes intact, and folds it to the same state", () =>
    Effect.gen(function*() {
      const text = v1Ndjson()
      const target = yield* makeMemory
      const head = yield* importStream(Ndjson.decodeBytes(Stream.make(new TextEncoder().encode(text)))).pipe(
        Effect.provideService(EventStore, target)
      )
      assert.strictEqual(head.position, 4)
      const verification = yield* HashChain.verifyChain(target.readAll())
      assert.strictEqual(verification._tag, "ChainIntact")
      const recorded = yield* target.readStream(streamId)
      assert.deepStrictEqual(recorded.map((e) => e.schemaVersion), [1, 1, 1, 1])
      assert.strictEqual(recorded.map((e) => Ndjson.encodeLine(e) + "\n").join(""), text)

      const decode = EventCodec.decoder(DocumentStore.decider.eventSchema, Upcaster.kho)
      const events = recorded.map((e) => Result.getOrThrow(decode(e)))
      assert.deepStrictEqual(events.at(-1), { ...supersededV1("kq-1", "kq-2"), officerId: null })
      const state = Decider.fold(DocumentStore.decider, events)
      assert.deepStrictEqual(
        DocumentStore.documents(state).map((d) => [d.id, d.status._tag]),
        [["kq-1", "Superseded"], ["kq-2", "Active"], ["kq-3", "Active"]]
      )
      // without the registry the same line is unreadable, which is why the default carries it
      const bare = EventCodec.decoder(DocumentStore.decider.eventSchema, Upcaster.empty)(recorded[3]!)
      assert.isTrue(Result.isFailure(bare))
    }))
})
