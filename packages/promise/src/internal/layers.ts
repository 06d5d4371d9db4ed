/** Builds the layer of the Promise facade from its options (store, file store, verifier). */
import type { Actor } from "@kho/core/Actor"
import type * as Authorization from "@kho/core/Authorization"
import * as ComplaintService from "@kho/core/ComplaintService"
import * as DocumentSearch from "@kho/core/DocumentSearch"
import * as DocumentStoreService from "@kho/core/DocumentStoreService"
import * as DossierService from "@kho/core/DossierService"
import type { EventDecodeError } from "@kho/core/EventCodec"
import * as EventStore from "@kho/core/EventStore"
import * as FileStore from "@kho/core/FileStore"
import * as Projection from "@kho/core/Projection"
import type { SignatureReport } from "@kho/core/SignatureReport"
import { SignatureVerifier, UnreadablePdf } from "@kho/core/SignatureVerifier"
import { NodeFileStore } from "@kho/node"
import { SqliteEventStore } from "@kho/store-sqlite"
import { Clock, Context, Effect, Layer, Semaphore, Stream } from "effect"

/** A verifier as a plain function: return a report, or throw `UnreadablePdf` (anything else thrown is `Malformed`). */
export type VerifyFunction = (
  pdf: Uint8Array,
  options: { readonly validationTime: Date }
) => SignatureReport | Promise<SignatureReport>

/** The event log: `"memory"`, `{ sqlite: path }` (one file, created if missing), or an `EventStore` layer. */
export type StoreOption =
  | "memory"
  | { readonly sqlite: string; readonly synchronous?: "FULL" | "NORMAL" }
  | Layer.Layer<EventStore.EventStore, unknown>

/** Where file bytes go: `"memory"`, `{ directory: path }` (content-addressed), or a `FileStore` layer. */
export type FileStoreOption = "memory" | { readonly directory: string } | Layer.Layer<FileStore.FileStore, unknown>

/** Signature verification: a {@link VerifyFunction} or a `SignatureVerifier` layer. */
export type VerifierOption = VerifyFunction | Layer.Layer<SignatureVerifier, unknown>

const describe = (cause: unknown): string => cause instanceof Error ? cause.message : String(cause)

const verifierOf = (verify: VerifyFunction): Layer.Layer<SignatureVerifier> =>
  Layer.succeed(
    SignatureVerifier,
    SignatureVerifier.of({
      verify: (pdf, options) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.tryPromise({
            try: async () => verify(pdf, { validationTime: options?.validationTime ?? new Date(now) }),
            catch: (cause) =>
              cause instanceof UnreadablePdf
                ? cause
                : new UnreadablePdf({ reason: "Malformed", message: `the verifier could not examine the file: ${describe(cause)}` })
          }))
    })
  )

const storeOf = (store: StoreOption): Layer.Layer<EventStore.EventStore, unknown> => {
  if (store === "memory") return EventStore.layerMemory
  if (!("sqlite" in store)) return store
  return SqliteEventStore.layer({
    filename: store.sqlite,
    ...(store.synchronous === undefined ? {} : { synchronous: store.synchronous })
  })
}

const fileStoreOf = (files: FileStoreOption): Layer.Layer<FileStore.FileStore, unknown> => {
  if (files === "memory") return FileStore.layerMemory
  if (!("directory" in files)) return files
  return NodeFileStore.layer(files.directory)
}

/** The search read model, in this process's memory: caught up from the log before each query. */
export class SearchModel extends Context.Service<SearchModel, {
  readonly search: (
    query: DocumentSearch.Query,
    actor: Actor
  ) => Effect.Effect<DocumentSearch.Page, Authorization.Forbidden | EventStore.EventStoreError | EventDecodeError>
}>()("@kho/promise/internal/SearchModel") {}

const searchModel = Layer.effect(
  SearchModel,
  Effect.gen(function*() {
    const events = yield* EventStore.EventStore
    const model = yield* DocumentSearch.makeProjection("kho-promise-search")
    const lock = yield* Semaphore.make(1)
    let position = 0
    const catchUp = Effect.suspend(() =>
      Stream.runForEachArray(events.readAll({ after: position }), (batch) =>
        Effect.andThen(
          Projection.apply([model.projection], batch),
          Effect.sync(() => {
            position = batch[batch.length - 1]?.globalPosition ?? position
          })
        ))
    )
    return SearchModel.of({
      search: (query, actor) => Semaphore.withPermit(lock, Effect.andThen(catchUp, model.search(query, actor)))
    })
  })
)

/** The services Effect code can use on the facade's runtime: the ports from the options and core's services over them. */
export type Services =
  | EventStore.EventStore
  | FileStore.FileStore
  | SignatureVerifier
  | DocumentStoreService.DocumentStoreService
  | DossierService.DossierService
  | ComplaintService.ComplaintService

/** Everything the facade runs against: {@link Services} and its search model. */
export type AllServices = Services | SearchModel

/** The whole application: the ports from the options and core's services on top of them. */
export const make = (options: {
  readonly store: StoreOption
  readonly fileStore: FileStoreOption
  readonly verifier: VerifierOption
}): Layer.Layer<AllServices, unknown> => {
  const verifier: Layer.Layer<SignatureVerifier, unknown> = Layer.isLayer(options.verifier)
    ? options.verifier as Layer.Layer<SignatureVerifier, unknown>
    : verifierOf(options.verifier as VerifyFunction)
  const ports = Layer.mergeAll(storeOf(options.store), fileStoreOf(options.fileStore), verifier)
  const documents = DocumentStoreService.layer.pipe(Layer.provideMerge(ports))
  return Layer.mergeAll(DossierService.layer, ComplaintService.layer, searchModel).pipe(Layer.provideMerge(documents))
}
