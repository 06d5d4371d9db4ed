/**
 * The notification outbox state (`NotificationOutbox.OutboxStore`) in the SQLite file of the event
 * log: table `kho_outbox`, beside the relay's checkpoint in `kho_checkpoints`, so a crash between
 * recording a notification and sending it loses nothing, and a restarted relay sends what is pending.
 *
 * Writes run under `BEGIN IMMEDIATE` (SQLite's write lock): `record` inserts a batch atomically, and
 * `transition` is one `UPDATE … WHERE id = ? AND status = ? AND attempts = ?`, a compare-and-set
 * even between processes sharing the file. `list` follows insertion order (`seq`), which a transition
 * keeps. Rows are decoded with the `Entry` schema on the way out; a row that does not decode fails
 * with `Corrupted`.
 *
 * ```ts
 * const relay = Layer.mergeAll(SqliteOutboxStore.layer, Notifier…).pipe(
 *   Layer.provideMerge(SqliteEventStore.layer({ filename: "var/kho.sqlite" }))
 * )
 * ```
 *
 * @since 0.1.0
 */
import { EventStoreError } from "@kho/core/EventStore"
import { Entry, OutboxStore } from "@kho/core/NotificationOutbox"
import type { Status } from "@kho/core/NotificationOutbox"
import { Effect, Layer, Option, Schema } from "effect"
import type { SQLInputValue } from "node:sqlite"
import { toEventStoreError } from "./internal/errors.ts"
import { SqliteDatabase } from "./SqliteDatabase.ts"

const COLUMNS = `id, channel, kind, dossier_id AS dossierId, dossier_number AS dossierNumber, owner_id AS ownerId, text,
  source_position AS sourcePosition, source_hash AS sourceHash, created_at AS createdAt, status, attempts,
  last_attempt_at AS lastAttemptAt, last_error AS lastError, sent_at AS sentAt, provider_reference AS providerReference`

const decodeEntries = Schema.decodeUnknownEffect(Schema.Array(Entry))

/** The values of every column but `id`, in the order of the INSERT and UPDATE statements below. */
const valuesOf = (entry: Entry): Array<SQLInputValue> => [
  entry.channel,
  entry.kind,
  entry.dossierId,
  entry.dossierNumber,
  entry.ownerId,
  entry.text,
  entry.sourcePosition,
  entry.sourceHash,
  entry.createdAt,
  entry.status,
  entry.attempts,
  entry.lastAttemptAt,
  entry.lastError,
  entry.sentAt,
  entry.providerReference
]

/** `list`'s limit as the memory layer reads it: none for NaN or +∞, at most `ceil(limit)` rows, ≥ 0. */
const limitOf = (limit: number | undefined): number =>
  limit === undefined || Number.isNaN(limit) || limit === Number.POSITIVE_INFINITY ? -1 : Math.max(0, Math.ceil(limit))

/**
 * Builds the outbox store over an open database (migrated to schema version 2 or later).
 *
 * @since 0.1.0
 */
export const make = (database: SqliteDatabase["Service"]): Effect.Effect<OutboxStore["Service"], EventStoreError> =>
  Effect.gen(function*() {
    const db = database.connection
    const statements = yield* Effect.try({
      try: () => ({
        insert: db.prepare(
          `INSERT INTO kho_outbox (id, channel, kind, dossier_id, dossier_number, owner_id, text, source_position, source_hash,
             created_at, status, attempts, last_attempt_at, last_error, sent_at, provider_reference)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`
        ),
        transition: db.prepare(
          `UPDATE kho_outbox SET channel = ?, kind = ?, dossier_id = ?, dossier_number = ?, owner_id = ?, text = ?,
             source_position = ?, source_hash = ?, created_at = ?, status = ?, attempts = ?, last_attempt_at = ?,
             last_error = ?, sent_at = ?, provider_reference = ?
           WHERE id = ? AND status = ? AND attempts = ?`
        ),
        get: db.prepare(`SELECT ${COLUMNS} FROM kho_outbox WHERE id = ?`),
        list: db.prepare(`SELECT ${COLUMNS} FROM kho_outbox ORDER BY seq LIMIT ?`),
        listByStatus: db.prepare(`SELECT ${COLUMNS} FROM kho_outbox WHERE status = ? ORDER BY seq LIMIT ?`)
      }),
      catch: (cause) => toEventStoreError(cause, `preparing the outbox statements of ${database.filename}`)
    })

    const read = (doing: string, f: () => Array<unknown>): Effect.Effect<ReadonlyArray<Entry>, EventStoreError> =>
      Effect.try({ try: f, catch: (cause) => toEventStoreError(cause, doing) }).pipe(
        Effect.flatMap((rows) =>
          decodeEntries(rows).pipe(
            Effect.mapError((error) =>
              new EventStoreError({
                reason: "Corrupted",
                message: `${doing}: a kho_outbox row is not a notification entry (${error.message}); restore the file from a backup`,
                retryable: false,
                cause: error
              })
            )
          )
        )
      )

    return OutboxStore.of({
      record: (entries) =>
        entries.length === 0 ? Effect.succeed([]) : database.immediate(`recording ${entries.length} notifications`, () => {
          const inserted: Array<Entry> = []
          for (const entry of entries) {
            const { changes } = statements.insert.run(entry.id, ...valuesOf(entry))
            if (Number(changes) === 1) inserted.push({ ...entry })
          }
          return inserted
        }),
      get: (id) =>
        Effect.map(
          read(`reading notification ${id}`, () => statements.get.all(id)),
          (rows) => Option.fromUndefinedOr(rows[0])
        ),
      transition: (expected, next) =>
        next.id !== expected.id
          ? Effect.succeed(false)
          : database.immediate(`moving notification ${expected.id} from ${expected.status}`, () => {
            const { changes } = statements.transition.run(...valuesOf(next), expected.id, expected.status, expected.attempts)
            return Number(changes) === 1
          }),
      list: (options) => {
        const limit = limitOf(options?.limit)
        if (limit === 0) return Effect.succeed([])
        const status: Status | undefined = options?.status
        return status === undefined
          ? read("listing notifications", () => statements.list.all(limit))
          : read(`listing ${status} notifications`, () => statements.listByStatus.all(status, limit))
      }
    })
  })

/**
 * The outbox store over the {@link SqliteDatabase} in the context — the one `SqliteEventStore.layer`
 * provides, so the outbox shares the event log's file.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<OutboxStore, EventStoreError, SqliteDatabase> = Layer.effect(
  OutboxStore,
  Effect.flatMap(Effect.service(SqliteDatabase), make)
)
