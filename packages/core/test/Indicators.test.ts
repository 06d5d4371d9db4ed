import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema, Stream } from "effect"
import * as AdministrativeUnit from "../src/AdministrativeUnit.ts"
import * as Indicators from "../src/Indicators.ts"
import * as KpiLedger from "../src/KpiLedger.ts"
import * as Target from "../src/Target.ts"
import * as VietnameseFormat from "../src/VietnameseFormat.ts"
import {
  complaintFiled,
  complaintRejected,
  complaintResolved,
  documentIssued,
  log,
  paperResultIssued,
  received,
  rejected,
  resultIssued
} from "./utils/kpiEvents.ts"

const units = AdministrativeUnit.binhDinhAnLao
const root = AdministrativeUnit.AN_LAO
const anHoa = "000.23.30.H08"
const tuPhap = "000.01.30.H08"
const march = { from: "2024-03-01", to: "2024-03-31" }

const ledger = KpiLedger.replay(Stream.fromIterable(log([
  received("a", anHoa, "2024-03-04T02:00:00.000Z", ["ScannedAtCounter"]),
  received("b", anHoa, "2024-03-04T03:00:00.000Z", ["AutoAttached", "Uploaded"]),
  received("c", tuPhap, "2024-03-04T03:00:00.000Z", ["Uploaded"]),
  received("d", tuPhap, "2024-03-04T04:00:00.000Z", ["Uploaded"]),
  received("e", tuPhap, "2024-03-04T05:00:00.000Z", ["Uploaded"]),
  resultIssued("a", anHoa, "2024-03-05T02:00:00.000Z"),
  resultIssued("b", anHoa, "2024-03-05T03:00:00.000Z"),
  rejected("c", tuPhap, "2024-03-05T03:00:00.000Z"),
  resultIssued("d", tuPhap, "2024-03-05T05:00:00.000Z"),
  paperResultIssued("e", tuPhap, "2024-03-05T06:00:00.000Z"),
  documentIssued("bs-1", anHoa, "2024-03-05T04:00:00.000Z", "CertifiedCopy"),
  documentIssued("bs-2", tuPhap, "2024-03-05T04:00:00.000Z", "CertifiedCopy"),
  documentIssued("kq-1", tuPhap, "2024-03-05T04:00:00.000Z", "Result"),
  complaintFiled("pa-1", anHoa, "2024-03-04T02:00:00.000Z"),
  complaintFiled("pa-2", anHoa, "2024-03-04T02:00:00.000Z"),
  complaintResolved("pa-1", anHoa, "2024-03-06T02:00:00.000Z"),
  complaintRejected("pa-2", anHoa, "2024-03-15T02:00:00.000Z")
])))

const tableOf = (l: KpiLedger.KpiLedger, indicator: Target.Indicator, targets: ReadonlyArray<Target.Target> = []) =>
  Result.getOrThrow(Indicators.table(l, { indicator, period: march, units, root, targets }))

const row = (table: Indicators.IndicatorTable, slug: string) =>
  table.levels.flatMap((l) => l.rows).find((r) => r.code === `${root}.${slug}`)!

