import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import * as DocumentStore from "../src/DocumentStore.ts"
import * as DocumentStoreService from "../src/DocumentStoreService.ts"
import { EventStore, layerMemory as eventStoreMemory } from "../src/EventStore.ts"
import * as FileStore from "../src/FileStore.ts"
import type { SignatureReport } from "../src/SignatureReport.ts"
import * as SignatureVerifier from "../src/SignatureVerifier.ts"
import { auditor, failed, officer, owner, ownerId, passed, stranger, system } from "./utils/documentFixtures.ts"

const pdf = (text: string): Uint8Array => new TextEncoder().encode(`%PDF-1.7\n${text}\n%%EOF\n`)
const contains = (bytes: Uint8Array, text: string) => new TextDecoder().decode(bytes).includes(text)

/** Passes every PDF, except those saying UNSIGNED (a failed report) or GARBLED (unreadable). */
const verdict = (bytes: Uint8Array): SignatureReport | SignatureVerifier.UnreadablePdf =>
  contains(bytes, "GARBLED")
    ? new SignatureVerifier.UnreadablePdf({ reason: "Malformed", message: "the cross-reference table is broken" })
    : contains(bytes, "UNSIGNED")
    ? failed(FileStore.sha256(bytes))
    : passed(FileStore.sha256(bytes))

const setup = (options?: DocumentStoreService.Options) => {
  let verified = 0
  const verifier = SignatureVerifier.layerTest((bytes) => {
    verified++
    return verdict(bytes)
  })
  const layer = Layer.effect(DocumentStoreService.DocumentStoreService, DocumentStoreService.make(options)).pipe(
    Layer.provideMerge(Layer.mergeAll(eventStoreMemory, FileStore.layerMemory, verifier))
  )
  return { layer, verified: () => verified }
}

let n = 0
const request = (actor = owner) => ({ actor, commandId: `cmd-${++n}`, correlationId: "corr-1" })

const upload = (bytes: Uint8Array, overrides: Partial<DocumentStoreService.UploadInput> = {}) => ({
  ownerId,
  documentId: "doc-1",
  bytes,
  fileName: "giay-khai-sinh.pdf",
  mediaType: "application/pdf",
  type: "PersonalDocument" as const,
  category: "giay-khai-sinh",
  name: "Giấy khai sinh",
  ...overrides
})

const nothingStored = (bytes: Uint8Array) =>
  Effect.gen(function*() {
    const files = yield* FileStore.FileStore
    const events = yield* EventStore
    expect(yield* files.has(FileStore.refOf(bytes))).toBe(false)
    expect((yield* events.head).position).toBe(0)
  })

