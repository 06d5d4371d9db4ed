import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Result, Schema, Stream } from "effect"
import * as fc from "fast-check"
import * as AdministrativeUnit from "../src/AdministrativeUnit.ts"
import { layerMemory as checkpointsMemory } from "../src/Checkpoint.ts"
import * as CommandHandler from "../src/CommandHandler.ts"
import * as Dossier from "../src/Dossier.ts"
import { EventStore, layerMemory } from "../src/EventStore.ts"
import { GENESIS_HASH } from "../src/HashChain.ts"
import * as KpiLedger from "../src/KpiLedger.ts"
import * as Projection from "../src/Projection.ts"
import * as Upcaster from "../src/Upcaster.ts"
import { completeDraft, numberAssigned, officer, submitted } from "./utils/dossierFixtures.ts"
import {
  complaintFiled,
  complaintRejected,
  complaintResolved,
  documentIssued,
  log,
  paperResultIssued,
  received,
  recorded,
  rejected,
  resultIssued
} from "./utils/kpiEvents.ts"

const thiTran = "000.21.30.H08"
const anHoa = "000.23.30.H08"
const units = AdministrativeUnit.binhDinhAnLao

const facts = (ledger: KpiLedger.KpiLedger, agencyCode: string, day: string) => ledger.cells.get(agencyCode)?.get(day)

const satisfiedBy = fc.constantFrom<KpiLedger.SatisfiedBy>(
  "AutoAttached",
  "PickedFromStore",
  "Uploaded",
  "ScannedAtCounter",
  "EarlierResult"
)

describe("KpiLedger.classify", () => {
  it("counts reuse from the store and from an earlier dossier, and keeps scans apart", () => {
    const of = (...s: ReadonlyArray<KpiLedger.SatisfiedBy>) => KpiLedger.classify(s.map((x) => ({ satisfiedBy: x })))
    assert.deepInclude(of("Uploaded", "AutoAttached"), { received: 1, reused: 1, reusedFromStore: 1, reusedFromEarlierDossier: 0 })
    assert.deepInclude(of("PickedFromStore", "EarlierResult"), { reused: 1, reusedFromStore: 1, reusedFromEarlierDossier: 1 })
    assert.deepInclude(of("ScannedAtCounter", "Uploaded"), { reused: 0, anyDigitised: 1, digitisedDossiers: 0 })
    assert.deepInclude(of("ScannedAtCounter", "EarlierResult"), { reused: 1, anyDigitised: 1, digitisedDossiers: 1 })
    assert.deepInclude(of("Uploaded"), { received: 1, reused: 0, anyDigitised: 0, digitisedDossiers: 0 })
    // a dossier with nothing attached (every component optional) is received, and digitised in nothing
    assert.deepInclude(of(), { received: 1, reused: 0, anyDigitised: 0, digitisedDossiers: 0 })
  })

  it("agrees with the dossier's own reuse classification for every source", () => {
    for (const s of ["AutoAttached", "PickedFromStore", "Uploaded", "ScannedAtCounter", "EarlierResult"] as const) {
      const source = {
        AutoAttached: { _tag: "AutoAttached", documentId: "d", sha256: "a".repeat(64) },
        PickedFromStore: { _tag: "PickedFromStore", documentId: "d", sha256: "a".repeat(64) },
        Uploaded: { _tag: "Uploaded", sha256: "a".repeat(64), size: 1, mediaType: "application/pdf", fileName: "a.pdf" },
        ScannedAtCounter: { _tag: "ScannedAtCounter", documentId: "d", sha256: "a".repeat(64), agencyCode: "x", officerId: "y" },
        EarlierResult: { _tag: "EarlierResult", dossierNumber: "n", dossierId: "d", documentId: null }
      }[s] as Dossier.Source
      assert.strictEqual(KpiLedger.reuseKindOf(s), Dossier.reuseOf(source))
    }
  })

  it("keeps reused ⊆ any digitised ⊆ received, and the split covers reused exactly", () =>
    fc.assert(
      fc.property(fc.array(satisfiedBy, { maxLength: 6 }), (list) => {
        const f = KpiLedger.classify(list.map((s) => ({ satisfiedBy: s })))
        return f.received === 1 && f.reused <= f.anyDigitised && f.anyDigitised <= f.received &&
          f.reused === Math.max(f.reusedFromStore, f.reusedFromEarlierDossier) &&
          f.digitisedDossiers <= f.anyDigitised &&
          f.reused === (list.some((s) => s !== "Uploaded" && s !== "ScannedAtCounter") ? 1 : 0)
      })
    ))
})

