/**
 * Reading a store goes through `Authorization.storeRead`, and an officer's read is always recorded:
 * a caller-chosen command id cannot turn the read into a replay, acting on a store (a use) does not
 * hand the store back, and a stranger's file is refused before the signature verifier reads it.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import { TestClock } from "effect/testing"
import type { Actor } from "../src/Actor.ts"
import * as CommandHandler from "../src/CommandHandler.ts"
import * as DocumentStoreService from "../src/DocumentStoreService.ts"
import * as Dossier from "../src/Dossier.ts"
import { EventStore, makeMemory } from "../src/EventStore.ts"
import * as FileStore from "../src/FileStore.ts"
import * as SignatureVerifier from "../src/SignatureVerifier.ts"
import { create, officer as dossierOfficer } from "./utils/dossierFixtures.ts"
import { officer as issuingOfficer, owner, ownerId, passed, pdf, storeEntry, stranger } from "./utils/documentFixtures.ts"
import { requestWithId as request } from "./utils/services.ts"

/** An officer of no agency that has a dossier of this owner. */
const outsider: Actor = { _tag: "Officer", officerId: "x-1", agencyCode: "000.00.99.H99", roles: [] }

/** The service over a memory store that yields before every read and append (reads really race). */
const setup = () => {
  let verified = 0
  const events = Layer.effect(
    EventStore,
    Effect.map(makeMemory, (inner) =>
      EventStore.of({
        ...inner,
        readStream: (streamId, options) => Effect.andThen(Effect.yieldNow, inner.readStream(streamId, options)),
        append: (streamId, batch, options) => Effect.andThen(Effect.yieldNow, inner.append(streamId, batch, options))
      }))
  )
  const verifier = SignatureVerifier.layerTest((bytes) => {
    verified++
    return passed(FileStore.sha256(bytes))
  })
  const layer = Layer.effect(DocumentStoreService.DocumentStoreService, DocumentStoreService.make()).pipe(
    Layer.provideMerge(Layer.mergeAll(events, FileStore.layerMemory, verifier))
  )
  return { layer, verified: () => verified }
}

const entry = (documentId: string, name: string, visible: boolean) => storeEntry(documentId, name, visible, "HIV")

/** The owner's two documents (one hidden) and a dossier of `dossierOfficer`'s agency for the owner. */
const seed = Effect.gen(function*() {
  const service = yield* DocumentStoreService.DocumentStoreService
  yield* service.upload(entry("doc-1", "Hồ sơ bệnh án", true), request(owner, "up-1"))
  yield* service.upload(entry("doc-2", "Lý lịch tư pháp", false), request(owner, "up-2"))
  yield* CommandHandler.handle(Dossier.decider, "hs-9", create({ dossierId: "hs-9" }), {
    actor: owner,
    commandId: "create-hs-9",
    correlationId: "create-hs-9",
    causationId: null
  })
  return service
})

const accessesOf = (service: DocumentStoreService.DocumentStoreService["Service"]) =>
  Effect.map(service.load(ownerId, { actor: owner }), (state) => state.accesses)

describe("DocumentStoreService: reads of a store", () => {
  it.effect("records an officer's read even when the caller names an existing command id", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      const service = yield* seed
      // a field the service no longer takes, as an untyped caller could still send it
      const reader = { actor: dossierOfficer, dossierId: "hs-9", commandId: "up-1" }
      const first = yield* service.load(ownerId, reader)
      yield* service.load(ownerId, reader)
      assert.isTrue(first.documents.has("doc-1"))
      assert.strictEqual(yield* accessesOf(service), 2)
      const all = Array.from(yield* Stream.runCollect((yield* EventStore).readAll()))
      const accesses = all.filter((e) => e.type === "StoreAccessed")
      assert.strictEqual(accesses.length, 2)
      for (const access of accesses) {
        assert.deepStrictEqual(access.actor, dossierOfficer)
        assert.notStrictEqual(access.commandId, "up-1")
      }
    }).pipe(Effect.provide(layer))
  })

  it.effect("records two reads by the same officer in the same millisecond as two accesses", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2024-03-20T01:15:00.000Z"))
      const service = yield* seed
      const reads = Effect.all([
        service.load(ownerId, { actor: dossierOfficer, dossierId: "hs-9" }),
        service.load(ownerId, { actor: dossierOfficer, dossierId: "hs-9" })
      ], { concurrency: 2 })
      // the read that loses the race backs off on the clock before it retries its append: tick it
      const ticking = Effect.forever(Effect.andThen(TestClock.adjust("10 millis"), Effect.yieldNow))
      yield* Effect.race(reads, ticking)
      assert.strictEqual(yield* accessesOf(service), 2)
    }).pipe(Effect.provide(layer))
  })
})

