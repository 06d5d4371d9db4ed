/**
 * The complaint flows end to end on the in-memory event store: filing flags the document (and
 * matching excludes it), a correction supersedes it with a replacement in the owner's store, a
 * rejection unflags it, retries never act twice, and every forbidden path writes nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import type { Actor } from "../src/Actor.ts"
import * as CommandHandler from "../src/CommandHandler.ts"
import * as Complaint from "../src/Complaint.ts"
import * as ComplaintService from "../src/ComplaintService.ts"
import * as DocumentStoreService from "../src/DocumentStoreService.ts"
import { EventStore, layerMemory as eventStoreMemory } from "../src/EventStore.ts"
import * as FileStore from "../src/FileStore.ts"
import * as Matching from "../src/Matching.ts"
import * as Procedure from "../src/Procedure.ts"
import * as SignatureVerifier from "../src/SignatureVerifier.ts"
import { auditor, idCard, justiceAgency, officer, otherOfficer, owner, ownerId, passed, stranger } from "./utils/documentFixtures.ts"
import { refused } from "./utils/services.ts"

// -----------------------------------------------------------------------------------------------
// set-up
// -----------------------------------------------------------------------------------------------

const layer = ComplaintService.layer.pipe(
  Layer.provideMerge(DocumentStoreService.layer),
  Layer.provideMerge(
    Layer.mergeAll(
      eventStoreMemory,
      FileStore.layerMemory,
      SignatureVerifier.layerTest((bytes) => passed(FileStore.sha256(bytes)))
    )
  )
)

/** Wednesday 07/02/2024, 09:00 in An Lão: the day before Tết. */
const beforeTet = Date.parse("2024-02-07T02:00:00.000Z")
const day = 24 * 60 * 60 * 1000

const pdf = (text: string): Uint8Array => new TextEncoder().encode(`%PDF-1.7\n${text}\n%%EOF\n`)
let n = 0
const request = (actor: Actor) => ({ actor, commandId: `cmd-${++n}`, correlationId: `corr-${n}` })

const services = Effect.gen(function*() {
  yield* TestClock.setTime(beforeTet)
  return {
    complaints: yield* ComplaintService.ComplaintService,
    documents: yield* DocumentStoreService.DocumentStoreService,
    events: yield* EventStore
  }
})

/** The police issue a citizen ID card (a result) into the owner's store; the owner shares it. */
const issueIdCard = (documentId = "kq-1", text = "CCCD Nguyễn Văn An, sinh 02/02/1991") =>
  Effect.gen(function*() {
    const documents = yield* DocumentStoreService.DocumentStoreService
    yield* documents.issue(idCard(documentId, text), request(officer))
    yield* documents.execute({ _tag: "ShareDocument", ownerId, documentId }, request(owner))
  })

const fileInput = (overrides: Partial<ComplaintService.FileInput> = {}): ComplaintService.FileInput => ({
  complaintId: "pa-1",
  ownerId,
  documentId: "kq-1",
  reason: "WrongCitizenInformation",
  comment: "Ngày sinh đúng là 02/02/1990",
  ...overrides
})

const correction = (overrides: Partial<ComplaintService.CorrectionInput> = {}): ComplaintService.CorrectionInput => {
  const { ownerId: _owner, ...replacement } = idCard("kq-2", "CCCD Nguyễn Văn An, sinh 02/02/1990")
  return { complaintId: "pa-1", resolution: "Cấp lại với ngày sinh đúng", replacement, ...overrides }
}

const documentIn = (documentId: string) =>
  Effect.gen(function*() {
    const documents = yield* DocumentStoreService.DocumentStoreService
    const document = (yield* documents.load(ownerId, { actor: owner })).documents.get(documentId)
    if (document === undefined) throw new Error(`no document ${documentId}`)
    return document
  })

const storeTypes = Effect.gen(function*() {
  const events = yield* EventStore
  return (yield* events.readStream(`DocumentStore-${ownerId}`)).map((e) => e.type)
})


/** The ID-card component of marriage registration, matched against the owner's store. */
const matchIdCard = Effect.gen(function*() {
  const documents = yield* DocumentStoreService.DocumentStoreService
  const procedure = Procedure.defaultCatalog.get("1.000894")!
  return Matching.match({
    procedure,
    requirement: Procedure.requirement(procedure, "giay-to-tuy-than")!,
    ownerId,
    asOf: "2024-02-07T02:00:00.000Z",
    documents: [...(yield* documents.load(ownerId, { actor: owner })).documents.values()]
  })
})

// -----------------------------------------------------------------------------------------------
// the flows
// -----------------------------------------------------------------------------------------------

