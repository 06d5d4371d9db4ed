/**
 * An in-process wake-up for subscribers: `next()` hands out the signal of the next append, `fire()`
 * completes it. Take the signal *before* querying, so an append that commits between the query and
 * the wait still wakes the subscriber (no lost wake-up).
 */
import { Deferred, Effect, Exit } from "effect"

export interface Wakeup {
  readonly next: () => Deferred.Deferred<void>
  readonly fire: () => void
  /** Waits for the signal or at most `millis` (other processes' appends are only seen by polling). */
  readonly wait: (signal: Deferred.Deferred<void>, millis: number) => Effect.Effect<void>
}

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
