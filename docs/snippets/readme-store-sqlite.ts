/**
 * The overview sample of packages/store-sqlite/README.md (its runnable example is the README's
 * ```ts example block, run by packages/promise/test/Packaging.test.ts).
 */
// #region overview
import { SqliteEventStore } from "@kho/store-sqlite"

// provides EventStore, CheckpointStore and SqliteDatabase (for read models in the same file)
const StoreLive = SqliteEventStore.layer({ filename: "kho.sqlite" })
// #endregion overview

export { StoreLive }
