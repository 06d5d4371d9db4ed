import { describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import * as fc from "fast-check"
import { createHash } from "node:crypto"
import type { RecordedEvent } from "../src/Event.ts"
import { GENESIS_HASH, canonicalEncoding, computeHash, seal, sealForStorage, verifyChain } from "../src/HashChain.ts"

const base = {
  streamId: "DocumentStore-052090000495",
  streamVersion: 1,
  globalPosition: 1,
  type: "DocumentUploaded",
  schemaVersion: 1,
  data: { b: 1, a: "Căn cước", "10": true },
  recordedAt: "2024-03-20T08:15:00.000Z",
  actor: { _tag: "Citizen" as const, personalId: "052090000495" },
  commandId: "cmd-1",
  correlationId: "corr-1",
  causationId: null,
  previousHash: GENESIS_HASH
}

describe("HashChain", () => {
  it("hashes the same event identically whatever the key order of its data", () => {
    const reordered = { ...base, data: JSON.parse(JSON.stringify({ "10": true, a: "Căn cước", b: 1 })) }
    expect(computeHash(reordered)).toBe(computeHash(base))
  })

  it("changes the hash when any field changes", () => {
    const h = computeHash(base)
    expect(computeHash({ ...base, streamVersion: 2 })).not.toBe(h)
    expect(computeHash({ ...base, data: { ...base.data, b: 2 } })).not.toBe(h)
    expect(computeHash({ ...base, previousHash: "1".repeat(64) })).not.toBe(h)
    expect(computeHash({ ...base, causationId: "x" })).not.toBe(h)
  })

  it("seals with a 64-hex SHA-256", () => {
    expect(seal(base).hash).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe("HashChain.verifyChain", () => {
  // a 10-event log over three streams, sealed like a store seals it
  const log = (): Array<RecordedEvent> => {
    const out: Array<RecordedEvent> = []
    const versions = new Map<string, number>()
    let previousHash = GENESIS_HASH
    for (let i = 1; i <= 10; i++) {
      const streamId = `Counter-${i % 3}`
      const streamVersion = (versions.get(streamId) ?? 0) + 1
      versions.set(streamId, streamVersion)
      const event = seal({ ...base, streamId, streamVersion, globalPosition: i, data: { n: i }, commandId: `c${i}`, previousHash })
      previousHash = event.hash
      out.push(event)
    }
    return out
  }
  // re-seals the chain from index `from` on, as a forger would to hide an edit
  const reseal = (events: Array<RecordedEvent>, from: number): Array<RecordedEvent> => {
    const out = events.slice(0, from)
    for (let i = from; i < events.length; i++) {
      const { hash: _, ...rest } = events[i]!
      out.push(seal({ ...rest, previousHash: i === 0 ? GENESIS_HASH : out[i - 1]!.hash }))
    }
    return out
  }
  const verify = (events: ReadonlyArray<RecordedEvent>) =>
    Effect.runSync(verifyChain(Stream.fromIterable(events).pipe(Stream.rechunk(3))))

  it("reports an intact log with its count and head", () => {
    const events = log()
    expect(verify(events)).toEqual({ _tag: "ChainIntact", count: 10, headPosition: 10, headHash: events[9]!.hash })
    expect(verify([])).toEqual({ _tag: "ChainIntact", count: 0, headPosition: 0, headHash: GENESIS_HASH })
  })

  it("catches a changed event at its position", () => {
    const events = log()
    events[4] = { ...events[4]!, data: { n: 500 } }
    const result = verify(events)
    expect(result).toMatchObject({ _tag: "ChainBroken", position: 5, reason: "Changed", verified: 4, lastGoodHash: events[3]!.hash })
  })

  it("catches a changed and re-sealed event at the next position", () => {
    const events = log()
    const { hash: _, ...rest } = events[4]!
    events[4] = seal({ ...rest, data: { n: 500 } })
    expect(verify(events)).toMatchObject({ _tag: "ChainBroken", position: 6, reason: "Reordered" })
  })

  it("catches a removed event, and a removed run, at the first missing position", () => {
    const events = log()
    const one = verify([...events.slice(0, 4), ...events.slice(5)])
    expect(one).toMatchObject({ _tag: "ChainBroken", position: 5, reason: "Removed", verified: 4 })
    expect(one._tag === "ChainBroken" && one.message).toContain("event 5 is missing")
    const run = verify([...events.slice(0, 2), ...events.slice(6)])
    expect(run).toMatchObject({ _tag: "ChainBroken", position: 3, reason: "Removed" })
    expect(run._tag === "ChainBroken" && run.message).toContain("events 3–6 are missing")
  })

  it("catches reordered events at the first position out of place", () => {
    const events = log()
    const swapped = [...events.slice(0, 4), events[5]!, events[4]!, ...events.slice(6)]
    expect(verify(swapped)).toMatchObject({ _tag: "ChainBroken", position: 5, reason: "Reordered", verified: 4 })
    const movedToEnd = [...events.slice(0, 2), ...events.slice(3), events[2]!]
    expect(verify(movedToEnd)).toMatchObject({ _tag: "ChainBroken", position: 3, reason: "Reordered" })
    const duplicated = [...events.slice(0, 5), events[4]!, ...events.slice(5)]
    expect(verify(duplicated)).toMatchObject({ _tag: "ChainBroken", position: 6, reason: "Reordered" })
  })

  it("a reordered log renumbered and re-sealed from there on links up, but its head hash differs", () => {
    const events = log()
    const swapped = [...events.slice(0, 4), events[5]!, events[4]!, ...events.slice(6)].map((e, i) => ({ ...e, globalPosition: i + 1 }))
    // without re-sealing, the renumbered events no longer match their hashes
    expect(verify(swapped)).toMatchObject({ position: 5, reason: "Changed" })
    // a forger who re-seals everything after the change gets a chain that links: only the head
    // hash (named by every KPI report, ADR 0010) tells it apart from the original
    const result = verify(reseal(swapped, 4))
    expect(result._tag).toBe("ChainIntact")
    expect(result._tag === "ChainIntact" && result.headHash).not.toBe(events[9]!.hash)
  })

  it("catches stream versions out of sequence", () => {
    const events = log()
    const { hash: _, ...rest } = events[6]!
    events[6] = seal({ ...rest, streamVersion: rest.streamVersion + 1 })
    const resealed = reseal(events, 7)
    expect(verify(resealed)).toMatchObject({ _tag: "ChainBroken", position: 7, reason: "StreamVersionOutOfSequence" })
  })
})

describe("HashChain format stability", () => {
  // the plain definition of the encoding (ADR 0010), written out without any optimisation
  const plainJson = (value: unknown): string => {
    if (value === null || typeof value !== "object") return value === undefined ? "null" : JSON.stringify(value)
    if (Array.isArray(value)) return "[" + value.map(plainJson).join(",") + "]"
    const record = value as Record<string, unknown>
    return "{" + Object.keys(record).sort().filter((k) => record[k] !== undefined)
      .map((k) => JSON.stringify(k) + ":" + plainJson(record[k])).join(",") + "}"
  }
  const plainEncoding = (e: Omit<RecordedEvent, "hash">) =>
    "[" + [
      String(e.globalPosition), JSON.stringify(e.streamId), String(e.streamVersion), JSON.stringify(e.type),
      String(e.schemaVersion), plainJson(e.data), JSON.stringify(e.recordedAt), plainJson(e.actor),
      JSON.stringify(e.commandId), JSON.stringify(e.correlationId),
      e.causationId === null ? "null" : JSON.stringify(e.causationId), JSON.stringify(e.previousHash)
    ].join(",") + "]"

  it("keeps the hashes of the first release (golden values)", () => {
    const golden = {
      ...base,
      data: { b: 1, a: "Căn cước", "10": true, nested: { z: [1, "x", null, { y: false, x: 1.5 }], a: -0.25 } }
    }
    expect(computeHash(golden)).toBe("de72a3253458832073b4e25869b459ea5ee4760f1599ff9a2f42f823cc81d85d")
    expect(computeHash({ ...golden, causationId: "cause-\u2028", previousHash: "ab".repeat(32) }))
      .toBe("cf952d95aa7ff48ec54175ad7b3d04bbb4b4610365845cda82728f2c3dbcd0e6")
  })

  it("encodes any JSON data exactly as the plain definition, and hashes it with SHA-256", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.option(fc.string(), { nil: null }), (data, streamId, causationId) => {
        const event = { ...base, data, streamId, causationId }
        expect(canonicalEncoding(event)).toBe(plainEncoding(event))
        expect(computeHash(event)).toBe(createHash("sha256").update(plainEncoding(event), "utf8").digest("hex"))
      }),
      { numRuns: 1000 }
    )
  })

  // keys that trip up a native JSON.stringify of a re-ordered copy: integer-like keys (enumerated
  // first whatever the insertion order), `__proto__` (sets the prototype when assigned), names on
  // Object.prototype, `toJSON`, quotes, unicode, line separators, the empty key
  const awkwardKey = fc.constantFrom(
    "0", "1", "10", "9", "01", "-1", "1.5", "4294967294", "4294967295", "99999999999999999999",
    "__proto__", "constructor", "toString", "hasOwnProperty", "toJSON", "valueOf",
    "a", "b", "B", "_tag", "a\"b", "a\\b", "é", "\u00e9", "e\u0301", "ß", "😀", "\ud800", "\u2028", "", "a\u0001b", " "
  )
  // own enumerable properties whatever the key (a literal or assignment would set the prototype for __proto__)
  const objectOf = (entries: ReadonlyArray<readonly [string, unknown]>, proto: object | null = Object.prototype) => {
    const out = Object.create(proto) as Record<string, unknown>
    for (const [key, value] of entries) {
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  class Point {
    readonly x = 1
    readonly y = [2]
  }
  const { awkward } = fc.letrec<{ awkward: unknown }>((tie) => ({
    awkward: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(-0)),
      fc.array(tie("awkward"), { maxLength: 4 }),
      fc.tuple(fc.array(fc.tuple(fc.oneof(awkwardKey, fc.string()), tie("awkward")), { maxLength: 6 }), fc.boolean())
        .map(([entries, nullProto]) => objectOf(entries, nullProto ? null : Object.prototype)),
      // not plain JSON (stores refuse these), but the encoding must still follow the plain definition
      fc.constantFrom<unknown>(new Date(0), new Map([["a", 1]]), new Point())
    )
  }))

  it("encodes values with awkward keys and members exactly as the plain definition", () => {
    fc.assert(
      fc.property(awkward, awkward, (data, other) => {
        const event = { ...base, data: { data, other, list: [data, other] } }
        expect(canonicalEncoding(event)).toBe(plainEncoding(event))
        expect(canonicalEncoding({ ...base, data })).toBe(plainEncoding({ ...base, data }))
      }),
      { numRuns: 2000 }
    )
  })

  it("encodes the edge cases it was tuned for exactly as the plain definition", () => {
    const cases: ReadonlyArray<unknown> = [
      JSON.parse('{"b":1,"10":2,"2":3,"a":{"__proto__":{"x":1},"1":[{},[]]}}'),
      objectOf([["__proto__", [1, { "0": null }]], ["z", undefined], ["a", { toJSON: 1 }]]),
      { toJSON: "not a function", nested: [[[]], [{}], { "": "" }] },
      { same: { same: { same: 1 } }, other: [{ same: 2, x: undefined }] },
      [undefined, null, -0, 1e21, 5e-324, "\u0000\u001f\"\\\ud800"],
      objectOf([["b", 1], ["a", 2]], null),
      { date: new Date(0), map: new Map(), point: new Point() }
    ]
    for (const data of cases) expect(canonicalEncoding({ ...base, data })).toBe(plainEncoding({ ...base, data }))
  })

  it("keeps the field-by-field encoding for envelopes whose fields break their types", () => {
    // what the first release wrote for these (String(NaN), a bare `undefined`): not JSON, but stable
    const odd = { ...base, globalPosition: Number.NaN, streamVersion: Infinity, type: undefined } as unknown as typeof base
    expect(canonicalEncoding(odd).startsWith('[NaN,"DocumentStore-052090000495",Infinity,undefined,1,{"10":true,')).toBe(true)
    expect(sealForStorage(odd).hash).toBe(computeHash(odd))
  })

  it("sealForStorage gives the seal's hash and the canonical JSON of data and actor", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.option(fc.string(), { nil: null }), (data, streamId, causationId) => {
        const event = { ...base, data, streamId, causationId }
        const sealed = sealForStorage(event)
        expect(sealed.hash).toBe(computeHash(event))
        expect(sealed.data).toBe(plainJson(data))
        expect(sealed.actor).toBe(plainJson(event.actor))
        expect(JSON.parse(sealed.data)).toEqual(JSON.parse(JSON.stringify(data)))
      }),
      { numRuns: 1000 }
    )
    fc.assert(
      fc.property(awkward, (data) => {
        expect(sealForStorage({ ...base, data }).hash).toBe(createHash("sha256").update(plainEncoding({ ...base, data })).digest("hex"))
      }),
      { numRuns: 500 }
    )
  })

  it("does not confuse objects whose key lists only differ by the separator", () => {
    const a = { "a\u0001b": 1, c: 2 }
    const b = { a: 1, "b\u0001c": 2 }
    expect(canonicalEncoding({ ...base, data: [a, b, a, b] })).toBe(plainEncoding({ ...base, data: [a, b, a, b] }))
    const data = [{}, { "": [] }, {}, { "": 1, a: 2 }, { a: 2, "": 1 }]
    expect(canonicalEncoding({ ...base, data })).toBe(plainEncoding({ ...base, data }))
  })
})
