/**
 * The KPI ledger (`@kho/core/KpiLedger`) as a PostgreSQL read model, built by `PgProjectionWorker`:
 * each batch of events is folded with the ledger's own step (`KpiLedger.stepWith`, so the projection
 * counts exactly what a replay counts), and its counters, the complaints still open and the head are
 * written in the transaction that also moves the checkpoint, on the connection that holds the
 * projection's advisory lock. Whichever worker owns the lock, every event takes effect once.
 *
 * Tables (in the store's schema, the pool's `search_path`):
 * - `kpi_cells` — the ledger's counters per agency and Vietnamese day, one column per
 *   `KpiLedger.Facts` counter; a batch adds its own counts to them;
 * - `kpi_open_complaints` — the ledger's only per-item state (a complaint from filing to closing),
 *   so a complaint filed before a hand-over and closed after it is still counted on time or late;
 * - `kpi_head` — position, head hash and recording time of the last event folded;
 * - `projected_events` — which worker projected each event and how many times (the example's
 *   evidence that no event is projected twice and none is missed; a real read model would not
 *   keep it).
 *
 * {@link read} turns the tables back into a `KpiLedger`, which `ReuseRate.report` reads like any
 * other.
 *
 * @since 0.1.0
 */
import type * as EventCodec from "@kho/core/EventCodec"
import type { EventStoreError } from "@kho/core/EventStore"
import { GENESIS_HASH } from "@kho/core/HashChain"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as Upcaster from "@kho/core/Upcaster"
import type { PgDatabase, PgProjectionWorker } from "@kho/store-postgres"
import { Effect, Result, Schema } from "effect"

/**
 * The projection's name: its checkpoint and its lock.
 *
 * @since 0.1.0
 */
export const NAME = "kpi-ledger"

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

/**
 * A `kpi_cells` row's counters: one int column per name of `KpiLedger.factNames`, so a counter added
 * to the ledger is added to the read model too.
 */
const Facts = Schema.Struct(Object.fromEntries(KpiLedger.factNames.map((name) => [name, Schema.Int])))

/** The counters of a decoded row, as the ledger has them. */
const factsOf = (row: typeof Facts.Type): KpiLedger.Facts => {
  const facts: { -readonly [K in keyof KpiLedger.Facts]: number } = { ...KpiLedger.noFacts }
  for (const name of KpiLedger.factNames) facts[name] = row[name]!
  return facts
}

/**
 * An open complaint as `kpi_open_complaints` stores it (jsonb): `KpiLedger.OpenComplaint`, the
 * deadlines only (no owner, document or reason: the ledger holds no personal data).
 */
const OpenComplaint = Schema.Struct({
  complaintId: Schema.String,
  agencyCode: Schema.String,
  filedAt: Schema.String,
  filedOn: Schema.String,
  rejectDue: Schema.NullOr(Schema.String),
  handleDue: Schema.NullOr(Schema.String),
  calendarProblem: Schema.NullOr(Schema.String),
  acknowledgedOn: Schema.NullOr(Schema.String),
  outcome: Schema.Literals(["Open", "Resolved", "Rejected"]),
  closedAt: Schema.NullOr(Schema.String),
  closedOn: Schema.NullOr(Schema.String)
})
/** `OpenComplaint` is `KpiLedger.OpenComplaint`: a field added to one breaks the typecheck here. */
const entryMatch: Same<typeof OpenComplaint.Type, KpiLedger.OpenComplaint> = true

const CellRow = Schema.Struct({ agency_code: Schema.String, day: Schema.String })
const OpenRow = Schema.Struct({ entry: OpenComplaint })
const HeadRow = Schema.Struct({ position: Schema.Int, head_hash: Schema.String, last_recorded_at: Schema.NullOr(Schema.String) })

const factColumns = KpiLedger.factNames.map((name) => `"${name}"`)

/**
 * The read model's tables, to create once in the store's schema.
 *
 * @since 0.1.0
 */
export const ddl: ReadonlyArray<string> = [
  `CREATE TABLE kpi_cells (agency_code text NOT NULL, day text NOT NULL, ${
    factColumns.map((c) => `${c} int NOT NULL`).join(", ")
  }, PRIMARY KEY (agency_code, day))`,
  `CREATE TABLE kpi_open_complaints (complaint_id text PRIMARY KEY, entry jsonb NOT NULL)`,
  `CREATE TABLE kpi_head (one boolean PRIMARY KEY DEFAULT true CHECK (one), position bigint NOT NULL,
     head_hash text NOT NULL, last_recorded_at text)`,
  `CREATE TABLE projected_events (position bigint PRIMARY KEY, recorded_at text NOT NULL, worker text NOT NULL,
     times int NOT NULL)`
]

/** Adds a batch's counters to `kpi_cells`, one statement for the whole batch. */
const addCells = `INSERT INTO kpi_cells (agency_code, day, ${factColumns.join(", ")})
  SELECT * FROM unnest($1::text[], $2::text[], ${factColumns.map((_, i) => `$${i + 3}::int[]`).join(", ")})
  ON CONFLICT (agency_code, day) DO UPDATE SET ${
  factColumns.map((c) => `${c} = kpi_cells.${c} + excluded.${c}`).join(", ")
}`

