/**
 * The OutboxStore contract on PostgreSQL (a fresh schema per case), the durability case (end the
 * pool, reconnect to the same schema), and the outbox sharing the event log's schema.
 */
import { it } from "@effect/vitest"
import { OutboxStore } from "@kho/core/NotificationOutbox"
import { OutboxStoreContract } from "@kho/testing"
import { Effect, Layer } from "effect"
import { assert, inject } from "vitest"
import { PgDatabase, PgEventStore, PgOutboxStore } from "../src/index.ts"
import { freshSchema } from "./utils/freshSchema.ts"

const url = inject("pgUrl")
const inSchema = (schema: string) =>
  PgOutboxStore.layer.pipe(Layer.provideMerge(PgEventStore.layer({ url, schema, poolSize: 4, pollInterval: 200 })))

OutboxStoreContract.run("PostgreSQL", () => inSchema(freshSchema("outbox")))

const durable = freshSchema("outbox_durable")
OutboxStoreContract.runDurable("PostgreSQL", () => inSchema(durable))

it.live("the outbox lives in the event log's schema, at schema version 3", () =>
  Effect.gen(function*() {
    const database = yield* PgDatabase.PgDatabase
    yield* (yield* OutboxStore).record([OutboxStoreContract.entry(1)])
    const rows = yield* database.query(
      "reading the outbox table",
      "SELECT (SELECT max(version) FROM kho_schema_migrations) AS version, (SELECT count(*)::int FROM kho_outbox) AS entries, current_schema() AS schema"
    )
    assert.deepStrictEqual(rows, [{ version: 3, entries: 1, schema: database.schema }])
  }).pipe(Effect.provide(inSchema(freshSchema("outbox_shared")))))

it.live("a row that is not an entry fails with Corrupted, naming the table", () =>
  Effect.gen(function*() {
    const database = yield* PgDatabase.PgDatabase
    const outbox = yield* OutboxStore
    yield* outbox.record([OutboxStoreContract.entry(1)])
    yield* database.query("damaging a row", "UPDATE kho_outbox SET status = 'Lost'")
    const error = yield* Effect.flip(outbox.list())
    assert.strictEqual(error.reason, "Corrupted")
    assert.include(error.message, "kho_outbox")
  }).pipe(Effect.provide(inSchema(freshSchema("outbox_corrupt")))))
