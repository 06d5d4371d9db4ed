/**
 * `node scripts/bench.ts store-postgres`: the BENCHMARKS.md workloads on the PostgreSQL store, beside
 * raw `pg` doing the same inserts and reads with no event-store logic, and beside Emmett
 * (`@event-driven-io/emmett-postgresql`), all in the same run on a throwaway cluster with stock
 * durability (`fsync=on`, `synchronous_commit=on`) that the bench starts and deletes itself.
 */
import { getPostgreSQLEventStore } from "@event-driven-io/emmett-postgresql"
import { Effect, ManagedRuntime } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import {
  appendAll,
  appendConcurrently,
  emmettReads,
  evolveSize,
  fsyncRate,
  median3,
  ndjsonParseRate,
  perWriter,
  plan,
  interleave,
  readLog,
  readStreams,
  RECORDED_AT,
  rebuild,
  sealRows,
  slice,
  resultRows,
  table,
  verdict
} from "../../store-sqlite/bench/workload.ts"
import type { PlannedAppend } from "../../store-sqlite/bench/workload.ts"
import { PgEventStore } from "../src/index.ts"
import { start } from "../test/utils/pgCluster.ts"

const log = (message: string) => process.stderr.write(`store-postgres bench: ${message}\n`)

log("starting a throwaway PostgreSQL cluster (fsync on)")
const cluster = await start({ durable: true })
process.on("exit", () => cluster.stop())
const admin = new pg.Client({ connectionString: cluster.url })
await admin.connect()

log("generating events")
const w1 = plan("w1", 10_000, 1, 1_000)
const w2 = plan("w2", 1_000, 100, 100)
const w5 = perWriter("w5", 8, 1_250, 1, 125)
const w6 = perWriter("w6", 8, 125, 100, 25)
const streams = [...new Set([...w1, ...w2].map((a) => a.streamId))]
log("sealing the rows of the Kho's-rows reference")
const sealed = sealRows([w1, w2, ...w5, ...w6])

/** The text of one parameterised INSERT of `rows` rows of `columns` values each, built once per size. */
const multiRowInsert = (head: string, columns: number) => {
  const texts = new Map<number, string>()
  return (rows: number): string => {
    let text = texts.get(rows)
    if (text === undefined) {
      const values = Array.from({ length: rows }, (_, r) =>
        "(" + Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(", ") + ")")
      text = `${head} ${values.join(", ")}`
      texts.set(rows, text)
    }
    return text
  }
}

/** Raw `pg` inserting Kho's own rows (its 13 columns and index), hashes precomputed. */
const makeRawOwn = async (schema: string) => {
  await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.events (
    global_position bigint PRIMARY KEY, stream_id text NOT NULL, stream_version integer NOT NULL,
    type text NOT NULL, schema_version integer NOT NULL, data json NOT NULL, recorded_at text NOT NULL,
    actor json NOT NULL, command_id text NOT NULL, correlation_id text NOT NULL, causation_id text,
    previous_hash text NOT NULL, hash text NOT NULL, UNIQUE (stream_id, stream_version))`)
  const pool = new pg.Pool({ connectionString: cluster.url, max: 10, options: `-c search_path=${schema}` })
  const insertText = multiRowInsert("INSERT INTO events VALUES", 13)
  let position = 0
  const versions = new Map<string, number>()
  const appendOne = (a: PlannedAppend) => {
    let version = versions.get(a.streamId) ?? 0
    const rows = sealed.get(a)!
    const values: Array<unknown> = []
    a.events.forEach((e, i) => {
      const row = rows[i]!
      const m = e.metadata
      values.push(
        ++position, a.streamId, ++version, e.type, e.schemaVersion, row.data, RECORDED_AT, row.actor,
        m.commandId, m.correlationId, m.causationId, row.previousHash, row.hash
      )
    })
    versions.set(a.streamId, version)
    return pool.query({ name: `own-insert-${a.events.length}`, text: insertText(a.events.length), values })
  }
  const appendSeq = async (appends: ReadonlyArray<PlannedAppend>) => {
    for (const a of appends) await appendOne(a)
  }
  return {
    append: appendSeq,
    appendWriters: (writers: ReadonlyArray<ReadonlyArray<PlannedAppend>>) => Promise.all(writers.map(appendSeq)),
    close: () => pool.end()
  }
}

/** Raw `pg`: the same rows, one parameterised INSERT per append (multi-VALUES for 100 rows). */
const makeRaw = async (schema: string) => {
  await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.events (
    global_position bigint PRIMARY KEY, stream_id text NOT NULL, stream_position integer NOT NULL,
    type text NOT NULL, data json NOT NULL, UNIQUE (stream_id, stream_position))`)
  const pool = new pg.Pool({ connectionString: cluster.url, max: 10, options: `-c search_path=${schema}` })
  const insertText = multiRowInsert("INSERT INTO events (global_position, stream_id, stream_position, type, data) VALUES", 5)
  let position = 0
  const versions = new Map<string, number>()
  const appendOne = (a: PlannedAppend) => {
    let version = versions.get(a.streamId) ?? 0
    const values: Array<unknown> = []
    for (const e of a.events) values.push(++position, a.streamId, ++version, e.type, JSON.stringify(e.data))
    versions.set(a.streamId, version)
    return pool.query({ name: `raw-insert-${a.events.length}`, text: insertText(a.events.length), values })
  }
  const select = "SELECT global_position, stream_id, stream_position, type, data FROM events"
  const appendSeq = async (appends: ReadonlyArray<PlannedAppend>) => {
    for (const a of appends) await appendOne(a)
  }
  return {
    append: appendSeq,
    appendWriters: (writers: ReadonlyArray<ReadonlyArray<PlannedAppend>>) => Promise.all(writers.map(appendSeq)),
    readStreams: async (ids: ReadonlyArray<string>) => {
      let n = 0
      for (const id of ids) n += (await pool.query(`${select} WHERE stream_id = $1 ORDER BY stream_position`, [id])).rows.length
      return n
    },
    readLog: async (batch: number) => {
      let after = 0
      let n = 0
      for (;;) {
        const rows = (await pool.query(`${select} WHERE global_position > $1 ORDER BY global_position LIMIT $2`, [after, batch])).rows
        n += rows.length
        if (rows.length < batch) return n
        after = Number(rows[rows.length - 1].global_position)
      }
    },
    rebuild: async (streamId: string, times: number) => {
      let state = 0
      for (let t = 0; t < times; t++) {
        state = (await pool.query(`${select} WHERE stream_id = $1 ORDER BY stream_position`, [streamId])).rows.reduce(evolveSize, 0)
      }
      return state
    },
    close: () => pool.end()
  }
}

