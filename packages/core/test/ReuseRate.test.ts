import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema, Stream } from "effect"
import * as AdministrativeUnit from "../src/AdministrativeUnit.ts"
import * as Indicators from "../src/Indicators.ts"
import * as KpiLedger from "../src/KpiLedger.ts"
import * as ReuseRate from "../src/ReuseRate.ts"
import * as ReuseRateReport from "../src/ReuseRateReport.ts"
import * as Target from "../src/Target.ts"
import * as VietnameseFormat from "../src/VietnameseFormat.ts"
import { log, received } from "./utils/kpiEvents.ts"

const units = AdministrativeUnit.binhDinhAnLao
const root = AdministrativeUnit.AN_LAO
const thiTran = "000.21.30.H08"
const tuPhap = "000.01.30.H08"
const q1 = { from: "2024-01-01", to: "2024-03-31" }

const ledgerOf = (entries: Parameters<typeof log>[0]) => KpiLedger.replay(Stream.fromIterable(log(entries)))

describe("ReuseRate", () => {
  it.effect("reports per unit and level, with the split and the looser figure apart", () =>
    Effect.gen(function*() {
      const ledger = yield* ledgerOf([
        received("a", thiTran, "2024-02-01T02:00:00.000Z", ["AutoAttached", "Uploaded"]),
        received("b", thiTran, "2024-02-01T03:00:00.000Z", ["EarlierResult", "PickedFromStore"]),
        received("c", thiTran, "2024-02-01T04:00:00.000Z", ["ScannedAtCounter"]),
        received("d", thiTran, "2024-02-01T05:00:00.000Z", ["Uploaded"]),
        received("e", tuPhap, "2024-02-02T02:00:00.000Z", ["Uploaded"])
      ])
      const { total, units: byUnit } = ReuseRate.figures(ledger, { period: q1, units, root })
      const tt = byUnit.get(`${root}.thi-tran-an-lao`)!
      assert.deepStrictEqual(ReuseRate.countsOf(tt), { received: 4, reused: 2, reusedFromStore: 2, reusedFromEarlierDossier: 1 })
      assert.strictEqual(tt.anyDigitised, 3)
      assert.strictEqual(VietnameseFormat.percent(ReuseRate.rate(tt)), "50,00")
      assert.strictEqual(VietnameseFormat.percent(ReuseRate.anyDigitisedRate(tt)), "75,00")
      assert.strictEqual(total.received, 5)

      const report = Result.getOrThrow(ReuseRate.report(ledger, { period: q1, units, root, targets: Target.anLao2024 }))
      const [district, commune] = report.levels
      assert.deepStrictEqual(district!.total, { received: 1, reused: 0, reusedFromStore: 0, reusedFromEarlierDossier: 0 })
      assert.deepStrictEqual(commune!.total, { received: 4, reused: 2, reusedFromStore: 2, reusedFromEarlierDossier: 1 })
      assert.strictEqual(VietnameseFormat.percent(ReuseRateReport.rate(report.total)), "40,00")
      // units without dossiers have no rate ("—"), not 0 %
      const an = commune!.rows.find((r) => r.code === `${root}.an-dung`)!
      assert.strictEqual(VietnameseFormat.percent(ReuseRateReport.rate(an.counts)), "—")
      assert.deepStrictEqual(report.computedFrom, KpiLedger.logHead(ledger))
      assert.strictEqual(VietnameseFormat.percent(ReuseRateReport.gap(report)), "20,00")
    }))

  it.effect("takes a month, a quarter or any range from the same ledger", () =>
    Effect.gen(function*() {
      const ledger = yield* ledgerOf([
        received("a", thiTran, "2024-01-31T16:59:00.000Z", ["AutoAttached"]), // 31 Jan 23:59 in Vietnam
        received("b", thiTran, "2024-01-31T17:00:00.000Z", ["Uploaded"]), // 1 Feb 00:00 in Vietnam
        received("c", thiTran, "2024-03-25T02:00:00.000Z", ["Uploaded"])
      ])
      const receivedIn = (from: string, to: string) =>
        ReuseRate.figures(ledger, { period: { from, to }, units, root }).total
      assert.deepInclude(receivedIn("2024-01-01", "2024-01-31"), { received: 1, reused: 1 })
      assert.deepInclude(receivedIn("2024-02-01", "2024-02-29"), { received: 1, reused: 0 })
      assert.deepInclude(receivedIn("2024-01-01", "2024-03-20"), { received: 2, reused: 1 })
      assert.deepInclude(receivedIn("2024-01-01", "2024-03-31"), { received: 3, reused: 1 })
      assert.deepInclude(receivedIn("2024-04-01", "2024-04-30"), { received: 0 })
    }))

  it.effect("refuses a report on dossiers the root itself received rather than leaving them out", () =>
    Effect.gen(function*() {
      const ledger = yield* ledgerOf([received("a", "000.00.30.H08", "2024-02-01T02:00:00.000Z", ["Uploaded"])])
      const report = ReuseRate.report(ledger, { period: q1, units, root, targets: [] })
      assert.isTrue(Result.isFailure(report) && report.failure.reason === "UnknownUnit")
    }))

  describe("after 30 June 2025, where the shipped unit data ends", () => {
    const august2025 = { from: "2025-08-01", to: "2025-08-31" }
    // What a deployment adds as data: the units that succeeded An Lão's (illustrative, not the
    // resolutions' composition), valid from the reform on, with the agency codes issued then.
    const successors = [
      {
        code: "gia-lai",
        agencyCode: null,
        name: "Tỉnh Gia Lai",
        level: "province",
        kind: "area",
        parent: null,
        validFrom: "2025-07-01",
        validUntil: null
      },
      {
        code: "gia-lai.an-lao",
        agencyCode: "000.00.91.H99",
        name: "UBND xã An Lão",
        level: "commune",
        kind: "area",
        parent: "gia-lai",
        validFrom: "2025-07-01",
        validUntil: null
      }
    ]
    const extended = Schema.decodeUnknownSync(AdministrativeUnit.UnitHistory)([
      ...Schema.encodeSync(AdministrativeUnit.UnitHistory)(units),
      ...successors
    ])
    const ledger = ledgerOf([
      received("a", thiTran, "2024-02-01T02:00:00.000Z", ["AutoAttached"]),
      received("b", "000.00.91.H99", "2025-08-05T02:00:00.000Z", ["PickedFromStore", "Uploaded"]),
      received("c", "000.00.91.H99", "2025-08-06T02:00:00.000Z", ["Uploaded"])
    ])

    it.effect("refuses the report with a typed error that says the data ends and how to extend it", () =>
      Effect.gen(function*() {
        const l = yield* ledger
        const refused = ReuseRate.report(l, { period: august2025, units, root, targets: [] })
        assert.isTrue(Result.isFailure(refused))
        const error = Result.isFailure(refused) ? refused.failure : undefined
        assert.instanceOf(error, ReuseRateReport.InvalidReuseRateReport)
        assert.strictEqual(error?.reason, "UnknownRoot")
        assert.match(
          error?.message ?? "",
          /^no unit binh-dinh\.an-lao is in force on 2025-08-31: binh-dinh\.an-lao \(Huyện An Lão\) ceased on 2025-07-01, where the unit data ends: after that date report on the units that succeeded it/
        )
        assert.include(error?.message, "docs/kpi.md")
        const indicator = Indicators.table(l, { indicator: "digitised-dossier", period: august2025, units, root, targets: [] })
        assert.isTrue(Result.isFailure(indicator) && indicator.failure.reason === "UnknownRoot" &&
          indicator.failure.message.includes("where the unit data ends"))
        // a period across the reform is refused for that reason first
        const across = ReuseRate.report(l, { period: { from: "2025-06-01", to: "2025-08-31" }, units, root, targets: [] })
        assert.isTrue(Result.isFailure(across) && across.failure.reason === "ReorganisedDuringPeriod")
      }))

    it.effect("reports on the successor units once they are added as data, and history keeps its tree", () =>
      Effect.gen(function*() {
        const l = yield* ledger
        const report = Result.getOrThrow(ReuseRate.report(l, { period: august2025, units: extended, root: "gia-lai", targets: [] }))
        // province → commune: no district level after the reform
        assert.deepStrictEqual(report.levels.map((t) => t.level), ["commune"])
        assert.deepStrictEqual(report.levels[0]!.rows.map((r) => [r.name, r.counts.received, r.counts.reused]), [["UBND xã An Lão", 2, 1]])
        assert.deepStrictEqual(report.root, { code: "gia-lai", name: "Tỉnh Gia Lai", level: "province" })
        // the old district is still refused after the reform, now pointing at its successors only
        const old = ReuseRate.report(l, { period: august2025, units: extended, root, targets: [] })
        assert.isTrue(Result.isFailure(old) && /ceased on 2025-07-01: after that date/.test(old.failure.message))
        // and 2024 reads exactly as with the shipped data alone
        assert.deepStrictEqual(
          ReuseRate.report(l, { period: q1, units: extended, root, targets: Target.anLao2024 }),
          ReuseRate.report(l, { period: q1, units, root, targets: Target.anLao2024 })
        )
      }))
  })

  it("labels every figure in Vietnamese and English", () => {
    for (const label of Object.values(ReuseRate.labels)) {
      assert.isAbove(label.vi.length, 0)
      assert.isAbove(label.en.length, 0)
    }
    assert.notStrictEqual(ReuseRate.labels.reused.vi, ReuseRate.labels.anyDigitised.vi)
  })
})