describe("KpiLedger.replay", () => {
  it.effect("counts each fact on the Vietnamese day of its event's time, for its agency", () =>
    Effect.gen(function*() {
      const events = log([
        // 00:30 on 20 March in Vietnam, though still 19 March in UTC
        received("hs-1", thiTran, "2024-03-19T17:30:00.000Z", ["Uploaded", "AutoAttached"]),
        received("hs-2", thiTran, "2024-03-20T02:00:00.000Z", ["EarlierResult"]),
        received("hs-3", anHoa, "2024-03-20T03:00:00.000Z", ["ScannedAtCounter"]),
        ["SomethingElse", { _tag: "SomethingElse" }, "2024-03-20T03:30:00.000Z"],
        resultIssued("hs-1", thiTran, "2024-03-21T02:00:00.000Z"),
        rejected("hs-2", thiTran, "2024-03-21T03:00:00.000Z"),
        documentIssued("bs-1", anHoa, "2024-03-21T04:00:00.000Z", "CertifiedCopy"),
        documentIssued("kq-1", anHoa, "2024-03-21T04:10:00.000Z", "Result"),
        // 23:30 on 21 March in Vietnam: a result handed over on paper only
        paperResultIssued("hs-3", anHoa, "2024-03-21T16:30:00.000Z")
      ])
      const ledger = yield* KpiLedger.replay(Stream.fromIterable(events))
      assert.deepInclude(facts(ledger, thiTran, "2024-03-20"), {
        received: 2,
        reused: 2,
        reusedFromStore: 1,
        reusedFromEarlierDossier: 1,
        anyDigitised: 2,
        digitisedDossiers: 1
      })
      assert.isUndefined(facts(ledger, thiTran, "2024-03-19"))
      assert.deepInclude(facts(ledger, anHoa, "2024-03-20"), { received: 1, reused: 0, anyDigitised: 1, digitisedDossiers: 1 })
      assert.deepInclude(facts(ledger, thiTran, "2024-03-21"), { resultsIssued: 1, paperResults: 0, rejected: 1 })
      assert.deepInclude(facts(ledger, anHoa, "2024-03-21"), { certifiedCopies: 1, resultsIssued: 0, paperResults: 1 })
      // every event advances the head, whether it is a fact or not
      assert.strictEqual(ledger.position, 9)
      assert.strictEqual(ledger.headHash, events[8]!.hash)
      assert.strictEqual(ledger.lastRecordedAt, "2024-03-21T16:30:00.000Z")
      assert.deepStrictEqual(KpiLedger.logHead(ledger), { position: 9, headHash: events[8]!.hash })
    }))

  it.effect("stops at a position or a time, and starts empty at the genesis", () =>
    Effect.gen(function*() {
      const events = log([
        received("hs-1", thiTran, "2024-03-01T02:00:00.000Z", ["AutoAttached"]),
        received("hs-2", thiTran, "2024-03-02T02:00:00.000Z", ["Uploaded"]),
        received("hs-3", thiTran, "2024-03-03T02:00:00.000Z", ["Uploaded"])
      ])
      const total = (l: KpiLedger.KpiLedger) =>
        KpiLedger.byUnit(l, { period: { from: "2024-01-01", to: "2024-03-31" }, units }).units.get(
          `${AdministrativeUnit.AN_LAO}.thi-tran-an-lao`
        )?.received ?? 0
      let pulled = 0
      const counted = Stream.fromIterable(events).pipe(Stream.tap(() => Effect.sync(() => pulled++)))
      const two = yield* KpiLedger.replay(counted, { asOf: KpiLedger.atPosition(2) })
      assert.strictEqual(total(two), 2)
      assert.strictEqual(two.position, 2)
      assert.isAtMost(pulled, 3) // the fold stops pulling once past the position
      // 09:00 on 2 March in Vietnam, written with its offset
      const byTime = yield* KpiLedger.replay(Stream.fromIterable(events), {
        asOf: KpiLedger.atTime("2024-03-02T09:00:00+07:00")
      })
      assert.strictEqual(total(byTime), 2)
      assert.strictEqual(byTime.headHash, events[1]!.hash)
      const none = yield* KpiLedger.replay(Stream.fromIterable(events), { asOf: KpiLedger.atPosition(0) })
      assert.deepStrictEqual(KpiLedger.logHead(none), { position: 0, headHash: GENESIS_HASH })
      assert.strictEqual(total(none), 0)
      assert.throws(() => KpiLedger.atTime("yesterday"))
    }))

  it.effect("fails with the event's position when the data of a fact does not decode", () =>
    Effect.gen(function*() {
      const events = log([
        received("hs-1", thiTran, "2024-03-01T02:00:00.000Z", ["AutoAttached"]),
        ["DossierReceived", { _tag: "DossierReceived", dossierId: "hs-2" }, "2024-03-01T03:00:00.000Z"]
      ])
      const error = yield* Effect.flip(KpiLedger.replay(Stream.fromIterable(events)))
      assert.strictEqual(error._tag, "EventDecodeError")
      assert.strictEqual(error.globalPosition, 2)
    }))

  it.effect("upcasts old versions through the registry in use", () =>
    Effect.gen(function*() {
      // version 1 of a hypothetical DossierReceived that named the agency `agency`
      const [type, data, at] = received("hs-1", thiTran, "2024-03-01T02:00:00.000Z", ["AutoAttached"])
      const { agencyCode, ...rest } = data as { agencyCode: string }
      const old = recorded(type, { ...rest, agency: agencyCode }, { position: 1, recordedAt: at })
      const registry = Upcaster.registry([
        Upcaster.make({
          type: "DossierReceived",
          fromVersion: 1,
          from: Schema.Record(Schema.String, Schema.Unknown),
          upcast: ({ agency, ...others }) => ({ ...others, agencyCode: agency })
        })
      ])
      const ledger = yield* KpiLedger.replay(Stream.make(old)).pipe(Effect.provide(Upcaster.layer(registry)))
      assert.deepInclude(facts(ledger, thiTran, "2024-03-01"), { received: 1, reused: 1 })
    }))
})

