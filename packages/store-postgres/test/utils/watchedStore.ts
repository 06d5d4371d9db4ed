/**
 * An event store whose subscribers' reads of the log that come back empty (caught up: about to
 * wait) are counted into `caughtUp`, so a test can append only once its subscriber waits.
 */
import { Effect, Queue } from "effect"
import type pg from "pg"
import { PgEventStore } from "../../src/index.ts"
import type { PgDatabase } from "../../src/index.ts"

export const watchedStore = (database: PgDatabase.PgDatabase["Service"], pollInterval: number) =>
  Effect.gen(function*() {
    const caughtUp = yield* Queue.unbounded<void>()
    const pool = new Proxy(database.pool, {
      get: (target, key) =>
        key === "query"
          ? async (config: pg.QueryConfig) => {
            const result = await target.query(config)
            if (config.text.includes("WHERE global_position >") && result.rowCount === 0) Queue.offerUnsafe(caughtUp, undefined)
            return result
          }
          : Reflect.get(target, key, target)
    })
    const { eventStore } = yield* PgEventStore.make({ ...database, pool }, { pollInterval })
    return { store: eventStore, caughtUp }
  })
