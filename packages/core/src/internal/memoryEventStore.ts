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
import { ConcurrencyConflict, EventStoreError } from "../EventStore.ts"
import { GENESIS_HASH, computeHash, seal } from "../HashChain.ts"

const DEFAULT_BATCH_SIZE = 1000

const invalid = (message: string) =>
  new EventStoreError({ reason: "InvalidArgument", message, retryable: false })

/**
 * Checks that `value` is plain JSON (what `JSON.parse` could return) and deep-freezes it.
 * Returns a description of the first offending path, or undefined when the value is fine.
 *
 * Why: the hash covers the canonical JSON of `data`; a `Date` or class instance would hash one way
 * in memory and another way after an NDJSON round trip, so it is refused at the door.
 */
const freezeJson = (value: unknown, path: string): string | undefined => {
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
          const error = freezeJson(value[i], `${path}[${i}]`)
          if (error !== undefined) return error
        }
        Object.freeze(value)
        return undefined
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) {
        return `${path} is a ${proto?.constructor?.name ?? "non-plain object"}, not plain JSON: encode it through its Schema first`
      }
      for (const key in value) {
        const v = (value as Record<string, unknown>)[key]
        if (v === undefined) continue
        const error = freezeJson(v, `${path}.${key}`)
        if (error !== undefined) return error
      }
      Object.freeze(value)
      return undefined
    }
    default:
      return `${path} is ${value === undefined ? "undefined" : `a ${typeof value}`}, which JSON cannot represent`
  }
}

const describeExpected = (options: AppendOptions): string =>
  options.expectedVersion._tag === "Exact" ? String(options.expectedVersion.version) : "no stream"

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
    if (typeof streamId !== "string" || streamId.length === 0) {
      return Effect.fail(invalid("cannot append to an empty stream id"))
    }
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
        new ConcurrencyConflict({ streamId, expected: describeExpected(options), actual: current })
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
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!
      if (typeof event.type !== "string" || event.type.length === 0) {
        return Effect.fail(invalid(`event ${i} appended to ${streamId} has an empty type`))
      }
      if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
        return Effect.fail(
          invalid(`event ${i} (${event.type}) appended to ${streamId} has schema version ${event.schemaVersion}; versions start at 1`)
        )
      }
      const error = freezeJson(event.data, "data") ?? freezeJson(event.metadata.actor, "actor")
      if (error !== undefined) {
        return Effect.fail(invalid(`event ${i} (${event.type}) appended to ${streamId}: ${error}`))
      }
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
      let expectedPosition = log.length + 1
      let previousHash = headHash
      const nextVersions = new Map<string, number>()
      for (const event of events) {
        const where = `cannot import the event at position ${event.globalPosition} (${event.type} in ${event.streamId})`
        if (event.globalPosition !== expectedPosition) {
          return Effect.fail(invalid(`${where}: the log continues at position ${expectedPosition}`))
        }
        if (event.previousHash !== previousHash) {
          return Effect.fail(
            invalid(`${where}: its previous hash ${event.previousHash} is not the hash of the event before it (${previousHash})`)
          )
        }
        const version = nextVersions.get(event.streamId) ?? (streams.get(event.streamId)?.length ?? 0) + 1
        if (event.streamVersion !== version) {
          return Effect.fail(invalid(`${where}: its stream version is ${event.streamVersion}, expected ${version}`))
        }
        const error = freezeJson(event.data, "data") ?? freezeJson(event.actor, "actor")
        if (error !== undefined) return Effect.fail(invalid(`${where}: ${error}`))
        if (computeHash(event) !== event.hash) {
          return Effect.fail(
            new EventStoreError({
              reason: "Corrupted",
              message: `${where}: its hash does not match its contents (the event was changed after it was sealed)`,
              retryable: false
            })
          )
        }
        nextVersions.set(event.streamId, version + 1)
        previousHash = event.hash
        expectedPosition++
      }
      // everything checked: commit
      let run: { commandId: string; streamId: string; first: RecordedEvent; last: RecordedEvent } | undefined
      const closeRun = () => {
        if (run !== undefined && !commands.has(run.commandId)) {
          commands.set(run.commandId, {
            streamId: run.streamId,
            nextExpectedVersion: run.last.streamVersion,
            firstPosition: run.first.globalPosition,
            lastPosition: run.last.globalPosition,
            headHash: run.last.hash,
            alreadyAppended: false
          })
        }
      }
      for (const event of events) {
        const recorded: RecordedEvent = Object.freeze({ ...event })
        log.push(recorded)
        const stream = streams.get(recorded.streamId)
        if (stream === undefined) streams.set(recorded.streamId, [recorded])
        else stream.push(recorded)
        if (run !== undefined && run.commandId === recorded.commandId && run.streamId === recorded.streamId) {
          run.last = recorded
        } else {
          closeRun()
          run = { commandId: recorded.commandId, streamId: recorded.streamId, first: recorded, last: recorded }
        }
        const millis = Date.parse(recorded.recordedAt)
        if (millis > lastMillis) {
          lastMillis = millis
          lastIso = recorded.recordedAt
        }
      }
      closeRun()
      headHash = previousHash
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
