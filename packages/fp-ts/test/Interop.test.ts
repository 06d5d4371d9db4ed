/** Effect Result ↔ fp-ts Either ↔ the Promise facade's Result, and Effect ↔ TaskEither. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as fc from "fast-check"
import * as E from "fp-ts/lib/Either.js"
import * as TE from "fp-ts/lib/TaskEither.js"
import * as Interop from "../src/Interop.ts"

const either = fc.oneof(fc.anything().map((a) => E.right(a)), fc.anything().map((e) => E.left(e)))

describe("Interop", () => {
  it("builds the very values fp-ts builds", () => {
    fc.assert(fc.property(fc.anything(), (a) => {
      expect(Interop.right(a)).toEqual(E.right(a))
      expect(Interop.left(a)).toEqual(E.left(a))
    }))
  })

  it("round-trips Either → Effect Result → Either and Either → facade Result → Either", () => {
    fc.assert(fc.property(either, (e) => {
      expect(Interop.fromResult(Interop.toResult(e))).toEqual(e)
      expect(Interop.fromKhoResult(Interop.toKhoResult(e))).toEqual(e)
    }))
  })

  it("maps success to Right and failure to Left, and fp-ts reads them", () => {
    fc.assert(fc.property(fc.integer(), fc.string(), (n, s) => {
      expect(E.isRight(Interop.fromResult(Result.succeed(n)))).toBe(true)
      expect(E.getOrElse(() => -1)(Interop.fromResult(Result.succeed(n)))).toBe(n)
      expect(Interop.fromResult(Result.fail(s))).toEqual(E.left(s))
      expect(Result.getOrThrow(Interop.toResult(E.right(n)))).toBe(n)
    }))
  })

  it("runs an Effect as a TaskEither: typed failures are Left, defects reject", async () => {
    expect(await Interop.fromEffect(Effect.succeed(1))()).toEqual(E.right(1))
    expect(await Interop.fromEffect(Effect.fail("nope"))()).toEqual(E.left("nope"))
    await expect(Interop.fromEffect(Effect.die(new Error("bug")))()).rejects.toThrow("bug")
    const chained = TE.map((n: number) => n + 1)(Interop.fromEffect(Effect.succeed(41)))
    expect(await chained()).toEqual(E.right(42))
  })

  it.effect("runs a TaskEither as an Effect: Left is the typed failure", () =>
    Effect.gen(function*() {
      expect(yield* Interop.toEffect(TE.right(7))).toBe(7)
      const failure = yield* Effect.flip(Interop.toEffect(TE.left("refused")))
      expect(failure).toBe("refused")
      expect(yield* Interop.fromTask(() => Promise.resolve("t"))).toBe("t")
    }))
})
