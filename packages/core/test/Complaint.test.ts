import { describe, expect, it } from "@effect/vitest"
import * as DeciderSpecification from "@kho/testing/DeciderSpecification"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import type { Actor } from "../src/Actor.ts"
import * as Complaint from "../src/Complaint.ts"
import * as Decider from "../src/Decider.ts"
import {
  acknowledge,
  acknowledged,
  acknowledgedAt,
  closedAt,
  complaintId,
  fileComplaint,
  filed,
  reject,
  rejected,
  resolve,
  resolved,
  subject
} from "./utils/complaintFixtures.ts"
import { auditor, justiceAgency, officer, officerWith, otherAgency, otherOfficer, owner, ownerId, stranger, system } from "./utils/documentFixtures.ts"

const spec = DeciderSpecification.for(Complaint.decider)
const complaintAfter = (events: ReadonlyArray<Complaint.Event>): Complaint.Complaint => {
  const complaint = spec.stateAfter(events).complaint
  if (complaint === null) throw new Error("no complaint")
  return complaint
}

describe("Complaint", () => {
  it("names one stream per complaint", () => {
    expect(Decider.streamId(Complaint.decider, complaintId)).toBe("Complaint-pa-1")
  })

  it("encodes and decodes every event through its schema", () => {
    const events: ReadonlyArray<Complaint.Event> = [filed(), acknowledged, resolved, rejected]
    for (const event of events) {
      const json = Schema.encodeSync(Complaint.Event)(event)
      expect(Schema.decodeUnknownSync(Complaint.Event)(JSON.parse(JSON.stringify(json)))).toEqual(event)
    }
    expect([...Complaint.eventTypes].sort()).toEqual(events.map((e) => e._tag).sort())
  })

  describe("FileComplaint", () => {
    it("accepts the owner's complaint about an agency-issued document and routes it to the issuer", () => {
      spec.given([]).when(fileComplaint()).then([filed()])
      const complaint = complaintAfter([filed()])
      expect(complaint).toMatchObject({
        id: complaintId,
        ownerId,
        documentId: "kq-1",
        agencyCode: justiceAgency,
        reason: "WrongCitizenInformation",
        status: { _tag: "Filed" },
        acknowledged: null,
        rejectWithinWorkingDays: 2,
        handleWithinWorkingDays: 15
      })
      expect(Complaint.isOpen(complaint)).toBe(true)
    })

    it("accepts each of the three reasons, without a comment, from the pick-from-store dialog", () => {
      for (const reason of ["WrongCitizenInformation", "NotThisCitizensResult", "NotSignedByGovernmentCa"] as const) {
        const command = fileComplaint({
          reason,
          comment: null,
          origin: { _tag: "PickFromStore", dossierId: "hs-1", componentId: "tphs-1" }
        })
        spec.given([]).when(command).then([filed({
          reason,
          comment: null,
          origin: { _tag: "PickFromStore", dossierId: "hs-1", componentId: "tphs-1" }
        })])
      }
    })

    it("lets an organisation's representative complain about the organisation's store", () => {
      const organisation = "0100109106"
      const representative: Actor = { _tag: "OrganisationRepresentative", organisationId: organisation, personalId: ownerId }
      spec.given([]).when(fileComplaint({ ownerId: organisation, actor: representative })).then([
        filed({ ownerId: organisation, actor: representative })
      ])
    })

    it("does nothing on a repeat, even after the document was flagged with this complaint", () => {
      spec.given([filed()]).when(fileComplaint()).thenNothingHappened()
      spec.given([filed()]).when(fileComplaint({ subject: subject({ openComplaints: [complaintId] }) }))
        .thenNothingHappened()
    })

    it("refuses a different complaint under an id already used", () => {
      spec.given([filed()]).when(fileComplaint({ documentId: "kq-9" })).thenFails("ComplaintAlreadyExists")
      spec.given([filed()]).when(fileComplaint({ reason: "NotThisCitizensResult" })).thenFails(
        "ComplaintAlreadyExists",
        (error) => expect(error.message).toContain("choose a new id")
      )
    })

    it("lets only the owner file", () => {
      for (const actor of [stranger, officer, system, auditor]) {
        spec.given([]).when(fileComplaint({ actor })).thenFails("ComplaintForbidden", (error) => {
          expect(error.message).toContain(`only the owner ${ownerId}`)
        })
      }
    })

    it("refuses a complaint about an upload: no agency can correct it", () => {
      spec.given([]).when(fileComplaint({ subject: subject({ issuer: { _tag: "Owner", ownerId } }) })).thenFails(
        "ComplaintNotAccepted",
        (error) => {
          expect(error._tag === "ComplaintNotAccepted" && error.reason).toBe("NotIssuedByAgency")
          expect(error.message).toContain("no agency issued it")
        }
      )
      spec.given([]).when(fileComplaint({ subject: subject({ issuer: { _tag: "Named", name: "Bệnh viện tư" } }) }))
        .thenFails("ComplaintNotAccepted", (error) => expect(error.message).toContain("Bệnh viện tư"))
    })

    it("refuses a complaint about a document no longer active", () => {
      for (const status of ["Superseded", "Revoked", "Removed"] as const) {
        spec.given([]).when(fileComplaint({ subject: subject({ status }) })).thenFails(
          "ComplaintNotAccepted",
          (error) => expect(error._tag === "ComplaintNotAccepted" && error.reason).toBe("DocumentNotActive")
        )
      }
    })

    it("refuses a second complaint while another about the same document is open", () => {
      spec.given([]).when(fileComplaint({ subject: subject({ openComplaints: ["pa-0"] }) })).thenFails(
        "ComplaintNotAccepted",
        (error) => {
          expect(error._tag === "ComplaintNotAccepted" && error.reason).toBe("AlreadyUnderComplaint")
          expect(error.message).toContain("pa-0")
        }
      )
    })

    it("validates ids, the comment and the dialog's context", () => {
      const reasonOf = (command: typeof Complaint.FileComplaint.Type) => {
        const result = Complaint.decide(command, Complaint.initialState)
        return Result.isFailure(result) && result.failure._tag === "InvalidComplaint" ? result.failure.reason : null
      }
      expect(reasonOf(fileComplaint({ complaintId: "pa 1" }))).toBe("InvalidComplaintId")
      expect(reasonOf(fileComplaint({ ownerId: "12345" }))).toBe("InvalidOwnerId")
      expect(reasonOf(fileComplaint({ documentId: "" }))).toBe("InvalidDocumentId")
      expect(reasonOf(fileComplaint({ comment: "   " }))).toBe("InvalidField")
      expect(reasonOf(fileComplaint({ comment: "x".repeat(Complaint.maxCommentLength + 1) }))).toBe("InvalidField")
      expect(reasonOf(fileComplaint({ origin: { _tag: "PickFromStore", dossierId: " ", componentId: "c" } }))).toBe(
        "InvalidField"
      )
      expect(reasonOf(fileComplaint({ comment: "x".repeat(Complaint.maxCommentLength) }))).toBeNull()
    })
  })

  describe("AcknowledgeComplaint", () => {
    it("lets an officer of the issuing agency acknowledge", () => {
      spec.given([filed()]).when(acknowledge()).then([acknowledged])
      const complaint = complaintAfter([filed(), acknowledged])
      expect(complaint.status).toEqual({ _tag: "Acknowledged", at: acknowledgedAt, officerId: "cb-001", note: null })
      expect(complaint.acknowledged).toEqual({ at: acknowledgedAt, officerId: "cb-001" })
      expect(Complaint.isOpen(complaint)).toBe(true)
    })

    it("keeps the officer's note", () => {
      spec.given([filed()]).when(acknowledge({ note: "Đang kiểm tra bản chính" })).then([
        { ...acknowledged, note: "Đang kiểm tra bản chính" }
      ])
      spec.given([filed()]).when(acknowledge({ note: "" })).thenFails("InvalidComplaint")
    })

    it("does nothing on a repeat", () => {
      spec.given([filed(), acknowledged]).when(acknowledge()).thenNothingHappened()
    })

    it("forbids an officer of another agency, the owner and the engine", () => {
      spec.given([filed()]).when(acknowledge({ actor: otherOfficer })).thenFails("ComplaintForbidden", (error) => {
        expect(error.message).toContain(`addressed to the issuing agency ${justiceAgency}`)
        expect(error.message).toContain(otherAgency)
      })
      spec.given([filed()]).when(acknowledge({ actor: owner })).thenFails("ComplaintForbidden")
      spec.given([filed()]).when(acknowledge({ actor: system })).thenFails("ComplaintForbidden")
      spec.given([filed()]).when(acknowledge({ actor: officerWith("issue") })).thenFails(
        "ComplaintForbidden",
        (error) => expect(error.message).toContain(`"handle-complaints"`)
      )
    })

    it("fails on an unknown complaint and on a closed one", () => {
      spec.given([]).when(acknowledge()).thenFails("ComplaintNotFound")
      spec.given([filed(), acknowledged, rejected]).when(acknowledge()).thenFails("IllegalComplaintState")
      spec.given([filed(), acknowledged, resolved]).when(acknowledge()).thenFails("IllegalComplaintState")
    })
  })

  describe("ResolveComplaint", () => {
    it("records the correction once acknowledged", () => {
      spec.given([filed(), acknowledged]).when(resolve()).then([resolved])
      const complaint = complaintAfter([filed(), acknowledged, resolved])
      expect(complaint.status).toEqual({
        _tag: "Resolved",
        at: closedAt,
        officerId: "cb-001",
        replacementId: "kq-2",
        resolution: "Cấp lại bản sao với ngày sinh đúng"
      })
      expect(complaint.acknowledged?.at).toBe(acknowledgedAt)
      expect(Complaint.isOpen(complaint)).toBe(false)
    })

    it("asks for the acknowledgement first", () => {
      spec.given([filed()]).when(resolve()).thenFails("IllegalComplaintState", (error) => {
        expect(error.message).toContain("acknowledge complaint pa-1 before resolving it")
      })
    })

    it("does nothing on a repeat, and refuses another replacement or a rejected complaint", () => {
      spec.given([filed(), acknowledged, resolved]).when(resolve()).thenNothingHappened()
      spec.given([filed(), acknowledged, resolved]).when(resolve({ replacementId: "kq-3" })).thenFails(
        "IllegalComplaintState"
      )
      spec.given([filed(), acknowledged, rejected]).when(resolve()).thenFails("IllegalComplaintState")
    })

    it("validates the replacement and the resolution", () => {
      spec.given([filed(), acknowledged]).when(resolve({ replacementId: "kq-1" })).thenFails("InvalidComplaint")
      spec.given([filed(), acknowledged]).when(resolve({ replacementId: "kq 2" })).thenFails(
        "InvalidComplaint",
        (error) => expect(error._tag === "InvalidComplaint" && error.reason).toBe("InvalidDocumentId")
      )
      spec.given([filed(), acknowledged]).when(resolve({ resolution: " " })).thenFails("InvalidComplaint")
    })

    it("forbids anyone but an officer of the issuing agency", () => {
      for (const actor of [otherOfficer, owner, auditor]) {
        spec.given([filed(), acknowledged]).when(resolve({ actor })).thenFails("ComplaintForbidden")
      }
      spec.given([]).when(resolve()).thenFails("ComplaintNotFound")
    })
  })

  describe("RejectComplaint", () => {
    it("records the rejection and its reason once acknowledged", () => {
      spec.given([filed(), acknowledged]).when(reject()).then([rejected])
      const complaint = complaintAfter([filed(), acknowledged, rejected])
      expect(complaint.status).toEqual({
        _tag: "Rejected",
        at: closedAt,
        officerId: "cb-001",
        reason: "Thông tin trên bản sao khớp với bản chính"
      })
      expect(Complaint.statusLabel[complaint.status._tag].vi).toBe("Phản ánh không được chấp nhận")
    })

    it("asks for the acknowledgement first, needs a reason, and does nothing on a repeat", () => {
      spec.given([filed()]).when(reject()).thenFails("IllegalComplaintState")
      spec.given([filed(), acknowledged]).when(reject({ reason: "" })).thenFails("InvalidComplaint")
      spec.given([filed(), acknowledged, rejected]).when(reject()).thenNothingHappened()
      spec.given([filed(), acknowledged, resolved]).when(reject()).thenFails("IllegalComplaintState")
    })

    it("forbids an officer of another agency", () => {
      spec.given([filed(), acknowledged]).when(reject({ actor: otherOfficer })).thenFails("ComplaintForbidden")
      spec.given([]).when(reject()).thenFails("ComplaintNotFound")
    })
  })

  it("classifies every error in Emmett's taxonomy", () => {
    const categoryOf = (command: Complaint.Command, events: ReadonlyArray<Complaint.Event>) => {
      const result = Complaint.decide(command, spec.stateAfter(events))
      if (Result.isSuccess(result)) throw new Error("expected a failure")
      return Complaint.category(result.failure)
    }
    expect(categoryOf(fileComplaint({ complaintId: "" }), [])).toBe("validation")
    expect(categoryOf(fileComplaint({ subject: subject({ status: "Removed" }) }), [])).toBe("validation")
    expect(categoryOf(acknowledge(), [])).toBe("not-found")
    expect(categoryOf(fileComplaint({ documentId: "kq-9" }), [filed()])).toBe("illegal-state")
    expect(categoryOf(resolve(), [filed()])).toBe("illegal-state")
    expect(categoryOf(acknowledge({ actor: otherOfficer }), [filed()])).toBe("forbidden")
  })

  it("never reopens a closed complaint, and only the issuing agency moves it (property)", () => {
    const actors: ReadonlyArray<Actor> = [owner, stranger, officer, otherOfficer, system, auditor]
    const command = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(...actors), fc.boolean()).map(
      ([kind, actor, alternative]): Complaint.Command => {
        switch (kind) {
          case 0:
            return fileComplaint({ actor, reason: alternative ? "NotThisCitizensResult" : "WrongCitizenInformation" })
          case 1:
            return acknowledge({ actor })
          case 2:
            return resolve({ actor, replacementId: alternative ? "kq-3" : "kq-2" })
          default:
            return reject({ actor })
        }
      }
    )
    fc.assert(fc.property(fc.array(command, { maxLength: 12 }), (commands) => {
      let state = Complaint.initialState
      const rank = { Filed: 0, Acknowledged: 1, Resolved: 2, Rejected: 2 } as const
      for (const c of commands) {
        const before = state.complaint
        const result = Complaint.decide(c, state)
        if (Result.isFailure(result)) continue
        for (const event of result.success) state = Complaint.evolve(state, event)
        const after = state.complaint
        if (result.success.length === 0) continue
        if (c._tag === "FileComplaint") {
          expect(before).toBeNull()
          expect(c.actor).toEqual(owner)
        } else {
          expect(c.actor).toEqual(officer)
          expect(before).not.toBeNull()
          expect(rank[after!.status._tag]).toBeGreaterThan(rank[before!.status._tag])
          expect(Complaint.isOpen(before!)).toBe(true)
        }
      }
    }))
  })
})
