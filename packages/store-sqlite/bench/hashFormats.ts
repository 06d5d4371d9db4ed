/**
 * `node packages/store-sqlite/bench/hashFormats.ts`: what W2 (1 000 appends of 100 events, one
 * writer) would reach on SQLite under other definitions of the hash chain — an input for deciding
 * issue 6's bulk-append goal, not a benchmark of Kho (not part of `pnpm bench`). Each system writes
 * Kho's 13-column rows in plain synchronous loops (no Effect, no checks), slices alternating and
 * each going first in turn, beside the raw 5-column reference of the store bench:
 *
 * - `per event (Kho)`: `HashChain.sealForStorage` on every event, as the store does today;
 * - `per event, stored text`: one SHA-256 per event over its stored texts, no canonical sorting;
 * - `per append`: one SHA-256 per append over the canonical encodings of all its events (the same
 *   bytes as today, chained once per append instead of once per event);
 * - `per append, stored text`: one SHA-256 per append over the stored texts of its events, fed
 *   field by field (no canonical encoding at all: a verifier would hash the stored text as is).
 *
 * Results are printed as Markdown; docs/adr/0100 quotes a run.
 */
import * as HashChain from "@kho/core/HashChain"
import { createHash, hash } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import type { PlannedAppend } from "./workload.ts"
import { RECORDED_AT, plan, slice } from "./workload.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-hash-formats-"))
const w2 = plan("w2", 1_000, 100, 100)

const open = (name: string, table: string) => {
  const db = new DatabaseSync(join(dir, name))
  db.exec("PRAGMA journal_mode = WAL")
  db.exec("PRAGMA synchronous = FULL")
  db.exec(table)
  return db
}
const KHO_ROWS = `CREATE TABLE events (
  global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL,
  type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL,
  actor TEXT NOT NULL, command_id TEXT NOT NULL, correlation_id TEXT NOT NULL, causation_id TEXT,
  previous_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, stream_version))`

/** One event's row, minus its hash, as Kho writes it. */
type Row = [number, string, number, string, number, string, string, string, string, string, string | null, string]

/** A writer of Kho's rows whose hashes come from `hashAppend`. */
const writer = (name: string, hashAppend: (a: PlannedAppend, first: number, fromVersion: number, previous: string) => {
  readonly rows: ReadonlyArray<Row>
  readonly hashes: ReadonlyArray<string>
}) => {
  const db = open(name, KHO_ROWS)
  const insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
  const versions = new Map<string, number>()
  let position = 0
  let previous = HashChain.GENESIS_HASH
  return (appends: ReadonlyArray<PlannedAppend>) => {
    for (const a of appends) {
      const from = versions.get(a.streamId) ?? 0
      db.exec("BEGIN IMMEDIATE")
      const { hashes, rows } = hashAppend(a, position + 1, from, previous)
      rows.forEach((row, i) => insert.run(...row, hashes[i]!))
      db.exec("COMMIT")
      position += a.events.length
      previous = hashes[hashes.length - 1]!
      versions.set(a.streamId, from + a.events.length)
    }
  }
}

const envelope = (a: PlannedAppend, i: number, first: number, fromVersion: number, previousHash: string) => {
  const e = a.events[i]!
  return {
    globalPosition: first + i,
    streamId: a.streamId,
    streamVersion: fromVersion + i + 1,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    recordedAt: RECORDED_AT,
    actor: e.metadata.actor,
    commandId: e.metadata.commandId,
    correlationId: e.metadata.correlationId,
    causationId: e.metadata.causationId,
    previousHash
  }
}
const row = (ev: ReturnType<typeof envelope>, data: string, actor: string): Row => [
  ev.globalPosition, ev.streamId, ev.streamVersion, ev.type, ev.schemaVersion, data, ev.recordedAt, actor,
  ev.commandId, ev.correlationId, ev.causationId, ev.previousHash
]

