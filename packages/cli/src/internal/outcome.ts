/**
 * How the auditor commands (`log …`, `kpi`, `report check`) end: a result printed as text (or as ONE
 * JSON object on stdout with `--json`) and an exit code; a failure printed as
 * `kho <command>: <message>` on stderr (plus the JSON object on stdout with `--json`) and ended with
 * `ExitCode.Exit`, so `Cli.main` returns the code.
 */
import { Console, Effect, Schema } from "effect"
import * as ExitCode from "../ExitCode.ts"

/**
 * A command could not do its job. `kind` is a stable word scripts can match on (`NoInput`,
 * `Unreadable`, `InvalidReport`, …); `code` is the exit code.
 */
export class CommandFailure extends Schema.TaggedError<CommandFailure>()("CommandFailure", {
  code: Schema.Number,
  kind: Schema.String,
  message: Schema.String
}) {}

/** Fails with a {@link CommandFailure}. */
export const fail = (code: number, kind: string, message: string): Effect.Effect<never, CommandFailure> =>
  Effect.fail(new CommandFailure({ code, kind, message }))

/**
 * What a command found: the exit code, the text for people, and the JSON object for scripts (the
 * `command`, `ok` and `exitCode` fields are added). `text === ""` / `json === null`: print nothing
 * (the command wrote its output itself, e.g. a report on stdout).
 */
export interface Outcome {
  readonly code: number
  readonly text: string
  readonly json: Readonly<Record<string, unknown>> | null
}

/**
 * Runs a command's body and prints its outcome (or failure); a non-zero code ends with
 * `ExitCode.Exit`.
 */
export const finish = <R>(
  name: string,
  json: boolean,
  body: Effect.Effect<Outcome, CommandFailure, R>
): Effect.Effect<void, ExitCode.Exit, R> =>
  body.pipe(
    Effect.matchEffect({
      onFailure: (failure) =>
        Effect.andThen(
          Effect.andThen(
            Console.error(`kho ${name}: ${failure.message}`),
            json
              ? Console.log(JSON.stringify({
                command: name,
                ok: false,
                exitCode: failure.code,
                error: { kind: failure.kind, message: failure.message }
              }))
              : Effect.void
          ),
          Effect.fail(new ExitCode.Exit({ code: failure.code, message: failure.message }))
        ),
      onSuccess: (outcome) => {
        const print = json
          ? outcome.json === null ? Effect.void : Console.log(JSON.stringify({ command: name, ok: outcome.code === ExitCode.OK, exitCode: outcome.code, ...outcome.json }))
          : outcome.text === "" ? Effect.void : Console.log(outcome.text)
        return outcome.code === ExitCode.OK
          ? print
          : Effect.andThen(print, Effect.fail(new ExitCode.Exit({ code: outcome.code, message: outcome.text })))
      }
    })
  )
