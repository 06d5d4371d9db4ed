/**
 * DESIGN.md §3: a component's eligible documents are those whose category/result type it accepts,
 * with a valid signature, not revoked or superseded, not under an open complaint, and still valid for
 * that procedure. The same rules hold for an earlier dossier's result (`referEarlierResult`) and, at
 * submission, for every document taken from the store in the draft.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import type { Actor } from "../src/Actor.ts"
import * as ComplaintService from "../src/ComplaintService.ts"
import * as DocumentStoreService from "../src/DocumentStoreService.ts"
import * as Dossier from "../src/Dossier.ts"
import * as DossierService from "../src/DossierService.ts"
import * as Matching from "../src/Matching.ts"
import { pdf, resultInput } from "./utils/documentFixtures.ts"
import { agencyCode, declarationUpload, draft, morning, owner, ownerId } from "./utils/dossierFixtures.ts"
import { memoryServices, numberedRequests, refused } from "./utils/services.ts"

const officer: Actor = {
  _tag: "Officer",
  officerId: "cb-001",
  agencyCode,
  roles: ["receive", "digitise", "issue", "certify", "handle-complaints"]
}
const police: Actor = { _tag: "Officer", officerId: "ca-01", agencyCode: "000.00.16.H08", roles: ["issue"] }

const request = numberedRequests("reuse")

const certifiedCopy = (documentId: string, issuedAt = "2024-03-15"): DossierService.ResultInput => ({
  documentId,
  kind: "CertifiedCopy",
  bytes: pdf(`bản sao ${documentId}`),
  fileName: `${documentId}.pdf`,
  mediaType: "application/pdf",
  type: "CertifiedCopy",
  category: "ban-sao-chung-thuc",
  name: "Bản sao được chứng thực từ bản chính",
  resultType: "KQ.G15.000021",
  issuedAt
})

const maritalResult = (documentId: string, issuedAt = "2024-03-15"): DossierService.ResultInput => ({
  documentId,
  kind: "Result",
  bytes: pdf(`xác nhận ${documentId}`),
  fileName: `${documentId}.pdf`,
  mediaType: "application/pdf",
  type: "ProcedureResult",
  category: "xac-nhan-tinh-trang-hon-nhan",
  name: "Giấy xác nhận tình trạng hôn nhân",
  resultType: null,
  issuedAt
})

const share = (documentId: string) =>
  Effect.flatMap(DocumentStoreService.DocumentStoreService, (documents) =>
    documents.execute({ _tag: "ShareDocument", ownerId, documentId }, request()))

/** An earlier dossier of the owner, submitted, received and closed with `results`; its number. */
const earlierDossier = (
  dossierId: string,
  procedure: { readonly procedureCode: string; readonly caseId: string; readonly componentId: string },
  results: ReadonlyArray<DossierService.ResultInput>
) =>
  Effect.gen(function*() {
    const dossiers = yield* DossierService.DossierService
    yield* dossiers.createDraft(draft({ dossierId, procedureCode: procedure.procedureCode, caseId: procedure.caseId }), request())
    yield* dossiers.upload({
      dossierId,
      componentId: procedure.componentId,
      bytes: pdf(`${dossierId} ${procedure.componentId}`),
      fileName: "to-khai.pdf",
      mediaType: "application/pdf"
    }, request())
    yield* dossiers.chooseMethods({ dossierId, submission: "Online", receipt: "AtCommuneOffice" }, request())
    const { number } = yield* dossiers.submit(dossierId, request())
    yield* dossiers.receive(dossierId, request(officer))
    yield* dossiers.issueResult({ dossierId, documents: results }, request(officer))
    return number
  })

const certification = { procedureCode: "2.000815", caseId: "trong-ngay", componentId: "ban-chinh" }
const maritalStatus = { procedureCode: "1.004873", caseId: "thong-thuong", componentId: "to-khai" }

/** An electronic result issued into the owner's store and shared. */
const issueShared = (documentId: string, kind: "cccd" | "marital", issuedAt: string) =>
  Effect.gen(function*() {
    const documents = yield* DocumentStoreService.DocumentStoreService
    yield* documents.issue(resultInput(documentId, kind, { issuedAt }), request(kind === "cccd" ? police : officer))
    yield* share(documentId)
  })

const uploadForm = (dossierId: string) =>
  Effect.flatMap(DossierService.DossierService, (dossiers) =>
    dossiers.upload(declarationUpload(dossierId), request()))

const chooseOnline = (dossierId: string) =>
  Effect.flatMap(DossierService.DossierService, (dossiers) =>
    dossiers.chooseMethods({ dossierId, submission: "Online", receipt: "AtCommuneOffice" }, request()))


const en = (reason: Matching.ExclusionReason) => Matching.message(reason).en

