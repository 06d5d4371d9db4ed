/**
 * Given/when/then specifications for deciders (Emmett's `DeciderSpecification`):
 *
 * ```ts
 * const spec = DeciderSpecification.for(DocumentStore.decider)
 * spec.given([uploaded]).when(hide).then([hidden])
 * spec.given([]).when(hide).thenFails("DocumentNotFound")
 * ```
 *
 * Assertions throw (through vitest's `expect`) so a spec is a plain `it` body.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import type { Decider } from "@kho/core/Decider"
import { expect } from "vitest"

/**
 * The assertions available after `when`.
 *
 * @since 0.1.0
 */
export interface Then<Event, Err> {
  /** The command succeeds with exactly these events (deep equality, in order). */
  readonly then: (expected: ReadonlyArray<Event>) => void
  /** The command succeeds and these events satisfy `check` (for generated ids or times). */
  readonly thenEvents: (check: (events: ReadonlyArray<Event>) => void) => void
  /** The command fails with an error whose `_tag` is `tag`; `check` may inspect it further. */
  readonly thenFails: (tag: Err extends { readonly _tag: infer T } ? T : string, check?: (error: Err) => void) => void
  /** The command succeeds and appends nothing (an idempotent repeat). */
  readonly thenNothingHappened: () => void
}

/**
 * A specification bound to one decider.
 *
 * @since 0.1.0
 */
export interface Specification<State, Command, Event, Err> {
  readonly given: (events: ReadonlyArray<Event>) => {
    readonly when: (command: Command) => Then<Event, Err>
  }
  /** The state after folding `events`, for assertions on `evolve`. */
  readonly stateAfter: (events: ReadonlyArray<Event>) => State
}

const describeResult = (result: Result.Result<unknown, unknown>): string =>
  Result.isSuccess(result) ? `events ${JSON.stringify(result.success)}` : `error ${String(result.failure)}`

/**
 * Builds a given/when/then specification for a decider.
 *
 * @since 0.1.0
 */
export const forDecider = <State, Command, Event extends { readonly _tag: string }, Err>(
  decider: Decider<State, Command, Event, Err>
): Specification<State, Command, Event, Err> => {
  const stateAfter = (events: ReadonlyArray<Event>): State => events.reduce(decider.evolve, decider.initialState)
  return {
    stateAfter,
    given: (events) => ({
      when: (command) => {
        const run = () => decider.decide(command, stateAfter(events))
        const success = (): ReadonlyArray<Event> => {
          const result = run()
          if (Result.isFailure(result)) {
            throw new Error(`expected the command to succeed, but it failed with ${describeResult(result)}`)
          }
          return result.success
        }
        return {
          then: (expected) => expect(success()).toEqual(expected),
          thenEvents: (check) => check(success()),
          thenNothingHappened: () => expect(success()).toEqual([]),
          thenFails: (tag, check) => {
            const result = run()
            if (Result.isSuccess(result)) {
              throw new Error(`expected the command to fail with ${String(tag)}, but it produced ${describeResult(result)}`)
            }
            expect((result.failure as { _tag?: unknown })._tag).toBe(tag)
            check?.(result.failure)
          }
        }
      }
    })
  }
}

export { forDecider as for }
