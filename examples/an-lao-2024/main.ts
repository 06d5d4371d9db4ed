/**
 * `node examples/an-lao-2024/main.ts [--out DIR]`: the An Lão 2024 scenario (see README.md).
 * Writes into `examples/an-lao-2024/out/` unless `--out` names another directory.
 */
import { Cause, Effect, Exit } from "effect"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import * as Main from "./src/Main.ts"

const { values } = parseArgs({ options: { out: { type: "string" } } })
const outDir = values.out === undefined ? join(import.meta.dirname, "out") : resolve(values.out)

const exit = await Effect.runPromiseExit(Main.run({ outDir, print: (text) => console.log(text) }))
if (Exit.isFailure(exit)) {
  console.error(Cause.pretty(exit.cause))
  process.exitCode = 1
}
