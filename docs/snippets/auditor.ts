/**
 * The sample of docs/guides/auditor.md: checking an exported log from code rather than the CLI.
 */
import { createReadStream } from "node:fs"
import { HashChain, KpiLedger, Ndjson } from "@kho/core"
import { Effect } from "effect"

// #region verify
export const audit = (path: string) =>
  Effect.gen(function*() {
    // every hash recomputed, every event naming its predecessor's hash, no gap in positions or versions
    const chain = yield* HashChain.verifyChain(Ndjson.fromAsyncIterable(createReadStream(path)))
    if (chain._tag === "ChainBroken") return `broken at position ${chain.position}: ${chain.message}`
    // the KPI ledger as of any position: the report it gives names the same position and head hash
    const ledger = yield* KpiLedger.replay(Ndjson.fromAsyncIterable(createReadStream(path)), {
      asOf: KpiLedger.atPosition(52_000)
    })
    return KpiLedger.logHead(ledger)
  })
// #endregion verify
