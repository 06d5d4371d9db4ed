/**
 * The standard event-store workloads of BENCHMARKS.md (W1–W6), shared by the SQLite and PostgreSQL
 * benches: the event, the plans, timing (median of 3) and the Markdown table.
 */
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import * as HashChain from "@kho/core/HashChain"
import type { NewEvent, RecordedEvent } from "@kho/core/Event"
import { Effect, Stream } from "effect"
import { randomUUID } from "node:crypto"
import { documentUploadedData } from "../../core/bench/documentUploaded.ts"
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs"
import { join } from "node:path"

/** A `DocumentUploaded` event (about 426 bytes as an NDJSON line). */
export const documentUploaded = (i: number): NewEvent => ({
  type: "DocumentUploaded",
  schemaVersion: 1,
  data: documentUploadedData(i),
  metadata: {
    actor: { _tag: "Citizen", personalId: "052090000495" },
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: null
  }
})

/** One append of a plan: a stream and its events (all generated before timing). */
export interface PlannedAppend {
  readonly streamId: string
  readonly events: ReadonlyArray<NewEvent>
}

/**
 * `appends` appends of `size` events, round-robin over `streams` streams named `prefix-<n>`.
 *
 * The plan goes through one JSON round trip, so its strings are flat, as a decoded request body's
 * are: `randomUUID` returns a lazily concatenated (cons) string that V8 flattens the first time
 * anyone reads its characters, and that cost belongs to generating the events, not to whichever
 * system happens to read them first.
 */
export const plan = (prefix: string, appends: number, size: number, streams: number): Array<PlannedAppend> => {
  let i = 0
  const appendsPlanned = Array.from({ length: appends }, (_, a) => {
    const events = Array.from({ length: size }, () => documentUploaded(i++))
    const commandId = events[0]!.metadata.commandId
    return {
      streamId: `${prefix}-${a % streams}`,
      events: events.map((e) => ({ ...e, metadata: { ...e.metadata, commandId } }))
    }
  })
  return JSON.parse(JSON.stringify(appendsPlanned)) as Array<PlannedAppend>
}

/** One event as Kho's stores write it: the canonical `data`/`actor` texts and both hashes. */
export interface SealedRow {
  readonly data: string
  readonly actor: string
  readonly previousHash: string
  readonly hash: string
}

/** The `recorded_at` every precomputed row carries. */
export const RECORDED_AT = "2024-03-20T08:15:00.000Z"

/**
 * Seals every event of the plans, in order, as one chain (before timing): the "raw inserts of Kho's
 * own rows" reference writes these, so its figure has Kho's row width but no hashing and no logic.
 */
export const sealRows = (plans: ReadonlyArray<ReadonlyArray<PlannedAppend>>): Map<PlannedAppend, ReadonlyArray<SealedRow>> => {
  const out = new Map<PlannedAppend, ReadonlyArray<SealedRow>>()
  const versions = new Map<string, number>()
  let position = 0
  let previousHash = HashChain.GENESIS_HASH
  for (const appends of plans) {
    for (const a of appends) {
      let version = versions.get(a.streamId) ?? 0
      out.set(a, a.events.map((e) => {
        const m = e.metadata
        const sealed = HashChain.sealForStorage({
          globalPosition: ++position,
          streamId: a.streamId,
          streamVersion: ++version,
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: e.data,
          recordedAt: RECORDED_AT,
          actor: m.actor,
          commandId: m.commandId,
          correlationId: m.correlationId,
          causationId: m.causationId,
          previousHash
        })
        const row = { data: sealed.data, actor: sealed.actor, previousHash, hash: sealed.hash }
        previousHash = sealed.hash
        return row
      }))
      versions.set(a.streamId, version)
    }
  }
  return out
}

/** Splits a plan among `writers` writers, each on its own streams (W5, W6). */
export const perWriter = (prefix: string, writers: number, appendsEach: number, size: number, streamsEach: number) =>
  Array.from({ length: writers }, (_, w) => plan(`${prefix}-w${w}`, appendsEach, size, streamsEach))

/** Times `f` and returns events per second. */
export const rate = async (events: number, f: () => Promise<unknown> | unknown): Promise<number> => {
  const start = performance.now()
  await f()
  return events / ((performance.now() - start) / 1000)
}

/** The median of three runs of `measure`. */
export const median3 = async <K extends string>(
  measure: (run: number) => Promise<Record<K, number>>
): Promise<Record<K, number>> => {
  const runs: Array<Record<K, number>> = []
  for (let run = 0; run < 3; run++) runs.push(await measure(run))
  const out = {} as Record<K, number>
  for (const key of Object.keys(runs[0]!) as Array<K>) {
    out[key] = runs.map((r) => r[key]).sort((a, b) => a - b)[1]!
  }
  return out
}

