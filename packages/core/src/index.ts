/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Actor from "./Actor.ts"
/** @since 0.1.0 */
export * as Event from "./Event.ts"
/** @since 0.1.0 */
export * as EventStore from "./EventStore.ts"
/** @since 0.1.0 */
export * as HashChain from "./HashChain.ts"
/** @since 0.1.0 */
export * as SignatureReport from "./SignatureReport.ts"
/** @since 0.1.0 */
export * as SignatureVerifier from "./SignatureVerifier.ts"
/** @since 0.1.0 */
export * as Decider from "./Decider.ts"
/** @since 0.1.0 */
export * as Checkpoint from "./Checkpoint.ts"
