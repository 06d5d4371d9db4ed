/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as PgDatabase from "./PgDatabase.ts"
/** @since 0.1.0 */
export * as PgEventStore from "./PgEventStore.ts"
/** @since 0.1.0 */
export * as PgProjectionWorker from "./PgProjectionWorker.ts"
/** @since 0.1.0 */
export * as PgOutboxStore from "./PgOutboxStore.ts"
