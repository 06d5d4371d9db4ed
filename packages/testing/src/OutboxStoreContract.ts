/**
 * The contract every `NotificationOutbox.OutboxStore` adapter passes (core's memory layer, SQLite,
 * PostgreSQL). The memory layer is the reference: insert-if-unknown by notification id (the first of
 * a batch's duplicates wins), a compare-and-set `transition` on status and attempts that replaces the
 * whole entry, and `list` in insertion order (a transition keeps an entry's place), filtered by
 * status, cut at `limit`. A fast-check property replays random operations on the adapter and on a
 * memory store side by side and requires the same answers.
 *
 * ```ts
 * OutboxStoreContract.run("SQLite", () => SqliteOutboxStore.layer.pipe(Layer.provide(db())))
 * OutboxStoreContract.runDurable("SQLite", () => reopenSameFile())
 * ```
 *
 * Cases run live (`it.live`): concurrent transitions must really interleave on the SQL stores.
 *
 * @since 0.1.0
 */
import { assert, describe, it } from "@effect/vitest"
import * as NotificationOutbox from "@kho/core/NotificationOutbox"
import type { Entry } from "@kho/core/NotificationOutbox"
import { Effect, Layer, Option } from "effect"
import * as fc from "fast-check"

/**
 * Builds a fresh, empty outbox store for each case.
 *
 * @since 0.1.0
 */
export type StoreFactory = () => Layer.Layer<NotificationOutbox.OutboxStore, unknown>

/**
 * Opens the *same* outbox storage each time it is called (same file, same schema): the layer of one
 * call is released before the next call, as a process that stops and starts again.
 *
 * @since 0.1.0
 */
export type ReopenFactory = () => Layer.Layer<NotificationOutbox.OutboxStore, unknown>

/**
 * A `Pending` entry with every field set; `n` makes the id and the source position unique.
 *
 * @since 0.1.0
 */
export const entry = (n: number, overrides: Partial<Entry> = {}): Entry => ({
  id: `ntf-${n}-sms-${(n * 2654435761 % 2 ** 32).toString(16).padStart(16, "0")}`,
  channel: n % 2 === 0 ? "Sms" : "Zalo",
  kind: "SupplementRequested",
  dossierId: `dossier-${n}`,
  dossierNumber: `000.20.33.H08-240320-${String(n).padStart(4, "0")}`,
  ownerId: "052090000495",
  text: `Hồ sơ 000.20.33.H08-240320-${String(n).padStart(4, "0")} cần bổ sung: Thiếu Giấy xác nhận tình trạng hôn nhân — “bản sao”.`,
  sourcePosition: n,
  sourceHash: "6f9dc29de72402ff".repeat(4),
  createdAt: "2024-03-20T08:15:00.000Z",
  status: "Pending",
  attempts: 0,
  lastAttemptAt: null,
  lastError: null,
  sentAt: null,
  providerReference: null,
  ...overrides
})

/** A `Sent` entry as the dispatcher leaves it: every nullable field filled. */
const sent = (e: Entry): Entry => ({
  ...e,
  status: "Sent",
  attempts: e.attempts + 1,
  lastAttemptAt: "2024-03-20T08:15:02.123Z",
  sentAt: "2024-03-20T08:15:03.456Z",
  providerReference: "zalo-msg-42",
  lastError: null
})

const store = Effect.service(NotificationOutbox.OutboxStore)
const ids = (entries: ReadonlyArray<Entry>) => entries.map((e) => e.id)

/**
 * Registers the contract for one adapter.
 *
 * @since 0.1.0
 */