describe("Indicators", () => {
  it.effect("digitised dossiers: every component from digitised data, over dossiers received", () =>
    Effect.gen(function*() {
      const t = tableOf(yield* ledger, "digitised-dossier")
      assert.deepInclude(row(t, "an-hoa"), { numerator: 1, denominator: 2 })
      assert.strictEqual(VietnameseFormat.percent(row(t, "an-hoa").rate), "50,00")
      assert.deepInclude(row(t, "phong-tu-phap"), { numerator: 0, denominator: 3 })
      assert.deepStrictEqual(t.total, { numerator: 1, denominator: 5, rate: { numerator: 1, denominator: 5 } })
      assert.deepStrictEqual(t.levels.map((l) => l.level), ["district", "commune"])
      assert.deepInclude(t.levels[0]!.total, { numerator: 0, denominator: 3 })
      // nothing received: not applicable, never 0 %
      assert.isNull(row(t, "an-dung").rate)
      assert.strictEqual(VietnameseFormat.percent(row(t, "an-dung").rate), "—")
    }))

  it.effect("electronic results over all results, paper ones included and rejections not; certified copies for the issuing agency", () =>
    Effect.gen(function*() {
      const l = yield* ledger
      const results = tableOf(l, "electronic-result")
      assert.deepInclude(row(results, "an-hoa"), { numerator: 2, denominator: 2 })
      // one electronic, one on paper; the rejected dossier is in neither
      assert.deepInclude(row(results, "phong-tu-phap"), { numerator: 1, denominator: 2 })
      assert.strictEqual(VietnameseFormat.percent(row(results, "phong-tu-phap").rate), "50,00")
      assert.deepInclude(results.total, { numerator: 3, denominator: 4 })
      // a unit that only rejected has no result at all: not applicable, never 0 % or 100 %
      const onlyRejected = KpiLedger.replay(Stream.fromIterable(log([
        received("x", tuPhap, "2024-03-04T03:00:00.000Z", ["Uploaded"]),
        rejected("x", tuPhap, "2024-03-05T03:00:00.000Z")
      ])))
      assert.isNull(row(tableOf(yield* onlyRejected, "electronic-result"), "phong-tu-phap").rate)
      const copies = tableOf(l, "electronic-certified-copy")
      assert.deepStrictEqual(row(copies, "an-hoa"), { ...row(copies, "an-hoa"), numerator: 1, denominator: null, rate: null })
      assert.deepInclude(row(copies, "phong-tu-phap"), { numerator: 1, denominator: null })
      assert.deepInclude(copies.total, { numerator: 2, denominator: null, rate: null })
    }))

  it.effect("complaints handled on time over those closed with a known deadline", () =>
    Effect.gen(function*() {
      const t = tableOf(yield* ledger, "complaint-on-time")
      assert.deepInclude(row(t, "an-hoa"), { numerator: 1, denominator: 2 })
      assert.isNull(row(t, "phong-tu-phap").rate)
    }))

  it.effect("names the log head, finds the target, and refuses unknown roots and reorganised periods", () =>
    Effect.gen(function*() {
      const l = yield* ledger
      const target = Schema.decodeUnknownSync(Target.Target)({
        indicator: "digitised-dossier",
        scope: { _tag: "Unit", code: root },
        period: { from: "2024-01-01", to: "2024-12-31" },
        value: { numerator: 100, denominator: 100 },
        source: { document: "Thông tư 01/2023/TT-VPCP", date: "2023-04-05", issuer: "Văn phòng Chính phủ" }
      })
      const t = tableOf(l, "digitised-dossier", [...Target.anLao2024, target])
      assert.deepStrictEqual(t.target?.value, { numerator: 100, denominator: 100 })
      assert.isNull(tableOf(l, "electronic-result", Target.anLao2024).target)
      assert.deepStrictEqual(t.computedFrom, KpiLedger.logHead(l))
      const unknown = Indicators.table(l, { indicator: "reuse-rate", period: march, units, root: "nowhere", targets: [] })
      assert.isTrue(Result.isFailure(unknown) && unknown.failure.reason === "UnknownRoot")
      const across = Indicators.table(l, {
        indicator: "reuse-rate",
        period: { from: "2025-06-01", to: "2025-07-31" },
        units,
        root,
        targets: []
      })
      assert.isTrue(Result.isFailure(across) && across.failure.reason === "ReorganisedDuringPeriod")
    }))

  it("defines every indicator with its deciding event and source", () => {
    for (const indicator of Target.Indicator.literals) {
      const d = Indicators.definitions[indicator]
      assert.strictEqual(d.indicator, indicator)
      assert.isAbove(d.decidedBy.length, 0)
      assert.isAbove(d.source.length, 0)
    }
    assert.isNull(Indicators.definitions["electronic-certified-copy"].denominator)
    assert.match(Indicators.definitions["reuse-rate"].source, /235\/QĐ-UBND/)
  })
})
