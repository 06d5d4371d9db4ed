/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as SqliteDatabase from "./SqliteDatabase.ts"
/** @since 0.1.0 */
export * as SqliteEventStore from "./SqliteEventStore.ts"
/** @since 0.1.0 */
export * as SqliteProjection from "./SqliteProjection.ts"
/** @since 0.1.0 */
export * as SqliteOutboxStore from "./SqliteOutboxStore.ts"
