/**
 * The Effect sample of docs/embedding.md §1: the ports, the services on them, and a program using
 * one service. Only typechecked (ADR 0099): it opens a SQLite file and needs the real VGCA anchors.
 */
// #region effect
import { ComplaintService, DocumentStoreService, DossierService } from "@kho/core"
import { NodeFileStore } from "@kho/node"
import { PdfSignatureVerifier, TrustConfig } from "@kho/signature"
import { SqliteEventStore } from "@kho/store-sqlite"
import { Effect, Layer } from "effect"

const Ports = Layer.mergeAll(
  SqliteEventStore.layer({ filename: "kho.sqlite" }), // or EventStore.layerMemory, PgEventStore.layer(...)
  NodeFileStore.layer("files"), // or FileStore.layerMemory
  PdfSignatureVerifier.layer(TrustConfig.make({ anchors: [vgcaRootPem] }))
)
const Documents = DocumentStoreService.layer.pipe(Layer.provideMerge(Ports))
const Live = Layer.mergeAll(DossierService.layer, ComplaintService.layer).pipe(Layer.provideMerge(Documents))

const program = Effect.gen(function*() {
  const dossiers = yield* DossierService.DossierService
  yield* dossiers.createDraft(input, { actor, commandId, correlationId })
  return yield* dossiers.matchComponents(input.dossierId, { actor, commandId: `${commandId}:match`, correlationId })
})
const prepared = await Effect.runPromise(Effect.provide(program, Live))
// #endregion effect

// what the page leaves out: the anchors and the request
declare const vgcaRootPem: string
declare const input: DossierService.DraftInput
declare const actor: DossierService.Request["actor"]
declare const commandId: string
declare const correlationId: string

export { prepared }