/** The read model's state could not be read back (a table written by something else). */
const decodeRows = <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S, rows: ReadonlyArray<unknown>) =>
  Effect.mapError(
    Schema.decodeUnknownEffect(Schema.Array(schema))(rows),
    (issue) => new ReadModelCorrupt({ message: `the KPI read model holds a row it cannot read: ${issue.message}` })
  )

/**
 * A row of the read model does not decode: something other than this projection wrote it.
 *
 * @since 0.1.0
 */
export class ReadModelCorrupt extends Schema.TaggedError<ReadModelCorrupt>()("ReadModelCorrupt", {
  message: Schema.String
}) {}

/** The open complaints, as the ledger keeps them. */
const openComplaints = (query: PgDatabase.Transaction["query"]) =>
  Effect.flatMap(
    query("SELECT entry FROM kpi_open_complaints"),
    (rows) => Effect.map(decodeRows(OpenRow, rows), (decoded) => new Map(decoded.map((r) => [r.entry.complaintId, r.entry])))
  )

/**
 * What a worker of the projection can fail with.
 *
 * @since 0.1.0
 */
export type WorkerError = EventCodec.EventDecodeError | EventStoreError | ReadModelCorrupt

/**
 * The options of one worker of the projection, named `worker`; `onOwnership` is called once it owns
 * the projection (with the checkpoint it resumes from).
 *
 * @since 0.1.0
 */
export const worker = (
  worker: string,
  onOwnership: (checkpoint: number) => Effect.Effect<void>
): PgProjectionWorker.Options<WorkerError> => ({
  name: NAME,
  batchSize: 500,
  retryInterval: 50,
  onOwnership,
  handle: (events, tx) =>
    Effect.gen(function*() {
      yield* tx.query(
        `INSERT INTO projected_events (position, recorded_at, worker, times)
         SELECT p, r, $3, 1 FROM unnest($1::bigint[], $2::text[]) AS u(p, r)
         ON CONFLICT (position) DO UPDATE SET times = projected_events.times + 1`,
        [events.map((e) => e.globalPosition), events.map((e) => e.recordedAt), worker]
      )
      // the batch folded into a ledger that starts from the complaints still open: its cells are
      // then this batch's counts alone, to add to the table's
      const step = KpiLedger.stepWith(yield* Effect.service(Upcaster.CurrentRegistry))
      let ledger: KpiLedger.KpiLedger = {
        ...KpiLedger.empty(),
        openComplaints: yield* openComplaints(tx.query)
      }
      for (const event of events) {
        const next = step(ledger, event)
        if (Result.isFailure(next)) return yield* Effect.fail(next.failure)
        ledger = next.success
      }

      const cells = [...ledger.cells].flatMap(([agency, days]) => [...days].map(([day, facts]) => ({ agency, day, facts })))
      if (cells.length > 0) {
        yield* tx.query(addCells, [
          cells.map((c) => c.agency),
          cells.map((c) => c.day),
          ...KpiLedger.factNames.map((name) => cells.map((c) => c.facts[name]))
        ])
      }
      yield* tx.query("DELETE FROM kpi_open_complaints")
      if (ledger.openComplaints.size > 0) {
        const open = [...ledger.openComplaints.values()]
        yield* tx.query(
          "INSERT INTO kpi_open_complaints (complaint_id, entry) SELECT * FROM unnest($1::text[], $2::jsonb[])",
          [open.map((e) => e.complaintId), open.map((e) => JSON.stringify(e))]
        )
      }
      yield* tx.query(
        `INSERT INTO kpi_head (position, head_hash, last_recorded_at) VALUES ($1, $2, $3)
         ON CONFLICT (one) DO UPDATE SET position = excluded.position, head_hash = excluded.head_hash,
           last_recorded_at = excluded.last_recorded_at`,
        [ledger.position, ledger.headHash, ledger.lastRecordedAt]
      )
    })
})

/**
 * The ledger the read model holds (position 0 and the genesis hash before any event), for
 * `ReuseRate.report` and the other queries of `KpiLedger`.
 *
 * @since 0.1.0
 */
export const read = (
  database: PgDatabase.PgDatabase["Service"]
): Effect.Effect<KpiLedger.KpiLedger, EventStoreError | ReadModelCorrupt> =>
  Effect.gen(function*() {
    const query = (sql: string) => database.query("reading the KPI read model", sql)
    const rows = yield* query("SELECT * FROM kpi_cells ORDER BY agency_code, day")
    const keys = yield* decodeRows(CellRow, rows)
    const counters = yield* decodeRows(Facts, rows)
    const headRows = yield* decodeRows(
      HeadRow,
      yield* query("SELECT position::int AS position, head_hash, last_recorded_at FROM kpi_head")
    )
    const cells = new Map<string, Map<string, KpiLedger.Facts>>()
    keys.forEach(({ agency_code, day }, i) => {
      const days = cells.get(agency_code) ?? new Map<string, KpiLedger.Facts>()
      days.set(day, factsOf(counters[i]!))
      cells.set(agency_code, days)
    })
    const head = headRows[0]
    return {
      position: head?.position ?? 0,
      headHash: head?.head_hash ?? GENESIS_HASH,
      lastRecordedAt: head?.last_recorded_at ?? null,
      cells,
      openComplaints: yield* openComplaints((sql) => database.query("reading the KPI read model", sql))
    }
  })

// the compile-time check above is a value only so that the compiler evaluates it
void entryMatch
