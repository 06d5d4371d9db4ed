/**
 * The hash chain over the whole log: each event's hash covers its own fields and the previous
 * event's hash, so changing, removing or reordering any event breaks every hash after it.
 *
 * @since 0.1.0
 */
import { hash } from "node:crypto"
import { Channel, Effect, Schema } from "effect"
import type { Stream } from "effect"
import type { RecordedEvent } from "./Event.ts"
import { UNSUPPORTED, canonicalJson, sortedCopy } from "./internal/canonicalJson.ts"

/**
 * The `previousHash` of the first event in a log: 64 zeros.
 *
 * @since 0.1.0
 */
export const GENESIS_HASH = "0".repeat(64)

/**
 * The canonical bytes an event's hash is computed over: a JSON array of every envelope field except
 * `hash`, in a fixed order, with `data` and `actor` in canonical JSON. Stores and auditors must use
 * exactly this encoding; it is part of the log format (ADR 0010).
 *
 * @since 0.1.0
 */
export const canonicalEncoding = (event: Omit<RecordedEvent, "hash">): string => {
  const data = sortedCopy(event.data)
  const actor = sortedCopy(event.actor)
  if (data !== UNSUPPORTED && actor !== UNSUPPORTED && nativeEncodable(event)) {
    // one native JSON.stringify over the whole array: the same bytes as the concatenation below
    // (finite numbers and strings are written identically in both), at about half the cost
    return JSON.stringify([
      event.globalPosition,
      event.streamId,
      event.streamVersion,
      event.type,
      event.schemaVersion,
      // canonical JSON writes an undefined `data`/`actor` as null, as JSON.stringify does in arrays
      data,
      event.recordedAt,
      actor,
      event.commandId,
      event.correlationId,
      event.causationId,
      event.previousHash
    ])
  }
  return fieldByField(event, canonicalJson(event.data), canonicalJson(event.actor))
}

/** The encoding written field by field, around `data` and `actor` already in canonical JSON. */
const fieldByField = (event: Omit<RecordedEvent, "hash">, data: string, actor: string): string =>
  "[" +
  String(event.globalPosition) + "," +
  JSON.stringify(event.streamId) + "," +
  String(event.streamVersion) + "," +
  JSON.stringify(event.type) + "," +
  String(event.schemaVersion) + "," +
  data + "," +
  JSON.stringify(event.recordedAt) + "," +
  actor + "," +
  JSON.stringify(event.commandId) + "," +
  JSON.stringify(event.correlationId) + "," +
  (event.causationId === null ? "null" : JSON.stringify(event.causationId)) + "," +
  JSON.stringify(event.previousHash) +
  "]"

/**
 * Whether the envelope's scalar fields are what their types say: then `JSON.stringify` writes each
 * exactly as the field-by-field encoding does (`String(n)` equals JSON for finite numbers only).
 * Values that break the types (possible from untyped callers) take the field-by-field path.
 */
const nativeEncodable = (event: Omit<RecordedEvent, "hash">): boolean =>
  Number.isFinite(event.globalPosition) && Number.isFinite(event.streamVersion) &&
  Number.isFinite(event.schemaVersion) && typeof event.streamId === "string" && typeof event.type === "string" &&
  typeof event.recordedAt === "string" && typeof event.commandId === "string" &&
  typeof event.correlationId === "string" && typeof event.previousHash === "string" &&
  (event.causationId === null || typeof event.causationId === "string")

/**
 * SHA-256 (lower-case hex) of an event's canonical encoding.
 *
 * @since 0.1.0
 */
export const computeHash = (event: Omit<RecordedEvent, "hash">): string =>
  // one-shot `crypto.hash` is several times faster than `createHash(...).update(...).digest(...)`
  // for inputs this small, and gives the same digest
  hash("sha256", canonicalEncoding(event), "hex")

/**
 * Seals an event: computes its hash from its fields and the previous hash it names.
 * Every store adapter calls this when it assigns positions, so all stores chain identically.
 *
 * @since 0.1.0
 */
export const seal = (event: Omit<RecordedEvent, "hash">): RecordedEvent => ({ ...event, hash: computeHash(event) })

/**
 * An event's hash together with the canonical JSON of its `data` and `actor`, from
 * {@link sealForStorage}.
 *
 * @since 0.1.0
 */
export interface StorageSeal {
  readonly hash: string
  /** `data` in canonical JSON (keys sorted): equal as JSON to `data`, whatever its key order. */
  readonly data: string
  /** `actor` in canonical JSON. */
  readonly actor: string
}

/**
 * Computes an event's hash and hands back the JSON texts of `data` and `actor` it encoded on the
 * way, for stores that write those as text: they need no second `JSON.stringify` per event (about
 * a quarter of what sealing costs). The texts are canonical, so a row's `data` may list its keys in
 * another order than the object appended; the hash is the same either way ({@link computeHash}).
 *
 * @since 0.1.0
 */
export const sealForStorage = (event: Omit<RecordedEvent, "hash">): StorageSeal => {
  const data = canonicalJson(event.data)
  const actor = canonicalJson(event.actor)
  const encoding = nativeEncodable(event)
    ? // the fields before `data`, then after `actor`, each run through one JSON.stringify
      JSON.stringify([event.globalPosition, event.streamId, event.streamVersion, event.type, event.schemaVersion])
        .slice(0, -1) + "," + data + "," + JSON.stringify(event.recordedAt) + "," + actor + "," +
      JSON.stringify([event.commandId, event.correlationId, event.causationId, event.previousHash]).slice(1)
    : fieldByField(event, data, actor)
  return { hash: hash("sha256", encoding, "hex"), data, actor }
}

