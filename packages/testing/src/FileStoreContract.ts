/**
 * The contract every `FileStore` adapter passes (in-memory here, the directory store of `@kho/node`).
 * Like the event-store contract, one suite that every adapter runs.
 */
import { describe, expect, it } from "@effect/vitest"
import { FileStore, refOf } from "@kho/core/FileStore"
import type { Layer } from "effect"
import { Effect } from "effect"
import * as fc from "fast-check"

const pdf = (text: string): Uint8Array => new TextEncoder().encode(`%PDF-1.7\n${text}\n%%EOF\n`)

/** Runs the contract against a layer; `fresh` builds an empty store for each test. */
export const fileStoreContract = (name: string, fresh: () => Layer.Layer<FileStore>): void => {
  describe(`FileStore contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, FileStore>) => effect.pipe(Effect.provide(fresh()))

    it.effect("puts bytes and gets the same bytes back by SHA-256", () =>
      run(Effect.gen(function*() {
        const store = yield* FileStore
        const bytes = pdf("Giấy khai sinh")
        const ref = yield* store.put(bytes)
        expect(ref).toEqual(refOf(bytes))
        expect(yield* store.has(ref)).toBe(true)
        expect(Array.from(yield* store.get(ref))).toEqual(Array.from(bytes))
      })))

    it.effect("stores the same bytes once and tells different bytes apart", () =>
      run(Effect.gen(function*() {
        const store = yield* FileStore
        const a = yield* store.put(pdf("a"))
        const again = yield* store.put(pdf("a"))
        const b = yield* store.put(pdf("b"))
        expect(again).toEqual(a)
        expect(b.sha256).not.toBe(a.sha256)
        expect(new TextDecoder().decode(yield* store.get(b))).toContain("b")
      })))

    it.effect("is not affected by later changes to the caller's array", () =>
      run(Effect.gen(function*() {
        const store = yield* FileStore
        const bytes = pdf("original")
        const ref = yield* store.put(bytes)
        bytes.fill(0)
        expect(refOf(yield* store.get(ref))).toEqual(ref)
      })))

    it.effect("fails with FileNotFound for a reference never stored", () =>
      run(Effect.gen(function*() {
        const store = yield* FileStore
        const missing = refOf(pdf("never stored"))
        expect(yield* store.has(missing)).toBe(false)
        const error = yield* Effect.flip(store.get(missing))
        expect(error._tag).toBe("FileNotFound")
        expect(error.message).toContain(missing.sha256)
      })))

    it.effect("stores an empty file", () =>
      run(Effect.gen(function*() {
        const store = yield* FileStore
        const ref = yield* store.put(new Uint8Array())
        expect(ref.size).toBe(0)
        expect((yield* store.get(ref)).length).toBe(0)
      })))

    it.effect("round-trips arbitrary bytes", () =>
      run(Effect.gen(function*() {
        const store = yield* FileStore
        const samples = fc.sample(fc.uint8Array({ maxLength: 2048 }), 25)
        for (const bytes of samples) {
          const ref = yield* store.put(bytes)
          expect(Array.from(yield* store.get(ref))).toEqual(Array.from(bytes))
        }
      })))
  })
}
