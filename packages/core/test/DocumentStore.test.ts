import { describe, expect, it } from "@effect/vitest"
import * as DeciderSpecification from "@kho/testing/DeciderSpecification"
import { Schema } from "effect"
import * as Decider from "../src/Decider.ts"
import * as DocumentStore from "../src/DocumentStore.ts"
import {
  at,
  auditor,
  failed,
  file,
  issue,
  issued,
  justiceAgency,
  later,
  officer,
  officerWith,
  otherOfficer,
  owner,
  ownerId,
  passed,
  sha,
  stranger,
  system,
  target,
  upload,
  uploaded
} from "./utils/documentFixtures.ts"

const spec = DeciderSpecification.for(DocumentStore.decider)
const doc = (events: ReadonlyArray<DocumentStore.Event>, id = "doc-1") => {
  const document = spec.stateAfter(events).documents.get(id)
  if (document === undefined) throw new Error(`no document ${id}`)
  return document
}

const removedEvent: DocumentStore.Event = { _tag: "DocumentRemoved", ownerId, documentId: "doc-1", at }

describe("DocumentStore", () => {
  it("names one stream per owner", () => {
    expect(Decider.streamId(DocumentStore.decider, ownerId)).toBe("DocumentStore-052090000495")
    expect(DocumentStore.ownerOf(upload())).toBe(ownerId)
  })

  describe("UploadDocument", () => {
    it("accepts the owner's signed PDF, reads the code from the name and records the owner as issuer", () => {
      spec.given([]).when(upload()).then([uploaded()])
      const document = doc([uploaded()])
      expect(document.provenance).toEqual({ _tag: "Uploaded" })
      expect(document.status).toEqual({ _tag: "Active" })
      expect(document.visible && document.shared).toBe(true)
      expect(document.signature.indication).toBe("TOTAL_PASSED")
    })

    it("keeps a code given explicitly, and leaves it null when there is none to find", () => {
      spec.given([]).when(upload({ code: "X-1" })).then([uploaded({ code: "X-1" })])
      spec.given([]).when(upload({ name: "Giấy khai sinh của con" })).thenEvents(([event]) => {
        expect(event?._tag === "DocumentUploaded" && event.code).toBeNull()
      })
    })

    it("lets an organisation's representative upload into the organisation's store", () => {
      const org = "0100109106"
      const rep = { _tag: "OrganisationRepresentative" as const, organisationId: org, personalId: ownerId }
      spec.given([]).when(upload({ ownerId: org, actor: rep, name: "Thông báo", category: "thong-bao-cap-ma-ngan-hang" }))
        .thenEvents(([event]) => expect(event?.ownerId).toBe(org))
    })

    it("does nothing when the same upload is repeated", () => {
      spec.given([uploaded()]).when(upload()).thenNothingHappened()
    })

    it("refuses a different file under an id already taken", () => {
      spec.given([uploaded()]).when(upload({ file: file(sha("c")), signature: passed(sha("c")) }))
        .thenFails("DocumentAlreadyExists")
    })

    it("refuses anyone but the owner, naming the owner", () => {
      for (const actor of [stranger, officer, system]) {
        spec.given([]).when(upload({ actor })).thenFails("DocumentStoreForbidden", (error) => {
          expect(error.message).toContain("only the owner 052090000495 may upload")
        })
      }
    })

    it("refuses an owner id that is no identifier", () => {
      spec.given([]).when(upload({ ownerId: "12345", actor: { _tag: "Citizen", personalId: "12345" } }))
        .thenFails("InvalidDocument", (error) => expect(error._tag === "InvalidDocument" && error.reason).toBe("InvalidOwnerId"))
    })

    it("refuses a malformed document id", () => {
      spec.given([]).when(upload({ documentId: "a b" }))
        .thenFails("InvalidDocument", (e) => expect(e._tag === "InvalidDocument" && e.reason).toBe("InvalidDocumentId"))
    })

    it("accepts only PDFs", () => {
      spec.given([]).when(upload({ file: file(sha("a"), { mediaType: "image/jpeg", fileName: "scan.jpg" }) }))
        .thenFails("InvalidDocument", (e) => {
          expect(e._tag === "InvalidDocument" && e.reason).toBe("UnsupportedMediaType")
          expect(e.message).toContain("scan.jpg")
        })
    })

    it("refuses an empty file and a file over the limit, accepting one exactly at it", () => {
      const small = DeciderSpecification.for(DocumentStore.make({ ...DocumentStore.defaultRules, maxFileBytes: 1000 }))
      small.given([]).when(upload({ file: file(sha("a"), { size: 1001 }) }))
        .thenFails("InvalidDocument", (e) => expect(e._tag === "InvalidDocument" && e.reason).toBe("FileTooLarge"))
      small.given([]).when(upload({ file: file(sha("a"), { size: 1000 }) })).thenEvents((events) =>
        expect(events).toHaveLength(1)
      )
      spec.given([]).when(upload({ file: file(sha("a"), { size: 0 }) }))
        .thenFails("InvalidDocument", (e) => expect(e._tag === "InvalidDocument" && e.reason).toBe("EmptyFile"))
      spec.given([]).when(upload({ file: file(sha("a"), { size: 20 * 1024 * 1024 + 1 }) }))
        .thenFails("InvalidDocument", (e) => expect(e.message).toContain("20 MiB"))
    })

    it("refuses a report made for other bytes", () => {
      spec.given([]).when(upload({ signature: passed(sha("f")) }))
        .thenFails("InvalidDocument", (e) => expect(e._tag === "InvalidDocument" && e.reason).toBe("ReportMismatch"))
    })

    it("refuses a file whose signatures did not pass, carrying the report's reason", () => {
      spec.given([]).when(upload({ signature: failed(sha("a")) })).thenFails("SignatureNotAccepted", (error) => {
        if (error._tag !== "SignatureNotAccepted") throw new Error("wrong error")
        expect(error.reason).toBe(failed(sha("a")).reason)
        expect(error.indication).toBe("INDETERMINATE")
        expect(error.subIndication).toBe("NO_CERTIFICATE_CHAIN_FOUND")
        expect(error.message).toContain("Ban Cơ yếu Chính phủ")
      })
      spec.given([]).when(
        upload({ signature: { ...failed(sha("a")), indication: "TOTAL_FAILED", subIndication: "HASH_FAILURE" } })
      ).thenFails("SignatureNotAccepted")
    })

    it("refuses a category outside the catalog", () => {
      spec.given([]).when(upload({ category: "giay-to-la" }))
        .thenFails("InvalidDocument", (e) => {
          expect(e._tag === "InvalidDocument" && e.reason).toBe("UnknownCategory")
          expect(e.message).toContain("giay-khai-sinh")
        })
    })

    it("refuses blank names and fields, a bad result type and reversed validity", () => {
      const field = (e: DocumentStore.DocumentStoreError) =>
        expect(e._tag === "InvalidDocument" && e.reason).toBe("InvalidField")
      spec.given([]).when(upload({ name: "  " })).thenFails("InvalidDocument", field)
      spec.given([]).when(upload({ summary: " " })).thenFails("InvalidDocument", field)
      spec.given([]).when(upload({ code: "" })).thenFails("InvalidDocument", field)
      spec.given([]).when(upload({ resultType: "KQ.15" })).thenFails("InvalidDocument", field)
      spec.given([]).when(
        upload({ validity: { _tag: "Until", validFrom: "2024-09-01", validUntil: "2024-03-01" } })
      ).thenFails("InvalidDocument", field)
    })
  })

  describe("IssueDocument", () => {
    it("lets an agency issue a result, with a code built from owner, result type and day", () => {
      spec.given([]).when(issue({ kind: "Result", type: "ProcedureResult" })).then([
        issued({ kind: "Result", type: "ProcedureResult" })
      ])
      const document = doc([issued({ kind: "Result" })], "kq-1")
      expect(document.provenance).toEqual({ _tag: "Issued", agencyCode: justiceAgency, officerId: "cb-001" })
      expect(document.issuer).toEqual({ _tag: "Agency", agencyCode: justiceAgency })
      expect(document.code).toBe("052090000495.KQ.G15.000021.02022024")
    })

    it("records an electronic certified copy as such", () => {
      spec.given([]).when(issue()).then([issued()])
      expect(doc([issued()], "kq-1").provenance._tag).toBe("CertifiedCopy")
    })

    it("does nothing when the same result is issued again", () => {
      spec.given([issued()]).when(issue()).thenNothingHappened()
    })

    it("refuses a citizen issuing into a store", () => {
      spec.given([]).when(issue({ actor: owner })).thenFails("DocumentStoreForbidden")
    })

    it("requires the role: issue for a result, certify for a certified copy", () => {
      const certifier = officerWith("certify")
      const issuer = officerWith("issue")
      spec.given([]).when(issue({ actor: certifier, kind: "Result", type: "ProcedureResult" })).thenFails(
        "DocumentStoreForbidden",
        (error) => expect(error.message).toContain(`"issue"`)
      )
      spec.given([]).when(issue({ actor: issuer })).thenFails(
        "DocumentStoreForbidden",
        (error) => expect(error.message).toContain(`"certify"`)
      )
      spec.given([]).when(issue({ actor: certifier })).thenEvents(([event]) => expect(event?._tag).toBe("DocumentIssued"))
    })

    it("refuses an unsigned result", () => {
      spec.given([]).when(issue({ signature: failed(sha("b")) })).thenFails("SignatureNotAccepted")
    })
  })

  describe("RecordDigitisedDocument", () => {
    const digitise = (overrides: Partial<typeof DocumentStore.RecordDigitisedDocument.Type> = {}) => {
      const { _tag, kind: _kind, ...rest } = issue({ documentId: "so-hoa-1", file: file(sha("d")), signature: passed(sha("d")) })
      return {
        ...rest,
        _tag: "RecordDigitisedDocument" as const,
        issuer: { _tag: "Named" as const, name: "UBND xã An Hòa" },
        ...overrides
      }
    }

    it("requires the digitise role", () => {
      spec.given([]).when(digitise({ actor: officerWith("issue") })).thenFails(
        "DocumentStoreForbidden",
        (error) => expect(error.message).toContain(`"digitise"`)
      )
    })

    it("records a paper document scanned at the counter", () => {
      spec.given([]).when(digitise()).thenEvents(([event]) => {
        expect(event?._tag).toBe("DocumentDigitised")
        const document = doc([event!], "so-hoa-1")
        expect(document.provenance).toEqual({ _tag: "DigitisedAtCounter", agencyCode: justiceAgency, officerId: "cb-001" })
        expect(document.issuer).toEqual({ _tag: "Named", name: "UBND xã An Hòa" })
      })
    })

    it("refuses anyone but an officer", () => {
      spec.given([]).when(digitise({ actor: owner })).thenFails("DocumentStoreForbidden")
    })

    it("refuses a scan that is not a PDF", () => {
      spec.given([]).when(digitise({ file: file(sha("d"), { mediaType: "image/png" }) })).thenFails("InvalidDocument")
    })
  })

  describe("ReplaceFile", () => {
    const replace = (overrides: Partial<typeof DocumentStore.ReplaceFile.Type> = {}) => ({
      _tag: "ReplaceFile" as const,
      ...target(),
      file: file(sha("c"), { fileName: "corrected.pdf" }),
      signature: passed(sha("c")),
      ...overrides
    })

    it("replaces the file and keeps the old one in history", () => {
      const event = {
        _tag: "DocumentFileReplaced" as const,
        ownerId,
        documentId: "doc-1",
        at: later,
        previousFile: file(sha("a")),
        file: file(sha("c"), { fileName: "corrected.pdf" }),
        signature: passed(sha("c"))
      }
      spec.given([uploaded()]).when(replace()).then([event])
      const document = doc([uploaded(), event])
      expect(document.file.sha256).toBe(sha("c"))
      expect(document.previousFiles.map((f) => f.sha256)).toEqual([sha("a")])
    })

    it("does nothing when the file is the same", () => {
      spec.given([uploaded()]).when(replace({ file: file(sha("a")), signature: passed(sha("a")) })).thenNothingHappened()
    })

    it("refuses anyone but the owner", () => {
      spec.given([uploaded()]).when(replace({ actor: stranger })).thenFails("DocumentStoreForbidden")
    })

    it("refuses an unknown document", () => {
      spec.given([]).when(replace()).thenFails("DocumentNotFound")
    })

    it("refuses to replace an agency's result: that goes through a complaint", () => {
      spec.given([issued()]).when(replace({ documentId: "kq-1" })).thenFails("DocumentStoreForbidden", (e) => {
        expect(e.message).toContain("complaint")
      })
    })

    it("refuses a removed document", () => {
      spec.given([uploaded(), removedEvent]).when(replace()).thenFails("IllegalDocumentState")
    })

    it("refuses a replacement whose signature did not pass, or that is not a PDF", () => {
      spec.given([uploaded()]).when(replace({ signature: failed(sha("c")) })).thenFails("SignatureNotAccepted")
      spec.given([uploaded()]).when(replace({ file: file(sha("c"), { mediaType: "text/plain" }) })).thenFails(
        "InvalidDocument"
      )
    })
  })

  describe("RemoveDocument", () => {
    const remove = (actor = owner) => ({ _tag: "RemoveDocument" as const, ...target("doc-1", actor, at) })

    it("removes the document", () => {
      spec.given([uploaded()]).when(remove()).then([removedEvent])
      expect(doc([uploaded(), removedEvent]).status).toEqual({ _tag: "Removed", at })
    })

    it("does nothing when already removed", () => {
      spec.given([uploaded(), removedEvent]).when(remove()).thenNothingHappened()
    })

    it("refuses anyone but the owner, and an unknown document", () => {
      spec.given([uploaded()]).when(remove(officer)).thenFails("DocumentStoreForbidden")
      spec.given([]).when(remove()).thenFails("DocumentNotFound")
    })
  })

  describe.each([
    { command: "HideDocument", event: "DocumentHidden", verb: "hide", before: [] as Array<DocumentStore.Event> },
    {
      command: "ShowDocument",
      event: "DocumentShown",
      verb: "show",
      before: [{ _tag: "DocumentHidden", ownerId, documentId: "doc-1", at }] as Array<DocumentStore.Event>
    },
    {
      command: "ShareDocument",
      event: "DocumentShared",
      verb: "share",
      before: [{ _tag: "DocumentUnshared", ownerId, documentId: "doc-1", at }] as Array<DocumentStore.Event>
    },
    { command: "UnshareDocument", event: "DocumentUnshared", verb: "stop sharing", before: [] }
  ] as const)("$command", ({ before, command, event, verb }) => {
    const when = (actor = owner, documentId = "doc-1") => ({ _tag: command, ...target(documentId, actor) })
    const happened = { _tag: event, ownerId, documentId: "doc-1", at: later } as DocumentStore.Event

    it("is done by the owner", () => {
      spec.given([uploaded(), ...before]).when(when()).then([happened])
    })

    it("does nothing when repeated", () => {
      spec.given([uploaded(), ...before, happened]).when(when()).thenNothingHappened()
    })

    it("refuses anyone else, naming the owner", () => {
      spec.given([uploaded(), ...before]).when(when(stranger)).thenFails("DocumentStoreForbidden", (e) => {
        expect(e.message).toContain(`only the owner ${ownerId} may ${verb} document doc-1`)
      })
    })

    it("refuses an unknown or removed document", () => {
      spec.given([]).when(when()).thenFails("DocumentNotFound")
      spec.given([uploaded(), ...before, removedEvent]).when(when()).thenFails("IllegalDocumentState")
    })
  })

  it("folds hide/show/share/unshare into the flags", () => {
    const hidden: DocumentStore.Event = { _tag: "DocumentHidden", ownerId, documentId: "doc-1", at }
    const unshared: DocumentStore.Event = { _tag: "DocumentUnshared", ownerId, documentId: "doc-1", at }
    expect(doc([uploaded(), hidden, unshared])).toMatchObject({ visible: false, shared: false })
  })

  describe("RecordUse", () => {
    const use = (overrides: Partial<typeof DocumentStore.RecordUse.Type> = {}) => ({
      _tag: "RecordUse" as const,
      ...target("doc-1", owner),
      dossierNumber: "000.20.33.H08-240320-0001",
      componentId: "tphs-1",
      procedure: "1.001612",
      ...overrides
    })
    const used = (overrides: Partial<typeof DocumentStore.RecordUse.Type> = {}): DocumentStore.Event => {
      const { _tag, actor: _actor, ...rest } = use(overrides)
      return { ...rest, _tag: "DocumentUsed" }
    }

    it("counts a use by the owner, an officer or the engine", () => {
      for (const actor of [owner, officer, system]) spec.given([uploaded()]).when(use({ actor })).then([used()])
      const document = doc([uploaded(), used(), used({ componentId: "tphs-2" })])
      expect(document.uses).toHaveLength(2)
    })

    it("does not count a retried use of the same dossier component twice", () => {
      spec.given([uploaded(), used()]).when(use({ at: "2024-03-22T00:00:00.000Z" })).thenNothingHappened()
      spec.given([uploaded(), used()]).when(use({ componentId: "tphs-2" })).then([used({ componentId: "tphs-2" })])
    })

    it("refuses an auditor or a stranger", () => {
      spec.given([uploaded()]).when(use({ actor: auditor })).thenFails("DocumentStoreForbidden")
      spec.given([uploaded()]).when(use({ actor: stranger })).thenFails("DocumentStoreForbidden")
    })

    it("refuses a malformed dossier number", () => {
      spec.given([uploaded()]).when(use({ dossierNumber: "HS-1" })).thenFails("InvalidDocument")
    })

    it("refuses a document that is hidden, under complaint, revoked, or unknown", () => {
      spec.given([uploaded(), { _tag: "DocumentHidden", ownerId, documentId: "doc-1", at }]).when(use())
        .thenFails("IllegalDocumentState", (e) => expect(e.message).toContain("hidden"))
      spec.given([uploaded(), { _tag: "DocumentFlagged", ownerId, documentId: "doc-1", at, complaintId: "pa-1" }])
        .when(use()).thenFails("IllegalDocumentState", (e) => expect(e.message).toContain("pa-1"))
      spec.given([issued(), {
        _tag: "DocumentRevoked",
        ownerId,
        documentId: "kq-1",
        at,
        agencyCode: justiceAgency,
        reason: "sai"
      }]).when(use({ documentId: "kq-1" })).thenFails("IllegalDocumentState")
      spec.given([]).when(use()).thenFails("DocumentNotFound")
    })
  })

  describe("RevokeDocument", () => {
    const revoke = (actor = officer, documentId = "kq-1") => ({
      _tag: "RevokeDocument" as const,
      ...target(documentId, actor),
      reason: "cấp nhầm"
    })
    const revoked: DocumentStore.Event = {
      _tag: "DocumentRevoked",
      ownerId,
      documentId: "kq-1",
      at: later,
      agencyCode: justiceAgency,
      reason: "cấp nhầm"
    }

    it("lets the issuing agency revoke its result", () => {
      spec.given([issued()]).when(revoke()).then([revoked])
      expect(doc([issued(), revoked], "kq-1").status._tag).toBe("Revoked")
    })

    it("does nothing when already revoked", () => {
      spec.given([issued(), revoked]).when(revoke()).thenNothingHappened()
    })

    it("refuses another agency, a citizen and an owner's upload", () => {
      spec.given([issued()]).when(revoke(otherOfficer)).thenFails("DocumentStoreForbidden", (e) => {
        expect(e.message).toContain(`only the issuing agency ${justiceAgency} may revoke`)
      })
      spec.given([issued()]).when(revoke(owner)).thenFails("DocumentStoreForbidden")
      spec.given([uploaded()]).when(revoke(officer, "doc-1")).thenFails("DocumentStoreForbidden")
    })

    it("refuses an empty reason, an unknown document and a superseded one", () => {
      spec.given([issued()]).when({ ...revoke(), reason: " " }).thenFails("InvalidDocument")
      spec.given([]).when(revoke()).thenFails("DocumentNotFound")
      spec.given([issued(), issued({ documentId: "kq-2" }), {
        _tag: "DocumentSuperseded",
        ownerId,
        documentId: "kq-1",
        at,
        agencyCode: justiceAgency,
        officerId: "cb-001",
        replacementId: "kq-2",
        reason: "sai thông tin"
      }]).when(revoke()).thenFails("IllegalDocumentState")
    })
  })

  describe("SupersedeDocument", () => {
    const supersede = (overrides: Partial<typeof DocumentStore.SupersedeDocument.Type> = {}) => ({
      _tag: "SupersedeDocument" as const,
      ...target("kq-1", officer),
      replacementId: "kq-2",
      reason: "sai thông tin công dân",
      ...overrides
    })
    const superseded: DocumentStore.Event = {
      _tag: "DocumentSuperseded",
      ownerId,
      documentId: "kq-1",
      at: later,
      agencyCode: justiceAgency,
      officerId: "cb-001",
      replacementId: "kq-2",
      reason: "sai thông tin công dân"
    }
    const both = [issued(), issued({ documentId: "kq-2", file: file(sha("e")), signature: passed(sha("e")) })]

    it("supersedes a result by the agency's replacement", () => {
      spec.given(both).when(supersede()).then([superseded])
      expect(doc([...both, superseded], "kq-1").status).toMatchObject({ _tag: "Superseded", replacementId: "kq-2" })
    })

    it("does nothing when repeated", () => {
      spec.given([...both, superseded]).when(supersede()).thenNothingHappened()
    })

    it("refuses another agency, a missing replacement, itself, and another agency's replacement", () => {
      spec.given(both).when(supersede({ actor: otherOfficer })).thenFails("DocumentStoreForbidden")
      spec.given([issued()]).when(supersede()).thenFails("DocumentNotFound")
      spec.given(both).when(supersede({ replacementId: "kq-1" })).thenFails("InvalidDocument")
      spec.given([issued(), issued({ documentId: "kq-3", actor: otherOfficer })]).when(supersede({ replacementId: "kq-3" }))
        .thenFails("DocumentStoreForbidden")
    })

    it("refuses a revoked document", () => {
      spec.given([...both, {
        _tag: "DocumentRevoked",
        ownerId,
        documentId: "kq-1",
        at,
        agencyCode: justiceAgency,
        reason: "x"
      }]).when(supersede()).thenFails("IllegalDocumentState")
    })
  })

  describe("FlagDocument / UnflagDocument", () => {
    const flag = (actor = owner, complaintId = "pa-1") => ({
      _tag: "FlagDocument" as const,
      ...target("kq-1", actor),
      complaintId
    })
    const unflag = (actor = system, complaintId = "pa-1") => ({ ...flag(actor, complaintId), _tag: "UnflagDocument" as const })
    const flagged: DocumentStore.Event = { _tag: "DocumentFlagged", ownerId, documentId: "kq-1", at: later, complaintId: "pa-1" }
    const unflagged: DocumentStore.Event = { ...flagged, _tag: "DocumentUnflagged" }

    it("flags while a complaint is open and unflags when it closes", () => {
      spec.given([issued()]).when(flag()).then([flagged])
      expect(doc([issued(), flagged], "kq-1").openComplaints).toEqual(["pa-1"])
      spec.given([issued(), flagged]).when(unflag()).then([unflagged])
      spec.given([issued(), flagged]).when(unflag(officer)).then([unflagged])
      expect(doc([issued(), flagged, unflagged], "kq-1").openComplaints).toEqual([])
    })

    it("does nothing when the complaint is already open, or already closed", () => {
      spec.given([issued(), flagged]).when(flag()).thenNothingHappened()
      spec.given([issued()]).when(unflag()).thenNothingHappened()
    })

    it("refuses strangers and other agencies, unknown and removed documents", () => {
      spec.given([issued()]).when(flag(stranger)).thenFails("DocumentStoreForbidden")
      spec.given([issued(), flagged]).when(unflag(otherOfficer)).thenFails("DocumentStoreForbidden")
      spec.given([]).when(flag()).thenFails("DocumentNotFound")
      spec.given([issued(), { _tag: "DocumentRemoved", ownerId, documentId: "kq-1", at }]).when(flag())
        .thenFails("IllegalDocumentState")
      spec.given([issued()]).when(flag(owner, "")).thenFails("InvalidDocument")
    })
  })

  describe("RecordStoreAccess", () => {
    const access = (overrides: Partial<typeof DocumentStore.RecordStoreAccess.Type> = {}) => ({
      _tag: "RecordStoreAccess" as const,
      ownerId,
      actor: officer,
      at,
      procedure: "1.001612",
      channel: "counter" as const,
      found: 2,
      dossierNumber: "000.20.33.H08-240320-0001",
      ...overrides
    })

    it("records who looked, when, for what, through which channel and what they found", () => {
      const event: DocumentStore.Event = {
        _tag: "StoreAccessed",
        ownerId,
        at,
        accessor: officer,
        procedure: "1.001612",
        channel: "counter",
        found: 2,
        dossierNumber: "000.20.33.H08-240320-0001"
      }
      spec.given([]).when(access()).then([event])
      expect(spec.stateAfter([event, event]).accesses).toBe(2)
    })

    it("refuses an auditor, a bad owner id and a missing procedure", () => {
      spec.given([]).when(access({ actor: auditor })).thenFails("DocumentStoreForbidden")
      spec.given([]).when(access({ actor: stranger })).thenFails("DocumentStoreForbidden")
      spec.given([]).when(access({ actor: owner })).thenEvents(([event]) => expect(event?._tag).toBe("StoreAccessed"))
      spec.given([]).when(access({ ownerId: "abc" })).thenFails("InvalidDocument")
      spec.given([]).when(access({ procedure: "" })).thenFails("InvalidDocument")
    })
  })

  it("classifies errors by Emmett's taxonomy", () => {
    const cases: ReadonlyArray<[DocumentStore.Command, ReadonlyArray<DocumentStore.Event>, string]> = [
      [upload({ category: "x" }), [], "validation"],
      [upload({ signature: failed(sha("a")) }), [], "validation"],
      [{ _tag: "HideDocument", ...target() }, [], "not-found"],
      [upload({ file: file(sha("c")), signature: passed(sha("c")) }), [uploaded()], "illegal-state"],
      [upload({ actor: stranger }), [], "forbidden"]
    ]
    for (const [command, events, expected] of cases) {
      const result = DocumentStore.decide(command, spec.stateAfter(events))
      if (result._tag !== "Failure") throw new Error("expected a failure")
      expect(DocumentStore.errorKind(result.failure)).toBe(expected)
    }
  })

  it("encodes every event to JSON and decodes it back unchanged", () => {
    const events: ReadonlyArray<DocumentStore.Event> = [
      uploaded(),
      issued(),
      removedEvent,
      { _tag: "DocumentUsed", ownerId, documentId: "doc-1", at, dossierNumber: "d", componentId: "c", procedure: "p" },
      {
        _tag: "StoreAccessed",
        ownerId,
        at,
        accessor: officer,
        procedure: "p",
        channel: "online",
        found: 0,
        dossierNumber: null
      }
    ]
    const encode = Schema.encodeSync(DocumentStore.decider.eventSchema)
    const decode = Schema.decodeUnknownSync(DocumentStore.decider.eventSchema)
    for (const event of events) {
      const json = JSON.parse(JSON.stringify(encode(event)))
      expect(decode(json)).toEqual(event)
    }
  })
})
