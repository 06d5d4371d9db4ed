/**
 * Group commit: appends waiting at the same moment share one transaction, yet each keeps its own
 * outcome (conflicts, repeated command ids, SQLite failures) as if it had been alone; and what the
 * store remembers between transactions (head, stream versions) never outlives a rollback or a
 * commit by another connection.
 */
import { describe, it } from "@effect/vitest"
import type { NewEvent } from "@kho/core/Event"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import * as HashChain from "@kho/core/HashChain"
import { Effect, Exit, Fiber, Option, References, Stream } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert } from "vitest"
import { SqliteDatabase, SqliteEventStore } from "../src/index.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-sqlite-group-"))
let n = 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const events = (count: number, tag: string, commandId = `cmd-${tag}-${Math.random()}`): Array<NewEvent> =>
  Array.from({ length: count }, (_, i) => ({
    type: "Counted",
    schemaVersion: 1,
    data: { tag, i, name: "Bản sao được chứng thực" },
    metadata: { actor: { _tag: "System", component: "group-test" }, commandId, correlationId: "c", causationId: null }
  }))

/** A store over a fresh file whose write transactions are counted. */
const open = Effect.gen(function*() {
  const database = yield* SqliteDatabase.open({ filename: join(dir, `store-${++n}.sqlite`) })
  const counter = { transactions: 0 }
  const counted: SqliteDatabase.SqliteDatabase["Service"] = {
    ...database,
    immediate: (doing, f) => Effect.suspend(() => {
      counter.transactions++
      return database.immediate(doing, f)
    })
  }
  const { eventStore } = SqliteEventStore.make(counted)
  return { store: eventStore, database, counter }
})

const verify = (store: EventStore["Service"]) =>
  Effect.gen(function*() {
    const result = yield* HashChain.verifyChain(store.readAll())
    assert.strictEqual(result._tag, "ChainIntact", JSON.stringify(result))
    return result
  })

