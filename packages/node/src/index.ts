/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as NodeFileStore from "./NodeFileStore.ts"