/** Appends a plan through an `EventStore`, one writer (expected version: any). */
export const appendAll = (appends: ReadonlyArray<PlannedAppend>) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    for (const a of appends) yield* store.append(a.streamId, a.events, { expectedVersion: ExpectedVersion.any })
  })

/** Appends several writers' plans concurrently through an `EventStore`. */
export const appendConcurrently = (writers: ReadonlyArray<ReadonlyArray<PlannedAppend>>) =>
  Effect.forEach(writers, appendAll, { concurrency: "unbounded", discard: true })

/** Reads every listed stream through the store (W3a); returns the number of events read. */
export const readStreams = (streams: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    let n = 0
    for (const s of streams) n += (yield* store.readStream(s)).length
    return n
  })

/** Reads the whole log in global order (W3b). */
export const readLog = (batchSize: number) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    return yield* Stream.runFold(store.readAll({ batchSize }), () => 0, (n) => n + 1)
  })

/** A fold standing for a decider's `evolve` (W4): counts sizes of uploaded documents. */
export const evolveSize = (state: number, event: RecordedEvent | { readonly data: unknown }): number =>
  state + Number((event.data as { size?: number }).size ?? 0)

/** Rebuilds state from one stream `times` times (W4). */
export const rebuild = (streamId: string, times: number) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    let state = 0
    for (let t = 0; t < times; t++) state = (yield* store.readStream(streamId)).reduce(evolveSize, 0)
    return state
  })

/** What the benches read through an Emmett event store (PostgreSQL or SQLite): its public `readStream`. */
export interface EmmettReader {
  readonly readStream: (streamName: string) => Promise<{ readonly events: ReadonlyArray<{ readonly data: unknown } | null | undefined> }>
}

/** W3a and W4 through Emmett's public API, the same for both of its stores. */
export const emmettReads = (store: EmmettReader) => ({
  readStreams: async (ids: ReadonlyArray<string>) => {
    let n = 0
    for (const id of ids) n += (await store.readStream(id)).events.length
    return n
  },
  rebuild: async (streamId: string, times: number) => {
    let state = 0
    for (let t = 0; t < times; t++) state = (await store.readStream(streamId)).events.reduce((s, e) => evolveSize(s, e!), 0)
    return state
  }
})

/** NDJSON lines of the events, and the rate of `JSON.parse` over them (the replay ceiling). */
export const ndjsonParseRate = async (events: ReadonlyArray<NewEvent>): Promise<number> => {
  const lines = events.map((e) => JSON.stringify(e.data))
  let sink = 0
  // one untimed pass first: a cold JIT would make the ceiling look lower than it is
  for (const line of lines) sink += (JSON.parse(line) as { size: number }).size
  const r = await rate(lines.length, () => {
    for (const line of lines) sink += (JSON.parse(line) as { size: number }).size
  })
  if (sink === 0) throw new Error("nothing parsed")
  return r
}

/** The disk's raw rate of 426-byte `write` + `fdatasync` in `dir` (the ceiling for 1-event appends). */
export const fsyncRate = async (dir: string, count = 1_000): Promise<number> => {
  const file = join(dir, "fsync-probe")
  const fd = openSync(file, "w")
  const line = Buffer.from("x".repeat(425) + "\n")
  try {
    return await rate(count, () => {
      for (let i = 0; i < count; i++) {
        writeSync(fd, line)
        fdatasyncSync(fd)
      }
    })
  } finally {
    closeSync(fd)
    rmSync(file, { force: true })
  }
}

/** A row of the results table: Kho, the raw reference, raw inserts of Kho's rows and optionally a competitor. */
export interface ResultRow {
  readonly id: string
  readonly workload: string
  readonly kho: number
  readonly raw: number
  /** Raw inserts of Kho's own 13-column rows, hashes precomputed (appends only). */
  readonly own?: number | undefined
  readonly other?: number | undefined
}

/**
 * The table's rows from a run's figures, keyed `<workload>kho`, `<workload>raw`, `<workload>own` and
 * `<workload>emmett` (NaN where a system was not measured).
 */
