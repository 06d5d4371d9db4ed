import { describe, expect, it } from "@effect/vitest"
import * as DeciderSpecification from "@kho/testing/DeciderSpecification"
import { Schema } from "effect"
import * as Decider from "../src/Decider.ts"
import * as Dossier from "../src/Dossier.ts"
import {
  agencyCode,
  at,
  attach,
  attached,
  auditor,
  auto,
  command,
  completeDraft,
  create,
  created,
  dossierId,
  later,
  methodsChosen,
  number,
  numberAssigned,
  officer,
  otherOfficer,
  owner,
  ownerId,
  picked,
  received,
  receivedDossier,
  requirements,
  sha,
  stranger,
  submitted,
  submittedAndNumbered,
  submitter,
  submitterId,
  supplementRequested,
  system,
  uploadedFile
} from "./utils/dossierFixtures.ts"

const spec = DeciderSpecification.for(Dossier.decider)
const stateOf = (events: ReadonlyArray<Dossier.Event>) => {
  const dossier = spec.stateAfter(events).dossier
  if (dossier === null) throw new Error("no dossier")
  return dossier
}

const submit = (actor = owner, when = at) => command("Submit", actor, {}, when)
const assign = (n = number, actor = owner) => command("AssignNumber", actor, { number: n }, at)
const receive = (actor = officer) => command("Receive", actor, {})
const reject = (reason = "Hồ sơ không thuộc thẩm quyền", actor = officer) => command("Reject", actor, { reason })
const requestSupplement = (
  componentIds: ReadonlyArray<string> = ["xac-nhan-tinh-trang-hon-nhan"],
  actor = officer,
  reason = "Giấy xác nhận tình trạng hôn nhân đã quá 6 tháng"
) => command("RequestSupplement", actor, { reason, componentIds })
const provide = (actor = owner) => command("ProvideSupplement", actor, {})
const resultDocs: ReadonlyArray<Dossier.ResultDocument> = [
  { documentId: "kq-kh-1", kind: "Result", name: "Giấy chứng nhận kết hôn" },
  { documentId: "bs-kh-1", kind: "CertifiedCopy", name: "Bản sao Giấy chứng nhận kết hôn" }
]
const issue = (documents = resultDocs, actor = officer) => command("IssueResult", actor, { documents })
const paperDocs: ReadonlyArray<Dossier.PaperDocument> = [{ kind: "Result", name: "Giấy chứng nhận kết hôn (bản giấy)" }]
const issueOnPaper = (documents = paperDocs, actor = officer) => command("IssuePaperResult", actor, { documents })
const choose = (
  fields: Partial<{ submission: Dossier.SubmissionMethod; receipt: Dossier.ReceiptMethod; deliveryAddress: string | null }> =
    {},
  actor = owner
) =>
  command("ChooseMethods", actor, { submission: "Online", receipt: "AtCommuneOffice", deliveryAddress: null, ...fields }, at)