describe("SqliteEventStore group commit", () => {
  it.live("concurrent writers share transactions; positions stay dense and the chain intact", () =>
    Effect.gen(function*() {
      const { counter, store } = yield* open
      const writers = 8
      const appendsEach = 5
      const results = yield* Effect.forEach(
        Array.from({ length: writers }, (_, w) => w),
        (w) =>
          Effect.forEach(
            Array.from({ length: appendsEach }, (_, k) => k),
            (k) => store.append(`w${w}`, events(3, `${w}-${k}`), { expectedVersion: ExpectedVersion.exact(k * 3) })
          ),
        { concurrency: "unbounded" }
      )
      const all = results.flat()
      assert.isBelow(counter.transactions, writers * appendsEach, "concurrent appends were not grouped")
      const ranges = all.map((r) => [r.firstPosition, r.lastPosition] as const).sort((a, b) => a[0] - b[0])
      ranges.forEach(([first, last], i) => {
        assert.strictEqual(first, i * 3 + 1)
        assert.strictEqual(last, i * 3 + 3)
      })
      const intact = yield* verify(store)
      assert.strictEqual(intact._tag === "ChainIntact" ? intact.count : -1, writers * appendsEach * 3)
      for (let w = 0; w < writers; w++) {
        const stream = yield* store.readStream(`w${w}`)
        assert.deepStrictEqual(stream.map((e) => e.streamVersion), Array.from({ length: 15 }, (_, i) => i + 1))
      }
    }).pipe(Effect.scoped))

  it.live("a lone writer commits each append in its own transaction", () =>
    Effect.gen(function*() {
      const { counter, store } = yield* open
      for (let k = 0; k < 5; k++) yield* store.append("solo", events(2, `solo-${k}`), { expectedVersion: ExpectedVersion.any })
      assert.strictEqual(counter.transactions, 5)
    }).pipe(Effect.scoped))

  it.live("in one group, a conflict fails alone and a repeated command id answers the first append", () =>
    Effect.gen(function*() {
      const { counter, store } = yield* open
      yield* store.append("s", events(1, "seed"), { expectedVersion: ExpectedVersion.noStream })
      const before = counter.transactions
      const repeated = events(2, "twice", "cmd-twice")
      const [ok, conflict, first, again] = yield* Effect.all([
        Effect.exit(store.append("a", events(2, "a"), { expectedVersion: ExpectedVersion.noStream })),
        Effect.exit(store.append("s", events(1, "late"), { expectedVersion: ExpectedVersion.noStream })),
        Effect.exit(store.append("b", repeated, { expectedVersion: ExpectedVersion.any })),
        Effect.exit(store.append("b", repeated, { expectedVersion: ExpectedVersion.any }))
      ], { concurrency: "unbounded" })
      assert.strictEqual(counter.transactions - before, 1, "the four appends did not share one transaction")
      assert.isTrue(Exit.isSuccess(ok))
      const error = Exit.isFailure(conflict) ? Option.getOrUndefined(Exit.findErrorOption(conflict)) : undefined
      assert.strictEqual((error as { _tag?: string } | undefined)?._tag, "ConcurrencyConflict")
      assert.isTrue(Exit.isSuccess(first) && Exit.isSuccess(again))
      if (Exit.isSuccess(first) && Exit.isSuccess(again)) {
        assert.isFalse(first.value.alreadyAppended)
        assert.isTrue(again.value.alreadyAppended)
        assert.strictEqual(again.value.firstPosition, first.value.firstPosition)
      }
      assert.strictEqual((yield* store.readStream("b")).length, 2)
      yield* verify(store)
    }).pipe(Effect.scoped))

  it.live("a SQLite failure in a group fails only its own append; the head is re-read", () =>
    Effect.gen(function*() {
      const { database, store } = yield* open
      database.connection.exec(
        "CREATE TRIGGER poison BEFORE INSERT ON kho_events WHEN NEW.stream_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
      )
      yield* store.append("x", events(2, "x"), { expectedVersion: ExpectedVersion.any })
      const exits = yield* Effect.all([
        Effect.exit(store.append("a", events(3, "a"), { expectedVersion: ExpectedVersion.any })),
        Effect.exit(store.append("poison", events(3, "p"), { expectedVersion: ExpectedVersion.any })),
        Effect.exit(store.append("b", events(3, "b"), { expectedVersion: ExpectedVersion.any }))
      ], { concurrency: "unbounded" })
      assert.deepStrictEqual(exits.map((e) => e._tag), ["Success", "Failure", "Success"])
      const error = Exit.isFailure(exits[1]!) ? Option.getOrUndefined(Exit.findErrorOption(exits[1]!)) : undefined
      assert.strictEqual((error as { _tag?: string } | undefined)?._tag, "EventStoreError")
      const next = yield* store.append("c", events(1, "c"), { expectedVersion: ExpectedVersion.any })
      assert.strictEqual(next.firstPosition, 9)
      const intact = yield* verify(store)
      assert.strictEqual(intact._tag === "ChainIntact" ? intact.count : -1, 9)
      assert.strictEqual((yield* Stream.runCollect(store.readAll())).filter((e) => e.streamId === "poison").length, 0)
    }).pipe(Effect.scoped))

  it.live("a group that rolls back forgets the stream versions it wrote in the transaction", () =>
    Effect.gen(function*() {
      const { counter, database, store } = yield* open
      database.connection.exec(
        "CREATE TRIGGER poison BEFORE INSERT ON kho_events WHEN NEW.stream_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
      )
      yield* store.append("x", events(2, "x"), { expectedVersion: ExpectedVersion.any })
      const before = counter.transactions
      // x's append runs first in the group and would leave x at version 5, then poison rolls all back
      const exits = yield* Effect.all([
        Effect.exit(store.append("x", events(3, "x2"), { expectedVersion: ExpectedVersion.any })),
        Effect.exit(store.append("poison", events(1, "p"), { expectedVersion: ExpectedVersion.any }))
      ], { concurrency: "unbounded" })
      assert.deepStrictEqual(exits.map((e) => e._tag), ["Success", "Failure"])
      // the group (rolled back), then each append alone
      assert.strictEqual(counter.transactions - before, 3, "the two appends did not share a transaction")
      yield* store.append("x", events(1, "x3"), { expectedVersion: ExpectedVersion.exact(5) })
      const versions = (yield* store.readStream("x")).map((e) => e.streamVersion)
      assert.deepStrictEqual(versions, [1, 2, 3, 4, 5, 6])
      yield* verify(store)
    }).pipe(Effect.scoped))

  it.live("stream versions written through another connection to the file are seen", () =>
    Effect.gen(function*() {
      const filename = join(dir, `store-${++n}.sqlite`)
      const first = SqliteEventStore.make(yield* SqliteDatabase.open({ filename })).eventStore
      const second = SqliteEventStore.make(yield* SqliteDatabase.open({ filename })).eventStore
      yield* first.append("shared", events(1, "one"), { expectedVersion: ExpectedVersion.noStream })
      yield* second.append("shared", events(2, "two"), { expectedVersion: ExpectedVersion.exact(1) })
      // `first` saw version 1 and must not trust it: the other connection moved the stream to 3
      const stale = yield* Effect.exit(first.append("shared", events(1, "stale"), { expectedVersion: ExpectedVersion.exact(1) }))
      const error = Exit.isFailure(stale) ? Option.getOrUndefined(Exit.findErrorOption(stale)) : undefined
      assert.strictEqual((error as { _tag?: string } | undefined)?._tag, "ConcurrencyConflict")
      assert.strictEqual((error as { actual?: number } | undefined)?.actual, 3)
      const next = yield* first.append("shared", events(1, "three"), { expectedVersion: ExpectedVersion.any })
      assert.strictEqual(next.nextExpectedVersion, 4)
      yield* verify(first)
    }).pipe(Effect.scoped))

  it.live("two stores over one connection see each other's appends", () =>
    Effect.gen(function*() {
      const database = yield* SqliteDatabase.open({ filename: join(dir, `store-${++n}.sqlite`) })
      // data_version does not move for commits on the same connection: what the stores remember of
      // the log must be the connection's, not each store's
      const a = SqliteEventStore.make(database).eventStore
      const b = SqliteEventStore.make(database).eventStore
      yield* b.append("s", events(1, "b1"), { expectedVersion: ExpectedVersion.noStream })
      yield* a.append("s", events(1, "a2"), { expectedVersion: ExpectedVersion.exact(1) })
      const next = yield* b.append("s", events(1, "b3"), { expectedVersion: ExpectedVersion.exact(2) })
      assert.strictEqual(next.nextExpectedVersion, 3)
      assert.strictEqual(next.firstPosition, 3)
      yield* verify(a)
    }).pipe(Effect.scoped))

  it.live("an import whose COMMIT fails leaves nothing remembered of it", () =>
    Effect.gen(function*() {
      const { database, store } = yield* open
      yield* store.append("before", events(1, "before"), { expectedVersion: ExpectedVersion.noStream })
      // a deferred foreign key broken by a trigger: every statement succeeds, COMMIT fails
      database.connection.exec("PRAGMA foreign_keys = ON")
      database.connection.exec(`
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE guard (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER doomed AFTER INSERT ON kho_events WHEN NEW.stream_id = 'doomed' BEGIN INSERT INTO guard VALUES (1); END`)
      const head = yield* store.head
      const recorded = HashChain.seal({
        globalPosition: head.position + 1,
        streamId: "doomed",
        streamVersion: 1,
        type: "Counted",
        schemaVersion: 1,
        data: { tag: "imported" },
        recordedAt: "2024-03-20T08:15:00.000Z",
        actor: { _tag: "System", component: "group-test" },
        commandId: "cmd-imported",
        correlationId: "c",
        causationId: null,
        previousHash: head.hash
      })
      const failed = yield* Effect.exit(store.importRecorded([recorded]))
      assert.isTrue(Exit.isFailure(failed), "the COMMIT should have failed")
      database.connection.exec("DROP TRIGGER doomed")
      // neither the imported head nor the stream's version may be remembered
      const appended = yield* store.append("doomed", events(1, "after"), { expectedVersion: ExpectedVersion.noStream })
      assert.strictEqual(appended.firstPosition, head.position + 1)
      yield* verify(store)
    }).pipe(Effect.scoped))

  it.live("interrupting appends at any point never strands the appends after them", () =>
    Effect.gen(function*() {
      const { store } = yield* open
      for (let round = 0; round < 30; round++) {
        // writers reach the store after different numbers of scheduler hops, and are interrupted after
        // yet another number: some before their append, some while it waits in a group, some leading
        const fibers = yield* Effect.forEach(Array.from({ length: 6 }, (_, w) => w), (w) =>
          Effect.forkChild(
            Effect.andThen(
              Effect.forEach(Array.from({ length: (w + round) % 4 }, () => 0), () => Effect.yieldNow, { discard: true }),
              store.append(`s-${round}-${w}`, events(2, `${round}-${w}`), { expectedVersion: ExpectedVersion.noStream })
            ).pipe(
              // the run loop yields (and so can be interrupted) every few operations, anywhere in append
              Effect.provideService(References.MaxOpsBeforeYield, 3 + ((round + w) % 6))
            )
          ))
        for (let hop = 0; hop < round % 5; hop++) yield* Effect.yieldNow
        yield* Fiber.interruptAll(fibers)
        const after = yield* store.append(`after-${round}`, events(1, `after-${round}`), { expectedVersion: ExpectedVersion.noStream })
          .pipe(Effect.timeout("10 seconds"))
        assert.isFalse(after.alreadyAppended)
      }
      // every append either committed whole or not at all: positions dense, chain intact
      const all = yield* Stream.runCollect(store.readAll())
      const perStream = new Map<string, number>()
      for (const e of all) perStream.set(e.streamId, (perStream.get(e.streamId) ?? 0) + 1)
      for (const [stream, count] of perStream) assert.strictEqual(count, stream.startsWith("after-") ? 1 : 2, stream)
      yield* verify(store)
    }).pipe(Effect.scoped))
})
