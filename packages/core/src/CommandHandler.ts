/**
 * Runs a command against one aggregate: load its stream, fold it into state (upcasting and decoding
 * every event through the decider's schema), `decide`, encode the new events, append them with
 * the exact version loaded. On a concurrency conflict it reloads and decides again (bounded, with a
 * small jittered backoff). A command id appends once: a repeat of the same command by the same actor
 * returns the first outcome; any other use of the id is decided afresh and, if it would append,
 * fails with `CommandIdReused`, which reveals nothing of the first command.
 *
 * ```ts
 * const outcome = yield* CommandHandler.handle(DocumentStore.decider, ownerId, command, {
 *   actor, commandId, correlationId, causationId: null
 * })
 * ```
 *
 * @since 0.1.0
 */
import { Effect, Option, Random, Result, Schema } from "effect"
import { label } from "./Actor.ts"
import type { Decider } from "./Decider.ts"
import { streamId as deciderStreamId } from "./Decider.ts"
import type { EventMetadata, RecordedEvent } from "./Event.ts"
import type { AppendResult } from "./EventStore.ts"
import { ConcurrencyConflict, EventStore, EventStoreError, ExpectedVersion } from "./EventStore.ts"
import * as EventCodec from "./EventCodec.ts"
import type { Projection } from "./Projection.ts"
import { apply as applyProjections } from "./Projection.ts"
import * as Upcaster from "./Upcaster.ts"

/**
 * What handling a command produced.
 *
 * @since 0.1.0
 */
export interface HandleResult<State, Event> {
  /** The events the command appended (decoded back from the log when `alreadyAppended`). */
  readonly events: ReadonlyArray<Event>
  /** The aggregate's state right after those events. */
  readonly state: State
  /** The stream's version right after those events (the version the next command expects). */
  readonly nextExpectedVersion: number
  /** True when this command id had already been appended: nothing new was written. */
  readonly alreadyAppended: boolean
}

/**
 * Options of {@link handle}.
 *
 * @since 0.1.0
 */
export interface HandleOptions<PE = never, PR = never> {
  /** Attempts in all before a `ConcurrencyConflict` is returned (default 20). */
  readonly maxAttempts?: number
  /** Upper bound of the first backoff in milliseconds (default 2); it doubles each attempt, up to 250. */
  readonly backoffMillis?: number
  /**
   * Projections run after a successful append, in the same fiber, on the recorded events.
   * Gotcha: if one fails, the events are already appended; the error is returned all the same.
   */
  readonly inline?: ReadonlyArray<Projection<PE, PR>>
}

/**
 * The command id was already used for another command — another stream, another actor, or a command
 * that would not have appended what was appended — and this one would append. Nothing is appended,
 * and nothing of the first command (its stream, its state, whose it was) is revealed: give the
 * command a fresh id.
 *
 * @since 0.1.0
 */
export class CommandIdReused extends Schema.TaggedError<CommandIdReused>()("CommandIdReused", {
  commandId: Schema.String
}) {
  override get message(): string {
    return `command id ${JSON.stringify(this.commandId)} was already used for another command: ` +
      `give this command a fresh id (reuse an id only to retry the very same request)`
  }
}

/**
 * Errors of command handling besides the decider's own: a conflict that outlived the retries, a
 * command id already used for another command, the store failing, stored events that cannot be
 * decoded, a decider emitting unencodable events.
 *
 * @since 0.1.0
 */
export type HandleError =
  | ConcurrencyConflict
  | CommandIdReused
  | EventStoreError
  | EventCodec.EventDecodeError
  | EventCodec.EventEncodeError

/**
 * Any decider, whatever its types: the bound `handle` and `make` accept.
 *
 * @since 0.1.0
 */
export type AnyDecider = Decider<any, any, any, any>

/**
 * The state type of decider `D`.
 *
 * @since 0.1.0
 */
export type StateOf<D> = D extends Decider<infer S, any, any, any> ? S : never

/**
 * The command type of decider `D`.
 *
 * @since 0.1.0
 */
export type CommandOf<D> = D extends Decider<any, infer C, any, any> ? C : never

/**
 * The event type of decider `D`.
 *
 * @since 0.1.0
 */
