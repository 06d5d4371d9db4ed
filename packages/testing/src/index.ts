/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as DeciderSpecification from "./DeciderSpecification.ts"
/** @since 0.1.0 */
export * as EventStoreContract from "./EventStoreContract.ts"

/** @since 0.1.0 */
export * as TestPki from "./TestPki.ts"

/** @since 0.1.0 */
export * as SignedPdf from "./SignedPdf.ts"
/** @since 0.1.0 */
export * as Arbitraries from "./Arbitraries.ts"
/** @since 0.1.0 */
export * as FileStoreContract from "./FileStoreContract.ts"
/** @since 0.1.0 */
export * as AnLao2024 from "./AnLao2024.ts"
/** @since 0.1.0 */
export * as ScenarioKit from "./ScenarioKit.ts"
/** @since 0.1.0 */
export * as NotifierContract from "./NotifierContract.ts"
/** @since 0.1.0 */
export * as OutboxStoreContract from "./OutboxStoreContract.ts"
/** @since 0.1.0 */
export * as NumberingScenario from "./NumberingScenario.ts"
