/**
 * Typed errors: PostgreSQL failures become `EventStoreError`s with a reason, a retry verdict and a
 * message that keeps PostgreSQL's text and says what to do.
 */
import { it } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { assert, inject } from "vitest"
import { toEventStoreError } from "../src/internal/errors.ts"
import { PgDatabase, PgEventStore } from "../src/index.ts"
import { freshSchema } from "./utils/freshSchema.ts"

const pgError = (code: string, message = "boom", fields: { table?: string; constraint?: string } = {}) =>
  Object.assign(new Error(message), { code }, fields)

it("maps SQLSTATEs and socket errors to reasons, and says which are retryable", () => {
  const cases: Array<[Error, string, boolean]> = [
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
    [pgError("42601", "syntax error"), "Io", false],
    [pgError("25006", "cannot execute INSERT in a read-only transaction"), "InvalidArgument", false],
    [pgError("08P01", "unsupported startup parameter: options"), "InvalidArgument", false]
  ]
  for (const [cause, reason, retryable] of cases) {
    const error = toEventStoreError(cause, "testing")
    assert.strictEqual(error.reason, reason, String(cause))
    assert.strictEqual(error.retryable, retryable, String(cause))
    assert.include(error.message, "testing")
    assert.include(error.message, cause.message, "the message keeps PostgreSQL's text")
  }
})

it("messages say what to do: who broke a constraint, what to check, where to write", () => {
  const advice: Array<[unknown, ReadonlyArray<string>]> = [
    [
      pgError("23505", "duplicate key value violates unique constraint", { table: "kho_events", constraint: "kho_events_pkey" }),
      ["table kho_events, constraint kho_events_pkey", "another writer bypassed kho_append or the schema was changed by hand"]
    ],
    [pgError("23514", "new row violates check constraint", { table: "kpi_by_office" }), ["table kpi_by_office", "projection handler's SQL"]],
    [pgError("42601", "syntax error at or near"), ["check that the server is reachable at the URL given"]],
    [pgError("42501", "permission denied for schema public"), ["lacks a privilege", "CREATE SCHEMA <schema> AUTHORIZATION <role>", "PostgreSQL ≥ 15"]],
    [pgError("42P01", "relation \"kho_head\" does not exist"), ["open a read-write store on the primary to migrate it"]],
    [pgError("42P05", "prepared statement \"kho-append-4\" already exists"), ["connection pooler in transaction mode"]],
    [pgError("26000", "prepared statement \"kho-append-4\" does not exist"), ["PgBouncer before 1.21"]],
    [pgError("08P01", "unsupported startup parameter: options"), ["PgBouncer", "ignore_startup_parameters", "ALTER ROLE"]],
    [pgError("3D000", "database \"kho\" does not exist"), ["create it or fix the URL"]],
    [pgError("25006", "cannot execute INSERT in a read-only transaction"), ["hot standby", "primary's URL", "readOnly: true"]]
  ]
  for (const [cause, phrases] of advice) {
    const message = toEventStoreError(cause, "testing").message
    for (const phrase of phrases) assert.include(message, phrase, String(cause))
  }
})

it.live("the pool turns TCP keepalive on, so a connection to a vanished machine fails instead of hanging", () =>
  Effect.gen(function*() {
    const database = yield* PgDatabase.open({ url: inject("pgUrl"), schema: freshSchema("keepalive") })
    assert.isTrue(database.pool.options.keepAlive)
    assert.isAbove(database.pool.options.keepAliveInitialDelayMillis ?? 0, 0)
  }).pipe(Effect.scoped))

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