describe("reuse rules", () => {
  describe("an earlier dossier's result is matched like a document picked from the store", () => {
    it.effect("refused for a component not taken from a store (the declaration)", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(morning)
        const dossiers = yield* DossierService.DossierService
        const number = yield* earlierDossier("hs-cc", certification, [certifiedCopy("bs-1")])
        yield* dossiers.createDraft(draft({ dossierId: "hs-2" }), request())
        const error = yield* refused(
          dossiers.referEarlierResult({ dossierId: "hs-2", componentId: "to-khai", dossierNumber: number }, request())
        )
        expect(error._tag).toBe("EarlierResultNotUsable")
        expect(error.message).toContain("not taken from a store")
      }).pipe(Effect.provide(memoryServices())))

    it.effect("refused for a component whose category the result does not have, with matching's reasons", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(morning)
        const dossiers = yield* DossierService.DossierService
        const number = yield* earlierDossier("hs-cc", certification, [certifiedCopy("bs-1")])
        yield* share("bs-1")
        yield* dossiers.createDraft(draft({ dossierId: "hs-2" }), request())
        const notAccepted = en({ _tag: "CategoryNotAccepted", category: "ban-sao-chung-thuc", resultType: "KQ.G15.000021" })
        for (const componentId of ["xac-nhan-tinh-trang-hon-nhan", "giay-to-tuy-than"]) {
          const error = yield* refused(
            dossiers.referEarlierResult({ dossierId: "hs-2", componentId, dossierNumber: number }, request())
          )
          if (error._tag !== "EarlierResultNotUsable") return expect.fail(`expected EarlierResultNotUsable, got ${error._tag}`)
          expect(error.reasons).toHaveLength(1)
          expect(error.reasons[0]!.startsWith(`bs-1: ${notAccepted}`)).toBe(true)
          expect(error.message).toContain(notAccepted)
        }
      }).pipe(Effect.provide(memoryServices())))

    it.effect("refused when the result was superseded after a complaint", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(morning)
        const dossiers = yield* DossierService.DossierService
        const complaints = yield* ComplaintService.ComplaintService
        const number = yield* earlierDossier("hs-xn", maritalStatus, [maritalResult("xn-1")])
        yield* share("xn-1")
        yield* complaints.file(
          { complaintId: "pa-1", ownerId, documentId: "xn-1", reason: "WrongCitizenInformation" },
          request()
        )
        yield* complaints.acknowledge({ complaintId: "pa-1" }, request(officer))
        yield* complaints.resolveByCorrection({
          complaintId: "pa-1",
          resolution: "Đã sửa ngày sinh",
          replacement: maritalResult("xn-2", "2024-03-18")
        }, request(officer))
        yield* dossiers.createDraft(draft({ dossierId: "hs-2" }), request())
        const error = yield* refused(
          dossiers.referEarlierResult(
            { dossierId: "hs-2", componentId: "xac-nhan-tinh-trang-hon-nhan", dossierNumber: number },
            request()
          )
        )
        expect(error._tag).toBe("EarlierResultNotUsable")
        expect(error.message).toContain("superseded by xn-2")
      }).pipe(Effect.provide(memoryServices())))

    it.effect("accepted for a component that takes the result's category: the eligible result document is recorded", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(morning)
        const dossiers = yield* DossierService.DossierService
        // the earlier dossier issued two documents; only the second suits the marital-status component
        const number = yield* earlierDossier("hs-xn", maritalStatus, [certifiedCopy("bs-1"), maritalResult("xn-1")])
        yield* share("xn-1")
        yield* dossiers.createDraft(draft({ dossierId: "hs-2" }), request())
        const referred = yield* dossiers.referEarlierResult(
          { dossierId: "hs-2", componentId: "xac-nhan-tinh-trang-hon-nhan", dossierNumber: number },
          request()
        )
        const source = referred.state.dossier?.components.get("xac-nhan-tinh-trang-hon-nhan")
        expect(source).toEqual({ _tag: "EarlierResult", dossierNumber: number, dossierId: "hs-xn", documentId: "xn-1" })
        expect(Dossier.reuseOf(source!)).toBe("EarlierDossier")
        yield* uploadForm("hs-2")
        yield* chooseOnline("hs-2")
        const submitted = yield* dossiers.submit("hs-2", request())
        expect(submitted.dossier.status).toBe("Submitted")
      }).pipe(Effect.provide(memoryServices())))
  })

  describe("submission re-checks what was taken from the store in the draft", () => {
    it.effect("a document unshared and retired by a newer one since it was attached is refused, with the reasons", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(morning)
        const dossiers = yield* DossierService.DossierService
        const documents = yield* DocumentStoreService.DocumentStoreService
        yield* issueShared("xn-old", "marital", "2024-02-01")
        yield* dossiers.createDraft(draft(), request())
        const prepared = yield* dossiers.matchComponents("hs-1", request())
        expect(prepared.autoAttached).toEqual([{ componentId: "xac-nhan-tinh-trang-hon-nhan", documentId: "xn-old" }])
        // the status changed: a newer certificate, and the owner stops sharing the old one
        yield* issueShared("xn-new", "marital", "2024-03-18")
        yield* documents.execute({ _tag: "UnshareDocument", ownerId, documentId: "xn-old" }, request())
        yield* uploadForm("hs-1")
        yield* chooseOnline("hs-1")
        const error = yield* refused(dossiers.submit("hs-1", request()))
        if (error._tag !== "AttachmentNotUsable") return expect.fail(`expected AttachmentNotUsable, got ${error._tag}`)
        expect(error.problems.map((p) => [p.componentId, p.documentId])).toEqual([["xac-nhan-tinh-trang-hon-nhan", "xn-old"]])
        expect(error.problems[0]!.reason).toContain(en({ _tag: "NotShared" }))
        expect(error.problems[0]!.reason).toContain("xn-new")
        const stored = (yield* documents.load(ownerId, { actor: owner })).documents.get("xn-old")
        expect(stored?.uses).toEqual([])

        // replaced by the current certificate, the dossier goes out and that one is used
        yield* dossiers.detach({ dossierId: "hs-1", componentId: "xac-nhan-tinh-trang-hon-nhan" }, request())
        yield* dossiers.pick(
          { dossierId: "hs-1", componentId: "xac-nhan-tinh-trang-hon-nhan", documentId: "xn-new" },
          request()
        )
        const { number } = yield* dossiers.submit("hs-1", request())
        const after = yield* documents.load(ownerId, { actor: owner })
        expect(after.documents.get("xn-new")?.uses.map((u) => [u.dossierNumber, u.componentId])).toEqual([
          [number, "xac-nhan-tinh-trang-hon-nhan"]
        ])
      }).pipe(Effect.provide(memoryServices())))

    it.effect("an earlier result under complaint since it was referred to is refused at submission", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(morning)
        const dossiers = yield* DossierService.DossierService
        const complaints = yield* ComplaintService.ComplaintService
        const number = yield* earlierDossier("hs-xn", maritalStatus, [maritalResult("xn-1")])
        yield* share("xn-1")
        yield* dossiers.createDraft(draft({ dossierId: "hs-2" }), request())
        yield* dossiers.referEarlierResult(
          { dossierId: "hs-2", componentId: "xac-nhan-tinh-trang-hon-nhan", dossierNumber: number },
          request()
        )
        yield* complaints.file(
          { complaintId: "pa-1", ownerId, documentId: "xn-1", reason: "WrongCitizenInformation" },
          request()
        )
        yield* uploadForm("hs-2")
        yield* chooseOnline("hs-2")
        const error = yield* refused(dossiers.submit("hs-2", request()))
        expect(error._tag === "AttachmentNotUsable" && error.problems.map((p) => [p.componentId, p.documentId])).toEqual([
          ["xac-nhan-tinh-trang-hon-nhan", "xn-1"]
        ])
      }).pipe(Effect.provide(memoryServices())))

    it.effect("the legitimate flows still work: auto-attach and pick, then submission records one use each", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(morning)
        const dossiers = yield* DossierService.DossierService
        const documents = yield* DocumentStoreService.DocumentStoreService
        yield* issueShared("xn-1", "marital", "2024-02-01")
        yield* issueShared("cccd-1", "cccd", "2021-05-10")
        yield* issueShared("cccd-2", "cccd", "2023-05-10")
        yield* dossiers.createDraft(draft(), request())
        const prepared = yield* dossiers.matchComponents("hs-1", request())
        expect(prepared.autoAttached).toEqual([{ componentId: "xac-nhan-tinh-trang-hon-nhan", documentId: "xn-1" }])
        const idCard = prepared.components.find((c) => c.componentId === "giay-to-tuy-than")
        expect(idCard?.outcome?._tag).toBe("Suggest")
        yield* dossiers.pick({ dossierId: "hs-1", componentId: "giay-to-tuy-than", documentId: "cccd-1" }, request())
        yield* uploadForm("hs-1")
        yield* chooseOnline("hs-1")
        const { number } = yield* dossiers.submit("hs-1", request())
        const store = yield* documents.load(ownerId, { actor: owner })
        expect(store.documents.get("xn-1")?.uses.map((u) => [u.dossierNumber, u.componentId])).toEqual([
          [number, "xac-nhan-tinh-trang-hon-nhan"]
        ])
        expect(store.documents.get("cccd-1")?.uses.map((u) => [u.dossierNumber, u.componentId])).toEqual([
          [number, "giay-to-tuy-than"]
        ])
      }).pipe(Effect.provide(memoryServices())))
  })
})
