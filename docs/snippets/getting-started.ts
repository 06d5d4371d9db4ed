/**
 * The sample of docs/getting-started.md: a document store in memory, a PDF signed by the test PKI,
 * an upload through the real signature verifier, and a search of the store.
 */
// #region imports
import { Checkpoint, DocumentSearch, DocumentStoreService, EventStore, FileStore, Projection } from "@kho/core"
import { SignatureVerifier } from "@kho/core/SignatureVerifier"
import { PdfSignatureVerifier, TrustConfig } from "@kho/signature"
import { SignedPdf, TestPki } from "@kho/testing"
import { Effect, Layer } from "effect"
// #endregion imports

// #region trust
// A VGCA-shaped test PKI, generated in memory. In production the anchors are the VGCA roots,
// pinned by fingerprint (docs/signature.md).
const pki = TestPki.vgca()
const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })

// The test signers were valid in 2024: verify as of the seed's reporting day, not today.
const verifier = Layer.succeed(
  SignatureVerifier,
  SignatureVerifier.of({
    verify: (pdf) => PdfSignatureVerifier.verify(pdf, trust, { validationTime: TestPki.VALIDATION_TIME })
  })
)
// #endregion trust

// #region layers
export const services = Layer.effect(DocumentStoreService.DocumentStoreService, DocumentStoreService.make()).pipe(
  Layer.provideMerge(Layer.mergeAll(EventStore.layerMemory, Checkpoint.layerMemory, FileStore.layerMemory, verifier))
)
// #endregion layers

/** What {@link services} provides. */
export type Services = Layer.Success<typeof services>

// #region upload
const citizen = { _tag: "Citizen", personalId: "052090000495" } as const

export const uploadAndSearch = Effect.gen(function*() {
  const store = yield* DocumentStoreService.DocumentStoreService
  const uploaded = yield* store.upload(
    {
      ownerId: citizen.personalId,
      documentId: "khai-sinh-1",
      type: "PersonalDocument",
      category: "giay-khai-sinh",
      name: "Giấy khai sinh",
      bytes: SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer }),
      fileName: "giay-khai-sinh.pdf",
      mediaType: "application/pdf"
    },
    // who asks, and the ids that make the request idempotent (commandId) and traceable
    { actor: citizen, commandId: "upload-khai-sinh-1", correlationId: "session-1" }
  )
  // #endregion upload

  // #region search
  const search = yield* DocumentSearch.makeProjection()
  yield* Projection.catchUp(search.projection)
  const page = yield* search.search({ ownerId: citizen.personalId, text: "khai sinh" }, citizen)
  // #endregion search
  return { events: uploaded.events, found: page.items.map((d) => d.name) }
})

// #region run
export const main = () =>
  Effect.runPromise(uploadAndSearch.pipe(Effect.provide(services))).then(({ events, found }) =>
    console.log(events.map((e) => e._tag), found) // [ 'DocumentUploaded' ] [ 'Giấy khai sinh' ]
  )
// #endregion run
