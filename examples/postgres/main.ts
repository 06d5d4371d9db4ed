/**
 * `node examples/postgres/main.ts [--direct]`: the An Lão 2024 scenario on PostgreSQL, with two
 * projection workers building the KPI read model (see README.md).
 *
 *   node examples/postgres/main.ts                          # starts and stops a throwaway cluster
 *   KHO_PG_URL=postgres://… node examples/postgres/main.ts  # uses a server (a fresh schema, dropped at the end)
 *   node examples/postgres/main.ts --direct                 # the services append straight into PostgreSQL (slow)
 */
import { Cause, Effect, Exit } from "effect"
import { parseArgs } from "node:util"
import { run } from "./src/AnLaoOnPostgres.ts"

const { values } = parseArgs({ options: { direct: { type: "boolean", default: false } } })

const exit = await Effect.runPromiseExit(run({ direct: values.direct }))
if (Exit.isFailure(exit)) {
  console.error(Cause.pretty(exit.cause))
  process.exitCode = 1
}
