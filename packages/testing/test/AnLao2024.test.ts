import { assert, beforeAll, describe, it } from "@effect/vitest"
import { AdministrativeUnit, Ratio, Target, VietnameseFormat } from "@kho/core"
import * as Checkpoint from "@kho/core/Checkpoint"
import { EventStore, makeMemory } from "@kho/core/EventStore"
import type { RecordedEvent } from "@kho/core/Event"
import * as HashChain from "@kho/core/HashChain"
import * as Indicators from "@kho/core/Indicators"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as Ndjson from "@kho/core/Ndjson"
import * as Projection from "@kho/core/Projection"
import * as ReuseRate from "@kho/core/ReuseRate"
import * as ReuseRateReport from "@kho/core/ReuseRateReport"
import { Effect, Result, Stream } from "effect"
import * as AnLao2024 from "../src/AnLao2024.ts"

/**
 * Appendix I of the seed as DESIGN.md §1 restates it, written out here — not read from the code's own
 * copy (`ReuseRateReport.seedAppendixI`), which the generator uses: [unit code, name, received, reused,
 * rate as printed vi-VN].
 */
const district: ReadonlyArray<readonly [string, string, number, number, string]> = [
  ["phong-tu-phap", "Phòng Tư pháp", 306, 1, "0,33"],
  ["phong-noi-vu", "Phòng Nội vụ", 3, 0, "0"],
  ["chi-nhanh-vpdkdd", "Chi nhánh VPĐKĐĐ huyện", 818, 20, "2,44"],
  ["phong-tn-mt", "Phòng TN&MT", 37, 0, "0"],
  ["phong-gd-dt", "Phòng GD&ĐT", 15, 0, "0"],
  ["phong-y-te", "Phòng Y tế", 1, 0, "0"],
  ["phong-kt-ht", "Phòng KT&HT", 44, 0, "0"],
  ["hat-kiem-lam", "Hạt Kiểm lâm huyện", 0, 0, "—"],
  ["phong-tc-kh", "Phòng TC-KH", 22, 0, "0"]
]
const commune: ReadonlyArray<readonly [string, string, number, number, string]> = [
  ["thi-tran-an-lao", "UBND Thị trấn An Lão", 399, 50, "12,53"],
  ["an-dung", "UBND xã An Dũng", 98, 0, "0"],
  ["an-hoa", "UBND xã An Hòa", 461, 66, "14,32"],
  ["an-hung", "UBND xã An Hưng", 168, 0, "0"],
  ["an-nghia", "UBND xã An Nghĩa", 91, 0, "0"],
  ["an-quang", "UBND xã An Quang", 126, 0, "0"],
  ["an-tan", "UBND xã An Tân", 400, 2, "0,50"],
  ["an-trung", "UBND xã An Trung", 179, 17, "9,50"],
  ["an-toan", "UBND xã An Toàn", 47, 0, "0"],
  ["an-vinh", "UBND xã An Vinh", 265, 0, "0"]
]

const period = { from: "2024-01-01", to: "2024-03-20" }
const units = AdministrativeUnit.binhDinhAnLao
const root = AdministrativeUnit.AN_LAO

/** The report built as the issue asks: counts from the projection, then `ReuseRateReport.make`. */
const reportOf = (ledger: KpiLedger.KpiLedger) => {
  const { units: byUnit } = ReuseRate.figures(ledger, { period, units, root })
  const counts = new Map([...byUnit].map(([code, facts]) => [code, ReuseRate.countsOf(facts)] as const))
  const made = ReuseRateReport.make({
    period,
    units,
    root,
    counts,
    targets: Target.anLao2024,
    computedFrom: KpiLedger.logHead(ledger)
  })
  if (Result.isFailure(made)) throw made.failure
  return made.success
}

let store: EventStore["Service"]
let scenario: AnLao2024.Scenario

beforeAll(async () => {
  store = await Effect.runPromise(makeMemory)
  scenario = await Effect.runPromise(AnLao2024.generate().pipe(Effect.provideService(EventStore, store)))
}, 180_000)

const withStore = <A, E>(effect: Effect.Effect<A, E, EventStore>) => Effect.provideService(effect, EventStore, store)

