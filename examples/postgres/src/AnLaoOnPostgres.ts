/**
 * The An Lão 2024 scenario (`@kho/testing/AnLao2024`, the one `examples/an-lao-2024` writes to SQLite)
 * on PostgreSQL, with two projection workers building the KPI read model.
 *
 * - The database: `KHO_PG_URL` when given (the example works in a fresh schema and drops it at the
 *   end), otherwise a throwaway cluster started for the run (`initdb` + `pg_ctl` into a temporary
 *   directory, the same starter as `@kho/store-postgres`'s tests) and deleted afterwards.
 * - The log: by default the scenario runs through the real services on an in-memory log (≈ 6 s), and
 *   the sealed log is imported into PostgreSQL (`importRecorded`, 1 000 events per transaction, the
 *   hash chain checked). With `direct`, the services append straight into `PgEventStore`, one command
 *   at a time (about three round trips per event: some three minutes on a busy two-core machine).
 *   Either way the log in PostgreSQL is the same, event for event and hash for hash.
 * - Two workers run the KPI projection (`PgProjectionWorker`, `KpiReadModel`) while the log is written:
 *   worker-1 takes the projection's advisory lock, worker-2 waits for it. Once worker-1 has projected
 *   January, it is stopped (as in a rolling deploy); worker-2 takes the lock and resumes from the
 *   checkpoint.
 * - Appendix I is then read from the read model, and compared with Appendix I folded from the log
 *   directly (`KpiLedger.fromStore` over PostgreSQL): same figures, same log position and head hash.
 *
 * @since 0.1.0
 */
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import type { LogHead } from "@kho/core/EventStore"
import * as EventStore from "@kho/core/EventStore"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as ReuseRate from "@kho/core/ReuseRate"
import * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as Target from "@kho/core/Target"
import * as VietnameseFormat from "@kho/core/VietnameseFormat"
import * as Json from "@kho/report/Json"
import * as Terminal from "@kho/report/Terminal"
import { PgDatabase, PgEventStore, PgProjectionWorker } from "@kho/store-postgres"
import * as AnLao2024 from "@kho/testing/AnLao2024"
import * as ScenarioKit from "@kho/testing/ScenarioKit"
import { Cause, Console, Context, Deferred, Effect, Fiber, Layer, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { isDeepStrictEqual } from "node:util"
import { start as startCluster } from "../../../packages/store-postgres/test/utils/pgCluster.ts"
import * as KpiReadModel from "./KpiReadModel.ts"

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 */
export interface Options {
  /** A PostgreSQL URL (default: `KHO_PG_URL`, else a throwaway cluster). */
  readonly url?: string | undefined
  /** Generate straight into PostgreSQL instead of importing the log generated in memory (slow). */
  readonly direct?: boolean
  /** Where each printed line goes (default `Console.log`). */
  readonly print?: (line: string) => Effect.Effect<void>
}

/**
 * Which worker projected which events, as the read model records it.
 *
 * @since 0.1.0
 */
export interface Projected {
  readonly worker: string
  readonly first: number
  readonly last: number
  readonly count: number
}

/**
 * What the run did.
 *
 * @since 0.1.0
 */
export interface Summary {
  readonly scenario: AnLao2024.Scenario
  /** The head of the log in PostgreSQL. */
  readonly head: LogHead
  /** Appendix I read from the KPI read model the two workers built. */
  readonly fromProjection: ReuseRateReport.ReuseRateReport
  /** Appendix I folded from the log in PostgreSQL directly. */
  readonly fromLog: ReuseRateReport.ReuseRateReport
  /** Whether the two ledgers are equal: every agency-day's counters, every open complaint, the head. */
  readonly sameLedger: boolean
  /** Per worker, in order of the positions they projected. */
  readonly projected: ReadonlyArray<Projected>
  /** Events projected more than once (must be 0) and events never projected (must be 0). */
  readonly duplicates: number
  readonly missing: number
  /** The checkpoint worker-2 resumed from. */
  readonly handedOverAt: number
  readonly lines: ReadonlyArray<string>
}

/**
 * PostgreSQL could not be reached or started.
 *
 * @since 0.1.0
 */
export class PostgresUnavailable extends Schema.TaggedError<PostgresUnavailable>()("PostgresUnavailable", {
  message: Schema.String
}) {}

/**
 * A projection did not get where it should in time.
 *
 * @since 0.1.0
 */
export class ProjectionStalled extends Schema.TaggedError<ProjectionStalled>()("ProjectionStalled", {
  message: Schema.String
}) {}

/**
 * The read model and the log disagree, or an event was projected twice or never: a bug in the
 * projection or in the worker. Raised after everything is printed.
 *
 * @since 0.1.0
 */
export class ProjectionMismatch extends Schema.TaggedError<ProjectionMismatch>()("ProjectionMismatch", {
  message: Schema.String
}) {}

/** A throwaway cluster for the run, stopped and deleted when the scope closes. */
const throwawayCluster = Effect.acquireRelease(
  Effect.tryPromise({
    try: () => startCluster(),
    catch: (cause) =>
      new PostgresUnavailable({
        message: `could not start a throwaway PostgreSQL cluster (set KHO_PG_URL to use a running server): ${String(cause)}`
      })
  }),
  (cluster) => Effect.sync(() => cluster.stop())
)

/** Appendix I of the seed (1 January – 20 March 2024) from a ledger, with the 60 % target. */
const appendixI = (ledger: KpiLedger.KpiLedger) =>
  Effect.fromResult(ReuseRate.report(ledger, {
    period: AnLao2024.period,
    units: AdministrativeUnit.binhDinhAnLao,
    root: AdministrativeUnit.AN_LAO,
    targets: Target.anLao2024
  }))

/** Worker-1 hands over once it has projected the first event recorded on 1 February 2024 (Vietnam). */
const handOverFrom = ScenarioKit.vn("2024-02-01", 0)

const POLL = "50 millis"
const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`

/**
 * Runs the scenario on PostgreSQL; everything it starts is stopped and removed at the end.
 *
 * @since 0.1.0
 */
export const run = (options: Options = {}) =>
  Effect.scoped(Effect.gen(function*() {
    const lines: Array<string> = []
    const out = options.print ?? ((line: string) => Console.log(line))
    const print = (line: string) => Effect.andThen(Effect.sync(() => lines.push(line)), out(line))
    const note = (line: string) => print(`    ⚙ ${line}`)

    const given = options.url ?? process.env["KHO_PG_URL"]
    const url = given ?? (yield* throwawayCluster).url
    // a fresh schema, so the scenario starts on an empty log even on a shared server
    const schema = `kho_an_lao_${randomUUID().slice(0, 8)}`
    yield* print(
      given === undefined
        ? `PostgreSQL: a throwaway cluster (initdb, deleted at the end), schema ${schema}`
        : `PostgreSQL: KHO_PG_URL, schema ${schema} (dropped at the end)`
    )
    const context = yield* Layer.build(PgEventStore.layer({ url, schema, poolSize: 8, pollInterval: 50 })).pipe(
      Effect.mapError((error) => new PostgresUnavailable({ message: `${url}: ${error.message}` }))
    )
    const database = Context.get(context, PgDatabase.PgDatabase)
    const store = Context.get(context, EventStore.EventStore)
    yield* Effect.addFinalizer(() => Effect.ignore(database.query("dropping the example's schema", `DROP SCHEMA ${schema} CASCADE`)))
    for (const sql of KpiReadModel.ddl) yield* database.query("creating the KPI read model", sql)

    /** The projection's checkpoint, and when the event there was recorded. */
    const checkpoint = Effect.map(
      database.query(
        "reading the checkpoint",
        `SELECT c.position::int AS position, p.recorded_at FROM kho_checkpoints c
         LEFT JOIN projected_events p ON p.position = c.position WHERE c.projection = $1`,
        [KpiReadModel.NAME]
      ),
      (rows) => ({ position: Number(rows[0]?.["position"] ?? 0), recordedAt: String(rows[0]?.["recorded_at"] ?? "") })
    )
    /** A worker that fails (rather than being stopped) fails the run, instead of leaving it waiting. */
    const workerFailed = yield* Deferred.make<never, KpiReadModel.WorkerError>()
    /** Polls `done` until it holds, for at most `limit` polls. */
    const until = (done: Effect.Effect<boolean, unknown>, limit: number, what: string) =>
      Effect.gen(function*() {
        for (let i = 0; i < limit; i++) {
          if (yield* Deferred.isDone(workerFailed)) return yield* Deferred.await(workerFailed)
          if (yield* Effect.orDie(done)) return
          yield* Effect.sleep(POLL)
        }
        return yield* new ProjectionStalled({ message: `${what} did not happen within ${limit / 20} s` })
      })

    /** Waits for a worker to own the projection (or for a worker to fail). */
    const owning = (owned: Deferred.Deferred<number>) => Effect.raceFirst(Deferred.await(owned), Deferred.await(workerFailed))

    // -- two workers: one owns the projection, the other waits for the lock
    const owned1 = yield* Deferred.make<number>()
    const owned2 = yield* Deferred.make<number>()
    const startWorker = (name: string, owned: Deferred.Deferred<number>) =>
      Effect.forkChild(
        PgProjectionWorker.run(KpiReadModel.worker(name, (at) => Effect.asVoid(Deferred.succeed(owned, at)))).pipe(
          Effect.provide(context),
          Effect.onError((cause) => Cause.hasInterruptsOnly(cause) ? Effect.void : Deferred.failCause(workerFailed, cause))
        )
      )
    const worker1 = yield* startWorker("worker-1", owned1)
    yield* note(`worker-1 owns the projection "${KpiReadModel.NAME}" from checkpoint ${yield* owning(owned1)} (pg_try_advisory_lock)`)
    const worker2 = yield* startWorker("worker-2", owned2)
    yield* note("worker-2 started: it waits for the lock")
    // the rolling deploy, while the log is being written: worker-1 stops once it has projected January
    const handOver = yield* Effect.forkChild(Effect.gen(function*() {
      yield* until(
        Effect.map(checkpoint, (c) => c.recordedAt !== "" && Date.parse(c.recordedAt) >= handOverFrom),
        12_000,
        "worker-1 projecting January"
      )
      yield* Fiber.interrupt(worker1)
      return yield* owning(owned2)
    }))

    // -- the log
    yield* print("")
    yield* print(
      "An Lão district (Bình Định), 1 January – 20 March 2024: the first quarter through the real services\n" +
        `(AnLao2024 of @kho/testing: dossiers, uploads, agency-issued results, certified copies, reuse), ${
          options.direct === true ? "appended straight into PostgreSQL, one command at a time …" : "on an in-memory log …"
        }`
    )
    let started = performance.now()
    const scenario = options.direct === true
      ? yield* AnLao2024.generate().pipe(Effect.provide(context))
      : yield* Effect.gen(function*() {
        const memory = yield* EventStore.makeMemory
        const scenario = yield* AnLao2024.generate().pipe(Effect.provideService(EventStore.EventStore, memory))
        yield* print(`… ${VietnameseFormat.integer(scenario.head.position)} events in ${seconds(started)}.`)
        yield* print("Importing the sealed log into PostgreSQL (importRecorded, 1 000 events per transaction, chain checked) …")
        started = performance.now()
        yield* EventStore.importStream(memory.readAll()).pipe(Effect.provideService(EventStore.EventStore, store))
        return scenario
      })
    const head = yield* store.head
    const received = scenario.dossiers.filter((d) => d.inPeriod).length
    yield* print(
      `… ${VietnameseFormat.integer(scenario.dossiers.length)} dossiers planned ` +
        `(${VietnameseFormat.integer(received)} received in the period), ` +
        `${VietnameseFormat.integer(head.position)} events in PostgreSQL, in ${seconds(started)}.\n` +
        `Log position ${head.position}, head hash ${head.hash}`
    )

    const handedOverAt = yield* Fiber.join(handOver)
    yield* note(`worker-1 projected January and stopped (a rolling deploy); worker-2 took the lock at checkpoint ${handedOverAt}`)
    yield* until(Effect.map(checkpoint, (c) => c.position >= head.position), 2_400, `the projection reaching position ${head.position}`)
    yield* note(`worker-2 projected up to the head (position ${head.position})`)
    yield* Fiber.interrupt(worker2)

    // -- Appendix I, from the read model and from the log
    const projectedLedger = yield* KpiReadModel.read(database)
    const fromProjection = yield* appendixI(projectedLedger)
    const logLedger = yield* KpiLedger.fromStore().pipe(Effect.provideService(EventStore.EventStore, store))
    const fromLog = yield* appendixI(logLedger)
    const view = (l: KpiLedger.KpiLedger) => [l.position, l.headHash, l.lastRecordedAt, l.cells, l.openComplaints]
    const sameLedger = isDeepStrictEqual(view(projectedLedger), view(logLedger))
    const sameReport = Json.render(fromProjection) === Json.render(fromLog)

    yield* print("")
    yield* print("Appendix I, read from the KPI read model the two workers built:")
    yield* print("")
    yield* print(Terminal.render(fromProjection))
    const total = fromProjection.total
    yield* print(
      `Whole district: ${VietnameseFormat.percent(ReuseRateReport.rate(total))} % ` +
        `(${VietnameseFormat.integer(total.reused)} of ${VietnameseFormat.integer(total.received)} dossiers reused digitised data), ` +
        "against a target of 60 %."
    )
    yield* print("")
    yield* print("══ Mô hình đọc = nhật ký / the read model against a fold of the log")
    yield* note(
      `folded from the log directly (KpiLedger.fromStore over PostgreSQL): ` +
        `${VietnameseFormat.integer(fromLog.total.received)} received, ${VietnameseFormat.integer(fromLog.total.reused)} reused, ` +
        `${VietnameseFormat.percent(ReuseRateReport.rate(fromLog.total))} %, log position ${fromLog.computedFrom.position}, ` +
        `head hash ${fromLog.computedFrom.headHash}`
    )
    yield* note(
      `Appendix I from the read model and from the log: ${sameReport ? "identical" : "DIFFERENT"} (JSON, byte for byte)`
    )
    const agencyDays = [...projectedLedger.cells.values()].reduce((n, days) => n + days.size, 0)
    yield* note(
      `KPI ledgers: ${sameLedger ? "identical" : "DIFFERENT"} (${agencyDays} agency-days, ` +
        `${projectedLedger.openComplaints.size} complaints still open, position ${projectedLedger.position})`
    )

    // -- who projected what
    const rows = yield* database.query(
      "reading who projected what",
      `SELECT worker, min(position)::int AS first, max(position)::int AS last, count(*)::int AS n, sum(times - 1)::int AS dup
       FROM projected_events GROUP BY worker ORDER BY min(position)`
    )
    const projected = rows.map((r) => ({ worker: String(r["worker"]), first: Number(r["first"]), last: Number(r["last"]), count: Number(r["n"]) }))
    const duplicates = rows.reduce((sum, r) => sum + Number(r["dup"]), 0)
    const missingRows = yield* database.query(
      "looking for events never projected",
      `SELECT count(*)::int AS n FROM generate_series(1, $1::bigint) AS g(p)
       WHERE NOT EXISTS (SELECT 1 FROM projected_events WHERE position = g.p)`,
      [head.position]
    )
    const missing = Number(missingRows[0]?.["n"] ?? 0)
    yield* print("")
    yield* print("══ Hai worker, mỗi sự kiện được chiếu đúng một lần / two workers, each event projected exactly once")
    for (const p of projected) yield* note(`${p.worker}: positions ${p.first}–${p.last} (${p.count} events)`)
    yield* note(`${head.position} events, ${duplicates} projected twice, ${missing} never projected`)
    if (!sameReport || !sameLedger || duplicates > 0 || missing > 0) {
      return yield* new ProjectionMismatch({
        message: `the KPI read model is not the log's: report ${sameReport ? "identical" : "different"}, ledger ` +
          `${sameLedger ? "identical" : "different"}, ${duplicates} events projected twice, ${missing} never projected`
      })
    }
    return {
      scenario,
      head,
      fromProjection,
      fromLog,
      sameLedger,
      projected,
      duplicates,
      missing,
      handedOverAt,
      lines
    } satisfies Summary
  }))
