import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import type { NewEvent, RecordedEvent } from "../src/Event.ts"
import { EventStore, ExpectedVersion, importStream, makeMemory } from "../src/EventStore.ts"
import { verifyChain } from "../src/HashChain.ts"
import * as Ndjson from "../src/Ndjson.ts"
import { metadata } from "./utils/Counter.ts"

const uploaded = (i: number): NewEvent => ({
  type: "DocumentUploaded",
  schemaVersion: 1,
  data: {
    documentId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    ownerId: "052090000495",
    category: "KQ.G15.000031",
    name: "052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính",
    size: 100_000 + i,
    mimeType: "application/pdf",
    uploadedAt: "2024-02-02T08:00:00.000Z",
    sha256: "ab".repeat(32),
    visible: true,
    shared: i % 2 === 0
  },
  metadata: metadata(`c${i}`)
})

/** A store holding `count` events appended 100 at a time over `streams` streams. */
const filledStore = (count: number, streams: number) =>
  Effect.gen(function*() {
    const store = yield* makeMemory
    for (let i = 0; i < count; i += 100) {
      const events = Array.from({ length: Math.min(100, count - i) }, (_, j) => ({ ...uploaded(i + j), metadata: metadata(`c${i}`) }))
      yield* store.append(`DocumentStore-${(i / 100) % streams}`, events, { expectedVersion: ExpectedVersion.any })
    }
    return store
  })

/** Cuts text into chunks of varying sizes, so lines (and UTF-8 characters) straddle chunks. */
const chop = (bytes: Uint8Array): Array<Uint8Array> => {
  const out: Array<Uint8Array> = []
  let size = 1
  for (let i = 0; i < bytes.length;) {
    out.push(bytes.subarray(i, i + size))
    i += size
    size = (size * 7 + 13) % 4093 + 1
  }
  return out
}

