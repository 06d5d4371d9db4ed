/**
 * The OutboxStore contract on the SQLite file (and `:memory:`), the durability case (close, reopen
 * the same file), and the outbox sharing the event log's file and transaction lock.
 */
import { it } from "@effect/vitest"
import { EventStore } from "@kho/core/EventStore"
import { OutboxStore } from "@kho/core/NotificationOutbox"
import { OutboxStoreContract } from "@kho/testing"
import { Effect, Layer, Option } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert } from "vitest"
import { SqliteDatabase, SqliteEventStore, SqliteOutboxStore } from "../src/index.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-sqlite-outbox-"))
let n = 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const onFile = (filename: string) =>
  SqliteOutboxStore.layer.pipe(Layer.provideMerge(SqliteEventStore.layer({ filename, pollInterval: 20 })))

OutboxStoreContract.run("SQLite file", () => onFile(join(dir, `outbox-${++n}.sqlite`)))
OutboxStoreContract.run("SQLite :memory:", () => SqliteOutboxStore.layer.pipe(Layer.provide(SqliteDatabase.layer({ filename: ":memory:" }))))

const durable = join(dir, "durable.sqlite")
OutboxStoreContract.runDurable("SQLite file", () => onFile(durable))

it.live("the outbox lives in the event log's file, at schema version 2", () =>
  Effect.gen(function*() {
    const filename = join(dir, `shared-${++n}.sqlite`)
    yield* Effect.provide(
      Effect.gen(function*() {
        const database = yield* SqliteDatabase.SqliteDatabase
        assert.strictEqual(database.schemaVersion, 2)
        yield* (yield* OutboxStore).record([OutboxStoreContract.entry(1)])
        assert.strictEqual((yield* (yield* EventStore).head).position, 0)
      }),
      onFile(filename)
    )
    // a process that opens only the database (no event store layer) sees the same entry
    const found = yield* Effect.provide(
      Effect.flatMap(Effect.service(OutboxStore), (outbox) => outbox.get(OutboxStoreContract.entry(1).id)),
      SqliteOutboxStore.layer.pipe(Layer.provide(SqliteDatabase.layer({ filename })))
    )
    assert.deepStrictEqual(found, Option.some(OutboxStoreContract.entry(1)))
  }))

it.live("a row that is not an entry fails with Corrupted, naming the table", () =>
  Effect.gen(function*() {
    const database = yield* SqliteDatabase.SqliteDatabase
    const outbox = yield* OutboxStore
    yield* outbox.record([OutboxStoreContract.entry(1)])
    database.connection.exec("UPDATE kho_outbox SET status = 'Lost'")
    const error = yield* Effect.flip(outbox.list())
    assert.strictEqual(error.reason, "Corrupted")
    assert.include(error.message, "kho_outbox")
  }).pipe(Effect.provide(onFile(join(dir, `corrupt-${++n}.sqlite`)))))
