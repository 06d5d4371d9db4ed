/**
 * An NDJSON log file as a stream of recorded events, read in 1 MiB chunks with `node:fs` (never
 * whole), counting the bytes read for the progress bar.
 */
import type { RecordedEvent } from "@kho/core/Event"
import * as Ndjson from "@kho/core/Ndjson"
import { Effect, Stream } from "effect"
import { createReadStream } from "node:fs"
import { stat } from "node:fs/promises"
import * as ExitCode from "../ExitCode.ts"
import type { CommandFailure } from "./outcome.ts"
import { fail } from "./outcome.ts"

/** An opened log: its size in bytes and its events (read when the stream runs, once). */
export interface LogFile {
  readonly path: string
  readonly size: number
  readonly events: Stream.Stream<RecordedEvent, Ndjson.InvalidLine | Ndjson.ReadError>
}

const CHUNK = 1 << 20

async function* counted(path: string, onBytes: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    onBytes((chunk as Uint8Array).length)
    yield chunk as Uint8Array
  }
}

/**
 * Checks that `path` is a readable file (else `NoInput`, exit 66) and streams its events;
 * `onBytes` hears of every chunk read.
 */
export const open = (
  path: string,
  onBytes: (bytes: number) => void = () => {}
): Effect.Effect<LogFile, CommandFailure> =>
  Effect.tryPromise({ try: () => stat(path), catch: (e) => e }).pipe(
    Effect.catch((e) => fail(ExitCode.NO_INPUT, "NoInput", `cannot read the log ${path}: ${messageOf(e)}`)),
    Effect.flatMap((info) =>
      info.isFile()
        ? Effect.succeed({
          path,
          size: info.size,
          events: Stream.suspend(() => Ndjson.fromAsyncIterable(counted(path, onBytes)))
        })
        : fail(ExitCode.NO_INPUT, "NoInput", `cannot read the log ${path}: it is not a file`)
    )
  )

/** The message of a thrown value (Node errors carry their code in it: ENOENT, EACCES…). */
export const messageOf = (e: unknown): string => e instanceof Error ? e.message : String(e)
