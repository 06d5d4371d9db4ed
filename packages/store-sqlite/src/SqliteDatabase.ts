/**
 * The one SQLite file of an embedded Kho deployment: the event log, command ids, projection
 * checkpoints and read models all live in it, so a read model and its checkpoint can commit in one
 * transaction (`SqliteProjection` does: exactly-once projections).
 *
 * Opened with `node:sqlite` (built into Node 24: no native build), in WAL mode with
 * `synchronous=FULL` by default: an acknowledged append survives a power loss. `NORMAL` is faster
 * but may lose the last transactions (never corrupt the file) on power loss; see docs/adr/0040.
 * WAL needs shared memory beside the file: on a file system without it (some network shares) SQLite
 * would quietly keep a rollback journal, so opening fails instead.
 *
 * @since 0.1.0
 */
import { EventStoreError } from "@kho/core/EventStore"
import { Clock, Context, Effect, Layer, Schedule } from "effect"
import type { Scope } from "effect"
import { DatabaseSync } from "node:sqlite"
import { toEventStoreError } from "./internal/errors.ts"
import { migrations } from "./internal/migrations.ts"

/**
 * How to open the file.
 *
 * @since 0.1.0
 */
export interface Options {
  /** Path of the database file (created if missing); `":memory:"` for a private, volatile store. */
  readonly filename: string
  /** `FULL` (default): fsync the WAL at every commit. `NORMAL`: fsync at checkpoints only. */
  readonly synchronous?: "FULL" | "NORMAL"
  /**
   * How long a writer waits for another process's write lock before failing with `Busy` (ms, default
   * 5 000); opening the file retries for as long while another process converts or recovers it.
   */
  readonly busyTimeout?: number
}

/**
 * An open database file, migrated to the current schema.
 *
 * @since 0.1.0
 */
export class SqliteDatabase extends Context.Service<SqliteDatabase, {
  /** The connection, for read models that live in the same file (write them with `SqliteProjection`, or `immediate`). */
  readonly connection: DatabaseSync
  readonly filename: string
  /** The schema version the file is at after migrations. */
  readonly schemaVersion: number
  /**
   * Runs `f` inside `BEGIN IMMEDIATE … COMMIT` (rolled back if `f` throws). `f` must be synchronous:
   * node:sqlite is, so nothing else in this process runs between BEGIN and COMMIT.
   */
  readonly immediate: <A>(doing: string, f: (connection: DatabaseSync) => A) => Effect.Effect<A, EventStoreError>
}>()("@kho/store-sqlite/SqliteDatabase") {}

/**
 * Runs `f` in a write transaction, synchronously. Throws what `f` or SQLite throws.
 *
 * @since 0.1.0
 */
export const immediateSync = <A>(connection: DatabaseSync, f: (connection: DatabaseSync) => A): A => {
  connection.exec("BEGIN IMMEDIATE")
  try {
    const result = f(connection)
    connection.exec("COMMIT")
    return result
  } catch (error) {
    if (connection.isTransaction) connection.exec("ROLLBACK")
    throw error
  }
}

const migrate = (connection: DatabaseSync): number =>
  immediateSync(connection, (db) => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS kho_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    const row = db.prepare("SELECT coalesce(max(version), 0) AS version FROM kho_schema_migrations").get()
    const current = Number(row?.["version"] ?? 0)
    const latest = migrations[migrations.length - 1]?.version ?? 0
    if (current > latest) {
      throw new EventStoreError({
        reason: "InvalidArgument",
        message: `the database is at schema version ${current}, newer than this @kho/store-sqlite (${latest}): upgrade the package`,
        retryable: false
      })
    }
    const record = db.prepare("INSERT INTO kho_schema_migrations (version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ'))")
    for (const migration of migrations) {
      if (migration.version <= current) continue
      db.exec(migration.sql)
      record.run(migration.version, migration.name)
    }
    return latest
  })

/** How long to wait between attempts to open a file another process holds locked (ms). */
const OPEN_RETRY_INTERVAL = 25

/**
 * Opens (creating and migrating if needed) the database file; closes it when the scope closes.
 * Fails with `Io` if the file cannot be put in WAL mode, and with `InvalidArgument` if it was
 * migrated by a newer @kho/store-sqlite (its schema and data are left as they were) or if
 * `synchronous` is neither `FULL` nor `NORMAL` (checked at run time: it goes into a PRAGMA).
 *
 * @since 0.1.0
 */
export const open = (options: Options): Effect.Effect<SqliteDatabase["Service"], EventStoreError, Scope.Scope> => {
  const synchronous: unknown = options.synchronous ?? "FULL"
  // the mode is spliced into a PRAGMA: a caller without TypeScript could pass any text
  if (synchronous !== "FULL" && synchronous !== "NORMAL") {
    return Effect.fail(
      new EventStoreError({
        reason: "InvalidArgument",
        message: `opening ${options.filename}: synchronous is "FULL" or "NORMAL", not ${
          JSON.stringify(String(synchronous).slice(0, 40))
        }`,
        retryable: false
      })
    )
  }
  const busyTimeout = options.busyTimeout ?? 5_000
  const connect = Effect.try({
    try: () => {
      const connection = new DatabaseSync(options.filename, { timeout: busyTimeout })
      try {
        const journalMode = connection.prepare("PRAGMA journal_mode = WAL").get()?.["journal_mode"]
        // SQLite answers the mode it is in: a file system without shared memory keeps the old one
        if (journalMode !== "wal" && journalMode !== "memory") {
          throw new EventStoreError({
            reason: "Io",
            message: `opening ${options.filename}: SQLite could not switch the file to WAL (it stayed in journal mode ${
              String(journalMode)
            }): the file system does not support WAL (it lacks the shared memory WAL needs, as network shares often do); put the file on a local disk`,
            retryable: false
          })
        }
        connection.exec(`PRAGMA synchronous = ${synchronous}`)
        const schemaVersion = migrate(connection)
        return { connection, schemaVersion }
      } catch (error) {
        connection.close()
        throw error
      }
    },
    catch: (cause) => toEventStoreError(cause, `opening ${options.filename}`)
  })
  return Effect.acquireRelease(
    // `PRAGMA journal_mode` can answer SQLITE_BUSY at once, without waiting the busy timeout, while
    // another process is converting the file to WAL or recovering it after a crash: retry until the
    // busy timeout has passed since the first attempt (an attempt that waited it out ends the retries)
    Effect.flatMap(Clock.currentTimeMillis, (started) =>
      Effect.retry(connect, {
        while: (error) =>
          error.reason === "Busy" && Effect.map(Clock.currentTimeMillis, (now) => now - started < busyTimeout),
        schedule: Schedule.spaced(OPEN_RETRY_INTERVAL),
        times: Math.ceil(busyTimeout / OPEN_RETRY_INTERVAL)
      })),
    ({ connection }) => Effect.sync(() => connection.close())
  ).pipe(Effect.map(({ connection, schemaVersion }) =>
    SqliteDatabase.of({
      connection,
      filename: options.filename,
      schemaVersion,
      immediate: (doing, f) =>
        Effect.try({ try: () => immediateSync(connection, f), catch: (cause) => toEventStoreError(cause, doing) })
    })
  ))
}


/**
 * The database as a layer (see {@link open}).
 *
 * @since 0.1.0
 */
export const layer = (options: Options): Layer.Layer<SqliteDatabase, EventStoreError> =>
  Layer.effect(SqliteDatabase, open(options))
