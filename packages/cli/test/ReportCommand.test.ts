import { afterAll, assert, describe, it } from "@effect/vitest"
import * as Csv from "@kho/report/Csv"
import { Effect, Result } from "effect"
import { readFileSync, rmSync } from "node:fs"
import * as ExitCode from "../src/ExitCode.ts"
import * as ReportCommand from "../src/ReportCommand.ts"
import { jsonOf, kho } from "./utils/cli.ts"
import { dossierEvents, march, ndjson, seal, tempDir } from "./utils/logs.ts"

const tmp = tempDir("kho-cli-report-")
afterAll(() => rmSync(tmp.dir, { recursive: true, force: true }))

const received = march(30)
const events = seal(dossierEvents(received))
const log = tmp.write("log.ndjson", ndjson(events))

/** Publishes the March report of `logPath` as JSON and returns its path and parsed content. */
const publish = (logPath: string, name: string, ...extra: Array<string>) =>
  Effect.gen(function*() {
    const out = tmp.path(name)
    const run = yield* kho("kpi", logPath, "--period", "2024-03", "--format", "json", "--out", out, ...extra)
    assert.strictEqual(run.code, ExitCode.OK, run.stderr)
    return { path: out, json: JSON.parse(readFileSync(out, "utf8")) }
  })

/** What `report check` prints for a March report that recomputes exactly from `log` as written. */
const matchOnLog = (reportPath: string) =>
  `MATCH ${reportPath}: the reuse-rate report of Huyện An Lão for 2024-03 recomputes exactly from ${log} ` +
  `at position ${events.length} (head hash ${events.at(-1)!.hash})`

