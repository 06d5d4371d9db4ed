/**
 * The samples of docs/security.md.
 */
import { DocumentStore, DocumentStoreService } from "@kho/core"
import { Effect } from "effect"

// #region forbidden
// The actor comes with every request; the rules of the store decide what it may do.
const owner = { _tag: "Citizen", personalId: "052090000495" } as const
const stranger = { _tag: "Citizen", personalId: "052190000123" } as const

export const strangerReads = Effect.gen(function*() {
  const store = yield* DocumentStoreService.DocumentStoreService
  // fails with DocumentStoreForbidden: "only the owner 052090000495 may read the files of this store"
  return yield* Effect.flip(store.readFile(owner.personalId, "khai-sinh-1", stranger))
})

export const ownerReads = Effect.gen(function*() {
  const store = yield* DocumentStoreService.DocumentStoreService
  return yield* store.readFile(owner.personalId, "khai-sinh-1", owner)
})
// #endregion forbidden

// #region errors
// Every refusal is a typed error with a message a person can act on; map the kind to a response.
export const status = (error: DocumentStore.DocumentStoreError): number => {
  switch (DocumentStore.errorKind(error)) {
    case "validation":
      return 422
    case "not-found":
      return 404
    case "illegal-state":
      return 409
    case "forbidden":
      return 403
  }
}
// #endregion errors
