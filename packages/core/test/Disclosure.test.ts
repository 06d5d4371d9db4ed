/**
 * DESIGN.md §6: a stranger learns nothing. Refusals name the actor's role and the rule, never the
 * other party's personal ids; a refused read looks like a missing dossier; only the owner refers to
 * their earlier dossiers (a self-named submitter cannot probe them); the KPI ledger keeps no
 * personal data.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import * as ScenarioKit from "@kho/testing/ScenarioKit"
import * as ComplaintService from "../src/ComplaintService.ts"
import * as DocumentStoreService from "../src/DocumentStoreService.ts"
import * as DossierService from "../src/DossierService.ts"
import * as KpiLedger from "../src/KpiLedger.ts"
import { idCard, officer as complaintOfficer } from "./utils/documentFixtures.ts"
import { agencyCode, declarationUpload, draft, morning, officer, otherOfficer, owner, ownerId, stranger } from "./utils/dossierFixtures.ts"
import { memoryServices, numberedRequests } from "./utils/services.ts"

const strangerId = stranger._tag === "Citizen" ? stranger.personalId : ""
const request = numberedRequests()

/** The owner's dossier hs-1, submitted and received; returns its number. */
const submittedDossier = Effect.gen(function*() {
  yield* TestClock.setTime(morning)
  const dossiers = yield* DossierService.DossierService
  yield* dossiers.createDraft(draft(), request(owner))
  yield* dossiers.upload(declarationUpload(), request(owner))
  yield* dossiers.chooseMethods({ dossierId: "hs-1", submission: "Online", receipt: "AtCommuneOffice" }, request(owner))
  const { number } = yield* dossiers.submit("hs-1", request(owner))
  yield* dossiers.receive("hs-1", request(officer))
  return number
})

/** Everything an error says, for "does it name this id" checks. */
const said = (error: unknown): string => JSON.stringify(error) + String((error as { message?: unknown }).message)

describe("Disclosure (DESIGN.md §6)", () => {
  it.effect("refusals to a stranger and to another agency's officer name no personal id", () =>
    Effect.gen(function*() {
      yield* submittedDossier
      const dossiers = yield* DossierService.DossierService
      const refusals = [
        yield* Effect.flip(dossiers.upload({
          dossierId: "hs-1",
          componentId: "to-khai",
          bytes: new Uint8Array(),
          fileName: "a.pdf",
          mediaType: "application/pdf"
        }, request(stranger))),
        yield* Effect.flip(dossiers.lookup("hs-1", request(stranger))),
        yield* Effect.flip(dossiers.detach({ dossierId: "hs-1", componentId: "to-khai" }, request(stranger))),
        yield* Effect.flip(dossiers.pick({ dossierId: "hs-1", componentId: "to-khai", documentId: "x" }, request(stranger))),
        yield* Effect.flip(dossiers.receive("hs-1", request(otherOfficer))),
        yield* Effect.flip(dossiers.load("hs-1", stranger))
      ]
      for (const error of refusals) {
        expect(said(error)).not.toContain(ownerId)
        // the upload is refused for who is asking, not for the empty file
        expect(error._tag).not.toBe("InvalidDocument")
      }
    }).pipe(Effect.provide(memoryServices())))

  it.effect("a refused read of an existing dossier is indistinguishable from a missing one", () =>
    Effect.gen(function*() {
      yield* submittedDossier
      const dossiers = yield* DossierService.DossierService
      for (const actor of [stranger, otherOfficer]) {
        const existing = yield* Effect.flip(dossiers.load("hs-1", actor))
        const missing = yield* Effect.flip(dossiers.load("hs-2", actor))
        expect(existing._tag).toBe(missing._tag)
        expect(existing.message.replace("hs-1", "hs-2")).toBe(missing.message)
      }
      // as for the owner asking for a dossier that does not exist
      expect((yield* Effect.flip(dossiers.load("hs-2", owner)))._tag).toBe("DossierNotFound")
    }).pipe(Effect.provide(memoryServices())))

  it.effect("a stranger naming themselves submitter of a draft for the owner cannot probe the owner's dossiers", () =>
    Effect.gen(function*() {
      const number = yield* submittedDossier
      const dossiers = yield* DossierService.DossierService
      yield* dossiers.createDraft({
        ...ScenarioKit.marriageRegistrationDraft({ dossierId: "hs-evil", ownerId, agencyCode }),
        submitter: { personalId: strangerId, name: "X" }
      }, request(stranger))
      for (const dossierNumber of [number, number.replace(/0001$/, "0002")]) {
        const error = yield* Effect.flip(dossiers.referEarlierResult(
          { dossierId: "hs-evil", componentId: "to-khai", dossierNumber },
          request(stranger)
        ))
        expect(error._tag).toBe("DossierForbidden")
        expect(said(error)).not.toContain(ownerId)
        expect(said(error)).not.toContain("Received")
      }
    }).pipe(Effect.provide(memoryServices())))

  it.effect("a complaint refused to a stranger reads like a missing one; the KPI ledger keeps no owner, document or reason", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(morning)
      const documents = yield* DocumentStoreService.DocumentStoreService
      const complaints = yield* ComplaintService.ComplaintService
      yield* documents.issue(idCard("kq-1", "CCCD"), request(complaintOfficer))
      yield* complaints.file(
        { complaintId: "pa-1", ownerId, documentId: "kq-1", reason: "WrongCitizenInformation", comment: "sai ngày sinh" },
        request(owner)
      )
      const existing = yield* Effect.flip(complaints.get("pa-1", stranger))
      const missing = yield* Effect.flip(complaints.get("pa-2", stranger))
      expect(existing._tag).toBe(missing._tag)
      expect(existing.message.replace("pa-1", "pa-2")).toBe(missing.message)

      const ledger = yield* KpiLedger.fromStore()
      const open = [...ledger.openComplaints.values()]
      expect(open.map((c) => c.complaintId)).toEqual(["pa-1"])
      const kept = JSON.stringify(open)
      for (const secret of [ownerId, "kq-1", "WrongCitizenInformation"]) expect(kept).not.toContain(secret)
    }).pipe(Effect.provide(memoryServices())))
})
