/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as NodeFileStore from "./NodeFileStore.ts"
/** @since 0.1.0 */
export * as ConsoleNotifier from "./ConsoleNotifier.ts"
/** @since 0.1.0 */
export * as WebhookNotifier from "./WebhookNotifier.ts"
