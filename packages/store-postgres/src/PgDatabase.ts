/**
 * A PostgreSQL database holding Kho's event log, checkpoints and read models (one schema), reached
 * through a `pg` connection pool. Opening it runs the versioned migrations under an advisory lock,
 * so several processes may start at once.
 *
 * @since 0.1.0
 */
import { EventStoreError } from "@kho/core/EventStore"
import { Context, Effect, Layer, Schedule } from "effect"
import type { Scope } from "effect"
import pg from "pg"
import { toEventStoreError } from "./internal/errors.ts"
import { migrations } from "./internal/migrations.ts"

/**
 * How to reach the database.
 *
 * @since 0.1.0
 */
export interface Options {
  /** `postgres://user@host:port/database`. */
  readonly url: string
  /** The schema holding Kho's tables (created if missing; default `public`). */
  readonly schema?: string
  /** Connections in the pool (default 10). */
  readonly poolSize?: number
}

/**
 * A row as `pg` returns it.
 *
 * @since 0.1.0
 */
export type Row = Record<string, unknown>

/**
 * One connection inside a transaction (for read models that commit with their checkpoint).
 *
 * @since 0.1.0
 */
export interface Transaction {
  readonly query: (text: string, values?: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<Row>, EventStoreError>
}

/**
 * The open database.
 *
 * @since 0.1.0
 */
export class PgDatabase extends Context.Service<PgDatabase, {
  readonly pool: pg.Pool
  readonly schema: string
  readonly url: string
  /** One statement on a pooled connection; retried when the failure is retryable (reads only). */
  readonly query: (doing: string, text: string, values?: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<Row>, EventStoreError>
  /** Runs `f` in `BEGIN … COMMIT` on one connection (rolled back if `f` fails). */
  readonly transaction: <A, E>(
    doing: string,
    f: (tx: Transaction) => Effect.Effect<A, E>
  ) => Effect.Effect<A, E | EventStoreError>
}>()("@kho/store-postgres/PgDatabase") {}

const identifier = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Retries an effect whose failure is marked retryable (deadlock, lost connection, busy), 3 times.
 *
 * @since 0.1.0
 */
export const retryRetryable = <A, R>(effect: Effect.Effect<A, EventStoreError, R>): Effect.Effect<A, EventStoreError, R> =>
  Effect.retry(effect, { schedule: Schedule.exponential("20 millis"), times: 3, while: (error) => error.retryable })

/**
 * Runs one statement on a client, mapping failures.
 *
 * @since 0.1.0
 */
export const clientQuery = (client: pg.ClientBase | pg.Pool, doing: string) =>
(text: string, values?: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<Row>, EventStoreError> =>
  Effect.map(
    Effect.tryPromise({
      try: () => client.query(text, values === undefined ? undefined : [...values]),
      catch: (cause) => toEventStoreError(cause, doing)
    }),
    (result) => result.rows
  )

/**
 * Runs `f` in a transaction on a connection of the pool.
 *
 * @since 0.1.0
 */
export const withTransaction = <A, E>(
  pool: pg.Pool,
  doing: string,
  f: (client: pg.PoolClient, tx: Transaction) => Effect.Effect<A, E>
): Effect.Effect<A, E | EventStoreError> =>
  Effect.acquireUseRelease(
    Effect.tryPromise({ try: () => pool.connect(), catch: (cause) => toEventStoreError(cause, doing) }),
    (client) => {
      const query = clientQuery(client, doing)
      return query("BEGIN").pipe(
        Effect.andThen(f(client, { query })),
        Effect.tap(() => query("COMMIT")),
        Effect.onError(() => Effect.ignore(query("ROLLBACK")))
      )
    },
    (client, exit) => Effect.sync(() => client.release(exit._tag === "Failure" ? true : undefined))
  )

const migrate = (pool: pg.Pool, schema: string) =>
  withTransaction(pool, "migrating the schema", (_client, tx) =>
    Effect.gen(function*() {
      yield* tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`kho.migrate:${schema}`])
      yield* tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      yield* tx.query(`SET LOCAL search_path TO ${schema}`)
      yield* tx.query(
        "CREATE TABLE IF NOT EXISTS kho_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
      )
      const rows = yield* tx.query("SELECT coalesce(max(version), 0)::int AS version FROM kho_schema_migrations")
      const current = Number(rows[0]?.["version"] ?? 0)
      const latest = migrations[migrations.length - 1]?.version ?? 0
      if (current > latest) {
        return yield* new EventStoreError({
          reason: "InvalidArgument",
          message: `schema ${schema} is at version ${current}, newer than this @kho/store-postgres (${latest}): upgrade the package`,
          retryable: false
        })
      }
      for (const migration of migrations) {
        if (migration.version <= current) continue
        yield* tx.query(migration.sql)
        yield* tx.query("INSERT INTO kho_schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name])
      }
    }))

/**
 * Opens the pool and migrates; ends the pool when the scope closes.
 *
 * @since 0.1.0
 */
export const open = (options: Options): Effect.Effect<PgDatabase["Service"], EventStoreError, Scope.Scope> =>
  Effect.gen(function*() {
    const schema = options.schema ?? "public"
    if (!identifier.test(schema)) {
      return yield* new EventStoreError({
        reason: "InvalidArgument",
        message: `schema name ${JSON.stringify(schema)} must be a lower-case SQL identifier (a-z, 0-9, _)`,
        retryable: false
      })
    }
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() =>
        new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, options: `-c search_path=${schema}` })
      ),
      (pool) => Effect.promise(() => pool.end())
    )
    // a pool emits 'error' when an idle connection dies; the next query reports it, so don't crash
    pool.on("error", () => undefined)
    yield* retryRetryable(migrate(pool, schema))
    return PgDatabase.of({
      pool,
      schema,
      url: options.url,
      query: (doing, text, values) => retryRetryable(clientQuery(pool, doing)(text, values)),
      transaction: (doing, f) => withTransaction(pool, doing, (_client, tx) => f(tx))
    })
  })

/**
 * The database as a layer (see {@link open}).
 *
 * @since 0.1.0
 */
export const layer = (options: Options): Layer.Layer<PgDatabase, EventStoreError> => Layer.effect(PgDatabase, open(options))
