/**
 * The flows of the seed's Appendix II part II, end to end on the in-memory event store: one match
 * attached automatically, several matches and the citizen's pick, an officer at the counter, the
 * result pushed into the owner's store and reused, every rejection, and numbering under 50
 * concurrent submissions to one agency.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import { TestClock } from "effect/testing"
import type { Actor } from "../src/Actor.ts"
import * as CommandHandler from "../src/CommandHandler.ts"
import * as DocumentStore from "../src/DocumentStore.ts"
import * as DocumentStoreService from "../src/DocumentStoreService.ts"
import * as Dossier from "../src/Dossier.ts"
import * as DossierNumber from "../src/DossierNumber.ts"
import * as DossierNumbering from "../src/DossierNumbering.ts"
import * as DossierService from "../src/DossierService.ts"
import { EventStore, layerMemory as eventStoreMemory } from "../src/EventStore.ts"
import * as FileStore from "../src/FileStore.ts"
import * as KpiLedger from "../src/KpiLedger.ts"
import * as SignatureVerifier from "../src/SignatureVerifier.ts"
import { passed, resultInput } from "./utils/documentFixtures.ts"
import { refused } from "./utils/services.ts"
import { agencyCode, auditor, draft, interleavedEventStore, officer, otherOfficer, owner, ownerId, stranger } from "./utils/dossierFixtures.ts"

// -----------------------------------------------------------------------------------------------
// set-up
// -----------------------------------------------------------------------------------------------

const makeLayer = (events: Layer.Layer<EventStore> = eventStoreMemory, options?: DossierService.Options) => {
  const base = Layer.mergeAll(
    events,
    FileStore.layerMemory,
    SignatureVerifier.layerTest((bytes) => passed(FileStore.sha256(bytes)))
  )
  const documents = DocumentStoreService.layer.pipe(Layer.provideMerge(base))
  const service = options === undefined ? DossierService.layer : Layer.effect(DossierService.DossierService, DossierService.make(options))
  return service.pipe(Layer.provideMerge(documents))
}

/** 2024-03-20 08:15 in An Lão. */
const morning = Date.parse("2024-03-20T01:15:00.000Z")
const police: Actor = { _tag: "Officer", officerId: "ca-01", agencyCode: "000.00.16.H08", roles: ["issue"] }
const otherOwner = "079201012345"

let n = 0
const request = (actor: Actor = owner) => ({ actor, commandId: `cmd-${++n}`, correlationId: `corr-${n}` })
const pdf = (text: string): Uint8Array => new TextEncoder().encode(`%PDF-1.7\n${text}\n%%EOF\n`)

const services = Effect.gen(function*() {
  yield* TestClock.setTime(morning)
  return {
    dossiers: yield* DossierService.DossierService,
    documents: yield* DocumentStoreService.DocumentStoreService,
    events: yield* EventStore
  }
})

/** An electronic result issued into a store by the police (ID card) or the commune (marital status). */
const issueInto = (
  documentId: string,
  kind: "cccd" | "marital",
  options: { readonly owner?: string; readonly issuedAt?: string; readonly share?: boolean } = {}
) =>
  Effect.gen(function*() {
    const documents = yield* DocumentStoreService.DocumentStoreService
    const store = options.owner ?? ownerId
    yield* documents.issue(
      resultInput(documentId, kind, { owner: store, ...(options.issuedAt === undefined ? {} : { issuedAt: options.issuedAt }) }),
      request(kind === "cccd" ? police : officer)
    )
    if (options.share ?? true) {
      yield* documents.execute({ _tag: "ShareDocument", ownerId: store, documentId }, request({
        _tag: "Citizen",
        personalId: store
      }))
    }
  })

const uploadForm = (dossierId = "hs-1", actor: Actor = owner, componentId = "to-khai") =>
  Effect.flatMap(DossierService.DossierService, (dossiers) =>
    dossiers.upload({
      dossierId,
      componentId,
      bytes: pdf(`tờ khai ${dossierId}`),
      fileName: "to-khai.pdf",
      mediaType: "application/pdf"
    }, request(actor)))

const chooseOnline = (dossierId = "hs-1", actor: Actor = owner) =>
  Effect.flatMap(DossierService.DossierService, (dossiers) =>
    dossiers.chooseMethods({ dossierId, submission: "Online", receipt: "AtCommuneOffice" }, request(actor)))

const dataOf = <T>(events: ReadonlyArray<{ readonly type: string; readonly data: unknown }>, type: string) =>
  events.filter((e) => e.type === type).map((e) => e.data as T)

const storeEvents = (events: EventStore["Service"], owner = ownerId) => events.readStream(`DocumentStore-${owner}`)

