/**
 * The in-memory event store: the reference implementation of the `EventStore` port.
 *
 * Everything happens synchronously inside one `Effect.sync`-like step, so an append is atomic
 * without locks (JavaScript runs one fiber step at a time). Stored events and their `data` are
 * frozen: a reader cannot corrupt the log by mutating what it got back.
 */
import { Cause, DateTime, Effect, Option, Stream } from "effect"
import type { Pull } from "effect"
import type { NewEvent, RecordedEvent } from "../Event.ts"
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  LogHead,
  ReadAllOptions,
  ReadStreamOptions
} from "../EventStore.ts"
import { ConcurrencyConflict, ExpectedVersion } from "../EventStore.ts"
import type { EventStoreError } from "../EventStore.ts"
import { appendRefusal, importRefusal, importedCommands } from "../EventStoreChecks.ts"
import { GENESIS_HASH, seal } from "../HashChain.ts"

const DEFAULT_BATCH_SIZE = 1000


/**
 * Builds one in-memory store. Each call is an independent, empty log.
 */
export const make = (): EventStore["Service"] => {
  const log: Array<RecordedEvent> = []
  const streams = new Map<string, Array<RecordedEvent>>()
  const commands = new Map<string, AppendResult>()
  let headHash = GENESIS_HASH
  // recordedAt never goes backwards along the log, so "as of time T" is always a prefix
  let lastMillis = Number.NEGATIVE_INFINITY
  let lastIso = ""
  let waiters = new Set<() => void>()

  const isoAt = (millis: number): string => {
    if (millis <= lastMillis) return lastIso
    lastMillis = millis
    lastIso = DateTime.formatIso(DateTime.makeUnsafe(millis))
    return lastIso
  }

  const notify = () => {
    if (waiters.size === 0) return
    const woken = waiters
    waiters = new Set()
    for (const wake of woken) wake()
  }

  const appendNow = (
    streamId: string,
    events: ReadonlyArray<NewEvent>,
    options: AppendOptions,
    millis: number
  ): Effect.Effect<AppendResult, ConcurrencyConflict | EventStoreError> => {
    // the events are checked (and frozen: readers get these very objects) before anything else
    const refused = appendRefusal(streamId, events, { freeze: true })
    if (refused !== undefined) return Effect.fail(refused)
    const commandId = options.commandId ?? events[0]?.metadata.commandId
    if (commandId !== undefined) {
      const first = commands.get(commandId)
      if (first !== undefined) return Effect.succeed({ ...first, alreadyAppended: true })
    }
    const stream = streams.get(streamId)
    const current = stream === undefined ? 0 : stream.length
    const expected = options.expectedVersion
    if (
      (expected._tag === "NoStream" && current !== 0) ||
      (expected._tag === "Exact" && expected.version !== current)
    ) {
      return Effect.fail(
        new ConcurrencyConflict({ streamId, expected: ExpectedVersion.describe(options.expectedVersion), actual: current })
      )
    }
    if (events.length === 0) {
      return Effect.succeed({
        streamId,
        nextExpectedVersion: current,
        firstPosition: log.length + 1,
        lastPosition: log.length,
        headHash,
        alreadyAppended: false
      })
    }
    const recordedAt = isoAt(millis)
    const firstPosition = log.length + 1
    const target = stream ?? []
    let previousHash = headHash
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!
      const recorded = Object.freeze(seal({
        streamId,
        streamVersion: current + i + 1,
        globalPosition: firstPosition + i,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        recordedAt,
        actor: event.metadata.actor,
        commandId: event.metadata.commandId,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        previousHash
      }))
      previousHash = recorded.hash
      log.push(recorded)
      target.push(recorded)
    }
    if (stream === undefined) streams.set(streamId, target)
    headHash = previousHash
    const result: AppendResult = {
      streamId,
      nextExpectedVersion: target.length,
      firstPosition,
      lastPosition: log.length,
      headHash,
      alreadyAppended: false
    }
    if (commandId !== undefined) commands.set(commandId, result)
    notify()
    return Effect.succeed(result)
  }

  const append: EventStore["Service"]["append"] = (streamId, events, options) =>
    Effect.clockWith((clock) => Effect.suspend(() => appendNow(streamId, events, options, clock.currentTimeMillisUnsafe())))

  const readStream = (streamId: string, options?: ReadStreamOptions) =>
    Effect.sync((): ReadonlyArray<RecordedEvent> => {
      const stream = streams.get(streamId)
      if (stream === undefined) return []
      const from = Math.max(1, options?.fromVersion ?? 1)
      const to = Math.min(stream.length, options?.toVersion ?? stream.length)
      if (from === 1 && to === stream.length) return stream.slice()
      return to < from ? [] : stream.slice(from - 1, to)
    })

  /** Waits until the log grows past `position` (returns at once if it already has). */
  const waitForMoreThan = (position: number) =>
    Effect.callback<void>((resume) => {
      if (log.length > position) return resume(Effect.void)
      const wake = () => resume(Effect.void)
      waiters.add(wake)
      return Effect.sync(() => {
        waiters.delete(wake)
      })
    })

  const batches = (options: ReadAllOptions | undefined, follow: boolean): Stream.Stream<RecordedEvent, EventStoreError> =>
    Stream.fromPull(Effect.sync(() => {
      let cursor = Math.max(0, options?.after ?? 0)
      const until = options?.until ?? Number.POSITIVE_INFINITY
      const batchSize = Math.max(1, options?.batchSize ?? DEFAULT_BATCH_SIZE)
      const pull: Pull.Pull<readonly [RecordedEvent, ...Array<RecordedEvent>], never, void> = Effect.suspend(() => {
        const end = Math.min(log.length, until, cursor + batchSize)
        if (end > cursor) {
          const batch = log.slice(cursor, end) as unknown as readonly [RecordedEvent, ...Array<RecordedEvent>]
          cursor = end
          return Effect.succeed(batch)
        }
        if (!follow || cursor >= until) return Cause.done()
        return Effect.flatMap(waitForMoreThan(cursor), () => pull)
      })
      return pull
    }))

  const importRecorded = (events: ReadonlyArray<RecordedEvent>) =>
    Effect.suspend((): Effect.Effect<LogHead, EventStoreError> => {
      const refused = importRefusal(
        events,
        { position: log.length, hash: headHash },
        (streamId) => streams.get(streamId)?.length ?? 0,
        { freeze: true }
      )
      if (refused !== undefined) return Effect.fail(refused)
      // everything checked: commit
      for (const event of events) {
        const recorded: RecordedEvent = Object.freeze({ ...event })
        log.push(recorded)
        const stream = streams.get(recorded.streamId)
        if (stream === undefined) streams.set(recorded.streamId, [recorded])
        else stream.push(recorded)
        const millis = Date.parse(recorded.recordedAt)
        if (millis > lastMillis) {
          lastMillis = millis
          lastIso = recorded.recordedAt
        }
      }
      for (const [commandId, outcome] of importedCommands(events)) {
        if (!commands.has(commandId)) commands.set(commandId, outcome)
      }
      if (events.length > 0) headHash = events[events.length - 1]!.hash
      notify()
      return Effect.succeed({ position: log.length, hash: headHash })
    })

  return {
    append,
    readStream,
    readAll: (options) => batches(options, false),
    subscribe: (options) => batches(options, true),
    findCommand: (commandId) => Effect.sync(() => Option.fromNullishOr(commands.get(commandId))),
    head: Effect.sync((): LogHead => ({ position: log.length, hash: headHash })),
    importRecorded
  }
}
