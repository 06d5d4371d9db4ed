/**
 * Pipelined appends: the next round trip is sealed against the head the one in flight will leave.
 * When that head never comes to be (another process appended, or the batch failed), both are
 * committed again; every append is settled exactly once, and the log stays dense and chained.
 */
import { it } from "@effect/vitest"
import type { NewEvent } from "@kho/core/Event"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import type { AppendResult } from "@kho/core/EventStore"
import * as HashChain from "@kho/core/HashChain"
import { Context, Effect, Exit, Layer, Stream } from "effect"
import pg from "pg"
import { assert, inject } from "vitest"
import { PgEventStore } from "../src/index.ts"
import { freshSchema } from "./utils/freshSchema.ts"

const url = inject("pgUrl")

const events = (count: number, tag: string): Array<NewEvent> => {
  const commandId = `cmd-${tag}-${Math.random()}`
  return Array.from({ length: count }, (_, i) => ({
    type: "Counted",
    schemaVersion: 1,
    data: { tag, i, name: "Bản sao được chứng thực" },
    metadata: { actor: { _tag: "System", component: "pipeline-test" }, commandId, correlationId: "c", causationId: null }
  }))
}

const storeIn = (schema: string, options: Partial<PgEventStore.StoreOptions> = {}) =>
  Effect.map(
    Layer.build(PgEventStore.layer({ url, schema, poolSize: 4, pollInterval: 50, ...options })),
    (context) => Context.get(context, EventStore)
  )

/** Every position 1..count once, each append's range holding its own stream's events, chain intact. */
const assertLog = (store: EventStore["Service"], results: ReadonlyArray<AppendResult>, count: number) =>
  Effect.gen(function*() {
    const log = yield* Stream.runCollect(store.readAll())
    assert.deepStrictEqual(log.map((e) => e.globalPosition), Array.from({ length: count }, (_, i) => i + 1))
    for (const r of results) {
      const slice = log.slice(r.firstPosition - 1, r.lastPosition)
      assert.isTrue(slice.length > 0 && slice.every((e) => e.streamId === r.streamId), `append to ${r.streamId} is not where it says`)
      assert.strictEqual(slice[slice.length - 1]!.streamVersion, r.nextExpectedVersion)
    }
    const verified = yield* HashChain.verifyChain(store.readAll())
    assert.strictEqual(verified._tag, "ChainIntact", JSON.stringify(verified))
  })

it.live("8 writers of 100-event appends, pipelined, racing another process's appends", () =>
  Effect.gen(function*() {
    const schema = freshSchema("pipe")
    const store = yield* storeIn(schema)
    const other = yield* storeIn(schema)
    const writers = Effect.forEach(
      Array.from({ length: 8 }, (_, w) => w),
      (w) =>
        Effect.forEach(
          Array.from({ length: 4 }, (_, k) => k),
          (k) => store.append(`w${w}`, events(100, `${w}-${k}`), { expectedVersion: ExpectedVersion.exact(k * 100) })
        ),
      { concurrency: "unbounded" }
    )
    // the other process moves the head under the pipeline, so flights find a head they did not expect
    const intruder = Effect.forEach(
      Array.from({ length: 10 }, (_, k) => k),
      (k) => other.append("intruder", events(1, `i-${k}`), { expectedVersion: ExpectedVersion.any })
    )
    const [mine, theirs] = yield* Effect.all([writers, intruder], { concurrency: "unbounded" })
    const results = [...mine.flat(), ...theirs]
    assert.isTrue(results.every((r) => !r.alreadyAppended))
    yield* assertLog(store, results, 8 * 4 * 100 + 10)
    for (let w = 0; w < 8; w++) {
      const stream = yield* store.readStream(`w${w}`)
      assert.deepStrictEqual(stream.map((e) => e.streamVersion), Array.from({ length: 400 }, (_, i) => i + 1))
    }
  }).pipe(Effect.scoped))

it.live("a failing batch in the pipeline: the next one is recommitted, nothing hangs or is lost", () =>
  Effect.gen(function*() {
    const schema = freshSchema("pipefail")
    const store = yield* storeIn(schema)
    const admin = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
    yield* Effect.promise(async () => {
      await admin.connect()
      await admin.query(`CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.stream_id = 'poison' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER poison BEFORE INSERT ON kho_events FOR EACH ROW EXECUTE FUNCTION poison()`)
      await admin.end()
    })
    const appendOne = (stream: string, tag: string) =>
      Effect.exit(store.append(stream, events(100, tag), { expectedVersion: ExpectedVersion.any }))
    const exits = yield* Effect.all(
      [
        ...Array.from({ length: 6 }, (_, w) => appendOne(`a${w}`, `a${w}`)),
        appendOne("poison", "p"),
        ...Array.from({ length: 6 }, (_, w) => appendOne(`b${w}`, `b${w}`))
      ],
      { concurrency: "unbounded" }
    )
    assert.isTrue(Exit.isFailure(exits[6]!), "the poisoned append was written")
    const written = exits.flatMap((e) => Exit.isSuccess(e) ? [e.value] : [])
    assert.isAbove(written.length, 0, "no append survived the poisoned batch")
    // every settled success is in the log where it says; the store goes on from the real head
    const total = written.reduce((n, r) => n + r.lastPosition - r.firstPosition + 1, 0)
    const after = yield* store.append("after", events(100, "after"), { expectedVersion: ExpectedVersion.any })
    assert.strictEqual(after.firstPosition, total + 1)
    yield* assertLog(store, [...written, after], total + 100)
  }).pipe(Effect.scoped))
