/**
 * The sample of docs/guides/embedding-team.md: the services wired on the embedded SQLite store, the
 * filesystem file store and the real signature verifier.
 */
import { readFileSync } from "node:fs"
import { ComplaintService, DocumentStoreService, DossierService } from "@kho/core"
import { NodeFileStore } from "@kho/node"
import { PdfSignatureVerifier, TrustConfig } from "@kho/signature"
import { SqliteEventStore } from "@kho/store-sqlite"
import { Layer } from "effect"

// #region layers
export const kho = (paths: { readonly database: string; readonly files: string; readonly anchors: string }) => {
  // the VGCA roots, pinned by the SHA-256 of each certificate (docs/signature.md)
  const trust = TrustConfig.fromPemBundle(readFileSync(paths.anchors, "utf8"))
  const ports = Layer.mergeAll(
    SqliteEventStore.layer({ filename: paths.database }), // EventStore + CheckpointStore, one file
    NodeFileStore.layer(paths.files), // content-addressed by SHA-256
    PdfSignatureVerifier.layer(trust)
  )
  return Layer.mergeAll(DossierService.layer, ComplaintService.layer).pipe(
    Layer.provideMerge(DocumentStoreService.layer),
    Layer.provideMerge(ports)
  )
}
// Effect.provide(program, kho({ database: "kho.sqlite", files: "files", anchors: "vgca.pem" }))
// #endregion layers