const concat = (chunks: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

const decodeText = (text: string) => Ndjson.decode(Stream.make(text))

describe("Ndjson", () => {
  it.effect("round-trips 100 000 events with identical hashes: export, import, verify", () =>
    Effect.gen(function*() {
      const source = yield* filledStore(100_000, 100)
      const bytes = concat(yield* Stream.runCollect(Ndjson.encodeBytes(source.readAll())))
      const target = yield* makeMemory
      const head = yield* importStream(Ndjson.decodeBytes(Stream.fromIterable(chop(bytes))), { batchSize: 5000 }).pipe(
        Effect.provideService(EventStore, target)
      )
      const sourceHead = yield* source.head
      assert.deepStrictEqual(head, sourceHead)
      assert.deepStrictEqual(yield* target.head, sourceHead)
      assert.strictEqual(sourceHead.position, 100_000)
      const verification = yield* verifyChain(target.readAll())
      assert.deepStrictEqual(verification, {
        _tag: "ChainIntact",
        count: 100_000,
        headPosition: 100_000,
        headHash: sourceHead.hash
      })
    }), 120_000)

  it.effect("decodes text chunks whose lines straddle chunk boundaries, CRLF included", () =>
    Effect.gen(function*() {
      const source = yield* filledStore(300, 3)
      const original = yield* Stream.runCollect(source.readAll())
      const text = (yield* Stream.runCollect(Ndjson.encode(source.readAll()))).join("").replaceAll("\n", "\r\n")
      const pieces: Array<string> = []
      for (let i = 0; i < text.length; i += 97) pieces.push(text.slice(i, i + 97))
      const decoded = yield* Stream.runCollect(Ndjson.decode(Stream.fromIterable(pieces)))
      assert.deepStrictEqual(decoded, original)
    }))

  it.effect("writes one line per event, fields in the canonical order", () =>
    Effect.gen(function*() {
      const source = yield* filledStore(2, 1)
      const [first] = yield* Stream.runCollect(source.readAll())
      const line = Ndjson.encodeLine(first!)
      expect(Object.keys(JSON.parse(line))).toEqual([
        "globalPosition",
        "streamId",
        "streamVersion",
        "type",
        "schemaVersion",
        "data",
        "recordedAt",
        "actor",
        "commandId",
        "correlationId",
        "causationId",
        "previousHash",
        "hash"
      ])
      assert.notInclude(line, "\n")
    }))

  describe("errors name the line and what is wrong", () => {
    const lines = Effect.gen(function*() {
      const source = yield* filledStore(4, 1)
      return (yield* Stream.runCollect(source.readAll())).map(Ndjson.encodeLine)
    })

    it.effect("invalid JSON, after emitting the lines before it", () =>
      Effect.gen(function*() {
        const [a, b, c] = yield* lines
        const emitted: Array<RecordedEvent> = []
        const error = yield* Effect.flip(
          Stream.runForEach(decodeText(`${a}\n${b}\n${c!.slice(0, 40)}\n${c}\n`), (e) => Effect.sync(() => emitted.push(e)))
        )
        assert.strictEqual(error._tag, "InvalidLine")
        assert.deepStrictEqual([error.line, error.reason], [3, "InvalidJson"])
        assert.strictEqual(error.message, "line 3: it is not valid JSON")
        assert.deepStrictEqual(emitted.map((e) => e.globalPosition), [1, 2])
      }))

    it.effect("a JSON value that is not a recorded event", () =>
      Effect.gen(function*() {
        const [a, b] = yield* lines
        const broken = JSON.stringify({ ...JSON.parse(b!), streamVersion: 0 })
        const error = yield* Effect.flip(Stream.runDrain(decodeText(`${a}\n${broken}\n`)))
        assert.deepStrictEqual([error.line, error.reason], [2, "InvalidEvent"])
        expect(error.message).toContain("line 2 is not a recorded event")
        expect(error.message).toContain("streamVersion")
      }))

    it.effect("a blank line in the middle", () =>
      Effect.gen(function*() {
        const [a, b] = yield* lines
        const error = yield* Effect.flip(Stream.runDrain(decodeText(`${a}\n\n${b}\n`)))
        assert.deepStrictEqual([error.line, error.reason], [2, "InvalidJson"])
      }))

    it.effect("invalid UTF-8 in a byte stream", () =>
      Effect.gen(function*() {
        const [a] = yield* lines
        const bytes = concat([new TextEncoder().encode(`${a}\n`), new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 0x0a])])
        const error = yield* Effect.flip(Stream.runDrain(Ndjson.decodeBytes(Stream.make(bytes))))
        assert.deepStrictEqual([error.line, error.reason], [2, "InvalidUtf8"])
      }))

    it.effect("invalid UTF-8 inside a chunk of several lines names that line", () =>
      Effect.gen(function*() {
        const [a, b, c, d] = yield* lines
        const utf8 = new TextEncoder()
        const bytes = concat([utf8.encode(`${a}\n${b}\n`), new Uint8Array([0x7b, 0xc3, 0x28, 0x7d, 0x0a]), utf8.encode(`${c}\n${d}\n`)])
        const emitted: Array<number> = []
        const error = yield* Effect.flip(
          Stream.runForEach(Ndjson.decodeBytes(Stream.make(bytes)), (e) => Effect.sync(() => emitted.push(e.globalPosition)))
        )
        assert.deepStrictEqual([error.line, error.reason], [3, "InvalidUtf8"])
        assert.deepStrictEqual(emitted, [1, 2])
      }))

    it.effect("a BOM at the start and a last line without newline are fine", () =>
      Effect.gen(function*() {
        const [a, b] = yield* lines
        const bytes = concat([new Uint8Array([0xef, 0xbb, 0xbf]), new TextEncoder().encode(`${a}\n${b}`)])
        const decoded = yield* Stream.runCollect(Ndjson.decodeBytes(Stream.fromIterable(chop(bytes))))
        assert.deepStrictEqual(decoded.map((e) => e.globalPosition), [1, 2])
      }))

    it.effect("a line beyond maxLineBytes", () =>
      Effect.gen(function*() {
        const [a, b] = yield* lines
        const utf8 = new TextEncoder()
        const limit = utf8.encode(a!).length + 10
        const long = JSON.stringify({ ...JSON.parse(b!), padding: "x".repeat(100) })
        const error = yield* Effect.flip(
          Stream.runDrain(Ndjson.decodeBytes(Stream.make(utf8.encode(`${a}\n${long}\n`)), { maxLineBytes: limit }))
        )
        assert.deepStrictEqual([error.line, error.reason], [2, "LineTooLarge"])
        // also when the long line arrives in pieces with no newline yet
        const pieces = Array.from({ length: 50 }, () => utf8.encode("x".repeat(100)))
        const unterminated = yield* Effect.flip(
          Stream.runDrain(Ndjson.decodeBytes(Stream.fromIterable([utf8.encode(`${a}\n`), ...pieces]), {
            maxLineBytes: 1000
          }))
        )
        assert.deepStrictEqual([unterminated.line, unterminated.reason], [2, "LineTooLarge"])
      }))
  })

  describe("streams: nothing waits for the end of the input", () => {
    const lines = Effect.gen(function*() {
      const source = yield* filledStore(40, 4)
      return (yield* Stream.runCollect(source.readAll())).map((e) => Ndjson.encodeLine(e) + "\n")
    })

    it.effect("decodes every line before the source is asked for the one after next", () =>
      Effect.gen(function*() {
        const input = yield* lines
        const decoded: Array<number> = []
        // decoded.length at the moment chunk i is asked for; a decoder that waits for the end sees 0 every time
        const decodedWhenAsked: Array<number> = []
        async function* oneLinePerChunk() {
          for (const line of input) {
            decodedWhenAsked.push(decoded.length)
            yield new TextEncoder().encode(line)
          }
        }
        yield* Stream.runForEach(Ndjson.fromAsyncIterable(oneLinePerChunk()), (e) => Effect.sync(() => decoded.push(e.globalPosition)))
        assert.deepStrictEqual(decoded, input.map((_, i) => i + 1))
        decodedWhenAsked.forEach((n, i) => assert.isAtLeast(n, i - 1, `chunk ${i + 1} was read with only ${n} events out`))
      }))

    it.effect("encodes each batch before the next one is read", () =>
      Effect.gen(function*() {
        const source = yield* filledStore(30, 3)
        const events = yield* Stream.runCollect(source.readAll())
        const written: Array<string> = []
        const writtenWhenAsked: Array<number> = []
        async function* oneEventAtATime() {
          for (const event of events) {
            writtenWhenAsked.push(written.length)
            yield event
          }
        }
        const upstream = Stream.fromAsyncIterable(oneEventAtATime(), (cause) => new Error(String(cause)))
        yield* Stream.runForEach(Ndjson.encode(upstream), (text) => Effect.sync(() => written.push(text)))
        assert.strictEqual(written.join(""), events.map((e) => Ndjson.encodeLine(e) + "\n").join(""))
        writtenWhenAsked.forEach((n, i) => assert.isAtLeast(n, i - 1, `event ${i + 1} was read with only ${n} lines written`))
      }))

    it.effect("imports batch by batch while the source is still being read", () =>
      Effect.gen(function*() {
        const input = yield* lines
        const target = yield* makeMemory
        const importedWhenAsked: Array<number> = []
        const imported = () => Effect.runSync(Effect.map(target.head, (head) => head.position))
        async function* oneLinePerChunk() {
          for (const line of input) {
            importedWhenAsked.push(imported())
            yield line
          }
        }
        const batchSize = 4
        const head = yield* importStream(Ndjson.fromAsyncIterable(oneLinePerChunk()), { batchSize }).pipe(
          Effect.provideService(EventStore, target)
        )
        assert.strictEqual(head.position, input.length)
        // when line i is read, every full batch before the one it belongs to is already in the store
        importedWhenAsked.forEach((n, i) =>
          assert.isAtLeast(n, Math.floor(i / batchSize) * batchSize - batchSize, `line ${i + 1} was read with ${n} imported`)
        )
        assert.isAbove(importedWhenAsked.at(-1)!, 0)
      }))

    it.effect("keeps the batches imported before a source that fails part-way", () =>
      Effect.gen(function*() {
        const input = yield* lines
        const target = yield* makeMemory
        async function* failsAfterNine() {
          yield* input.slice(0, 9)
          throw new Error("disk unplugged")
        }
        const error = yield* Effect.flip(
          importStream(Ndjson.fromAsyncIterable(failsAfterNine()), { batchSize: 4 }).pipe(Effect.provideService(EventStore, target))
        )
        assert.strictEqual(error._tag, "ReadError")
        expect(error.message).toContain("disk unplugged")
        // the two full batches read before the failure are in the store (the ninth line's partial batch
        // may be flushed too); a non-streaming import would hold nothing
        const kept = (yield* target.head).position
        assert.isAtLeast(kept, 8)
        assert.isAtMost(kept, 9)
        assert.strictEqual((yield* verifyChain(target.readAll()))._tag, "ChainIntact")
      }))
  })

  it.effect("reads an async iterable (a Node Readable) and catches a tampered line on import", () =>
    Effect.gen(function*() {
      const source = yield* filledStore(10, 2)
      const lines = (yield* Stream.runCollect(source.readAll())).map(Ndjson.encodeLine)
      lines[6] = lines[6]!.replace("\"size\":100006", "\"size\":999")
      async function* chunks() {
        for (const line of lines) {
          yield line.slice(0, 10)
          yield new TextEncoder().encode(line.slice(10) + "\n")
        }
      }
      const verification = yield* verifyChain(Ndjson.fromAsyncIterable(chunks()))
      assert.strictEqual(verification._tag, "ChainBroken")
      assert.deepStrictEqual(
        verification._tag === "ChainBroken" && [verification.position, verification.reason],
        [7, "Changed"]
      )
      const target = yield* makeMemory
      const error = yield* Effect.flip(
        importStream(Ndjson.fromAsyncIterable(chunks())).pipe(Effect.provideService(EventStore, target))
      )
      expect(error.message).toContain("position 7")
      assert.strictEqual((yield* target.head).position, 0)
    }))
})
