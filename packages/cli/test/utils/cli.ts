/**
 * Runs `kho` for tests: in-process through `Cli.main` (fast; stdout/stderr of `Console` captured), or
 * as a child process of `node src/bin.ts` (for what goes to the real stdout/stderr: NDJSON on stdout,
 * the progress bar).
 */
import { NodeServices } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as Cli from "../../src/Cli.ts"

export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** `kho …args` in this process. */
export const kho = (...args: Array<string>): Effect.Effect<Run> =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const console: Console.Console = Object.assign(Object.create(globalThis.console), {
      log: (...parts: ReadonlyArray<unknown>) => out.push(parts.map(String).join(" ")),
      error: (...parts: ReadonlyArray<unknown>) => err.push(parts.map(String).join(" "))
    })
    const code = yield* Cli.main(args).pipe(
      Effect.provideService(Console.Console, console),
      Effect.provide(NodeServices.layer)
    )
    return { code, stdout: out.join("\n"), stderr: err.join("\n") }
  })

const bin = fileURLToPath(new URL("../../src/bin.ts", import.meta.url))

/** `kho …args` as a child process (about a second each: use sparingly). */
export const spawnKho = (...args: Array<string>): Run => {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000, maxBuffer: 256 * 2 ** 20 })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

/** The one JSON object a `--json` run printed. */
export const jsonOf = (run: Run): Record<string, unknown> => JSON.parse(run.stdout)
