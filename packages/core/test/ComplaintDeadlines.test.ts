import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Result, Schema } from "effect"
import * as fc from "fast-check"
import * as Checkpoint from "../src/Checkpoint.ts"
import * as CommandHandler from "../src/CommandHandler.ts"
import * as Complaint from "../src/Complaint.ts"
import * as ComplaintDeadlines from "../src/ComplaintDeadlines.ts"
import * as ComplaintPolicy from "../src/ComplaintPolicy.ts"
import * as EventStore from "../src/EventStore.ts"
import * as Projection from "../src/Projection.ts"
import * as Ratio from "../src/Ratio.ts"
import * as WorkingCalendar from "../src/WorkingCalendar.ts"
import { acknowledged, filed, rejected, resolved } from "./utils/complaintFixtures.ts"
import { officer, otherAgency, owner } from "./utils/documentFixtures.ts"

const calendar = WorkingCalendar.vietnam

/** A complaint filed at `at`, acknowledged, then closed (`resolved` or `rejected`) at `closed`. */
const history = (
  id: string,
  at: string,
  closed?: { readonly how: "resolved" | "rejected"; readonly at: string },
  agencyCode?: string
): ReadonlyArray<Complaint.Event> => {
  const routed = agencyCode === undefined ? {} : { agencyCode }
  const events: Array<Complaint.Event> = [
    { ...filed({ at }), complaintId: id, ...routed },
    { ...acknowledged, complaintId: id, at, ...routed }
  ]
  if (closed !== undefined) {
    events.push({ ...(closed.how === "resolved" ? resolved : rejected), complaintId: id, at: closed.at, ...routed })
  }
  return events
}

const entryOf = (events: ReadonlyArray<Complaint.Event>, cal = calendar) => {
  const entries = ComplaintDeadlines.fold(cal, events)
  const entry = entries.get(events[0]!.complaintId)
  if (entry === undefined) throw new Error("no entry")
  return entry
}

describe("ComplaintPolicy", () => {
  it("labels the three reasons with the seed's wording and holds the deadlines as data", () => {
    expect(ComplaintPolicy.reasons).toEqual(["WrongCitizenInformation", "NotThisCitizensResult", "NotSignedByGovernmentCa"])
    expect(ComplaintPolicy.label("NotSignedByGovernmentCa").vi).toBe(
      "Tệp tin kết quả của công dân chưa được ký bằng chứng thư số được cấp bởi Ban cơ yếu chính phủ."
    )
    expect(ComplaintPolicy.label("WrongCitizenInformation").vi).toContain("sai lệch thông tin công dân")
    expect(ComplaintPolicy.standard.rejectWithinWorkingDays).toBe(2)
    expect(ComplaintPolicy.standard.handleWithinWorkingDays).toBe(15)
  })

  it("refuses a policy that leaves a reason without a label, or with zero days", () => {
    const decode = Schema.decodeUnknownResult(ComplaintPolicy.ComplaintPolicy)
    const encoded = Schema.encodeSync(ComplaintPolicy.ComplaintPolicy)(ComplaintPolicy.standard)
    expect(Result.isSuccess(decode(encoded))).toBe(true)
    expect(Result.isFailure(decode({ ...encoded, reasons: encoded.reasons.slice(1) }))).toBe(true)
    expect(Result.isFailure(decode({ ...encoded, reasons: [...encoded.reasons, encoded.reasons[0]] }))).toBe(true)
    expect(Result.isFailure(decode({ ...encoded, rejectWithinWorkingDays: 0 }))).toBe(true)
  })
})

