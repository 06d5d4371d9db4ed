import { assert, describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import type { NewEvent, RecordedEvent } from "../src/Event.ts"
import { appendRefusal, importRefusal, importedCommands, plainJsonProblem } from "../src/EventStoreChecks.ts"
import { GENESIS_HASH, seal } from "../src/HashChain.ts"
import { metadata } from "./utils/Counter.ts"

const event = (data: unknown, patch: Partial<NewEvent> = {}): NewEvent => ({
  type: "Incremented",
  schemaVersion: 1,
  data,
  metadata: metadata("c1"),
  ...patch
})

/** A sealed log: `streams[i]` is the stream of the event at position `from.position + i + 1`. */
const sealedLog = (
  streams: ReadonlyArray<string>,
  from = { position: 0, hash: GENESIS_HASH },
  versions = new Map<string, number>()
): Array<RecordedEvent> => {
  const out: Array<RecordedEvent> = []
  let previousHash = from.hash
  streams.forEach((streamId, i) => {
    const streamVersion = (versions.get(streamId) ?? 0) + 1
    versions.set(streamId, streamVersion)
    const sealed = seal({
      streamId,
      streamVersion,
      globalPosition: from.position + i + 1,
      type: "Incremented",
      schemaVersion: 1,
      data: { _tag: "Incremented", by: i },
      recordedAt: "2024-03-20T08:15:00.000Z",
      actor: { _tag: "System", component: "test" },
      commandId: `cmd-${streamId}`,
      correlationId: "corr",
      causationId: null,
      previousHash
    })
    previousHash = sealed.hash
    out.push(sealed)
  })
  return out
}

const reseal = (e: RecordedEvent, patch: Partial<RecordedEvent>): RecordedEvent => {
  const { hash: _, ...rest } = { ...e, ...patch }
  return seal(rest)
}

describe("EventStoreChecks.plainJsonProblem", () => {
  it("accepts anything JSON.parse can return", () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => plainJsonProblem(value, "data") === undefined), { numRuns: 500 })
  })

  it("names the first path that is not plain JSON", () => {
    expect(plainJsonProblem({ at: new Date(0) }, "data")).toBe(
      "data.at is a Date, not plain JSON: encode it through its Schema first"
    )
    expect(plainJsonProblem({ items: [1, { n: Number.NaN }] }, "data")).toBe("data.items[1].n is NaN, which JSON cannot represent")
    expect(plainJsonProblem([Infinity], "actor")).toContain("actor[0] is Infinity")
    expect(plainJsonProblem(undefined, "data")).toBe("data is undefined, which JSON cannot represent")
    expect(plainJsonProblem({ f: () => 1 }, "data")).toBe("data.f is a function, which JSON cannot represent")
    expect(plainJsonProblem({ n: 1n }, "data")).toBe("data.n is a bigint, which JSON cannot represent")
    expect(plainJsonProblem(new Map(), "data")).toContain("data is a Map")
    // undefined members are dropped by JSON, and null-prototype objects are plain
    expect(plainJsonProblem({ a: undefined, b: Object.create(null) }, "data")).toBeUndefined()
  })

  it("deep-freezes what it walks only when asked", () => {
    const value = { a: { b: [1, { c: 2 }] } }
    assert.isUndefined(plainJsonProblem(value, "data"))
    assert.isFalse(Object.isFrozen(value))
    assert.isUndefined(plainJsonProblem(value, "data", { freeze: true }))
    assert.isTrue(Object.isFrozen(value) && Object.isFrozen(value.a) && Object.isFrozen(value.a.b) && Object.isFrozen(value.a.b[1]))
  })
})

