/**
 * The `kho` command-line tool.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Cli from "./Cli.ts"

/** @since 0.1.0 */
export * as ExitCode from "./ExitCode.ts"

/** @since 0.1.0 */
export * as VerifyPdfCommand from "./VerifyPdfCommand.ts"

/** @since 0.1.0 */
export * as KpiCommand from "./KpiCommand.ts"

/** @since 0.1.0 */
export * as LogCommand from "./LogCommand.ts"

/** @since 0.1.0 */
export * as ReportCommand from "./ReportCommand.ts"