export const run = (name: string, makeStore: StoreFactory): void => {
  const test = (title: string, body: () => Effect.Effect<void, unknown, NotificationOutbox.OutboxStore>, timeout?: number) =>
    it.live(title, () => Effect.provide(body(), makeStore()), timeout)

  describe(`OutboxStore contract: ${name}`, () => {
    test("records unknown entries and returns them; get reads every field back", () =>
      Effect.gen(function*() {
        const outbox = yield* store
        const batch = [entry(1), entry(2), sent(entry(3, { lastError: "ECONNRESET lần 1" }))]
        assert.deepStrictEqual(yield* outbox.record(batch), batch)
        for (const e of batch) assert.deepStrictEqual(yield* outbox.get(e.id), Option.some(e))
        assert.isTrue(Option.isNone(yield* outbox.get("ntf-404-sms-0000000000000000")))
        assert.deepStrictEqual(yield* outbox.record([]), [])
      }))

    test("a known id is left untouched and not returned, whatever the new entry says", () =>
      Effect.gen(function*() {
        const outbox = yield* store
        const first = entry(1)
        yield* outbox.record([first])
        const again = yield* outbox.record([
          { ...first, text: "replayed", status: "Failed", attempts: 7 },
          entry(2)
        ])
        assert.deepStrictEqual(again, [entry(2)])
        assert.deepStrictEqual(yield* outbox.get(first.id), Option.some(first))
        assert.deepStrictEqual(ids(yield* outbox.list()), [first.id, entry(2).id])
      }))

    test("within one batch, the first of two entries with the same id wins", () =>
      Effect.gen(function*() {
        const outbox = yield* store
        const first = entry(5)
        const inserted = yield* outbox.record([first, { ...first, text: "second" }, entry(6)])
        assert.deepStrictEqual(inserted, [first, entry(6)])
        assert.deepStrictEqual(yield* outbox.get(first.id), Option.some(first))
      }))

    test("concurrent records of the same entries insert each exactly once", () =>
      Effect.gen(function*() {
        const outbox = yield* store
        const batch = Array.from({ length: 5 }, (_, i) => entry(i + 1))
        const results = yield* Effect.forEach(Array.from({ length: 6 }), () => outbox.record(batch), {
          concurrency: "unbounded"
        })
        assert.deepStrictEqual(results.flat().map((e) => e.id).sort(), ids(batch).sort())
        assert.deepStrictEqual(ids(yield* outbox.list()).sort(), ids(batch).sort())
      }))

    test("transition replaces the whole entry when status and attempts still match", () =>
      Effect.gen(function*() {
        const outbox = yield* store
        const e = entry(1)
        yield* outbox.record([e])
        const counted: Entry = { ...e, attempts: 1, lastAttemptAt: "2024-03-20T08:15:02.000Z" }
        assert.isTrue(yield* outbox.transition(e, counted))
        assert.deepStrictEqual(yield* outbox.get(e.id), Option.some(counted))
        const done = sent(counted)
        assert.isTrue(yield* outbox.transition(counted, done))
        assert.deepStrictEqual(yield* outbox.get(e.id), Option.some(done))
        // back to Pending, clearing nullable fields (requeueFailed does this from Failed)
        assert.isTrue(yield* outbox.transition(done, { ...e, attempts: done.attempts }))
        assert.deepStrictEqual(yield* outbox.get(e.id), Option.some({ ...e, attempts: done.attempts }))
      }))

    test("transition refuses a stale status, stale attempts, an unknown id or a changed id", () =>
      Effect.gen(function*() {
        const outbox = yield* store
        const e = entry(1)
        const other = entry(2)
        yield* outbox.record([e, other])
        const next = sent(e)
        assert.isFalse(yield* outbox.transition({ id: e.id, status: "Failed", attempts: 0 }, next))
        assert.isFalse(yield* outbox.transition({ id: e.id, status: "Pending", attempts: 1 }, next))
        assert.isFalse(yield* outbox.transition({ id: "ntf-404-sms-0000000000000000", status: "Pending", attempts: 0 }, next))
        assert.isFalse(yield* outbox.transition(e, sent(other)))
        assert.deepStrictEqual(yield* outbox.get(e.id), Option.some(e))
        assert.deepStrictEqual(yield* outbox.get(other.id), Option.some(other))
        assert.isFalse(Option.isSome(yield* outbox.get("ntf-404-sms-0000000000000000")))
      }))

    test("of concurrent transitions from the same state, exactly one wins", () =>
      Effect.gen(function*() {
        const outbox = yield* store
        const e = entry(1)
        yield* outbox.record([e])
        const candidates = Array.from({ length: 8 }, (_, i) => ({ ...e, attempts: 1, lastError: `dispatcher ${i}` }))
        const won = yield* Effect.forEach(candidates, (next) => outbox.transition(e, next), { concurrency: "unbounded" })
        assert.strictEqual(won.filter((w) => w).length, 1)
        const winner = candidates[won.indexOf(true)]!
        assert.deepStrictEqual(yield* outbox.get(e.id), Option.some(winner))
      }))

    test("list gives insertion order (not id order), keeps a transitioned entry's place, filters and limits", () =>
      Effect.gen(function*() {
        const outbox = yield* store
        // ids "ntf-10-…", "ntf-9-…", "ntf-100-…" sort differently as text than they were inserted
        const [a, b, c, d] = [entry(10), entry(9), entry(100), entry(2)] as const
        yield* outbox.record([a, b])
        yield* outbox.record([c, d])
        assert.isTrue(yield* outbox.transition(a, sent(a)))
        assert.isTrue(yield* outbox.transition(c, { ...c, status: "Failed", attempts: 8, lastError: "HTTP 503" }))
        assert.deepStrictEqual(ids(yield* outbox.list()), ids([a, b, c, d]))
        assert.deepStrictEqual(yield* outbox.list({ status: "Pending" }), [b, d])
        assert.deepStrictEqual(yield* outbox.list({ status: "Sent" }), [sent(a)])
        assert.deepStrictEqual(ids(yield* outbox.list({ status: "Failed" })), [c.id])
        assert.deepStrictEqual(yield* outbox.list({ status: "Skipped" }), [])
        assert.deepStrictEqual(ids(yield* outbox.list({ limit: 3 })), ids([a, b, c]))
        assert.deepStrictEqual(yield* outbox.list({ status: "Pending", limit: 1 }), [b])
        assert.deepStrictEqual(yield* outbox.list({ limit: 0 }), [])
        assert.deepStrictEqual(ids(yield* outbox.list({ limit: 100 })), ids([a, b, c, d]))
      }))

    test("behaves as the memory layer under random operations (property)", () =>
      Effect.gen(function*() {
        const outbox = yield* store
        const reference = yield* Effect.provide(store, Layer.fresh(NotificationOutbox.layerMemory))
        // both stores live across all runs: every run continues from the same shared state
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
              for (const op of operations) {
                const [actual, expected] = await Effect.runPromise(Effect.all([apply(outbox, op), apply(reference, op)]))
                assert.deepStrictEqual(actual, expected, `after ${JSON.stringify(op)}`)
              }
            }),
            { numRuns: 25 }
          )
        )
        assert.deepStrictEqual(yield* outbox.list(), yield* reference.list())
      }), 60_000)
  })
}

