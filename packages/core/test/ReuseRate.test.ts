import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Stream } from "effect"
import * as AdministrativeUnit from "../src/AdministrativeUnit.ts"
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

  it("labels every figure in Vietnamese and English", () => {
    for (const label of Object.values(ReuseRate.labels)) {
      assert.isAbove(label.vi.length, 0)
      assert.isAbove(label.en.length, 0)
    }
    assert.notStrictEqual(ReuseRate.labels.reused.vi, ReuseRate.labels.anyDigitised.vi)
  })
})
