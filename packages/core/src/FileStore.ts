/**
 * The file-store port: where the bytes of stored documents live. Content-addressed — a file is named
 * by its SHA-256, so storing the same bytes twice stores them once, and a reference can never point
 * at different bytes later. Events only carry the {@link FileRef}.
 *
 * Adapters: {@link layerMemory} here (tests, examples), a directory on disk in `@kho/node`.
 *
 * @since 0.1.0
 */
import { hash } from "node:crypto"
import { Context, Effect, Layer, Schema } from "effect"

/**
 * A reference to stored bytes: their SHA-256 (lower-case hex) and length.
 *
 * @since 0.1.0
 */
export const FileRef = Schema.Struct({
  sha256: Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/)),
  size: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
})

/**
 * @since 0.1.0
 */
export type FileRef = typeof FileRef.Type

/**
 * No file with this reference is stored.
 *
 * @since 0.1.0
 */
export class FileNotFound extends Schema.TaggedError<FileNotFound>()("FileNotFound", {
  sha256: Schema.String
}) {
  override get message(): string {
    return `no stored file has SHA-256 ${this.sha256}: it was never stored, or the store was moved or cleaned`
  }
}

/**
 * The store failed (disk full, permissions, a stored file whose bytes no longer match its hash).
 *
 * @since 0.1.0
 */
export class FileStoreError extends Schema.TaggedError<FileStoreError>()("FileStoreError", {
  reason: Schema.Literals(["Io", "Corrupted"]),
  message: Schema.String,
  cause: Schema.optional(Schema.Defect())
}) {}

/**
 * The file store service.
 *
 * @since 0.1.0
 */
export class FileStore extends Context.Service<FileStore, {
  /** Stores bytes (idempotent: the same bytes give the same reference). */
  readonly put: (bytes: Uint8Array) => Effect.Effect<FileRef, FileStoreError>
  /** The bytes of a reference; they are checked against its hash and size. */
  readonly get: (ref: FileRef) => Effect.Effect<Uint8Array, FileNotFound | FileStoreError>
  /** Whether a reference is stored. */
  readonly has: (ref: FileRef) => Effect.Effect<boolean, FileStoreError>
}>()("@kho/core/FileStore") {}

/**
 * SHA-256 of bytes, lower-case hex.
 *
 * @since 0.1.0
 */
export const sha256 = (bytes: Uint8Array): string => hash("sha256", bytes, "hex")

/**
 * The reference bytes would be stored under.
 *
 * @since 0.1.0
 */
export const refOf = (bytes: Uint8Array): FileRef => ({ sha256: sha256(bytes), size: bytes.length })

/**
 * An in-memory file store (one per layer build). Stores copies: later changes to the caller's array
 * do not reach the store.
 *
 * @since 0.1.0
 */
export const makeMemory: Effect.Effect<FileStore["Service"]> = Effect.sync(() => {
  const files = new Map<string, Uint8Array>()
  return FileStore.of({
    put: (bytes) =>
      Effect.sync(() => {
        const ref = refOf(bytes)
        if (!files.has(ref.sha256)) files.set(ref.sha256, Uint8Array.from(bytes))
        return ref
      }),
    get: (ref) =>
      Effect.suspend(() => {
        const bytes = files.get(ref.sha256)
        return bytes === undefined || bytes.length !== ref.size
          ? Effect.fail(new FileNotFound({ sha256: ref.sha256 }))
          : Effect.succeed(Uint8Array.from(bytes))
      }),
    has: (ref) => Effect.sync(() => files.get(ref.sha256)?.length === ref.size)
  })
})

/**
 * The in-memory file store layer.
 *
 * @since 0.1.0
 */
export const layerMemory: Layer.Layer<FileStore> = Layer.effect(FileStore, makeMemory)
