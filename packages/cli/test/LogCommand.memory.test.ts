/**
 * `kho log replay` holds no event: a generated log of 204 800 events (over 100 MiB of NDJSON) is
 * replayed — chain verified, every event folded into the KPI ledger — in a child process whose V8 old
 * space is capped at 64 MiB, less than the file itself. A replay that kept the events (or only their
 * lines) would run out of heap and crash. What it does keep grows with the number of streams (one
 * version counter each, for the chain check): here 51 200 streams, about 3.5 MiB.
 */
import { afterAll, assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { rmSync, statSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { writeDossierLog } from "./utils/dossierLog.ts"
import { tempDir } from "./utils/logs.ts"

/** 800 waves of 64 dossiers × 4 events: every generated dossier is complete. */
const EVENTS = 204_800
const HEAP_MIB = 64
const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const tmp = tempDir("kho-cli-memory-")
afterAll(() => rmSync(tmp.dir, { recursive: true, force: true }))

describe("kho log replay, memory", () => {
  it("replays 204 800 events with a heap capped below the log's own size", async () => {
    const log = tmp.path("big.ndjson")
    await writeDossierLog(log, EVENTS)
    const size = statSync(log).size
    assert.isAbove(size, HEAP_MIB * 2 ** 20, "the log must be larger than the heap for the check to mean anything")
    const run = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, bin, "log", "replay", log, "--json", "--no-progress"], {
      encoding: "utf8",
      maxBuffer: 16 * 2 ** 20
    })
    assert.strictEqual(run.status, 0, `exit ${run.status} (${run.signal ?? "no signal"}): ${run.stderr.slice(-2000)}`)
    const json = JSON.parse(run.stdout)
    assert.deepInclude(json, { ok: true, verdict: "intact", events: EVENTS, position: EVENTS })
    assert.strictEqual(json.ledger.totals.received, EVENTS / 4)
    assert.strictEqual(json.ledger.totals.reused, EVENTS / 8)
  }, 180_000)
})
