/**
 * Opening the file: a file another process keeps locked fails with a typed `Busy` error once the
 * busy timeout has passed, not after retrying the timeout again and again; the durability pragmas
 * (WAL, `synchronous`, busy timeout) are what the docs promise, and a file that cannot be put in WAL
 * mode is refused; migrations upgrade an old file and refuse a newer one.
 */
import { describe, it } from "@effect/vitest"
import * as HashChain from "@kho/core/HashChain"
import type { RecordedEvent } from "@kho/core/Event"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import type { EventStoreError } from "@kho/core/EventStore"
import { Context, Effect, Exit, Layer, Stream } from "effect"
import { createHash } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { afterAll, assert } from "vitest"
import { SqliteDatabase, SqliteEventStore } from "../src/index.ts"
import { migrations } from "../src/internal/migrations.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-sqlite-open-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The typed failure of an exit that must have failed. */
const failureOf = <A>(exit: Exit.Exit<A, EventStoreError>): EventStoreError => {
  assert.isTrue(Exit.isFailure(exit), "expected the open to fail")
  const reason = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
  assert.strictEqual(reason?._tag, "Fail")
  if (reason?._tag !== "Fail") throw new Error("unreachable")
  return reason.error
}

/** One pragma's value on an open database. */
const pragma = (database: SqliteDatabase.SqliteDatabase["Service"], name: string): unknown =>
  Object.values(database.connection.prepare(`PRAGMA ${name}`).get() ?? {})[0]

const sha256 = (filename: string) => createHash("sha256").update(readFileSync(filename)).digest("hex")

const latest = migrations[migrations.length - 1]!.version

const metadata = { actor: { _tag: "System" as const, component: "migration-test" }, commandId: "c-1", correlationId: "c-1", causationId: null }

describe("SqliteDatabase.open", () => {
  it.live("a file kept locked by another connection fails with Busy after the busy timeout, naming the file", () =>
    Effect.gen(function*() {
      const filename = join(dir, "locked.sqlite")
      const holder = new DatabaseSync(filename)
      holder.exec("CREATE TABLE t (x)")
      holder.exec("BEGIN EXCLUSIVE")
      const busyTimeout = 250
      const started = performance.now()
      const exit = yield* Effect.exit(Effect.scoped(SqliteDatabase.open({ filename, busyTimeout })))
      const elapsed = performance.now() - started
      holder.exec("ROLLBACK")
      holder.close()
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      assert.strictEqual(error?._tag, "Fail")
      const failure = error?._tag === "Fail" ? error.error : undefined
      assert.strictEqual(failure?.reason, "Busy")
      assert.include(failure?.message, filename)
      // the busy timeout is waited once, not once per retry (11 × 250 ms before the fix)
      assert.isBelow(elapsed, 6 * busyTimeout, `opening took ${elapsed.toFixed(0)} ms`)
    }))
})

describe("SqliteDatabase pragmas", () => {
  it.effect("a file opens in WAL mode, synchronous=FULL and a 5 s busy timeout by default", () =>
    Effect.gen(function*() {
      const database = yield* SqliteDatabase.open({ filename: join(dir, "defaults.sqlite") })
      assert.strictEqual(pragma(database, "journal_mode"), "wal")
      assert.strictEqual(pragma(database, "synchronous"), 2)
      assert.strictEqual(pragma(database, "busy_timeout"), 5_000)
    }).pipe(Effect.scoped))

  it.effect("synchronous: NORMAL and busyTimeout are applied", () =>
    Effect.gen(function*() {
      const database = yield* SqliteDatabase.open({ filename: join(dir, "normal.sqlite"), synchronous: "NORMAL", busyTimeout: 1_234 })
      assert.strictEqual(pragma(database, "journal_mode"), "wal")
      assert.strictEqual(pragma(database, "synchronous"), 1)
      assert.strictEqual(pragma(database, "busy_timeout"), 1_234)
    }).pipe(Effect.scoped))

  it.effect("a synchronous mode other than FULL or NORMAL is refused with InvalidArgument before SQL sees it", () =>
    Effect.gen(function*() {
      const filename = join(dir, "injected.sqlite")
      const injected = "FULL; CREATE TABLE pwned(x)"
      // a caller without TypeScript can pass any text
      const options: Parameters<typeof SqliteDatabase.open>[0] = JSON.parse(JSON.stringify({ filename, synchronous: injected }))
      const error = failureOf(yield* Effect.exit(Effect.scoped(SqliteDatabase.open(options))))
      assert.strictEqual(error.reason, "InvalidArgument")
      assert.include(error.message, `"FULL" or "NORMAL"`)
      assert.isFalse(existsSync(filename), "nothing was created")
    }))

  it.effect(":memory: keeps working (SQLite answers journal mode 'memory')", () =>
    Effect.gen(function*() {
      const database = yield* SqliteDatabase.open({ filename: ":memory:" })
      assert.strictEqual(pragma(database, "journal_mode"), "memory")
      assert.strictEqual(database.schemaVersion, latest)
    }).pipe(Effect.scoped))

  it.effect("a file that stays out of WAL mode (no shared memory) is refused with Io, saying to use a local disk", () =>
    Effect.gen(function*() {
      // SQLite's unix-dotfile VFS has no shared memory, like many network file systems: WAL is refused
      const filename = `file:${join(dir, "no-shm.sqlite")}?vfs=unix-dotfile`
      const error = failureOf(yield* Effect.exit(Effect.scoped(SqliteDatabase.open({ filename }))))
      assert.strictEqual(error.reason, "Io")
      assert.isFalse(error.retryable)
      assert.include(error.message, "does not support WAL")
      assert.include(error.message, "local disk")
      assert.include(error.message, "no-shm.sqlite")
    }))
})

