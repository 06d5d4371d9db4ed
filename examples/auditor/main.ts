/**
 * `node examples/auditor/main.ts [--out DIR]`: an auditor's session with `kho` on the An Lão log
 * (see README.md). Writes into `examples/auditor/out/` unless `--out` names another directory.
 */
import { NodeServices } from "@effect/platform-node"
import { Cause, Effect, Exit } from "effect"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import * as Session from "./src/Session.ts"

const { values } = parseArgs({ options: { out: { type: "string" } } })
const outDir = values.out === undefined ? join(import.meta.dirname, "out") : resolve(values.out)

const exit = await Effect.runPromiseExit(
  Session.run({ outDir, print: (text) => console.log(text) }).pipe(Effect.provide(NodeServices.layer))
)
if (Exit.isFailure(exit)) {
  console.error(Cause.pretty(exit.cause))
  process.exitCode = 1
}
