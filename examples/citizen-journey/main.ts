/**
 * The citizen journey of Appendix II on the embedded store: one SQLite file and a directory of
 * files, both in a fresh temporary directory that is deleted at the end.
 *
 *   node examples/citizen-journey/main.ts
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { run } from "./src/Journey.ts"
import { layer } from "./src/SqliteJourney.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-citizen-journey-"))
try {
  await Effect.runPromise(run().pipe(Effect.provide(layer(dir))))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
