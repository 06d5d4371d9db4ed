import { describe, expect, it } from "@effect/vitest"
import type { Document } from "../src/Document.ts"
import * as Matching from "../src/Matching.ts"
import * as Procedure from "../src/Procedure.ts"

const owner = "052090000495"
const other = "079201012345"
const asOf = "2024-03-20T08:15:00.000Z"

const marriage = Procedure.defaultCatalog.get("1.000894")!
const maritalStatus = Procedure.requirement(marriage, "xac-nhan-tinh-trang-hon-nhan")!
const idCard = Procedure.requirement(marriage, "giay-to-tuy-than")!
const pharmacist = Procedure.defaultCatalog.get("9.900002")!
const recruitment = Procedure.defaultCatalog.get("9.900003")!
const fuelShop = Procedure.defaultCatalog.get("2.000648")!

const sha = "b".repeat(64)

/** An agency-issued, shared, signed marital-status certificate of `owner`, issued 2024-02-01. */
const doc = (overrides: Partial<Document> = {}): Document => ({
  id: "xn-1",
  ownerId: owner,
  ownerName: "Nguyễn Văn An",
  code: null,
  resultType: null,
  type: "ProcedureResult",
  category: "xac-nhan-tinh-trang-hon-nhan",
  name: "Giấy xác nhận tình trạng hôn nhân",
  file: { sha256: sha, size: 120_000, mediaType: "application/pdf", fileName: "xn.pdf" },
  previousFiles: [],
  visible: true,
  shared: true,
  identificationNumber: null,
  decisionNumber: "15/XNTTHN",
  summary: null,
  issuer: { _tag: "Agency", agencyCode: "000.20.33.H08" },
  issuedAt: "2024-02-01",
  validity: { _tag: "NoExpiry", validFrom: "2024-02-01" },
  provenance: { _tag: "Issued", agencyCode: "000.20.33.H08", officerId: "cb-001" },
  signature: {
    indication: "TOTAL_PASSED",
    subIndication: null,
    reason: "all signatures are valid and chain to a trusted VGCA root",
    validationTime: "2024-02-01T02:00:00.000Z",
    documentSha256: sha,
    signatures: []
  },
  uses: [],
  status: { _tag: "Active" },
  openComplaints: [],
  enteredAt: "2024-02-01T02:00:00.000Z",
  updatedAt: "2024-02-01T02:00:00.000Z",
  ...overrides
})

const input = (documents: ReadonlyArray<Document>, overrides: Partial<Matching.MatchInput> = {}): Matching.MatchInput => ({
  requirement: maritalStatus,
  procedure: marriage,
  ownerId: owner,
  documents,
  asOf,
  ...overrides
})

/** The reasons of the only excluded document. */
const reasonsOf = (document: Document, overrides: Partial<Matching.MatchInput> = {}) => {
  const outcome = Matching.match(input([document], overrides))
  expect(outcome._tag).toBe("None")
  expect(outcome.excluded).toHaveLength(1)
  return outcome.excluded[0]!.reasons
}

const ids = (documents: ReadonlyArray<Document>) => documents.map((d) => d.id)

