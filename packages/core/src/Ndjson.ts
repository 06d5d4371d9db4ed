/**
 * The log's interchange format: NDJSON, one recorded event per line, in global order, fields in
 * the order of the hash's canonical encoding (see ADR 0013). Encoding and decoding stream, so a
 * million-event log never sits in memory: each line is decoded (and each batch imported) before the
 * source is read much further, which `test/Ndjson.test.ts` ("streams: …") asserts. Reading and writing files is the caller's business (the
 * CLI); {@link fromAsyncIterable} accepts a Node `Readable` or any async iterable of chunks.
 *
 * ```ts
 * // export
 * store.readAll().pipe(Ndjson.encode)                  // Stream<string>, one chunk per batch
 * // import, verifying the chain on the way
 * Ndjson.fromAsyncIterable(createReadStream(path)).pipe((events) => EventStore.importStream(events))
 * ```
 *
 * @since 0.1.0
 */
import { Cause, Effect, Schema, Stream } from "effect"
import type { Pull } from "effect"
import { Ndjson as EffectNdjson } from "effect/encoding"
import type { RecordedEvent } from "./Event.ts"
import { RecordedEventSchema } from "./Event.ts"

/**
 * A line of an NDJSON log is not a recorded event. `line` counts from 1; the lines before it were
 * emitted.
 *
 * @since 0.1.0
 */
export class InvalidLine extends Schema.TaggedError<InvalidLine>()("InvalidLine", {
  line: Schema.Number,
  reason: Schema.Literals(["InvalidJson", "InvalidUtf8", "LineTooLarge", "InvalidEvent"]),
  message: Schema.String
}) {}

/**
 * The chunks of an NDJSON log could not be read at all (the async iterable threw).
 *
 * @since 0.1.0
 */
export class ReadError extends Schema.TaggedError<ReadError>()("ReadError", {
  message: Schema.String,
  cause: Schema.Defect()
}) {}

/**
 * One event as one NDJSON line (without the newline).
 *
 * @since 0.1.0
 */
export const encodeLine = (event: RecordedEvent): string =>
  JSON.stringify({
    globalPosition: event.globalPosition,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    recordedAt: event.recordedAt,
    actor: event.actor,
    commandId: event.commandId,
    correlationId: event.correlationId,
    causationId: event.causationId,
    previousHash: event.previousHash,
    hash: event.hash
  })

/**
 * Encodes events as NDJSON text: one string per incoming batch, every line ending with `\n`.
 *
 * @since 0.1.0
 */
export const encode = <E, R>(events: Stream.Stream<RecordedEvent, E, R>): Stream.Stream<string, E, R> =>
  Stream.mapArray(events, (batch) => {
    let text = ""
    for (const event of batch) text += encodeLine(event) + "\n"
    return [text]
  })

const utf8 = new TextEncoder()

/**
 * Encodes events as UTF-8 NDJSON bytes (for a file or an HTTP response).
 *
 * @since 0.1.0
 */
export const encodeBytes = <E, R>(events: Stream.Stream<RecordedEvent, E, R>): Stream.Stream<Uint8Array, E, R> =>
  Stream.map(encode(events), (text) => utf8.encode(text))

const validate = Schema.decodeUnknownResult(RecordedEventSchema)

const ndjsonReasons = {
  InvalidJson: "it is not valid JSON",
  InvalidUtf8: "it is not valid UTF-8",
  LineTooLarge: "it is longer than the line limit"
} as const

