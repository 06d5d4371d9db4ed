import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import * as Dossier from "@kho/core/Dossier"
import * as EventStore from "@kho/core/EventStore"
import * as Ndjson from "@kho/core/Ndjson"
import * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as Json from "@kho/report/Json"
import * as AnLao2024 from "@kho/testing/AnLao2024"
import { Effect, Result, Schema, Stream } from "effect"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import * as ExitCode from "../src/ExitCode.ts"
import { jsonOf, kho } from "./utils/cli.ts"
import { dossierEvents, march, ndjson, seal, tempDir } from "./utils/logs.ts"

const tmp = tempDir("kho-cli-kpi-")
const log = tmp.path("an-lao-2024.ndjson")
let head: EventStore.LogHead

beforeAll(async () => {
  head = await Effect.runPromise(
    Effect.gen(function*() {
      const scenario = yield* AnLao2024.generate()
      const store = yield* EventStore.EventStore
      const chunks = yield* Stream.runCollect(Ndjson.encode(store.readAll()))
      writeFileSync(log, chunks.join(""))
      return scenario.head
    }).pipe(Effect.provide(EventStore.layerMemory))
  )
})

afterAll(() => rmSync(tmp.dir, { recursive: true, force: true }))

const readReport = (path: string): ReuseRateReport.ReuseRateReport => Result.getOrThrow(Json.parse(readFileSync(path, "utf8")))

describe("kho kpi", () => {
  it.effect("reproduces Appendix I of the seed from the An Lão log, every cell", () =>
    Effect.gen(function*() {
      const out = tmp.path("appendix-i.json")
      const run = yield* kho("kpi", log, "--period", "2024-01-01..2024-03-20", "--format", "json", "--out", out)
      assert.strictEqual(run.code, ExitCode.OK, run.stderr)
      assert.match(run.stdout, new RegExp(`^WROTE .*appendix-i\\.json: reuse-rate report of Huyện An Lão for 2024-01-01\\.\\.2024-03-20, computed from position ${head.position} \\(head hash ${head.hash}\\)$`))
      const report = readReport(out)
      assert.deepStrictEqual(report.computedFrom, { position: head.position, headHash: head.hash })
      const rows = new Map(report.levels.flatMap((l) => l.rows.map((r) => [r.code, r.counts] as const)))
      assert.strictEqual(rows.size, ReuseRateReport.seedAppendixI.figures.length)
      for (const { code, received, reused } of ReuseRateReport.seedAppendixI.figures) {
        assert.strictEqual(rows.get(code)?.received, received, code)
        assert.strictEqual(rows.get(code)?.reused, reused, code)
      }
      const totals = Object.fromEntries(report.levels.map((l) => [l.level, [l.total.received, l.total.reused]]))
      assert.deepStrictEqual(totals, { district: [1246, 21], commune: [2234, 135] })
      assert.deepStrictEqual([report.total.received, report.total.reused], [3480, 156])
      assert.deepStrictEqual(report.target?.value, { numerator: 60, denominator: 100 })

      const table = tmp.path("appendix-i.txt")
      assert.strictEqual((yield* kho("kpi", log, "--period", "2024-01-01..2024-03-20", "--out", table)).code, ExitCode.OK)
      const text = readFileSync(table, "utf8")
      assert.match(text, /Toàn huyện +3\.480 +156 .* 4,48\n/)
      assert.match(text, /Hạt Kiểm lâm huyện +0 +0 +0 +0 +—\n/)
    }))

  it.effect("computes as of an instant: only what the log knew then", () =>
    Effect.gen(function*() {
      const out = tmp.path("january-as-of.json")
      // as of 00:00 on 16 January (Vietnam): January's dossiers received before then
      const asOf = "2024-01-16T00:00:00+07:00"
      const run = yield* kho("kpi", log, "--period", "2024-01", "--as-of", asOf, "--format", "json", "--out", out)
      assert.strictEqual(run.code, ExitCode.OK, run.stderr)
      const report = readReport(out)
      // counted independently of the ledger, straight from the NDJSON lines
      const lines = readFileSync(log, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l))
      const known = lines.filter((e) => e.recordedAt < "2024-01-15T17:00:00.000Z")
      const receivedInJanuary = known.filter((e) =>
        e.type === "DossierReceived" && Dossier.vietnamDay(e.data.at).startsWith("2024-01-")
      )
      assert.isAbove(receivedInJanuary.length, 0)
      assert.strictEqual(report.total.received, receivedInJanuary.length)
      assert.strictEqual(report.computedFrom.position, known.at(-1).globalPosition)
      assert.strictEqual(report.computedFrom.headHash, known.at(-1).hash)
    }))

})

