/**
 * A plain `pg` client on the test cluster whose search_path is `schema`, ended with the scope: for
 * tests that hold locks or run statements beside a store.
 */
import { Effect } from "effect"
import pg from "pg"

export const schemaClient = (url: string, schema: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
      await client.connect()
      return client
    }),
    (client) => Effect.promise(() => client.end())
  )
