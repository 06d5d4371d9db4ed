/**
 * The README's command, run as a reader runs it (`node main.ts`, in a child process, into a
 * temporary directory): each `kho` command's output and exit code, checked against what the files it
 * left say when read independently.
 */
import { assert, beforeAll, describe, it } from "@effect/vitest"
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as Ndjson from "@kho/core/Ndjson"
import * as ReuseRate from "@kho/core/ReuseRate"
import * as VietnameseFormat from "@kho/core/VietnameseFormat"
import { Effect, Stream } from "effect"
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
  outDir = mkdtempSync(join(tmpdir(), "kho-auditor-test-"))
  const result = await run(process.execPath, ["main.ts", "--out", outDir], {
    cwd: exampleDir,
    maxBuffer: 16 * 1024 * 1024
  })
  stdout = result.stdout
}, 240_000)

afterAll(() => rmSync(outDir, { recursive: true, force: true }))

/** The output and exit code of the `kho` command whose line starts with `command`. */
const step = (command: string): { readonly output: string; readonly code: number } => {
  const blocks = stdout.split(/^\$ kho /m).slice(1)
  const block = blocks.find((b) => b.startsWith(command))
  assert.isDefined(block, `no "kho ${command}" in the output`)
  const code = /\(exit (\d+)\)/.exec(block!)
  assert.isNotNull(code)
  return { output: block!.slice(0, code!.index), code: Number(code![1]) }
}

describe("examples/auditor", () => {
  it("exports the log and finds it intact", () => {
    const exported = step("log export")
    assert.strictEqual(exported.code, 0)
    const verified = step("log verify")
    assert.strictEqual(verified.code, 0)
    assert.match(verified.output, /^log verify \S+an-lao-2024\.ndjson\nINTACT /)
    const lines = readFileSync(join(outDir, "an-lao-2024.ndjson"), "utf8").trimEnd().split("\n")
    const last = JSON.parse(lines.at(-1)!) as { globalPosition: number; hash: string }
    assert.include(verified.output, `head position ${last.globalPosition}, head hash ${last.hash}`)
  })

  it("catches the one changed byte at the position of the event that holds it", () => {
    const original = readFileSync(join(outDir, "an-lao-2024.ndjson"))
    const tampered = readFileSync(join(outDir, "an-lao-2024.tampered.ndjson"))
    assert.strictEqual(tampered.length, original.length)
    const differing = [...original.keys()].filter((i) => original[i] !== tampered[i])
    assert.strictEqual(differing.length, 1)
    const lineStart = original.lastIndexOf(0x0a, differing[0]!) + 1
    const lineEnd = original.indexOf(0x0a, differing[0]!)
    const event = JSON.parse(original.subarray(lineStart, lineEnd).toString("utf8")) as {
      globalPosition: number
      type: string
    }
    assert.strictEqual(event.type, "DossierReceived")

    const broken = stdout.split(/^\$ kho /m).find((b) => b.includes("tampered.ndjson\n"))!
    assert.include(broken, `at position ${event.globalPosition} (Changed)`)
    assert.include(broken, `intact up to position ${event.globalPosition - 1}`)
    assert.include(broken, "(exit 1)")
    assert.include(stdout, `the event at position ${event.globalPosition}`)
  })

  it("rebuilds the KPIs as the log stood on 29 February", () =>
    Effect.gen(function*() {
      const asOf = KpiLedger.atTime("2024-02-29T23:59:59.999+07:00")
      const text = readFileSync(join(outDir, "an-lao-2024.ndjson"), "utf8")
      const ledger = yield* KpiLedger.replay(Ndjson.decode(Stream.make(text)), { asOf })
      const { total } = ReuseRate.figures(ledger, {
        period: { from: "2024-01-01", to: "2024-02-29" },
        units: AdministrativeUnit.binhDinhAnLao,
        root: AdministrativeUnit.AN_LAO
      })

      const replay = step("log replay")
      assert.strictEqual(replay.code, 0)
      assert.include(replay.output, `up to position ${ledger.position} `)
      assert.include(replay.output, `head hash ${ledger.headHash}`)

      const kpi = step("kpi ")
      assert.strictEqual(kpi.code, 0)
      assert.include(kpi.output, "đến 29/02/2024")
      const whole = kpi.output.split("\n").find((l) => l.trimStart().startsWith("Toàn huyện"))!.trim().split(/\s{2,}/)
      assert.strictEqual(whole[1], VietnameseFormat.integer(total.received))
      assert.strictEqual(whole[2], String(total.reused))
      assert.include(kpi.output, `Computed from log position ${ledger.position}, head hash ${ledger.headHash}`)
      // a past state: fewer dossiers than the whole quarter's 3 480
      assert.isBelow(total.received, 3480)
    }).pipe(Effect.runPromise))

  it("confirms the published report, then refuses it with one figure changed, with or without its totals", () => {
    const published = JSON.parse(readFileSync(join(outDir, "bao-cao-2024-03-20.json"), "utf8")) as {
      total: { received: number; reused: number }
    }
    assert.deepStrictEqual([published.total.received, published.total.reused], [3480, 156])
    const checks = stdout.split(/^\$ kho /m).filter((b) => b.startsWith("report check"))
    assert.strictEqual(checks.length, 3)
    const [genuine, oneFigure, withTotals] = checks
    assert.match(genuine!, /\nMATCH /)
    assert.include(genuine!, "(exit 0)")
    assert.include(oneFigure!, "is not a valid reuse-rate report")
    assert.include(oneFigure!, "(exit 65)")
    assert.match(withTotals!, /\nMISMATCH .*\(FiguresDiffer\)/)
    assert.include(withTotals!, "levels[commune].rows[binh-dinh.an-lao.an-hoa].counts.reused: published 96, recomputed 66")
    assert.include(withTotals!, "(exit 1)")
  })
})