describe("kho kpi on small logs", () => {
  const small = tmp.write("march.ndjson", ndjson(seal(dossierEvents(march(12)))))

  it.effect("writes CSV with a BOM and a PDF; keeps an existing file unless --force", () =>
    Effect.gen(function*() {
      const csv = tmp.path("march.csv")
      assert.strictEqual((yield* kho("kpi", small, "--period", "2024-03", "--format", "csv", "--out", csv)).code, ExitCode.OK)
      const text = readFileSync(csv, "utf8")
      assert.match(text, /^\uFEFF#indicator,[^\r\n]*,reuse-rate\r\n/)
      assert.match(text, /\r\n#period,[^\r\n]*,2024-03-01,2024-03-31\r\n/)
      assert.match(text, /\r\nCấp,TT,Mã đơn vị,/)
      const pdf = tmp.path("march.pdf")
      assert.strictEqual((yield* kho("kpi", small, "--period", "2024-03", "--format", "pdf", "--out", pdf)).code, ExitCode.OK)
      assert.strictEqual(readFileSync(pdf).subarray(0, 5).toString("latin1"), "%PDF-")
      const again = yield* kho("kpi", small, "--period", "2024-03", "--format", "csv", "--out", csv)
      assert.strictEqual(again.code, ExitCode.CANT_CREATE)
      assert.match(again.stderr, /march\.csv exists: pass --force/)
      assert.strictEqual((yield* kho("kpi", small, "--period", "2024-03", "--format", "csv", "--out", csv, "--force")).code, ExitCode.OK)
    }))

  it.effect("refuses a broken log (1), a bad period or root (64), and warns of dossiers no unit can take", () =>
    Effect.gen(function*() {
      const events = seal(dossierEvents([...march(6), { unit: "999.99.99.H99", at: "2024-03-05T01:00:00.000Z", reused: false }]))
      const small = tmp.write("small.ndjson", ndjson(events))
      const out = tmp.path("small.json")
      const run = yield* kho("kpi", small, "--period", "2024-03", "--format", "json", "--out", out)
      assert.strictEqual(run.code, ExitCode.OK, run.stderr)
      assert.strictEqual(readReport(out).total.received, 6)
      assert.match(run.stderr, /warning: 1 dossiers of agency 999\.99\.99\.H99 belong to no unit/)

      const lines = ndjson(events).trimEnd().split("\n")
      lines.splice(4, 1)
      const broken = yield* kho("kpi", tmp.write("broken.ndjson", lines.join("\n") + "\n"), "--period", "2024-03", "--format", "json")
      assert.strictEqual(broken.code, ExitCode.FAILED)
      assert.match(broken.stderr, /no figures from a broken log:\nBROKEN .* at position 5 \(Removed\)/)
      assert.deepInclude(jsonOf(broken), { ok: false, exitCode: 1 })

      assert.strictEqual((yield* kho("kpi", small, "--period", "March")).code, ExitCode.USAGE)
      const root = yield* kho("kpi", small, "--period", "2024-03", "--root", "binh-dinh.hoai-nhon")
      assert.strictEqual(root.code, ExitCode.USAGE)
      assert.match(root.stderr, /no unit binh-dinh\.hoai-nhon is in force on 2024-03-31/)
    }))

  it.effect("after 30 June 2025 the shipped units end: exit 64 saying so, and --units with the successors reports", () =>
    Effect.gen(function*() {
      const agencyCode = "000.00.91.H99"
      const events = seal(dossierEvents([
        ...march(3),
        { unit: agencyCode, at: "2025-08-05T02:00:00.000Z", reused: true },
        { unit: agencyCode, at: "2025-08-06T02:00:00.000Z", reused: false }
      ]))
      const log = tmp.write("after-reform.ndjson", ndjson(events))
      const refused = yield* kho("kpi", log, "--period", "2025-08", "--format", "json")
      assert.strictEqual(refused.code, ExitCode.USAGE)
      const { error } = jsonOf(refused) as { error: { kind: string; message: string } }
      assert.strictEqual(error.kind, "UnknownRoot")
      assert.match(
        error.message,
        /^no unit binh-dinh\.an-lao is in force on 2025-08-31: binh-dinh\.an-lao \(Huyện An Lão\) ceased on 2025-07-01, where the unit data ends: .*--units FILE --root CODE/
      )
      // the deployment's unit data: the shipped history plus the units that succeeded it (illustrative)
      const units = tmp.write(
        "units-2025.json",
        JSON.stringify([
          ...Schema.encodeSync(AdministrativeUnit.UnitHistory)(AdministrativeUnit.binhDinhAnLao),
          { code: "gia-lai", agencyCode: null, name: "Tỉnh Gia Lai", level: "province", kind: "area", parent: null, validFrom: "2025-07-01", validUntil: null },
          { code: "gia-lai.an-lao", agencyCode, name: "UBND xã An Lão", level: "commune", kind: "area", parent: "gia-lai", validFrom: "2025-07-01", validUntil: null }
        ])
      )
      const out = tmp.path("2025-08.json")
      const run = yield* kho("kpi", log, "--period", "2025-08", "--units", units, "--root", "gia-lai", "--targets", tmp.write("none.json", "[]"), "--format", "json", "--out", out)
      assert.strictEqual(run.code, ExitCode.OK, run.stderr)
      const report = readReport(out)
      assert.deepStrictEqual(report.levels.map((l) => l.level), ["commune"])
      assert.deepStrictEqual(report.total, { received: 2, reused: 1, reusedFromStore: 1, reusedFromEarlierDossier: 0 })
      // and the same unit data still gives 2024 on the old tree
      const old = yield* kho("kpi", log, "--period", "2024-03", "--units", units, "--format", "json", "--out", tmp.path("2024-03.json"))
      assert.strictEqual(old.code, ExitCode.OK, old.stderr)
      assert.strictEqual(readReport(tmp.path("2024-03.json")).total.received, 3)
    }))
})