describe("ComplaintService", () => {
  it.effect("filing routes the complaint to the issuer and flags the document, which matching then excludes", () =>
    Effect.gen(function*() {
      const { complaints, events } = yield* services
      yield* issueIdCard()
      expect((yield* matchIdCard)._tag).toBe("AutoAttach")

      const outcome = yield* complaints.file(fileInput(), { actor: owner })
      expect(outcome.alreadyAppended).toBe(false)
      expect(outcome.events.map((e) => e._tag)).toEqual(["ComplaintFiled"])
      expect(outcome.complaint).toMatchObject({
        agencyCode: justiceAgency,
        status: { _tag: "Filed" },
        filedAt: "2024-02-07T02:00:00.000Z",
        rejectWithinWorkingDays: 2,
        handleWithinWorkingDays: 15
      })
      expect((yield* documentIn("kq-1")).openComplaints).toEqual(["pa-1"])

      const match = yield* matchIdCard
      expect(match._tag).toBe("None")
      expect(match.excluded[0]?.reasons).toContainEqual({ _tag: "ComplaintOpen", complaintIds: ["pa-1"] })

      const stream = yield* events.readStream("Complaint-pa-1")
      expect(stream.map((e) => [e.type, e.commandId])).toEqual([["ComplaintFiled", "Complaint-pa-1/file"]])
      const flag = (yield* events.readStream(`DocumentStore-${ownerId}`)).find((e) => e.type === "DocumentFlagged")
      expect(flag).toMatchObject({ commandId: "Complaint-pa-1/flag", causationId: "Complaint-pa-1/file", actor: owner })
    }).pipe(Effect.provide(layer)))

  it.effect("correction: the replacement enters the store, the old document is superseded and unflagged", () =>
    Effect.gen(function*() {
      const { complaints } = yield* services
      yield* issueIdCard()
      yield* complaints.file(fileInput(), { actor: owner })
      yield* TestClock.adjust(day)
      const acknowledged = yield* complaints.acknowledge({ complaintId: "pa-1", note: "Đang kiểm tra" }, { actor: officer })
      expect(acknowledged.complaint.status._tag).toBe("Acknowledged")

      const outcome = yield* complaints.resolveByCorrection(correction(), { actor: officer })
      expect(outcome.events.map((e) => e._tag)).toEqual(["ComplaintResolved"])
      expect(outcome.complaint.status).toMatchObject({ _tag: "Resolved", replacementId: "kq-2" })

      const old = yield* documentIn("kq-1")
      expect(old.status).toMatchObject({ _tag: "Superseded", replacementId: "kq-2", agencyCode: justiceAgency })
      expect(old.openComplaints).toEqual([])
      const replacement = yield* documentIn("kq-2")
      expect(replacement.status).toEqual({ _tag: "Active" })
      expect(replacement.provenance).toMatchObject({ _tag: "Issued", agencyCode: justiceAgency })
      expect(yield* storeTypes).toEqual([
        "DocumentIssued",
        "DocumentShared",
        "DocumentFlagged",
        "DocumentIssued",
        "DocumentSuperseded",
        "DocumentUnflagged"
      ])
      // the old document is never matched again (superseded); the replacement is eligible once shared
      const match = yield* matchIdCard
      expect(match.eligible.map((d) => d.id)).not.toContain("kq-1")
      const excludedOld = match.excluded.find((e) => e.document.id === "kq-1")
      expect(excludedOld?.reasons.map((r) => r._tag)).toEqual(["Superseded"])

      const view = yield* complaints.get("pa-1", owner)
      expect(view.status.vi).toBe("Đã cập nhật lại kết quả điện tử vào kho")
      expect(view.deadlines).toMatchObject({ rejectDue: "2024-02-16", handleDue: "2024-03-06", outcome: "Resolved" })
    }).pipe(Effect.provide(layer)))

  it.effect("retries never act twice, whatever the caller passes again", () =>
    Effect.gen(function*() {
      const { complaints, events } = yield* services
      yield* issueIdCard()
      yield* complaints.file(fileInput(), { actor: owner })
      const afterFiling = (yield* events.head).position
      const again = yield* complaints.file(fileInput(), { actor: owner })
      expect(again.alreadyAppended).toBe(true)
      expect(again.events).toEqual([])
      expect((yield* events.head).position).toBe(afterFiling)

      yield* complaints.acknowledge({ complaintId: "pa-1" }, { actor: officer })
      yield* complaints.acknowledge({ complaintId: "pa-1" }, { actor: officer })
      yield* complaints.resolveByCorrection(correction(), { actor: officer })
      const afterResolving = (yield* events.head).position
      const retried = yield* complaints.resolveByCorrection(correction(), { actor: officer })
      expect(retried.alreadyAppended).toBe(true)
      expect((yield* events.head).position).toBe(afterResolving)
      expect((yield* storeTypes).filter((t) => t === "DocumentIssued")).toHaveLength(2)
    }).pipe(Effect.provide(layer)))

  it.effect("a retry completes a flow that stopped half-way", () =>
    Effect.gen(function*() {
      const { complaints, documents } = yield* services
      yield* issueIdCard()
      const document = yield* documentIn("kq-1")
      // the filing was appended, then the process died before flagging
      yield* CommandHandler.handle(Complaint.decider, "pa-1", {
        _tag: "FileComplaint",
        complaintId: "pa-1",
        actor: owner,
        at: "2024-02-07T02:00:00.000Z",
        ownerId,
        documentId: "kq-1",
        subject: {
          code: document.code,
          name: document.name,
          issuer: document.issuer,
          status: "Active",
          openComplaints: []
        },
        reason: "WrongCitizenInformation",
        comment: "Ngày sinh đúng là 02/02/1990",
        origin: { _tag: "StoreView" },
        rejectWithinWorkingDays: 2,
        handleWithinWorkingDays: 15
      }, { actor: owner, commandId: ComplaintService.commandId("pa-1", "file"), correlationId: "c", causationId: null })
      expect((yield* documentIn("kq-1")).openComplaints).toEqual([])
      yield* complaints.file(fileInput(), { actor: owner })
      expect((yield* documentIn("kq-1")).openComplaints).toEqual(["pa-1"])

      // the replacement was issued, then the process died before superseding
      yield* complaints.acknowledge({ complaintId: "pa-1" }, { actor: officer })
      const { ownerId: _o, ...replacement } = idCard("kq-2", "CCCD Nguyễn Văn An, sinh 02/02/1990")
      yield* documents.issue({ ...replacement, ownerId }, {
        actor: officer,
        commandId: ComplaintService.commandId("pa-1", "issue-replacement"),
        correlationId: "c"
      })
      // the retry names another replacement id: the one issued first is kept
      yield* complaints.resolveByCorrection(
        correction({ replacement: { ...replacement, documentId: "kq-3" } }),
        { actor: officer }
      )
      expect((yield* documentIn("kq-1")).status).toMatchObject({ _tag: "Superseded", replacementId: "kq-2" })
      expect((yield* documents.load(ownerId, { actor: owner })).documents.has("kq-3")).toBe(false)
      expect((yield* complaints.get("pa-1", officer)).complaint.status).toMatchObject({ replacementId: "kq-2" })
    }).pipe(Effect.provide(layer)))

  it.effect("rejection: the complaint closes with its reason and the document is usable again", () =>
    Effect.gen(function*() {
      const { complaints } = yield* services
      yield* issueIdCard()
      yield* complaints.file(fileInput({ reason: "NotSignedByGovernmentCa", comment: null }), { actor: owner })
      yield* complaints.acknowledge({ complaintId: "pa-1" }, { actor: officer })
      yield* TestClock.adjust(12 * day) // Monday 19/02: one working day after the reject deadline
      const outcome = yield* complaints.reject(
        { complaintId: "pa-1", reason: "Tệp đã được ký số bằng chứng thư của Ban Cơ yếu Chính phủ" },
        { actor: officer }
      )
      expect(outcome.complaint.status).toMatchObject({ _tag: "Rejected" })
      const document = yield* documentIn("kq-1")
      expect(document.status).toEqual({ _tag: "Active" })
      expect(document.openComplaints).toEqual([])
      expect((yield* matchIdCard)._tag).toBe("AutoAttach")
      const view = yield* complaints.get("pa-1", owner)
      expect(view.status.vi).toBe("Phản ánh không được chấp nhận")
      expect(view.deadlines).toMatchObject({ rejectDue: "2024-02-16", closedOn: "2024-02-19", outcome: "Rejected" })
    }).pipe(Effect.provide(layer)))

  it.effect("forbids others: a stranger filing, another agency handling, the owner resolving", () =>
    Effect.gen(function*() {
      const { complaints } = yield* services
      yield* issueIdCard()
      const strangerError = yield* refused(complaints.file(fileInput(), { actor: stranger }))
      expect(strangerError._tag).toBe("ComplaintForbidden")
      // a stranger learns nothing about the store, not even whether the document exists
      const probe = yield* refused(complaints.file(fileInput({ documentId: "nope" }), { actor: stranger }))
      expect(probe._tag).toBe("ComplaintForbidden")

      yield* complaints.file(fileInput(), { actor: owner })
      const otherAgencyError = yield* refused(complaints.acknowledge({ complaintId: "pa-1" }, { actor: otherOfficer }))
      expect(otherAgencyError._tag).toBe("ComplaintForbidden")
      expect(otherAgencyError.message).toContain(`addressed to the issuing agency ${justiceAgency}`)

      yield* complaints.acknowledge({ complaintId: "pa-1" }, { actor: officer })
      const foreignCorrection = yield* refused(complaints.resolveByCorrection(correction(), { actor: otherOfficer }))
      expect(foreignCorrection._tag).toBe("ComplaintForbidden")
      expect((yield* refused(complaints.resolveByCorrection(correction(), { actor: owner })))._tag).toBe(
        "ComplaintForbidden"
      )
      expect((yield* refused(complaints.reject({ complaintId: "pa-1", reason: "x" }, { actor: otherOfficer })))._tag)
        .toBe("ComplaintForbidden")
      // a refused read looks exactly like a missing complaint
      const hidden = yield* Effect.flip(complaints.get("pa-1", stranger))
      expect(hidden._tag).toBe("ComplaintNotFound")
      expect(hidden.message).toBe((yield* Effect.flip(complaints.get("pa-404", stranger))).message.replace("pa-404", "pa-1"))
      expect((yield* complaints.get("pa-1", auditor)).complaint.id).toBe("pa-1")
      expect((yield* documentIn("kq-1")).openComplaints).toEqual(["pa-1"])
    }).pipe(Effect.provide(layer)))

  it.effect("refuses complaints about uploads, unknown documents and unknown complaints, writing nothing", () =>
    Effect.gen(function*() {
      const { complaints, documents } = yield* services
      yield* documents.upload({
        ownerId,
        documentId: "up-1",
        bytes: pdf("Giấy khai sinh tự tải lên"),
        fileName: "khai-sinh.pdf",
        mediaType: "application/pdf",
        type: "PersonalDocument",
        category: "giay-khai-sinh",
        name: "Giấy khai sinh"
      }, request(owner))
      const upload = yield* refused(complaints.file(fileInput({ documentId: "up-1" }), { actor: owner }))
      expect(upload._tag).toBe("ComplaintNotAccepted")
      expect(upload._tag === "ComplaintNotAccepted" && upload.reason).toBe("NotIssuedByAgency")
      expect(upload.message).toContain("no agency can correct it")

      expect((yield* refused(complaints.file(fileInput({ documentId: "kq-9" }), { actor: owner })))._tag).toBe(
        "DocumentNotFound"
      )
      expect((yield* refused(complaints.acknowledge({ complaintId: "pa-9" }, { actor: officer })))._tag).toBe(
        "ComplaintNotFound"
      )
      expect((yield* Effect.flip(complaints.get("pa-9", owner)))._tag).toBe("ComplaintNotFound")
    }).pipe(Effect.provide(layer)))

  it.effect("one open complaint per document; a new one once the first is closed, about the replacement", () =>
    Effect.gen(function*() {
      const { complaints } = yield* services
      yield* issueIdCard()
      yield* complaints.file(fileInput(), { actor: owner })
      const second = yield* refused(
        complaints.file(fileInput({ complaintId: "pa-2", reason: "NotThisCitizensResult" }), { actor: owner })
      )
      expect(second._tag === "ComplaintNotAccepted" && second.reason).toBe("AlreadyUnderComplaint")
      const reused = yield* refused(complaints.file(fileInput({ documentId: "kq-2" }), { actor: owner }))
      expect(reused._tag).toBe("DocumentNotFound")

      yield* complaints.acknowledge({ complaintId: "pa-1" }, { actor: officer })
      yield* complaints.resolveByCorrection(correction(), { actor: officer })
      const onOld = yield* refused(complaints.file(fileInput({ complaintId: "pa-2" }), { actor: owner }))
      expect(onOld._tag === "ComplaintNotAccepted" && onOld.reason).toBe("DocumentNotActive")
      const onReplacement = yield* complaints.file(
        fileInput({
          complaintId: "pa-2",
          documentId: "kq-2",
          origin: { _tag: "PickFromStore", dossierId: "hs-1", componentId: "giay-to-tuy-than" }
        }),
        { actor: owner }
      )
      expect(onReplacement.complaint.origin).toEqual({
        _tag: "PickFromStore",
        dossierId: "hs-1",
        componentId: "giay-to-tuy-than"
      })
      // a different complaint under an id already used is refused
      const clash = yield* refused(complaints.file(fileInput({ complaintId: "pa-1", documentId: "kq-2" }), { actor: owner }))
      expect(clash._tag).toBe("ComplaintAlreadyExists")
    }).pipe(Effect.provide(layer)))
})
