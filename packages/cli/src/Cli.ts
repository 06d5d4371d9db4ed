/**
 * The `kho` command: the root and its subcommands. Each subcommand lives in its own
 * `<Name>Command.ts` and is registered in {@link subcommands}; `main` turns the outcome into an
 * exit code (see `ExitCode.ts`).
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { CliError, Command } from "effect/cli"
import * as ExitCode from "./ExitCode.ts"
import * as KpiCommand from "./KpiCommand.ts"
import * as LogCommand from "./LogCommand.ts"
import * as ReportCommand from "./ReportCommand.ts"
import * as VerifyPdfCommand from "./VerifyPdfCommand.ts"

/**
 * The version `kho --version` prints.
 *
 * @since 0.1.0
 */
export const VERSION = "0.1.0"

/**
 * The subcommands of `kho`: one file each (`<Name>Command.ts`), registered here.
 *
 * @since 0.1.0
 */
export const subcommands = [LogCommand.command, KpiCommand.command, ReportCommand.command, VerifyPdfCommand.command] as const

/**
 * The root command.
 *
 * @since 0.1.0
 */
export const command = Command.make("kho").pipe(
  Command.withDescription("Kho: audit and operate an event-sourced document store"),
  Command.withSubcommands(subcommands)
)

/**
 * Runs `kho` with `args` (without the node and script paths) and yields the process exit code.
 *
 * @since 0.1.0
 */
export const main = (args: ReadonlyArray<string>) =>
  Command.runWith(command, { version: VERSION })(args).pipe(
    Effect.as(ExitCode.OK),
    Effect.catch((error) => {
      if (error instanceof ExitCode.Exit) return Effect.succeed(error.code)
      if (CliError.isCliError(error)) return Effect.succeed(error._tag === "ShowHelp" && error.errors.length === 0 ? ExitCode.OK : ExitCode.USAGE)
      return Effect.succeed(ExitCode.USAGE)
    })
  )
