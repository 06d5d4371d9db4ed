/**
 * A tiny counter aggregate for kernel tests: small enough to reason about, with a domain error
 * and a no-op command.
 */
import { Result, Schema } from "effect"
import type { Decider } from "../../src/Decider.ts"
import type { EventMetadata } from "../../src/Event.ts"

export class Incremented extends Schema.TaggedClass<Incremented>()("Incremented", { by: Schema.Number }) {}
export class Reset extends Schema.TaggedClass<Reset>()("Reset", {}) {}

export const CounterEvent = Schema.Union([Incremented, Reset])
export type CounterEvent = typeof CounterEvent.Type

export type CounterCommand =
  | { readonly _tag: "Increment"; readonly by: number }
  | { readonly _tag: "Reset" }

export class LimitExceeded extends Schema.TaggedError<LimitExceeded>()("LimitExceeded", {
  value: Schema.Number,
  limit: Schema.Number
}) {}

export const LIMIT = 1_000_000

export const decider: Decider<number, CounterCommand, CounterEvent, LimitExceeded> = {
  name: "Counter",
  initialState: 0,
  decide: (command, state) => {
    switch (command._tag) {
      case "Increment":
        return state + command.by > LIMIT
          ? Result.fail(new LimitExceeded({ value: state + command.by, limit: LIMIT }))
          : Result.succeed([new Incremented({ by: command.by })])
      case "Reset":
        return Result.succeed(state === 0 ? [] : [new Reset({})])
    }
  },
  evolve: (state, event) => {
    switch (event._tag) {
      case "Incremented":
        return state + event.by
      case "Reset":
        return 0
    }
  },
  eventSchema: CounterEvent
}

export const metadata = (commandId: string): EventMetadata => ({
  actor: { _tag: "Citizen", personalId: "052090000495" },
  commandId,
  correlationId: `corr-${commandId}`,
  causationId: null
})