/** Emmett on its own database, same workloads through its public API. */
const makeEmmett = async (database: string) => {
  await admin.query(`CREATE DATABASE ${database}`)
  const store = getPostgreSQLEventStore(cluster.url.replace(/\/kho$/, `/${database}`))
  // its schema is created on first use: do that before timing
  await store.readStream("schema-warm-up")
  const appendSeq = async (appends: ReadonlyArray<PlannedAppend>) => {
    for (const a of appends) await store.appendToStream(a.streamId, a.events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown> })))
  }
  return {
    append: appendSeq,
    appendWriters: (writers: ReadonlyArray<ReadonlyArray<PlannedAppend>>) => Promise.all(writers.map(appendSeq)),
    ...emmettReads(store),
    close: () => store.close()
  }
}

const keys = ["W1", "W2", "W3a", "W3b1000", "W3b100", "W4", "W5", "W6"] as const
type Key = (typeof keys)[number]
type Figures = Record<`${Key}kho` | `${Key}raw` | `${Key}own` | `${Key}emmett`, number>

const measure = async (run: number): Promise<Figures> => {
  log(`run ${run + 1}/3`)
  const kho = ManagedRuntime.make(PgEventStore.layer({ url: cluster.url, schema: `kho_${run}`, poolSize: 10 }))
  // connect and migrate before timing, as the raw tables are created before timing
  await kho.runPromise(Effect.void)
  const raw = await makeRaw(`raw_${run}`)
  const own = await makeRawOwn(`own_${run}`)
  const emmett = await makeEmmett(`emmett_${run}`)
  const out = {} as Figures
  const put = (key: Key, r: { kho: number; raw: number; own?: number; emmett?: number }) => {
    out[`${key}kho`] = r.kho
    out[`${key}raw`] = r.raw
    out[`${key}own`] = r.own ?? Number.NaN
    out[`${key}emmett`] = r.emmett ?? Number.NaN
  }
  const writerSlice = (writers: ReadonlyArray<ReadonlyArray<PlannedAppend>>, i: number) => writers.map((w) => slice(w, 10, i))
  put("W1", await interleave(10_000, 10, {
    kho: (i) => kho.runPromise(appendAll(slice(w1, 10, i))),
    raw: (i) => raw.append(slice(w1, 10, i)),
    own: (i) => own.append(slice(w1, 10, i)),
    emmett: (i) => emmett.append(slice(w1, 10, i))
  }))
  put("W2", await interleave(100_000, 10, {
    kho: (i) => kho.runPromise(appendAll(slice(w2, 10, i))),
    raw: (i) => raw.append(slice(w2, 10, i)),
    own: (i) => own.append(slice(w2, 10, i)),
    emmett: (i) => emmett.append(slice(w2, 10, i))
  }))
  put("W3a", await interleave(110_000, 10, {
    kho: (i) => kho.runPromise(readStreams(slice(streams, 10, i))),
    raw: (i) => raw.readStreams(slice(streams, 10, i)),
    emmett: (i) => emmett.readStreams(slice(streams, 10, i))
  }))
  put("W3b1000", await interleave(110_000, 1, { kho: () => kho.runPromise(readLog(1_000)), raw: () => raw.readLog(1_000) }))
  put("W3b100", await interleave(110_000, 1, { kho: () => kho.runPromise(readLog(100)), raw: () => raw.readLog(100) }))
  put("W4", await interleave(20_000, 20, {
    kho: () => kho.runPromise(rebuild("w2-0", 1)),
    raw: () => raw.rebuild("w2-0", 1),
    emmett: () => emmett.rebuild("w2-0", 1)
  }))
  put("W5", await interleave(10_000, 10, {
    kho: (i) => kho.runPromise(appendConcurrently(writerSlice(w5, i))),
    raw: (i) => raw.appendWriters(writerSlice(w5, i)),
    own: (i) => own.appendWriters(writerSlice(w5, i)),
    emmett: (i) => emmett.appendWriters(writerSlice(w5, i))
  }))
  put("W6", await interleave(100_000, 10, {
    kho: (i) => kho.runPromise(appendConcurrently(writerSlice(w6, i))),
    raw: (i) => raw.appendWriters(writerSlice(w6, i)),
    own: (i) => own.appendWriters(writerSlice(w6, i)),
    emmett: (i) => emmett.appendWriters(writerSlice(w6, i))
  }))
  await kho.dispose()
  await raw.close()
  await own.close()
  await emmett.close()
  return out
}