describe("kho report check", () => {
  it.effect("accepts an unchanged report, also against the same log grown since", () =>
    Effect.gen(function*() {
      const report = yield* publish(log, "published.json")
      const run = yield* kho("report", "check", report.path, log)
      assert.strictEqual(run.code, ExitCode.OK, run.stderr)
      assert.strictEqual(run.stdout, matchOnLog(report.path))
      // more dossiers appended later: the report names its position, so it still checks
      const grown = seal(dossierEvents([...received, ...march(12).map((r) => ({ ...r, reused: true }))]))
      const later = tmp.write("grown.ndjson", ndjson(grown))
      const json = jsonOf(yield* kho("report", "check", report.path, later, "--json"))
      assert.deepInclude(json, { ok: true, exitCode: 0, verdict: "match" })
      assert.deepStrictEqual(json.claimed, { position: events.length, headHash: events.at(-1)!.hash })
      // …while a report of the grown log differs from the old one
      assert.notDeepEqual((yield* publish(later, "grown.json")).json.total, report.json.total)
    }))

  it.effect("rejects a report whose figures were changed consistently, listing every difference", () =>
    Effect.gen(function*() {
      const report = yield* publish(log, "to-edit.json")
      const edited = structuredClone(report.json)
      const commune = edited.levels.find((l: any) => l.level === "commune")
      const row = commune.rows.find((r: any) => r.code === "binh-dinh.an-lao.an-hoa")
      row.counts.received += 1
      commune.total.received += 1
      edited.total.received += 1
      const path = tmp.write("edited.json", JSON.stringify(edited, null, 2))
      const run = yield* kho("report", "check", path, log)
      assert.strictEqual(run.code, ExitCode.FAILED)
      const received = row.counts.received
      assert.strictEqual(
        run.stdout,
        [
          `MISMATCH ${path} against ${log} (FiguresDiffer): 3 fields of the report differ from the log's figures`,
          `  levels[commune].rows[binh-dinh.an-lao.an-hoa].counts.received: published ${received}, recomputed ${received - 1}`,
          `  levels[commune].total.received: published ${commune.total.received}, recomputed ${commune.total.received - 1}`,
          `  total.received: published ${edited.total.received}, recomputed ${edited.total.received - 1}`
        ].join("\n")
      )
      const json = jsonOf(yield* kho("report", "check", path, log, "--json"))
      assert.deepInclude(json, { ok: false, verdict: "mismatch", kind: "FiguresDiffer" })
      assert.lengthOf(json.differences as Array<unknown>, 3)
    }))

  it.effect("rejects a report computed from a different log, or at a position the log never reached", () =>
    Effect.gen(function*() {
      // same length, one dossier reused differently: a different head hash
      const other = seal(dossierEvents(received.map((r, k) => (k === 4 ? { ...r, reused: !r.reused } : r))))
      const report = yield* publish(tmp.write("other.ndjson", ndjson(other)), "other.json")
      const run = yield* kho("report", "check", report.path, log, "--json")
      assert.strictEqual(run.code, ExitCode.FAILED)
      const json = jsonOf(run)
      assert.strictEqual(json.kind, "DifferentLog")
      assert.strictEqual(
        json.message,
        `at position ${events.length} the log's hash is ${events.at(-1)!.hash}, the report names ${other.at(-1)!.hash}: ` +
          `the report was computed from a different log`
      )

      const short = tmp.write("short.ndjson", ndjson(events.slice(0, 20)))
      const tooShort = jsonOf(yield* kho("report", "check", (yield* publish(log, "full.json")).path, short, "--json"))
      assert.strictEqual(tooShort.kind, "LogTooShort")
      assert.match(String(tooShort.message), new RegExp(`computed at position ${events.length}, but the log ends at position 20`))
    }))

  it.effect("exits 65 for a report that is not valid and 1 for a broken log", () =>
    Effect.gen(function*() {
      const report = yield* publish(log, "valid.json")
      const inconsistent = structuredClone(report.json)
      inconsistent.levels[0].rows[0].counts.received += 1
      const invalid = yield* kho("report", "check", tmp.write("inconsistent.json", JSON.stringify(inconsistent)), log)
      assert.strictEqual(invalid.code, ExitCode.DATA_ERR)
      assert.match(invalid.stderr, /is not a valid reuse-rate report: the district total is not the sum of its rows/)
      assert.strictEqual((yield* kho("report", "check", tmp.write("junk.json", "{"), log)).code, ExitCode.DATA_ERR)
      assert.strictEqual((yield* kho("report", "check", tmp.path("absent.json"), log)).code, ExitCode.NO_INPUT)

      const lines = ndjson(events).trimEnd().split("\n")
      ;[lines[6], lines[7]] = [lines[7]!, lines[6]!]
      const broken = yield* kho("report", "check", report.path, tmp.write("swapped.ndjson", lines.join("\n") + "\n"))
      assert.strictEqual(broken.code, ExitCode.FAILED)
      assert.match(broken.stderr, /BROKEN .* at position 7 \(Reordered\)/)
    }))
})

