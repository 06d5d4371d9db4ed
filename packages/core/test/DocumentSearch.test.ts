import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Result } from "effect"
import * as fc from "fast-check"
import * as Checkpoint from "../src/Checkpoint.ts"
import * as CommandHandler from "../src/CommandHandler.ts"
import * as DocumentSearch from "../src/DocumentSearch.ts"
import * as DocumentStore from "../src/DocumentStore.ts"
import * as EventStore from "../src/EventStore.ts"
import * as Projection from "../src/Projection.ts"
import {
  auditor,
  file,
  issue,
  issued,
  officer,
  owner,
  ownerId,
  passed,
  sha,
  stranger,
  system,
  upload,
  uploaded
} from "./utils/documentFixtures.ts"

const cccd = issued({
  documentId: "kq-cccd",
  name: "052090000495.KQ.G01.000023.Thẻ căn cước công dân",
  code: "052090000495.KQ.G01.000023",
  category: "the-can-cuoc-cong-dan",
  summary: "Thẻ căn cước công dân của Nguyễn Văn An",
  decisionNumber: "123/QĐ-CA",
  identificationNumber: "0520900004956/DT",
  at: "2024-01-09T03:00:00.000Z"
})
const kethon = uploaded({
  documentId: "up-kh",
  name: "Giấy chứng nhận Đăng ký kết hôn",
  code: null,
  category: "xac-nhan-tinh-trang-hon-nhan",
  summary: "Đăng ký kết hôn tại UBND xã An Hòa",
  at: "2024-02-01T03:00:00.000Z"
})
const otherOwner = uploaded({
  ownerId: "079201012345",
  documentId: "up-x",
  name: "Giấy khai sinh",
  ownerName: "Trần Thị Bình",
  summary: null,
  code: null,
  at: "2024-03-01T03:00:00.000Z"
})
const base: ReadonlyArray<DocumentStore.Event> = [cccd, kethon, otherOwner]
const stateOf = (events: ReadonlyArray<DocumentStore.Event>) => events.reduce(DocumentSearch.apply, DocumentSearch.initialState)
const ids = (page: DocumentSearch.Page) => page.items.map((e) => e.documentId)

