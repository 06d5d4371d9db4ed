/**
 * Edge cases of the published indicators found by the domain audit: complaints left open past their
 * deadline, a certified copy corrected after a complaint, the supplement limit of the reuse numerator,
 * and a procedure catalog lengthening a category's validity.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Result, Stream } from "effect"
import * as AdministrativeUnit from "../src/AdministrativeUnit.ts"
import * as ComplaintService from "../src/ComplaintService.ts"
import { procedures } from "../src/data/procedures.ts"
import type { RecordedEvent } from "../src/Event.ts"
import { seal } from "../src/HashChain.ts"
import * as Indicators from "../src/Indicators.ts"
import * as KpiLedger from "../src/KpiLedger.ts"
import * as Procedure from "../src/Procedure.ts"
import * as ReportingPeriod from "../src/ReportingPeriod.ts"
import * as WorkingCalendar from "../src/WorkingCalendar.ts"
import { complaintFiled, complaintRejected, complaintResolved, documentIssued, log } from "./utils/kpiEvents.ts"

const anHoa = "000.23.30.H08"
const anHung = "000.24.30.H08"
const units = AdministrativeUnit.binhDinhAnLao

const filedAt = "2024-03-04T02:00:00.000Z" // Monday 4 March 2024, 09:00 in Vietnam
const handleDue = Result.getOrThrow(WorkingCalendar.addWorkingDays(WorkingCalendar.vietnam, "2024-03-04", 15))

const complaintRate = (ledger: KpiLedger.KpiLedger, period: { readonly from: string; readonly to: string }) => {
  const table = Result.getOrThrow(
    Indicators.table(ledger, { indicator: "complaint-on-time", period, units, root: AdministrativeUnit.AN_LAO, targets: [] })
  )
  return table.total
}

const replay = (events: ReadonlyArray<RecordedEvent>) => KpiLedger.replay(Stream.fromIterable(events))

/** Re-seals a log with new command ids (by position), keeping the chain. */
const withCommandIds = (events: ReadonlyArray<RecordedEvent>, ids: Readonly<Record<number, string>>) => {
  const out: Array<RecordedEvent> = []
  for (const e of events) {
    const { hash: _h, previousHash: _p, ...rest } = e
    out.push(seal({ ...rest, commandId: ids[e.globalPosition] ?? e.commandId, previousHash: out.at(-1)?.hash ?? e.previousHash }))
  }
  return out
}

describe("complaint-on-time: complaints left open past their deadline", () => {
  it.effect("an agency that ignores a complaint shows 0 %, not —, once the deadline has passed", () =>
    Effect.gen(function*() {
      // the deadline falls between 20 and 31 March 2024
      expect(handleDue > "2024-03-20" && handleDue < "2024-03-31").toBe(true)
      const ledger = yield* replay(log([
        complaintFiled("pa-1", anHoa, filedAt),
        // a later event, so the log reaches past the deadline
        documentIssued("kq-9", anHung, "2024-04-02T02:00:00.000Z", "Result")
      ]))
      const march = complaintRate(ledger, ReportingPeriod.month(2024, 3))
      assert.deepStrictEqual([march.numerator, march.denominator], [0, 1])
      assert.isNotNull(march.rate)
      // before the deadline it is pending, not late
      const early = complaintRate(ledger, { from: "2024-03-01", to: "2024-03-20" })
      assert.deepStrictEqual([early.numerator, early.denominator, early.rate], [0, 0, null])
      // still open and overdue at the end of April too
      assert.deepStrictEqual(complaintRate(ledger, ReportingPeriod.month(2024, 4)).denominator, 1)
      // a deadline after the last day the log reaches has not passed yet
      const quiet = yield* replay(log([complaintFiled("pa-1", anHoa, filedAt)]))
      assert.strictEqual(complaintRate(quiet, ReportingPeriod.month(2024, 3)).denominator, 0)
    }))

  it.effect("a complaint closed late after the period counts late in it, and closed late in its own", () =>
    Effect.gen(function*() {
      const ledger = yield* replay(log([
        complaintFiled("pa-1", anHoa, filedAt),
        complaintFiled("pa-2", anHoa, filedAt),
        complaintResolved("pa-1", anHoa, "2024-03-15T02:00:00.000Z"), // on time
        complaintRejected("pa-2", anHoa, "2024-04-10T02:00:00.000Z") // late, after March
      ]))
      const march = complaintRate(ledger, ReportingPeriod.month(2024, 3))
      assert.deepStrictEqual([march.numerator, march.denominator], [1, 2])
      const april = complaintRate(ledger, ReportingPeriod.month(2024, 4))
      // closed late in April: late once, not also open at April's end
      assert.deepStrictEqual([april.numerator, april.denominator], [0, 1])
      // a complaint closed late within the period is counted once
      const both = complaintRate(ledger, { from: "2024-03-01", to: "2024-04-30" })
      assert.deepStrictEqual([both.numerator, both.denominator], [1, 2])
    }))

  it.effect("is attributed to the unit of the agency it is routed to, on its first overdue day", () =>
    Effect.gen(function*() {
      const ledger = yield* replay(log([
        complaintFiled("pa-1", anHoa, filedAt),
        documentIssued("kq-9", anHung, "2024-04-02T02:00:00.000Z", "Result")
      ]))
      const { units: byUnit } = KpiLedger.byUnit(ledger, { period: ReportingPeriod.month(2024, 3), units })
      const anHoaUnit = [...byUnit.entries()].find(([, f]) => f.complaintsOverdueOpen === 1)
      assert.isDefined(anHoaUnit)
      const expected = units.find((u) => u.agencyCode === anHoa)!.code
      assert.strictEqual(anHoaUnit![0], expected)
      assert.strictEqual([...byUnit.values()].reduce((n, f) => n + f.complaintsOverdueOpen, 0), 1)
    }))
})

