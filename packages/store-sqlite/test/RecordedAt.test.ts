/**
 * `recordedAt` never goes backwards along the log, whatever the clock does: a step back (NTP) between
 * appends, or another connection on the same file whose clock runs behind. Auditors cut the log "as of
 * time T" on that promise (`KpiLedger.atTime`).
 */
import { describe, it } from "@effect/vitest"
import type { NewEvent, RecordedEvent } from "@kho/core/Event"
import { EventStore, ExpectedVersion } from "@kho/core/EventStore"
import * as HashChain from "@kho/core/HashChain"
import { Effect, Stream } from "effect"
import { TestClock } from "effect/testing"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert } from "vitest"
import { SqliteDatabase, SqliteEventStore } from "../src/index.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-sqlite-recorded-at-"))
let n = 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const MINUTE = 60_000
const start = Date.UTC(2024, 2, 20, 16, 58)

const events = (count: number, tag: string): Array<NewEvent> => {
  const commandId = `cmd-${tag}-${++n}`
  return Array.from({ length: count }, (_, i) => ({
    type: "Counted",
    schemaVersion: 1,
    data: { tag, i },
    metadata: { actor: { _tag: "System", component: "recorded-at-test" }, commandId, correlationId: "c", causationId: null }
  }))
}

const openStore = (filename: string) =>
  Effect.map(SqliteDatabase.open({ filename }), (database) => SqliteEventStore.make(database).eventStore)

const readAll = (store: EventStore["Service"]) =>
  Effect.map(Stream.runCollect(store.readAll()), (all) => Array.from(all))

/** The first position whose `recordedAt` is earlier than its predecessor's, if any. */
const firstDecrease = (log: ReadonlyArray<RecordedEvent>): number | undefined => {
  for (let i = 1; i < log.length; i++) {
    if (Date.parse(log[i]!.recordedAt) < Date.parse(log[i - 1]!.recordedAt)) return log[i]!.globalPosition
  }
  return undefined
}

describe("SqliteEventStore recordedAt", () => {
  it.effect("a clock stepped back between appends stamps the head's recordedAt, never earlier", () =>
    Effect.gen(function*() {
      const store = yield* openStore(join(dir, `store-${++n}.sqlite`))
      yield* TestClock.setTime(start)
      yield* store.append("Counter-a", events(2, "a"), { expectedVersion: ExpectedVersion.any })
      yield* TestClock.setTime(start - 5 * MINUTE)
      yield* store.append("Counter-b", events(1, "b"), { expectedVersion: ExpectedVersion.any })
      yield* TestClock.setTime(start + 3 * MINUTE)
      yield* store.append("Counter-c", events(1, "c"), { expectedVersion: ExpectedVersion.any })
      const log = yield* readAll(store)
      assert.deepStrictEqual(log.map((e) => e.recordedAt), [
        new Date(start).toISOString(),
        new Date(start).toISOString(),
        new Date(start).toISOString(),
        new Date(start + 3 * MINUTE).toISOString()
      ])
      assert.strictEqual((yield* HashChain.verifyChain(store.readAll()))._tag, "ChainIntact")
    }))

  it.effect("any sequence of clock moves, alone or in concurrent groups, keeps recordedAt non-decreasing", () =>
    Effect.gen(function*() {
      const store = yield* openStore(join(dir, `store-${++n}.sqlite`))
      const moves = [0, -7, 3, -1, -20, 40, -39, 2, -2, 0, -60, 5]
      let at = start
      for (const [i, move] of moves.entries()) {
        at += move * MINUTE
        yield* TestClock.setTime(at)
        // two appends at once: one group commit, each append checked and stamped in order
        yield* Effect.all([
          store.append(`Counter-${i}-x`, events(1 + (i % 3), `x${i}`), { expectedVersion: ExpectedVersion.any }),
          store.append(`Counter-${i}-y`, events(1, `y${i}`), { expectedVersion: ExpectedVersion.any })
        ], { concurrency: "unbounded" })
      }
      const log = yield* readAll(store)
      assert.isAbove(log.length, moves.length)
      assert.strictEqual(firstDecrease(log), undefined, JSON.stringify(log.map((e) => e.recordedAt)))
    }))

  it.effect("a second connection whose clock runs behind never stamps earlier than the first's head", () =>
    Effect.gen(function*() {
      const filename = join(dir, `store-${++n}.sqlite`)
      const ahead = yield* openStore(filename)
      const behind = yield* openStore(filename)
      for (let round = 0; round < 3; round++) {
        yield* TestClock.setTime(start + round * MINUTE)
        yield* ahead.append(`Ahead-${round}`, events(1, `ahead${round}`), { expectedVersion: ExpectedVersion.any })
        // the other process's clock is 10 minutes slow; it learns the head from the file, not from us
        yield* TestClock.setTime(start + round * MINUTE - 10 * MINUTE)
        yield* behind.append(`Behind-${round}`, events(2, `behind${round}`), { expectedVersion: ExpectedVersion.any })
      }
      const log = yield* readAll(ahead)
      assert.strictEqual(log.length, 9)
      assert.strictEqual(firstDecrease(log), undefined, JSON.stringify(log.map((e) => e.recordedAt)))
      assert.strictEqual((yield* HashChain.verifyChain(ahead.readAll()))._tag, "ChainIntact")
    }))
})
