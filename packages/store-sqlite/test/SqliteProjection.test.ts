/**
 * Exactly-once projections on SQLite: each batch's read-model writes and its checkpoint commit in one
 * transaction, so a throwing handler leaves nothing of its batch, a SIGKILLed runner resumes with
 * every event applied once, and a second runner that races the first never applies an event twice.
 */
import { describe, it } from "@effect/vitest"
import { CheckpointStore } from "@kho/core/Checkpoint"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import { Context, Effect, Exit, Fiber, Layer, Stream } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert } from "vitest"
import { SqliteDatabase, SqliteEventStore, SqliteProjection } from "../src/index.ts"
import { createSeen, seenProjection } from "./fixtures/seenProjection.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-sqlite-projection-"))
let n = 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const runnerScript = new URL("./fixtures/projectionRunner.ts", import.meta.url).pathname

/** Appends `count` events, five per append, to a few streams. */
const appendEvents = (store: EventStore["Service"], count: number, tag: string) =>
  Effect.forEach(Array.from({ length: count / 5 }, (_, a) => a), (a) =>
    store.append(`${tag}-${a % 7}`, Array.from({ length: 5 }, (_, k) => ({
      type: "DocumentUploaded",
      schemaVersion: 1,
      data: { a, k },
      metadata: { actor: { _tag: "System" as const, component: "projection-test" }, commandId: `${tag}-${a}`, correlationId: "c", causationId: null }
    })), { expectedVersion: ExpectedVersion.any }), { discard: true })

/** A fresh file holding `count` events and an empty `seen` table. */
const fresh = (count: number) =>
  Effect.gen(function*() {
    const filename = join(dir, `projection-${++n}.sqlite`)
    const context = yield* Layer.build(SqliteEventStore.layer({ filename, pollInterval: 20 }))
    const database = Context.get(context, SqliteDatabase.SqliteDatabase)
    createSeen(database.connection)
    yield* appendEvents(Context.get(context, EventStore), count, "doc")
    return { filename, context, database, store: Context.get(context, EventStore), checkpoints: Context.get(context, CheckpointStore) }
  })

interface Seen {
  readonly position: number
  readonly runner: string
  readonly times: number
}

const seenRows = (database: SqliteDatabase.SqliteDatabase["Service"]): Array<Seen> =>
  database.connection.prepare("SELECT position, runner, times FROM seen ORDER BY position").all().map((row) => ({
    position: Number(row["position"]),
    runner: String(row["runner"]),
    times: Number(row["times"])
  }))