describe("electronic-certified-copy: a copy corrected after a complaint", () => {
  const events = () =>
    log([
      documentIssued("bs-1", anHoa, "2024-03-04T01:00:00.000Z", "CertifiedCopy"),
      complaintFiled("pa-1", anHoa, filedAt),
      documentIssued("bs-2", anHoa, "2024-03-06T02:00:00.000Z", "CertifiedCopy"),
      complaintResolved("pa-1", anHoa, "2024-03-06T02:00:01.000Z")
    ])

  const copies = (ledger: KpiLedger.KpiLedger) =>
    KpiLedger.sumFacts([...ledger.cells.values()].flatMap((days) => [...days.values()])).certifiedCopies

  it.effect("the replacement issued to resolve the complaint is not a new certification", () =>
    Effect.gen(function*() {
      // the command id ComplaintService.resolveByCorrection issues the replacement under
      const replacement = ComplaintService.commandId("pa-1", "issue-replacement")
      assert.strictEqual(replacement, "Complaint-pa-1/issue-replacement")
      const ledger = yield* replay(withCommandIds(events(), { 3: replacement }))
      assert.strictEqual(copies(ledger), 1)
      const march = Result.getOrThrow(Indicators.table(ledger, {
        indicator: "electronic-certified-copy",
        period: ReportingPeriod.month(2024, 3),
        units,
        root: AdministrativeUnit.AN_LAO,
        targets: []
      }))
      assert.strictEqual(march.total.numerator, 1)
      // a copy issued under another complaint's command id, or another agency's, still counts: no such
      // open complaint
      assert.strictEqual(copies(yield* replay(withCommandIds(events(), { 3: "Complaint-pa-9/issue-replacement" }))), 2)
      // an ordinary command
      assert.strictEqual(copies(yield* replay(events())), 2)
      // the complaint is routed to An Hòa, the copy issued by An Hưng
      const other = log([
        complaintFiled("pa-1", anHoa, filedAt),
        documentIssued("bs-2", anHung, "2024-03-06T02:00:00.000Z", "CertifiedCopy")
      ])
      assert.strictEqual(copies(yield* replay(withCommandIds(other, { 2: "Complaint-pa-1/issue-replacement" }))), 1)
    }))
})

describe("reuse-rate: the published definition states the supplement limit", () => {
  it("says a supplement after receipt does not change the numerator", () => {
    const d = Indicators.definitions["reuse-rate"]
    expect(d.numerator.en).toContain("supplement")
    expect(d.numerator.vi).toContain("bổ sung")
    expect(d.decidedBy).toContain("SupplementProvided")
  })
})

describe("Procedure.load: a catalog cannot lengthen or drop a category's validity", () => {
  const marital = (validity: unknown) => {
    const data: Array<any> = JSON.parse(JSON.stringify(procedures))
    const p = data.find((x) => x.code === "1.000894")
    p.requirements.find((r: any) => r.id === "xac-nhan-tinh-trang-hon-nhan").validity = validity
    return Procedure.load(data)
  }
  const refusal = (validity: unknown) => {
    const r = marital(validity)
    if (Result.isSuccess(r)) throw new Error(`expected ${JSON.stringify(validity)} to be refused`)
    expect(r.failure).toBeInstanceOf(Procedure.InvalidProcedureCatalog)
    expect(r.failure.entry).toBe("1.000894")
    expect(r.failure.message).toContain("xac-nhan-tinh-trang-hon-nhan")
    return r.failure.message
  }

  it("refuses a longer period, in months or in days", () => {
    expect(refusal({ _tag: "FromIssue", period: { _tag: "Months", months: 24 } })).toContain("never lengthen")
    expect(refusal({ _tag: "FromIssueUntilStatusChange", period: { _tag: "Months", months: 7 } })).toContain("7 months")
    // 6 months from 31 August 2024 end on 28 February 2025, 181 days later: 182 days is longer
    expect(refusal({ _tag: "FromIssueUntilStatusChange", period: { _tag: "Days", days: 182 } })).toContain("182 days")
    // the category's own rule, or a shorter period with it, is accepted
    assert.isTrue(Result.isSuccess(marital({ _tag: "FromIssueUntilStatusChange", period: { _tag: "Months", months: 6 } })))
    assert.isTrue(Result.isSuccess(marital({ _tag: "FromIssueUntilStatusChange", period: { _tag: "Months", months: 3 } })))
    assert.isTrue(Result.isSuccess(marital({ _tag: "FromIssueUntilStatusChange", period: { _tag: "Days", days: 181 } })))
  })

  it("refuses dropping the status-change rule", () => {
    expect(refusal({ _tag: "FromIssue", period: { _tag: "Months", months: 6 } })).toContain("FromIssueUntilStatusChange")
  })
})
