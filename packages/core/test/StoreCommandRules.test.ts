/**
 * The store commands that belong to another flow cannot be sent around it: a flag and an unflag follow
 * their complaint (DESIGN.md §3: usable documents are "not under an open complaint"), and a use (Số lần
 * sử dụng) follows the dossier that attaches the document. Refusals are `DocumentStoreForbidden`,
 * name the rule and no personal id, and append nothing.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import { TestClock } from "effect/testing"
import type { Actor } from "../src/Actor.ts"
import * as ComplaintService from "../src/ComplaintService.ts"
import * as DocumentStore from "../src/DocumentStore.ts"
import * as DocumentStoreService from "../src/DocumentStoreService.ts"
import * as DossierService from "../src/DossierService.ts"
import { EventStore } from "../src/EventStore.ts"
import * as FileStore from "../src/FileStore.ts"
import { idCard, justiceAgency, officer, owner, ownerId, passed, pdf } from "./utils/documentFixtures.ts"
import { declarationUpload } from "./utils/dossierFixtures.ts"
import { memoryServices, numberedRequests } from "./utils/services.ts"

const layer = memoryServices()

/** Wednesday 20/03/2024, 09:00 in An Lão. */
const march20 = Date.parse("2024-03-20T02:00:00.000Z")

const police: Actor = { _tag: "Officer", officerId: "ca-01", agencyCode: "000.00.16.H08", roles: ["issue", "handle-complaints"] }
const unrelated: Actor = { _tag: "Officer", officerId: "x-9", agencyCode: "000.00.99.H08", roles: [] }
const engine: Actor = { _tag: "System", component: "test" }

const request = numberedRequests("rules")

/** The police issue a citizen ID card into the owner's store; the owner shares it. */
const issueIdCard = Effect.gen(function*() {
  yield* TestClock.setTime(march20)
  const service = yield* DocumentStoreService.DocumentStoreService
  yield* service.issue(idCard("cccd-1", "CCCD Nguyễn Văn An"), request(police))
  yield* service.execute({ _tag: "ShareDocument", ownerId, documentId: "cccd-1" }, request(owner))
  return service
})

const fileComplaint = Effect.gen(function*() {
  const complaints = yield* ComplaintService.ComplaintService
  yield* complaints.file(
    { complaintId: "pa-1", ownerId, documentId: "cccd-1", reason: "WrongCitizenInformation" },
    request(owner)
  )
  return complaints
})

const openComplaints = (service: DocumentStoreService.DocumentStoreService["Service"]) =>
  Effect.map(service.load(ownerId, { actor: owner }), (state) => state.documents.get("cccd-1")?.openComplaints)

/** The refusal names the rule, carries no personal id, and nothing was appended. */
const refusedByRule = (error: { readonly _tag: string; readonly message: string }, rule: string) => {
  assert.strictEqual(error._tag, "DocumentStoreForbidden")
  expect(error.message).toContain(rule)
  expect(error.message).not.toContain(ownerId)
}

const usesOf = (service: DocumentStoreService.DocumentStoreService["Service"]) =>
  Effect.map(service.load(ownerId, { actor: owner }), (state) => state.documents.get("cccd-1")?.uses ?? [])

/** A draft of procedure 1.000894 for the owner, matched (the ID card auto-attached) and submitted. */
const submitDossier = Effect.gen(function*() {
  const dossiers = yield* DossierService.DossierService
  yield* dossiers.createDraft({
    dossierId: "hs-1",
    procedureCode: "1.000894",
    caseId: "khong-xac-minh",
    agencyCode: justiceAgency,
    district: "binh-dinh.an-lao",
    commune: "binh-dinh.an-lao.an-hoa",
    channel: "online",
    submitter: { personalId: ownerId, name: "Nguyễn Văn An" },
    ownerId
  }, request(owner))
  const matched = yield* dossiers.matchComponents("hs-1", request(owner))
  assert.deepStrictEqual(matched.autoAttached.map((a) => a.documentId), ["cccd-1"])
  yield* dossiers.upload(declarationUpload(), request(owner))
  yield* dossiers.chooseMethods({ dossierId: "hs-1", submission: "Online", receipt: "AtCommuneOffice" }, request(owner))
  const { number } = yield* dossiers.submit("hs-1", request(owner))
  return { number, componentId: matched.autoAttached[0]!.componentId }
})