const results = await median3(measure)
const parseRate = await median3(async () => ({ parse: await ndjsonParseRate(w2.flatMap((a) => a.events)) }))
const dir = mkdtempSync(join(tmpdir(), "kho-bench-fsync-"))
const disk = await median3(async () => ({ fsync: await fsyncRate(dir) }))
rmSync(dir, { recursive: true, force: true })
await admin.end()
cluster.stop()

const names: Record<Key, string> = {
  W1: "10 000 appends of 1 event, 1 000 streams",
  W2: "1 000 appends of 100 events, 100 streams",
  W3a: "read every stream (110 000 events)",
  W3b1000: "read the log in global order, batches of 1 000",
  W3b100: "read the log in global order, batches of 100",
  W4: "rebuild one 1 000-event stream, 20 times",
  W5: "8 concurrent writers × 125 streams, 1 event per append",
  W6: "8 concurrent writers × 25 streams, 100 events per append"
}
const ids: Record<Key, string> = { W1: "W1", W2: "W2", W3a: "W3a", W3b1000: "W3b (1 000)", W3b100: "W3b (100)", W4: "W4", W5: "W5", W6: "W6" }
const rows = resultRows(keys, { ids, names }, results)

process.stdout.write([
  "## @kho/store-postgres",
  "",
  "BENCHMARKS.md workloads, median of 3, events/s, on a throwaway PostgreSQL cluster started by the bench",
  "(stock durability: `fsync=on`, `synchronous_commit=on`). Raw reference: `pg` in the same process and",
  "run, table `events(global_position PK, stream_id, stream_position, type, data json)`, one",
  "parameterised INSERT per append (multi-VALUES for 100 rows), positions assigned in memory, reads",
  "that `SELECT` every row (`pg` parses the JSON). Emmett: `@event-driven-io/emmett-postgresql` 0.42.0",
  "through its public API (`appendToStream`, `readStream`), on its own database in the same cluster.",
  "\"Raw, Kho's rows\" (informative) inserts the very rows Kho writes (its 13 columns and index, canonical",
  "`data`/`actor` texts, both hashes) with their hashes computed before timing, the same way as the raw",
  "reference: it separates the hash chain's and the store logic's cost (`Kho ÷ Kho's rows`) from the",
  "wider row's (`Kho's rows ÷ raw`).",
  "Each workload runs in 10 slices that alternate between the systems (each going first in turn), so all of them share the",
  "machine's noise (the shared disk's fsync rate swings tenfold within minutes here).",
  "",
  table(rows, "Emmett PostgreSQL"),
  "",
  verdict(rows, "Emmett PostgreSQL"),
  "",
  `- \`JSON.parse\` of the same events as NDJSON: ${Math.round(parseRate.parse).toLocaleString("en-US")} events/s;`,
  `  Kho's replay (W3b, batches of 1 000) is ${(results.W3b1000kho / parseRate.parse).toFixed(2)}× of it.`,
  `- The disk's raw \`write\` + \`fdatasync\` of 426 bytes: ${Math.round(disk.fsync).toLocaleString("en-US")}/s.`,
  "- Emmett's W3b is not measured: its public store API has no read of the whole log in global order",
  "  (its consumers poll `readMessagesBatch` through an internal executor)."
].join("\n") + "\n")
