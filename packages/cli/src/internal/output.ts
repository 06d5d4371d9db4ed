/**
 * Writes a command's output (a report: text or PDF bytes) to `--out` or to stdout. A file is written
 * next to its target and renamed when complete; an existing file is kept unless `--force`.
 */
import { Effect, FileSystem, Option, Stdio, Stream } from "effect"
import * as ExitCode from "../ExitCode.ts"
import type { CommandFailure } from "./outcome.ts"
import { fail } from "./outcome.ts"

/** Writes `data` to `out` (or stdout when none). */
export const write = (
  data: string | Uint8Array,
  out: Option.Option<string>,
  force: boolean
): Effect.Effect<void, CommandFailure, FileSystem.FileSystem | Stdio.Stdio> =>
  Effect.gen(function*() {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data
    if (Option.isNone(out)) {
      const stdio = yield* Stdio.Stdio
      return yield* Stream.run(Stream.make(bytes), stdio.stdout()).pipe(
        Effect.catch((e) => fail(ExitCode.IO_ERR, "WriteError", `writing to stdout failed: ${e.message}`))
      )
    }
    const fs = yield* FileSystem.FileSystem
    const path = out.value
    if (!force && (yield* Effect.orElseSucceed(fs.exists(path), () => false))) {
      return yield* fail(ExitCode.CANT_CREATE, "OutputExists", `${path} exists: pass --force to overwrite it`)
    }
    const partial = `${path}.partial`
    yield* fs.writeFile(partial, bytes).pipe(
      Effect.andThen(fs.rename(partial, path)),
      Effect.catch((e) =>
        Effect.andThen(Effect.ignore(fs.remove(partial)), fail(ExitCode.CANT_CREATE, "WriteError", `cannot write ${path}: ${e.message}`))
      )
    )
  })
