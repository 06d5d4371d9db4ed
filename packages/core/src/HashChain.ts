/**
 * The hash chain over the whole log: each event's hash covers its own fields and the previous
 * event's hash, so changing, removing or reordering any event breaks every hash after it.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import type { RecordedEvent } from "./Event.ts"
import { canonicalJson } from "./internal/canonicalJson.ts"

/**
 * The `previousHash` of the first event in a log: 64 zeros.
 *
 * @since 0.1.0
 */
export const GENESIS_HASH = "0".repeat(64)

/**
 * The canonical bytes an event's hash is computed over: a JSON array of every envelope field except
 * `hash`, in a fixed order, with `data` and `actor` in canonical JSON. Stores and auditors must use
 * exactly this encoding; it is part of the log format (`docs/events.md`).
 *
 * @since 0.1.0
 */
export const canonicalEncoding = (event: Omit<RecordedEvent, "hash">): string =>
  "[" +
  [
    String(event.globalPosition),
    JSON.stringify(event.streamId),
    String(event.streamVersion),
    JSON.stringify(event.type),
    String(event.schemaVersion),
    canonicalJson(event.data),
    JSON.stringify(event.recordedAt),
    canonicalJson(event.actor),
    JSON.stringify(event.commandId),
    JSON.stringify(event.correlationId),
    event.causationId === null ? "null" : JSON.stringify(event.causationId),
    JSON.stringify(event.previousHash)
  ].join(",") + "]"

/**
 * SHA-256 (lower-case hex) of an event's canonical encoding.
 *
 * @since 0.1.0
 */
export const computeHash = (event: Omit<RecordedEvent, "hash">): string =>
  createHash("sha256").update(canonicalEncoding(event), "utf8").digest("hex")

/**
 * Seals an event: computes its hash from its fields and the previous hash it names.
 * Every store adapter calls this when it assigns positions, so all stores chain identically.
 *
 * @since 0.1.0
 */
export const seal = (event: Omit<RecordedEvent, "hash">): RecordedEvent => ({ ...event, hash: computeHash(event) })
