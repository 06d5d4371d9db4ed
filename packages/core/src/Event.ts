/**
 * The event envelope: what the log stores for every event, and what deciders hand to the store.
 *
 * Events are the source of truth. The envelope carries everything an auditor needs to attribute,
 * order and chain an event; the payload (`data`) is the JSON encoding of a domain event schema.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Actor } from "./Actor.ts"

/**
 * Why and on whose behalf an event was written.
 *
 * - `commandId` makes command handling idempotent: one command id appends once.
 * - `correlationId` groups everything one user interaction caused; `causationId` names the
 *   command or event that directly caused this one.
 *
 * @since 0.1.0
 */
export const EventMetadata = Schema.Struct({
  actor: Actor,
  commandId: Schema.String,
  correlationId: Schema.String,
  causationId: Schema.NullOr(Schema.String)
})

/**
 * @since 0.1.0
 */
export type EventMetadata = typeof EventMetadata.Type

/**
 * An event ready to be appended: the store assigns positions, time and hashes.
 *
 * `data` must already be the JSON encoding (through Schema) of the domain event.
 *
 * @since 0.1.0
 */
export interface NewEvent {
  readonly type: string
  readonly schemaVersion: number
  readonly data: unknown
  readonly metadata: EventMetadata
}

/**
 * An event as recorded in the log.
 *
 * - `streamVersion` starts at 1 in each stream; `globalPosition` starts at 1 in the log and has no gaps.
 * - `recordedAt` is an ISO-8601 UTC instant with milliseconds (`2024-03-20T08:15:00.000Z`).
 * - `previousHash` is the `hash` of the event at `globalPosition - 1` (the genesis hash for the first);
 *   `hash` is SHA-256 over the canonical encoding of every other field (see `HashChain`).
 *
 * @since 0.1.0
 */
export interface RecordedEvent {
  readonly streamId: string
  readonly streamVersion: number
  readonly globalPosition: number
  readonly type: string
  readonly schemaVersion: number
  readonly data: unknown
  readonly recordedAt: string
  readonly actor: Actor
  readonly commandId: string
  readonly correlationId: string
  readonly causationId: string | null
  readonly previousHash: string
  readonly hash: string
}

const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
const Sha256Hex = Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/))

/**
 * Schema of a recorded event, used wherever events arrive from outside the process
 * (NDJSON import, database rows): never trust a cast.
 *
 * @since 0.1.0
 */
export const RecordedEventSchema = Schema.Struct({
  streamId: Schema.NonEmptyString,
  streamVersion: PositiveInt,
  globalPosition: PositiveInt,
  type: Schema.NonEmptyString,
  schemaVersion: PositiveInt,
  data: Schema.Unknown,
  recordedAt: Schema.String.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)),
  actor: Actor,
  commandId: Schema.NonEmptyString,
  correlationId: Schema.NonEmptyString,
  causationId: Schema.NullOr(Schema.String),
  previousHash: Sha256Hex,
  hash: Sha256Hex
})
