/**
 * The overview sample of packages/store-postgres/README.md (its runnable example is the README's
 * ```ts example block, run by packages/promise/test/Packaging.test.ts).
 */
// #region overview
import { PgEventStore, PgProjectionWorker } from "@kho/store-postgres"
import { Effect } from "effect"

const StoreLive = PgEventStore.layer({ url: "postgres://kho@db/kho", schema: "public", poolSize: 10 })

// exactly one process runs this projection at a time; read model + checkpoint commit together
const kpi = PgProjectionWorker.run({
  name: "reuse-rate",
  handle: (events, tx) =>
    Effect.forEach(events, (e) => tx.query("INSERT INTO seen VALUES ($1, $2)", [e.globalPosition, e.type]), { discard: true })
})
// #endregion overview

export { kpi, StoreLive }