/** Counts lines, validates each JSON value as a recorded event and names the line of any error. */
const validated = <E, R>(
  values: Stream.Stream<unknown, E | EffectNdjson.NdjsonError, R>
): Stream.Stream<RecordedEvent, Exclude<E, EffectNdjson.NdjsonError> | InvalidLine, R> =>
  Stream.transformPull(values, (upstream) =>
    Effect.sync(() => {
      let line = 0
      let failure: InvalidLine | undefined
      const input = Effect.catch(
        upstream as Pull.Pull<readonly [unknown, ...Array<unknown>], E | EffectNdjson.NdjsonError, void>,
        (error): Effect.Effect<never, E | Cause.Done | InvalidLine> => {
          if (!EffectNdjson.isNdjsonError(error)) return Effect.fail(error as E | Cause.Done)
          const reason = error.reason ?? "InvalidJson"
          return Effect.fail(
            new InvalidLine({ line: line + 1, reason, message: `line ${line + 1}: ${ndjsonReasons[reason]}` })
          )
        }
      )
      const pull: Pull.Pull<readonly [RecordedEvent, ...Array<RecordedEvent>], any, void> = Effect.suspend(() => {
        if (failure !== undefined) return Effect.fail(failure)
        return Effect.flatMap(input, (chunk: ReadonlyArray<unknown>) => {
          const out: Array<RecordedEvent> = []
          for (const value of chunk) {
            line++
            const decoded = validate(value)
            if (decoded._tag === "Failure") {
              failure = new InvalidLine({
                line,
                reason: "InvalidEvent",
                message: `line ${line} is not a recorded event: ${decoded.failure.message}`
              })
              break
            }
            out.push(decoded.success)
          }
          if (out.length > 0) return Effect.succeed(out as unknown as readonly [RecordedEvent, ...Array<RecordedEvent>])
          return failure !== undefined ? Effect.fail(failure) : pull
        })
      })
      return pull
    })) as Stream.Stream<RecordedEvent, Exclude<E, EffectNdjson.NdjsonError> | InvalidLine, R>

/**
 * Decodes NDJSON text chunks (a line may be split across chunks) into recorded events validated by
 * `Event.RecordedEventSchema`. Fails with {@link InvalidLine} at the first bad line (blank lines
 * included). It does not verify hashes: pipe into `HashChain.verifyChain` or `importRecorded`.
 *
 * @since 0.1.0
 */
export const decode = <E, R>(text: Stream.Stream<string, E, R>): Stream.Stream<RecordedEvent, E | InvalidLine, R> =>
  validated(text.pipe(Stream.pipeThroughChannel(EffectNdjson.decodeString<E>())))

const LF = 0x0a

/**
 * Turns UTF-8 byte chunks into text blocks of whole lines. Each block is decoded on its own (it
 * starts and ends on a line boundary, so no character straddles two blocks), which is about twice
 * as fast as Effect's byte decoder (it decodes line by line); errors still name the exact line.
 */
