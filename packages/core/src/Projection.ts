/**
 * Projections turn the log into read models. A projection names itself (its checkpoint key), the
 * event types it handles and a handler. It can run:
 *
 * - inline: right after a successful append, in the same fiber (`CommandHandler` option `inline`);
 * - asynchronously: {@link run} catches up from its checkpoint, then follows new events for ever,
 *   saving the checkpoint after every batch; {@link catchUp} stops at the head; {@link rebuild}
 *   starts again from zero.
 *
 * Delivery is at-least-once across crashes (a batch handled but not yet checkpointed is handled
 * again), exactly-once across interruptions (a batch and its checkpoint are uninterruptible).
 * For exactly-once across crashes, run a projection whose read model lives in the database through
 * that store's runner (`SqliteProjection`, `PgProjectionWorker`): it commits the read-model writes
 * and the checkpoint in one transaction.
 *
 * @since 0.1.0
 */
import { Effect, Result, Stream } from "effect"
import type { Schema } from "effect"
import type { RecordedEvent } from "./Event.ts"
import type { EventStoreError } from "./EventStore.ts"
import { EventStore } from "./EventStore.ts"
import { CheckpointStore } from "./Checkpoint.ts"
import * as EventCodec from "./EventCodec.ts"
import * as Upcaster from "./Upcaster.ts"

/**
 * A projection definition.
 *
 * @since 0.1.0
 */
export interface Projection<E = never, R = never> {
  /** Unique name: the checkpoint key. Changing it rebuilds the projection from zero. */
  readonly name: string
  /** The event types it handles; `undefined` means every event. */
  readonly eventTypes: ReadonlySet<string> | undefined
  /** Applies one event (only events of `eventTypes` are passed). */
  readonly handle: (event: RecordedEvent) => Effect.Effect<void, E, R>
  /** Clears the read model before a rebuild. */
  readonly reset: Effect.Effect<void, E, R>
}

/**
 * Defines a projection over recorded events. `handle` may be pure (return nothing) or return an
 * Effect.
 *
 * @since 0.1.0
 */
export const make = <E = never, R = never>(options: {
  readonly name: string
  readonly eventTypes?: Iterable<string>
  readonly handle: (event: RecordedEvent) => Effect.Effect<void, E, R> | void
  readonly reset?: Effect.Effect<void, E, R> | (() => void)
}): Projection<E, R> => {
  const { handle, reset } = options
  return {
    name: options.name,
    eventTypes: options.eventTypes === undefined ? undefined : new Set(options.eventTypes),
    handle: (event) =>
      Effect.suspend(() => {
        const out = handle(event)
        return Effect.isEffect(out) ? out : Effect.void
      }),
    reset: reset === undefined ? Effect.void : typeof reset === "function" ? Effect.sync(reset) : reset
  }
}

/**
 * Defines a projection over domain events: each recorded event is upcast and decoded through
 * `schema` (with the registry in use) before `handle` sees it.
 *
 * @since 0.1.0
 */
export const makeDecoded = <Event extends { readonly _tag: string }, E = never, R = never>(options: {
  readonly name: string
  readonly schema: Schema.Codec<Event, any>
  readonly eventTypes: Iterable<Event["_tag"]>
  readonly handle: (event: Event, recorded: RecordedEvent) => Effect.Effect<void, E, R> | void
  readonly reset?: Effect.Effect<void, E, R> | (() => void)
}): Projection<E | EventCodec.EventDecodeError, R> => {
  const { handle, schema } = options
  return make<E | EventCodec.EventDecodeError, R>({
    name: options.name,
    eventTypes: options.eventTypes,
    ...(options.reset === undefined ? {} : { reset: options.reset }),
    handle: (recorded) =>
      Effect.flatMap(Effect.service(Upcaster.CurrentRegistry), (registry): Effect.Effect<
        void,
        E | EventCodec.EventDecodeError,
        R
      > => {
        const decoded = EventCodec.decoder(schema, registry)(recorded)
        if (Result.isFailure(decoded)) return Effect.fail(decoded.failure)
        const out = handle(decoded.success, recorded)
        return Effect.isEffect(out) ? out : Effect.void
      })
  })
}

const handles = (projection: Projection<any, any>, event: RecordedEvent): boolean =>
  projection.eventTypes === undefined || projection.eventTypes.has(event.type)

/**
 * Applies recorded events to projections, in log order, projection by projection.
 *
 * @since 0.1.0
 */
export const apply = <E, R>(
  projections: ReadonlyArray<Projection<E, R>>,
  events: ReadonlyArray<RecordedEvent>
): Effect.Effect<void, E, R> =>
  Effect.forEach(
    projections,
    (projection) => Effect.forEach(events, (event) => handles(projection, event) ? projection.handle(event) : Effect.void, {
      discard: true
    }),
    { discard: true }
  )

/**
 * Options of the asynchronous runner.
 *
 * @since 0.1.0
 */
export interface RunOptions {
  /** Events per read (and per checkpoint). */
  readonly batchSize?: number
  /** Stop after this global position (inclusive): a projection "as of" a log position. */
  readonly until?: number
}

const runFrom = <E, R>(
  projection: Projection<E, R>,
  follow: boolean,
  options: RunOptions | undefined
): Effect.Effect<number, E | EventStoreError, EventStore | CheckpointStore | R> =>
  Effect.gen(function*() {
    const store = yield* EventStore
    const checkpoints = yield* CheckpointStore
    let position = yield* checkpoints.load(projection.name)
    const readOptions = {
      after: position,
      ...(options?.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options?.until === undefined ? {} : { until: options.until })
    }
    const events = follow ? store.subscribe(readOptions) : store.readAll(readOptions)
    yield* Stream.runForEachArray(events, (batch) =>
      Effect.uninterruptible(
        Effect.andThen(
          apply([projection], batch),
          Effect.suspend(() => {
            position = batch[batch.length - 1]!.globalPosition
            return checkpoints.save(projection.name, position)
          })
        )
      ))
    return position
  })

/**
 * Runs a projection from its checkpoint up to the head of the log (or `until`) and returns the
 * last position it processed.
 *
 * @since 0.1.0
 */
export const catchUp = <E, R>(
  projection: Projection<E, R>,
  options?: RunOptions
): Effect.Effect<number, E | EventStoreError, EventStore | CheckpointStore | R> => runFrom(projection, false, options)

/**
 * Runs a projection for ever: catches up from its checkpoint, then follows new events as they are
 * appended. Fork it (`Effect.forkScoped`); it ends only by interruption or a handler failure (the
 * checkpoint then names the last batch fully handled).
 *
 * @since 0.1.0
 */
export const run = <E, R>(
  projection: Projection<E, R>,
  options?: Omit<RunOptions, "until">
): Effect.Effect<never, E | EventStoreError, EventStore | CheckpointStore | R> =>
  Effect.andThen(runFrom(projection, true, options), Effect.never)

/**
 * Rebuilds a projection from zero: clears its read model (`reset`) and its checkpoint, then
 * catches up. Returns the last position processed.
 *
 * @since 0.1.0
 */
export const rebuild = <E, R>(
  projection: Projection<E, R>,
  options?: RunOptions
): Effect.Effect<number, E | EventStoreError, EventStore | CheckpointStore | R> =>
  Effect.gen(function*() {
    const checkpoints = yield* CheckpointStore
    yield* projection.reset
    yield* checkpoints.reset(projection.name)
    return yield* catchUp(projection, options)
  })
