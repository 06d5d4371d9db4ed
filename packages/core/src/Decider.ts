/**
 * The decider triple every aggregate implements (Emmett's, in Effect terms): a pure `decide` that
 * turns a command and the current state into new events or a domain error, and a total `evolve` that
 * folds events into state.
 *
 * @since 0.1.0
 */
import type { Result, Schema } from "effect"

/**
 * An aggregate's behaviour, with no I/O.
 *
 * `Event` values are tagged (`_tag` is the event type written to the log) and `eventSchema` encodes
 * them to and decodes them from the JSON stored as the event's `data`.
 *
 * @since 0.1.0
 */
export interface Decider<State, Command, Event extends { readonly _tag: string }, Err> {
  /** Names the aggregate; a stream id is `${name}-${id}`. */
  readonly name: string
  readonly initialState: State
  readonly decide: (command: Command, state: State) => Result.Result<ReadonlyArray<Event>, Err>
  readonly evolve: (state: State, event: Event) => State
  /** Encodes and decodes events; its JSON encoding is what the log stores. */
  readonly eventSchema: Schema.Codec<Event, any>
}

/**
 * Folds events into state, starting from the decider's initial state.
 *
 * @since 0.1.0
 */
export const fold = <State, Command, Event extends { readonly _tag: string }, Err>(
  decider: Decider<State, Command, Event, Err>,
  events: Iterable<Event>
): State => {
  let state = decider.initialState
  for (const event of events) state = decider.evolve(state, event)
  return state
}

/**
 * The stream id of one aggregate instance.
 *
 * @since 0.1.0
 */
export const streamId = (decider: { readonly name: string }, id: string): string => `${decider.name}-${id}`