describe("KpiLedger complaints", () => {
  it.effect("counts a complaint when it closes, on time or late against the deadlines it was filed with", () =>
    Effect.gen(function*() {
      const events = log([
        complaintFiled("pa-1", anHoa, "2024-03-04T02:00:00.000Z"), // Monday 4 March
        complaintFiled("pa-2", anHoa, "2024-03-04T02:00:00.000Z"),
        complaintFiled("pa-3", anHoa, "2024-03-04T02:00:00.000Z"),
        // corrected within 15 working days: on time
        complaintResolved("pa-1", anHoa, "2024-03-15T02:00:00.000Z"),
        // rejected after 2 working days: late
        complaintRejected("pa-2", anHoa, "2024-03-15T02:00:00.000Z")
      ])
      const ledger = yield* KpiLedger.replay(Stream.fromIterable(events))
      assert.deepInclude(facts(ledger, anHoa, "2024-03-15"), { complaintsOnTime: 1, complaintsLate: 1, complaintsUnknownDeadline: 0 })
      // only the open one is remembered
      assert.deepStrictEqual([...ledger.openComplaints.keys()], ["pa-3"])
    }))
})

describe("KpiLedger.byUnit", () => {
  it("attributes each day to the unit that had the agency code that day, and keeps the rest apart", () => {
    const history = Schema.decodeUnknownSync(AdministrativeUnit.UnitHistory)([
      {
        code: "p",
        agencyCode: null,
        name: "Tỉnh P",
        level: "province",
        kind: "area",
        parent: null,
        validFrom: "2024-01-01",
        validUntil: null
      },
      {
        code: "p.old",
        agencyCode: "000.01.01.H99",
        name: "UBND xã Cũ",
        level: "commune",
        kind: "area",
        parent: "p",
        validFrom: "2024-01-01",
        validUntil: "2025-07-01"
      },
      {
        code: "p.new",
        agencyCode: "000.01.01.H99",
        name: "UBND xã Mới",
        level: "commune",
        kind: "area",
        parent: "p",
        validFrom: "2025-07-01",
        validUntil: null
      }
    ])
    const ledger = KpiLedger.empty()
    const step = KpiLedger.stepWith(Upcaster.empty)
    const events = log([
      received("hs-1", "000.01.01.H99", "2025-06-30T03:00:00.000Z", ["AutoAttached"]),
      received("hs-2", "000.01.01.H99", "2025-07-01T03:00:00.000Z", ["Uploaded"]),
      received("hs-3", "000.99.99.H99", "2025-07-01T03:00:00.000Z", ["Uploaded"])
    ])
    for (const e of events) assert.isTrue(Result.isSuccess(step(ledger, e)))
    const all = KpiLedger.byUnit(ledger, { period: { from: "2025-06-01", to: "2025-07-31" }, units: history })
    assert.deepInclude(all.units.get("p.old"), { received: 1, reused: 1 })
    assert.deepInclude(all.units.get("p.new"), { received: 1, reused: 0 })
    assert.deepInclude(all.unattributed.get("000.99.99.H99"), { received: 1 })
    const june = KpiLedger.byUnit(ledger, { period: { from: "2025-06-01", to: "2025-06-30" }, units: history })
    assert.deepStrictEqual([...june.units.keys()], ["p.old"])
    assert.strictEqual(june.unattributed.size, 0)
  })
})

