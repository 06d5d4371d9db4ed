/**
 * Dossier numbering under 50 concurrent submissions to one agency, on PostgreSQL (the package's
 * throwaway cluster): through one store with a pool of connections, and through two stores on one
 * schema, as two processes would. Submissions run in real, interleaving transactions; the shared
 * scenario asserts sequences 1..50 with no gap and no duplicate, and that the store really reported
 * conflicts.
 */
import { assert, it } from "@effect/vitest"
import { NumberingScenario } from "@kho/testing"
import { Effect } from "effect"
import { inject } from "vitest"
import { PgEventStore } from "../src/index.ts"
import { freshSchema } from "./utils/freshSchema.ts"

const url = inject("pgUrl")

it.live("numbers 50 concurrent submissions to one agency 0001..0050 through one pooled store", () =>
  Effect.gen(function*() {
    const schema = freshSchema("numbering")
    const report = yield* NumberingScenario.run([PgEventStore.layer({ url, schema, poolSize: 8, pollInterval: 50 })])
    assert.strictEqual(report.numbers.length, 50)
    assert.isAbove(report.conflicts, 0)
  }).pipe(Effect.scoped), 60_000)

it.live("numbers 50 concurrent submissions to one agency 0001..0050 through two stores on one schema", () =>
  Effect.gen(function*() {
    const schema = freshSchema("numbering")
    const store = () => PgEventStore.layer({ url, schema, poolSize: 4, pollInterval: 50 })
    const report = yield* NumberingScenario.run([store(), store()])
    assert.strictEqual(report.numbers.length, 50)
    assert.isAbove(report.conflicts, 0)
  }).pipe(Effect.scoped), 60_000)