const positions = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe("SqliteProjection", () => {
  it.effect("catchUp applies every event once, in batches, and leaves a checkpoint CheckpointStore sees", () =>
    Effect.gen(function*() {
      const { checkpoints, context, database } = yield* fresh(45)
      const batches: Array<number> = []
      const last = yield* SqliteProjection.catchUp(seenProjection("a", { onBatch: (l) => batches.push(l) })).pipe(Effect.provide(context))
      assert.strictEqual(last, 45)
      assert.deepStrictEqual(batches, [10, 20, 30, 40, 45])
      assert.deepStrictEqual(seenRows(database).map((r) => r.position), positions(1, 45))
      assert.isTrue(seenRows(database).every((r) => r.times === 1))
      assert.strictEqual(yield* checkpoints.load("seen"), 45)
      // nothing new: nothing handled
      const again = yield* SqliteProjection.catchUp(seenProjection("a", { onBatch: (l) => batches.push(l) })).pipe(Effect.provide(context))
      assert.strictEqual(again, 45)
      assert.strictEqual(batches.length, 5)
      // until: a read model as of a position
      const { context: other, database: otherDatabase } = yield* fresh(30)
      assert.strictEqual(yield* SqliteProjection.catchUp({ ...seenProjection("a"), until: 17 }).pipe(Effect.provide(other)), 17)
      assert.deepStrictEqual(seenRows(otherDatabase).map((r) => r.position), positions(1, 17))
    }).pipe(Effect.scoped))

  it.effect("a handler that throws mid-batch: nothing of that batch is committed, neither rows nor checkpoint", () =>
    Effect.gen(function*() {
      const { checkpoints, context, database } = yield* fresh(30)
      const seen = seenProjection("a")
      const failing: SqliteProjection.Options = {
        ...seen,
        handle: (events, connection) => {
          // write the batch's first rows, then trip on event 14 (the 4th of the second batch)
          seen.handle(events.filter((e) => e.globalPosition < 14), connection)
          if (events.some((e) => e.globalPosition === 14)) throw new Error("event 14 is not understood")
          seen.handle(events.filter((e) => e.globalPosition >= 14), connection)
        }
      }
      const exit = yield* Effect.exit(SqliteProjection.catchUp(failing).pipe(Effect.provide(context)))
      assert.isTrue(Exit.isFailure(exit))
      const reason = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      const error = reason?._tag === "Fail" ? reason.error : undefined
      assert.instanceOf(error, SqliteProjection.ProjectionHandlerError)
      if (!(error instanceof SqliteProjection.ProjectionHandlerError)) return
      assert.deepStrictEqual([error.checkpoint, error.firstPosition, error.lastPosition], [10, 11, 20])
      assert.include(error.message, "event 14 is not understood")
      assert.include(error.message, "checkpoint stays at 10")
      assert.deepStrictEqual(seenRows(database).map((r) => r.position), positions(1, 10), "rows 11–13 of the failed batch are visible")
      assert.strictEqual(yield* checkpoints.load("seen"), 10)

      // fixed: the next run resumes with that batch, every event applied once
      assert.strictEqual(yield* SqliteProjection.catchUp(seen).pipe(Effect.provide(context)), 30)
      assert.deepStrictEqual(seenRows(database).map((r) => [r.position, r.times]), positions(1, 30).map((p) => [p, 1]))
    }).pipe(Effect.scoped))

  it.effect("a runner whose checkpoint another runner moved since its read never applies an event twice", () =>
    Effect.gen(function*() {
      const { checkpoints, context, database, store } = yield* fresh(40)
      // runner a reads its first batch; before it commits, runner b catches up the whole log
      let raced = false
      const racing = EventStore.of({
        ...store,
        readAll: (options) =>
          store.readAll(options).pipe(Stream.tap(() =>
            raced ? Effect.void : Effect.andThen(
              Effect.sync(() => {
                raced = true
              }),
              SqliteProjection.catchUp(seenProjection("b")).pipe(Effect.provide(context), Effect.orDie)
            )
          ))
      })
      const last = yield* SqliteProjection.catchUp(seenProjection("a")).pipe(
        Effect.provide(Context.add(context, EventStore, racing))
      )
      assert.isTrue(raced)
      assert.strictEqual(last, 40)
      const rows = seenRows(database)
      assert.deepStrictEqual(rows.map((r) => [r.position, r.times]), positions(1, 40).map((p) => [p, 1]), "an event was applied twice")
      assert.isTrue(rows.every((r) => r.runner === "b"))
      assert.strictEqual(yield* checkpoints.load("seen"), 40)
    }).pipe(Effect.scoped))

  it.effect("rebuild empties the read model and its checkpoint together, then applies every event once", () =>
    Effect.gen(function*() {
      const { checkpoints, context, database } = yield* fresh(25)
      yield* SqliteProjection.catchUp(seenProjection("first")).pipe(Effect.provide(context))
      assert.strictEqual(yield* SqliteProjection.rebuild(seenProjection("second")).pipe(Effect.provide(context)), 25)
      assert.deepStrictEqual(seenRows(database), positions(1, 25).map((position) => ({ position, runner: "second", times: 1 })))
      assert.strictEqual(yield* checkpoints.load("seen"), 25)
    }).pipe(Effect.scoped))

  it.live("run follows events appended after it started", () =>
    Effect.gen(function*() {
      const { checkpoints, context, database, store } = yield* fresh(20)
      const fiber = yield* Effect.forkChild(SqliteProjection.run(seenProjection("a")).pipe(Effect.provide(context)))
      yield* appendEvents(store, 15, "later")
      for (let i = 0; i < 200 && (yield* checkpoints.load("seen")) < 35; i++) yield* Effect.sleep(10)
      yield* Fiber.interrupt(fiber)
      assert.strictEqual(yield* checkpoints.load("seen"), 35)
      assert.deepStrictEqual(seenRows(database).map((r) => [r.position, r.times]), positions(1, 35).map((p) => [p, 1]))
    }).pipe(Effect.scoped))

  it.effect("run over a store whose subscription ends fails with a typed, non-retryable error saying why", () =>
    Effect.gen(function*() {
      const { context, store } = yield* fresh(5)
      // a wrapper whose subscribe completes: a real store's subscription without `until` never does
      const ending = Layer.succeed(EventStore, EventStore.of({ ...store, subscribe: (options) => Stream.take(store.subscribe(options), 5) }))
      const exit = yield* Effect.exit(SqliteProjection.run(seenProjection("a")).pipe(
        Effect.provide(Layer.merge(Layer.succeedContext(context), ending))
      ))
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) ? Exit.findErrorOption(exit) : undefined
      const failure = error !== undefined && error._tag === "Some" ? error.value : undefined
      assert.strictEqual(failure?._tag, "EventStoreError")
      assert.isFalse(failure?._tag === "EventStoreError" && failure.retryable)
      assert.include(failure?.message, "subscribe() stream completed")
    }).pipe(Effect.scoped))
})