describe("KpiLedger.projection", () => {
  const layer = Layer.mergeAll(layerMemory, checkpointsMemory)

  it.effect("runs inline with the command handler and matches a replay; a rebuild starts from empty", () =>
    Effect.gen(function*() {
      const ledger = KpiLedger.empty()
      const projection = KpiLedger.projection(ledger)
      const handler = CommandHandler.make(Dossier.decider, { inline: [projection] })
      const store = yield* EventStore
      // a dossier submitted and numbered, then received by an officer of its agency
      yield* store.append(
        "Dossier-hs-0001",
        [...completeDraft, submitted, numberAssigned].map((event, i) => ({
          type: event._tag,
          schemaVersion: 1,
          data: Schema.encodeSync(Dossier.Event)(event),
          metadata: { actor: officer, commandId: `setup-${i}`, correlationId: "c", causationId: null }
        })),
        { expectedVersion: { _tag: "NoStream" } }
      )
      yield* handler.handle("hs-0001", { _tag: "Receive", dossierId: "hs-0001", actor: officer, at: "2024-03-20T03:00:00.000Z" }, {
        actor: officer,
        commandId: "receive-1",
        correlationId: "c",
        causationId: null
      })
      // inline saw only the events of its own append
      const inline = facts(ledger, officer._tag === "Officer" ? officer.agencyCode : "", "2024-03-20")
      assert.deepInclude(inline, { received: 1, reused: 1, reusedFromStore: 1 })
      const replayed = yield* KpiLedger.fromStore()
      assert.deepStrictEqual(replayed.cells, ledger.cells)
      assert.strictEqual(ledger.position, replayed.position)
      // a rebuild empties the ledger and folds the whole log again
      const last = yield* Projection.rebuild(projection)
      assert.strictEqual(last, replayed.position)
      assert.deepStrictEqual(ledger.cells, replayed.cells)
      assert.strictEqual(ledger.headHash, replayed.headHash)
    }).pipe(Effect.provide(layer)))
})