/** Runs `effect`, expects it to fail after reading the store: the only event appended is that access. */
const refusedAfterLookup = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const before = yield* events.head
    const error = yield* Effect.flip(effect)
    const appended = yield* Stream.runCollect(events.readAll({ after: before.position }))
    expect(appended.map((e) => e.type)).toEqual(["StoreAccessed"])
    return error
  })

// -----------------------------------------------------------------------------------------------
// the flows
// -----------------------------------------------------------------------------------------------

describe("DossierService", () => {
  it.effect("citizen online, one match per component: attached automatically, numbered, used once", () =>
    Effect.gen(function*() {
      const { documents, dossiers, events } = yield* services
      yield* issueInto("cccd-1", "cccd")
      yield* issueInto("xn-1", "marital")

      yield* dossiers.createDraft(draft(), request())
      const step7 = yield* dossiers.matchComponents("hs-1", request())
      expect(step7.autoAttached).toEqual([
        { componentId: "xac-nhan-tinh-trang-hon-nhan", documentId: "xn-1" },
        { componentId: "giay-to-tuy-than", documentId: "cccd-1" }
      ])
      expect(step7.components.map((c) => [c.componentId, c.outcome?._tag ?? null])).toEqual([
        ["to-khai", null],
        ["xac-nhan-tinh-trang-hon-nhan", "AutoAttach"],
        ["giay-to-tuy-than", "AutoAttach"]
      ])
      expect(step7.found).toBe(2)
      expect(step7.dossier.components.get("giay-to-tuy-than")?._tag).toBe("AutoAttached")

      yield* uploadForm()
      yield* chooseOnline()
      const submitting = request()
      const { dossier, number } = yield* dossiers.submit("hs-1", submitting)
      expect(number).toBe("000.20.33.H08-240320-0001")
      expect(dossier).toMatchObject({ status: "Submitted", number, submittedOn: "2024-03-20" })

      // the owner's "who used my data" log: who, when, which procedure, which channel, how many found
      const log = yield* storeEvents(events)
      expect(dataOf(log, "StoreAccessed")).toEqual([{
        _tag: "StoreAccessed",
        ownerId,
        at: "2024-03-20T01:15:00.000Z",
        accessor: owner,
        procedure: "1.000894",
        channel: "online",
        found: 2,
        dossierNumber: null
      }])

      // one use per document and component, however often submission is retried
      yield* dossiers.submit("hs-1", submitting)
      const again = yield* dossiers.submit("hs-1", request())
      expect(again.number).toBe(number)
      const store = yield* documents.load(ownerId, { actor: owner })
      for (const [id, component] of [["cccd-1", "giay-to-tuy-than"], ["xn-1", "xac-nhan-tinh-trang-hon-nhan"]] as const) {
        expect(store.documents.get(id)?.uses).toEqual([{
          dossierNumber: number,
          componentId: component,
          procedure: "1.000894",
          at: "2024-03-20T01:15:00.000Z"
        }])
      }
      const used = log.filter((e) => e.type === "DocumentUsed").map((e) => e.commandId).sort()
      expect(used).toEqual([
        DossierService.useCommandId(number, "giay-to-tuy-than", "cccd-1"),
        DossierService.useCommandId(number, "xac-nhan-tinh-trang-hon-nhan", "xn-1")
      ])
      const types = (yield* events.readStream("Dossier-hs-1")).map((e) => e.type)
      expect(types).toEqual([
        "DraftCreated",
        "ComponentAttached",
        "ComponentAttached",
        "ComponentAttached",
        "MethodsChosen",
        "DossierSubmitted",
        "DossierNumberAssigned"
      ])
      expect(yield* events.readStream(DossierNumbering.streamIdOf(agencyCode, "2024-03-20"))).toHaveLength(1)
    }).pipe(Effect.provide(makeLayer())))

  it.effect("citizen online, several matches: suggestions best first, the citizen picks, ineligible picks refused", () =>
    Effect.gen(function*() {
      const { documents, dossiers, events } = yield* services
      yield* issueInto("cccd-old", "cccd", { issuedAt: "2016-01-04" })
      yield* issueInto("cccd-new", "cccd", { issuedAt: "2021-05-10" })
      yield* issueInto("cccd-unshared", "cccd", { share: false })
      yield* issueInto("cccd-other", "cccd", { owner: otherOwner })

      yield* dossiers.createDraft(draft(), request())
      const step7 = yield* dossiers.matchComponents("hs-1", request())
      expect(step7.autoAttached).toEqual([])
      const ids = step7.components.find((c) => c.componentId === "giay-to-tuy-than")?.outcome
      expect(ids?._tag).toBe("Suggest")
      if (ids?._tag !== "Suggest") return
      expect(ids.documents.map((d) => d.id)).toEqual(["cccd-new", "cccd-old"])
      expect(ids.excluded.map((x) => [x.document.id, x.reasons[0]._tag])).toEqual([["cccd-unshared", "NotShared"]])

      const notShared = yield* refusedAfterLookup(
        dossiers.pick({ dossierId: "hs-1", componentId: "giay-to-tuy-than", documentId: "cccd-unshared" }, request())
      )
      expect(notShared._tag).toBe("NotEligible")
      expect(notShared.message).toContain("not shared")
      const otherStore = yield* refusedAfterLookup(
        dossiers.pick({ dossierId: "hs-1", componentId: "giay-to-tuy-than", documentId: "cccd-other" }, request())
      )
      expect(otherStore._tag).toBe("NotEligible")
      const wrongComponent = yield* refusedAfterLookup(
        dossiers.pick({ dossierId: "hs-1", componentId: "xac-nhan-tinh-trang-hon-nhan", documentId: "cccd-new" }, request())
      )
      expect(wrongComponent.message).toContain("not accepted")
      const byStranger = yield* refused(
        dossiers.pick({ dossierId: "hs-1", componentId: "giay-to-tuy-than", documentId: "cccd-new" }, request(stranger))
      )
      expect(byStranger._tag).toBe("DossierForbidden")

      const picked = yield* dossiers.pick(
        { dossierId: "hs-1", componentId: "giay-to-tuy-than", documentId: "cccd-old" },
        request()
      )
      expect(picked.state.dossier?.components.get("giay-to-tuy-than")).toMatchObject({
        _tag: "PickedFromStore",
        documentId: "cccd-old"
      })
      yield* uploadForm()
      yield* chooseOnline()
      const { number } = yield* dossiers.submit("hs-1", request())
      const store = yield* documents.load(ownerId, { actor: owner })
      expect(store.documents.get("cccd-old")?.uses.map((u) => u.dossierNumber)).toEqual([number])
      expect(store.documents.get("cccd-new")?.uses).toEqual([])
      // the other owner's store was never looked at
      expect(dataOf(yield* storeEvents(events, otherOwner), "StoreAccessed")).toEqual([])
    }).pipe(Effect.provide(makeLayer())))

  it.effect("a pick is judged against the whole store: a later marital-status certificate retires the older one", () =>
    Effect.gen(function*() {
      const { dossiers } = yield* services
      yield* issueInto("xn-old", "marital", { issuedAt: "2024-01-05" })
      yield* issueInto("xn-new", "marital", { issuedAt: "2024-03-01" })
      yield* dossiers.createDraft(draft(), request())
      const step7 = yield* dossiers.matchComponents("hs-1", request())
      expect(step7.autoAttached).toEqual([{ componentId: "xac-nhan-tinh-trang-hon-nhan", documentId: "xn-new" }])
      yield* dossiers.detach({ dossierId: "hs-1", componentId: "xac-nhan-tinh-trang-hon-nhan" }, request())
      const stale = yield* refusedAfterLookup(
        dossiers.pick({ dossierId: "hs-1", componentId: "xac-nhan-tinh-trang-hon-nhan", documentId: "xn-old" }, request())
      )
      expect(stale._tag === "NotEligible" && stale.reasons.join()).toContain("status changed")
    }).pipe(Effect.provide(makeLayer())))

  it.effect("officer at the counter: looks the store up first, reuses what it has, scans only the rest", () =>
    Effect.gen(function*() {
      const { documents, dossiers, events } = yield* services
      yield* issueInto("xn-1", "marital")
      yield* dossiers.createDraft(
        draft({ channel: "counter", submitter: { personalId: ownerId, name: "Nguyễn Văn An" } }),
        request(officer)
      )
      const step7 = yield* dossiers.matchComponents("hs-1", request(officer))
      expect(step7.autoAttached).toEqual([{ componentId: "xac-nhan-tinh-trang-hon-nhan", documentId: "xn-1" }])

      const scan = (componentId: string, documentId: string, actor: Actor = officer) =>
        dossiers.scan({
          dossierId: "hs-1",
          componentId,
          documentId,
          bytes: pdf(`scan ${documentId}`),
          fileName: `${documentId}.pdf`,
          mediaType: "application/pdf",
          type: "PersonalDocument",
          category: "the-can-cuoc-cong-dan",
          name: "Thẻ căn cước công dân (bản giấy)",
          issuedAt: "2021-05-10",
          issuer: { _tag: "Agency", agencyCode: "000.00.16.H08" }
        }, request(actor))

      // a citizen does not scan at the counter
      expect((yield* refused(scan("giay-to-tuy-than", "scan-x", owner)))._tag).toBe("DossierForbidden")
      const scanned = yield* scan("giay-to-tuy-than", "scan-cccd")
      expect(scanned.state.dossier?.components.get("giay-to-tuy-than")).toMatchObject({
        _tag: "ScannedAtCounter",
        documentId: "scan-cccd",
        agencyCode,
        officerId: "cb-001"
      })
      const digitised = (yield* documents.load(ownerId, { actor: owner })).documents.get("scan-cccd")
      expect(digitised?.provenance).toEqual({ _tag: "DigitisedAtCounter", agencyCode, officerId: "cb-001" })

      // the store already has a valid marital-status certificate: no paper is scanned for it
      yield* dossiers.detach({ dossierId: "hs-1", componentId: "xac-nhan-tinh-trang-hon-nhan" }, request(officer))
      const reusable = yield* Effect.flip(scan("xac-nhan-tinh-trang-hon-nhan", "scan-xn"))
      expect(reusable._tag).toBe("ReusableDocumentExists")
      expect(reusable._tag === "ReusableDocumentExists" && reusable.documentIds).toEqual(["xn-1"])
      expect((yield* documents.load(ownerId, { actor: owner })).documents.has("scan-xn")).toBe(false)
      yield* dossiers.pick({ dossierId: "hs-1", componentId: "xac-nhan-tinh-trang-hon-nhan", documentId: "xn-1" }, request(officer))

      yield* uploadForm("hs-1", officer)
      yield* dossiers.chooseMethods({ dossierId: "hs-1", submission: "AtOffice", receipt: "AtCommuneOffice" }, request(officer))
      const { number } = yield* dossiers.submit("hs-1", request(officer))
      const received = yield* dossiers.receive("hs-1", request(officer))
      expect(received.events).toEqual([{
        _tag: "DossierReceived",
        dossierId: "hs-1",
        at: "2024-03-20T01:15:00.000Z",
        number,
        ownerId,
        agencyCode,
        procedure: "1.000894",
        officerId: "cb-001",
        components: [
          { componentId: "to-khai", satisfiedBy: "Uploaded", reuse: "None" },
          { componentId: "xac-nhan-tinh-trang-hon-nhan", satisfiedBy: "PickedFromStore", reuse: "Store" },
          { componentId: "giay-to-tuy-than", satisfiedBy: "ScannedAtCounter", reuse: "Digitised" }
        ]
      }])

      // every lookup is in the owner's log, at the counter, by the officer
      const accesses = dataOf<typeof DocumentStore.StoreAccessed.Type>(yield* storeEvents(events), "StoreAccessed")
      expect(accesses.map((a) => [a.channel, a.accessor, a.found, a.dossierNumber])).toEqual([
        ["counter", officer, 1, null], // step 7
        ["counter", officer, 0, null], // before scanning the ID card
        ["counter", officer, 1, null], // before scanning the marital-status certificate: refused
        ["counter", officer, 1, null] // the pick
      ])
      const store = yield* documents.load(ownerId, { actor: owner })
      expect(store.documents.get("scan-cccd")?.uses.map((u) => u.componentId)).toEqual(["giay-to-tuy-than"])
      expect(store.documents.get("xn-1")?.uses.map((u) => u.componentId)).toEqual(["xac-nhan-tinh-trang-hon-nhan"])
    }).pipe(Effect.provide(makeLayer())))

  it.effect("the officer issues the result into the owner's store, and a later dossier reuses it", () =>
    Effect.gen(function*() {
      const { documents, dossiers, events } = yield* services
      const certify = draft({ dossierId: "hs-cc", procedureCode: "2.000815", caseId: "trong-ngay" })
      yield* dossiers.createDraft(certify, request())
      const lookedUp = yield* dossiers.matchComponents("hs-cc", request())
      // nothing in that procedure comes from a store: no lookup into it, no access recorded
      expect(lookedUp.found).toBe(0)
      expect(dataOf(yield* storeEvents(events), "StoreAccessed")).toEqual([])
      yield* uploadForm("hs-cc", owner, "ban-chinh")
      yield* chooseOnline("hs-cc")
      const { number } = yield* dossiers.submit("hs-cc", request())

      const result: DossierService.ResultInput = {
        documentId: "bs-1",
        kind: "CertifiedCopy",
        bytes: pdf("bản sao chứng thực điện tử"),
        fileName: "30CVCC20032024signed.pdf",
        mediaType: "application/pdf",
        type: "CertifiedCopy",
        category: "ban-sao-chung-thuc",
        name: "Bản sao được chứng thực từ bản chính",
        resultType: "KQ.G15.000021",
        issuedAt: "2024-03-20"
      }
      // not yet received: nothing enters the owner's store
      expect((yield* refused(dossiers.issueResult({ dossierId: "hs-cc", documents: [result] }, request(officer))))._tag)
        .toBe("IllegalDossierState")
      yield* dossiers.receive("hs-cc", request(officer))
      const issuing = request(officer)
      const issued = yield* dossiers.issueResult({ dossierId: "hs-cc", documents: [result] }, issuing)
      expect(issued.state.dossier).toMatchObject({
        status: "ResultIssued",
        results: [{ documentId: "bs-1", kind: "CertifiedCopy", name: "Bản sao được chứng thực từ bản chính" }]
      })
      yield* dossiers.issueResult({ dossierId: "hs-cc", documents: [result] }, issuing)
      const copy = (yield* documents.load(ownerId, { actor: owner })).documents.get("bs-1")
      expect(copy).toMatchObject({
        provenance: { _tag: "CertifiedCopy", agencyCode, officerId: "cb-001" },
        code: "052090000495.KQ.G15.000021.20032024",
        signature: { indication: "TOTAL_PASSED" }
      })
      expect(dataOf(yield* storeEvents(events), "DocumentIssued")).toHaveLength(1)

      // a later dossier refers to the earlier dossier's result, for a component that takes certified
      // copies (the professional diploma of a pharmacist's licence)
      yield* dossiers.createDraft(draft({ dossierId: "hs-2", procedureCode: "9.900002", caseId: "cap-moi" }), request())
      const refer = (dossierNumber: string, actor: Actor = owner, componentId = "van-bang") =>
        dossiers.referEarlierResult({ dossierId: "hs-2", componentId, dossierNumber }, request(actor))
      // matching's rules hold: a certified copy is not an ID card
      const notAnIdCard = yield* refused(refer(number, owner, "giay-to-tuy-than"))
      expect(notAnIdCard._tag).toBe("EarlierResultNotUsable")
      expect(notAnIdCard.message).toContain("is not accepted by this component")
      const referred = yield* refer(number)
      expect(referred.state.dossier?.components.get("van-bang")).toEqual({
        _tag: "EarlierResult",
        dossierNumber: number,
        dossierId: "hs-cc",
        documentId: "bs-1"
      })
      expect(Dossier.reuseOf(referred.state.dossier!.components.get("van-bang")!)).toBe("EarlierDossier")
      yield* dossiers.detach({ dossierId: "hs-2", componentId: "van-bang" }, request())

      // unknown numbers, another owner's dossier, a dossier without result, a stranger: all refused
      expect((yield* refused(refer("000.20.33.H08-240320-0042")))._tag).toBe("EarlierResultNotUsable")
      expect((yield* refused(refer("HS-1")))._tag).toBe("EarlierResultNotUsable")
      yield* dossiers.createDraft(
        draft({ dossierId: "hs-other", ownerId: otherOwner, submitter: { personalId: otherOwner } }),
        request(stranger)
      )
      yield* uploadForm("hs-other", stranger)
      yield* chooseOnline("hs-other", stranger)
      const others = yield* dossiers.submit("hs-other", request(stranger))
      const otherError = yield* refused(refer(others.number))
      expect(otherError.message).toContain("has no dossier")
      yield* dossiers.createDraft(draft({ dossierId: "hs-3" }), request())
      yield* uploadForm("hs-3")
      yield* chooseOnline("hs-3")
      const pending = yield* dossiers.submit("hs-3", request())
      expect((yield* refused(refer(pending.number))).message).toContain("no result yet")
      expect((yield* refused(refer(number, stranger)))._tag).toBe("DossierForbidden")
    }).pipe(Effect.provide(makeLayer())))

  it.effect("the officer records a result issued on paper: nothing enters the store, it is not reusable, the KPIs count it", () =>
    Effect.gen(function*() {
      const { dossiers, events } = yield* services
      yield* dossiers.createDraft(draft({ dossierId: "hs-p" }), request())
      yield* uploadForm("hs-p")
      yield* chooseOnline("hs-p")
      const { number } = yield* dossiers.submit("hs-p", request())
      const papers: ReadonlyArray<Dossier.PaperDocument> = [{ kind: "Result", name: "Giấy chứng nhận kết hôn (bản giấy)" }]
      // not yet received, or not the deciding agency: refused, nothing appended
      expect((yield* refused(dossiers.issuePaperResult({ dossierId: "hs-p", documents: papers }, request(officer))))._tag)
        .toBe("IllegalDossierState")
      yield* dossiers.receive("hs-p", request(officer))
      expect((yield* refused(dossiers.issuePaperResult({ dossierId: "hs-p", documents: papers }, request(otherOfficer))))._tag)
        .toBe("DossierForbidden")
      const storeBefore = (yield* storeEvents(events)).length
      const issued = yield* dossiers.issuePaperResult({ dossierId: "hs-p", documents: papers }, request(officer))
      expect(issued.state.dossier).toMatchObject({ status: "ResultIssued", resultForm: "Paper", results: [], paperResults: papers })
      expect((yield* storeEvents(events)).length).toBe(storeBefore)
      expect(dataOf(yield* events.readStream("Dossier-hs-p"), "PaperResultIssued")).toHaveLength(1)

      // a paper result is not digitised data: a later dossier cannot take it as an earlier result
      yield* dossiers.createDraft(draft({ dossierId: "hs-p2" }), request())
      const error = yield* refused(
        dossiers.referEarlierResult({ dossierId: "hs-p2", componentId: "giay-to-tuy-than", dossierNumber: number }, request())
      )
      expect(error._tag).toBe("EarlierResultNotUsable")
      expect(error.message).toContain("issued on paper")

      // the ledger counts it as a result, not an electronic one
      const ledger = yield* KpiLedger.fromStore()
      const totals = KpiLedger.sumFacts([...ledger.cells.values()].flatMap((days) => [...days.values()]))
      expect(totals).toMatchObject({ received: 1, resultsIssued: 0, paperResults: 1 })
    }).pipe(Effect.provide(makeLayer())))

  it.effect("supplements: the officer asks, the citizen replaces a component, the new document is used once", () =>
    Effect.gen(function*() {
      const { documents, dossiers } = yield* services
      yield* issueInto("xn-1", "marital")
      yield* dossiers.createDraft(draft(), request())
      yield* dossiers.matchComponents("hs-1", request())
      yield* uploadForm()
      yield* chooseOnline()
      const { number } = yield* dossiers.submit("hs-1", request())
      yield* dossiers.receive("hs-1", request(officer))
      yield* dossiers.requestSupplement({
        dossierId: "hs-1",
        reason: "Bổ sung Thẻ căn cước công dân",
        componentIds: ["giay-to-tuy-than"]
      }, request(officer))
      const incomplete = yield* refused(dossiers.provideSupplement("hs-1", request()))
      expect(incomplete._tag === "MissingComponents" && incomplete.missing.map((m) => m.componentId)).toEqual([
        "giay-to-tuy-than"
      ])
      yield* issueInto("cccd-1", "cccd")
      const step = yield* dossiers.matchComponents("hs-1", request())
      expect(step.autoAttached).toEqual([{ componentId: "giay-to-tuy-than", documentId: "cccd-1" }])
      expect(step.found).toBe(1)
      const provided = yield* dossiers.provideSupplement("hs-1", request())
      expect(provided.state.dossier?.status).toBe("Received")
      const store = yield* documents.load(ownerId, { actor: owner })
      expect(store.documents.get("cccd-1")?.uses.map((u) => [u.dossierNumber, u.componentId])).toEqual([
        [number, "giay-to-tuy-than"]
      ])
      expect(store.documents.get("xn-1")?.uses).toHaveLength(1)
    }).pipe(Effect.provide(makeLayer())))

  it.effect("a crash between submission and numbering is repaired by submitting again", () =>
    Effect.gen(function*() {
      const { documents, dossiers, events } = yield* services
      yield* issueInto("cccd-1", "cccd")
      yield* dossiers.createDraft(draft(), request())
      yield* dossiers.matchComponents("hs-1", request())
      yield* uploadForm()
      yield* chooseOnline()
      // the Submit command alone, as if the process died right after appending it
      yield* CommandHandler.handle(
        Dossier.decider,
        "hs-1",
        { _tag: "Submit", dossierId: "hs-1", actor: owner, at: "2024-03-20T01:15:00.000Z" },
        { actor: owner, commandId: "crashed", correlationId: "crashed", causationId: null }
      )
      expect((yield* dossiers.load("hs-1", owner)).dossier).toMatchObject({ status: "Submitted", number: null })
      const { number } = yield* dossiers.submit("hs-1", request())
      expect(number).toBe("000.20.33.H08-240320-0001")
      const types = (yield* events.readStream("Dossier-hs-1")).map((e) => e.type)
      expect(types.filter((t) => t === "DossierSubmitted" || t === "DossierNumberAssigned")).toEqual([
        "DossierSubmitted",
        "DossierNumberAssigned"
      ])
      expect((yield* documents.load(ownerId, { actor: owner })).documents.get("cccd-1")?.uses).toHaveLength(1)
    }).pipe(Effect.provide(makeLayer())))

  describe("rejections append nothing", () => {
    it.effect("drafts: unknown procedure or case, a stranger, an officer online", () =>
      Effect.gen(function*() {
        const { dossiers } = yield* services
        const unknownProcedure = yield* refused(dossiers.createDraft(draft({ procedureCode: "1.999999" }), request()))
        expect(unknownProcedure.message).toContain("not in the procedure catalog")
        const unknownCase = yield* refused(dossiers.createDraft(draft({ caseId: "nhanh" }), request()))
        expect(unknownCase.message).toContain("khong-xac-minh, can-xac-minh")
        expect((yield* refused(dossiers.createDraft(draft(), request(stranger))))._tag).toBe("DossierForbidden")
        expect((yield* refused(dossiers.createDraft(draft(), request(officer))))._tag).toBe("DossierForbidden")
      }).pipe(Effect.provide(makeLayer())))

    it.effect("lookups: only the owner or the deciding agency looks into the store", () =>
      Effect.gen(function*() {
        const { dossiers } = yield* services
        yield* issueInto("cccd-1", "cccd")
        const submitterId = "052190001234"
        yield* dossiers.createDraft(draft({ submitter: { personalId: submitterId } }), request())
        for (const actor of [stranger, otherOfficer, { _tag: "Citizen" as const, personalId: submitterId }]) {
          expect((yield* refused(dossiers.matchComponents("hs-1", request(actor))))._tag).toBe("DossierForbidden")
        }
        expect((yield* refused(dossiers.lookup("hs-9", request())))._tag).toBe("DossierNotFound")
        expect((yield* refused(dossiers.lookup("hs-1", request(), ["so-ho-khau"])))._tag).toBe("InvalidDossier")
        // an officer of the deciding agency may look, but not edit an online dossier
        const looked = yield* dossiers.lookup("hs-1", request(officer))
        expect(looked.found).toBe(1)
        expect((yield* refused(dossiers.upload({
          dossierId: "hs-1",
          componentId: "to-khai",
          bytes: pdf("x"),
          fileName: "x.pdf",
          mediaType: "application/pdf"
        }, request(officer))))._tag).toBe("DossierForbidden")
      }).pipe(Effect.provide(makeLayer())))

    it.effect("reads: a dossier for its owner, the deciding agency and an auditor; the store for an officer only through a dossier, recorded", () =>
      Effect.gen(function*() {
        const { dossiers, documents, events } = yield* services
        yield* issueInto("cccd-1", "cccd")
        yield* dossiers.createDraft(draft(), request())
        for (const actor of [owner, officer, auditor]) {
          expect((yield* dossiers.load("hs-1", actor)).dossier?.id).toBe("hs-1")
        }
        // a refused read looks exactly like a missing dossier
        const missing = yield* refused(dossiers.load("hs-404", stranger))
        for (const actor of [stranger, otherOfficer]) {
          const error = yield* refused(dossiers.load("hs-1", actor))
          expect(error._tag).toBe("DossierNotFound")
          expect(error.message).toBe(missing.message.replace("hs-404", "hs-1"))
        }
        // an officer of another agency, or without a dossier, may not read the store
        expect((yield* refused(documents.load(ownerId, { actor: otherOfficer, dossierId: "hs-1" })))._tag).toBe("Forbidden")
        expect((yield* refused(documents.load(ownerId, { actor: officer })))._tag).toBe("Forbidden")
        // a dossier of another owner does not open this store
        expect((yield* refused(documents.load(otherOwner, { actor: officer, dossierId: "hs-1" })))._tag).toBe("Forbidden")
        const before = (yield* storeEvents(events)).length
        const store = yield* documents.load(ownerId, { actor: officer, dossierId: "hs-1" })
        expect(store.documents.has("cccd-1")).toBe(true)
        const log = yield* storeEvents(events)
        expect(log.length).toBe(before + 1)
        expect(log.at(-1)?.data).toMatchObject({
          _tag: "StoreAccessed",
          accessor: officer,
          procedure: "1.000894",
          channel: "counter",
          found: 1
        })
      }).pipe(Effect.provide(makeLayer())))

    it.effect("uploads follow the store's file rules: size, media type, %PDF- magic", () =>
      Effect.gen(function*() {
        const { dossiers } = yield* services
        yield* dossiers.createDraft(draft(), request())
        const file = (bytes: Uint8Array, mediaType = "application/pdf") =>
          dossiers.upload({ dossierId: "hs-1", componentId: "to-khai", bytes, fileName: "to-khai.pdf", mediaType }, request())
        const reasons: Array<string> = []
        for (const attempt of [file(pdf("x".repeat(200))), file(pdf("x"), "text/plain"), file(new TextEncoder().encode("<html>"))]) {
          const error = yield* refused(attempt)
          reasons.push(error._tag === "InvalidDocument" ? error.reason : error._tag)
        }
        expect(reasons).toEqual(["FileTooLarge", "UnsupportedMediaType", "NotPdf"])
      }).pipe(Effect.provide(makeLayer(eventStoreMemory, { maxFileBytes: 100 }))))

    it.effect("roles: an officer without the role to receive or to scan is refused", () =>
      Effect.gen(function*() {
        const { dossiers } = yield* services
        const clerk: Actor = { _tag: "Officer", officerId: "cb-002", agencyCode, roles: ["issue"] }
        yield* issueInto("cccd-1", "cccd")
        yield* issueInto("xn-1", "marital")
        yield* dossiers.createDraft(draft(), request())
        yield* dossiers.matchComponents("hs-1", request())
        yield* uploadForm()
        yield* chooseOnline()
        yield* dossiers.submit("hs-1", request())
        const error = yield* refused(dossiers.receive("hs-1", request(clerk)))
        expect(error.message).toContain("receive")
        yield* dossiers.receive("hs-1", request(officer))
      }).pipe(Effect.provide(makeLayer())))

    it.effect("submission: every missing mandatory component listed; no methods; documents no longer usable", () =>
      Effect.gen(function*() {
        const { dossiers, documents } = yield* services
        yield* dossiers.createDraft(draft({ procedureCode: "1.001193", caseId: "dung-han" }), request())
        const missing = yield* refused(dossiers.submit("hs-1", request()))
        expect(missing._tag === "MissingComponents" && missing.missing.map((m) => m.componentId)).toEqual([
          "to-khai",
          "giay-chung-sinh"
        ])

        yield* issueInto("cccd-1", "cccd")
        yield* dossiers.createDraft(draft({ dossierId: "hs-2" }), request())
        yield* dossiers.matchComponents("hs-2", request())
        yield* uploadForm("hs-2")
        const noMethods = yield* refused(dossiers.submit("hs-2", request()))
        expect(noMethods._tag === "InvalidDossier" && noMethods.reason).toBe("NoMethods")
        yield* chooseOnline("hs-2")
        yield* documents.execute({ _tag: "HideDocument", ownerId, documentId: "cccd-1" }, request())
        const hidden = yield* refused(dossiers.submit("hs-2", request()))
        expect(hidden._tag === "AttachmentNotUsable" && hidden.problems).toEqual([
          { componentId: "giay-to-tuy-than", documentId: "cccd-1", reason: "its owner hid it" }
        ])
        expect((yield* refused(dossiers.submit("hs-2", request(stranger))))._tag).toBe("DossierForbidden")
      }).pipe(Effect.provide(makeLayer())))

    it.effect("officer side: another agency, no reason, wrong status", () =>
      Effect.gen(function*() {
        const { dossiers } = yield* services
        yield* dossiers.createDraft(draft(), request())
        expect((yield* refused(dossiers.receive("hs-1", request(officer))))._tag).toBe("IllegalDossierState")
        yield* uploadForm()
        yield* chooseOnline()
        yield* dossiers.submit("hs-1", request())
        for (const actor of [otherOfficer, owner]) {
          expect((yield* refused(dossiers.receive("hs-1", request(actor))))._tag).toBe("DossierForbidden")
          expect((yield* refused(dossiers.reject({ dossierId: "hs-1", reason: "x" }, request(actor))))._tag).toBe(
            "DossierForbidden"
          )
        }
        expect((yield* refused(dossiers.reject({ dossierId: "hs-1", reason: " " }, request(officer))))._tag).toBe(
          "InvalidDossier"
        )
        const rejected = yield* dossiers.reject({ dossierId: "hs-1", reason: "Không thuộc thẩm quyền" }, request(officer))
        expect(rejected.state.dossier).toMatchObject({ status: "Rejected", rejection: "Không thuộc thẩm quyền" })
        expect((yield* refused(dossiers.receive("hs-1", request(officer))))._tag).toBe("IllegalDossierState")
        expect((yield* refused(dossiers.requestSupplement(
          { dossierId: "hs-1", reason: "x", componentIds: [] },
          request(officer)
        )))._tag).toBe("IllegalDossierState")
      }).pipe(Effect.provide(makeLayer())))
  })

  const conflicts = { count: 0 }
  it.effect("numbers 50 concurrent submissions to one agency 0001..0050, with no gap and no duplicate", () =>
    Effect.gen(function*() {
      const { dossiers, events } = yield* services
      const ids = Array.from({ length: 50 }, (_, i) => `hs-${String(i).padStart(2, "0")}`)
      for (const id of ids) {
        yield* dossiers.createDraft(draft({ dossierId: id }), request())
        yield* uploadForm(id)
        yield* chooseOnline(id)
      }
      const submitted = yield* Effect.forEach(ids, (id) => dossiers.submit(id, request()), { concurrency: "unbounded" })
      const sequences = submitted.map((s) => DossierNumber.decode(s.number).sequence).sort((a, b) => a - b)
      expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
      expect(new Set(submitted.map((s) => s.number)).size).toBe(50)
      expect(conflicts.count).toBeGreaterThan(0)
      // each dossier holds the number the numbering stream gave it
      for (const s of submitted) {
        const holder = yield* DossierNumbering.resolve(s.number)
        expect(holder._tag === "Some" && holder.value).toBe(s.dossier.id)
        const numbered = dataOf<{ number: string }>(yield* events.readStream(`Dossier-${s.dossier.id}`), "DossierNumberAssigned")
        expect(numbered.map((e) => e.number)).toEqual([s.number])
      }
    }).pipe(Effect.provide(makeLayer(interleavedEventStore(conflicts)))))
})
