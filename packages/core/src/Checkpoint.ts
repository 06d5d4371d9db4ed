/**
 * Where asynchronous projections remember how far they have read (a global position).
 * SQL adapters keep checkpoints in the same database as the read models they guard, so a read
 * model and its checkpoint move together.
 *
 * @since 0.1.0
 */
import { Context } from "effect"
import type { Effect } from "effect"
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