/**
 * Registers the durability case: entries and their transitions survive closing and reopening the
 * store (a crash between record and dispatch loses nothing).
 *
 * @since 0.1.0
 */
export const runDurable = (name: string, reopen: ReopenFactory): void => {
  describe(`OutboxStore contract (durable): ${name}`, () => {
    it.live("entries and transitions survive closing and reopening the store", () =>
      Effect.gen(function*() {
        const [a, b, c] = [entry(1), entry(2), entry(3)]
        const counted: Entry = { ...b, attempts: 1, lastAttemptAt: "2024-03-20T08:15:02.000Z" }
        yield* Effect.provide(
          Effect.gen(function*() {
            const outbox = yield* store
            yield* outbox.record([a, b, c])
            assert.isTrue(yield* outbox.transition(a, sent(a)))
            assert.isTrue(yield* outbox.transition(b, counted))
          }),
          reopen()
        )
        yield* Effect.provide(
          Effect.gen(function*() {
            const outbox = yield* store
            assert.deepStrictEqual(yield* outbox.list(), [sent(a), counted, c])
            assert.deepStrictEqual(yield* outbox.list({ status: "Pending" }), [counted, c])
            // a replay after the restart records nothing again
            assert.deepStrictEqual(yield* outbox.record([a, b, c, entry(4)]), [entry(4)])
            assert.isFalse(yield* outbox.transition(b, sent(b)))
            assert.isTrue(yield* outbox.transition(counted, sent(counted)))
          }),
          reopen()
        )
        yield* Effect.provide(
          Effect.gen(function*() {
            const outbox = yield* store
            assert.deepStrictEqual(yield* outbox.list(), [sent(a), sent(counted), c, entry(4)])
          }),
          reopen()
        )
      }))
  })
}

// -----------------------------------------------------------------------------------------------
// Random operations
// -----------------------------------------------------------------------------------------------

type Operation =
  | { readonly _tag: "Record"; readonly entries: ReadonlyArray<Entry> }
  | { readonly _tag: "Get"; readonly id: string }
  | { readonly _tag: "Transition"; readonly expected: Pick<Entry, "id" | "status" | "attempts">; readonly next: Entry }
  | { readonly _tag: "List"; readonly status: Entry["status"] | undefined; readonly limit: number | undefined }

// few ids and small attempt counts, so operations collide often
const idIndex = fc.integer({ min: 1, max: 8 })
const status = fc.constantFrom<Entry["status"]>("Pending", "Sent", "Failed", "Skipped")
const attempts = fc.integer({ min: 0, max: 2 })
const nullableText = fc.option(fc.constantFrom("HTTP 503", "2024-03-20T08:15:02.000Z", "lỗi kết nối"), { nil: null })

const randomEntry = fc.record({
  n: idIndex,
  status,
  attempts,
  text: fc.constantFrom("a", "Hồ sơ đã được tiếp nhận."),
  lastError: nullableText,
  providerReference: nullableText
}).map(({ n, ...fields }) => entry(n, fields))

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ _tag: fc.constant("Record" as const), entries: fc.array(randomEntry, { maxLength: 4 }) }),
  fc.record({ _tag: fc.constant("Get" as const), id: idIndex.map((n) => entry(n).id) }),
  fc.record({ n: idIndex, status, attempts, next: randomEntry, sameId: fc.boolean() }).map(
    ({ attempts, n, next, sameId, status }): Operation => ({
      _tag: "Transition",
      expected: { id: entry(n).id, status, attempts },
      // mostly the expected id (a real transition); sometimes another one (always refused)
      next: sameId ? { ...next, id: entry(n).id } : next
    })
  ),
  fc.record({
    _tag: fc.constant("List" as const),
    status: fc.option(status, { nil: undefined }),
    limit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined })
  })
)

const apply = (outbox: NotificationOutbox.OutboxStore["Service"], op: Operation): Effect.Effect<unknown, unknown> => {
  switch (op._tag) {
    case "Record":
      return outbox.record(op.entries)
    case "Get":
      return outbox.get(op.id)
    case "Transition":
      return outbox.transition(op.expected, op.next)
    case "List":
      return outbox.list({
        ...(op.status === undefined ? {} : { status: op.status }),
        ...(op.limit === undefined ? {} : { limit: op.limit })
      })
  }
}