describe("ComplaintDeadlines", () => {
  it("counts working days across a weekend", () => {
    // Friday 15/03/2024: +2 working days is Tuesday 19/03; +15 is Friday 05/04
    const entry = entryOf(history("w", "2024-03-15T02:00:00.000Z"))
    expect(entry.filedOn).toBe("2024-03-15")
    expect(entry.rejectDue).toBe("2024-03-19")
    expect(entry.handleDue).toBe("2024-04-05")
    expect(entry.calendarProblem).toBeNull()
  })

  it("counts working days across Tết (08–14/02/2024 off)", () => {
    // Wednesday 07/02/2024: Thu 08 … Wed 14 are days off, so +2 is Friday 16/02 and +15 Wednesday 06/03
    const entry = entryOf(history("t", "2024-02-07T02:00:00.000Z"))
    expect(entry.rejectDue).toBe("2024-02-16")
    expect(entry.handleDue).toBe("2024-03-06")
  })

  it("dates a filing in Vietnam time: 18:00 UTC on Thursday is Friday in An Lão", () => {
    const entry = entryOf(history("z", "2024-03-14T18:00:00.000Z"))
    expect(entry.filedOn).toBe("2024-03-15")
    expect(entry.rejectDue).toBe("2024-03-19")
    expect(entry.handleDue).toBe("2024-04-05")
  })

  it("uses the durations the complaint recorded and the calendar given, both data", () => {
    const events: ReadonlyArray<Complaint.Event> = [
      { ...filed({ at: "2024-03-15T02:00:00.000Z" }), rejectWithinWorkingDays: 1, handleWithinWorkingDays: 3 }
    ]
    const sixDayWeek: WorkingCalendar.WorkingCalendar = { ...calendar, name: "six-day week", weekend: [0] }
    expect(entryOf(events).rejectDue).toBe("2024-03-18")
    expect(entryOf(events).handleDue).toBe("2024-03-20")
    expect(entryOf(events, sixDayWeek).rejectDue).toBe("2024-03-16")
    expect(entryOf(events, sixDayWeek).handleDue).toBe("2024-03-19")
  })

  it("judges a rejection against the reject deadline and a correction against the handle deadline", () => {
    const filedAt = "2024-02-07T02:00:00.000Z"
    const judge = (how: "resolved" | "rejected", at: string) =>
      ComplaintDeadlines.timeliness(entryOf(history("j", filedAt, { how, at })), "2030-01-01")
    expect(judge("rejected", "2024-02-16T09:00:00.000Z")).toBe("OnTime")
    expect(judge("rejected", "2024-02-19T01:00:00.000Z")).toBe("Late")
    expect(judge("resolved", "2024-02-19T01:00:00.000Z")).toBe("OnTime")
    expect(judge("resolved", "2024-03-06T09:00:00.000Z")).toBe("OnTime")
    expect(judge("resolved", "2024-03-07T01:00:00.000Z")).toBe("Late")
    // 17:00 UTC on 06/03 is midnight starting 07/03 in Vietnam
    expect(judge("resolved", "2024-03-06T17:00:00.000Z")).toBe("Late")
  })

  it("shows an open complaint as pending until its handle deadline, overdue after", () => {
    const entry = entryOf(history("o", "2024-02-07T02:00:00.000Z"))
    expect(entry.outcome).toBe("Open")
    expect(entry.acknowledgedOn).toBe("2024-02-07")
    expect(ComplaintDeadlines.timeliness(entry, "2024-03-06")).toBe("Pending")
    expect(ComplaintDeadlines.timeliness(entry, "2024-03-07")).toBe("Overdue")
  })

  it("says Unknown, with the calendar's reason, when the calendar does not cover the deadline", () => {
    const entry = entryOf(history("u", "2026-12-30T02:00:00.000Z", { how: "resolved", at: "2027-01-05T02:00:00.000Z" }))
    expect(entry.handleDue).toBeNull()
    expect(entry.calendarProblem).toContain("add that year's public holidays")
    expect(ComplaintDeadlines.timeliness(entry, "2027-02-01")).toBe("Unknown")
  })

  it("counts per agency and period: handled on time, late, open and overdue at the end", () => {
    const entries = ComplaintDeadlines.fold(calendar, [
      // justice: filed in February, rejected in time in February
      ...history("a", "2024-02-07T02:00:00.000Z", { how: "rejected", at: "2024-02-15T02:00:00.000Z" }),
      // justice: filed in February, corrected late in March
      ...history("b", "2024-02-07T02:00:00.000Z", { how: "resolved", at: "2024-03-07T02:00:00.000Z" }),
      // justice: filed in March, corrected on time in March
      ...history("c", "2024-03-01T02:00:00.000Z", { how: "resolved", at: "2024-03-20T02:00:00.000Z" }),
      // justice: filed in February, still open (overdue after 06/03)
      ...history("d", "2024-02-07T02:00:00.000Z"),
      // another agency: filed in March, open, not yet due
      ...history("e", "2024-03-25T02:00:00.000Z", undefined, otherAgency)
    ])
    const march = { from: "2024-03-01", to: "2024-03-31" }
    const rows = ComplaintDeadlines.byAgency(entries.values(), march)
    expect(rows.map((r) => r.agencyCode)).toEqual(["000.00.16.H08", otherAgency])
    expect(rows[0]!.counts).toEqual({ filed: 1, handled: 2, onTime: 1, late: 1, unknown: 0, openAtEnd: 1, overdueAtEnd: 1 })
    expect(rows[1]!.counts).toEqual({ filed: 1, handled: 0, onTime: 0, late: 0, unknown: 0, openAtEnd: 1, overdueAtEnd: 0 })
    expect(ComplaintDeadlines.onTimeRate(rows[0]!.counts)).toEqual({ numerator: 1, denominator: 2 })
    // nothing handled: not applicable, never 0 %
    expect(ComplaintDeadlines.onTimeRate(rows[1]!.counts)).toBeNull()
    const total = ComplaintDeadlines.sum(rows.map((r) => r.counts))
    expect(total).toMatchObject({ filed: 2, handled: 2, openAtEnd: 2 })

    const february = ComplaintDeadlines.byAgency(entries.values(), { from: "2024-02-01", to: "2024-02-29" })
    expect(february).toEqual([{
      agencyCode: "000.00.16.H08",
      counts: { filed: 3, handled: 1, onTime: 1, late: 0, unknown: 0, openAtEnd: 2, overdueAtEnd: 0 }
    }])
  })

  it("adds up: handled = on time + late + unknown, and periods split a year without double counting (property)", () => {
    const instant = fc.integer({ min: 0, max: 364 * 24 }).map((hours) => {
      const day = WorkingCalendar.addWorkingDays({ ...calendar, weekend: [], holidays: [], workingWeekendDays: [] }, "2024-01-01", Math.floor(hours / 24))
      return `${Result.getOrThrow(day)}T${String(hours % 24).padStart(2, "0")}:00:00.000Z`
    })
    const complaint = fc.tuple(instant, fc.option(fc.tuple(fc.constantFrom("resolved" as const, "rejected" as const), fc.integer({ min: 0, max: 40 }))))
    fc.assert(fc.property(fc.array(complaint, { maxLength: 30 }), (specs) => {
      const events = specs.flatMap(([at, closing], i) => {
        if (closing === null) return history(`p${i}`, at)
        const day = Result.getOrThrow(WorkingCalendar.addWorkingDays(calendar, at.slice(0, 10), closing[1]))
        return history(`p${i}`, at, { how: closing[0], at: `${day}T03:00:00.000Z` })
      })
      const entries = [...ComplaintDeadlines.fold(calendar, events).values()]
      const year = ComplaintDeadlines.sum(ComplaintDeadlines.byAgency(entries, { from: "2024-01-01", to: "2024-12-31" }).map((r) => r.counts))
      const halves = [{ from: "2024-01-01", to: "2024-06-30" }, { from: "2024-07-01", to: "2024-12-31" }].map((p) =>
        ComplaintDeadlines.sum(ComplaintDeadlines.byAgency(entries, p).map((r) => r.counts))
      )
      expect(year.handled).toBe(year.onTime + year.late + year.unknown)
      expect(halves[0]!.handled + halves[1]!.handled).toBe(year.handled)
      expect(halves[0]!.onTime + halves[1]!.onTime).toBe(year.onTime)
      expect(halves[0]!.filed + halves[1]!.filed).toBe(year.filed)
      expect(year.filed).toBe(entries.filter((e) => e.filedOn <= "2024-12-31").length)
    }))
  })

  it.effect("rebuilds from the log through the projection, and answers the owner's and the agency's views", () => {
    const model = ComplaintDeadlines.make()
    const layer = Layer.mergeAll(EventStore.layerMemory, Checkpoint.layerMemory)
    return Effect.gen(function*() {
      let n = 0
      for (const event of [
        ...history("a", "2024-02-07T02:00:00.000Z", { how: "rejected", at: "2024-02-19T02:00:00.000Z" }),
        ...history("b", "2024-03-01T02:00:00.000Z")
      ]) {
        // append the events as they are, one command each, so the projection reads them from the log
        yield* EventStore.EventStore.use((store) =>
          store.append(`Complaint-${event.complaintId}`, [{
            type: event._tag,
            schemaVersion: 1,
            data: Schema.encodeSync(Complaint.Event)(event),
            metadata: { actor: event._tag === "ComplaintFiled" ? owner : officer, commandId: `c-${++n}`, correlationId: "x", causationId: null }
          }], { expectedVersion: EventStore.ExpectedVersion.any })
        )
      }
      const last = yield* Projection.rebuild(model.projection)
      expect(last).toBe(5)
      expect(model.get("a")).toMatchObject({ outcome: "Rejected", rejectDue: "2024-02-16", closedOn: "2024-02-19" })
      expect(ComplaintDeadlines.timeliness(model.get("a")!, "2024-02-19")).toBe("Late")
      expect(model.forOwner("052090000495").map((e) => e.complaintId)).toEqual(["a", "b"])
      expect(model.forAgency("000.00.16.H08", { openOnly: true }).map((e) => e.complaintId)).toEqual(["b"])
      expect(model.byAgency({ from: "2024-02-01", to: "2024-02-29" })[0]!.counts).toMatchObject({ handled: 1, late: 1 })
      expect(Ratio.make(0, 1)).toEqual(ComplaintDeadlines.onTimeRate(model.byAgency({ from: "2024-02-01", to: "2024-02-29" })[0]!.counts))
      // as of a log position: before the rejection, "a" is still open
      const asOf = ComplaintDeadlines.make({ name: "ComplaintDeadlines-asOf" })
      yield* Projection.rebuild(asOf.projection, { until: 2 })
      expect(asOf.get("a")?.outcome).toBe("Open")
      expect(asOf.get("b")).toBeUndefined()
      // the same command handler feeds it inline
      const inline = ComplaintDeadlines.make({ name: "inline" })
      yield* CommandHandler.handle(Complaint.decider, "c", { ...filedCommand, complaintId: "c" }, {
        actor: owner,
        commandId: "inline-1",
        correlationId: "x",
        causationId: null
      }, { inline: [inline.projection] })
      expect(inline.get("c")?.rejectDue).toBe("2024-03-22")
    }).pipe(Effect.provide(layer))
  })
})

const filedCommand: typeof Complaint.FileComplaint.Type = {
  _tag: "FileComplaint",
  complaintId: "c",
  actor: owner,
  at: "2024-03-20T08:15:00.000Z",
  ownerId: "052090000495",
  documentId: "kq-1",
  subject: {
    code: null,
    name: "Giấy khai sinh",
    issuer: { _tag: "Agency", agencyCode: "000.00.16.H08" },
    status: "Active",
    openComplaints: []
  },
  reason: "NotSignedByGovernmentCa",
  comment: null,
  origin: { _tag: "StoreView" },
  rejectWithinWorkingDays: 2,
  handleWithinWorkingDays: 15
}