/**
 * Why a chain is broken, in an auditor's words:
 *
 * - `Changed`: the event's hash does not match its contents (a field was edited after sealing);
 * - `Removed`: a global position is missing and never shows up later in the file;
 * - `Reordered`: a position shows up out of order, or the event does not name the previous
 *   event's hash (events were moved, or the previous event was edited and re-sealed);
 * - `StreamVersionOutOfSequence`: a stream's versions do not run 1, 2, 3… in log order.
 *
 * @since 0.1.0
 */
export const BreakReason = Schema.Literals(["Changed", "Removed", "Reordered", "StreamVersionOutOfSequence"])

/**
 * @since 0.1.0
 */
export type BreakReason = typeof BreakReason.Type

/**
 * The whole chain verified: `count` events, ending at `headPosition` with `headHash` (compare these
 * with the head a KPI report names to prove the report came from this log).
 *
 * @since 0.1.0
 */
export const ChainIntact = Schema.TaggedStruct("ChainIntact", {
  count: Schema.Number,
  headPosition: Schema.Number,
  headHash: Schema.String
})

/**
 * The FIRST place the chain breaks. `position` is the global position where the log stops being
 * the one that was sealed; everything before it (`verified` events, up to `lastGoodHash`) is intact.
 *
 * @since 0.1.0
 */
export const ChainBroken = Schema.TaggedStruct("ChainBroken", {
  position: Schema.Number,
  reason: BreakReason,
  message: Schema.String,
  verified: Schema.Number,
  lastGoodHash: Schema.String
})

/**
 * The outcome of {@link verifyChain}; a Schema so the CLI can print it as JSON.
 *
 * @since 0.1.0
 */
export const ChainVerification = Schema.Union([ChainIntact, ChainBroken])

/**
 * @since 0.1.0
 */
export type ChainVerification = typeof ChainVerification.Type

/**
 * Verifies a whole log, in global order, from position 1 and the genesis hash, without holding it
 * in memory (only one counter per stream is kept): every hash recomputes, positions run 1, 2, 3…,
 * every event names its predecessor's hash, and every stream's versions are gap-free.
 *
 * Stops at the first break, except after a position gap, where it reads on (checking positions
 * only) to tell a removed event from a reordered one.
 *
 * @since 0.1.0
 */
export const verifyChain = <E, R>(
  events: Stream.Stream<RecordedEvent, E, R>
): Effect.Effect<ChainVerification, E, R> =>
  Effect.suspend(() => {
    let expected = 1
    let previousHash = GENESIS_HASH
    const versions = new Map<string, number>()
    let gap: { readonly from: number; readonly to: number } | undefined
    let broken: ChainVerification | undefined

    const breakAt = (position: number, reason: BreakReason, message: string): false => {
      broken = {
        _tag: "ChainBroken",
        position,
        reason,
        message,
        verified: expected - 1,
        lastGoodHash: previousHash
      }
      return false
    }

    // returns false to stop reading
    const check = (event: RecordedEvent): boolean => {
      if (gap !== undefined) {
        return event.globalPosition >= gap.from && event.globalPosition < gap.to
          ? breakAt(
            gap.from,
            "Reordered",
            `event ${gap.from} appears after event ${gap.to}: the log was reordered at position ${gap.from}`
          )
          : true
      }
      if (event.globalPosition !== expected) {
        if (event.globalPosition > expected) {
          gap = { from: expected, to: event.globalPosition }
          return true
        }
        return breakAt(
          expected,
          "Reordered",
          `expected position ${expected} after ${expected - 1}, found position ${event.globalPosition} again: ` +
            `the log was reordered or an event duplicated`
        )
      }
      if (computeHash(event) !== event.hash) {
        return breakAt(
          expected,
          "Changed",
          `event ${expected} (${event.type} in ${event.streamId}) does not match its hash: it was changed after it was sealed`
        )
      }
      if (event.previousHash !== previousHash) {
        return breakAt(
          expected,
          "Reordered",
          `event ${expected} does not name the hash of event ${expected - 1} as its previous hash: ` +
            `events were reordered, or event ${expected - 1} was changed and re-sealed`
        )
      }
      const version = (versions.get(event.streamId) ?? 0) + 1
      if (event.streamVersion !== version) {
        return breakAt(
          expected,
          "StreamVersionOutOfSequence",
          `event ${expected} has version ${event.streamVersion} in stream ${event.streamId}, expected ${version}`
        )
      }
      versions.set(event.streamId, version)
      previousHash = event.hash
      expected++
      return true
    }

    return Channel.runForEachWhile(events.channel, (batch) => {
      for (let i = 0; i < batch.length; i++) {
        if (!check(batch[i]!)) return Effect.succeed(false)
      }
      return Effect.succeed(true)
    }).pipe(
      Effect.map((): ChainVerification => {
        if (broken === undefined && gap !== undefined) {
          const missing = gap.to - gap.from === 1 ? `event ${gap.from} is` : `events ${gap.from}–${gap.to - 1} are`
          breakAt(gap.from, "Removed", `${missing} missing from the log: removed`)
        }
        if (broken !== undefined) return broken
        return { _tag: "ChainIntact", count: expected - 1, headPosition: expected - 1, headHash: previousHash }
      })
    )
  })
