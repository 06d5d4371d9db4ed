/**
 * The notification outbox state (`NotificationOutbox.OutboxStore`) in PostgreSQL: table `kho_outbox`
 * in the schema of the event log and the relay's checkpoint, reached through the package's pool, so
 * a crash between recording a notification and sending it loses nothing.
 *
 * `record` is one `INSERT … ON CONFLICT (id) DO NOTHING RETURNING` (atomic; of concurrent records of
 * an id exactly one inserts it); `transition` is one `UPDATE … WHERE id = $ AND status = $ AND
 * attempts = $`, a compare-and-set between connections and processes. Neither write is retried on a
 * lost connection — a retry after an unseen commit would answer "not inserted" / "not moved" — so
 * the caller sees the error and the relay's sweep picks the entry up again. Reads are retried.
 * `list` follows insertion order (`seq`), which a transition keeps. Rows are decoded with the
 * `Entry` schema; one that does not decode fails with `Corrupted`.
 *
 * Run one relay per outbox (`PgProjectionWorker`'s ownership lock guards the recording projection).
 *
 * @since 0.1.0
 */
import { EventStoreError } from "@kho/core/EventStore"
import { Entry, OutboxStore } from "@kho/core/NotificationOutbox"
import { Effect, Layer, Option, Schema } from "effect"
import { clientQuery, PgDatabase } from "./PgDatabase.ts"
import type { Row } from "./PgDatabase.ts"

const COLUMNS = `id, channel, kind, dossier_id AS "dossierId", dossier_number AS "dossierNumber", owner_id AS "ownerId", text,
  source_position::float8 AS "sourcePosition", source_hash AS "sourceHash", created_at AS "createdAt", status, attempts,
  last_attempt_at AS "lastAttemptAt", last_error AS "lastError", sent_at AS "sentAt", provider_reference AS "providerReference"`

const INSERT = `
  INSERT INTO kho_outbox (id, channel, kind, dossier_id, dossier_number, owner_id, text, source_position, source_hash,
                          created_at, status, attempts, last_attempt_at, last_error, sent_at, provider_reference)
  SELECT id, channel, kind, "dossierId", "dossierNumber", "ownerId", text, "sourcePosition", "sourceHash",
         "createdAt", status, attempts, "lastAttemptAt", "lastError", "sentAt", "providerReference"
  FROM json_to_recordset($1::json) AS x(
    i integer, id text, channel text, kind text, "dossierId" text, "dossierNumber" text, "ownerId" text, text text,
    "sourcePosition" bigint, "sourceHash" text, "createdAt" text, status text, attempts integer,
    "lastAttemptAt" text, "lastError" text, "sentAt" text, "providerReference" text)
  ORDER BY i
  ON CONFLICT (id) DO NOTHING
  RETURNING seq::float8 AS seq, id`

const TRANSITION = `
  UPDATE kho_outbox SET channel = $4, kind = $5, dossier_id = $6, dossier_number = $7, owner_id = $8, text = $9,
    source_position = $10, source_hash = $11, created_at = $12, status = $13, attempts = $14, last_attempt_at = $15,
    last_error = $16, sent_at = $17, provider_reference = $18
  WHERE id = $1 AND status = $2 AND attempts = $3
  RETURNING id`

const decodeEntries = Schema.decodeUnknownEffect(Schema.Array(Entry))
const decodeInserted = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ seq: Schema.Number, id: Schema.String })))

const corrupted = (doing: string) => (error: Schema.SchemaError) =>
  new EventStoreError({
    reason: "Corrupted",
    message: `${doing}: a kho_outbox row is not a notification entry (${error.message}); restore the schema from a backup`,
    retryable: false,
    cause: error
  })

/** `list`'s limit as the memory layer reads it: none for NaN or +∞, at most `ceil(limit)` rows, ≥ 0. */
const limitOf = (limit: number | undefined): number | null =>
  limit === undefined || Number.isNaN(limit) || limit === Number.POSITIVE_INFINITY ? null : Math.max(0, Math.ceil(limit))

/**
 * Builds the outbox store over an open database (migrated to schema version 3 or later).
 *
 * @since 0.1.0
 */
export const make = (database: PgDatabase["Service"]): OutboxStore["Service"] => {
  const write = (doing: string, text: string, values: ReadonlyArray<unknown>) => clientQuery(database.pool, doing)(text, values)

  const read = (doing: string, text: string, values: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<Entry>, EventStoreError> =>
    Effect.flatMap(database.query(doing, text, values), (rows) => Effect.mapError(decodeEntries(rows), corrupted(doing)))

  const record = (entries: ReadonlyArray<Entry>): Effect.Effect<ReadonlyArray<Entry>, EventStoreError> => {
    // the first of a batch's duplicates wins, as in the memory layer
    const unique = new Map<string, Entry>()
    for (const entry of entries) if (!unique.has(entry.id)) unique.set(entry.id, entry)
    if (unique.size === 0) return Effect.succeed([])
    const doing = `recording ${unique.size} notifications`
    const json = JSON.stringify([...unique.values()].map((entry, i) => ({ ...entry, i })))
    return write(doing, INSERT, [json]).pipe(
      Effect.flatMap((rows: ReadonlyArray<Row>) => Effect.mapError(decodeInserted(rows), corrupted(doing))),
      Effect.map((inserted) =>
        [...inserted].sort((a, b) => a.seq - b.seq).flatMap(({ id }) => {
          const entry = unique.get(id)
          return entry === undefined ? [] : [{ ...entry }]
        })
      )
    )
  }

  return OutboxStore.of({
    record,
    get: (id) =>
      Effect.map(
        read(`reading notification ${id}`, `SELECT ${COLUMNS} FROM kho_outbox WHERE id = $1`, [id]),
        (rows) => Option.fromUndefinedOr(rows[0])
      ),
    transition: (expected, next) =>
      next.id !== expected.id ? Effect.succeed(false) : Effect.map(
        write(`moving notification ${expected.id} from ${expected.status}`, TRANSITION, [
          expected.id,
          expected.status,
          expected.attempts,
          next.channel,
          next.kind,
          next.dossierId,
          next.dossierNumber,
          next.ownerId,
          next.text,
          next.sourcePosition,
          next.sourceHash,
          next.createdAt,
          next.status,
          next.attempts,
          next.lastAttemptAt,
          next.lastError,
          next.sentAt,
          next.providerReference
        ]),
        (rows) => rows.length === 1
      ),
    list: (options) => {
      const limit = limitOf(options?.limit)
      if (limit === 0) return Effect.succeed([])
      const status = options?.status
      return status === undefined
        ? read("listing notifications", `SELECT ${COLUMNS} FROM kho_outbox ORDER BY seq LIMIT $1`, [limit])
        : read(`listing ${status} notifications`, `SELECT ${COLUMNS} FROM kho_outbox WHERE status = $1 ORDER BY seq LIMIT $2`, [
          status,
          limit
        ])
    }
  })
}

/**
 * The outbox store over the {@link PgDatabase} in the context — the one `PgEventStore.layer`
 * provides, so the outbox shares the event log's schema and pool.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<OutboxStore, never, PgDatabase> = Layer.effect(
  OutboxStore,
  Effect.map(Effect.service(PgDatabase), make)
)
