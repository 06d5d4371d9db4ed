/**
 * Schema versions: a schema newer than this package is refused (read-write and read-only); a schema
 * left at version 1 by an old release, with events in it, is upgraded by opening and keeps its log;
 * a read-only open of an old schema says to migrate it on the primary. Privileges: a role that owns
 * only its schema (no CREATE on the database) can open and migrate it.
 */
import { it } from "@effect/vitest"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import type { EventStoreError } from "@kho/core/EventStore"
import { Context, Effect, Exit, Layer, Option, Stream } from "effect"
import pg from "pg"
import { assert, inject } from "vitest"
import { migrations } from "../src/internal/migrations.ts"
import { PgDatabase, PgEventStore } from "../src/index.ts"
import { freshSchema } from "./utils/freshSchema.ts"

const url = inject("pgUrl")
const latest = migrations[migrations.length - 1]!.version

const event = (n: number) => ({
  type: "DocumentUploaded",
  schemaVersion: 1,
  data: { n },
  metadata: { actor: { _tag: "System" as const, component: "migrations-test" }, commandId: `c-${n}`, correlationId: "c", causationId: null }
})

/** The typed error an effect that must fail failed with. */
const failureOf = <A, R>(effect: Effect.Effect<A, EventStoreError, R>) =>
  Effect.map(Effect.exit(effect), (exit) => Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined)

/** Runs statements on one connection whose search_path is `schema`. */
const sql = (schema: string, statements: ReadonlyArray<string>) =>
  Effect.promise(async () => {
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
    await client.connect()
    try {
      for (const statement of statements) await client.query(statement)
    } finally {
      await client.end()
    }
  })

const versionsOf = (database: PgDatabase.PgDatabase["Service"]) =>
  Effect.map(
    database.query("reading the schema versions", "SELECT version FROM kho_schema_migrations ORDER BY version"),
    (rows) => rows.map((row) => Number(row["version"]))
  )

it.live("a schema newer than this package is refused, read-write or read-only: upgrade the package", () =>
  Effect.gen(function*() {
    const schema = freshSchema("mig_newer")
    yield* Effect.scoped(PgDatabase.open({ url, schema }))
    yield* sql(schema, [`INSERT INTO kho_schema_migrations (version, name) VALUES (${latest + 1}, 'from a newer release')`])
    for (const readOnly of [false, true]) {
      const error = yield* failureOf(Effect.scoped(PgDatabase.open({ url, schema, readOnly })))
      assert.strictEqual(error?.reason, "InvalidArgument", `readOnly: ${readOnly}`)
      assert.isFalse(error?.retryable)
      assert.include(error?.message, `schema ${schema} is at version ${latest + 1}, newer than this @kho/store-postgres knows (${latest})`)
      assert.include(error?.message, "upgrade the package")
    }
  }))

it.live("a schema at version 1 with events is upgraded by opening, keeps its log, and takes new appends", () =>
  Effect.gen(function*() {
    // the events, appended by today's store in a schema of their own
    const source = freshSchema("mig_source")
    const sourceStore = Context.get(yield* Layer.build(PgEventStore.layer({ url, schema: source, poolSize: 2 })), EventStore)
    yield* sourceStore.append("doc-1", [event(1), event(2)], { expectedVersion: ExpectedVersion.noStream })
    const written = yield* Stream.runCollect(sourceStore.readAll())

    // a schema as release 1 left it: only migration 1 applied, holding the same rows
    const schema = freshSchema("mig_v1")
    yield* sql(schema, [
      `CREATE SCHEMA ${schema}`,
      "CREATE TABLE kho_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
      migrations[0]!.sql,
      `INSERT INTO kho_schema_migrations (version, name) VALUES (1, '${migrations[0]!.name}')`,
      `INSERT INTO kho_events SELECT * FROM ${source}.kho_events`,
      `INSERT INTO kho_commands SELECT * FROM ${source}.kho_commands`,
      `UPDATE kho_head SET (position, hash) = (SELECT position, hash FROM ${source}.kho_head)`
    ])

    const stale = yield* failureOf(Effect.scoped(PgDatabase.open({ url, schema, readOnly: true })))
    assert.strictEqual(stale?.reason, "InvalidArgument")
    assert.include(stale?.message, `is at version 1, older than this package's ${latest}`)
    assert.include(stale?.message, "open a read-write store on the primary first to migrate it")

    const context = yield* Layer.build(PgEventStore.layer({ url, schema, poolSize: 2 }))
    const store = Context.get(context, EventStore)
    assert.deepStrictEqual(yield* versionsOf(Context.get(context, PgDatabase.PgDatabase)), migrations.map((m) => m.version))
    assert.deepStrictEqual(yield* Stream.runCollect(store.readAll()), written)
    const appended = yield* store.append("doc-1", [event(3)], { expectedVersion: ExpectedVersion.exact(2) })
    assert.strictEqual(appended.lastPosition, 3)
    const stream = yield* store.readStream("doc-1")
    assert.deepStrictEqual(stream.map((e) => e.data), [{ n: 1 }, { n: 2 }, { n: 3 }])
    assert.strictEqual(stream[2]?.previousHash, written[1]?.hash, "the chain goes on from the upgraded log's head")

    // and now a read-only open of the same schema passes the version check
    const readOnly = yield* PgDatabase.open({ url, schema, readOnly: true })
    assert.isTrue(readOnly.readOnly)
  }).pipe(Effect.scoped))

it.live("a role that owns only its schema (no CREATE on the database) opens and migrates it; elsewhere it is told what to grant", () =>
  Effect.gen(function*() {
    const role = freshSchema("role")
    const schema = freshSchema("mig_owned")
    yield* sql("public", [`CREATE ROLE ${role} LOGIN`, `CREATE SCHEMA ${schema} AUTHORIZATION ${role}`])
    const roleUrl = url.replace("postgres@", `${role}@`)
    const store = Context.get(yield* Layer.build(PgEventStore.layer({ url: roleUrl, schema, poolSize: 2 })), EventStore)
    yield* store.append("doc-1", [event(1)], { expectedVersion: ExpectedVersion.noStream })
    assert.strictEqual((yield* store.head).position, 1)

    const error = yield* failureOf(Effect.scoped(PgDatabase.open({ url: roleUrl, schema: freshSchema("mig_not_granted") })))
    assert.strictEqual(error?.reason, "Io")
    assert.include(error?.message, "permission denied for database")
    assert.include(error?.message, "CREATE SCHEMA <schema> AUTHORIZATION <role>")
  }).pipe(Effect.scoped))