describe("AnLao2024", () => {
  it.effect("reproduces every cell of Appendix I from the events alone", () =>
    withStore(Effect.gen(function*() {
      const report = reportOf(yield* KpiLedger.fromStore())
      assert.deepStrictEqual(report.levels.map((l) => l.level), ["district", "commune"])
      const [districtTable, communeTable] = report.levels
      for (const [table, expected] of [[districtTable!, district], [communeTable!, commune]] as const) {
        assert.strictEqual(table.rows.length, expected.length)
        expected.forEach(([slug, name, received, reused, rate], i) => {
          const row = table.rows[i]!
          assert.strictEqual(row.code, `${root}.${slug}`)
          assert.strictEqual(row.name, name)
          assert.strictEqual(row.counts.received, received, `${name}: received`)
          assert.strictEqual(row.counts.reused, reused, `${name}: reused`)
          assert.strictEqual(VietnameseFormat.percent(ReuseRateReport.rate(row.counts)), rate, `${name}: rate`)
        })
      }
      assert.strictEqual(VietnameseFormat.integer(districtTable!.total.received), "1.246")
      assert.strictEqual(districtTable!.total.reused, 21)
      assert.strictEqual(VietnameseFormat.percent(ReuseRateReport.rate(districtTable!.total)), "1,69")
      assert.strictEqual(VietnameseFormat.integer(communeTable!.total.received), "2.234")
      assert.strictEqual(communeTable!.total.reused, 135)
      assert.strictEqual(VietnameseFormat.percent(ReuseRateReport.rate(communeTable!.total)), "6,04")
      assert.strictEqual(VietnameseFormat.integer(report.total.received), "3.480")
      assert.strictEqual(report.total.reused, 156)
      assert.strictEqual(VietnameseFormat.percent(ReuseRateReport.rate(report.total)), "4,48")
      // the target (60 %, decision 235/QĐ-UBND) and the gap to it
      assert.strictEqual(report.target?.source.document, "235/QĐ-UBND")
      assert.strictEqual(VietnameseFormat.percent(ReuseRateReport.gap(report)), "55,52")
      // the report names the log it came from
      const head = yield* store.head
      assert.deepStrictEqual(report.computedFrom, { position: head.position, headHash: head.hash })
      // ReuseRate.report gives the same report
      const direct = ReuseRate.report(yield* KpiLedger.fromStore(), { period, units, root, targets: Target.anLao2024 })
      assert.deepStrictEqual(Result.getOrThrow(direct), report)
    })))

  it.effect("splits the numerator by source as planned, next to the looser 'any digitised' figure", () =>
    withStore(Effect.gen(function*() {
      const { total, units: byUnit } = ReuseRate.figures(yield* KpiLedger.fromStore(), { period, units, root })
      const counted = scenario.dossiers.filter((d) => d.inPeriod)
      const count = (p: (d: AnLao2024.PlannedDossier) => boolean) => counted.filter(p).length
      assert.strictEqual(total.reused, 156)
      assert.strictEqual(
        total.reusedFromStore,
        count((d) => ["StoreAuto", "StorePick", "StoreAndEarlier"].includes(d.mode))
      )
      assert.strictEqual(total.reusedFromEarlierDossier, count((d) => d.mode === "Earlier" || d.mode === "StoreAndEarlier"))
      assert.isAbove(total.reusedFromEarlierDossier, 0)
      // some dossiers use both: the split adds up to more than the numerator
      assert.isAbove(total.reusedFromStore + total.reusedFromEarlierDossier, total.reused)
      // scans at the counter are digitisation, not reuse: only the looser figure counts them
      const scans = count((d) => d.mode === "Scan")
      assert.isAbove(scans, 0)
      assert.strictEqual(total.anyDigitised, total.reused + scans)
      assert.strictEqual(total.digitisedDossiers, count((d) => d.mode === "Scan" && d.procedureCode !== "9.900004"))
      // a unit with no dossier has no rate at all, not 0 %
      assert.isUndefined(byUnit.get(`${root}.hat-kiem-lam`))
      assert.isNull(ReuseRate.rate(KpiLedger.noFacts))
    })))

  it.effect("counts nothing outside the period, decided by the day of receipt in Vietnam", () =>
    withStore(Effect.gen(function*() {
      const outside = scenario.dossiers.filter((d) => !d.inPeriod)
      assert.isAbove(outside.filter((d) => d.receivedAt !== null).length, 40)
      // the edges: 23:55 on 31 December and 00:01 on 21 March (Vietnam time) are out, 00:05 on
      // 1 January and 23:59 on 20 March are in
      const at = (instant: string) => scenario.dossiers.find((d) => d.receivedAt === instant)!
      assert.isFalse(at("2023-12-31T16:55:00.000Z").inPeriod)
      assert.isFalse(at("2024-03-20T17:01:00.000Z").inPeriod)
      assert.isTrue(at("2023-12-31T17:05:00.000Z").inPeriod)
      assert.isTrue(at("2024-03-20T16:59:00.000Z").inPeriod)
      const ledger = yield* KpiLedger.fromStore()
      // the same figures over the whole quarter include the late ones
      const vietnamDay = (instant: string) => new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 10)
      const receivedOn = (from: string, to: string) =>
        scenario.dossiers.filter((d) => d.receivedAt !== null && from <= vietnamDay(d.receivedAt) && vietnamDay(d.receivedAt) <= to)
      const quarter = ReuseRate.figures(ledger, { period: { from: "2024-01-01", to: "2024-03-31" }, units, root })
      assert.strictEqual(quarter.total.received, receivedOn("2024-01-01", "2024-03-31").length)
      assert.isAbove(quarter.total.received, 3480)
      assert.strictEqual(quarter.unattributed.size, 0)
      // before 2024 the unit data has no units (it starts on 2024-01-01): those dossiers are kept
      // apart as unattributed, by agency code, never dropped and never guessed
      const before = ReuseRate.figures(ledger, { period: { from: "2023-11-01", to: "2023-12-31" }, units, root })
      assert.strictEqual(before.total.received, 0)
      const unattributed = [...before.unattributed.values()].reduce((n, f) => n + f.received, 0)
      assert.strictEqual(unattributed, receivedOn("2023-11-01", "2023-12-31").length)
      assert.isAbove(unattributed, 20)
    })))

  it.effect("gives the same report when an auditor replays the exported NDJSON", () =>
    withStore(Effect.gen(function*() {
      const expected = reportOf(yield* KpiLedger.fromStore())
      const text = (yield* Stream.runCollect(Ndjson.encode(store.readAll({ batchSize: 777 })))).join("")
      // chunks that cut lines anywhere, as a file read would
      const chunks: Array<string> = []
      for (let i = 0; i < text.length; i += 65_536) chunks.push(text.slice(i, i + 65_536))
      const events = () => Ndjson.decode(Stream.fromIterable(chunks))
      const chain = yield* HashChain.verifyChain(events())
      assert.strictEqual(chain._tag, "ChainIntact")
      const replayed = reportOf(yield* KpiLedger.replay(events()))
      assert.deepStrictEqual(replayed, expected)
    })))

  it.effect("the projection runner folds to the same ledger as a replay", () =>
    withStore(Effect.gen(function*() {
      const ledger = KpiLedger.empty()
      const last = yield* Projection.catchUp(KpiLedger.projection(ledger), { batchSize: 500 }).pipe(
        Effect.provide(Checkpoint.layerMemory)
      )
      assert.strictEqual(last, (yield* store.head).position)
      assert.deepStrictEqual(reportOf(ledger), reportOf(yield* KpiLedger.fromStore()))
    })))

  it.effect("as of an earlier position or time, gives the figures the log held then", () =>
    withStore(Effect.gen(function*() {
      const moment = "2024-02-15T10:00:00.000Z"
      const all: Array<RecordedEvent> = [...yield* Stream.runCollect(store.readAll())]
      const position = all.filter((e) => e.recordedAt <= moment).at(-1)!.globalPosition
      const byPosition = reportOf(yield* KpiLedger.fromStore({ asOf: KpiLedger.atPosition(position) }))
      const byTime = reportOf(yield* KpiLedger.fromStore({ asOf: KpiLedger.atTime(moment) }))
      assert.deepStrictEqual(byTime, byPosition)
      assert.deepStrictEqual(byPosition.computedFrom, { position, headHash: all[position - 1]!.hash })
      // the oracle: the plan's dossiers received by that moment
      const known = scenario.dossiers.filter((d) => d.inPeriod && d.receivedAt! <= moment)
      for (const table of byPosition.levels) {
        for (const row of table.rows) {
          const mine = known.filter((d) => d.unitCode === row.code)
          assert.strictEqual(row.counts.received, mine.length, row.name)
          assert.strictEqual(row.counts.reused, mine.filter((d) => AnLao2024.isReuse(d.mode)).length, row.name)
        }
      }
      assert.isAbove(byPosition.total.received, 1000)
      assert.isBelow(byPosition.total.received, 3480)
      // a streamed replay of the export stops at the same place
      const replayed = yield* KpiLedger.replay(Stream.fromIterable(all), { asOf: KpiLedger.atPosition(position) })
      assert.deepStrictEqual(reportOf(replayed), byPosition)
      // as of nothing: every unit at zero, rates not applicable
      const nothing = reportOf(yield* KpiLedger.fromStore({ asOf: KpiLedger.atPosition(0) }))
      assert.strictEqual(nothing.total.received, 0)
      assert.isNull(ReuseRateReport.rate(nothing.total))
      assert.strictEqual(nothing.computedFrom.headHash, HashChain.GENESIS_HASH)
    })))

  it.effect("computes the other indicators of the same log from the same ledger", () =>
    withStore(Effect.gen(function*() {
      const ledger = yield* KpiLedger.fromStore()
      const half = { from: "2024-01-01", to: "2024-06-30" }
      const within = (instant: string | null) => {
        if (instant === null) return false
        const day = new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 10)
        return half.from <= day && day <= half.to
      }
      const table = (indicator: Target.Indicator) =>
        Result.getOrThrow(Indicators.table(ledger, { indicator, period: half, units, root, targets: [] })).total
      const planned = scenario.dossiers
      const complaints = planned.flatMap((d) => (d.complaint === null ? [] : [{ d, c: d.complaint }]))
        .filter(({ c }) => within(c.closedAt))
      assert.isAbove(complaints.length, 20)
      assert.deepInclude(table("complaint-on-time"), {
        numerator: complaints.filter(({ c }) => c.onTime).length,
        denominator: complaints.length
      })
      // a copy corrected after a complaint replaces the first one: one certification, counted once
      const corrected = complaints.filter(({ c, d }) => c.outcome === "Corrected" && d.closing === "CertifiedCopy")
      assert.isAbove(corrected.length, 0)
      assert.deepInclude(table("electronic-certified-copy"), {
        numerator: planned.filter((d) => d.closing === "CertifiedCopy" && within(d.closedAt)).length
      })
      // electronic ÷ all results issued; the scenario issues every result electronically, and a
      // rejection is in neither term
      const results = planned.filter((d) => (d.closing === "Result" || d.closing === "CertifiedCopy") && within(d.closedAt))
      assert.isAbove(results.length, 0)
      assert.deepInclude(table("electronic-result"), { numerator: results.length, denominator: results.length })
    })))

  it("is deterministic: the same seed plans the same dossiers, another seed other ones with the same figures", () => {
    const a = AnLao2024.plan()
    assert.deepStrictEqual(AnLao2024.plan(), a)
    const b = AnLao2024.plan({ seed: 7 })
    assert.notDeepEqual(b, a)
    const tally = (dossiers: ReadonlyArray<AnLao2024.PlannedDossier>) => {
      const t = new Map<string, [number, number]>()
      for (const d of dossiers.filter((d) => d.inPeriod)) {
        const [r, u] = t.get(d.unitCode) ?? [0, 0]
        t.set(d.unitCode, [r + 1, u + (AnLao2024.isReuse(d.mode) ? 1 : 0)])
      }
      return t
    }
    assert.deepStrictEqual(tally(b), tally(a))
    assert.strictEqual(VietnameseFormat.percent(Ratio.make(156, 3480)), "4,48")
  })
})
