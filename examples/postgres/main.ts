/**
 * The citizen journey of Appendix II on PostgreSQL, with two projection workers.
 *
 *   node examples/postgres/main.ts                       # starts and stops a throwaway cluster
 *   KHO_PG_URL=postgres://… node examples/postgres/main.ts  # uses a server (in a fresh schema, dropped at the end)
 */
import { Effect } from "effect"
import { run } from "./src/PostgresJourney.ts"

await Effect.runPromise(Effect.asVoid(run()))
