/**
 * `kho log replay` holds no event: a generated log of 200 000 events (about 105 MiB of NDJSON) is
 * replayed — chain verified, every event folded into the KPI ledger — in a child process whose V8 old
 * space is capped at 64 MiB, less than the file itself. A replay that kept the events (or only their
 * lines) would run out of heap and crash. What it does keep grows with the number of streams (one
 * version counter each, for the chain check): here 50 000 streams, about 3.5 MiB.
 */
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as HashChain from "@kho/core/HashChain"
import * as Ndjson from "@kho/core/Ndjson"
import { spawnSync } from "node:child_process"
import { once } from "node:events"
import { createWriteStream, rmSync, statSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { tempDir } from "./utils/logs.ts"

const EVENTS = 200_000
const HEAP_MIB = 64
const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const tmp = tempDir("kho-cli-memory-")
afterAll(() => rmSync(tmp.dir, { recursive: true, force: true }))

const agencies = ["000.23.30.H08", "000.21.30.H08", "000.01.30.H08"] // An Hòa, Thị trấn An Lão, Phòng Tư pháp

/**
 * Writes the log streaming (never whole in memory): dossiers of four events each — three other events
 * and a receipt with one component, every other one taken from the owner's store — hash-chained.
 */
const generate = async (path: string): Promise<void> => {
  const out = createWriteStream(path)
  const start = Date.parse("2024-03-01T01:00:00.000Z")
  let previousHash = HashChain.GENESIS_HASH
  let buffer = ""
  for (let position = 1; position <= EVENTS; position++) {
    const d = Math.floor((position - 1) / 4)
    const step = (position - 1) % 4
    const dossierId = `m-${d}`
    const agencyCode = agencies[d % agencies.length]!
    const at = new Date(start + position * 1000).toISOString()
    const data = step === 2
      ? {
        _tag: "DossierReceived",
        dossierId,
        at,
        number: `${agencyCode}-240301-0001`,
        ownerId: "052090000495",
        agencyCode,
        procedure: "1.001193",
        officerId: "cb.1",
        components: [{ componentId: "cccd", satisfiedBy: d % 2 === 0 ? "AutoAttached" : "Uploaded", reuse: "None" }]
      }
      : { _tag: "DossierNoted", dossierId, step }
    const sealed = HashChain.seal({
      streamId: `Dossier-${dossierId}`,
      streamVersion: step + 1,
      globalPosition: position,
      type: data._tag,
      schemaVersion: 1,
      data,
      recordedAt: at,
      actor: { _tag: "System", component: "memory-test" },
      commandId: `${dossierId}:${step}`,
      correlationId: dossierId,
      causationId: null,
      previousHash
    })
    previousHash = sealed.hash
    buffer += Ndjson.encodeLine(sealed) + "\n"
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain")
      buffer = ""
    }
  }
  out.end(buffer)
  await once(out, "finish")
}

describe("kho log replay, memory", () => {
  it("replays 200 000 events with a heap capped below the log's own size", async () => {
    const log = tmp.path("big.ndjson")
    await generate(log)
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
