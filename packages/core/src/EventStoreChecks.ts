/**
 * The checks every `EventStore` adapter makes before it writes, shared so that the in-memory, SQLite
 * and PostgreSQL stores refuse exactly the same appends and imports with the same messages
 * (docs/adr/0016): what an append may contain, and whether an imported batch continues the log.
 *
 * Adapters call these; applications do not need them (the store already does).
 *
 * @since 0.1.0
 */
import type { NewEvent, RecordedEvent } from "./Event.ts"
import type { AppendResult, LogHead } from "./EventStore.ts"
import { EventStoreError } from "./EventStore.ts"
import { computeHash } from "./HashChain.ts"

/**
 * Options of {@link plainJsonProblem} and {@link appendRefusal}.
 *
 * @since 0.1.0
 */
export interface CheckOptions {
  /**
   * Deep-freeze every object and array walked (the in-memory store hands out the very objects it
   * stores, so it freezes them; adapters that serialise need not).
   */
  readonly freeze?: boolean
}

/**
 * Why `value` is not plain JSON (what `JSON.parse` could return), naming the first offending path
 * (`data.items[2].at is a Date…`), or `undefined` when it is.
 *
 * Why stores refuse non-JSON: the hash covers the canonical JSON of `data` and `actor`; a `Date`, a
 * class instance or `NaN` would be hashed one way in memory and stored (and re-read) another,
 * breaking the chain. `undefined` object members are allowed (JSON drops them).
 *
 * @since 0.1.0
 */
export const plainJsonProblem = (value: unknown, path: string, options?: CheckOptions): string | undefined =>
  walk(value, path, options?.freeze === true)

const walk = (value: unknown, path: string, freeze: boolean): string | undefined => {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot represent`
    case "object": {
      if (value === null) return undefined
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = walk(value[i], `${path}[${i}]`, freeze)
          if (problem !== undefined) return problem
        }
        if (freeze) Object.freeze(value)
        return undefined
      }
      const proto: unknown = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) {
        const name = (proto as { constructor?: { name?: unknown } } | undefined)?.constructor?.name
        return `${path} is a ${typeof name === "string" && name.length > 0 ? name : "non-plain object"}, ` +
          "not plain JSON: encode it through its Schema first"
      }
      for (const key in value) {
        const v = (value as Record<string, unknown>)[key]
        if (v === undefined) continue
        const problem = walk(v, `${path}.${key}`, freeze)
        if (problem !== undefined) return problem
      }
      if (freeze) Object.freeze(value)
      return undefined
    }
    default:
      return `${path} is ${value === undefined ? "undefined" : `a ${typeof value}`}, which JSON cannot represent`
  }
}

const invalid = (message: string) => new EventStoreError({ reason: "InvalidArgument", message, retryable: false })

/**
 * The error an append must fail with before anything is written — an empty stream id or type, a
 * schema version that is not an integer ≥ 1, or `data`/`actor` that are not plain JSON — or
 * `undefined` when every event is acceptable. Checks only the events themselves: versions, command
 * ids and positions are the store's business.
 *
 * @since 0.1.0
 */
export const appendRefusal = (
  streamId: string,
  events: ReadonlyArray<NewEvent>,
  options?: CheckOptions
): EventStoreError | undefined => {
  if (typeof streamId !== "string" || streamId.length === 0) return invalid("cannot append to an empty stream id")
  const freeze = options?.freeze === true
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!
    if (typeof event.type !== "string" || event.type.length === 0) {
      return invalid(`event ${i} appended to ${streamId} has an empty type`)
    }
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      return invalid(
        `event ${i} (${event.type}) appended to ${streamId} has schema version ${event.schemaVersion}; versions start at 1`
      )
    }
    const problem = walk(event.data, "data", freeze) ?? walk(event.metadata.actor, "actor", freeze)
    if (problem !== undefined) return invalid(`event ${i} (${event.type}) appended to ${streamId}: ${problem}`)
  }
  return undefined
}

/**
 * The error `importRecorded` must fail with, writing nothing, or `undefined` when `events` continue
 * the log exactly: positions run on from `head` without gaps, each event names the hash before it,
 * each stream's versions run on from `streamVersion(streamId)` (the stream's current last version,
 * asked once per stream), `data`/`actor` are plain JSON, and every hash recomputes. The message
 * names the first offending event by its global position. Always `InvalidArgument`, an altered
 * event included: the input is refused, the store itself is sound (`Corrupted` would tell callers
 * such as `kho log import` that the store is damaged).
 *
 * @since 0.1.0
 */
export const importRefusal = (
  events: ReadonlyArray<RecordedEvent>,
  head: LogHead,
  streamVersion: (streamId: string) => number,
  options?: CheckOptions
): EventStoreError | undefined => {
  const freeze = options?.freeze === true
  const next = new Map<string, number>()
  let position = head.position + 1
  let previousHash = head.hash
  for (const event of events) {
    const at = `import refused, nothing written: the event at global position ${event.globalPosition} ` +
      `(${event.type} in ${event.streamId})`
    if (event.globalPosition !== position) {
      return invalid(`${at}: expected global position ${position}; a batch must continue the log without gaps`)
    }
    if (event.previousHash !== previousHash) {
      return invalid(`${at}: its previous hash ${event.previousHash} is not the hash of the event before it (${previousHash})`)
    }
    const version = next.get(event.streamId) ?? streamVersion(event.streamId) + 1
    if (event.streamVersion !== version) {
      return invalid(`${at}: its stream version is ${event.streamVersion}, expected ${version}`)
    }
    const problem = walk(event.data, "data", freeze) ?? walk(event.actor, "actor", freeze)
    if (problem !== undefined) return invalid(`${at}: ${problem}`)
    const computed = computeHash(event)
    if (computed !== event.hash) {
      return invalid(
        `${at}: its hash ${event.hash} does not recompute (computed ${computed}): the event was changed after it was sealed`
      )
    }
    next.set(event.streamId, version + 1)
    previousHash = event.hash
    position++
  }
  return undefined
}

/**
 * What `findCommand` must answer for each command id of an imported batch: the first stream the
 * command appended to, from its first to its last event there. Stores keep an outcome they already
 * have (an id recorded before the import wins).
 *
 * @since 0.1.0
 */
export const importedCommands = (events: ReadonlyArray<RecordedEvent>): Map<string, AppendResult> => {
  const out = new Map<string, {
    streamId: string
    firstPosition: number
    lastPosition: number
    nextExpectedVersion: number
    headHash: string
    alreadyAppended: false
  }>()
  for (const event of events) {
    const seen = out.get(event.commandId)
    if (seen === undefined) {
      out.set(event.commandId, {
        streamId: event.streamId,
        firstPosition: event.globalPosition,
        lastPosition: event.globalPosition,
        nextExpectedVersion: event.streamVersion,
        headHash: event.hash,
        alreadyAppended: false
      })
    } else if (seen.streamId === event.streamId) {
      seen.lastPosition = event.globalPosition
      seen.nextExpectedVersion = event.streamVersion
      seen.headHash = event.hash
    }
  }
  return out
}
