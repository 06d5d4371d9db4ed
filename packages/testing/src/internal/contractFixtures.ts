/**
 * Events, logs and checks the event-store contract suite shares between its cases.
 */
import * as HashChain from "@kho/core/HashChain"
import type { Actor } from "@kho/core/Actor"
import type { NewEvent, RecordedEvent } from "@kho/core/Event"
import { assert } from "vitest"

/** The citizen of the seed dispatch (An Lão), acting on their own store. */
export const citizen: Actor = { _tag: "Citizen", personalId: "052090000495" }

let sequence = 0

/** A fresh id, unique within the test process (stores are fresh per case, so no clash across runs). */
export const freshId = (prefix: string): string => `${prefix}-${++sequence}-${Math.random().toString(36).slice(2, 10)}`

/** A `DocumentUploaded`-shaped event; `commandId` defaults to a fresh one. */
export const newEvent = (data: Record<string, unknown> = {}, overrides: Partial<NewEvent> = {}): NewEvent => ({
  type: "DocumentUploaded",
  schemaVersion: 1,
  data: {
    ownerId: "052090000495",
    category: "KQ.G15.000031",
    name: "052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính",
    size: 204_800,
    visible: true,
    shared: false,
    ...data
  },
  metadata: {
    actor: citizen,
    commandId: freshId("cmd"),
    correlationId: freshId("corr"),
    causationId: null
  },
  ...overrides
})

/** `n` events for one command (they share its command id, as a decider's output does). */
export const commandEvents = (n: number, commandId = freshId("cmd")): Array<NewEvent> =>
  Array.from({ length: n }, (_, i) => {
    const event = newEvent({ index: i })
    return { ...event, metadata: { ...event.metadata, commandId } }
  })

/**
 * Asserts the log is a valid chain: positions 1..n without gaps, each `previousHash` names the hash
 * before it (genesis first), every hash recomputes, and stream versions count up from 1 per stream.
 */
export const assertChain = (events: ReadonlyArray<RecordedEvent>, from: { position: number; hash: string } = {
  position: 0,
  hash: HashChain.GENESIS_HASH
}): void => {
  let previous = from.hash
  let position = from.position
  for (const event of events) {
    position++
    assert.strictEqual(event.globalPosition, position, `global position ${position} is missing or out of order`)
    assert.strictEqual(event.previousHash, previous, `event ${position} does not chain to the event before it`)
    const { hash, ...rest } = event
    assert.strictEqual(HashChain.computeHash(rest), hash, `event ${position}'s hash does not recompute`)
    previous = hash
  }
}

/** Asserts that each stream's versions count up 1, 2, 3… in global order. */
export const assertStreamVersions = (events: ReadonlyArray<RecordedEvent>): void => {
  const last = new Map<string, number>()
  for (const event of events) {
    const expected = (last.get(event.streamId) ?? 0) + 1
    assert.strictEqual(event.streamVersion, expected, `stream ${event.streamId} skips from ${expected - 1}`)
    last.set(event.streamId, expected)
  }
}

/**
 * A sealed log of `n` events over `streams` streams, built without any store: what an NDJSON export of
 * another store looks like. `start` continues an existing head.
 */
export const sealedLog = (
  n: number,
  options: {
    readonly start?: { position: number; hash: string }
    readonly streams?: ReadonlyArray<string>
    readonly versions?: Map<string, number>
  } = {}
): Array<RecordedEvent> => {
  const streams = options.streams ?? ["import-a", "import-b", "import-c"]
  const versions = options.versions ?? new Map<string, number>()
  let previousHash = options.start?.hash ?? HashChain.GENESIS_HASH
  let position = options.start?.position ?? 0
  const out: Array<RecordedEvent> = []
  for (let i = 0; i < n; i++) {
    const streamId = streams[i % streams.length]!
    const streamVersion = (versions.get(streamId) ?? 0) + 1
    versions.set(streamId, streamVersion)
    position++
    const event = newEvent({ imported: i })
    const sealed = HashChain.seal({
      streamId,
      streamVersion,
      globalPosition: position,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      recordedAt: new Date(Date.UTC(2024, 2, 20, 8, 15, 0, i)).toISOString(),
      actor: event.metadata.actor,
      commandId: event.metadata.commandId,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId,
      previousHash
    })
    previousHash = sealed.hash
    out.push(sealed)
  }
  return out
}

/** Re-seals an event after a field changed, so only the changed rule (not the hash) is violated. */
export const reseal = (event: RecordedEvent, change: Partial<Omit<RecordedEvent, "hash">>): RecordedEvent => {
  const { hash: _hash, ...rest } = event
  return HashChain.seal({ ...rest, ...change })
}

/** Re-seals every event so each names the (possibly changed) hash before it. */
export const rechain = (log: ReadonlyArray<RecordedEvent>): Array<RecordedEvent> => {
  const out: Array<RecordedEvent> = []
  for (const event of log) {
    const previous = out[out.length - 1]
    out.push(previous === undefined ? event : reseal(event, { previousHash: previous.hash }))
  }
  return out
}