/** Starts a runner process, lets it start `minBatches` batches, waits `extraMs` and SIGKILLs it. */
const runAndKill = (filename: string, runner: string, minBatches: number, extraMs: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runnerScript, filename, runner], { stdio: ["ignore", "pipe", "pipe"] })
    let batches = 0
    let stderr = ""
    let killTimer: NodeJS.Timeout | undefined
    const safety = setTimeout(() => child.kill("SIGKILL"), 20_000)
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      batches += chunk.split("\n").filter((line) => line.startsWith("batch")).length
      if (killTimer === undefined && batches >= minBatches) killTimer = setTimeout(() => child.kill("SIGKILL"), extraMs)
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.on("error", reject)
    child.on("exit", (_code, signal) => {
      clearTimeout(safety)
      if (killTimer !== undefined) clearTimeout(killTimer)
      if (signal !== "SIGKILL") reject(new Error(`runner ${runner} exited by itself: ${stderr}`))
      else resolve(batches)
    })
  })

it.live("SIGKILLed runners resume from the checkpoint: every event applied exactly once (3 kills)", () =>
  Effect.gen(function*() {
    const { checkpoints, context, database, filename } = yield* fresh(300)
    let started = 0
    for (let round = 0; round < 3; round++) {
      // a batch takes ~20 ms (2 ms per event): the kill lands inside a transaction most of the time
      started += yield* Effect.promise(() => runAndKill(filename, `child-${round}`, 2 + round, 5 + ((round * 7) % 13)))
    }
    assert.isAtLeast(started, 9, "the runners should have started batches before being killed")
    const killedAt = yield* checkpoints.load("seen")
    assert.isAbove(killedAt, 0, "the killed runners committed nothing")
    assert.isBelow(killedAt, 300, "the killed runners finished everything: no kill landed mid-way")
    assert.strictEqual(yield* SqliteProjection.catchUp(seenProjection("parent")).pipe(Effect.provide(context)), 300)
    const rows = seenRows(database)
    assert.deepStrictEqual(rows.map((r) => r.position), positions(1, 300), "an event was lost")
    assert.deepStrictEqual(rows.filter((r) => r.times !== 1), [], "an event was applied twice")
    // what the children committed is exactly what the checkpoint they left says
    assert.isTrue(rows.every((r) => (r.position <= killedAt) === r.runner.startsWith("child")))
  }).pipe(Effect.scoped), 60_000)