const systems = {
  "raw 5-column inserts (reference)": (() => {
    const db = open("raw.sqlite", `CREATE TABLE events (global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL,
      stream_position INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (stream_id, stream_position))`)
    const insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?)")
    const versions = new Map<string, number>()
    let position = 0
    return (appends: ReadonlyArray<PlannedAppend>) => {
      for (const a of appends) {
        let version = versions.get(a.streamId) ?? 0
        db.exec("BEGIN IMMEDIATE")
        for (const e of a.events) insert.run(++position, a.streamId, ++version, e.type, JSON.stringify(e.data))
        db.exec("COMMIT")
        versions.set(a.streamId, version)
      }
    }
  })(),
  "per event (Kho)": writer("per-event.sqlite", (a, first, from, previous) => {
    const rows: Array<Row> = []
    const hashes: Array<string> = []
    for (let i = 0; i < a.events.length; i++) {
      const ev = envelope(a, i, first, from, hashes[i - 1] ?? previous)
      const sealed = HashChain.sealForStorage(ev)
      rows.push(row(ev, sealed.data, sealed.actor))
      hashes.push(sealed.hash)
    }
    return { rows, hashes }
  }),
  "per event, stored text": writer("stored-text.sqlite", (a, first, from, previous) => {
    const rows: Array<Row> = []
    const hashes: Array<string> = []
    for (let i = 0; i < a.events.length; i++) {
      const ev = envelope(a, i, first, from, hashes[i - 1] ?? previous)
      const r = row(ev, JSON.stringify(ev.data), JSON.stringify(ev.actor))
      rows.push(r)
      hashes.push(hash("sha256", JSON.stringify(r), "hex"))
    }
    return { rows, hashes }
  }),
  "per append": writer("per-append.sqlite", (a, first, from, previous) => {
    const rows: Array<Row> = []
    const digest = createHash("sha256")
    for (let i = 0; i < a.events.length; i++) {
      const ev = envelope(a, i, first, from, previous)
      digest.update(HashChain.canonicalEncoding(ev))
      rows.push(row(ev, JSON.stringify(ev.data), JSON.stringify(ev.actor)))
    }
    const appendHash = digest.digest("hex")
    return { rows, hashes: rows.map(() => appendHash) }
  }),
  "per append, stored text": writer("per-append-text.sqlite", (a, first, from, previous) => {
    const rows: Array<Row> = []
    const digest = createHash("sha256").update(previous)
    for (let i = 0; i < a.events.length; i++) {
      const ev = envelope(a, i, first, from, previous)
      const r = row(ev, JSON.stringify(ev.data), JSON.stringify(ev.actor))
      digest.update(r[5]).update(r[7]).update(
        `${ev.globalPosition}\u0000${ev.streamId}\u0000${ev.streamVersion}\u0000${ev.type}\u0000${ev.schemaVersion}\u0000` +
          `${ev.recordedAt}\u0000${ev.commandId}\u0000${ev.correlationId}\u0000${ev.causationId ?? ""}`
      )
      rows.push(r)
    }
    const appendHash = digest.digest("hex")
    return { rows, hashes: rows.map(() => appendHash) }
  })
}

const names = Object.keys(systems) as Array<keyof typeof systems>
const spent = new Map(names.map((n) => [n, 0]))
for (let s = 0; s < 10; s++) {
  for (let j = 0; j < names.length; j++) {
    const name = names[(s + j) % names.length]!
    const start = performance.now()
    systems[name](slice(w2, 10, s))
    spent.set(name, spent.get(name)! + performance.now() - start)
  }
}
rmSync(dir, { recursive: true, force: true })
const rawTime = spent.get(names[0]!)!
process.stdout.write([
  "| hash chain | µs per event | ÷ raw |",
  "|---|---:|---:|",
  ...names.map((n) => `| ${n} | ${(spent.get(n)! * 1000 / w2.length / 100).toFixed(2)} | ${(rawTime / spent.get(n)!).toFixed(2)}× |`)
].join("\n") + "\n")