describe("EventStoreChecks.appendRefusal", () => {
  it("accepts well-formed events, and an empty append", () => {
    assert.isUndefined(appendRefusal("s", [event({ _tag: "Incremented", by: 1 }), event([1, "x", null])]))
    assert.isUndefined(appendRefusal("s", []))
  })

  it("refuses, as InvalidArgument, what no store may write", () => {
    const cases: Array<[string, ReadonlyArray<NewEvent>, string]> = [
      ["", [event(1)], "cannot append to an empty stream id"],
      ["s", [event(1), event(1, { type: "" })], "event 1 appended to s has an empty type"],
      ["s", [event(1, { schemaVersion: 0 })], "has schema version 0; versions start at 1"],
      ["s", [event(1, { schemaVersion: 1.5 })], "has schema version 1.5"],
      ["s", [event({ at: new Date(0) })], "event 0 (Incremented) appended to s: data.at is a Date"],
      ["s", [event(1, { metadata: { ...metadata("c1"), actor: { _tag: "System", component: Number.NaN } as never } })], "actor.component is NaN"]
    ]
    for (const [streamId, events, message] of cases) {
      const error = appendRefusal(streamId, events)
      assert.strictEqual(error?.reason, "InvalidArgument")
      assert.isFalse(error?.retryable)
      expect(error?.message).toContain(message)
    }
  })
})

describe("EventStoreChecks.importRefusal", () => {
  const none = () => 0

  it("accepts a batch that continues the log, also after existing events", () => {
    assert.isUndefined(importRefusal(sealedLog(["a", "b", "a"]), { position: 0, hash: GENESIS_HASH }, none))
    const first = sealedLog(["a", "b"])
    const head = { position: 2, hash: first[1]!.hash }
    const next = sealedLog(["a", "c"], head, new Map([["a", 1], ["b", 1]]))
    const asked: Array<string> = []
    const versionOf = (streamId: string) => {
      asked.push(streamId)
      return streamId === "a" ? 1 : 0
    }
    assert.isUndefined(importRefusal(next, head, versionOf))
    assert.deepStrictEqual(asked, ["a", "c"], "each stream's version is asked once")
  })

  it("refuses the first event that does not continue the log, naming its position", () => {
    const log = sealedLog(["a", "b", "a", "b"])
    const start = { position: 0, hash: GENESIS_HASH }
    const cases: Array<[ReadonlyArray<RecordedEvent>, string, string]> = [
      [log.slice(1), "global position 2", "expected global position 1"],
      [[log[0]!, log[2]!], "global position 3", "expected global position 2"],
      [[log[0]!, reseal(log[1]!, { previousHash: "f".repeat(64) })], "global position 2", "its previous hash"],
      [[log[0]!, reseal(log[1]!, { streamVersion: 2, previousHash: log[0]!.hash })], "global position 2", "its stream version is 2, expected 1"],
      [[log[0]!, { ...log[1]!, data: { at: new Date(0) } }], "global position 2", "data.at is a Date"]
    ]
    for (const [batch, culprit, why] of cases) {
      const error = importRefusal(batch, start, none)
      assert.strictEqual(error?.reason, "InvalidArgument")
      expect(error?.message).toContain(culprit)
      expect(error?.message).toContain(why)
      expect(error?.message).toContain("nothing written")
    }
  })

  it("refuses an event changed after sealing as InvalidArgument (the input is bad, not the store)", () => {
    const log = sealedLog(["a", "b", "a"])
    const error = importRefusal([log[0]!, log[1]!, { ...log[2]!, data: { tampered: true } }], { position: 0, hash: GENESIS_HASH }, () => 0)
    assert.strictEqual(error?.reason, "InvalidArgument")
    expect(error?.message).toMatch(/global position 3 .*does not recompute/)
  })

  it("checks stream versions against what the store already holds", () => {
    const log = sealedLog(["a"])
    expect(importRefusal(log, { position: 0, hash: GENESIS_HASH }, () => 4)?.message).toContain("expected 5")
  })
})

describe("EventStoreChecks.importedCommands", () => {
  it("records each command id's run in its first stream", () => {
    const log = sealedLog(["a", "a", "b", "a"]).map((e, i) => (i === 2 ? e : { ...e, commandId: "one" }))
    const commands = importedCommands(log)
    assert.deepStrictEqual(commands.get("one"), {
      streamId: "a",
      firstPosition: 1,
      lastPosition: 4,
      nextExpectedVersion: 3,
      headHash: log[3]!.hash,
      alreadyAppended: false
    })
    assert.deepStrictEqual(commands.get("cmd-b")?.firstPosition, 3)
    const other = importedCommands([log[0]!, { ...log[2]!, commandId: "one" }])
    assert.strictEqual(other.get("one")?.lastPosition, 1, "another stream does not extend the run")
  })
})
