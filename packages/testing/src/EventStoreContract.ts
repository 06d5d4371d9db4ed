/**
 * The one contract every `EventStore` adapter must pass (Emmett's store-contract suite, in Effect
 * terms). An adapter's test file calls it with a factory that builds a fresh, empty store:
 *
 * ```ts
 * EventStoreContract.run("SQLite", () => SqliteEventStore.layer({ filename: tempFile() }))
 * ```
 *
 * The factory runs once per case, so cases never see each other's events. Cases use the live clock
 * (`it.live`): subscriptions and concurrent writers need real time to interleave.
 *
 * @since 0.1.0
 */
import { describe, it } from "@effect/vitest"
import * as HashChain from "@kho/core/HashChain"
import { CheckpointStore } from "@kho/core/Checkpoint"
import type { NewEvent, RecordedEvent } from "@kho/core/Event"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import type { AppendResult, ReadAllOptions } from "@kho/core/EventStore"
import { Effect, Exit, Fiber, Option, Stream } from "effect"
import type { Layer } from "effect"
import { assert } from "vitest"
import {
  assertChain,
  assertStreamVersions,
  commandEvents,
  freshId,
  newEvent,
  rechain,
  reseal,
  sealedLog
} from "./internal/contractFixtures.ts"

/**
 * Builds a fresh, empty store for one case. Errors while building fail the case.
 *
 * @since 0.1.0
 */
export type StoreFactory = () => Layer.Layer<EventStore, unknown>

/**
 * Builds a fresh, empty checkpoint store for one case.
 *
 * @since 0.1.0
 */
export type CheckpointFactory = () => Layer.Layer<CheckpointStore, unknown>

const readAllOf = (options?: ReadAllOptions) =>
  Effect.gen(function*() {
    const store = yield* EventStore
    return yield* Stream.runCollect(store.readAll(options))
  })

const positions = (events: ReadonlyArray<RecordedEvent>): Array<number> => events.map((e) => e.globalPosition)

const range = (from: number, to: number): Array<number> => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** Fails the case with the error's tag unless the effect fails with an error tagged `tag`. */
const expectFailure = <A, E>(effect: Effect.Effect<A, E, EventStore>, tag: string) =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(effect)
    assert.isTrue(Exit.isFailure(exit), `expected a ${tag} failure, but the operation succeeded`)
    const error = Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
    assert.strictEqual((error as { _tag?: string } | undefined)?._tag, tag, `expected ${tag}, got ${String(error)}`)
    return error as E
  })

/**
 * Registers the event-store contract under `describe(name)`.
 *
 * @since 0.1.0
 */
