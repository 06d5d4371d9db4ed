/**
 * The continuity rules of `EventStore.importRecorded`, as a pure check: the batch must continue the
 * log exactly. Returns why the first offending event is refused, or undefined when the batch is sound.
 */
import * as HashChain from "@kho/core/HashChain"
import type { RecordedEvent } from "@kho/core/Event"
import type { LogHead } from "@kho/core/EventStore"

export const checkContinuation = (
  events: ReadonlyArray<RecordedEvent>,
  head: LogHead,
  streamVersions: Map<string, number>
): string | undefined => {
  let position = head.position
  let previous = head.hash
  for (const event of events) {
    const at = `event at global position ${event.globalPosition} (stream ${event.streamId} version ${event.streamVersion})`
    if (event.globalPosition !== position + 1) {
      return `${at}: expected global position ${position + 1}; the batch must continue the log head without gaps`
    }
    if (event.previousHash !== previous) {
      return `${at}: previousHash ${event.previousHash} does not name the hash before it (${previous})`
    }
    const { hash, ...rest } = event
    const computed = HashChain.computeHash(rest)
    if (computed !== hash) return `${at}: hash ${hash} does not recompute (computed ${computed}); the event was altered`
    const expectedVersion = (streamVersions.get(event.streamId) ?? 0) + 1
    if (event.streamVersion !== expectedVersion) {
      return `${at}: expected stream version ${expectedVersion}`
    }
    streamVersions.set(event.streamId, expectedVersion)
    position = event.globalPosition
    previous = hash
  }
  return undefined
}

/** The outcome of each command id in an imported batch (what `findCommand` answers afterwards). */
export const commandsOf = (events: ReadonlyArray<RecordedEvent>): Map<string, {
  streamId: string
  firstPosition: number
  lastPosition: number
  nextExpectedVersion: number
  headHash: string
}> => {
  const out = new Map<string, { streamId: string; firstPosition: number; lastPosition: number; nextExpectedVersion: number; headHash: string }>()
  for (const event of events) {
    const seen = out.get(event.commandId)
    if (seen === undefined) {
      out.set(event.commandId, {
        streamId: event.streamId,
        firstPosition: event.globalPosition,
        lastPosition: event.globalPosition,
        nextExpectedVersion: event.streamVersion,
        headHash: event.hash
      })
    } else if (seen.streamId === event.streamId) {
      seen.lastPosition = event.globalPosition
      seen.nextExpectedVersion = event.streamVersion
      seen.headHash = event.hash
    }
  }
  return out
}
