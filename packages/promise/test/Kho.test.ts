/**
 * The Promise facade end to end: the seed's online flow with plain async functions, failures as
 * plain typed values (never rejections), search, idempotency, SQLite persistence across a restart,
 * and the lifecycle (creation errors, close).
 */
import { describe, expect, it } from "@effect/vitest"
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import * as EventStore from "@kho/core/EventStore"
import * as SignatureVerifier from "@kho/core/SignatureVerifier"
import * as Target from "@kho/core/Target"
import { Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createKho, type Kho } from "../src/Kho.ts"
import { getOrThrow, KhoFailure, orThrow } from "../src/Result.ts"
import {
  agencyCode,
  draft,
  idCard,
  maritalStatus,
  morning,
  officer,
  owner,
  ownerId,
  pdf,
  police,
  stranger,
  verifier
} from "./utils/fixtures.ts"

const memory = () => createKho({ store: "memory", fileStore: "memory", verifier, clock: () => morning })

/** Issues an ID card and a marital-status certificate into the owner's store and shares both. */
const stock = async (kho: Kho) => {
  await orThrow(kho.documents.issue(idCard("cccd-1"), { actor: police }))
  await orThrow(kho.documents.issue(maritalStatus("xn-1"), { actor: officer }))
  for (const documentId of ["cccd-1", "xn-1"]) await orThrow(kho.documents.share({ ownerId, documentId }, { actor: owner }))
}