describe("StoreCommandRules: flags follow their complaint", () => {
  it.effect("the owner cannot unflag a document while its complaint is open; the rejection does", () =>
    Effect.gen(function*() {
      const service = yield* issueIdCard
      yield* fileComplaint
      const events = yield* EventStore
      const head = (yield* events.head).position
      const error = yield* Effect.flip(service.execute(
        { _tag: "UnflagDocument", ownerId, documentId: "cccd-1", complaintId: "pa-1" },
        request(owner)
      ))
      refusedByRule(error, "complaint pa-1 is still open (Filed): document cccd-1 stays flagged")
      assert.strictEqual((yield* events.head).position, head)
      assert.deepStrictEqual(yield* openComplaints(service), ["pa-1"])
      // the complaint flow still unflags: the police reject the complaint
      const complaints = yield* ComplaintService.ComplaintService
      yield* complaints.acknowledge({ complaintId: "pa-1" }, request(police))
      // acknowledged is still open
      const acknowledged = yield* Effect.flip(service.execute(
        { _tag: "UnflagDocument", ownerId, documentId: "cccd-1", complaintId: "pa-1" },
        request(police)
      ))
      refusedByRule(acknowledged, "complaint pa-1 is still open (Acknowledged)")
      yield* complaints.reject({ complaintId: "pa-1", reason: "Thông tin trên thẻ đúng với CSDL quốc gia" }, request(police))
      assert.deepStrictEqual(yield* openComplaints(service), [])
    }).pipe(Effect.provide(layer)))

  it.effect("the issuing agency cannot unflag around its own open complaint", () =>
    Effect.gen(function*() {
      const service = yield* issueIdCard
      yield* fileComplaint
      const error = yield* Effect.flip(service.execute(
        { _tag: "UnflagDocument", ownerId, documentId: "cccd-1", complaintId: "pa-1" },
        request(police)
      ))
      refusedByRule(error, "complaint pa-1 is still open (Filed)")
      assert.deepStrictEqual(yield* openComplaints(service), ["pa-1"])
    }).pipe(Effect.provide(layer)))

  it.effect("a flag without a filed complaint is refused", () =>
    Effect.gen(function*() {
      const service = yield* issueIdCard
      const error = yield* Effect.flip(service.execute(
        { _tag: "FlagDocument", ownerId, documentId: "cccd-1", complaintId: "pa-9" },
        request(owner)
      ))
      refusedByRule(error, "no complaint pa-9 was filed about document cccd-1")
      assert.deepStrictEqual(yield* openComplaints(service), [])
    }).pipe(Effect.provide(layer)))

  it("the decider: only the owner (filing) flags, only the issuing agency (closing) unflags, and the engine both", () => {
    const document = { ownerId, documentId: "cccd-1", at: "2024-03-20T02:00:00.000Z", complaintId: "pa-1" }
    const issued = DocumentStore.decide({
      _tag: "IssueDocument",
      ...document,
      actor: police,
      kind: "Result",
      code: null,
      resultType: "KQ.G01.000023",
      type: "ProcedureResult",
      category: "the-can-cuoc-cong-dan",
      name: "Thẻ căn cước công dân",
      ownerName: null,
      file: { sha256: FileStore.sha256(pdf("x")), size: 20, mediaType: "application/pdf", fileName: "x.pdf" },
      signature: passed(FileStore.sha256(pdf("x"))),
      identificationNumber: null,
      decisionNumber: null,
      summary: null,
      issuedAt: "2021-05-10",
      validity: { _tag: "NoExpiry", validFrom: null }
    }, DocumentStore.initialState)
    assert.isTrue(Result.isSuccess(issued))
    const state = Result.getOrThrow(issued).reduce(DocumentStore.evolve, DocumentStore.initialState)
    const flagged = Result.getOrThrow(DocumentStore.decide({ _tag: "FlagDocument", ...document, actor: owner }, state))
      .reduce(DocumentStore.evolve, state)
    const tagOf = (decision: DocumentStore.Decision) => Result.isFailure(decision) ? decision.failure._tag : "Success"
    expect(tagOf(DocumentStore.decide({ _tag: "FlagDocument", ...document, actor: police }, state))).toBe(
      "DocumentStoreForbidden"
    )
    expect(tagOf(DocumentStore.decide({ _tag: "FlagDocument", ...document, actor: engine }, state))).toBe("Success")
    expect(tagOf(DocumentStore.decide({ _tag: "UnflagDocument", ...document, actor: owner }, flagged))).toBe(
      "DocumentStoreForbidden"
    )
    expect(tagOf(DocumentStore.decide({ _tag: "UnflagDocument", ...document, actor: police }, flagged))).toBe("Success")
    expect(tagOf(DocumentStore.decide({ _tag: "UnflagDocument", ...document, actor: engine }, flagged))).toBe("Success")
  })
})

describe("StoreCommandRules: a use follows the dossier that attaches the document", () => {
  it.effect("an unrelated officer cannot count a use for a made-up dossier number", () =>
    Effect.gen(function*() {
      const service = yield* issueIdCard
      const events = yield* EventStore
      const head = (yield* events.head).position
      const error = yield* Effect.flip(service.execute({
        _tag: "RecordUse",
        ownerId,
        documentId: "cccd-1",
        dossierNumber: "000.00.99.H08-240320-0001",
        componentId: "x",
        procedure: "9.999"
      }, request(unrelated)))
      refusedByRule(error, "no dossier holds number 000.00.99.H08-240320-0001")
      assert.strictEqual((yield* events.head).position, head)
      assert.deepStrictEqual(yield* usesOf(service), [])
    }).pipe(Effect.provide(layer)))

  it.effect("submission counts the use once; a real number cannot count another component or document", () =>
    Effect.gen(function*() {
      const service = yield* issueIdCard
      const { componentId, number } = yield* submitDossier
      const counted = yield* usesOf(service)
      assert.deepStrictEqual(counted.map((u) => [u.dossierNumber, u.componentId]), [[number, componentId]])
      const use = { _tag: "RecordUse" as const, ownerId, documentId: "cccd-1", dossierNumber: number, procedure: "1.000894" }
      // the dossier's own agency, a component the dossier does not fill with this document
      const other = yield* Effect.flip(service.execute({ ...use, componentId: "to-khai" }, request(officer)))
      refusedByRule(other, `dossier ${number} does not attach document cccd-1 to component to-khai`)
      // an officer of another agency, even for the attached component
      const stranger = yield* Effect.flip(service.execute({ ...use, componentId }, request(unrelated)))
      refusedByRule(stranger, "a use is recorded only by the dossier that attaches the document")
      assert.deepStrictEqual(yield* usesOf(service), counted)
    }).pipe(Effect.provide(layer)))
})
