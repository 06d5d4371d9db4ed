/**
 * Where asynchronous projections remember how far they have read (a global position).
 * SQL adapters keep checkpoints in the same database as the read models they guard; their runners
 * (`SqliteProjection`, `PgProjectionWorker`) move a read model and its checkpoint in one transaction.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { EventStoreError } from "./EventStore.ts"

/**
 * The checkpoint store service.
 *
 * @since 0.1.0
 */
export class CheckpointStore extends Context.Service<CheckpointStore, {
  /** The last position the projection has fully processed; 0 when it never ran. */
  readonly load: (projection: string) => Effect.Effect<number, EventStoreError>
  /** Records that the projection has processed everything up to `position`. */
  readonly save: (projection: string, position: number) => Effect.Effect<void, EventStoreError>
  /** Forgets the projection's checkpoint (rebuild from zero). */
  readonly reset: (projection: string) => Effect.Effect<void, EventStoreError>
}>()("@kho/core/CheckpointStore") {}

/**
 * Checkpoints kept in a `Map` for the life of the layer: for tests and for projections whose read
 * model is itself in memory (rebuilt at every start).
 *
 * @since 0.1.0
 */
export const layerMemory: Layer.Layer<CheckpointStore> = Layer.sync(CheckpointStore, () => {
  const positions = new Map<string, number>()
  return CheckpointStore.of({
    load: (projection) => Effect.sync(() => positions.get(projection) ?? 0),
    save: (projection, position) =>
      Effect.sync(() => {
        positions.set(projection, position)
      }),
    reset: (projection) =>
      Effect.sync(() => {
        positions.delete(projection)
      })
  })
})