describe("Matching", () => {
  describe("outcomes (seed Appendix II part II, step 7)", () => {
    it("attaches automatically when exactly one document is eligible", () => {
      const outcome = Matching.match(input([doc(), doc({ id: "other-owner", ownerId: other })]))
      expect(outcome._tag).toBe("AutoAttach")
      if (outcome._tag !== "AutoAttach") return
      expect(outcome.document.id).toBe("xn-1")
      expect(ids(outcome.eligible)).toEqual(["xn-1"])
      expect(outcome.excluded.map((e) => e.document.id)).toEqual(["other-owner"])
    })

    it("suggests several, most recently issued first, then most recently entered, then most used, then by id", () => {
      const card = (id: string, issuedAt: string | null, enteredAt: string, uses: number): Document =>
        doc({
          id,
          category: "the-can-cuoc-cong-dan",
          issuedAt,
          validity: { _tag: "NoExpiry", validFrom: null },
          enteredAt,
          uses: Array.from({ length: uses }, (_, i) => ({
            dossierNumber: `D-${i}`,
            componentId: "giay-to-tuy-than",
            procedure: "1.000894",
            at: enteredAt
          }))
        })
      const documents = [
        card("undated", null, "2024-03-01T00:00:00.000Z", 9),
        card("old", "2021-05-01", "2024-01-01T00:00:00.000Z", 0),
        card("new-b", "2023-05-01", "2024-01-01T00:00:00.000Z", 1),
        card("new-a", "2023-05-01", "2024-01-01T00:00:00.000Z", 1),
        card("new-used", "2023-05-01", "2024-01-01T00:00:00.000Z", 3),
        card("new-entered-later", "2023-05-01", "2024-02-01T00:00:00.000Z", 0)
      ]
      const outcome = Matching.match(input(documents, { requirement: idCard }))
      expect(outcome._tag).toBe("Suggest")
      if (outcome._tag !== "Suggest") return
      expect(ids(outcome.documents)).toEqual(["new-entered-later", "new-used", "new-a", "new-b", "old", "undated"])
      expect(ids(outcome.eligible)).toEqual(ids(outcome.documents))
    })

    it("finds none, and says why for every document", () => {
      const outcome = Matching.match(input([doc({ visible: false }), doc({ id: "xn-2", shared: false })]))
      expect(outcome._tag).toBe("None")
      expect(Matching.found(outcome)).toBe(0)
      expect(outcome.excluded.map((e) => [e.document.id, Matching.primaryReason(e)._tag])).toEqual([
        ["xn-1", "Hidden"],
        ["xn-2", "NotShared"]
      ])
    })

    it("finds the seed's retail fuel shop certificate by its result type", () => {
      const certificate = doc({
        id: "052098000814.KQ.G02.000144.CS10387",
        ownerId: "052098000814",
        category: "giay-phep-su-dung-vat-lieu-no",
        resultType: "KQ.G02.000144",
        shared: false
      })
      const outcome = Matching.match({
        requirement: Procedure.requirement(fuelShop, "giay-chung-nhan-da-cap")!,
        procedure: fuelShop,
        ownerId: "052098000814",
        documents: [certificate],
        asOf
      })
      expect(outcome._tag).toBe("AutoAttach")
    })
  })

  describe("one example per exclusion reason", () => {
    it("other owner", () => {
      expect(reasonsOf(doc({ ownerId: other }))).toEqual([{ _tag: "OtherOwner", ownerId: other }])
    })

    it("category not accepted", () => {
      expect(reasonsOf(doc({ category: "giay-khai-sinh", resultType: "KQ.G15.000021" }))).toEqual([
        { _tag: "CategoryNotAccepted", category: "giay-khai-sinh", resultType: "KQ.G15.000021" }
      ])
    })

    it("hidden", () => {
      expect(reasonsOf(doc({ visible: false }))).toEqual([{ _tag: "Hidden" }])
    })

    it("not shared where sharing is required — and fine where it is not", () => {
      expect(reasonsOf(doc({ shared: false }))).toEqual([{ _tag: "NotShared" }])
      const status = Procedure.defaultCatalog.get("1.004873")!
      const outcome = Matching.match(input([doc({ shared: false })], {
        procedure: status,
        requirement: Procedure.requirement(status, "giay-xac-nhan-da-cap")!
      }))
      expect(outcome._tag).toBe("AutoAttach")
    })

    it("signature not passed", () => {
      const base = doc()
      expect(reasonsOf(doc({
        signature: { ...base.signature, indication: "TOTAL_FAILED", subIndication: "HASH_FAILURE" }
      }))).toEqual([{ _tag: "SignatureNotPassed", indication: "TOTAL_FAILED", subIndication: "HASH_FAILURE" }])
    })

    it("revoked", () => {
      const status = { _tag: "Revoked", at: "2024-03-01T00:00:00.000Z", agencyCode: "000.20.33.H08", reason: "sai" } as const
      expect(reasonsOf(doc({ status }))).toEqual([
        { _tag: "Revoked", at: status.at, agencyCode: status.agencyCode, reason: "sai" }
      ])
    })

    it("superseded", () => {
      expect(reasonsOf(doc({
        status: {
          _tag: "Superseded",
          at: "2024-03-01T00:00:00.000Z",
          agencyCode: "000.20.33.H08",
          replacementId: "xn-9",
          reason: "cấp lại"
        }
      }))).toEqual([{ _tag: "Superseded", at: "2024-03-01T00:00:00.000Z", replacementId: "xn-9" }])
    })

    it("removed", () => {
      expect(reasonsOf(doc({ status: { _tag: "Removed", at: "2024-03-01T00:00:00.000Z" } }))).toEqual([
        { _tag: "Removed", at: "2024-03-01T00:00:00.000Z" }
      ])
    })

    it("complaint open", () => {
      expect(reasonsOf(doc({ openComplaints: ["pa-1", "pa-2"] }))).toEqual([
        { _tag: "ComplaintOpen", complaintIds: ["pa-1", "pa-2"] }
      ])
    })

    it("wrong form: an uploaded copy where the original is required", () => {
      expect(reasonsOf(doc({ provenance: { _tag: "Uploaded" } }))).toEqual([
        { _tag: "WrongForm", required: "Original", serves: ["Copy"] }
      ])
    })

    it("not yet valid", () => {
      expect(reasonsOf(doc({ issuedAt: "2024-03-21", validity: { _tag: "NoExpiry", validFrom: null } }))).toEqual([
        { _tag: "NotYetValid", validFrom: "2024-03-21" }
      ])
      expect(reasonsOf(doc({ validity: { _tag: "NoExpiry", validFrom: "2024-04-01" } }))).toEqual([
        { _tag: "NotYetValid", validFrom: "2024-04-01" }
      ])
    })

    it("expired for this procedure: 6 months from issue", () => {
      expect(reasonsOf(doc({ issuedAt: "2023-09-19" }))).toEqual([
        { _tag: "ExpiredForProcedure", procedure: "1.000894", basis: { _tag: "FromIssue", validUntil: "2024-03-19" } }
      ])
      expect(Matching.match(input([doc({ issuedAt: "2023-09-20" })]))._tag).toBe("AutoAttach")
    })

    it("expired: the validity printed on the document", () => {
      const card = doc({
        category: "the-can-cuoc-cong-dan",
        validity: { _tag: "Until", validFrom: null, validUntil: "2024-03-19" }
      })
      expect(reasonsOf(card, { requirement: idCard })).toEqual([
        { _tag: "ExpiredForProcedure", procedure: "1.000894", basis: { _tag: "Printed", validUntil: "2024-03-19" } }
      ])
    })

    it("expired: the procedure counts from issue and the document has no issue date", () => {
      expect(reasonsOf(doc({ issuedAt: null }))).toEqual([
        { _tag: "ExpiredForProcedure", procedure: "1.000894", basis: { _tag: "IssueDateUnknown" } }
      ])
    })

    it("expired: the marital status changed (a later certificate the dossier can use instead exists)", () => {
      const later = doc({ id: "xn-2", issuedAt: "2024-03-01" })
      const outcome = Matching.match(input([doc(), later]))
      expect(outcome._tag).toBe("AutoAttach")
      expect(ids(outcome.eligible)).toEqual(["xn-2"])
      expect(outcome.excluded.map((e) => [e.document.id, e.reasons])).toEqual([
        ["xn-1", [{
          _tag: "ExpiredForProcedure",
          procedure: "1.000894",
          basis: { _tag: "StatusChanged", laterDocumentId: "xn-2", laterIssuedAt: "2024-03-01" }
        }]]
      ])
    })

    it("lists every reason that applies, the primary one first", () => {
      const reasons = reasonsOf(doc({
        ownerId: other,
        visible: false,
        shared: false,
        openComplaints: ["pa-1"],
        issuedAt: "2023-01-01",
        provenance: { _tag: "Uploaded" }
      }))
      expect(reasons.map((r) => r._tag)).toEqual([
        "OtherOwner",
        "ComplaintOpen",
        "Hidden",
        "NotShared",
        "WrongForm",
        "ExpiredForProcedure"
      ])
      const tags = reasons.map((r) => Matching.reasonTags.indexOf(r._tag))
      expect(tags).toEqual([...tags].sort((a, b) => a - b))
    })
  })

  describe("validity", () => {
    it("sets the criminal-record certificate's window per procedure", () => {
      const certificate = doc({
        id: "lltp-1",
        category: "ly-lich-tu-phap-so-1",
        issuedAt: "2024-01-10",
        validity: { _tag: "NoExpiry", validFrom: null }
      })
      const forPharmacist = Matching.match({
        requirement: Procedure.requirement(pharmacist, "ly-lich-tu-phap")!,
        procedure: pharmacist,
        ownerId: owner,
        documents: [certificate],
        asOf
      })
      expect(forPharmacist._tag).toBe("AutoAttach")
      const forRecruitment = Matching.match({
        requirement: Procedure.requirement(recruitment, "ly-lich-tu-phap")!,
        procedure: recruitment,
        ownerId: owner,
        documents: [certificate],
        asOf
      })
      expect(forRecruitment.excluded[0]?.reasons).toEqual([
        { _tag: "ExpiredForProcedure", procedure: "9.900003", basis: { _tag: "FromIssue", validUntil: "2024-02-09" } }
      ])
    })

    it("counts months to the same day, or the month's last day", () => {
      const certificate = doc({ issuedAt: "2023-08-31", validity: { _tag: "NoExpiry", validFrom: null } })
      expect(Matching.match(input([certificate], { asOf: "2024-02-29T10:00:00.000Z" }))._tag).toBe("AutoAttach")
      expect(reasonsOf(certificate, { asOf: "2024-03-01T10:00:00.000Z" })).toEqual([
        { _tag: "ExpiredForProcedure", procedure: "1.000894", basis: { _tag: "FromIssue", validUntil: "2024-02-29" } }
      ])
    })

    it("judges validity on the day in Vietnam (UTC+7)", () => {
      const certificate = doc({ issuedAt: "2023-09-19" }) // valid through 2024-03-19
      expect(Matching.match(input([certificate], { asOf: "2024-03-19T16:59:59.999Z" }))._tag).toBe("AutoAttach")
      expect(Matching.match(input([certificate], { asOf: "2024-03-19T17:00:00.000Z" }))._tag).toBe("None")
    })

    it("retires an earlier certificate only for a later one this component could use instead", () => {
      const unusable: ReadonlyArray<readonly [string, Document]> = [
        ["under complaint", doc({ id: "xn-2", issuedAt: "2024-03-01", openComplaints: ["pa-1"] })],
        ["removed", doc({ id: "xn-2", issuedAt: "2024-03-01", status: { _tag: "Removed", at: "2024-03-02T00:00:00.000Z" } })],
        ["issued after as-of", doc({ id: "xn-2", issuedAt: "2024-03-25", validity: { _tag: "NoExpiry", validFrom: null } })],
        ["another owner's", doc({ id: "xn-2", issuedAt: "2024-03-01", ownerId: other })],
        ["signature not passed", doc({
          id: "xn-2",
          issuedAt: "2024-03-01",
          signature: { ...doc().signature, indication: "TOTAL_FAILED", subIndication: "HASH_FAILURE" }
        })],
        ["hidden", doc({ id: "xn-2", issuedAt: "2024-03-01", visible: false })],
        ["not shared, sharing required", doc({ id: "xn-2", issuedAt: "2024-03-01", shared: false })],
        ["an uploaded copy, an original required", doc({
          id: "xn-2",
          issuedAt: "2024-03-01",
          provenance: { _tag: "Uploaded" },
          issuer: { _tag: "Owner", ownerId: owner }
        })],
        ["undated, entered later", doc({ id: "xn-2", issuedAt: null, enteredAt: "2024-03-01T02:00:00.000Z" })],
        ["past its printed validity", doc({
          id: "xn-2",
          issuedAt: "2024-03-01",
          validity: { _tag: "Until", validFrom: null, validUntil: "2024-03-10" }
        })]
      ]
      for (const [why, later] of unusable) {
        const outcome = Matching.match(input([doc(), later]))
        expect(ids(outcome.eligible), why).toEqual(["xn-1"])
        expect(outcome.excluded.map((e) => e.document.id), why).toEqual(["xn-2"])
        // the same in fast mode
        expect(ids(Matching.matchIndexed(Matching.index([doc(), later]), input([])).eligible), why).toEqual(["xn-1"])
      }
      // the same later certificate, usable, retires it
      expect(ids(Matching.match(input([doc(), doc({ id: "xn-2", issuedAt: "2024-03-01" })])).eligible)).toEqual(["xn-2"])
    })

    it("retires by the latest usable certificate only, and never one issued the same day", () => {
      const documents = [
        doc(),
        doc({ id: "xn-same-day", issuedAt: "2024-02-01" }),
        doc({ id: "xn-2", issuedAt: "2024-03-01" }),
        doc({ id: "xn-3-hidden", issuedAt: "2024-03-10", visible: false })
      ]
      const outcome = Matching.match(input(documents))
      expect(ids(outcome.eligible)).toEqual(["xn-2"])
      const statusChanged = {
        _tag: "ExpiredForProcedure",
        procedure: "1.000894",
        basis: { _tag: "StatusChanged", laterDocumentId: "xn-2", laterIssuedAt: "2024-03-01" }
      }
      expect(outcome.excluded.map((e) => [e.document.id, e.reasons])).toEqual([
        ["xn-3-hidden", [{ _tag: "Hidden" }]],
        ["xn-1", [statusChanged]],
        ["xn-same-day", [statusChanged]]
      ])
      // two usable certificates of the same day: neither retires the other
      const twins = Matching.match(input([doc(), doc({ id: "xn-same-day" })]))
      expect(ids(twins.eligible)).toEqual(["xn-1", "xn-same-day"])
    })

    it("lets a later certificate expire an earlier one only under an until-the-status-changes rule", () => {
      const land = Procedure.defaultCatalog.get("9.900004")!
      const status = Procedure.defaultCatalog.get("1.004873")!
      const documents = [doc(), doc({ id: "xn-2", issuedAt: "2024-03-01" })]
      expect(ids(Matching.match(input(documents)).eligible)).toEqual(["xn-2"])
      expect(
        ids(Matching.match(input(documents, { procedure: land, requirement: Procedure.requirement(land, "xac-nhan-tinh-trang-hon-nhan")! })).eligible)
      ).toEqual(["xn-2"])
      expect(
        ids(
          Matching.match(input(documents, { procedure: status, requirement: Procedure.requirement(status, "giay-xac-nhan-da-cap")! }))
            .eligible
        )
      ).toEqual(["xn-2", "xn-1"])
    })

    it("refuses a malformed as-of instant", () => {
      expect(() => Matching.match(input([doc()], { asOf: "2024-03-20" }))).toThrow(RangeError)
    })
  })

  describe("forms", () => {
    it("tells which forms a document serves from its provenance and type", () => {
      const agency = { agencyCode: "000.20.33.H08", officerId: "cb-001" }
      expect(Matching.formsServed(doc())).toEqual(["Original", "CertifiedCopy", "Copy"])
      expect(Matching.formsServed(doc({ type: "CertifiedCopy" }))).toEqual(["CertifiedCopy", "Copy"])
      expect(Matching.formsServed(doc({ provenance: { _tag: "CertifiedCopy", ...agency } }))).toEqual([
        "CertifiedCopy",
        "Copy"
      ])
      expect(Matching.formsServed(doc({ provenance: { _tag: "DigitisedAtCounter", ...agency } }))).toEqual([
        "CertifiedCopy",
        "Copy"
      ])
      expect(Matching.formsServed(doc({ provenance: { _tag: "Uploaded" } }))).toEqual(["Copy"])
      expect(Matching.formsServed(doc({ provenance: { _tag: "Uploaded" }, category: "ban-sao-chung-thuc" }))).toEqual([
        "CertifiedCopy",
        "Copy"
      ])
      expect(Matching.formsServed(doc({ provenance: { _tag: "Uploaded" }, type: "CertifiedCopy" }))).toEqual([
        "CertifiedCopy",
        "Copy"
      ])
    })
  })

  describe("explain mode and fast mode", () => {
    const snapshot = [
      doc(),
      doc({ id: "xn-hidden", visible: false }),
      doc({ id: "xn-other", ownerId: other }),
      doc({ id: "card", category: "the-can-cuoc-cong-dan", resultType: "KQ.G01.000023" }),
      doc({ id: "birth", category: "giay-khai-sinh" })
    ]

    it("decide the same; fast mode lists only the owner's accepted candidates", () => {
      const index = Matching.index(snapshot)
      const query = { requirement: maritalStatus, procedure: marriage, ownerId: owner, asOf }
      const explained = Matching.match({ ...query, documents: snapshot })
      const fast = Matching.matchIndexed(index, query)
      expect(fast._tag).toBe(explained._tag)
      expect(ids(fast.eligible)).toEqual(ids(explained.eligible))
      expect(fast.excluded.map((e) => e.document.id)).toEqual(["xn-hidden"])
      expect(explained.excluded.map((e) => e.document.id)).toEqual(["birth", "card", "xn-hidden", "xn-other"])
      expect(Matching.explain(index, query)).toEqual(explained)
    })

    it("takes a document accepted by both its category and its result type once", () => {
      const index = Matching.index(snapshot)
      const candidates = Matching.candidates(index, { ownerId: owner, requirement: idCard })
      expect(ids(candidates)).toEqual(["card"])
      expect(Matching.candidates(index, { ownerId: "001099000001", requirement: idCard })).toEqual([])
    })

    it("counts an (owner, id) repeated in the input once, the newer snapshot winning", () => {
      const stale = doc({ updatedAt: "2024-02-01T02:00:00.000Z" })
      const fresh = doc({ visible: false, updatedAt: "2024-03-01T00:00:00.000Z" })
      for (const documents of [[stale, fresh], [fresh, stale]]) {
        const outcome = Matching.match(input(documents))
        expect(outcome.excluded.map((e) => e.reasons[0]._tag)).toEqual(["Hidden"])
        expect(Matching.index(documents).documents).toEqual([fresh])
      }
    })

    it("matches every component of a dossier's case", () => {
      const index = Matching.index(snapshot)
      const components = Matching.matchProcedure(index, {
        procedure: marriage,
        caseId: "khong-xac-minh",
        ownerId: owner,
        asOf
      })
      expect(components.map((c) => [c.requirement.id, c.outcome._tag])).toEqual([
        ["to-khai", "None"],
        ["xac-nhan-tinh-trang-hon-nhan", "AutoAttach"],
        ["giay-to-tuy-than", "AutoAttach"]
      ])
    })
  })

  describe("messages", () => {
    it("say every reason in Vietnamese and English", () => {
      const reasons: ReadonlyArray<Matching.ExclusionReason> = [
        { _tag: "OtherOwner", ownerId: other },
        { _tag: "CategoryNotAccepted", category: "giay-khai-sinh", resultType: null },
        { _tag: "Removed", at: asOf },
        { _tag: "Revoked", at: asOf, agencyCode: "000.20.33.H08", reason: "sai thông tin" },
        { _tag: "Superseded", at: asOf, replacementId: "xn-2" },
        { _tag: "SignatureNotPassed", indication: "INDETERMINATE", subIndication: "NO_CERTIFICATE_CHAIN_FOUND" },
        { _tag: "ComplaintOpen", complaintIds: ["pa-1"] },
        { _tag: "Hidden" },
        { _tag: "NotShared" },
        { _tag: "WrongForm", required: "Original", serves: ["Copy"] },
        { _tag: "NotYetValid", validFrom: "2024-04-01" },
        { _tag: "ExpiredForProcedure", procedure: "1.000894", basis: { _tag: "FromIssue", validUntil: "2024-03-19" } },
        { _tag: "ExpiredForProcedure", procedure: "1.000894", basis: { _tag: "Printed", validUntil: "2024-03-19" } },
        { _tag: "ExpiredForProcedure", procedure: "1.000894", basis: { _tag: "IssueDateUnknown" } },
        {
          _tag: "ExpiredForProcedure",
          procedure: "1.000894",
          basis: { _tag: "StatusChanged", laterDocumentId: "xn-2", laterIssuedAt: "2024-03-01" }
        }
      ]
      expect(new Set(reasons.map((r) => r._tag))).toEqual(new Set(Matching.reasonTags))
      const seen = new Set<string>()
      for (const reason of reasons) {
        const { en, vi } = Matching.message(reason)
        expect(vi.length).toBeGreaterThan(10)
        expect(en.length).toBeGreaterThan(10)
        expect(vi).not.toEqual(en)
        seen.add(vi)
      }
      expect(seen.size).toBe(reasons.length)
      expect(Matching.message({ _tag: "NotYetValid", validFrom: "2024-04-01" }).vi).toContain("01/04/2024")
      expect(Matching.message({ _tag: "WrongForm", required: "Original", serves: ["Copy"] }).vi).toContain("bản chính")
    })
  })
})