export type EventOf<D> = D extends Decider<any, any, infer E, any> ? E : never

/**
 * The error type of decider `D`.
 *
 * @since 0.1.0
 */
export type ErrorOf<D> = D extends Decider<any, any, any, infer Err> ? Err : never

const MAX_BACKOFF_MILLIS = 250

const fold = <State, Event extends { readonly _tag: string }>(
  decider: Decider<State, any, Event, any>,
  registry: Upcaster.Registry,
  recorded: ReadonlyArray<RecordedEvent>,
  onEvent?: (event: Event, recorded: RecordedEvent) => void,
  onState?: (state: State, recorded: RecordedEvent) => void
): Result.Result<State, EventCodec.EventDecodeError> => {
  const decode = EventCodec.decoder(decider.eventSchema, registry)
  let state = decider.initialState
  for (const r of recorded) {
    const event = decode(r)
    if (Result.isFailure(event)) return Result.fail(event.failure)
    state = decider.evolve(state, event.success)
    onEvent?.(event.success, r)
    onState?.(state, r)
  }
  return Result.succeed(state)
}

const sameTags = (left: ReadonlyArray<{ readonly _tag: string }>, right: ReadonlyArray<{ readonly _tag: string }>) =>
  left.length === right.length && left.every((event, i) => event._tag === right[i]!._tag)

/**
 * Rebuilds the outcome of an earlier append of the same command id from the log — only for the same
 * command: the same stream, every event appended by the same actor (`Actor.label`), and `decide` on
 * the state before them emitting events of the same tags. For anything else it returns `None` (and
 * no state leaves this function): the caller then decides the command like any other.
 */
const replayOutcome = <State, Command, Event extends { readonly _tag: string }>(
  decider: Decider<State, Command, Event, any>,
  registry: Upcaster.Registry,
  streamId: string,
  first: AppendResult,
  command: Command,
  metadata: EventMetadata
): Effect.Effect<
  Option.Option<HandleResult<State, Event>>,
  EventStoreError | EventCodec.EventDecodeError,
  EventStore
> =>
  Effect.gen(function*() {
    if (first.streamId !== streamId) return Option.none()
    const store = yield* EventStore
    const recorded = yield* store.readStream(streamId, { toVersion: first.nextExpectedVersion })
    const actor = label(metadata.actor)
    const events: Array<Event> = []
    let before: State = decider.initialState
    let foreign = false
    const state = yield* Effect.fromResult(fold(decider, registry, recorded, (event, r) => {
      if (r.globalPosition >= first.firstPosition && r.globalPosition <= first.lastPosition) {
        events.push(event)
        if (label(r.actor) !== actor || r.commandId !== metadata.commandId) foreign = true
      }
    }, (stateBefore, r) => {
      if (r.globalPosition < first.firstPosition) before = stateBefore
    }))
    if (foreign || events.length === 0) return Option.none()
    const again = decider.decide(command, before)
    if (Result.isFailure(again) || !sameTags(again.success, events)) return Option.none()
    return Option.some({ events, state, nextExpectedVersion: first.nextExpectedVersion, alreadyAppended: true })
  })

/**
 * Handles one command against the aggregate `aggregateId` (stream `Decider.streamId(decider, id)`).
 *
 * - The decider's domain error comes out typed in the error channel; nothing is appended.
 * - A command whose `decide` returns no event appends nothing (`events` is empty).
 * - `metadata.commandId` is the idempotency key: the same id appends once and a repeat of the same
 *   command by the same actor returns the first outcome with `alreadyAppended: true`. Any other use of
 *   an id already appended — another stream, another actor (`Actor.label`), a command that would not
 *   emit events of the same tags on the state before the first append — is decided afresh against
 *   the current state, as the actor asking: the decider's refusal comes out typed, a command with
 *   nothing left to do returns no events, and one that would append fails with `CommandIdReused`
 *   (which names no stream, state or actor). Never is the first command's outcome handed to anyone
 *   but its own actor. (So an engine-derived id retried by another actor — another officer of the
 *   agency — works when the domain already holds its effect.)
 * - Backoff sleeps use Effect's `Clock`: under `TestClock`, contended commands wait for the clock.
 *
 * @since 0.1.0
 */