export const run = (name: string, makeStore: StoreFactory): void => {
  const test = (title: string, body: () => Effect.Effect<void, unknown, EventStore>, timeout = 30_000) =>
    it.live(title, () => Effect.provide(body(), makeStore()), timeout)

  describe(`${name} — EventStore contract`, () => {
    describe("an empty store", () => {
      test("has the genesis head and reads nothing", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          assert.deepStrictEqual(yield* store.head, { position: 0, hash: HashChain.GENESIS_HASH })
          assert.deepStrictEqual(yield* readAllOf(), [])
          assert.deepStrictEqual(yield* store.readStream("nobody"), [])
          assert.isTrue(Option.isNone(yield* store.findCommand("never-sent")))
        }))
    })

    describe("expected version", () => {
      test("NoStream creates a stream and then conflicts", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const first = yield* store.append("s-1", [newEvent()], { expectedVersion: ExpectedVersion.noStream })
          assert.strictEqual(first.nextExpectedVersion, 1)
          assert.strictEqual(first.firstPosition, 1)
          assert.strictEqual(first.lastPosition, 1)
          assert.isFalse(first.alreadyAppended)
          const conflict = yield* expectFailure(
            store.append("s-1", [newEvent()], { expectedVersion: ExpectedVersion.noStream }),
            "ConcurrencyConflict"
          )
          assert.strictEqual((conflict as { actual: number }).actual, 1)
          assert.strictEqual((conflict as { streamId: string }).streamId, "s-1")
          assert.lengthOf(yield* store.readStream("s-1"), 1)
        }))

      test("Exact succeeds at the current version and conflicts otherwise, writing nothing", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          yield* store.append("s-2", commandEvents(2), { expectedVersion: ExpectedVersion.exact(0) })
          const next = yield* store.append("s-2", [newEvent()], { expectedVersion: ExpectedVersion.exact(2) })
          assert.strictEqual(next.nextExpectedVersion, 3)
          for (const stale of [0, 1, 2, 4]) {
            const conflict = yield* expectFailure(
              store.append("s-2", commandEvents(2), { expectedVersion: ExpectedVersion.exact(stale) }),
              "ConcurrencyConflict"
            )
            assert.strictEqual((conflict as { actual: number }).actual, 3)
          }
          assert.deepStrictEqual((yield* store.readStream("s-2")).map((e) => e.streamVersion), [1, 2, 3])
          assert.strictEqual((yield* store.head).position, 3)
        }))

      test("Exact(n > 0) on a missing stream conflicts with actual 0", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const conflict = yield* expectFailure(
            store.append("ghost", [newEvent()], { expectedVersion: ExpectedVersion.exact(3) }),
            "ConcurrencyConflict"
          )
          assert.strictEqual((conflict as { actual: number }).actual, 0)
          assert.deepStrictEqual(yield* store.readStream("ghost"), [])
        }))

      test("Any appends whatever the version", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          yield* store.append("s-3", [newEvent()], { expectedVersion: ExpectedVersion.any })
          const second = yield* store.append("s-3", commandEvents(2), { expectedVersion: ExpectedVersion.any })
          assert.strictEqual(second.nextExpectedVersion, 3)
          assert.strictEqual(second.firstPosition, 2)
          assert.strictEqual(second.lastPosition, 3)
        }))
    })

    describe("atomic append", () => {
      test("a multi-event append is stored whole, in order, with consecutive positions", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const events = commandEvents(5)
          const result = yield* store.append("batch", events, { expectedVersion: ExpectedVersion.noStream })
          assert.deepStrictEqual([result.firstPosition, result.lastPosition, result.nextExpectedVersion], [1, 5, 5])
          const stored = yield* store.readStream("batch")
          assert.deepStrictEqual(stored.map((e) => e.streamVersion), [1, 2, 3, 4, 5])
          assert.deepStrictEqual(stored.map((e) => e.data), events.map((e) => e.data))
          assert.strictEqual(result.headHash, stored[4]!.hash)
        }))

      test("a rejected multi-event append leaves no trace", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          yield* store.append("atom", [newEvent()], { expectedVersion: ExpectedVersion.noStream })
          const before = yield* store.head
          yield* expectFailure(
            store.append("atom", commandEvents(10), { expectedVersion: ExpectedVersion.exact(5) }),
            "ConcurrencyConflict"
          )
          assert.deepStrictEqual(yield* store.head, before)
          assert.lengthOf(yield* readAllOf(), 1)
          const next = yield* store.append("other", [newEvent()], { expectedVersion: ExpectedVersion.noStream })
          assert.strictEqual(next.firstPosition, 2, "a failed append must not consume positions")
        }))

      test("an empty append is a version check that writes nothing", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          yield* store.append("empty", commandEvents(2), { expectedVersion: ExpectedVersion.noStream })
          const head = yield* store.head
          const check = yield* store.append("empty", [], { expectedVersion: ExpectedVersion.exact(2), commandId: "empty-cmd" })
          assert.deepStrictEqual(check, {
            streamId: "empty",
            nextExpectedVersion: 2,
            firstPosition: head.position + 1,
            lastPosition: head.position,
            headHash: head.hash,
            alreadyAppended: false
          })
          yield* expectFailure(store.append("empty", [], { expectedVersion: ExpectedVersion.exact(1) }), "ConcurrencyConflict")
          assert.deepStrictEqual(yield* store.head, head)
          assert.isTrue(Option.isNone(yield* store.findCommand("empty-cmd")), "an empty append records no command id")
        }))

      test("refuses what it could not chain faithfully, writing nothing", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const bad: Array<[string, ReadonlyArray<NewEvent>]> = [
            ["", [newEvent()]],
            ["s", [newEvent({}, { type: "" })]],
            ["s", [newEvent({}, { schemaVersion: 0 })]],
            ["s", [newEvent({ at: new Date(0) })]],
            ["s", [newEvent({ n: Number.NaN })]],
            ["s", [newEvent({ list: [1, undefined] })]],
            ["s", [newEvent(), newEvent({ f: () => 1 })]]
          ]
          for (const [streamId, events] of bad) {
            const error = yield* expectFailure(store.append(streamId, events, { expectedVersion: ExpectedVersion.any }), "EventStoreError")
            assert.strictEqual((error as { reason: string }).reason, "InvalidArgument")
          }
          assert.deepStrictEqual(yield* store.head, { position: 0, hash: HashChain.GENESIS_HASH })
        }))

      test("every envelope field round-trips", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const event = newEvent({ nested: { b: [1, 2.5, null, true], a: "x" } }, { type: "DossierSubmitted", schemaVersion: 3 })
          const withMeta = {
            ...event,
            metadata: {
              actor: { _tag: "Officer" as const, officerId: "cb-001", agencyCode: "000.00.16.H08", roles: ["receiver"] },
              commandId: freshId("cmd"),
              correlationId: freshId("corr"),
              causationId: "cause-1"
            }
          }
          yield* store.append("envelope", [withMeta], { expectedVersion: ExpectedVersion.noStream })
          const [stored] = yield* store.readStream("envelope")
          assert.isDefined(stored)
          assert.strictEqual(stored!.streamId, "envelope")
          assert.strictEqual(stored!.type, "DossierSubmitted")
          assert.strictEqual(stored!.schemaVersion, 3)
          assert.deepStrictEqual(stored!.data, withMeta.data)
          assert.deepStrictEqual(stored!.actor, withMeta.metadata.actor)
          assert.strictEqual(stored!.commandId, withMeta.metadata.commandId)
          assert.strictEqual(stored!.correlationId, withMeta.metadata.correlationId)
          assert.strictEqual(stored!.causationId, "cause-1")
          assert.match(stored!.recordedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
          assert.deepStrictEqual((yield* readAllOf())[0], stored)
        }))
    })

    describe("global order and reads", () => {
      test("positions follow append order across streams, without gaps", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const order: Array<string> = []
          for (let i = 0; i < 12; i++) {
            const stream = `order-${i % 4}`
            const n = 1 + (i % 3)
            yield* store.append(stream, commandEvents(n), { expectedVersion: ExpectedVersion.any })
            for (let k = 0; k < n; k++) order.push(stream)
          }
          const all = yield* readAllOf()
          assert.deepStrictEqual(positions(all), range(1, order.length))
          assert.deepStrictEqual(all.map((e) => e.streamId), order)
          assertStreamVersions(all)
        }))

      test("readAll pages with after, until and small batches", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          for (let i = 0; i < 7; i++) {
            yield* store.append(`page-${i % 2}`, commandEvents(3), { expectedVersion: ExpectedVersion.any })
          }
          for (const batchSize of [1, 2, 5, 21, 100]) {
            assert.deepStrictEqual(positions(yield* readAllOf({ batchSize })), range(1, 21), `batchSize ${batchSize}`)
          }
          assert.deepStrictEqual(positions(yield* readAllOf({ after: 15, batchSize: 4 })), range(16, 21))
          assert.deepStrictEqual(positions(yield* readAllOf({ after: 3, until: 9, batchSize: 2 })), range(4, 9))
          assert.deepStrictEqual(positions(yield* readAllOf({ until: 1 })), [1])
          assert.deepStrictEqual(yield* readAllOf({ after: 21 }), [])
          assert.deepStrictEqual(yield* readAllOf({ after: 50 }), [])
          assert.deepStrictEqual(yield* readAllOf({ after: 9, until: 3 }), [], "until below after reads nothing")
        }))

      test("readStream honours fromVersion and toVersion", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          yield* store.append("ranged", commandEvents(10), { expectedVersion: ExpectedVersion.noStream })
          yield* store.append("noise", commandEvents(3), { expectedVersion: ExpectedVersion.noStream })
          const versions = (events: ReadonlyArray<RecordedEvent>) => events.map((e) => e.streamVersion)
          assert.deepStrictEqual(versions(yield* store.readStream("ranged", { fromVersion: 4 })), range(4, 10))
          assert.deepStrictEqual(versions(yield* store.readStream("ranged", { toVersion: 3 })), [1, 2, 3])
          assert.deepStrictEqual(versions(yield* store.readStream("ranged", { fromVersion: 5, toVersion: 6 })), [5, 6])
          assert.deepStrictEqual(yield* store.readStream("ranged", { fromVersion: 11 }), [])
        }))

      test("a reader sees a whole append or nothing of it", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const writer = yield* Effect.forkChild(Effect.forEach(
            range(1, 30),
            (i) => store.append(`torn-${i % 3}`, commandEvents(4), { expectedVersion: ExpectedVersion.any }),
            { discard: true }
          ))
          for (let i = 0; i < 30; i++) {
            const all = yield* readAllOf({ batchSize: 3 })
            assert.strictEqual(all.length % 4, 0, `a reader saw ${all.length} events: part of an append`)
            assert.deepStrictEqual(positions(all), range(1, all.length))
            yield* Effect.yieldNow
          }
          yield* Fiber.join(writer)
        }))
    })

    describe("subscriptions", () => {
      test("catch up and follow live appends without skipping or repeating", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          yield* store.append("sub-0", commandEvents(5), { expectedVersion: ExpectedVersion.noStream })
          const total = 5 + 40
          const reader = yield* Effect.forkChild(
            Stream.runCollect(Stream.take(store.subscribe({ batchSize: 3 }), total))
          )
          yield* Effect.forEach(range(1, 20), (i) =>
            Effect.flatMap(
              Effect.sleep(i % 3),
              () => store.append(`sub-${i % 4}`, commandEvents(2), { expectedVersion: ExpectedVersion.any })
            ), { concurrency: 4, discard: true })
          const seen = yield* Fiber.join(reader).pipe(Effect.timeout("20 seconds"))
          assert.deepStrictEqual(positions(seen), range(1, total))
          assertChain(seen)
        }))

      test("start after a checkpoint and keep following", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          yield* store.append("from-cp", commandEvents(10), { expectedVersion: ExpectedVersion.noStream })
          const reader = yield* Effect.forkChild(
            Stream.runCollect(Stream.take(store.subscribe({ after: 7 }), 6))
          )
          yield* Effect.sleep(20)
          yield* store.append("from-cp", commandEvents(3), { expectedVersion: ExpectedVersion.exact(10) })
          const seen = yield* Fiber.join(reader).pipe(Effect.timeout("20 seconds"))
          assert.deepStrictEqual(positions(seen), range(8, 13))
        }))

      test("two subscribers see the same sequence", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const take = (n: number) => Effect.forkChild(Stream.runCollect(Stream.take(store.subscribe({ batchSize: 2 }), n)))
          const a = yield* take(24)
          const b = yield* take(24)
          yield* Effect.forEach(range(1, 8), (i) =>
            store.append(`twin-${i % 2}`, commandEvents(3), { expectedVersion: ExpectedVersion.any }), {
            concurrency: 2,
            discard: true
          })
          const seenA = yield* Fiber.join(a).pipe(Effect.timeout("20 seconds"))
          const seenB = yield* Fiber.join(b).pipe(Effect.timeout("20 seconds"))
          assert.deepStrictEqual(positions(seenA), range(1, 24))
          assert.deepStrictEqual(seenA, seenB)
        }))
    })

    describe("idempotent command ids", () => {
      test("the same command id appends once and returns the first outcome", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const events = commandEvents(3, "cmd-once")
          const first = yield* store.append("idem", events, { expectedVersion: ExpectedVersion.noStream })
          yield* store.append("idem-other", [newEvent()], { expectedVersion: ExpectedVersion.noStream })
          // a retry after a lost acknowledgement carries a stale expected version: still no conflict
          const again = yield* store.append("idem", events, { expectedVersion: ExpectedVersion.noStream })
          const expected: AppendResult = { ...first, alreadyAppended: true }
          assert.deepStrictEqual(again, expected)
          assert.lengthOf(yield* store.readStream("idem"), 3)
          assert.strictEqual((yield* store.head).position, 4)
          const found = yield* store.findCommand("cmd-once")
          assert.isTrue(Option.isSome(found))
          const { alreadyAppended: _a, ...firstOutcome } = first
          const { alreadyAppended: _b, ...foundOutcome } = Option.getOrThrow(found)
          assert.deepStrictEqual(foundOutcome, firstOutcome)
        }))

      test("an explicit commandId option overrides the metadata", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const first = yield* store.append("explicit", [newEvent()], {
            expectedVersion: ExpectedVersion.any,
            commandId: "explicit-cmd"
          })
          const again = yield* store.append("explicit", [newEvent()], {
            expectedVersion: ExpectedVersion.any,
            commandId: "explicit-cmd"
          })
          assert.isTrue(again.alreadyAppended)
          assert.strictEqual(again.firstPosition, first.firstPosition)
          assert.lengthOf(yield* store.readStream("explicit"), 1)
          assert.isTrue(Option.isSome(yield* store.findCommand("explicit-cmd")))
        }))

      test("concurrent retries of one command append it once", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const events = commandEvents(2, "cmd-race")
          const results = yield* Effect.forEach(
            range(1, 8),
            () => store.append("race", events, { expectedVersion: ExpectedVersion.any }),
            { concurrency: "unbounded" }
          )
          assert.strictEqual(results.filter((r) => !r.alreadyAppended).length, 1)
          assert.strictEqual(new Set(results.map((r) => r.firstPosition)).size, 1)
          assert.lengthOf(yield* store.readStream("race"), 2)
        }))
    })

    describe("hash chain", () => {
      test("every event chains to the one before it and the head names the last hash", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          let last: AppendResult | undefined
          for (let i = 0; i < 10; i++) {
            last = yield* store.append(`chain-${i % 3}`, commandEvents(1 + (i % 4)), { expectedVersion: ExpectedVersion.any })
          }
          const all = yield* readAllOf()
          assertChain(all)
          const head = yield* store.head
          assert.deepStrictEqual(head, { position: all.length, hash: all[all.length - 1]!.hash })
          assert.strictEqual(last!.headHash, head.hash)
        }))
    })

    describe("concurrent writers", () => {
      test("on one stream: optimistic retries serialise them, no version is lost or doubled", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const writers = 6
          const appendsEach = 4
          const appendWithRetry = (writer: number, k: number) =>
            Effect.gen(function*() {
              for (let attempt = 0; attempt < 200; attempt++) {
                const current = (yield* store.readStream("hot")).length
                const exit = yield* Effect.exit(
                  store.append("hot", [newEvent({ writer, k })], { expectedVersion: ExpectedVersion.exact(current) })
                )
                if (Exit.isSuccess(exit)) return
                const error = Option.getOrUndefined(Exit.findErrorOption(exit))
                assert.strictEqual((error as { _tag?: string } | undefined)?._tag, "ConcurrencyConflict")
                yield* Effect.yieldNow
              }
              assert.fail("a writer never won the stream in 200 attempts")
            })
          yield* Effect.forEach(range(1, writers), (w) =>
            Effect.forEach(range(1, appendsEach), (k) => appendWithRetry(w, k), { discard: true }), {
            concurrency: "unbounded",
            discard: true
          })
          const stream = yield* store.readStream("hot")
          assert.deepStrictEqual(stream.map((e) => e.streamVersion), range(1, writers * appendsEach))
          const written = new Set(stream.map((e) => JSON.stringify(e.data)))
          assert.strictEqual(written.size, writers * appendsEach)
          assertChain(yield* readAllOf())
        }))

      test("on one stream: of many NoStream appends exactly one wins", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const exits = yield* Effect.forEach(
            range(1, 8),
            () => Effect.exit(store.append("first-wins", [newEvent()], { expectedVersion: ExpectedVersion.noStream })),
            { concurrency: "unbounded" }
          )
          assert.strictEqual(exits.filter(Exit.isSuccess).length, 1)
          assert.lengthOf(yield* store.readStream("first-wins"), 1)
        }))

      test("on many streams: every append lands, positions stay dense and chained", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const writers = 8
          const appendsEach = 10
          const results = yield* Effect.forEach(range(1, writers), (w) =>
            Effect.forEach(range(1, appendsEach), (k) =>
              store.append(`writer-${w}`, commandEvents(1 + (k % 3)), { expectedVersion: ExpectedVersion.exact(
                range(1, k - 1).reduce((sum, j) => sum + 1 + (j % 3), 0)
              ) })), { concurrency: "unbounded" })
          const all = yield* readAllOf({ batchSize: 7 })
          const total = results.flat().reduce((sum, r) => sum + r.lastPosition - r.firstPosition + 1, 0)
          assert.strictEqual(all.length, total)
          assertChain(all)
          assertStreamVersions(all)
          const claimed = results.flat().flatMap((r) => range(r.firstPosition, r.lastPosition)).sort((a, b) => a - b)
          assert.deepStrictEqual(claimed, range(1, total), "two appends were given the same positions")
        }))
    })

    describe("payloads", () => {
      test("a large payload (2 MiB) round-trips and chains", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const big = "Bản sao được chứng thực ".repeat(90_000)
          const rows = Array.from({ length: 2_000 }, (_, i) => ({ i, code: `052090000495.KQ.G15.${i}` }))
          yield* store.append("big", [newEvent({ big, rows })], { expectedVersion: ExpectedVersion.noStream })
          const [stored] = yield* store.readStream("big")
          assert.strictEqual((stored!.data as { big: string }).big, big)
          assert.deepStrictEqual((stored!.data as { rows: unknown }).rows, rows)
          assertChain(yield* readAllOf())
        }))

      test("unicode in stream ids, types and data is kept exactly (no normalisation)", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const nfc = "Nguyễn Thị Hồng Nhung — Thẻ căn cước công dân"
          const nfd = nfc.normalize("NFD")
          const data = {
            nfc,
            nfd,
            emoji: "📄✅🇻🇳",
            lone: "a\u0000b\u2028c\u2029d\t\"'\\",
            [nfd]: "key in NFD",
            "đ": "Đ",
            "10": "integer-like key",
            "1": "another"
          }
          const streamId = `kho-${nfd}-📄`
          yield* store.append(streamId, [newEvent(data, { type: "Tài liệu được tải lên" })], {
            expectedVersion: ExpectedVersion.noStream
          })
          const [stored] = yield* store.readStream(streamId)
          assert.isDefined(stored, "the unicode stream id must find its events")
          assert.strictEqual(stored!.streamId, streamId)
          assert.strictEqual(stored!.type, "Tài liệu được tải lên")
          assert.deepStrictEqual(stored!.data, newEvent(data).data)
          assert.strictEqual((stored!.data as Record<string, string>).nfd, nfd)
          assert.notStrictEqual(nfc, nfd)
          assert.deepStrictEqual(yield* store.readStream(`kho-${nfc}-📄`), [], "NFC and NFD ids are distinct streams")
          assertChain(yield* readAllOf())
        }))
    })

    describe("importRecorded", () => {
      test("imports a sealed log into an empty store, keeping positions, times and hashes", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          const log = sealedLog(9)
          const head = yield* store.importRecorded(log)
          assert.deepStrictEqual(head, { position: 9, hash: log[8]!.hash })
          assert.deepStrictEqual(yield* store.head, head)
          assert.deepStrictEqual(yield* readAllOf({ batchSize: 4 }), log)
          const next = yield* store.append("import-a", [newEvent()], { expectedVersion: ExpectedVersion.exact(3) })
          assert.strictEqual(next.firstPosition, 10)
          assertChain(yield* readAllOf())
          assert.isTrue(Option.isSome(yield* store.findCommand(log[0]!.commandId)), "imported command ids stay idempotent")
        }))

      test("continues a log the store already has, in several batches", () =>
        Effect.gen(function*() {
          const store = yield* EventStore
          yield* store.append("import-a", commandEvents(2), { expectedVersion: ExpectedVersion.noStream })
          const head = yield* store.head
          const versions = new Map([["import-a", 2]])
          const first = sealedLog(4, { start: head, versions })
          yield* store.importRecorded(first)
          const second = sealedLog(3, { start: { position: 6, hash: first[3]!.hash }, versions })
          const after = yield* store.importRecorded(second)
          assert.deepStrictEqual(after, { position: 9, hash: second[2]!.hash })
          assertChain(yield* readAllOf())
          assertStreamVersions(yield* readAllOf())
          assert.deepStrictEqual(yield* store.importRecorded([]), after, "an empty import changes nothing")
        }))

      const rejects = (title: string, corrupt: (log: Array<RecordedEvent>) => Array<RecordedEvent>, culprit: number) =>
        test(`rejects ${title}, writes nothing and names the event`, () =>
          Effect.gen(function*() {
            const store = yield* EventStore
            yield* store.append("import-a", [newEvent()], { expectedVersion: ExpectedVersion.noStream })
            const head = yield* store.head
            const log = corrupt(sealedLog(5, { start: head, versions: new Map([["import-a", 1]]) }))
            const error = yield* expectFailure(store.importRecorded(log), "EventStoreError")
            const message = String((error as { message: string }).message)
            assert.match(message, new RegExp(`\\b${culprit}\\b`), `the error should name event ${culprit}: ${message}`)
            assert.deepStrictEqual(yield* store.head, head)
            assert.lengthOf(yield* readAllOf(), 1)
          }))

      rejects("a batch that does not start at head + 1", (log) => log.map((e) => reseal(e, { globalPosition: e.globalPosition + 1 })), 3)
      rejects("a first event that does not chain to the head", (log) => [reseal(log[0]!, { previousHash: "f".repeat(64) }), ...log.slice(1)], 2)
      rejects("a hash that does not recompute (event 4 of 5)", (log) =>
        log.map((e) => e.globalPosition === 4 ? { ...e, data: { tampered: true } } : e), 4)
      rejects("a gap in the middle of the batch", (log) => [...log.slice(0, 2), ...log.slice(3)], 5)
      rejects("a stream version that does not follow the stream", (log) =>
        rechain([reseal(log[0]!, { streamVersion: log[0]!.streamVersion + 1 }), ...log.slice(1)]), 2)
    })
  })
}

/**
 * Registers the checkpoint-store contract under `describe(name)`.
 *
 * @since 0.1.0
 */
export const runCheckpoints = (name: string, makeStore: CheckpointFactory): void => {
  const test = (title: string, body: () => Effect.Effect<void, unknown, CheckpointStore>) =>
    it.live(title, () => Effect.provide(body(), makeStore()))

  describe(`${name} — CheckpointStore contract`, () => {
    test("an unknown projection is at 0; save, load and reset", () =>
      Effect.gen(function*() {
        const checkpoints = yield* CheckpointStore
        assert.strictEqual(yield* checkpoints.load("kpi"), 0)
        yield* checkpoints.save("kpi", 42)
        yield* checkpoints.save("other", 7)
        assert.strictEqual(yield* checkpoints.load("kpi"), 42)
        yield* checkpoints.save("kpi", 43)
        assert.strictEqual(yield* checkpoints.load("kpi"), 43)
        yield* checkpoints.reset("kpi")
        assert.strictEqual(yield* checkpoints.load("kpi"), 0)
        assert.strictEqual(yield* checkpoints.load("other"), 7)
      }))
  })
}
