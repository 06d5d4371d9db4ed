/**
 * The README's command, run as a reader runs it (`node main.ts`, in a child process): Appendix I of
 * the An Lão scenario read from the KPI read model two workers built on PostgreSQL, the same as the
 * one folded from the log, and each event projected by exactly one worker. Starts its own throwaway
 * cluster unless `KHO_PG_URL` is set (PostgreSQL binaries are required: it fails, never skips).
 */
import { assert, beforeAll, describe, it } from "@effect/vitest"
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as VietnameseFormat from "@kho/core/VietnameseFormat"
import { execFile } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)
const exampleDir = join(import.meta.dirname, "..")

let stdout: string

beforeAll(async () => {
  const result = await run(process.execPath, ["main.ts"], { cwd: exampleDir, maxBuffer: 16 * 1024 * 1024 })
  stdout = result.stdout
}, 240_000)

/** The cells of the printed table's line whose name column is `name`. */
const row = (name: string): ReadonlyArray<string> => {
  const lines = stdout.split("\n").map((l) => l.trim().split(/\s{2,}/)).filter((cells) => cells[0] === name || cells[1] === name)
  assert.lengthOf(lines, 1, `one line "${name}" in the output`)
  return lines[0]!
}

const seed = ReuseRateReport.seedAppendixI
const { integer } = VietnameseFormat

describe("examples/postgres", () => {
  it("prints Appendix I as the seed has it, unit by unit: 4,48 % for the whole district", () => {
    const tree = AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, seed.period.to)
    for (const figure of seed.figures) {
      const cells = row(AdministrativeUnit.get(tree, figure.code)!.name)
      assert.deepStrictEqual(cells.slice(2, 4), [integer(figure.received), integer(figure.reused)], figure.code)
      assert.strictEqual(cells.at(-1), figure.received === 0 ? "—" : VietnameseFormat.rate(figure.reused, figure.received))
    }
    const received = seed.figures.reduce((n, f) => n + f.received, 0)
    const reused = seed.figures.reduce((n, f) => n + f.reused, 0)
    const whole = row("Toàn huyện")
    assert.deepStrictEqual([whole[1], whole[2], whole.at(-1)], [integer(received), integer(reused), VietnameseFormat.rate(reused, received)])
    assert.deepStrictEqual([whole[1], whole[2], whole.at(-1)], ["3.480", "156", "4,48"])
    assert.include(stdout, `Whole district: 4,48 % (156 of 3.480 dossiers reused digitised data)`)
  })

  it("reads the same report from the projection as from the log: same figures, log position and head hash", () => {
    const printed = /Log position (\d+), head hash ([0-9a-f]{64})/.exec(stdout)
    assert.isNotNull(printed)
    const [, position, hash] = printed!
    // the report (from the read model) names the log's head…
    assert.include(stdout, `Computed from log position ${position}, head hash ${hash}`)
    // …and so does the fold of the log, with the same figures
    assert.include(
      stdout,
      `folded from the log directly (KpiLedger.fromStore over PostgreSQL): 3.480 received, 156 reused, 4,48 %, ` +
        `log position ${position}, head hash ${hash}`
    )
    assert.include(stdout, "Appendix I from the read model and from the log: identical (JSON, byte for byte)")
    assert.match(stdout, new RegExp(`KPI ledgers: identical \\(\\d+ agency-days, \\d+ complaints still open, position ${position}\\)`))
  })

  it("splits the log between the two workers at the hand-over: none projected twice, none missing", () => {
    const head = Number(/Log position (\d+)/.exec(stdout)![1])
    const handOver = Number(/worker-2 took the lock at checkpoint (\d+)/.exec(stdout)?.[1])
    assert.isTrue(0 < handOver && handOver < head, `hand-over at ${handOver}, head ${head}`)
    const split = [...stdout.matchAll(/⚙ (worker-\d): positions (\d+)–(\d+) \((\d+) events\)/g)]
      .map(([, worker, first, last, count]) => [worker, Number(first), Number(last), Number(count)])
    assert.deepStrictEqual(split, [
      ["worker-1", 1, handOver, handOver],
      ["worker-2", handOver + 1, head, head - handOver]
    ])
    assert.include(stdout, `${head} events, 0 projected twice, 0 never projected`)
    // worker-1 owned the projection first, worker-2 waited for the lock
    assert.match(stdout, /worker-1 owns the projection "kpi-ledger" from checkpoint 0[\s\S]*worker-2 started: it waits for the lock/)
  })
})
