/**
 * The README's command, run as a reader runs it (`node main.ts`, in a child process, into a
 * temporary directory): what it prints, the files it writes, and the SQLite log it leaves.
 */
import { assert, beforeAll, describe, it } from "@effect/vitest"
import * as EventStore from "@kho/core/EventStore"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as Csv from "@kho/report/Csv"
import * as Json from "@kho/report/Json"
import * as SqliteEventStore from "@kho/store-sqlite/SqliteEventStore"
import { Effect, Result } from "effect"
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterAll } from "vitest"

const run = promisify(execFile)
const exampleDir = join(import.meta.dirname, "..")

let outDir: string
let stdout: string

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "kho-an-lao-test-"))
  const result = await run(process.execPath, ["main.ts", "--out", outDir], {
    cwd: exampleDir,
    maxBuffer: 16 * 1024 * 1024
  })
  stdout = result.stdout
}, 240_000)

afterAll(() => rmSync(outDir, { recursive: true, force: true }))

/** The line of the printed table that starts with `label` (after the row number), split into its cells. */
const row = (text: string, label: string): ReadonlyArray<string> => {
  const line = text.split("\n").find((l) => l.replace(/^\s*\S+\s+/, "").startsWith(label) || l.trimStart().startsWith(label))
  assert.isDefined(line, `no line "${label}" in the output`)
  return line!.trim().split(/\s{2,}/)
}

describe("examples/an-lao-2024", () => {
  it("prints Appendix I as the seed has it: 4,48 % for the whole district", () => {
    assert.deepStrictEqual(row(stdout, "Toàn huyện").slice(0, 3), ["Toàn huyện", "3.480", "156"])
    assert.strictEqual(row(stdout, "Toàn huyện").at(-1), "4,48")
    const totals = stdout.split("\n").filter((l) => l.includes("Tổng số")).map((l) => l.trim().split(/\s{2,}/))
    assert.deepStrictEqual(totals.map((t) => [t[2], t[3], t.at(-1)]), [["1.246", "21", "1,69"], ["2.234", "135", "6,04"]])
    assert.strictEqual(row(stdout, "UBND xã An Hòa").at(-1), "14,32")
    assert.strictEqual(row(stdout, "Hạt Kiểm lâm huyện").at(-1), "—")
    assert.match(stdout, /Whole district: 4,48 % \(156 of 3\.480 dossiers/)
  })

  it("names the log position and head hash, and they are those of the SQLite file it wrote", () =>
    Effect.gen(function*() {
      const printed = /Log position (\d+), head hash ([0-9a-f]{64})/.exec(stdout)
      assert.isNotNull(printed)
      const [, position, hash] = printed!
      // the report's own footer names the same head
      assert.include(stdout, `Computed from log position ${position}, head hash ${hash}`)
      const { head, ledger } = yield* Effect.gen(function*() {
        const store = yield* EventStore.EventStore
        return { head: yield* store.head, ledger: yield* KpiLedger.fromStore() }
      }).pipe(Effect.provide(SqliteEventStore.layer({ filename: join(outDir, "an-lao-2024.sqlite") })))
      assert.deepStrictEqual(head, { position: Number(position), hash })
      assert.strictEqual(ledger.headHash, hash)
    }).pipe(Effect.runPromise))

  it("writes the report as JSON (the published form), CSV and PDF", () => {
    const json = Json.parse(readFileSync(join(outDir, "appendix-i-2024-03-20.json"), "utf8"))
    assert.isTrue(Result.isSuccess(json))
    const report = Result.getOrThrow(json)
    assert.deepStrictEqual([report.total.received, report.total.reused], [3480, 156])
    assert.deepStrictEqual(report.period, { from: "2024-01-01", to: "2024-03-20" })
    assert.include(stdout, `head hash ${report.computedFrom.headHash}`)

    const csv = readFileSync(join(outDir, "appendix-i-2024-03-20.csv"), "utf8")
    assert.isTrue(csv.startsWith("\uFEFF#indicator,"))
    assert.match(csv, /\r\n,,,Toàn huyện,3480,156,\d+,\d+,4\.48\r\n$/)
    // like every other form, the CSV states the period, the target and gap, and the log it came from
    const record = (key: string, ...values: ReadonlyArray<string | number>) =>
      assert.match(csv, new RegExp(`\r\n#${key},[^\r\n]*,${values.join(",")}\r\n`), `#${key}`)
    record("period", "2024-01-01", "2024-03-20")
    record("target", "60\\.00")
    record("gap", "55\\.52")
    record("logPosition", report.computedFrom.position)
    record("headHash", report.computedFrom.headHash)
    // …and reads back to exactly the published JSON report
    assert.deepStrictEqual(Result.getOrThrow(Csv.parse(csv)), report)

    const pdf = readFileSync(join(outDir, "appendix-i-2024-03-20.pdf"))
    assert.strictEqual(pdf.subarray(0, 5).toString("latin1"), "%PDF-")
    assert.isAbove(pdf.length, 10_000)
  })

  it("shows the what-if rate climbing month by month past the 60 % target", () => {
    const months = stdout.split("\n").filter((l) => /^\d\d\/2024\s/.test(l)).map((l) => l.trim().split(/\s{2,}/))
    assert.deepStrictEqual(months.map((m) => m[0]), ["04", "05", "06", "07", "08", "09", "10", "11", "12"].map((m) => `${m}/2024`))
    const rates = months.map((m) => Number(m[7]!.replace(",", ".")))
    const targets = months.map((m) => m[8])
    assert.deepStrictEqual(new Set(targets), new Set(["60,00"]))
    assert.isBelow(rates[0]!, 60)
    assert.isAtLeast(rates.at(-1)!, 60)
    // climbing: each quarter of the what-if does better than the one before
    const quarterly = [0, 3, 6].map((i) => rates.slice(i, i + 3).reduce((a, b) => a + b, 0))
    assert.isTrue(quarterly[0]! < quarterly[1]! && quarterly[1]! < quarterly[2]!, `rates ${rates.join(", ")}`)
    // the month it names is the first row at or above the target, and that row says so
    const first = months.findIndex((_, i) => rates[i]! >= 60)
    assert.include(stdout, `is first met in ${months[first]![0]}`)
    assert.match(months[first]!.at(-1)!, / đạt$/)
    assert.match(months[0]!.at(-1)!, /chưa đạt$/)
    assert.match(stdout, /scaled to 25 % of the first quarter's pace/)
  })
})