describe("DocumentStoreService: acting on a store is not reading it", () => {
  it.effect("an unrelated officer's RecordUse is refused and reveals no document", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      const service = yield* seed
      const events = yield* EventStore
      const refused = yield* Effect.flip(service.load(ownerId, { actor: outsider }))
      assert.strictEqual(refused._tag, "Forbidden")
      const head = (yield* events.head).position
      // no dossier holds the number: a use is the dossier flow's, not the officer's to claim
      const error = yield* Effect.flip(service.execute({
        _tag: "RecordUse",
        ownerId,
        documentId: "doc-1",
        dossierNumber: "000.00.99.H99-240320-0001",
        componentId: "c",
        procedure: "p"
      }, request(outsider, "use-1")))
      assert.strictEqual(error._tag, "DocumentStoreForbidden")
      const shown = JSON.stringify(error) + error.message
      expect(shown).not.toContain("Hồ sơ bệnh án")
      expect(shown).not.toContain("Lý lịch tư pháp")
      assert.strictEqual((yield* events.head).position, head)
      const store = yield* service.load(ownerId, { actor: owner })
      assert.strictEqual(store.documents.get("doc-1")?.uses.length, 0)
      assert.strictEqual(store.documents.size, 2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("an issuing officer sees only the documents their agency put in the store", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      const service = yield* seed
      const issued = yield* service.issue({
        ...entry("kq-1", "Bản sao chứng thực", true),
        type: "ProcedureResult",
        category: "ban-sao-chung-thuc",
        resultType: "KQ.G15.000021",
        issuedAt: "2024-02-02",
        kind: "CertifiedCopy"
      }, request(issuingOfficer, "issue-1"))
      assert.deepStrictEqual([...issued.state.documents.keys()], ["kq-1"])
      const revoked = yield* service.execute(
        { _tag: "RevokeDocument", ownerId, documentId: "kq-1", reason: "cấp nhầm" },
        request(issuingOfficer, "revoke-1")
      )
      assert.deepStrictEqual([...revoked.state.documents.keys()], ["kq-1"])
      assert.strictEqual(revoked.state.documents.get("kq-1")?.status._tag, "Revoked")
    }).pipe(Effect.provide(layer))
  })
})

describe("DocumentStoreService: a stranger's file", () => {
  it.effect("is refused before the signature verifier reads it", () => {
    const { layer, verified } = setup()
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const upload = yield* Effect.flip(service.upload(entry("doc-9", "x", true), request(stranger, "s-1")))
      assert.strictEqual(upload._tag, "DocumentStoreForbidden")
      const replace = yield* Effect.flip(service.replaceFile(
        { ownerId, documentId: "doc-9", bytes: pdf("x"), fileName: "x.pdf", mediaType: "application/pdf" },
        request(issuingOfficer, "s-2")
      ))
      assert.strictEqual(replace._tag, "DocumentStoreForbidden")
      const issue = yield* Effect.flip(service.issue(
        { ...entry("kq-9", "x", true), type: "ProcedureResult", category: "giay-chung-nhan-ket-hon", kind: "Result" },
        request(stranger, "s-3")
      ))
      assert.strictEqual(issue._tag, "DocumentStoreForbidden")
      assert.strictEqual(verified(), 0)
      assert.strictEqual((yield* (yield* EventStore).head).position, 0)
      // the owner's upload still goes through the verifier
      yield* service.upload(entry("doc-9", "x", true), request(owner, "o-1"))
      assert.strictEqual(verified(), 1)
    }).pipe(Effect.provide(layer))
  })
})
