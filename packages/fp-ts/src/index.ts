/**
 * Kho for teams on fp-ts: `createKho` returning `TaskEither`s, and conversions between Effect's
 * `Result`, the Promise facade's `Result` and fp-ts's `Either`.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Interop from "./Interop.ts"
/** @since 0.1.0 */
export * as Kho from "./Kho.ts"

/** @since 0.1.0 */
export { createKho } from "./Kho.ts"
