/**
 * A PostgreSQL database holding Kho's event log, checkpoints and read models (one schema), reached
 * through a `pg` connection pool. Opening it runs the versioned migrations under an advisory lock,
 * so several processes may start at once. Opened with `readOnly` (a hot-standby replica), it
 * migrates nothing and only checks that the schema is at the version this package knows.
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
  /**
   * Open a database this process only reads (a hot-standby replica): no migrations (the schema must
   * already be at this package's version: migrate it by opening a read-write store on the primary),
   * no LISTEN; every transaction is read-only and appends fail with a typed error. Default false.
   */
  readonly readOnly?: boolean
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
  /** Opened with `readOnly` (a replica): the event store neither appends nor LISTENs here. */
  readonly readOnly: boolean
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
 * Idle time before the first TCP keepalive probe on the pool's connections (Node's default is to
 * send none): a silently dead server or network then fails the connection instead of leaving it
 * hanging.
 */
const KEEPALIVE_IDLE_MILLIS = 10_000

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
    Effect.map(
      Effect.tryPromise({ try: () => pool.connect(), catch: (cause) => toEventStoreError(cause, doing) }),
      (client) => {
        // while checked out a client has no pool listener: an 'error' between two statements (the
        // server ended the session) would crash the process; the next statement reports it instead
        client.on("error", ignoreIdleError)
        return client
      }
    ),
    (client) => {
      const query = clientQuery(client, doing)
      return query("BEGIN").pipe(
        Effect.andThen(f(client, { query })),
        Effect.tap(() => query("COMMIT")),
        Effect.onError(() => Effect.ignore(query("ROLLBACK")))
      )
    },
    (client, exit) =>
      Effect.sync(() => {
        client.off("error", ignoreIdleError)
        client.release(exit._tag === "Failure" ? true : undefined)
      })
  )

/** Swallows a checked-out connection's 'error' event; the failure surfaces as the next statement's error. */
const ignoreIdleError = (): void => undefined

/** The schema version this package's migrations end at. */
const LATEST = migrations[migrations.length - 1]?.version ?? 0

/** `host:port/database` of a URL, without its credentials, for messages. */
const describeServer = (url: string): string => {
  if (!URL.canParse(url)) return "the server in the URL given"
  const parsed = new URL(url)
  return `${parsed.hostname}:${parsed.port === "" ? "5432" : parsed.port}${parsed.pathname}`
}

const newerSchema = (schema: string, current: number) =>
  new EventStoreError({
    reason: "InvalidArgument",
    message: `schema ${schema} is at version ${current}, newer than this @kho/store-postgres knows (${LATEST}): ` +
      "upgrade the package",
    retryable: false
  })

/**
 * A read-write open hit a server that refuses writes: say so, and what to do, instead of failing
 * later with "cannot execute … in a read-only transaction" (or, on a schema already migrated, not
 * at open at all but at the first append).
 */
const readOnlyServer = (url: string, standby: boolean) => {
  const server = describeServer(url)
  const what = standby
    ? `points at a read-only server: ${server} is a hot standby (pg_is_in_recovery() is true)`
    : `points at a server that refuses writes: ${server} runs read-only transactions (default_transaction_read_only is on)`
  return new EventStoreError({
    reason: "InvalidArgument",
    message: `opening a read-write store: the URL ${what}. To read there, open it with readOnly: true; to append ` +
      "and migrate, use the primary's URL",
    retryable: false
  })
}

/**
 * Migrates under an advisory lock. Creates the schema and the version table only when missing:
 * `CREATE … IF NOT EXISTS` needs CREATE on the database (or schema) even when the object exists, so
 * a role given only a schema of its own (`CREATE SCHEMA s AUTHORIZATION role`) could not open it.
 */
const migrate = (pool: pg.Pool, schema: string, url: string) =>
  withTransaction(pool, "migrating the schema", (_client, tx) =>
    Effect.gen(function*() {
      yield* tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`kho.migrate:${schema}`])
      const [found] = yield* tx.query(
        `SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') = 'on' AS read_only,
                to_regnamespace($1) IS NOT NULL AS has_schema, to_regclass($2) IS NOT NULL AS has_versions`,
        [schema, `${schema}.kho_schema_migrations`]
      )
      if (found?.["standby"] === true || found?.["read_only"] === true) {
        return yield* readOnlyServer(url, found["standby"] === true)
      }
      if (found?.["has_schema"] !== true) yield* tx.query(`CREATE SCHEMA ${schema}`)
      yield* tx.query(`SET LOCAL search_path TO ${schema}`)
      if (found?.["has_versions"] !== true) {
        yield* tx.query(
          "CREATE TABLE kho_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
      }
      const rows = yield* tx.query("SELECT coalesce(max(version), 0)::int AS version FROM kho_schema_migrations")
      const current = Number(rows[0]?.["version"] ?? 0)
      if (current > LATEST) return yield* newerSchema(schema, current)
      for (const migration of migrations) {
        if (migration.version <= current) continue
        yield* tx.query(migration.sql)
        yield* tx.query("INSERT INTO kho_schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name])
      }
    }))

/**
 * What a read-only open does instead of migrating: the schema must exist at exactly the version
 * this package knows, since nothing here may create or upgrade it.
 */
const checkSchema = (pool: pg.Pool, schema: string, url: string) =>
  Effect.gen(function*() {
    const query = clientQuery(pool, `checking schema ${schema} of a read-only store`)
    const present = yield* query("SELECT to_regclass($1) IS NOT NULL AS present", [`${schema}.kho_schema_migrations`])
    const current = present[0]?.["present"] === true
      ? Number((yield* query(`SELECT coalesce(max(version), 0)::int AS version FROM ${schema}.kho_schema_migrations`))[0]?.["version"] ?? 0)
      : undefined
    if (current !== undefined && current > LATEST) return yield* newerSchema(schema, current)
    if (current === undefined || current < LATEST) {
      const found = current === undefined ? "has no Kho tables" : `is at version ${current}, older than this package's ${LATEST}`
      return yield* new EventStoreError({
        reason: "InvalidArgument",
        message: `schema ${schema} at ${describeServer(url)} ${found}, and a store opened with readOnly: true migrates ` +
          "nothing: open a read-write store on the primary first to migrate it (a replica has it once it has replayed " +
          "that far), or check the schema name",
        retryable: false
      })
    }
  })

/**
 * Opens the pool and migrates (or, with `readOnly`, checks the schema version); ends the pool when
 * the scope closes. TCP keepalive is on, so a connection to a server that vanished without closing
 * it (a dead machine or network) fails instead of hanging; see docs/scaling.md for the server side.
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
    const readOnly = options.readOnly ?? false
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() =>
        new pg.Pool({
          connectionString: options.url,
          max: options.poolSize ?? 10,
          options: `-c search_path=${schema}${readOnly ? " -c default_transaction_read_only=on" : ""}`,
          keepAlive: true,
          keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MILLIS
        })
      ),
      (pool) => Effect.promise(() => pool.end())
    )
    // a pool emits 'error' when an idle connection dies; the next query reports it, so don't crash
    pool.on("error", () => undefined)
    if (readOnly) {
      yield* retryRetryable(checkSchema(pool, schema, options.url))
    } else {
      yield* retryRetryable(migrate(pool, schema, options.url))
    }
    return PgDatabase.of({
      pool,
      schema,
      url: options.url,
      readOnly,
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