const utf8Lines = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  maxLineBytes: number
): Stream.Stream<string, E | InvalidLine, R> =>
  Stream.transformPull(bytes, (upstream) =>
    Effect.sync(() => {
      let pending: Array<Uint8Array> = []
      let pendingBytes = 0
      let linesBefore = 0
      let first = true
      let done = false

      const tooLarge = (line: number) =>
        new InvalidLine({ line, reason: "LineTooLarge", message: `line ${line}: it is longer than ${maxLineBytes} bytes` })

      /**
       * Decodes a block of whole lines. On a line that is not UTF-8 or too long, returns the text of
       * the lines before it (to emit first) and the error naming it.
       */
      const decodeBlock = (block: Uint8Array): { readonly text: string; readonly error?: InvalidLine } => {
        let lineStart = 0
        let line = linesBefore
        let error: InvalidLine | undefined
        for (let nl = block.indexOf(LF); ; nl = block.indexOf(LF, lineStart)) {
          const end = nl === -1 ? block.length : nl
          if (end === lineStart && nl === -1) break
          line++
          if (end - lineStart > maxLineBytes) {
            error = tooLarge(line)
            break
          }
          if (nl === -1) break
          lineStart = nl + 1
        }
        const valid = error === undefined ? block : block.subarray(0, lineStart)
        try {
          const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: !first }).decode(valid)
          first = false
          linesBefore = line
          return error === undefined ? { text } : { text, error }
        } catch {
          // rare path: decode line by line to find the offending one
          let start = 0
          let n = linesBefore
          for (;;) {
            const nl = valid.indexOf(LF, start)
            const end = nl === -1 ? valid.length : nl
            n++
            try {
              new TextDecoder("utf-8", { fatal: true, ignoreBOM: !(first && start === 0) }).decode(valid.subarray(start, end))
            } catch {
              const text = new TextDecoder("utf-8", { ignoreBOM: !first }).decode(valid.subarray(0, start))
              return {
                text,
                error: new InvalidLine({ line: n, reason: "InvalidUtf8", message: `line ${n}: it is not valid UTF-8` })
              }
            }
            if (nl === -1) break
            start = nl + 1
          }
          // unreachable: the block failed as a whole, so one of its lines fails
          return { text: "", error: new InvalidLine({ line: n, reason: "InvalidUtf8", message: `line ${n}: it is not valid UTF-8` }) }
        }
      }

      const concatPending = (tail: Uint8Array): Uint8Array => {
        if (pendingBytes === 0) return tail
        const out = new Uint8Array(pendingBytes + tail.length)
        let offset = 0
        for (const piece of pending) {
          out.set(piece, offset)
          offset += piece.length
        }
        out.set(tail, offset)
        pending = []
        pendingBytes = 0
        return out
      }

      let failure: InvalidLine | undefined

      /** Emits what was decoded; a failure waits for the next pull, so the lines before it are read. */
      const emit = (texts: Array<string>, error: InvalidLine | undefined) => {
        failure = error
        const nonEmpty = texts.filter((text) => text.length > 0)
        if (nonEmpty.length > 0) return Effect.succeed(nonEmpty as unknown as readonly [string, ...Array<string>])
        return error === undefined ? undefined : Effect.fail(error)
      }

      const pull: Pull.Pull<readonly [string, ...Array<string>], E | InvalidLine, void> = Effect.suspend(() => {
        if (failure !== undefined) return Effect.fail(failure)
        if (done) return Cause.done()
        return Effect.matchEffect(upstream, {
          onFailure: (error): Pull.Pull<readonly [string, ...Array<string>], E | InvalidLine, void> => {
            if (!Cause.isDone(error)) return Effect.fail(error)
            done = true
            if (pendingBytes === 0) return Cause.done()
            const { error: invalid, text } = decodeBlock(concatPending(new Uint8Array(0)))
            return emit([text], invalid) ?? Cause.done()
          },
          onSuccess: (chunks) => {
            const texts: Array<string> = []
            for (const chunk of chunks) {
              const last = chunk.lastIndexOf(LF)
              if (last === -1) {
                // copy: a reused upstream buffer must not change the line
                pending.push(chunk.slice())
                pendingBytes += chunk.length
                if (pendingBytes > maxLineBytes) return emit(texts, tooLarge(linesBefore + 1))!
                continue
              }
              const { error, text } = decodeBlock(concatPending(chunk.subarray(0, last + 1)))
              texts.push(text)
              if (error !== undefined) return emit(texts, error)!
              if (last + 1 < chunk.length) {
                pending.push(chunk.slice(last + 1))
                pendingBytes += chunk.length - last - 1
              }
            }
            return emit(texts, undefined) ?? pull
          }
        })
      })
      return pull
    }))

/**
 * Decodes UTF-8 NDJSON byte chunks into recorded events; see {@link decode}. A leading BOM is
 * skipped; `maxLineBytes` bounds a line (default 16 MiB) so a corrupt file cannot exhaust memory.
 *
 * @since 0.1.0
 */
export const decodeBytes = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options?: { readonly maxLineBytes?: number }
): Stream.Stream<RecordedEvent, E | InvalidLine, R> =>
  decode(utf8Lines(bytes, options?.maxLineBytes ?? 16 * 2 ** 20))

/**
 * Decodes a Node `Readable` (e.g. `fs.createReadStream(path)`) or any async iterable of byte or
 * text chunks.
 *
 * @since 0.1.0
 */
export const fromAsyncIterable = (
  chunks: AsyncIterable<Uint8Array | string>,
  options?: { readonly maxLineBytes?: number }
): Stream.Stream<RecordedEvent, InvalidLine | ReadError> =>
  decodeBytes(
    Stream.map(
      Stream.fromAsyncIterable(
        chunks,
        (cause) => new ReadError({ message: `cannot read the log: ${String(cause)}`, cause })
      ),
      (chunk) => typeof chunk === "string" ? utf8.encode(chunk) : chunk
    ),
    options
  )