describe("createKho (Promise facade)", () => {
  it("runs the citizen's online flow: matched from the store, numbered, received, counted in the KPI", async () => {
    await using kho = await memory()
    await stock(kho)
    getOrThrow(await kho.dossiers.createDraft(draft("hs-1"), { actor: owner }))
    const step7 = getOrThrow(await kho.dossiers.matchComponents("hs-1", { actor: owner }))
    expect(step7.autoAttached.map((a) => a.documentId).sort()).toEqual(["cccd-1", "xn-1"])
    getOrThrow(
      await kho.dossiers.upload({
        dossierId: "hs-1",
        componentId: "to-khai",
        bytes: pdf("to khai"),
        fileName: "to-khai.pdf",
        mediaType: "application/pdf"
      }, { actor: owner })
    )
    getOrThrow(
      await kho.dossiers.chooseMethods({ dossierId: "hs-1", submission: "Online", receipt: "AtCommuneOffice" }, { actor: owner })
    )
    const submitted = await kho.dossiers.submit("hs-1", { actor: owner })
    expect(submitted.ok).toBe(true)
    if (!submitted.ok) return
    expect(submitted.value.number).toBe(`${agencyCode}-240320-0001`)

    const store = getOrThrow(await kho.documents.load(ownerId, { actor: owner }))
    expect(store.documents.get("cccd-1")?.uses.map((u) => u.dossierNumber)).toEqual([submitted.value.number])

    getOrThrow(await kho.dossiers.receive("hs-1", { actor: officer }))
    const ledger = getOrThrow(await kho.kpi.ledger())
    const head = await kho.runtime.runPromise(Effect.flatMap(Effect.service(EventStore.EventStore), (s) => s.head))
    expect(ledger.position).toBe(head.position)
    const report = getOrThrow(
      await kho.kpi.reuseRate({
        period: { from: "2024-01-01", to: "2024-03-20" },
        units: AdministrativeUnit.binhDinhAnLao,
        root: AdministrativeUnit.AN_LAO,
        targets: Target.anLao2024
      })
    )
    expect(report.computedFrom).toEqual({ position: ledger.position, headHash: ledger.headHash })
    const anHoa = report.levels.flatMap((l) => l.rows).find((r) => r.code === "binh-dinh.an-lao.an-hoa")
    expect(anHoa?.counts).toMatchObject({ received: 1, reused: 1, reusedFromStore: 1 })
  })

  it("resolves expected failures to plain, serialisable errors discriminated by _tag", async () => {
    await using kho = await memory()
    const notPdf = await kho.documents.upload({
      ...idCard("x-1"),
      bytes: new TextEncoder().encode("hello"),
      visible: true
    }, { actor: owner })
    expect(notPdf.ok).toBe(false)
    if (notPdf.ok) return
    expect(notPdf.error).toMatchObject({ _tag: "InvalidDocument", reason: "NotPdf", documentId: "x-1" })
    expect(notPdf.error.message).toContain("not a PDF")
    expect(notPdf.error).not.toBeInstanceOf(Error)
    expect(JSON.parse(JSON.stringify(notPdf.error))).toEqual({ ...notPdf.error })

    const forged = await kho.documents.upload({ ...idCard("x-2"), bytes: pdf("forged") }, { actor: owner })
    expect(forged.ok ? null : forged.error._tag).toBe("SignatureNotAccepted")

    const noDossier = await kho.dossiers.submit("hs-none", { actor: owner })
    // the compiler knows every tag this call can fail with
    const tag: string = noDossier.ok ? "ok" : noDossier.error._tag === "DossierNotFound" ? "not-found" : noDossier.error._tag
    expect(tag).toBe("not-found")

    await stock(kho)
    getOrThrow(await kho.dossiers.createDraft(draft("hs-2"), { actor: owner }))
    const byStranger = await kho.dossiers.pick({ dossierId: "hs-2", componentId: "giay-to-tuy-than", documentId: "cccd-1" }, {
      actor: stranger
    })
    expect(byStranger.ok ? null : byStranger.error._tag).toBe("DossierForbidden")
    await expect(orThrow(kho.dossiers.submit("hs-none", { actor: owner }))).rejects.toBeInstanceOf(KhoFailure)
  })

  it("files a complaint about a result: the document is flagged and excluded from matching", async () => {
    await using kho = await memory()
    await stock(kho)
    const filed = getOrThrow(
      await kho.complaints.file({
        complaintId: "pa-1",
        ownerId,
        documentId: "xn-1",
        reason: "WrongCitizenInformation",
        comment: "sai ngày sinh"
      }, { actor: owner })
    )
    expect(filed.complaint.id).toBe("pa-1")
    const store = getOrThrow(await kho.documents.load(ownerId, { actor: owner }))
    expect(store.documents.get("xn-1")?.openComplaints).toEqual(["pa-1"])
    getOrThrow(await kho.dossiers.createDraft(draft("hs-3"), { actor: owner }))
    const step7 = getOrThrow(await kho.dossiers.matchComponents("hs-3", { actor: owner }))
    expect(step7.autoAttached.map((a) => a.documentId)).toEqual(["cccd-1"])
    const seen = await kho.complaints.get("pa-1", stranger)
    expect(seen.ok ? null : seen.error._tag).toBe("ComplaintNotFound")
    expect(getOrThrow(await kho.complaints.get("pa-1", owner)).complaint.ownerId).toBe(ownerId)
  })

  it("turns a verifier that throws into UnreadablePdf, and takes a SignatureVerifier layer or an EventStore layer", async () => {
    await using throwing = await createKho({
      store: "memory",
      fileStore: "memory",
      verifier: () => {
        throw new Error("xref table is broken")
      }
    })
    const broken = await throwing.documents.upload(idCard("b-1"), { actor: owner })
    expect(broken.ok ? null : broken.error).toMatchObject({ _tag: "UnreadablePdf", reason: "Malformed" })
    expect(broken.ok ? "" : broken.error.message).toContain("xref table is broken")

    await using layered = await createKho({
      store: EventStore.layerMemory,
      fileStore: "memory",
      verifier: SignatureVerifier.layerTest(() => new SignatureVerifier.UnreadablePdf({ reason: "TooLarge", message: "too big" }))
    })
    const refused = await layered.documents.upload(idCard("b-2"), { actor: owner })
    expect(refused.ok ? null : refused.error).toEqual({ _tag: "UnreadablePdf", reason: "TooLarge", message: "too big" })
  })

  it("searches accent-insensitively and follows hide/show", async () => {
    await using kho = await memory()
    await stock(kho)
    const found = getOrThrow(await kho.documents.search({ ownerId, text: "can cuoc" }, owner))
    expect(found.items.map((e) => e.documentId)).toEqual(["cccd-1"])
    getOrThrow(await kho.documents.hide({ ownerId, documentId: "cccd-1" }, { actor: owner }))
    expect(getOrThrow(await kho.documents.search({ ownerId, text: "can cuoc", visibleOnly: true }, owner)).total).toBe(0)
    getOrThrow(await kho.documents.show({ ownerId, documentId: "cccd-1" }, { actor: owner }))
    expect(getOrThrow(await kho.documents.search({ ownerId, visibleOnly: true }, owner)).total).toBe(2)
  })

  it("is idempotent by command id and records the facade's clock", async () => {
    await using kho = await memory()
    const first = getOrThrow(await kho.documents.issue(idCard("cccd-9"), { actor: police, commandId: "issue-cccd-9" }))
    const again = getOrThrow(await kho.documents.issue(idCard("cccd-9"), { actor: police, commandId: "issue-cccd-9" }))
    expect([first.alreadyAppended, again.alreadyAppended]).toEqual([false, true])
    const recorded = await kho.runtime.runPromise(
      Effect.flatMap(Effect.service(EventStore.EventStore), (s) => s.readStream(`DocumentStore-${ownerId}`))
    )
    expect(recorded.map((e) => [e.commandId, e.recordedAt])).toEqual([["issue-cccd-9", morning.toISOString()]])
  })

  it("keeps everything in SQLite and a directory across a restart; rejects once closed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kho-promise-"))
    try {
      const options = {
        store: { sqlite: join(dir, "kho.sqlite") },
        fileStore: { directory: join(dir, "files") },
        verifier
      } as const
      const kho = await createKho(options)
      getOrThrow(await kho.documents.issue(idCard("cccd-1"), { actor: police }))
      await kho.close()
      await kho.close()
      await expect(kho.documents.load(ownerId, { actor: owner })).rejects.toThrow(/closed/)

      await using reopened = await createKho(options)
      const store = getOrThrow(await reopened.documents.load(ownerId, { actor: owner }))
      expect([...store.documents.keys()]).toEqual(["cccd-1"])
      const bytes = getOrThrow(await reopened.documents.readFile(ownerId, "cccd-1", owner))
      expect(new TextDecoder().decode(bytes)).toContain("cccd cccd-1")
      expect(getOrThrow(await reopened.documents.search({ text: "can cuoc" }, owner)).total).toBe(1)
      const forbidden = await reopened.documents.readFile(ownerId, "cccd-1", stranger)
      expect(forbidden.ok ? null : forbidden.error._tag).toBe("DocumentStoreForbidden")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("rejects creation when the store cannot be opened", async () => {
    const missing = join(tmpdir(), "kho-no-such-dir", "nested", "kho.sqlite")
    await expect(createKho({ store: { sqlite: missing }, fileStore: "memory", verifier })).rejects.toMatchObject({
      _tag: "EventStoreError"
    })
  })
})