describe("kho report check, on the CSV form", () => {
  /** Publishes the March report of `logPath` as CSV and returns its path and text. */
  const publishCsv = (logPath: string, name: string) =>
    Effect.gen(function*() {
      const out = tmp.path(name)
      const run = yield* kho("kpi", logPath, "--period", "2024-03", "--format", "csv", "--out", out)
      assert.strictEqual(run.code, ExitCode.OK, run.stderr)
      return { path: out, text: readFileSync(out, "utf8") }
    })

  it.effect("accepts the CSV kho kpi wrote: its # records name the log it came from", () =>
    Effect.gen(function*() {
      const report = yield* publishCsv(log, "published.csv")
      assert.include(report.text, `\r\n#logPosition,`)
      assert.match(report.text, new RegExp(`#headHash,[^\r\n]*,${events.at(-1)!.hash}\r\n`))
      const run = yield* kho("report", "check", report.path, log)
      assert.strictEqual(run.code, ExitCode.OK, run.stderr)
      assert.strictEqual(run.stdout, matchOnLog(report.path))
      const json = jsonOf(yield* kho("report", "check", report.path, log, "--json"))
      assert.deepInclude(json, { ok: true, verdict: "match", format: "csv" })
    }))

  it.effect("rejects a CSV whose figures were changed consistently, or computed from another log", () =>
    Effect.gen(function*() {
      const report = yield* publishCsv(log, "to-edit.csv")
      const published = Result.getOrThrow(Csv.parse(report.text))
      const bump = <A extends { readonly counts: { readonly received: number } }>(a: A): A => ({
        ...a,
        counts: { ...a.counts, received: a.counts.received + 1 }
      })
      const plusOne = <C extends { readonly received: number }>(c: C): C => ({ ...c, received: c.received + 1 })
      const edited = {
        ...published,
        levels: published.levels.map((l) =>
          l.level === "commune"
            ? { ...l, rows: l.rows.map((r) => (r.code === "binh-dinh.an-lao.an-hoa" ? bump(r) : r)), total: plusOne(l.total) }
            : l
        ),
        total: plusOne(published.total)
      }
      const path = tmp.write("edited.csv", Csv.render(edited))
      const run = yield* kho("report", "check", path, log, "--json")
      assert.strictEqual(run.code, ExitCode.FAILED)
      const json = jsonOf(run)
      assert.deepInclude(json, { verdict: "mismatch", kind: "FiguresDiffer", format: "csv" })
      assert.deepStrictEqual((json.differences as Array<{ path: string }>).map((d) => d.path), [
        "levels[commune].rows[binh-dinh.an-lao.an-hoa].counts.received",
        "levels[commune].total.received",
        "total.received"
      ])

      const other = seal(dossierEvents(received.map((r, k) => (k === 4 ? { ...r, reused: !r.reused } : r))))
      const foreign = yield* publishCsv(tmp.write("other-csv.ndjson", ndjson(other)), "other.csv")
      assert.strictEqual(jsonOf(yield* kho("report", "check", foreign.path, log, "--json")).kind, "DifferentLog")
    }))

  it.effect("exits 65 for a CSV whose shown rate, target or gap disagrees with its own figures", () =>
    Effect.gen(function*() {
      const report = yield* publishCsv(log, "valid.csv")
      const gapEdited = report.text.replace(/(\r\n#gap,[^,\r\n]*,)[^\r\n]*/, "$10.00")
      assert.notStrictEqual(gapEdited, report.text)
      const run = yield* kho("report", "check", tmp.write("gap.csv", gapEdited), log)
      assert.strictEqual(run.code, ExitCode.DATA_ERR)
      assert.match(run.stderr, /is not a valid reuse-rate CSV: line \d+: #gap is "0\.00"/)
      const noHead = report.text.split("\r\n").filter((l) => !l.startsWith("#headHash")).join("\r\n")
      const missing = yield* kho("report", "check", tmp.write("no-head.csv", noHead), log)
      assert.strictEqual(missing.code, ExitCode.DATA_ERR)
      assert.match(missing.stderr, /the metadata record #headHash .* is missing/)
    }))
})

describe("ReportCommand.diff", () => {
  it("names rows by code and levels by level, and reports a changed order", () => {
    const a = { levels: [{ level: "district", rows: [{ code: "x", n: 1 }, { code: "y", n: 2 }] }] }
    assert.deepStrictEqual(ReportCommand.diff(a, a), [])
    assert.deepStrictEqual(
      ReportCommand.diff(a, { levels: [{ level: "district", rows: [{ code: "x", n: 1 }, { code: "y", n: 3 }] }] }),
      [{ path: "levels[district].rows[y].n", published: 2, recomputed: 3 }]
    )
    assert.deepStrictEqual(
      ReportCommand.diff(a, { levels: [{ level: "district", rows: [{ code: "y", n: 2 }, { code: "x", n: 1 }] }] }),
      [{ path: "levels[district].rows (order)", published: ["x", "y"], recomputed: ["y", "x"] }]
    )
    assert.deepStrictEqual(ReportCommand.diff({ t: null }, { t: { v: 1 } }), [{ path: "t", published: null, recomputed: { v: 1 } }])
  })
})
