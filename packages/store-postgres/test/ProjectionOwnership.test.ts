/**
 * Projection ownership across processes: a child process owns the projection, an in-process worker
 * waits; the child is SIGKILLed mid-way and the waiting worker takes over from the checkpoint.
 * Every event is applied exactly once, and never by both workers.
 */
import { it } from "@effect/vitest"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import { Context, Deferred, Effect, Exit, Fiber, Layer, Option } from "effect"
import { spawn } from "node:child_process"
import { assert, inject } from "vitest"
import { PgDatabase, PgEventStore, PgProjectionWorker } from "../src/index.ts"
import { seenProjection } from "./fixtures/seenProjection.ts"
import { freshSchema } from "./utils/freshSchema.ts"

const url = inject("pgUrl")
const workerScript = new URL("./fixtures/projectionWorker.ts", import.meta.url).pathname

it.live("two workers, one killed mid-way: the other resumes from the checkpoint, no double work", () =>
  Effect.gen(function*() {
    const schema = freshSchema("proj")
    const context = yield* Layer.build(PgEventStore.layer({ url, schema, poolSize: 4, pollInterval: 50 }))
    const store = Context.get(context, EventStore)
    const database = Context.get(context, PgDatabase.PgDatabase)
    yield* database.query("creating the read model", "CREATE TABLE seen (position bigint PRIMARY KEY, worker text NOT NULL, times int NOT NULL)")
    const total = 200
    for (let a = 0; a < total / 10; a++) {
      yield* store.append(`doc-${a}`, Array.from({ length: 10 }, (_, k) => ({
        type: "DocumentUploaded",
        schemaVersion: 1,
        data: { a, k },
        metadata: { actor: { _tag: "System" as const, component: "projection-test" }, commandId: `c-${a}`, correlationId: "c", causationId: null }
      })), { expectedVersion: ExpectedVersion.noStream })
    }

    // worker A: a child process we will kill
    const child = spawn(process.execPath, [workerScript, url, schema, "A"], { stdio: ["ignore", "pipe", "pipe"] })
    const ownedByA = yield* Deferred.make<void>()
    const progressA = yield* Deferred.make<number>()
    const exited = yield* Deferred.make<void>()
    child.on("exit", () => Deferred.doneUnsafe(exited, Effect.void))
    let stderr = ""
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) {
        if (line.startsWith("owned")) Deferred.doneUnsafe(ownedByA, Effect.void)
        if (line.startsWith("batch") && Number(line.split(" ")[1]) >= 60) Deferred.doneUnsafe(progressA, Effect.succeed(Number(line.split(" ")[1])))
      }
    })
    yield* Deferred.await(ownedByA).pipe(Effect.timeout("20 seconds"), Effect.mapError(() => new Error(`worker A never owned: ${stderr}`)))

    // worker B: waits for ownership in this process
    const ownedByB = yield* Deferred.make<number>()
    const workerB = yield* Effect.forkChild(PgProjectionWorker.run(seenProjection("B", {
      onOwnership: (checkpoint) => Deferred.succeed(ownedByB, checkpoint).pipe(Effect.asVoid)
    })).pipe(Effect.provide(context)))

    yield* Deferred.await(progressA).pipe(Effect.timeout("20 seconds"))
    assert.isFalse(yield* Deferred.isDone(ownedByB), "B must not own the projection while A is alive")
    const byBBefore = yield* database.query("counting", "SELECT count(*)::int AS n FROM seen WHERE worker = 'B'")
    assert.strictEqual(byBBefore[0]?.["n"], 0, "B did no work while A owned the projection")

    child.kill("SIGKILL")
    yield* Deferred.await(exited)
    const checkpointAtTakeover = yield* Deferred.await(ownedByB).pipe(Effect.timeout("20 seconds"))
    const byA = yield* database.query("counting", "SELECT count(*)::int AS n, coalesce(max(position), 0)::int AS last FROM seen WHERE worker = 'A'")
    assert.strictEqual(checkpointAtTakeover, byA[0]?.["last"], "B resumes exactly after A's last committed batch")
    assert.isAtLeast(Number(byA[0]?.["n"]), 60)

    for (let i = 0; i < 200; i++) {
      const cp = yield* database.query("checkpoint", "SELECT position FROM kho_checkpoints WHERE projection = 'seen'")
      if (Number(cp[0]?.["position"]) === total) break
      yield* Effect.sleep(50)
    }
    yield* Fiber.interrupt(workerB)
    const rows = yield* database.query("reading the read model", "SELECT position, worker, times FROM seen ORDER BY position")
    assert.deepStrictEqual(rows.map((r) => Number(r["position"])), Array.from({ length: total }, (_, i) => i + 1))
    assert.isTrue(rows.every((r) => r["times"] === 1), "an event was applied twice")
    assert.isTrue(rows.some((r) => r["worker"] === "B"), "B finished the work")
  }).pipe(Effect.scoped), 60_000)

it.live("a worker whose connection the server ends fails with a retryable Connection error, not a crashed process", () =>
  Effect.gen(function*() {
    const schema = freshSchema("projdrop")
    const context = yield* Layer.build(PgEventStore.layer({ url, schema, poolSize: 4, pollInterval: 50 }))
    const store = Context.get(context, EventStore)
    const database = Context.get(context, PgDatabase.PgDatabase)
    yield* database.query("creating the read model", "CREATE TABLE seen (position bigint PRIMARY KEY, worker text NOT NULL, times int NOT NULL)")
    const append = (a: number) =>
      store.append(`drop-${a}`, [{
        type: "DocumentUploaded",
        schemaVersion: 1,
        data: { a },
        metadata: { actor: { _tag: "System" as const, component: "projection-test" }, commandId: `drop-${a}`, correlationId: "c", causationId: null }
      }], { expectedVersion: ExpectedVersion.noStream })
    yield* append(1)
    const firstBatch = yield* Deferred.make<number>()
    const worker = yield* Effect.forkChild(PgProjectionWorker.run(seenProjection("W", {
      onBatch: (last) => Deferred.succeed(firstBatch, last).pipe(Effect.asVoid)
    })).pipe(Effect.provide(context)))
    // once the first batch is handled, the connection dies outside the handler (whose own failures
    // are defects in this fixture), at the checkpoint's statements or the next batch's BEGIN
    yield* Deferred.await(firstBatch).pipe(Effect.timeout("20 seconds"))
    // the worker's own connection is the one holding this projection's advisory lock (a 64-bit key
    // that pg_locks splits into classid and objid); other tests' locks are left alone
    const ended = yield* database.query(
      "ending the worker's connection",
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 1
         AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
      [`kho.projection:${schema}:seen`]
    )
    assert.deepStrictEqual(ended.map((r) => r["ended"]), [true])
    // a dead idle connection is noticed at the worker's next statement: the next batch's BEGIN
    yield* append(2)
    const exit = yield* Fiber.await(worker).pipe(Effect.timeout("20 seconds"))
    assert.isTrue(Exit.isFailure(exit))
    const failure = Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
    assert.strictEqual(failure?._tag, "EventStoreError")
    assert.isTrue(failure?._tag === "EventStoreError" && failure.retryable, JSON.stringify(failure))
  }).pipe(Effect.scoped), 60_000)
