import { afterAll, assert, describe, it, vi } from "@effect/vitest"
import * as HashChain from "@kho/core/HashChain"
import * as Ndjson from "@kho/core/Ndjson"
import { Effect } from "effect"
import * as fc from "fast-check"
import { readFileSync, rmSync } from "node:fs"
import * as ExitCode from "../src/ExitCode.ts"
import { jsonOf, kho, spawnKho } from "./utils/cli.ts"
import { dossierEvents, march, ndjson, seal, tempDir } from "./utils/logs.ts"

const tmp = tempDir("kho-cli-log-")
const received = march(40)
const events = seal(dossierEvents(received))
const text = ndjson(events)
const lines = text.trimEnd().split("\n")
const log = tmp.write("log.ndjson", text)
const head = events[events.length - 1]!

const withLines = (name: string, edited: ReadonlyArray<string>) => tmp.write(name, edited.join("\n") + "\n")

/** Changes one character of a string inside the event's data, keeping the line valid JSON. */
const editData = (line: string): string => {
  const event = JSON.parse(line)
  event.data.dossierId = event.data.dossierId.slice(0, -1) + (event.data.dossierId.endsWith("9") ? "8" : "9")
  return Ndjson.encodeLine(event)
}

/** Edits the data AND re-seals the event: its own hash checks, the next event's previousHash does not. */
const editAndReseal = (line: string): string => {
  const { hash: _hash, ...event } = JSON.parse(line)
  event.data.officerId = "cb.forged"
  return Ndjson.encodeLine(HashChain.seal(event))
}

type Tamper = "edit" | "reseal" | "remove" | "swap" | "garble"

const tamper = (kind: Tamper, k: number): { readonly lines: Array<string>; readonly position: number; readonly reason: string } => {
  const copy = [...lines]
  const i = k - 1
  switch (kind) {
    case "edit":
      copy[i] = editData(copy[i]!)
      return { lines: copy, position: k, reason: "Changed" }
    case "reseal":
      copy[i] = editAndReseal(copy[i]!)
      return { lines: copy, position: k + 1, reason: "Reordered" }
    case "remove":
      copy.splice(i, 1)
      return { lines: copy, position: k, reason: "Removed" }
    case "swap":
      ;[copy[i], copy[i + 1]] = [copy[i + 1]!, copy[i]!]
      return { lines: copy, position: k, reason: "Reordered" }
    case "garble":
      copy[i] = copy[i]!.replace("{", "{,")
      return { lines: copy, position: k, reason: "Unreadable" }
  }
}

afterAll(() => rmSync(tmp.dir, { recursive: true, force: true }))

describe("kho log verify", () => {
  it.effect("exits 0 and names the head of an intact log", () =>
    Effect.gen(function*() {
      const text = yield* kho("log", "verify", log)
      assert.strictEqual(text.code, ExitCode.OK, text.stderr)
      assert.strictEqual(text.stdout, `INTACT ${log}: ${events.length} events, head position ${head.globalPosition}, head hash ${head.hash}`)
      const json = jsonOf(yield* kho("log", "verify", log, "--json"))
      assert.deepStrictEqual(json, {
        command: "log verify",
        ok: true,
        exitCode: 0,
        file: log,
        verdict: "intact",
        count: events.length,
        headPosition: head.globalPosition,
        headHash: head.hash
      })
    }))

  it.effect("catches one byte changed in a data field, at its position", () =>
    Effect.gen(function*() {
      const k = 17
      const edited = tamper("edit", k)
      const run = yield* kho("log", "verify", withLines("edited.ndjson", edited.lines))
      assert.strictEqual(run.code, ExitCode.FAILED)
      assert.match(run.stdout, new RegExp(`^BROKEN .* at position ${k} \\(Changed\\): event ${k} \\(DossierNoted in Dossier-d-9\\) does not match its hash`))
      assert.match(run.stdout, new RegExp(`intact up to position ${k - 1} .*last good hash ${events[k - 2]!.hash}`))
    }))

  it.effect("names the right position and reason for every kind of tampering, anywhere in the log", () =>
    Effect.gen(function*() {
      const cases = fc.sample(
        fc.record({
          kind: fc.constantFrom<Tamper>("edit", "reseal", "remove", "swap", "garble"),
          // not the last event: removing the last line leaves a shorter intact log (compare heads for that)
          k: fc.integer({ min: 1, max: events.length - 1 })
        }),
        { numRuns: 25, seed: 5 }
      )
      for (const [n, { k, kind }] of cases.entries()) {
        const t = tamper(kind, k)
        const run = yield* kho("log", "verify", withLines(`case-${n}.ndjson`, t.lines), "--json")
        assert.strictEqual(run.code, ExitCode.FAILED, `${kind} at ${k}`)
        const json = jsonOf(run)
        assert.strictEqual(json.verdict, "broken")
        assert.strictEqual(json.reason, t.reason, `${kind} at ${k}: ${String(json.message)}`)
        assert.strictEqual(json.position, t.position, `${kind} at ${k}`)
        assert.strictEqual(json.verified, t.position - 1)
        // the last good event is the original one before the break, or the forged one a re-seal made
        const lastGood = t.position === 1 ? HashChain.GENESIS_HASH : JSON.parse(t.lines[t.position - 2]!).hash
        assert.strictEqual(json.lastGoodHash, lastGood)
        if (kind !== "reseal" && t.position > 1) assert.strictEqual(lastGood, events[t.position - 2]!.hash)
        if (kind === "garble") assert.strictEqual(json.line, k)
      }
    }))

  it.effect("exits 66 for a missing file and 64 for a missing argument, with --json on stdout", () =>
    Effect.gen(function*() {
      const missing = yield* kho("log", "verify", tmp.path("missing.ndjson"), "--json")
      assert.strictEqual(missing.code, ExitCode.NO_INPUT)
      assert.match(missing.stderr, /^kho log verify: cannot read the log .*missing\.ndjson: ENOENT/)
      assert.deepInclude(jsonOf(missing), { ok: false, exitCode: 66 })
      assert.strictEqual((jsonOf(missing).error as { kind: string }).kind, "NoInput")
      assert.strictEqual((yield* kho("log", "verify", tmp.dir)).code, ExitCode.NO_INPUT)
      assert.strictEqual((yield* kho("log", "verify")).code, ExitCode.USAGE)
      assert.strictEqual((yield* kho("log", "verify", "--help")).code, ExitCode.OK)
    }))
})

