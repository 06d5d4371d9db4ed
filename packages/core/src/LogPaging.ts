/**
 * Reading the log in batches, for store adapters: `readAll` pages through the log up to the head,
 * `subscribe` keeps following it, woken by an in-process signal or, for appends made by other
 * processes, by polling. The SQL stores share this so that their streams behave identically; all they
 * supply is one query that reads a batch.
 *
 * @since 0.1.0
 */
import { Deferred, Effect, Exit, Option, Stream } from "effect"
import type { RecordedEvent } from "./Event.ts"
import type { EventStoreError, ReadAllOptions } from "./EventStore.ts"

/**
 * An in-process wake-up for subscribers: `next()` hands out the signal of the next append, `fire()`
 * completes it. Take the signal *before* querying, so an append that commits between the query and
 * the wait still wakes the subscriber (no lost wake-up).
 *
 * @since 0.1.0
 */
export interface Wakeup {
  readonly next: () => Deferred.Deferred<void>
  readonly fire: () => void
  /** Waits for the signal or at most `millis` (other processes' appends are only seen by polling). */
  readonly wait: (signal: Deferred.Deferred<void>, millis: number) => Effect.Effect<void>
}

/**
 * A fresh {@link Wakeup}.
 *
 * @since 0.1.0
 */
export const makeWakeup = (): Wakeup => {
  let current = Deferred.makeUnsafe<void>()
  return {
    next: () => current,
    fire: () => {
      const fired = current
      current = Deferred.makeUnsafe<void>()
      Deferred.doneUnsafe(fired, Exit.void)
    },
    wait: (signal, millis) => Effect.asVoid(Effect.timeoutOption(Deferred.await(signal), millis))
  }
}

/**
 * Reads the events with `after < globalPosition <= until`, at most `limit` of them, in global order.
 *
 * @since 0.1.0
 */
export type ReadBatch = (
  after: number,
  until: number,
  limit: number
) => Effect.Effect<ReadonlyArray<RecordedEvent>, EventStoreError>

/**
 * The log in global order, batch by batch, ending at the head as of the last batch.
 *
 * @since 0.1.0
 */
export const readAll = (
  readBatch: ReadBatch,
  defaultBatch: number,
  options: ReadAllOptions = {}
): Stream.Stream<RecordedEvent, EventStoreError> => {
  const until = options.until ?? Number.MAX_SAFE_INTEGER
  const limit = options.batchSize ?? defaultBatch
  return Stream.paginate(options.after ?? 0, (after) =>
    Effect.map(readBatch(after, until, limit), (events) => {
      const last = events[events.length - 1]
      return [events, last === undefined || events.length < limit ? Option.none() : Option.some(last.globalPosition)] as const
    }))
}

/**
 * The log from a checkpoint, then every event appended after it: when caught up, waits for `wakeup`
 * or at most `pollInterval` milliseconds before reading again. Ends only at `until`.
 *
 * @since 0.1.0
 */
export const subscribe = (
  readBatch: ReadBatch,
  wakeup: Wakeup,
  settings: { readonly defaultBatch: number; readonly pollInterval: number },
  options: ReadAllOptions = {}
): Stream.Stream<RecordedEvent, EventStoreError> => {
  const until = options.until ?? Number.MAX_SAFE_INTEGER
  const limit = options.batchSize ?? settings.defaultBatch
  return Stream.paginate(options.after ?? 0, (after) => {
    const signal = wakeup.next()
    return Effect.flatMap(readBatch(after, until, limit), (events) => {
      const last = events[events.length - 1]
      if (last !== undefined) {
        return Effect.succeed([events, last.globalPosition >= until ? Option.none() : Option.some(last.globalPosition)] as const)
      }
      if (after >= until) return Effect.succeed([events, Option.none()] as const)
      return Effect.as(wakeup.wait(signal, settings.pollInterval), [events, Option.some(after)] as const)
    })
  })
}
