/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Csv from "./Csv.ts"
/** @since 0.1.0 */
export * as Json from "./Json.ts"
/** @since 0.1.0 */
export * as Pdf from "./Pdf.ts"
/** @since 0.1.0 */
export * as Terminal from "./Terminal.ts"
