/**
 * Opening the file: a file another process keeps locked fails with a typed `Busy` error once the
 * busy timeout has passed, not after retrying the timeout again and again.
 */
import { describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { afterAll, assert } from "vitest"
import { SqliteDatabase } from "../src/index.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-sqlite-open-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("SqliteDatabase.open", () => {
  it.live("a file kept locked by another connection fails with Busy after the busy timeout, naming the file", () =>
    Effect.gen(function*() {
      const filename = join(dir, "locked.sqlite")
      const holder = new DatabaseSync(filename)
      holder.exec("CREATE TABLE t (x)")
      holder.exec("BEGIN EXCLUSIVE")
      const busyTimeout = 250
      const started = performance.now()
      const exit = yield* Effect.exit(Effect.scoped(SqliteDatabase.open({ filename, busyTimeout })))
      const elapsed = performance.now() - started
      holder.exec("ROLLBACK")
      holder.close()
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      assert.strictEqual(error?._tag, "Fail")
      const failure = error?._tag === "Fail" ? error.error : undefined
      assert.strictEqual(failure?.reason, "Busy")
      assert.include(failure?.message, filename)
      // the busy timeout is waited once, not once per retry (11 × 250 ms before the fix)
      assert.isBelow(elapsed, 6 * busyTimeout, `opening took ${elapsed.toFixed(0)} ms`)
    }))
})
