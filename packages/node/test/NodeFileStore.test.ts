import { afterAll, describe, expect, it } from "@effect/vitest"
import { FileStore, refOf } from "@kho/core/FileStore"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Layer } from "effect"
import { fileStoreContract } from "@kho/testing/FileStoreContract"
import * as NodeFileStore from "../src/NodeFileStore.ts"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "kho-files-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
let n = 0
const fresh = () => path.join(root, `store-${n++}`)

fileStoreContract("filesystem", () => Layer.orDie(NodeFileStore.layer(fresh())))

describe("NodeFileStore", () => {
  it.effect("lays files out by hash and leaves no temporary file behind", () => {
    const dir = fresh()
    return Effect.gen(function*() {
      const store = yield* FileStore
      const bytes = new TextEncoder().encode("%PDF-1.7 Thẻ căn cước")
      const ref = yield* store.put(bytes)
      expect(fs.readFileSync(NodeFileStore.pathOf(dir, ref.sha256))).toEqual(Buffer.from(bytes))
      expect(fs.readdirSync(path.join(dir, "tmp"))).toEqual([])
    }).pipe(Effect.provide(NodeFileStore.layer(dir)))
  })

  it.effect("keeps files across store instances on the same directory", () => {
    const dir = fresh()
    const bytes = new TextEncoder().encode("%PDF-1.4 kept")
    return Effect.gen(function*() {
      const put = Effect.gen(function*() {
        return yield* (yield* FileStore).put(bytes)
      })
      const ref = yield* put.pipe(Effect.provide(NodeFileStore.layer(dir)))
      const get = Effect.gen(function*() {
        return yield* (yield* FileStore).get(ref)
      })
      const back = yield* get.pipe(Effect.provide(NodeFileStore.layer(dir)))
      expect(Array.from(back)).toEqual(Array.from(bytes))
    })
  })

  it.effect("refuses to serve a file corrupted on disk", () => {
    const dir = fresh()
    return Effect.gen(function*() {
      const store = yield* FileStore
      const ref = yield* store.put(new TextEncoder().encode("%PDF-1.7 original"))
      fs.writeFileSync(NodeFileStore.pathOf(dir, ref.sha256), "%PDF-1.7 tampered")
      const error = yield* Effect.flip(store.get(ref))
      expect(error._tag).toBe("FileStoreError")
      expect(error._tag === "FileStoreError" && error.reason).toBe("Corrupted")
    }).pipe(Effect.provide(NodeFileStore.layer(dir)))
  })

  it.effect("treats a malformed reference as missing instead of touching other paths", () =>
    Effect.gen(function*() {
      const store = yield* FileStore
      const ref = { ...refOf(new Uint8Array([1])), sha256: "../../etc/passwd" }
      expect(yield* store.has(ref)).toBe(false)
      expect((yield* Effect.flip(store.get(ref)))._tag).toBe("FileNotFound")
    }).pipe(Effect.provide(NodeFileStore.layer(fresh()))))

  it.effect("fails with a typed error when the directory cannot be created", () =>
    Effect.gen(function*() {
      const file = path.join(root, "a-file")
      fs.writeFileSync(file, "x")
      const error = yield* Effect.flip(Layer.build(NodeFileStore.layer(path.join(file, "sub"))).pipe(Effect.scoped))
      expect(error._tag).toBe("FileStoreError")
      expect(error.message).toContain("cannot create")
    }))
})