describe("DocumentStoreService", () => {
  it.effect("uploads: verifies, stores the bytes, appends the event, and serves the file back", () => {
    const { layer, verified } = setup()
    const bytes = pdf("Giấy khai sinh")
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const outcome = yield* service.upload(upload(bytes, { shared: true }), request())
      expect(outcome.events.map((e) => e._tag)).toEqual(["DocumentUploaded"])
      expect(outcome.alreadyAppended).toBe(false)
      const document = outcome.state.documents.get("doc-1")!
      expect(document).toMatchObject({
        visible: true,
        shared: true,
        file: { sha256: FileStore.sha256(bytes), size: bytes.length, mediaType: "application/pdf" },
        provenance: { _tag: "Uploaded" },
        validity: { _tag: "NoExpiry", validFrom: null }
      })
      expect(verified()).toBe(1)
      const stream = yield* (yield* EventStore).readStream("DocumentStore-052090000495")
      expect(stream.map((e) => e.type)).toEqual(["DocumentUploaded"])
      expect(stream[0]?.actor).toEqual(owner)
      expect(Array.from(yield* service.readFile(ownerId, "doc-1", owner))).toEqual(Array.from(bytes))
      expect((yield* service.load(ownerId, { actor: owner })).documents.get("doc-1")).toEqual(document)
    }).pipe(Effect.provide(layer))
  })

  it.effect("appends once for a repeated command id", () => {
    const { layer } = setup()
    const bytes = pdf("once")
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const same = request()
      yield* service.upload(upload(bytes), same)
      const again = yield* service.upload(upload(bytes), same)
      expect(again.alreadyAppended).toBe(true)
      expect((yield* (yield* EventStore).head).position).toBe(1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("refuses a file the verifier rejects with the report's reason, storing and appending nothing", () => {
    const { layer } = setup()
    const bytes = pdf("UNSIGNED")
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const error = yield* Effect.flip(service.upload(upload(bytes), request()))
      expect(error._tag).toBe("SignatureNotAccepted")
      if (error._tag !== "SignatureNotAccepted") return
      expect(error.reason).toBe("the signer certificate does not chain to a trusted VGCA root")
      expect(error.message).toContain(error.reason)
      yield* nothingStored(bytes)
    }).pipe(Effect.provide(layer))
  })

  it.effect("refuses bytes that are not a PDF before verifying them", () => {
    const { layer, verified } = setup()
    const bytes = new TextEncoder().encode("GIF89a not a pdf")
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const error = yield* Effect.flip(service.upload(upload(bytes), request()))
      expect(error._tag === "InvalidDocument" && error.reason).toBe("NotPdf")
      expect(verified()).toBe(0)
      yield* nothingStored(bytes)
    }).pipe(Effect.provide(layer))
  })

  it.effect("refuses a PDF declared with another media type, and an empty file", () => {
    const { layer } = setup()
    const bytes = pdf("declared as an image")
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const wrongType = yield* Effect.flip(service.upload(upload(bytes, { mediaType: "image/png" }), request()))
      expect(wrongType._tag === "InvalidDocument" && wrongType.reason).toBe("UnsupportedMediaType")
      const empty = yield* Effect.flip(service.upload(upload(new Uint8Array()), request()))
      expect(empty._tag === "InvalidDocument" && empty.reason).toBe("EmptyFile")
      yield* nothingStored(bytes)
    }).pipe(Effect.provide(layer))
  })

  it.effect("refuses an oversized file before verifying it", () => {
    const { layer, verified } = setup({ rules: { ...DocumentStore.defaultRules, maxFileBytes: 64 } })
    const bytes = pdf("x".repeat(100))
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const error = yield* Effect.flip(service.upload(upload(bytes), request()))
      expect(error._tag === "InvalidDocument" && error.reason).toBe("FileTooLarge")
      expect(verified()).toBe(0)
      yield* nothingStored(bytes)
    }).pipe(Effect.provide(layer))
  })

  it.effect("passes an unreadable PDF's error through, storing nothing", () => {
    const { layer } = setup()
    const bytes = pdf("GARBLED")
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const error = yield* Effect.flip(service.upload(upload(bytes), request()))
      expect(error._tag).toBe("UnreadablePdf")
      yield* nothingStored(bytes)
    }).pipe(Effect.provide(layer))
  })

  it.effect("refuses an upload into someone else's store, storing nothing", () => {
    const { layer } = setup()
    const bytes = pdf("not mine")
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const error = yield* Effect.flip(service.upload(upload(bytes), request(stranger)))
      expect(error._tag).toBe("DocumentStoreForbidden")
      expect(error.message).toContain(`only the owner ${ownerId} may upload`)
      yield* nothingStored(bytes)
    }).pipe(Effect.provide(layer))
  })

  it.effect("replaces a file, keeping the old bytes and the old reference in history", () => {
    const { layer } = setup()
    const first = pdf("first version")
    const second = pdf("second version")
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      yield* service.upload(upload(first), request())
      const outcome = yield* service.replaceFile(
        { ownerId, documentId: "doc-1", bytes: second, fileName: "v2.pdf", mediaType: "application/pdf" },
        request()
      )
      const document = outcome.state.documents.get("doc-1")!
      expect(document.previousFiles.map((f) => f.sha256)).toEqual([FileStore.sha256(first)])
      expect(Array.from(yield* service.readFile(ownerId, "doc-1", owner))).toEqual(Array.from(second))
      expect(yield* (yield* FileStore.FileStore).has(FileStore.refOf(first))).toBe(true)
    }).pipe(Effect.provide(layer))
  })

  it.effect("refuses an unsigned replacement, storing nothing", () => {
    const { layer } = setup()
    const bad = pdf("UNSIGNED replacement")
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      yield* service.upload(upload(pdf("good")), request())
      const error = yield* Effect.flip(
        service.replaceFile({ ownerId, documentId: "doc-1", bytes: bad, fileName: "v2.pdf", mediaType: "application/pdf" }, request())
      )
      expect(error._tag).toBe("SignatureNotAccepted")
      expect(yield* (yield* FileStore.FileStore).has(FileStore.refOf(bad))).toBe(false)
      expect((yield* (yield* EventStore).head).position).toBe(1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("issues a result, counts one use per dossier component, and lets the agency revoke it", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const issued = yield* service.issue(
        {
          ...upload(pdf("kết quả"), { documentId: "kq-1", type: "ProcedureResult", category: "ban-sao-chung-thuc" }),
          resultType: "KQ.G15.000021",
          issuedAt: "2024-02-02",
          kind: "CertifiedCopy"
        },
        request(officer)
      )
      expect(issued.state.documents.get("kq-1")?.code).toBe("052090000495.KQ.G15.000021.02022024")
      const use = {
        _tag: "RecordUse" as const,
        ownerId,
        documentId: "kq-1",
        dossierNumber: "000.20.33.H08-240320-0001",
        componentId: "tphs-1",
        procedure: "1.001612"
      }
      // a use is the dossier flow's (DossierService), recorded here as the engine
      yield* service.execute(use, request(system))
      const retried = yield* service.execute(use, request(system))
      expect(retried.events).toEqual([])
      const revoked = yield* service.execute(
        { _tag: "RevokeDocument", ownerId, documentId: "kq-1", reason: "cấp nhầm" },
        request(officer)
      )
      const document = revoked.state.documents.get("kq-1")!
      expect(document.uses).toHaveLength(1)
      expect(document.status._tag).toBe("Revoked")
      const all = yield* Stream.runCollect((yield* EventStore).readAll())
      expect(Array.from(all).map((e) => e.type)).toEqual(["DocumentIssued", "DocumentUsed", "DocumentRevoked"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("records a digitised document and a store access", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const outcome = yield* service.recordDigitised(
        { ...upload(pdf("bản giấy"), { documentId: "so-hoa-1" }), issuer: { _tag: "Named", name: "UBND xã An Hòa" } },
        request(officer)
      )
      expect(outcome.state.documents.get("so-hoa-1")?.provenance._tag).toBe("DigitisedAtCounter")
      const access = { _tag: "RecordStoreAccess", ownerId, procedure: "1.001612", channel: "online", found: 1, dossierNumber: null } as const
      // an officer's access is recorded by the read itself (a dossier of their agency), never claimed
      expect((yield* Effect.flip(service.execute(access, request(officer))))._tag).toBe("DocumentStoreForbidden")
      expect((yield* Effect.flip(service.execute(access, request(stranger))))._tag).toBe("DocumentStoreForbidden")
      const accessed = yield* service.execute(access, request(owner))
      expect(accessed.events[0]).toMatchObject({ _tag: "StoreAccessed", accessor: owner, channel: "online" })
    }).pipe(Effect.provide(layer))
  })

  it.effect("reads a store for its owner and an auditor; a stranger, the engine or an officer without a dossier are refused", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      yield* service.upload(upload(pdf("mine")), request())
      expect((yield* service.load(ownerId, { actor: owner })).documents.has("doc-1")).toBe(true)
      expect((yield* service.load(ownerId, { actor: auditor })).documents.has("doc-1")).toBe(true)
      for (const reader of [{ actor: stranger }, { actor: officer }, { actor: officer, dossierId: "hs-none" }, {
        actor: { _tag: "System", component: "x" } as const
      }]) {
        const error = yield* Effect.flip(service.load(ownerId, reader))
        expect(error._tag).toBe("Forbidden")
      }
      // reads by the owner and the auditor record nothing; refused reads record nothing
      const stream = yield* (yield* EventStore).readStream(`DocumentStore-${ownerId}`)
      expect(stream.map((e) => e.type)).toEqual(["DocumentUploaded"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("applies the file rules (size, media type, magic) before verifying", () => {
    const { layer, verified } = setup({ rules: { ...DocumentStore.defaultRules, maxFileBytes: 64 } })
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      const reasons: Array<string> = []
      for (const input of [
        upload(pdf("x".repeat(100))),
        upload(pdf("x"), { mediaType: "image/png" }),
        upload(new TextEncoder().encode("GIF89a")),
        upload(new Uint8Array())
      ]) {
        const error = yield* Effect.flip(service.upload(input, request()))
        reasons.push(error._tag === "InvalidDocument" ? error.reason : error._tag)
      }
      expect(reasons).toEqual(["FileTooLarge", "UnsupportedMediaType", "NotPdf", "EmptyFile"])
      expect(verified()).toBe(0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("serves files to the owner only, and not for unknown or removed documents", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      yield* service.upload(upload(pdf("mine")), request())
      expect((yield* Effect.flip(service.readFile(ownerId, "doc-1", stranger)))._tag).toBe("DocumentStoreForbidden")
      expect((yield* Effect.flip(service.readFile(ownerId, "nope", owner)))._tag).toBe("DocumentNotFound")
      yield* service.execute({ _tag: "RemoveDocument", ownerId, documentId: "doc-1" }, request())
      expect((yield* Effect.flip(service.readFile(ownerId, "doc-1", owner)))._tag).toBe("DocumentNotFound")
    }).pipe(Effect.provide(layer))
  })

  it.effect("returns the decider's typed error for a refused plain command, appending nothing", () => {
    const { layer } = setup()
    return Effect.gen(function*() {
      const service = yield* DocumentStoreService.DocumentStoreService
      yield* service.upload(upload(pdf("mine")), request())
      const error = yield* Effect.flip(service.execute({ _tag: "HideDocument", ownerId, documentId: "doc-1" }, request(stranger)))
      expect(error._tag).toBe("DocumentStoreForbidden")
      expect((yield* (yield* EventStore).head).position).toBe(1)
    }).pipe(Effect.provide(layer))
  })
})
