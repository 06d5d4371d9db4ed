/**
 * The filesystem `FileStore`: files under a directory, named by SHA-256 (`ab/abcdef…`), so the same
 * bytes are stored once and a name can never hold other bytes.
 *
 * Writes are atomic: bytes go to a temporary file in `<root>/tmp`, are flushed to disk, then renamed
 * into place — a reader never sees a half-written file, and a crash leaves at worst a stray temporary
 * file. Reads check the bytes against the hash, so a file corrupted on disk fails with
 * `FileStoreError` (reason `Corrupted`) instead of being served.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { FileNotFound, FileStore, FileStoreError, refOf } from "@kho/core/FileStore"
import type { FileRef } from "@kho/core/FileStore"
import { Effect, Layer } from "effect"

const io = (message: string) => (cause: unknown) => new FileStoreError({ reason: "Io", message, cause })

const isNotFound = (cause: unknown): boolean =>
  typeof cause === "object" && cause !== null && "code" in cause && cause.code === "ENOENT"

/**
 * Where the file of `sha256` lives under `root`.
 *
 * @since 0.1.0
 */
export const pathOf = (root: string, sha256: string): string => path.join(root, sha256.slice(0, 2), sha256)

const validSha = /^[0-9a-f]{64}$/

/**
 * Builds a file store over `root` (created if missing).
 *
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function*(root: string) {
  const tmp = path.join(root, "tmp")
  yield* Effect.tryPromise({
    try: () => fs.mkdir(tmp, { recursive: true }),
    catch: io(`cannot create the file store directory ${root}`)
  })

  const put = (bytes: Uint8Array): Effect.Effect<FileRef, FileStoreError> =>
    Effect.gen(function*() {
      const ref = refOf(bytes)
      const target = pathOf(root, ref.sha256)
      const exists = yield* has(ref)
      if (exists) return ref
      const temporary = path.join(tmp, `${ref.sha256}.${randomUUID()}.tmp`)
      const failed = io(`cannot store ${ref.size} bytes as ${target}`)
      const write = Effect.acquireUseRelease(
        Effect.tryPromise({
          try: async () => {
            await fs.mkdir(path.dirname(target), { recursive: true })
            return fs.open(temporary, "wx")
          },
          catch: failed
        }),
        (handle) =>
          Effect.tryPromise({
            try: async () => {
              await handle.writeFile(bytes)
              await handle.sync()
            },
            catch: failed
          }),
        (handle) => Effect.promise(() => handle.close().catch(() => undefined))
      )
      yield* write.pipe(
        Effect.andThen(Effect.tryPromise({ try: () => fs.rename(temporary, target), catch: failed })),
        Effect.tapError(() => Effect.promise(() => fs.rm(temporary, { force: true }).catch(() => undefined)))
      )
      return ref
    })

  const has = (ref: FileRef): Effect.Effect<boolean, FileStoreError> =>
    validSha.test(ref.sha256)
      ? Effect.tryPromise({
        try: () =>
          fs.stat(pathOf(root, ref.sha256)).then(
            (stat) => stat.isFile() && stat.size === ref.size,
            (cause: unknown) => {
              if (isNotFound(cause)) return false
              throw cause
            }
          ),
        catch: io(`cannot look up ${ref.sha256} in ${root}`)
      })
      : Effect.succeed(false)

  const get = (ref: FileRef): Effect.Effect<Uint8Array, FileNotFound | FileStoreError> => {
    if (!validSha.test(ref.sha256)) return Effect.fail(new FileNotFound({ sha256: ref.sha256 }))
    const file = pathOf(root, ref.sha256)
    return Effect.tryPromise({
      try: () =>
        fs.readFile(file).then((buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)),
      catch: (cause): FileNotFound | FileStoreError =>
        isNotFound(cause) ? new FileNotFound({ sha256: ref.sha256 }) : io(`cannot read ${file}`)(cause)
    }).pipe(
      Effect.flatMap((bytes): Effect.Effect<Uint8Array, FileNotFound | FileStoreError> => {
        const actual = refOf(bytes)
        if (actual.sha256 === ref.sha256 && actual.size === ref.size) return Effect.succeed(bytes)
        return actual.sha256 === ref.sha256
          ? Effect.fail(new FileNotFound({ sha256: ref.sha256 }))
          : Effect.fail(
            new FileStoreError({
              reason: "Corrupted",
              message: `${file} no longer holds the bytes it was stored with (its SHA-256 is now ${actual.sha256}): restore it from a backup`
            })
          )
      })
    )
  }

  return FileStore.of({ put, get, has })
})

/**
 * The filesystem file store layer over `root`.
 *
 * @since 0.1.0
 */
export const layer = (root: string): Layer.Layer<FileStore, FileStoreError> => Layer.effect(FileStore, make(root))