export const handle = <D extends AnyDecider, PE = never, PR = never>(
  decider: D,
  aggregateId: string,
  command: CommandOf<D>,
  metadata: EventMetadata,
  options?: HandleOptions<PE, PR>
): Effect.Effect<
  HandleResult<StateOf<D>, EventOf<D>>,
  ErrorOf<D> | HandleError | PE,
  EventStore | PR
> => {
  const maxAttempts = Math.max(1, options?.maxAttempts ?? 20)
  const backoffMillis = options?.backoffMillis ?? 2
  const streamId = deciderStreamId(decider, aggregateId)
  const d = decider as Decider<StateOf<D>, CommandOf<D>, EventOf<D>, ErrorOf<D>>

  const attempt = Effect.gen(function*() {
    const store = yield* EventStore
    const registry = yield* Effect.service(Upcaster.CurrentRegistry)
    const previous = yield* store.findCommand(metadata.commandId)
    if (Option.isSome(previous)) {
      const replayed = yield* replayOutcome(d, registry, streamId, previous.value, command, metadata)
      if (Option.isSome(replayed)) return replayed.value
    }
    const reused = new CommandIdReused({ commandId: metadata.commandId })

    const recorded = yield* store.readStream(streamId)
    const state = yield* Effect.fromResult(fold(d, registry, recorded))
    const version = recorded.length === 0 ? 0 : recorded[recorded.length - 1]!.streamVersion
    const decided = d.decide(command, state)
    if (Result.isFailure(decided)) return yield* Effect.fail(decided.failure)
    const events = decided.success
    if (events.length === 0) {
      return { events, state, nextExpectedVersion: version, alreadyAppended: false }
    }
    // the id belongs to another command: what this one decided cannot be appended under it
    if (Option.isSome(previous)) return yield* reused
    const newEvents = yield* EventCodec.encode(d.eventSchema, events, metadata)
    const appended = yield* store.append(streamId, newEvents, {
      expectedVersion: ExpectedVersion.exact(version),
      commandId: metadata.commandId
    })
    // the same command id won a race with us between findCommand and append
    if (appended.alreadyAppended) {
      const raced = yield* replayOutcome(d, registry, streamId, appended, command, metadata)
      if (Option.isSome(raced)) return raced.value
      return yield* reused
    }

    let next = state
    for (const event of events) next = d.evolve(next, event)
    const inline = options?.inline
    if (inline !== undefined && inline.length > 0) {
      const written = yield* store.readStream(streamId, {
        fromVersion: version + 1,
        toVersion: appended.nextExpectedVersion
      })
      yield* applyProjections(inline, written)
    }
    return { events, state: next, nextExpectedVersion: appended.nextExpectedVersion, alreadyAppended: false }
  })

  const loop = (
    n: number
  ): Effect.Effect<HandleResult<StateOf<D>, EventOf<D>>, ErrorOf<D> | HandleError | PE, EventStore | PR> =>
    Effect.catch(attempt, (error) => {
      if (!(error instanceof ConcurrencyConflict) || n >= maxAttempts) return Effect.fail(error)
      const ceiling = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2 ** (n - 1))
      return Random.nextBetween(0, ceiling).pipe(
        Effect.flatMap((millis) => Effect.sleep(millis)),
        Effect.flatMap(() => loop(n + 1))
      )
    })

  return loop(1).pipe(Effect.withSpan("CommandHandler.handle", { attributes: { streamId } }))
}

/**
 * A command handler bound to one decider and its options, for code that handles many commands:
 * `const documents = CommandHandler.make(DocumentStore.decider)` then `documents.handle(id, cmd, meta)`.
 *
 * @since 0.1.0
 */
export const make = <D extends AnyDecider, PE = never, PR = never>(
  decider: D,
  options?: HandleOptions<PE, PR>
): {
  readonly handle: (
    aggregateId: string,
    command: CommandOf<D>,
    metadata: EventMetadata
  ) => Effect.Effect<HandleResult<StateOf<D>, EventOf<D>>, ErrorOf<D> | HandleError | PE, EventStore | PR>
} => ({
  handle: (aggregateId, command, metadata) => handle(decider, aggregateId, command, metadata, options)
})