describe("kho log replay", () => {
  const receivedUpTo = (position: number) =>
    events.filter((e) => e.globalPosition <= position && e.type === "DossierReceived").length

  it.effect("rebuilds the KPI ledger of the whole log", () =>
    Effect.gen(function*() {
      const run = yield* kho("log", "replay", log, "--json")
      assert.strictEqual(run.code, ExitCode.OK, run.stderr)
      const json = jsonOf(run) as any
      assert.strictEqual(json.verdict, "intact")
      assert.strictEqual(json.position, head.globalPosition)
      assert.strictEqual(json.headHash, head.hash)
      assert.strictEqual(json.until, null)
      assert.deepStrictEqual(json.eventTypes, { DossierNoted: received.length, DossierReceived: received.length })
      assert.strictEqual(json.ledger.agencies, 3)
      assert.strictEqual(json.ledger.totals.received, received.length)
      assert.strictEqual(json.ledger.totals.reused, received.filter((r) => r.reused).length)
      const text = yield* kho("log", "replay", log)
      assert.match(text.stdout, new RegExp(`^REPLAYED .* up to position ${head.globalPosition}: ${events.length} events, chain intact`))
      assert.match(text.stdout, new RegExp(`dossiers received +${received.length}\\n`))
    }))

  it.effect("stops at --until a position or an instant", () =>
    Effect.gen(function*() {
      const byPosition = jsonOf(yield* kho("log", "replay", log, "--until", "31", "--json")) as any
      assert.strictEqual(byPosition.position, 31)
      assert.strictEqual(byPosition.headHash, events[30]!.hash)
      assert.deepStrictEqual(byPosition.until, { position: 31 })
      assert.strictEqual(byPosition.ledger.totals.received, receivedUpTo(31))

      // dossier k is received at 00:00 + 6h·k Vietnam time from 1 March: 8 by the end of 2 March
      const at = "2024-03-02T23:59:59+07:00"
      const byTime = jsonOf(yield* kho("log", "replay", log, "--until", at, "--json")) as any
      const last = events.filter((e) => e.recordedAt <= "2024-03-02T16:59:59.000Z").at(-1)!
      assert.strictEqual(byTime.position, last.globalPosition)
      assert.strictEqual(byTime.ledger.totals.received, 8)
      assert.deepStrictEqual(byTime.until, { time: "2024-03-02T16:59:59.000Z" })

      const beyond = jsonOf(yield* kho("log", "replay", log, "--until", "100000", "--json")) as any
      assert.strictEqual(beyond.position, head.globalPosition)
      assert.strictEqual((yield* kho("log", "replay", log, "--until", "yesterday")).code, ExitCode.USAGE)
    }))

  it.effect("checks that the log goes on from where --until stops: a prefix alone could look intact", () =>
    Effect.gen(function*() {
      for (const kind of ["swap", "remove", "reseal"] as const) {
        // lines 31 and 32 swapped, line 31 removed, or event 31 forged and re-sealed (it names event 30
        // and hashes right; only event 32 exposes it): the first 30 events are intact, but the log as of
        // position 31 is not the sealed one
        const t = tamper(kind, 31)
        const run = yield* kho("log", "replay", withLines(`until-${kind}.ndjson`, t.lines), "--until", "31", "--json")
        assert.strictEqual(run.code, ExitCode.FAILED, kind)
        assert.deepInclude(jsonOf(run), { ok: false, position: t.position, reason: t.reason })
        assert.notProperty(jsonOf(run), "ledger")
      }
    }))

  it.effect("gives no figures from a broken log (1) and refuses event data it cannot decode (65)", () =>
    Effect.gen(function*() {
      const broken = yield* kho("log", "replay", withLines("broken.ndjson", tamper("swap", 5).lines))
      assert.strictEqual(broken.code, ExitCode.FAILED)
      assert.match(broken.stdout, /^BROKEN .* at position 5 \(Reordered\)/)
      assert.notMatch(broken.stdout, /dossiers received/)
      // a sealed event whose data is not a DossierReceived: the chain is intact, the data is not readable
      const bad = dossierEvents(march(3))
      bad[3] = { ...bad[3]!, data: { _tag: "DossierReceived", dossierId: "d-2" } }
      const undecodable = yield* kho("log", "replay", tmp.write("undecodable.ndjson", ndjson(seal(bad))), "--json")
      assert.strictEqual(undecodable.code, ExitCode.DATA_ERR)
      assert.match(undecodable.stderr, /the chain is intact, but event 4 \(DossierReceived v1 in Dossier-d-2\)/)
      assert.strictEqual((jsonOf(undecodable).error as { kind: string }).kind, "UndecodableEvent")
    }))
})