describe("SqliteDatabase migrations", () => {
  it.effect("a file migrated by a newer package is refused with InvalidArgument and left untouched", () =>
    Effect.gen(function*() {
      const filename = join(dir, "newer.sqlite")
      yield* Effect.scoped(SqliteDatabase.open({ filename }))
      const other = new DatabaseSync(filename)
      other.prepare("INSERT INTO kho_schema_migrations (version, name, applied_at) VALUES (?, 'from the future', '2030-01-01T00:00:00.000Z')")
        .run(latest + 1)
      other.close()
      const before = sha256(filename)
      const error = failureOf(yield* Effect.exit(Effect.scoped(SqliteDatabase.open({ filename }))))
      assert.strictEqual(error.reason, "InvalidArgument")
      assert.include(error.message, `schema version ${latest + 1}`)
      assert.include(error.message, "upgrade the package")
      assert.strictEqual(sha256(filename), before, "the refused file was modified")
      assert.isFalse(existsSync(`${filename}-wal`), "the refused open left a WAL behind")
    }))

  it.effect("a file at schema version 1 holding an event is upgraded by open, keeping its event and chain", () =>
    Effect.gen(function*() {
      const filename = join(dir, "version-1.sqlite")
      // the file as the first release left it: migration 1 only, one event
      const old = new DatabaseSync(filename)
      old.exec("PRAGMA journal_mode = WAL")
      old.exec("CREATE TABLE kho_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
      old.exec(migrations[0]!.sql)
      old.prepare("INSERT INTO kho_schema_migrations VALUES (?, ?, '2024-01-01T00:00:00.000Z')").run(migrations[0]!.version, migrations[0]!.name)
      const unsealed: Omit<RecordedEvent, "hash"> = {
        globalPosition: 1,
        streamId: "Dossier-1",
        streamVersion: 1,
        type: "Submitted",
        schemaVersion: 1,
        data: { title: "Giấy khai sinh", pages: 2 },
        recordedAt: "2024-01-01T00:00:00.000Z",
        actor: metadata.actor,
        commandId: metadata.commandId,
        correlationId: metadata.correlationId,
        causationId: null,
        previousHash: HashChain.GENESIS_HASH
      }
      const sealed = HashChain.sealForStorage(unsealed)
      old.prepare("INSERT INTO kho_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
        1, "Dossier-1", 1, "Submitted", 1, sealed.data, unsealed.recordedAt, sealed.actor, "c-1", "c-1", null, HashChain.GENESIS_HASH, sealed.hash
      )
      old.prepare("INSERT INTO kho_commands VALUES ('c-1', 'Dossier-1', 1, 1, 1, ?)").run(sealed.hash)
      old.close()

      const context = yield* Layer.build(SqliteEventStore.layer({ filename }))
      const database = Context.get(context, SqliteDatabase.SqliteDatabase)
      const store = Context.get(context, EventStore)
      assert.strictEqual(database.schemaVersion, latest)
      const applied = database.connection.prepare("SELECT version FROM kho_schema_migrations ORDER BY version").all()
      assert.deepStrictEqual(applied.map((row) => row["version"]), migrations.map((m) => m.version))
      // migration 2's table exists and works
      assert.strictEqual(database.connection.prepare("SELECT count(*) AS n FROM kho_outbox").get()?.["n"], 0)

      const log = yield* Stream.runCollect(store.readAll())
      assert.deepStrictEqual(log, [{ ...unsealed, hash: sealed.hash }])
      // the chain and the command ids carry on from the old event
      const again = yield* store.append("Dossier-1", [{ type: "Submitted", schemaVersion: 1, data: {}, metadata }], {
        expectedVersion: ExpectedVersion.exact(1)
      })
      assert.isTrue(again.alreadyAppended, "command c-1 was forgotten")
      const next = yield* store.append("Dossier-1", [{ type: "Amended", schemaVersion: 1, data: {}, metadata: { ...metadata, commandId: "c-2" } }], {
        expectedVersion: ExpectedVersion.exact(1)
      })
      assert.strictEqual(next.firstPosition, 2)
      const [, second] = yield* Stream.runCollect(store.readAll())
      assert.strictEqual(second?.previousHash, sealed.hash)
    }).pipe(Effect.scoped))
})