export const resultRows = <K extends string>(
  keys: ReadonlyArray<K>,
  labels: { readonly ids: Record<K, string>; readonly names: Record<K, string> },
  results: Record<`${K}kho` | `${K}raw` | `${K}own` | `${K}emmett`, number>
): Array<ResultRow> =>
  keys.map((k) => ({
    id: labels.ids[k],
    workload: labels.names[k],
    kho: results[`${k}kho`],
    raw: results[`${k}raw`],
    own: results[`${k}own`],
    other: results[`${k}emmett`]
  }))

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US").replace(/,/g, " ")
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`

/**
 * The Markdown table: events/s, with ratios to the raw reference of the same run. The "Kho's rows"
 * columns are informative: raw inserts of the very rows Kho writes, hashes computed before timing,
 * so `Kho ÷ Kho's rows` is the cost of the hash chain and the store logic, and `Kho's rows ÷ raw`
 * the cost of the wider row alone.
 */
export const table = (rows: ReadonlyArray<ResultRow>, otherName: string): string => {
  const head =
    `| id | workload | Kho (events/s) | raw reference | Kho ÷ raw | raw, Kho's rows | Kho ÷ Kho's rows | ${otherName} | ${otherName} ÷ raw |`
  const optional = (value: number | undefined, of: number) =>
    value === undefined || Number.isNaN(value) ? "— | —" : `${fmt(value)} | ${ratio(of, value)}`
  const lines = rows.map((r) =>
    `| ${r.id} | ${r.workload} | ${fmt(r.kho)} | ${fmt(r.raw)} | ${ratio(r.kho, r.raw)} | ${optional(r.own, r.kho)} | ${
      r.other === undefined || Number.isNaN(r.other) ? "— | —" : `${fmt(r.other)} | ${ratio(r.other, r.raw)}`
    } |`
  )
  return [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|", ...lines].join("\n")
}

/**
 * The verdict on the goals of BENCHMARKS.md and issue 6, computed from the rows: Kho at least 0.67×
 * the raw reference on every workload, and ahead of the competitor wherever both are measured.
 */
export const verdict = (rows: ReadonlyArray<ResultRow>, otherName: string): string => {
  const GOAL = 0.67
  const r = (row: ResultRow) => row.kho / row.raw
  const met = rows.filter((row) => r(row) >= GOAL).map((row) => row.id)
  const missed = rows.filter((row) => r(row) < GOAL).map((row) => `${row.id} (${ratio(row.kho, row.raw)})`)
  const compared = rows.filter((row) => row.other !== undefined && !Number.isNaN(row.other))
  const behind = compared.filter((row) => row.kho <= row.other!).map((row) => row.id)
  const goal = missed.length === 0
    ? `met on every workload (${met.join(", ")})`
    : `met on ${met.length > 0 ? met.join(", ") : "no workload"}; not met on ${missed.join(", ")}` +
      " (where the time goes: docs/adr/0100)"
  const ahead = compared.length === 0
    ? `${otherName} not measured in this run`
    : behind.length === 0
    ? `ahead of ${otherName} on every workload both measure (${compared.map((row) => row.id).join(", ")})`
    : `behind ${otherName} on ${behind.join(", ")}`
  return `**Goal** (Kho ≥ ${GOAL}× the raw reference, ahead of ${otherName}): ${goal}; ${ahead}.`
}

/** The `index`-th of `count` equal slices of a plan. */
export const slice = <A>(items: ReadonlyArray<A>, count: number, index: number): ReadonlyArray<A> => {
  const size = Math.ceil(items.length / count)
  return items.slice(index * size, (index + 1) * size)
}

/**
 * Runs each system's slice `i` in turn, for every slice, and returns events/s per system. Shared
 * machines are noisy (the disk's fsync rate swings tenfold within a minute here): alternating
 * small slices exposes every system to the same noise, so the ratios stay meaningful. The system
 * that goes first changes from slice to slice: the first to touch a slice's events reads them from
 * cold memory, and that cost is shared out evenly instead of falling on one system every time.
 */
export const interleave = async <K extends string>(
  events: number,
  slices: number,
  runners: { readonly [P in K]: ((slice: number) => Promise<unknown> | unknown) | undefined }
): Promise<Record<K, number>> => {
  // a system without a runner (not installed in this run) is reported as NaN
  const keys = (Object.keys(runners) as Array<K>).filter((k) => runners[k] !== undefined)
  const spent = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>
  for (let i = 0; i < slices; i++) {
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(i + j) % keys.length]!
      const start = performance.now()
      await runners[k]!(i)
      spent[k] += performance.now() - start
    }
  }
  return Object.fromEntries(
    (Object.keys(runners) as Array<K>).map((k) => [k, k in spent ? events / (spent[k] / 1000) : Number.NaN])
  ) as Record<K, number>
}