describe("Dossier", () => {
  it("names one stream per dossier, and its events round-trip through their schema", () => {
    expect(Decider.streamId(Dossier.decider, dossierId)).toBe("Dossier-hs-0001")
    const encode = Schema.encodeSync(Dossier.Event)
    const decode = Schema.decodeUnknownSync(Dossier.Event)
    for (const event of [...receivedDossier, supplementRequested]) {
      expect(decode(JSON.parse(JSON.stringify(encode(event))))).toEqual(event)
    }
  })

  it("takes the number's day in Vietnam (UTC+7)", () => {
    expect(Dossier.vietnamDay("2024-03-19T16:59:59.999Z")).toBe("2024-03-19")
    expect(Dossier.vietnamDay("2024-03-19T17:00:00.000Z")).toBe("2024-03-20")
    expect(Dossier.vietnamDay("2024-12-31T17:30:00.000Z")).toBe("2025-01-01")
  })

  it("keeps store reuse, earlier-dossier reuse and digitisation apart", () => {
    expect(Dossier.reuseOf(auto("a"))).toBe("Store")
    expect(Dossier.reuseOf(picked("a"))).toBe("Store")
    expect(Dossier.reuseOf(uploadedFile())).toBe("None")
    expect(Dossier.reuseOf({ _tag: "ScannedAtCounter", documentId: "s", sha256: sha("e"), agencyCode, officerId: "cb" }))
      .toBe("Digitised")
    expect(Dossier.reuseOf({ _tag: "EarlierResult", dossierNumber: number, dossierId: "x", documentId: null }))
      .toBe("EarlierDossier")
    expect(Dossier.storeUseOf(picked("a"))).toBe("a")
    expect(Dossier.storeUseOf(uploadedFile())).toBeNull()
    expect(Dossier.storeUseOf({ _tag: "EarlierResult", dossierNumber: number, dossierId: "x", documentId: "kq" })).toBeNull()
  })

  describe("CreateDraft", () => {
    it("opens a draft for the owner, with the procedure's requirements snapshotted", () => {
      spec.given([]).when(create()).then([created()])
      const dossier = stateOf([created()])
      expect(dossier.status).toBe("Draft")
      expect(dossier.requirements).toEqual(requirements)
      expect(dossier.number).toBeNull()
    })

    it("lets a submitter open a draft for another owner", () => {
      const fields = { actor: submitter, submitter: { personalId: submitterId, name: "Trần Thị Bình" } }
      spec.given([]).when(create(fields)).then([created(fields)])
    })

    it("lets an officer of the deciding agency open a draft at the counter, not online", () => {
      spec.given([]).when(create({ actor: officer, channel: "counter" })).then([
        created({ channel: "counter" })
      ])
      spec.given([]).when(create({ actor: officer })).thenFails("DossierForbidden")
      spec.given([]).when(create({ actor: otherOfficer, channel: "counter" })).thenFails("DossierForbidden", (e) => {
        expect(e.message).toContain("000.20.33.H08")
      })
    })

    it("refuses strangers, auditors and the engine", () => {
      for (const actor of [stranger, auditor, system]) {
        spec.given([]).when(create({ actor })).thenFails("DossierForbidden")
      }
    })

    it("refuses malformed drafts, saying which field", () => {
      const cases: ReadonlyArray<[Partial<typeof Dossier.CreateDraft.Type>, Dossier.InvalidDossier["reason"]]> = [
        [{ dossierId: "hồ sơ 1" }, "InvalidDossierId"],
        [{ ownerId: "12345" }, "InvalidOwnerId"],
        [{ submitter: { personalId: "abc", name: null } }, "InvalidSubmitter"],
        [{ agencyCode: "UBND An Hòa" }, "InvalidAgencyCode"],
        [{ procedure: { code: " ", name: "?" } }, "InvalidField"],
        [{ case: { code: "", name: "" } }, "InvalidField"],
        [{ commune: "" }, "InvalidField"],
        [{ requirements: [requirements[0]!, requirements[0]!] }, "InvalidField"]
      ]
      for (const [overrides, reason] of cases) {
        spec.given([]).when(create(overrides)).thenFails("InvalidDossier", (e) => {
          expect(e._tag === "InvalidDossier" && e.reason).toBe(reason)
        })
      }
    })

    it("does nothing when the same draft is created again, and refuses a different one under the id", () => {
      spec.given([created()]).when(create({ at: later })).thenNothingHappened()
      spec.given([created()]).when(create({ commune: "binh-dinh.an-lao.an-tan" })).thenFails("DossierAlreadyExists")
    })
  })

  describe("AttachComponent", () => {
    it("records each of the five ways a component is satisfied", () => {
      const sources: ReadonlyArray<Dossier.Source> = [
        auto("cccd-1"),
        picked("cccd-2"),
        uploadedFile(),
        { _tag: "ScannedAtCounter", documentId: "scan-1", sha256: sha("e"), agencyCode, officerId: "cb-001" },
        { _tag: "EarlierResult", dossierNumber: "000.20.33.H08-240101-0007", dossierId: "hs-old", documentId: "kq-1" }
      ]
      for (const source of sources) {
        spec.given([created()]).when(attach("giay-to-tuy-than", source)).then([attached("giay-to-tuy-than", source)])
      }
      expect(stateOf([created(), attached("giay-to-tuy-than", auto("cccd-1"))]).components.get("giay-to-tuy-than"))
        .toEqual(auto("cccd-1"))
    })

    it("lets the submitter and, at the counter, the agency's officer attach", () => {
      const bySubmitter = created({ submitter: { personalId: submitterId, name: null } })
      spec.given([bySubmitter]).when(attach("to-khai", uploadedFile(), submitter)).then([
        attached("to-khai", uploadedFile())
      ])
      const counter = created({ channel: "counter" })
      spec.given([counter]).when(attach("to-khai", uploadedFile(), officer)).then([attached("to-khai", uploadedFile())])
    })

    it("refuses anyone else, an online dossier's officer included", () => {
      for (const actor of [stranger, officer, otherOfficer, auditor, system]) {
        spec.given([created()]).when(attach("to-khai", uploadedFile(), actor)).thenFails("DossierForbidden")
      }
    })

    it("does nothing when the same source is attached again, and refuses another one until detached", () => {
      const events = [created(), attached("to-khai", uploadedFile())]
      spec.given(events).when(attach("to-khai", uploadedFile())).thenNothingHappened()
      spec.given(events).when(attach("to-khai", uploadedFile("9"))).thenFails("IllegalDossierState", (e) => {
        expect(e.message).toContain("detach it first")
      })
    })

    it("refuses an unknown component, naming the procedure's components", () => {
      spec.given([created()]).when(attach("so-ho-khau", uploadedFile())).thenFails("InvalidDossier", (e) => {
        expect(e._tag === "InvalidDossier" && e.reason).toBe("UnknownComponent")
        expect(e.message).toContain("to-khai, giay-to-tuy-than")
      })
    })

    it("refuses malformed sources", () => {
      const bad: ReadonlyArray<Dossier.Source> = [
        { ...uploadedFile(), size: 0 } as Dossier.Source,
        { _tag: "PickedFromStore", documentId: " ", sha256: sha("a") },
        { _tag: "ScannedAtCounter", documentId: "s", sha256: sha("a"), agencyCode: "000.00.16.H08", officerId: "x" },
        { _tag: "EarlierResult", dossierNumber: "HS-1", dossierId: "hs-old", documentId: null },
        { _tag: "EarlierResult", dossierNumber: number, dossierId, documentId: null }
      ]
      for (const source of bad) {
        spec.given([created()]).when(attach("to-khai", source)).thenFails("InvalidDossier", (e) => {
          expect(e._tag === "InvalidDossier" && e.reason).toBe("InvalidSource")
        })
      }
    })

    it("refuses a dossier that does not exist or is submitted", () => {
      spec.given([]).when(attach("to-khai", uploadedFile())).thenFails("DossierNotFound")
      spec.given(submittedAndNumbered).when(attach("ghi-chu", uploadedFile())).thenFails("IllegalDossierState")
    })
  })

  describe("DetachComponent", () => {
    it("removes the attachment, recording what it was", () => {
      const events = [created(), attached("to-khai", uploadedFile())]
      spec.given(events).when(command("DetachComponent", owner, { componentId: "to-khai" })).then([
        { _tag: "ComponentDetached", dossierId, at: later, componentId: "to-khai", source: uploadedFile() }
      ])
      expect(
        stateOf([...events, {
          _tag: "ComponentDetached",
          dossierId,
          at: later,
          componentId: "to-khai",
          source: uploadedFile()
        }]).components.size
      ).toBe(0)
    })

    it("does nothing for a component not attached; refuses others, unknown components and submitted dossiers", () => {
      spec.given([created()]).when(command("DetachComponent", owner, { componentId: "to-khai" })).thenNothingHappened()
      spec.given([created(), attached("to-khai", uploadedFile())]).when(
        command("DetachComponent", stranger, { componentId: "to-khai" })
      ).thenFails("DossierForbidden")
      spec.given([created()]).when(command("DetachComponent", owner, { componentId: "x" })).thenFails("InvalidDossier")
      spec.given(submittedAndNumbered).when(command("DetachComponent", owner, { componentId: "to-khai" }))
        .thenFails("IllegalDossierState")
    })
  })

  describe("ChooseMethods", () => {
    it("records the submission and receipt methods, once", () => {
      spec.given([created()]).when(choose()).then([methodsChosen])
      spec.given([created(), methodsChosen]).when(choose()).thenNothingHappened()
      spec.given([created()]).when(choose({ receipt: "ByPost", deliveryAddress: "Thôn 1, xã An Hòa" })).thenEvents(
        ([event]) => expect(event?._tag === "MethodsChosen" && event.deliveryAddress).toBe("Thôn 1, xã An Hòa")
      )
    })

    it("needs a delivery address for a result by post, and refuses others and submitted dossiers", () => {
      spec.given([created()]).when(choose({ receipt: "ByPost" })).thenFails("InvalidDossier", (e) => {
        expect(e.message).toContain("delivery address")
      })
      spec.given([created()]).when(choose({ deliveryAddress: "  " })).thenFails("InvalidDossier")
      spec.given([created()]).when(choose({}, stranger)).thenFails("DossierForbidden")
      spec.given(submittedAndNumbered).when(choose({ receipt: "AtAgency" })).thenFails("IllegalDossierState")
    })
  })

  describe("Submit", () => {
    it("submits a complete draft on the Vietnamese day of submission", () => {
      spec.given(completeDraft).when(submit()).then([submitted])
      spec.given(completeDraft).when(submit(owner, "2024-03-19T18:00:00.000Z")).thenEvents(([event]) => {
        expect(event?._tag === "DossierSubmitted" && event.submittedOn).toBe("2024-03-20")
      })
      const dossier = stateOf([...completeDraft, submitted])
      expect(dossier.status).toBe("Submitted")
      expect(dossier.number).toBeNull()
    })

    it("lists every missing mandatory component, and only mandatory ones", () => {
      spec.given([created(), methodsChosen, attached("giay-to-tuy-than", auto("c"))]).when(submit()).thenFails(
        "MissingComponents",
        (e) => {
          expect(e._tag === "MissingComponents" && e.missing).toEqual([
            { componentId: "to-khai", name: "Tờ khai đăng ký kết hôn" },
            { componentId: "xac-nhan-tinh-trang-hon-nhan", name: "Giấy xác nhận tình trạng hôn nhân" }
          ])
          expect(e.message).toContain("2 mandatory components are missing")
        }
      )
    })

    it("needs the methods chosen", () => {
      spec.given(completeDraft.filter((e) => e._tag !== "MethodsChosen")).when(submit()).thenFails("InvalidDossier", (e) => {
        expect(e._tag === "InvalidDossier" && e.reason).toBe("NoMethods")
      })
    })

    it("does nothing when submitted again; refuses others and unknown dossiers", () => {
      spec.given([...completeDraft, submitted]).when(submit()).thenNothingHappened()
      spec.given(receivedDossier).when(submit()).thenNothingHappened()
      for (const actor of [stranger, officer, system]) spec.given(completeDraft).when(submit(actor)).thenFails("DossierForbidden")
      spec.given([]).when(submit()).thenFails("DossierNotFound")
    })
  })

  describe("AssignNumber", () => {
    it("gives the submitted dossier its number, once", () => {
      spec.given([...completeDraft, submitted]).when(assign()).then([numberAssigned])
      spec.given([...completeDraft, submitted]).when(assign(number, system)).then([numberAssigned])
      spec.given(submittedAndNumbered).when(assign()).thenNothingHappened()
      expect(stateOf(submittedAndNumbered).number).toBe(number)
    })

    it("refuses another number, a number of another agency or day, a malformed one, a draft and strangers", () => {
      spec.given(submittedAndNumbered).when(assign("000.20.33.H08-240320-0002")).thenFails("IllegalDossierState")
      spec.given([...completeDraft, submitted]).when(assign("000.00.16.H08-240320-0001")).thenFails("InvalidDossier")
      spec.given([...completeDraft, submitted]).when(assign("000.20.33.H08-240321-0001")).thenFails(
        "InvalidDossier",
        (e) => expect(e.message).toContain("on 2024-03-20")
      )
      spec.given([...completeDraft, submitted]).when(assign("HS-1")).thenFails("InvalidDossier")
      spec.given(completeDraft).when(assign()).thenFails("IllegalDossierState")
      spec.given([...completeDraft, submitted]).when(assign(number, stranger)).thenFails("DossierForbidden")
    })
  })

  describe("Receive", () => {
    it("records the officer and how each component was satisfied", () => {
      spec.given(submittedAndNumbered).when(receive()).then([received])
      spec.given(receivedDossier).when(receive()).thenNothingHappened()
      expect(stateOf(receivedDossier).status).toBe("Received")
    })

    it("refuses anyone but an officer of the deciding agency", () => {
      for (const actor of [owner, otherOfficer, system, auditor]) {
        spec.given(submittedAndNumbered).when(receive(actor)).thenFails("DossierForbidden")
      }
    })

    it("refuses a draft, a dossier still waiting for its number, and a closed one", () => {
      spec.given(completeDraft).when(receive()).thenFails("IllegalDossierState")
      spec.given([...completeDraft, submitted]).when(receive()).thenFails("IllegalDossierState", (e) => {
        expect(e.message).toContain("waiting for its number")
      })
      spec.given([...receivedDossier, {
        _tag: "DossierRejected",
        dossierId,
        at: later,
        number,
        ownerId,
        agencyCode,
        procedure: "1.000894",
        officerId: "cb-001",
        reason: "x"
      }]).when(receive()).thenFails("IllegalDossierState")
    })
  })

  describe("RequestSupplement and ProvideSupplement", () => {
    it("asks for supplements, reopens the named components, and resumes where it was", () => {
      spec.given(receivedDossier).when(requestSupplement()).then([supplementRequested])
      const asked = [...receivedDossier, supplementRequested]
      expect(stateOf(asked).status).toBe("SupplementRequested")
      const detached: Dossier.Event = {
        _tag: "ComponentDetached",
        dossierId,
        at: later,
        componentId: "xac-nhan-tinh-trang-hon-nhan",
        source: picked("xn-2", "d")
      }
      spec.given(asked).when(command("DetachComponent", owner, { componentId: "xac-nhan-tinh-trang-hon-nhan" }))
        .then([detached])
      const redone = [...asked, detached, attached("xac-nhan-tinh-trang-hon-nhan", picked("xn-3", "e"), later)]
      const provided: Dossier.Event = {
        _tag: "SupplementProvided",
        dossierId,
        at: later,
        number,
        ownerId,
        agencyCode,
        procedure: "1.000894"
      }
      spec.given(redone).when(provide()).then([provided])
      expect(stateOf([...redone, provided]).status).toBe("Received")
    })

    it("refuses a supplement request without a reason, for unknown components, by others or on a draft", () => {
      spec.given(receivedDossier).when(requestSupplement(["x"])).thenFails("InvalidDossier")
      spec.given(receivedDossier).when(requestSupplement(undefined, officer, " ")).thenFails("InvalidDossier", (e) => {
        expect(e._tag === "InvalidDossier" && e.reason).toBe("MissingReason")
      })
      spec.given(receivedDossier).when(requestSupplement(undefined, otherOfficer)).thenFails("DossierForbidden")
      spec.given(completeDraft).when(requestSupplement()).thenFails("IllegalDossierState")
    })

    it("refuses supplements still missing what was asked for, or nobody asked for", () => {
      const asked = [...receivedDossier, supplementRequested, {
        _tag: "ComponentDetached" as const,
        dossierId,
        at: later,
        componentId: "xac-nhan-tinh-trang-hon-nhan",
        source: picked("xn-2", "d")
      }]
      spec.given(asked).when(provide()).thenFails("MissingComponents", (e) => {
        expect(e._tag === "MissingComponents" && e.missing.map((m) => m.componentId)).toEqual([
          "xac-nhan-tinh-trang-hon-nhan"
        ])
      })
      spec.given(receivedDossier).when(provide()).thenFails("IllegalDossierState")
      spec.given([...receivedDossier, supplementRequested]).when(provide(stranger)).thenFails("DossierForbidden")
    })
  })

  describe("Reject", () => {
    it("rejects with the reason, once", () => {
      const rejected: Dossier.Event = {
        _tag: "DossierRejected",
        dossierId,
        at: later,
        number,
        ownerId,
        agencyCode,
        procedure: "1.000894",
        officerId: "cb-001",
        reason: "Hồ sơ không thuộc thẩm quyền"
      }
      spec.given(receivedDossier).when(reject()).then([rejected])
      spec.given(submittedAndNumbered).when(reject()).then([rejected])
      spec.given([...receivedDossier, supplementRequested]).when(reject()).then([rejected])
      spec.given([...receivedDossier, rejected]).when(reject()).thenNothingHappened()
      expect(stateOf([...receivedDossier, rejected])).toMatchObject({ status: "Rejected", rejection: rejected.reason })
    })

    it("refuses a rejection without a reason, by anyone but the agency's officer, or of a draft", () => {
      spec.given(receivedDossier).when(reject("")).thenFails("InvalidDossier")
      for (const actor of [owner, otherOfficer]) spec.given(receivedDossier).when(reject(undefined, actor)).thenFails("DossierForbidden")
      spec.given(completeDraft).when(reject()).thenFails("IllegalDossierState")
    })
  })

  describe("IssueResult", () => {
    it("records the result documents already issued into the owner's store", () => {
      const issued: Dossier.Event = {
        _tag: "ResultIssued",
        dossierId,
        at: later,
        number,
        ownerId,
        agencyCode,
        procedure: "1.000894",
        officerId: "cb-001",
        documents: resultDocs
      }
      spec.given(receivedDossier).when(issue()).then([issued])
      spec.given([...receivedDossier, issued]).when(issue()).thenNothingHappened()
      expect(stateOf([...receivedDossier, issued])).toMatchObject({ status: "ResultIssued", results: resultDocs })
    })

    it("refuses an empty result, a dossier not received, and anyone but the agency's officer", () => {
      spec.given(receivedDossier).when(issue([])).thenFails("InvalidDossier")
      spec.given(receivedDossier).when(issue([{ documentId: "", kind: "Result", name: "x" }])).thenFails("InvalidDossier")
      spec.given(submittedAndNumbered).when(issue()).thenFails("IllegalDossierState", (e) => {
        expect(e.message).toContain("receive it first")
      })
      for (const actor of [owner, otherOfficer, system]) spec.given(receivedDossier).when(issue(undefined, actor)).thenFails("DossierForbidden")
    })
  })

  describe("IssuePaperResult", () => {
    const onPaper: Dossier.Event = {
      _tag: "PaperResultIssued",
      dossierId,
      at: later,
      number,
      ownerId,
      agencyCode,
      procedure: "1.000894",
      officerId: "cb-001",
      documents: paperDocs
    }
    const electronic: Dossier.Event = {
      _tag: "ResultIssued",
      dossierId,
      at: later,
      number,
      ownerId,
      agencyCode,
      procedure: "1.000894",
      officerId: "cb-001",
      documents: resultDocs
    }

    it("records a result handed over on paper, with nothing in the owner's store, once", () => {
      spec.given(receivedDossier).when(issueOnPaper()).then([onPaper])
      spec.given([...receivedDossier, onPaper]).when(issueOnPaper()).thenNothingHappened()
      expect(stateOf([...receivedDossier, onPaper])).toMatchObject({
        status: "ResultIssued",
        resultForm: "Paper",
        results: [],
        paperResults: paperDocs
      })
      expect(stateOf([...receivedDossier, electronic])).toMatchObject({ resultForm: "Electronic", paperResults: [] })
      expect(stateOf(receivedDossier).resultForm).toBeNull()
      // the event round-trips through the dossier's event schema (what the log stores)
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(Dossier.Event)(onPaper)))
      expect(Schema.decodeUnknownSync(Dossier.Event)(json)).toEqual(onPaper)
    })

    it("closes the dossier one way only: a paper result after an electronic one (or the reverse) is refused", () => {
      spec.given([...receivedDossier, electronic]).when(issueOnPaper()).thenFails("IllegalDossierState", (e) => {
        expect(e.message).toContain("closed with its result issued")
      })
      spec.given([...receivedDossier, onPaper]).when(issue()).thenFails("IllegalDossierState", (e) => {
        expect(e.message).toContain("closed with its result issued on paper")
      })
      spec.given([...receivedDossier, onPaper]).when(issueOnPaper([{ kind: "CertifiedCopy", name: "Bản sao" }])).thenFails(
        "IllegalDossierState"
      )
    })

    it("refuses a paper result with no paper or an unnamed one, of a dossier not received, or by anyone but the agency's officer", () => {
      spec.given(receivedDossier).when(issueOnPaper([])).thenFails("InvalidDossier")
      spec.given(receivedDossier).when(issueOnPaper([{ kind: "Result", name: " " }])).thenFails("InvalidDossier")
      spec.given(submittedAndNumbered).when(issueOnPaper()).thenFails("IllegalDossierState", (e) => {
        expect(e.message).toContain("receive it first")
      })
      spec.given([...receivedDossier, supplementRequested]).when(issueOnPaper()).thenFails("IllegalDossierState")
      for (const actor of [owner, otherOfficer, system, auditor]) {
        spec.given(receivedDossier).when(issueOnPaper(undefined, actor)).thenFails("DossierForbidden")
      }
    })
  })

  it("classifies errors in Emmett's taxonomy", () => {
    expect(Dossier.errorKind(new Dossier.MissingComponents({ dossierId, missing: [], message: "" }))).toBe("validation")
    expect(Dossier.errorKind(new Dossier.DossierNotFound({ dossierId, message: "" }))).toBe("not-found")
    expect(Dossier.errorKind(new Dossier.IllegalDossierState({ dossierId, status: "Draft", message: "" }))).toBe(
      "illegal-state"
    )
    expect(Dossier.errorKind(new Dossier.DossierForbidden({ dossierId, actor: "x", message: "" }))).toBe("forbidden")
  })
})
