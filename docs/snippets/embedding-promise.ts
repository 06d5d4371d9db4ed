/**
 * The Promise sample of docs/embedding.md §2: `createKho` and a call whose failure the compiler knows
 * by tag. Only typechecked (ADR 0099); `packages/promise/README.md`'s example runs the same calls.
 */
import type { TrustConfig } from "@kho/signature"

// #region promise
import type { Actor } from "@kho/core/Actor"
import type { UploadInput } from "@kho/core/DocumentStoreService"
import { createKho } from "@kho/promise"
import { PdfSignatureVerifier } from "@kho/signature"

const kho = await createKho({
  store: { sqlite: "kho.sqlite" }, // "memory" | { sqlite } | any EventStore layer (e.g. PgEventStore.layer)
  fileStore: { directory: "files" }, // "memory" | { directory } | a FileStore layer
  verifier: (pdf, { validationTime }) => PdfSignatureVerifier.verifyPdf(pdf, trust, { validationTime }),
  clock: () => new Date() // optional; fix it in tests
})

// e.g. behind an HTTP route: every expected failure is a value whose `_tag` the compiler knows
const upload = async (entry: UploadInput, citizen: Actor) => {
  const uploaded = await kho.documents.upload(entry, { actor: citizen, commandId: `upload-${entry.documentId}` })
  if (!uploaded.ok) {
    switch (uploaded.error._tag) { // a tag upload cannot fail with does not compile
      case "SignatureNotAccepted": return reply(422, uploaded.error.message)
      default: return reply(500, uploaded.error.message)
    }
  }
  return reply(201, entry.documentId)
}

await kho.close() // at shutdown; or: await using kho = await createKho(...)
// #endregion promise

// what the page leaves out: the trust anchors and the web framework's reply
declare const trust: TrustConfig.TrustConfig
declare const reply: (status: number, body: string) => Response

export { upload }
