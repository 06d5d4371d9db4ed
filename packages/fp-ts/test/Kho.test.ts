/** The fp-ts facade over the Promise facade: the same flows, as TaskEithers. */
import { describe, expect, it } from "@effect/vitest"
import type { SignatureReport } from "@kho/core/SignatureReport"
import * as E from "fp-ts/lib/Either.js"
import { pipe } from "fp-ts/lib/function.js"
import * as TE from "fp-ts/lib/TaskEither.js"
import { hash } from "node:crypto"
import { join } from "node:path"
import { tmpdir } from "node:os"
import { createKho } from "../src/Kho.ts"

const ownerId = "052090000495"
const owner = { _tag: "Citizen", personalId: ownerId } as const
const police = { _tag: "Officer", officerId: "ca-01", agencyCode: "000.00.16.H08", roles: ["issuer"] } as const
const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7\n${text}\n%%EOF\n`)
const verifier = (bytes: Uint8Array): SignatureReport => ({
  indication: "TOTAL_PASSED",
  subIndication: null,
  reason: "trusted",
  validationTime: "2024-03-20T01:15:00.000Z",
  documentSha256: hash("sha256", bytes, "hex"),
  signatures: []
})
const idCard = (documentId: string, bytes = pdf(documentId)) => ({
  ownerId,
  documentId,
  bytes,
  fileName: `${documentId}.pdf`,
  mediaType: "application/pdf",
  type: "ProcedureResult" as const,
  kind: "Result" as const,
  category: "the-can-cuoc-cong-dan",
  name: "Thẻ căn cước công dân",
  issuedAt: "2021-05-10"
})

const open = async () => {
  const created = await createKho({ store: "memory", fileStore: "memory", verifier })()
  if (E.isLeft(created)) throw created.left
  return created.right
}

describe("createKho (fp-ts facade)", () => {
  it("returns TaskEithers that compose with fp-ts and are lazy", async () => {
    const kho = await open()
    const issue = kho.documents.issue(idCard("cccd-1"), { actor: police, commandId: "issue-1" })
    // nothing runs before the task is called
    expect(E.getOrElseW(() => null)(await kho.documents.search({ ownerId }, owner)())?.total).toBe(0)
    const program = pipe(
      issue,
      TE.chainW(() => kho.documents.share({ ownerId, documentId: "cccd-1" }, { actor: owner })),
      TE.chainW(() => kho.documents.search({ ownerId, text: "can cuoc" }, owner)),
      TE.map((page) => page.items.map((e) => [e.documentId, e.shared]))
    )
    expect(await program()).toEqual(E.right([["cccd-1", true]]))
    await kho.close()
    await expect(kho.documents.load(ownerId, { actor: owner })()).rejects.toThrow(/closed/)
  })

  it("puts the facade's typed errors on the Left", async () => {
    const kho = await open()
    const refused = await kho.documents.upload({ ...idCard("x"), bytes: new Uint8Array([1, 2, 3]) }, { actor: owner })()
    expect(E.isLeft(refused)).toBe(true)
    const tag = pipe(refused, E.match((e) => e._tag, () => "ok"))
    expect(tag).toBe("InvalidDocument")
    const missing = await kho.dossiers.submit("hs-none", { actor: owner })()
    expect(pipe(missing, E.match((e) => e._tag, () => "ok"))).toBe("DossierNotFound")
    await kho.close()
  })

  it("is Left when the store cannot be opened", async () => {
    const created = await createKho({
      store: { sqlite: join(tmpdir(), "kho-fp-ts-missing", "deeper", "kho.sqlite") },
      fileStore: "memory",
      verifier
    })()
    expect(E.isLeft(created) ? (created.left as Error & { _tag?: string })._tag : "opened").toBe("EventStoreError")
  })
})