describe("DocumentSearch", () => {
  const state = stateOf(base)

  it("finds by name without accents and with đ typed as d", () => {
    expect(ids(DocumentSearch.search(state, { name: "can cuoc" }))).toEqual(["kq-cccd"])
    expect(ids(DocumentSearch.search(state, { name: "dang ky" }))).toEqual(["up-kh"])
    expect(ids(DocumentSearch.search(state, { name: "ĐĂNG KÝ" }))).toEqual(["up-kh"])
  })

  it("finds by code, decision number, owner name, ID number and summary", () => {
    expect(ids(DocumentSearch.search(state, { code: "KQ.G01.000023" }))).toEqual(["kq-cccd"])
    expect(ids(DocumentSearch.search(state, { decisionNumber: "123/qd" }))).toEqual(["kq-cccd"])
    expect(ids(DocumentSearch.search(state, { ownerName: "tran thi binh" }))).toEqual(["up-x"])
    expect(ids(DocumentSearch.search(state, { idNumber: "079201012345" }))).toEqual(["up-x"])
    expect(ids(DocumentSearch.search(state, { idNumber: "0520900004956/DT" }))).toEqual(["kq-cccd"])
    expect(ids(DocumentSearch.search(state, { summary: "an hoa" }))).toEqual(["up-kh"])
  })

  it("combines criteria, scopes to one store and searches any field with text", () => {
    expect(ids(DocumentSearch.search(state, { ownerId, text: "nguyen van an" }))).toEqual(["up-kh", "kq-cccd"])
    expect(ids(DocumentSearch.search(state, { ownerId, name: "giay", summary: "ket hon" }))).toEqual(["up-kh"])
    expect(DocumentSearch.search(state, { ownerId, name: "khai sinh" }).total).toBe(0)
  })

  it("follows the document's life: hide, use, revoke, replace, remove", () => {
    const hidden: DocumentStore.Event = { _tag: "DocumentHidden", ownerId, documentId: "up-kh", at: "2024-03-02T00:00:00.000Z" }
    const used: DocumentStore.Event = {
      _tag: "DocumentUsed",
      ownerId,
      documentId: "kq-cccd",
      at: "2024-03-02T00:00:00.000Z",
      dossierNumber: "000.20.33.H08-240302-0001",
      componentId: "c",
      procedure: "p"
    }
    const revoked: DocumentStore.Event = {
      _tag: "DocumentRevoked",
      ownerId,
      documentId: "kq-cccd",
      at: "2024-03-03T00:00:00.000Z",
      agencyCode: "000.00.16.H08",
      reason: "x"
    }
    const replaced: DocumentStore.Event = {
      _tag: "DocumentFileReplaced",
      ownerId,
      documentId: "up-kh",
      at: "2024-03-03T00:00:00.000Z",
      previousFile: file(sha("a")),
      file: file(sha("c"), { fileName: "moi.pdf", size: 42 }),
      signature: passed(sha("c"))
    }
    const after = stateOf([...base, hidden, used, used, revoked, replaced])
    expect(ids(DocumentSearch.search(after, { ownerId, visibleOnly: true }))).toEqual(["kq-cccd"])
    expect(ids(DocumentSearch.search(after, { ownerId, activeOnly: true }))).toEqual(["up-kh"])
    const cccdHit = DocumentSearch.search(after, { code: "KQ.G01" }).items[0]
    expect(cccdHit).toMatchObject({ usageCount: 2, status: "Revoked" })
    expect(DocumentSearch.search(after, { name: "ket hon" }).items[0]).toMatchObject({ fileName: "moi.pdf", fileSize: 42, visible: false })
    const removed = stateOf([...base, { _tag: "DocumentRemoved", ownerId, documentId: "up-kh", at: "2024-03-04T00:00:00.000Z" }])
    expect(ids(DocumentSearch.search(removed, { ownerId }))).toEqual(["kq-cccd"])
  })

  it("pages newest first and reports the total", () => {
    const many = Array.from({ length: 45 }, (_, i) =>
      uploaded({ documentId: `d-${String(i).padStart(2, "0")}`, at: `2024-03-20T08:${String(i).padStart(2, "0")}:00.000Z` }))
    const big = stateOf(many)
    const first = DocumentSearch.search(big, {})
    expect(first).toMatchObject({ total: 45, offset: 0, limit: 20 })
    expect(first.items[0]?.documentId).toBe("d-44")
    const last = DocumentSearch.search(big, { offset: 40, limit: 20 })
    expect(ids(last)).toEqual(["d-04", "d-03", "d-02", "d-01", "d-00"])
    expect(DocumentSearch.search(big, { limit: 1000 }).limit).toBe(100)
    expect(DocumentSearch.search(big, { limit: 0, offset: -5 })).toMatchObject({ limit: 1, offset: 0 })
  })

  it("pages partition the hits: every hit exactly once, whatever the page size", () => {
    const many = Array.from({ length: 23 }, (_, i) =>
      uploaded({ documentId: `d-${i}`, at: `2024-03-${String(1 + (i % 9)).padStart(2, "0")}T00:00:00.000Z` }))
    const big = stateOf(many)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (limit) => {
        const seen: Array<string> = []
        for (let offset = 0; offset < 23; offset += limit) {
          seen.push(...ids(DocumentSearch.search(big, { offset, limit })))
        }
        expect(seen.slice().sort()).toEqual(many.map((e) => e.documentId).sort())
      })
    )
  })

  it("finds names whatever their Unicode normalisation", () => {
    fc.assert(
      fc.property(fc.constantFrom("Thẻ căn cước công dân", "Giấy chứng nhận Đăng ký kết hôn", "Trích lục khai tử"), fc.boolean(), (name, nfd) => {
        const stored = stateOf([uploaded({ name: name.normalize(nfd ? "NFD" : "NFC"), code: null })])
        expect(DocumentSearch.search(stored, { name: name.normalize(nfd ? "NFC" : "NFD") }).total).toBe(1)
      })
    )
  })

  it.effect("is fed from the log by the projection runner", () =>
    Effect.gen(function*() {
      const meta = (commandId: string, actor = owner) => ({ actor, commandId, correlationId: "c", causationId: null })
      yield* CommandHandler.handle(DocumentStore.decider, ownerId, upload(), meta("1"))
      yield* CommandHandler.handle(DocumentStore.decider, ownerId, issue({ name: "Thẻ căn cước công dân" }), meta("2", officer))
      const search = yield* DocumentSearch.makeProjection()
      expect(yield* Projection.catchUp(search.projection)).toBe(2)
      const page = yield* search.search({ ownerId, name: "the can cuoc" }, owner)
      expect(page.items.map((e) => e.documentId)).toEqual(["kq-1"])
      expect((yield* search.search({ ownerId }, owner)).total).toBe(2)
      expect((yield* Effect.flip(search.search({ ownerId }, stranger)))._tag).toBe("Forbidden")
    }).pipe(Effect.provide(Layer.mergeAll(EventStore.layerMemory, Checkpoint.layerMemory))))

  it("searchAs: the owner searches their own store only, an auditor every store, nobody else", () => {
    const other = "079201012345"
    const state = stateOf([uploaded(), uploaded({ ownerId: other, documentId: "x-1" })])
    const ids = (result: Result.Result<DocumentSearch.Page, unknown>) =>
      Result.isSuccess(result) ? result.success.items.map((e) => e.documentId) : "Forbidden"
    // the owner's query is restricted to their store even without an ownerId
    expect(ids(DocumentSearch.searchAs(state, {}, owner))).toEqual(["doc-1"])
    expect(ids(DocumentSearch.searchAs(state, { ownerId: other }, owner))).toBe("Forbidden")
    expect(ids(DocumentSearch.searchAs(state, {}, auditor)).length).toBe(2)
    for (const actor of [stranger, officer, system]) {
      expect(ids(DocumentSearch.searchAs(state, { ownerId }, actor))).toBe("Forbidden")
    }
  })
})
