/**
 * Every free-text field is bounded (audit M1): an unbounded one is accepted, then makes an export
 * line no reader takes back. Refusals are typed (`FieldTooLong`) and name the field and the limit.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import * as ScenarioKit from "@kho/testing/ScenarioKit"
import * as DocumentStore from "../src/DocumentStore.ts"
import * as DocumentStoreService from "../src/DocumentStoreService.ts"
import * as Dossier from "../src/Dossier.ts"
import * as DossierService from "../src/DossierService.ts"
import * as PersonalId from "../src/PersonalId.ts"
import { pdf } from "./utils/documentFixtures.ts"
import { agencyCode, declarationUpload, morning, officer, owner, ownerId } from "./utils/dossierFixtures.ts"
import { memoryDocuments, numberedRequests } from "./utils/services.ts"

const layer = () => DossierService.layer.pipe(Layer.provideMerge(memoryDocuments()))

const request = numberedRequests()
let n = 0

const upload = (overrides: Partial<DocumentStoreService.UploadInput>): DocumentStoreService.UploadInput => ({
  ownerId,
  documentId: `up-${++n}`,
  bytes: pdf(`upload ${n}`),
  fileName: "the.pdf",
  mediaType: "application/pdf",
  type: "PersonalDocument",
  category: "the-can-cuoc-cong-dan",
  name: "Thẻ căn cước công dân",
  ...overrides
})

const refusedUpload = (overrides: Partial<DocumentStoreService.UploadInput>) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(morning)
    const documents = yield* DocumentStoreService.DocumentStoreService
    return yield* Effect.flip(documents.upload(upload(overrides), request(owner)))
  })

const long = (length: number) => "a".repeat(length)

describe("field limits", () => {
  it.effect("a document's free texts: at the limit accepted, one more refused naming the field and the limit", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(morning)
      const documents = yield* DocumentStoreService.DocumentStoreService
      yield* documents.upload(upload({ summary: long(DocumentStore.maxTextLength), ownerName: long(DocumentStore.maxTextLength) }), request(owner))
      for (const [field, label] of [["summary", "summary"], ["ownerName", "owner name"], ["decisionNumber", "decision number"], [
        "identificationNumber",
        "identification number"
      ]] as const) {
        const error = yield* refusedUpload({ [field]: long(DocumentStore.maxTextLength + 1) })
        expect(error._tag).toBe("InvalidDocument")
        expect(error._tag === "InvalidDocument" && error.reason).toBe("FieldTooLong")
        expect(error.message).toContain(label)
        expect(error.message).toContain(String(DocumentStore.maxTextLength))
      }
    }).pipe(Effect.provide(layer())))

  it.effect("a 17 MiB summary is refused, not accepted into the log", () =>
    Effect.gen(function*() {
      const error = yield* refusedUpload({ summary: long(17 * 2 ** 20) })
      expect(error._tag === "InvalidDocument" && error.reason).toBe("FieldTooLong")
      expect(error.message.length).toBeLessThan(200)
    }).pipe(Effect.provide(layer())))

  it.effect("a file name has at most 255 characters, and the refusal does not repeat it", () =>
    Effect.gen(function*() {
      const error = yield* refusedUpload({ fileName: `${long(DocumentStore.maxFileNameLength)}.pdf` })
      expect(error._tag === "InvalidDocument" && error.reason).toBe("FieldTooLong")
      expect(error.message).toContain("file name")
      expect(error.message).not.toContain(long(DocumentStore.maxFileNameLength))
    }).pipe(Effect.provide(layer())))

  it.effect("a wrong document type is an InvalidDocument, not an encoding error", () =>
    Effect.gen(function*() {
      const error = yield* refusedUpload({ type: "Bogus" as unknown as "PersonalDocument" })
      expect(error._tag).toBe("InvalidDocument")
      expect(error.message).toContain("PersonalDocument")
    }).pipe(Effect.provide(layer())))

  it.effect("a dossier's free texts: the submitter's name, an uploaded file's name, an officer's reason", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(morning)
      const dossiers = yield* DossierService.DossierService
      const draft = ScenarioKit.marriageRegistrationDraft({ dossierId: "hs-1", ownerId, agencyCode })
      const named = yield* Effect.flip(dossiers.createDraft(
        { ...draft, submitter: { personalId: ownerId, name: long(Dossier.maxTextLength + 1) } },
        request(owner)
      ))
      expect(named._tag === "InvalidDossier" && named.reason).toBe("FieldTooLong")
      expect(named.message).toContain("submitter's name")

      yield* dossiers.createDraft(draft, request(owner))
      const file = yield* Effect.flip(dossiers.upload(declarationUpload("hs-1", `${long(300)}.pdf`), request(owner)))
      expect("reason" in file && file.reason).toBe("FieldTooLong")

      yield* dossiers.upload(declarationUpload(), request(owner))
      const address = yield* Effect.flip(dossiers.chooseMethods(
        { dossierId: "hs-1", submission: "Online", receipt: "ByPost", deliveryAddress: long(Dossier.maxTextLength + 1) },
        request(owner)
      ))
      expect(address._tag === "InvalidDossier" && address.reason).toBe("FieldTooLong")
      yield* dossiers.chooseMethods({ dossierId: "hs-1", submission: "Online", receipt: "AtCommuneOffice" }, request(owner))
      yield* dossiers.submit("hs-1", request(owner))
      yield* dossiers.receive("hs-1", request(officer))
      const reason = yield* Effect.flip(dossiers.reject({ dossierId: "hs-1", reason: long(Dossier.maxTextLength + 1) }, request(officer)))
      expect(reason._tag === "InvalidDossier" && reason.reason).toBe("FieldTooLong")
      expect(reason.message).toContain(`at most ${Dossier.maxTextLength} characters`)
    }).pipe(Effect.provide(layer())))

  it("PersonalId.problem repeats at most a bounded prefix of a wrong input", () => {
    const message = PersonalId.problem(long(100_000)) ?? ""
    expect(message).toContain("100000 characters")
    expect(message.length).toBeLessThan(200)
  })
})
