/**
 * The row an SQL event store keeps for each event — the envelope in thirteen columns, `data` and
 * `actor` as the canonical JSON the hash was computed over — and its decoder, shared by the SQLite
 * and PostgreSQL stores so both read their rows back identically.
 *
 * Adapters use this; applications do not need it.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Actor } from "./Actor.ts"
import type { RecordedEvent } from "./Event.ts"

/**
 * The columns, in the order {@link makeDecoder} reads a row's values.
 *
 * @since 0.1.0
 */
export const columns = [
  "global_position",
  "stream_id",
  "stream_version",
  "type",
  "schema_version",
  "data",
  "recorded_at",
  "actor",
  "command_id",
  "correlation_id",
  "causation_id",
  "previous_hash",
  "hash"
] as const

const decodeActor = Schema.decodeUnknownSync(Schema.fromJsonString(Actor))

/**
 * A decoder of rows the store wrote itself (values in {@link columns} order; `actor` as JSON text).
 * `data` is the column's value as the driver returns it: `parseData` turns it into the event's data
 * (SQLite returns text to `JSON.parse`; PostgreSQL's driver has already parsed a `json` column).
 * Actors repeat a lot, so each distinct actor text is decoded once (a bounded cache per decoder).
 *
 * @since 0.1.0
 */
export const makeDecoder = (parseData: (value: unknown) => unknown): (row: ReadonlyArray<unknown>) => RecordedEvent => {
  const actors = new Map<string, Actor>()
  const actorOf = (json: string): Actor => {
    let actor = actors.get(json)
    if (actor === undefined) {
      actor = decodeActor(json)
      if (actors.size > 10_000) actors.clear()
      actors.set(json, actor)
    }
    return actor
  }
  return (row) => ({
    globalPosition: Number(row[0]),
    streamId: String(row[1]),
    streamVersion: Number(row[2]),
    type: String(row[3]),
    schemaVersion: Number(row[4]),
    data: parseData(row[5]),
    recordedAt: String(row[6]),
    actor: actorOf(String(row[7])),
    commandId: String(row[8]),
    correlationId: String(row[9]),
    causationId: row[10] === null ? null : String(row[10]),
    previousHash: String(row[11]),
    hash: String(row[12])
  })
}
