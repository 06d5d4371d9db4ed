/**
 * Exit codes of the `kho` binary (sysexits.h where one fits). Subcommands end with {@link Exit}
 * to choose a code other than 0; usage errors map to {@link USAGE} in `Cli.main`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Success; for `verify-pdf`: every signature TOTAL_PASSED.
 *
 * @since 0.1.0
 */
export const OK = 0

/**
 * `verify-pdf`: the document is TOTAL_FAILED.
 *
 * @since 0.1.0
 */
export const FAILED = 1

/**
 * `verify-pdf`: the document is INDETERMINATE (e.g. untrusted, expired without timestamp, no signature).
 *
 * @since 0.1.0
 */
export const INDETERMINATE = 2

/**
 * Bad command line (EX_USAGE): unknown flag, missing argument, malformed `--at`.
 *
 * @since 0.1.0
 */
export const USAGE = 64

/**
 * An input file cannot be read or examined (EX_NOINPUT): missing, not a PDF, too large, no
 * certificate in the trust file.
 *
 * @since 0.1.0
 */
export const NO_INPUT = 66

/**
 * Ends a subcommand with a non-zero exit code; the message (if any) has already been printed.
 *
 * @since 0.1.0
 */
export class Exit extends Schema.TaggedError<Exit>()("Exit", {
  code: Schema.Number,
  message: Schema.String
}) {}

/**
 * The input is readable but not what the command needs (EX_DATAERR): a published report that is not
 * a valid report, an authentic log whose event data this version cannot decode, a log that does not
 * continue the store it is imported into.
 *
 * @since 0.1.0
 */
export const DATA_ERR = 65

/**
 * An output file cannot be created (EX_CANTCREAT): it exists (without `--force`) or its directory
 * is not writable.
 *
 * @since 0.1.0
 */
export const CANT_CREATE = 73

/**
 * Reading or writing failed midway (EX_IOERR): a store that cannot be opened or read, a disk error.
 *
 * @since 0.1.0
 */
export const IO_ERR = 74
