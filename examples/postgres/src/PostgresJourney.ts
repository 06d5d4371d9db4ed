/**
 * The citizen journey (`@kho-examples/citizen-journey`) on PostgreSQL, with two projection workers.
 *
 * - The database: `KHO_PG_URL` when given (the example works in a fresh schema and drops it at the
 *   end), otherwise a throwaway cluster started for the run (`initdb` + `pg_ctl` into a temporary
 *   directory, the same starter as `@kho/store-postgres`'s tests) and deleted afterwards.
 * - Two workers run the "who used my data" projection (`PgProjectionWorker`): worker-1 takes the
 *   projection's advisory lock, worker-2 waits for it. After Part II, worker-1 is stopped (as in a
 *   rolling deploy); worker-2 takes over from the checkpoint. In the end every event of the log
 *   has been projected exactly once, the first part by worker-1, the rest by worker-2.
 */
import * as Journey from "@kho-examples/citizen-journey/Journey"
import { EventStore } from "@kho/core/EventStore"
import * as FileStore from "@kho/core/FileStore"
import { PgDatabase, PgEventStore, PgProjectionWorker } from "@kho/store-postgres"
import { Console, Context, Deferred, Effect, Fiber, Layer, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { start as startCluster } from "../../../packages/store-postgres/test/utils/pgCluster.ts"
import * as WhoUsedMyData from "./WhoUsedMyData.ts"

/** Options of {@link run}. */
export interface Options {
  /** A PostgreSQL URL (default: `KHO_PG_URL`, else a throwaway cluster). */
  readonly url?: string | undefined
  /** Where each printed line goes (default `Console.log`). */
  readonly print?: (line: string) => Effect.Effect<void>
}

/** Which worker projected which events, as the read model records it. */
export interface Projected {
  readonly worker: string
  readonly first: number
  readonly last: number
  readonly count: number
}

/** What the run did. */
export interface Summary {
  readonly journey: Journey.Summary
  /** Per worker, in order of the positions they projected. */
  readonly projected: ReadonlyArray<Projected>
  /** Events projected more than once (must be 0) and events never projected (must be 0). */
  readonly duplicates: number
  readonly missing: number
  /** The access log as the read model has it: position, kind, who, procedure. */
  readonly readModel: ReadonlyArray<{ readonly position: number; readonly kind: string; readonly who: string; readonly procedure: string }>
  readonly handedOverAt: number
  readonly lines: ReadonlyArray<string>
}

/** PostgreSQL could not be reached or started. */
export class PostgresUnavailable extends Schema.TaggedError<PostgresUnavailable>()("PostgresUnavailable", {
  message: Schema.String
}) {}

/** A projection did not catch up with the log in time. */
export class ProjectionStalled extends Schema.TaggedError<ProjectionStalled>()("ProjectionStalled", {
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

/** Runs the journey on PostgreSQL; everything it starts is stopped and removed at the end. */
export const run = (options: Options = {}) =>
  Effect.scoped(Effect.gen(function*() {
    const lines: Array<string> = []
    const out = options.print ?? ((line: string) => Console.log(line))
    const print = (line: string) => Effect.andThen(Effect.sync(() => lines.push(line)), out(line))
    const note = (line: string) => print(`    ⚙ ${line}`)

    const given = options.url ?? process.env["KHO_PG_URL"]
    const url = given ?? (yield* throwawayCluster).url
    yield* print(given === undefined ? "PostgreSQL: throwaway cluster (initdb, deleted at the end)" : "PostgreSQL: KHO_PG_URL")
    // a fresh schema, so the journey starts on an empty log even on a shared server
    const schema = `kho_journey_${randomUUID().slice(0, 8)}`
    const context = yield* Layer.build(Layer.merge(
      PgEventStore.layer({ url, schema, poolSize: 6, pollInterval: 50 }),
      FileStore.layerMemory
    )).pipe(Effect.mapError((error) => new PostgresUnavailable({ message: `${url}: ${error.message}` })))
    const database = Context.get(context, PgDatabase.PgDatabase)
    const store = Context.get(context, EventStore)
    yield* Effect.addFinalizer(() => Effect.ignore(database.query("dropping the example's schema", `DROP SCHEMA ${schema} CASCADE`)))
    for (const sql of WhoUsedMyData.ddl) yield* database.query("creating the read model", sql)

    const checkpoint = Effect.map(
      database.query("reading the checkpoint", "SELECT position FROM kho_checkpoints WHERE projection = $1", [WhoUsedMyData.NAME]),
      (rows) => Number(rows[0]?.["position"] ?? 0)
    )
    /** Waits until the projection has handled the whole log. */
    const caughtUp = Effect.gen(function*() {
      const head = (yield* store.head).position
      for (let i = 0; i < 600; i++) {
        if ((yield* checkpoint) >= head) return head
        yield* Effect.sleep("50 millis")
      }
      return yield* new ProjectionStalled({ message: `the projection did not reach position ${head} within 30 s` })
    })

    const owned1 = yield* Deferred.make<number>()
    const owned2 = yield* Deferred.make<number>()
    const worker1 = yield* Effect.forkChild(
      PgProjectionWorker.run(WhoUsedMyData.worker("worker-1", (at) => Effect.asVoid(Deferred.succeed(owned1, at)))).pipe(
        Effect.provide(context)
      )
    )
    yield* note(`worker-1 owns "${WhoUsedMyData.NAME}" from checkpoint ${yield* Deferred.await(owned1)} (pg_try_advisory_lock)`)
    const worker2 = yield* Effect.forkChild(
      PgProjectionWorker.run(WhoUsedMyData.worker("worker-2", (at) => Effect.asVoid(Deferred.succeed(owned2, at)))).pipe(
        Effect.provide(context)
      )
    )
    yield* note("worker-2 started: it waits for the lock")

    let handedOverAt = 0
    const handOver = Effect.gen(function*() {
      const head = yield* caughtUp
      yield* note(`worker-1 projected up to position ${head}; worker-1 stops (a rolling deploy)`)
      yield* Fiber.interrupt(worker1)
      handedOverAt = yield* Deferred.await(owned2)
      yield* note(`worker-2 takes over from checkpoint ${handedOverAt}`)
    })
    const journey = yield* Journey.run({
      print,
      between: (finished) =>
        (finished === "online" ? handOver : finished === "log" ? Effect.asVoid(caughtUp) : Effect.void).pipe(Effect.orDie)
    }).pipe(Effect.provide(context))
    yield* Fiber.interrupt(worker2)

    const rows = yield* database.query(
      "reading the read model",
      "SELECT worker, min(position)::int AS first, max(position)::int AS last, count(*)::int AS n, sum(times - 1)::int AS dup FROM projected_events GROUP BY worker ORDER BY min(position)"
    )
    const projected = rows.map((r) => ({ worker: String(r["worker"]), first: Number(r["first"]), last: Number(r["last"]), count: Number(r["n"]) }))
    const duplicates = rows.reduce((sum, r) => sum + Number(r["dup"]), 0)
    const missing = journey.head.position - projected.reduce((sum, p) => sum + p.count, 0)
    const access = yield* database.query("reading the access log", "SELECT position, kind, who, procedure FROM store_access ORDER BY position")
    const readModel = access.map((r) => ({ position: Number(r["position"]), kind: String(r["kind"]), who: String(r["who"]), procedure: String(r["procedure"]) }))

    yield* print("")
    yield* print("══ Hai worker, mỗi sự kiện được chiếu đúng một lần / two workers, each event projected exactly once")
    for (const p of projected) yield* note(`${p.worker}: positions ${p.first}–${p.last} (${p.count} events)`)
    yield* note(`${journey.head.position} events, ${duplicates} projected twice, ${missing} never projected`)
    const same = readModel.length === journey.accessLog.length &&
      readModel.every((r, i) => r.position === journey.accessLog[i]?.position && r.kind === journey.accessLog[i]?.kind)
    yield* note(`read model "store_access": ${readModel.length} entries, ${same ? "the same as" : "NOT the same as"} the owner's stream`)
    return { journey, projected, duplicates, missing, readModel, handedOverAt, lines } satisfies Summary
  }))
