/**
 * Kho for teams not on Effect: `createKho({ store, fileStore, verifier })` returns async functions
 * that resolve to typed results (ADR 0090). The Effect API of `@kho/core` stays the primary one.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Kho from "./Kho.ts"
/** @since 0.1.0 */
export * as KhoError from "./KhoError.ts"
/** @since 0.1.0 */
export * as Result from "./Result.ts"

/** @since 0.1.0 */
export { createKho } from "./Kho.ts"
