/**
 * Typed errors: PostgreSQL failures become `EventStoreError`s with a reason and a retry verdict.
 */
import { it } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { assert } from "vitest"
import { toEventStoreError } from "../src/internal/errors.ts"
import { PgEventStore } from "../src/index.ts"

const pgError = (code: string, message = "boom") => Object.assign(new Error(message), { code })

it("maps SQLSTATEs and socket errors to reasons, and says which are retryable", () => {
  const cases: Array<[unknown, string, boolean]> = [
    [pgError("40P01", "deadlock detected"), "Deadlock", true],
    [pgError("40001", "could not serialize access"), "Deadlock", true],
    [pgError("23505", "duplicate key value"), "Constraint", false],
    [pgError("23514", "check constraint"), "Constraint", false],
    [pgError("08006", "connection failure"), "Connection", true],
    [pgError("57P01", "terminating connection due to administrator command"), "Connection", true],
    [pgError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1"), "Connection", true],
    [new Error("Connection terminated unexpectedly"), "Connection", true],
    [pgError("53300", "too many clients"), "Busy", true],
    [pgError("XX001", "invalid page in block"), "Corrupted", false],
    [pgError("42601", "syntax error"), "Io", false]
  ]
  for (const [cause, reason, retryable] of cases) {
    const error = toEventStoreError(cause, "testing")
    assert.strictEqual(error.reason, reason, String(cause))
    assert.strictEqual(error.retryable, retryable, String(cause))
    assert.include(error.message, "testing")
  }
})

it.live("an unreachable server fails the layer with a retryable Connection error", () =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(Effect.scoped(Effect.asVoid(
      // port 1 on loopback: nothing listens there
      Effect.provide(Effect.void, PgEventStore.layer({ url: "postgres://postgres@127.0.0.1:1/kho", schema: "nowhere" }))
    )))
    assert.isTrue(Exit.isFailure(exit))
    const error = Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
    assert.strictEqual(error?._tag, "EventStoreError")
    assert.strictEqual(error?.reason, "Connection")
    assert.isTrue(error?.retryable)
  }), 30_000)

it.live("a schema name that is not a plain identifier is refused before connecting", () =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(Effect.scoped(Effect.asVoid(
      Effect.provide(Effect.void, PgEventStore.layer({ url: "postgres://postgres@127.0.0.1:1/kho", schema: "x; DROP TABLE y" }))
    )))
    const error = Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
    assert.strictEqual(error?.reason, "InvalidArgument")
  }))