describe("kho log export / import", () => {
  it.effect("round-trips a log through a SQLite store byte for byte, and refuses what does not continue it", () =>
    Effect.gen(function*() {
      const db = tmp.path("store.sqlite")
      const imported = yield* kho("log", "import", log, "--db", db, "--json")
      assert.strictEqual(imported.code, ExitCode.OK, imported.stderr)
      assert.deepInclude(jsonOf(imported), { imported: events.length, headPosition: head.globalPosition, headHash: head.hash })

      const out = tmp.path("exported.ndjson")
      const exported = yield* kho("log", "export", "--db", db, "--out", out)
      assert.strictEqual(exported.code, ExitCode.OK, exported.stderr)
      assert.strictEqual(exported.stdout, `EXPORTED ${db} to ${out}: ${events.length} events, head position ${head.globalPosition}, head hash ${head.hash}`)
      assert.strictEqual(readFileSync(out, "utf8"), text)

      // the same log again does not continue the store: refused, nothing written
      const again = yield* kho("log", "import", log, "--db", db)
      assert.strictEqual(again.code, ExitCode.DATA_ERR)
      assert.match(again.stderr, /refused the log: .*expected global position 81.*the store ends at position 80/)
      assert.strictEqual((yield* kho("log", "export", "--db", db, "--out", out)).code, ExitCode.CANT_CREATE)
      assert.strictEqual((yield* kho("log", "export", "--db", db, "--out", out, "--force")).code, ExitCode.OK)
      assert.strictEqual(readFileSync(out, "utf8"), text)
      assert.strictEqual((yield* kho("log", "export", "--db", tmp.path("none.sqlite"))).code, ExitCode.NO_INPUT)
    }))

  it.effect("refuses a tampered log at the bad event; the batches before it stay", () =>
    Effect.gen(function*() {
      const db = tmp.path("tampered.sqlite")
      const run = yield* kho("log", "import", withLines("tampered-import.ndjson", tamper("edit", 12).lines), "--db", db)
      assert.strictEqual(run.code, ExitCode.DATA_ERR)
      assert.match(run.stderr, /event at global position 12 .*does not recompute/)
      const garbled = yield* kho("log", "import", withLines("garbled-import.ndjson", tamper("garble", 3).lines), "--db", tmp.path("g.sqlite"))
      assert.strictEqual(garbled.code, ExitCode.DATA_ERR)
      assert.match(garbled.stderr, /line 3: it is not valid JSON/)
    }))

  it.effect("draws a progress bar on stderr only when asked (stderr is not a terminal here)", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk))
        return true
      })
      const quiet = yield* kho("log", "import", log, "--db", tmp.path("quiet.sqlite")).pipe(Effect.ensuring(Effect.sync(() => spy.mockRestore())))
      assert.strictEqual(quiet.code, ExitCode.OK, quiet.stderr)
      assert.deepStrictEqual(written, [])
      const spy2 = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk))
        return true
      })
      const shown = yield* kho("log", "import", log, "--db", tmp.path("shown.sqlite"), "--progress").pipe(Effect.ensuring(Effect.sync(() => spy2.mockRestore())))
      assert.strictEqual(shown.code, ExitCode.OK, shown.stderr)
      assert.match(written.join(""), /importing \[#{24}\] 100% 80 events, [\d ]+ events\/s\n$/)
    }))

  it.effect("writes the log to stdout, and nothing else even with --json (child process)", () =>
    Effect.gen(function*() {
      const db = tmp.path("stdout.sqlite")
      assert.strictEqual((yield* kho("log", "import", log, "--db", db)).code, ExitCode.OK)
      const exported = spawnKho("log", "export", "--db", db, "--json")
      assert.strictEqual(exported.code, ExitCode.OK, exported.stderr)
      assert.strictEqual(exported.stdout, text)
      assert.strictEqual(exported.stderr, "")
    }))
})
