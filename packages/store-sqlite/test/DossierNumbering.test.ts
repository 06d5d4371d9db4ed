/**
 * Dossier numbering under 50 concurrent submissions to one agency, on SQLite: through one connection
 * (appends racing inside the group commit) and through two connections to the same file, as two
 * processes would (each append its own `BEGIN IMMEDIATE` transaction, the loser refused at commit
 * time by the expected-version check). The shared scenario asserts sequences 1..50 with no gap and no
 * duplicate, and that the store really reported conflicts.
 */
import { assert, it } from "@effect/vitest"
import { NumberingScenario } from "@kho/testing"
import { Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { SqliteEventStore } from "../src/index.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-sqlite-numbering-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it.live("numbers 50 concurrent submissions to one agency 0001..0050 through one connection", () =>
  Effect.gen(function*() {
    const filename = join(dir, "one.sqlite")
    const report = yield* NumberingScenario.run([SqliteEventStore.layer({ filename, pollInterval: 20 })])
    assert.strictEqual(report.numbers.length, 50)
    assert.isAbove(report.conflicts, 0)
  }).pipe(Effect.scoped))

it.live("numbers 50 concurrent submissions to one agency 0001..0050 through two connections to one file", () =>
  Effect.gen(function*() {
    const filename = join(dir, "two.sqlite")
    const connection = () => SqliteEventStore.layer({ filename, pollInterval: 20 })
    const report = yield* NumberingScenario.run([connection(), connection()])
    assert.strictEqual(report.numbers.length, 50)
    assert.isAbove(report.conflicts, 0)
  }).pipe(Effect.scoped))
