/**
 * The document store's upload through the real verifier: the port wired to `@kho/signature`, with
 * PDFs signed by the VGCA-shaped test PKI. A rejection carries the report's reason and stores nothing.
 */
import { assert, describe, it } from "@effect/vitest"
import * as DocumentStoreService from "@kho/core/DocumentStoreService"
import { EventStore, layerMemory as eventStoreMemory } from "@kho/core/EventStore"
import * as FileStore from "@kho/core/FileStore"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import * as PdfSignatureVerifier from "../src/PdfSignatureVerifier.ts"
import * as TrustConfig from "../src/TrustConfig.ts"

const pki = TestPki.vgca()
const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
const ownerId = "052090000495"
const owner = { _tag: "Citizen" as const, personalId: ownerId }

const layer = Layer.effect(DocumentStoreService.DocumentStoreService, DocumentStoreService.make()).pipe(
  Layer.provideMerge(Layer.mergeAll(eventStoreMemory, FileStore.layerMemory, PdfSignatureVerifier.layer(trust)))
)

let n = 0
const upload = (bytes: Uint8Array) =>
  Effect.gen(function*() {
    // the verifier takes "now" from the Clock: put it at the PKI's validation time
    yield* TestClock.setTime(TestPki.VALIDATION_TIME.getTime())
    const service = yield* DocumentStoreService.DocumentStoreService
    return yield* service.upload(
      {
        ownerId,
        documentId: `doc-${++n}`,
        bytes,
        fileName: "ban-sao.pdf",
        mediaType: "application/pdf",
        type: "CertifiedCopy",
        category: "ban-sao-chung-thuc",
        name: "Bản sao được chứng thực từ bản chính"
      },
      { actor: owner, commandId: `upload-${n}`, correlationId: "integration" }
    )
  })

describe("DocumentStoreService with PdfSignatureVerifier", () => {
  it.effect("accepts a PDF signed under the pinned VGCA root and keeps the passed report", () =>
    Effect.gen(function*() {
      const bytes = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer })
      const outcome = yield* upload(bytes)
      const document = outcome.state.documents.get(`doc-${n}`)
      assert.isDefined(document)
      assert.strictEqual(document!.signature.indication, "TOTAL_PASSED")
      assert.strictEqual(document!.file.sha256, FileStore.sha256(bytes))
    }).pipe(Effect.provide(layer)))

  it.effect("rejects a PDF signed by a look-alike hierarchy with the report's reason, storing nothing", () =>
    Effect.gen(function*() {
      const bytes = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.untrusted.signer })
      const report = PdfSignatureVerifier.verifyPdf(bytes, trust, { validationTime: TestPki.VALIDATION_TIME })
      const error = yield* Effect.flip(upload(bytes))
      assert.strictEqual(error._tag, "SignatureNotAccepted")
      if (error._tag !== "SignatureNotAccepted") return
      assert.strictEqual(error.indication, "INDETERMINATE")
      assert.strictEqual(error.subIndication, "NO_CERTIFICATE_CHAIN_FOUND")
      assert.strictEqual(error.reason, report.reason)
      assert.strictEqual(error.ownerId, ownerId)
      const files = yield* FileStore.FileStore
      assert.isFalse(yield* files.has(FileStore.refOf(bytes)))
      assert.strictEqual((yield* (yield* EventStore).head).position, 0)
    }).pipe(Effect.provide(layer)))

  it.effect("rejects a PDF changed after signing (HASH_FAILURE) and appends nothing", () =>
    Effect.gen(function*() {
      const bytes = SignedPdf.tamper(SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer }))
      const report = PdfSignatureVerifier.verifyPdf(bytes, trust, { validationTime: TestPki.VALIDATION_TIME })
      const error = yield* Effect.flip(upload(bytes))
      assert.strictEqual(error._tag, "SignatureNotAccepted")
      if (error._tag !== "SignatureNotAccepted") return
      assert.strictEqual(error.indication, "TOTAL_FAILED")
      assert.strictEqual(error.subIndication, "HASH_FAILURE")
      assert.strictEqual(error.reason, report.reason)
      assert.strictEqual((yield* (yield* EventStore).head).position, 0)
    }).pipe(Effect.provide(layer)))
})
