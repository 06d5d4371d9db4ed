/**
 * Error messages say what a person should do, and keep SQLite's own words: a constraint failing on
 * the log means someone wrote it behind the store's back; a file that cannot be opened or written
 * names what to check.
 */
import { describe, it } from "@effect/vitest"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import type { EventStoreError } from "@kho/core/EventStore"
import { Context, Effect, Exit, Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert } from "vitest"
import { SqliteDatabase, SqliteEventStore } from "../src/index.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-sqlite-errors-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const failureOf = <A>(exit: Exit.Exit<A, unknown>): EventStoreError => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  const reason = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
  if (reason?._tag !== "Fail") throw new Error(`expected a typed failure, got ${String(reason?._tag)}`)
  assert.strictEqual((reason.error as { _tag?: string })._tag, "EventStoreError")
  return reason.error as EventStoreError
}

const event = (commandId: string) => ({
  type: "Happened",
  schemaVersion: 1,
  data: {},
  metadata: { actor: { _tag: "System" as const, component: "errors-test" }, commandId, correlationId: commandId, causationId: null }
})

describe("Constraint", () => {
  it.effect("a kho_events row written behind the store's back: the message names the bypass and a hand edit", () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(SqliteEventStore.layer({ filename: join(dir, "bypassed.sqlite") }))
      const store = Context.get(context, EventStore)
      const database = Context.get(context, SqliteDatabase.SqliteDatabase)
      yield* store.append("A-1", [event("c-1")], { expectedVersion: ExpectedVersion.noStream })
      // plain SQL on the store's own connection: the store is not told, so it still sees head 1
      database.connection.exec(
        "INSERT INTO kho_events VALUES (2, 'X', 1, 'Forged', 1, '{}', '2024-01-01T00:00:00.000Z', '{}', 'x', 'x', NULL, 'h1', 'h2')"
      )
      const error = failureOf(yield* Effect.exit(store.append("A-2", [event("c-2")], { expectedVersion: ExpectedVersion.noStream })))
      assert.strictEqual(error.reason, "Constraint")
      assert.include(error.message, "UNIQUE constraint failed: kho_events.global_position", "SQLite's detail is kept")
      assert.include(error.message, "bypassed the store")
      assert.include(error.message, "edited by hand")
      assert.include(error.message, "restore the file from a backup")
    }).pipe(Effect.scoped))

  it.effect("a read model's own constraint: the message points at its handler, not at the log", () =>
    Effect.gen(function*() {
      const database = yield* SqliteDatabase.open({ filename: ":memory:" })
      database.connection.exec("CREATE TABLE seen (position INTEGER PRIMARY KEY)")
      const error = failureOf(yield* Effect.exit(database.immediate("updating seen", (connection) => {
        connection.exec("INSERT INTO seen VALUES (1)")
        connection.exec("INSERT INTO seen VALUES (1)")
      })))
      assert.strictEqual(error.reason, "Constraint")
      assert.include(error.message, "updating seen: UNIQUE constraint failed: seen.position")
      assert.include(error.message, "its handler")
      assert.notInclude(error.message, "bypassed")
    }).pipe(Effect.scoped))
})

describe("Io", () => {
  it.effect("a file in a directory that does not exist: check the path, the directory and permissions", () =>
    Effect.gen(function*() {
      const filename = join(dir, "no-such-directory", "kho.sqlite")
      const error = failureOf(yield* Effect.exit(Effect.scoped(SqliteDatabase.open({ filename }))))
      assert.strictEqual(error.reason, "Io")
      assert.include(error.message, `opening ${filename}: unable to open database file`)
      assert.include(error.message, "its directory exists")
      assert.include(error.message, "read and write")
    }))

  it.effect("a write to a file opened read-only: the message says it is read-only for this process", () =>
    Effect.gen(function*() {
      const path = join(dir, "read-only.sqlite")
      yield* Effect.scoped(SqliteDatabase.open({ filename: path }))
      const database = yield* SqliteDatabase.open({ filename: `file:${path}?mode=ro` })
      const error = failureOf(yield* Effect.exit(database.immediate("saving a checkpoint", (connection) => {
        connection.exec("INSERT INTO kho_checkpoints VALUES ('p', 1)")
      })))
      assert.strictEqual(error.reason, "Io")
      assert.include(error.message, "saving a checkpoint: attempt to write a readonly database")
      assert.include(error.message, "read-only for this process")
    }).pipe(Effect.scoped))

  it.effect("a non-SQLite error thrown inside a transaction says so (no disk advice) and is rolled back", () =>
    Effect.gen(function*() {
      const database = yield* SqliteDatabase.open({ filename: ":memory:" })
      database.connection.exec("CREATE TABLE t (x)")
      const error = failureOf(yield* Effect.exit(database.immediate("filling t", (connection) => {
        connection.exec("INSERT INTO t VALUES (1)")
        throw new RangeError("bad input")
      })))
      assert.strictEqual(error.reason, "Io")
      assert.include(error.message, "filling t: bad input")
      assert.include(error.message, "not a SQLite error")
      assert.strictEqual(database.connection.prepare("SELECT count(*) AS n FROM t").get()?.["n"], 0)
    }).pipe(Effect.scoped))
})
