/**
 * Appendix II of the An Lão dispatch (Công văn, March 2024), step by step, through the real flows:
 *
 * - Part I  — the personal document store: the citizen uploads a signed PDF ("Thêm mới"); three bad
 *   uploads are refused with a reason and store nothing; documents are shared; a search.
 * - Part II — an online dossier (marriage registration, 1.000894): the only eligible marital-status
 *   certificate is attached automatically, the ID card is picked from two ("Lấy từ kho"), submitted.
 * - Part III — an officer at the counter (birth registration, 1.001193) looks into the store first,
 *   is refused when trying to scan paper the store already holds, picks, submits, issues the result.
 * - Part IV — a complaint about the marital-status certificate, routed to the issuing commune,
 *   which corrects it: the replacement supersedes the old document.
 * - Part V — the owner's "who used my data" log, and the verification of the whole log's hash chain.
 *
 * Signatures are verified for real by `@kho/signature`. Its trust anchors come from the VGCA-shaped
 * test PKI of `@kho/testing`, generated at run time: real VGCA roots are configuration, not shipped.
 * The clock is scripted (Vietnam time), so two runs print the same lines and write the same log.
 *
 * The journey needs only an `EventStore` and a `FileStore`: the examples run it on SQLite and on
 * PostgreSQL.
 */
import * as AccessLog from "@kho/core/AccessLog"
import type { Actor } from "@kho/core/Actor"
import { label } from "@kho/core/Actor"
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import * as Checkpoint from "@kho/core/Checkpoint"
import * as ComplaintService from "@kho/core/ComplaintService"
import type { Document } from "@kho/core/Document"
import { documentTypeLabel, usageCount } from "@kho/core/Document"
import * as DocumentSearch from "@kho/core/DocumentSearch"
import * as DocumentStore from "@kho/core/DocumentStore"
import * as DocumentStoreService from "@kho/core/DocumentStoreService"
import * as DossierService from "@kho/core/DossierService"
import { EventStore } from "@kho/core/EventStore"
import type { LogHead } from "@kho/core/EventStore"
import * as HashChain from "@kho/core/HashChain"
import * as Matching from "@kho/core/Matching"
import * as Procedure from "@kho/core/Procedure"
import * as Projection from "@kho/core/Projection"
import { PdfSignatureVerifier, TrustConfig } from "@kho/signature"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import { Clock, Console, Effect, Layer, Schema } from "effect"
import * as ScriptedClock from "./ScriptedClock.ts"

/** The citizen of the journey (a 12-digit personal ID: Bình Định, male, born 1990). */
export const OWNER_ID = "052090000495"

/** The parts of the journey, in order. */
export type Part = "store" | "online" | "counter" | "complaint" | "log"

/** Options of {@link run}. */
export interface Options {
  /** Where each printed line goes (default `Console.log`). */
  readonly print?: (line: string) => Effect.Effect<void>
  /** Runs after each part (the PostgreSQL example hands its projection over to another worker there). */
  readonly between?: (finished: Part) => Effect.Effect<void>
}

/** What the journey did, for the tests and the other examples. */
export interface Summary {
  readonly ownerId: string
  readonly trustAnchor: { readonly subject: string; readonly sha256: string }
  readonly uploaded: { readonly documentId: string; readonly indication: string; readonly signer: string }
  readonly refused: ReadonlyArray<{ readonly fileName: string; readonly error: string; readonly message: string }>
  readonly online: {
    readonly dossierNumber: string
    readonly autoAttached: ReadonlyArray<{ readonly componentId: string; readonly documentId: string; readonly name: string }>
    readonly suggested: ReadonlyArray<string>
    readonly picked: string
  }
  readonly counter: {
    readonly dossierNumber: string
    readonly refusedScan: { readonly error: string; readonly message: string }
    readonly picked: string
    readonly resultId: string
  }
  readonly complaint: {
    readonly complaintId: string
    readonly agencyCode: string
    readonly excludedWhileOpen: string
    readonly status: string
    readonly supersededId: string
    readonly replacementId: string
  }
  readonly accessLog: ReadonlyArray<AccessLog.Entry>
  readonly head: LogHead
  readonly chain: HashChain.ChainVerification
  readonly lines: ReadonlyArray<string>
}

/**
 * A step did not turn out as Appendix II says it should (a regression somewhere in the engine).
 */
export class UnexpectedOutcome extends Schema.TaggedError<UnexpectedOutcome>()("UnexpectedOutcome", {
  step: Schema.String,
  message: Schema.String
}) {}

// -----------------------------------------------------------------------------------------------
// The cast
// -----------------------------------------------------------------------------------------------

const OWNER_NAME = "Đinh Văn Hùng"
const owner: Actor = { _tag: "Citizen", personalId: OWNER_ID }

const units = AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, "2024-03-20")
const unit = (slug: string) => {
  const found = AdministrativeUnit.get(units, `${AdministrativeUnit.AN_LAO}.${slug}`)
  if (found === undefined || found.agencyCode === null) throw new Error(`the An Lão unit tree lacks ${slug}`)
  return { code: found.code, name: found.name, agencyCode: found.agencyCode }
}
/** Where the citizen lives and registers: UBND xã An Hòa. */
const anHoa = unit("an-hoa")
/** Where the citizen lived before: UBND xã An Tân issued his marital-status certificate. */
const anTan = unit("an-tan")

const anHoaOfficer: Actor = { _tag: "Officer", officerId: "cb.an-hoa.mot-cua", agencyCode: anHoa.agencyCode, roles: ["receive", "digitise", "issue", "certify", "handle-complaints"] }
const anTanOfficer: Actor = { _tag: "Officer", officerId: "cb.an-tan.tu-phap", agencyCode: anTan.agencyCode, roles: ["issue", "certify", "handle-complaints"] }

const agencyName = (agencyCode: string): string =>
  agencyCode === anHoa.agencyCode ? anHoa.name : agencyCode === anTan.agencyCode ? anTan.name : agencyCode

const who = (actor: Actor): string =>
  actor._tag === "Officer"
    ? `cán bộ ${actor.officerId} (${agencyName(actor.agencyCode)})`
    : actor._tag === "Citizen" && actor.personalId === OWNER_ID
    ? `chủ kho ${OWNER_NAME} / the owner`
    : label(actor)

const procedureName = (code: string): string => Procedure.defaultCatalog.get(code)?.name ?? code

const short = (text: string, max = 72): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

const subjectCn = (subject: string): string => /CN=([^,]+)/.exec(subject)?.[1] ?? subject

// -----------------------------------------------------------------------------------------------
// The journey
// -----------------------------------------------------------------------------------------------

/**
 * Runs the journey against the `EventStore` and `FileStore` in context (an empty store: the
 * dossier numbers and document ids are fixed).
 */
export const run = (options: Options = {}) =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    const out = options.print ?? ((line: string) => Console.log(line))
    const print = (line: string) => Effect.andThen(Effect.sync(() => lines.push(line)), out(line))
    const between = options.between ?? (() => Effect.void)
    const time = ScriptedClock.make("2024-03-20 09:00", yield* Clock.Clock)

    const pki = TestPki.vgca()
    const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
    const services = Layer.mergeAll(DossierService.layer, ComplaintService.layer).pipe(
      Layer.provideMerge(DocumentStoreService.layer),
      Layer.provideMerge(PdfSignatureVerifier.layer(trust))
    )
    const summary = yield* script({ print, between, time, pki }).pipe(
      Effect.provide(services),
      Effect.provideService(Clock.Clock, time.clock)
    )
    return { ...summary, lines } satisfies Summary
  })

interface Script {
  readonly print: (line: string) => Effect.Effect<void>
  readonly between: (finished: Part) => Effect.Effect<void>
  readonly time: ScriptedClock.ScriptedClock
  readonly pki: TestPki.Pki
}

const script = ({ between, pki, print, time }: Script) =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const documents = yield* DocumentStoreService.DocumentStoreService
    const dossiers = yield* DossierService.DossierService
    const complaints = yield* ComplaintService.ComplaintService

    const heading = (vi: string, en: string) => Effect.forEach(["", `══ ${vi}`, `   ${en}`], print, { discard: true })
    const step = (when: string, vi: string, en: string) =>
      Effect.suspend(() => {
        time.set(when)
        const stamp = `[${ScriptedClock.formatVietnam(time.now())}]`
        return Effect.forEach(["", `${stamp} ${vi}`, `${" ".repeat(stamp.length)} ${en}`], print, { discard: true })
      })
    const detail = (line: string) => print(`    ${line}`)
    const request = (actor: Actor, id: string): DocumentStoreService.Request => ({
      actor,
      commandId: `journey:${id}`,
      correlationId: "journey:an-lao-appendix-ii"
    })
    /** A one-page PDF signed `minutes` before now by `signer`. */
    const signedPdf = (text: string, signer: TestPki.Issued) =>
      SignedPdf.sign(SignedPdf.unsigned({ text }), { signer, signingTime: new Date(time.now() - 5 * 60_000) })
    const pdf = { mediaType: "application/pdf" }
    const rootName = pki.root.name.find(([key]) => key === "CN")?.[1] ?? "?"
    const unexpected = (stepName: string, message: string) => new UnexpectedOutcome({ step: stepName, message })
    /** The error a step must be refused with; a success is a regression. */
    const refusal = <A, E>(stepName: string, effect: Effect.Effect<A, E>) =>
      Effect.matchEffect(effect, {
        onFailure: Effect.succeed,
        onSuccess: () => Effect.fail(unexpected(stepName, "the step succeeded; Appendix II says it must be refused"))
      })

    const storeView = Effect.gen(function*() {
      const state = yield* documents.load(OWNER_ID, { actor: owner })
      for (const d of DocumentStore.documents(state)) {
        const kind = d.provenance._tag === "Uploaded" ? "Kho cá nhân, tổ chức" : "Kho cơ quan nhà nước, tổ chức"
        yield* detail(`• ${d.code ?? "(chưa có mã)"} — ${short(d.name, 60)}`)
        yield* detail(
          `  ${d.file.fileName} · ${d.file.size} B · ${documentTypeLabel[d.type]} · ${kind} · ${
            d.shared ? "chia sẻ" : "không chia sẻ"
          } · ${d.status._tag === "Active" ? "" : `${d.status._tag} · `}Số lần sử dụng: ${usageCount(d)}`
        )
      }
    })

    const explainOutcome = (outcome: Matching.MatchOutcome) =>
      Effect.gen(function*() {
        for (const d of outcome.eligible) yield* detail(`  ✓ ${d.id}: ${short(d.name, 60)} (số lần sử dụng ${usageCount(d)})`)
        // documents of other categories are excluded too; only the near misses are worth a line
        const near = outcome.excluded.filter((x) => Matching.primaryReason(x)._tag !== "CategoryNotAccepted")
        for (const x of near) {
          const reason = Matching.message(Matching.primaryReason(x))
          yield* detail(`  ✗ ${x.document.id}: ${reason.vi}`)
          yield* detail(`    ${reason.en}`)
        }
        const others = outcome.excluded.length - near.length
        if (others > 0) yield* detail(`  (${others} giấy tờ khác loại / of other categories)`)
      })

    // ---------------------------------------------------------------------------------------------
    // Part I — Kho dữ liệu cá nhân, tổ chức
    // ---------------------------------------------------------------------------------------------
    yield* heading("Phần I — Cập nhật kết quả điện tử vào Kho dữ liệu cá nhân, tổ chức", "Part I — the personal document store")
    yield* detail(`Chủ kho / owner: ${OWNER_NAME}, số định danh ${OWNER_ID}`)
    yield* detail(`Trust anchor: "${rootName}", pinned by its SHA-256 fingerprint`)
    yield* detail("  — the VGCA-shaped test PKI of @kho/testing, generated at run time (new keys on every run).")
    yield* detail("  Real VGCA roots (Ban Cơ yếu Chính phủ G1/G2) are configured data (TrustConfig), not shipped.")

    yield* step(
      "2024-02-02 10:00",
      `${anHoa.name} chứng thực điện tử bản sao Thẻ căn cước công dân, cập nhật vào kho`,
      `${anHoa.name} certifies a copy of the ID card electronically and issues it into the store`
    )
    const certifiedCopy = yield* documents.issue({
      ownerId: OWNER_ID,
      documentId: "ban-sao-cccd",
      bytes: signedPdf("Ban sao duoc chung thuc tu ban chinh - The can cuoc cong dan", pki.ecdsaSigner),
      fileName: "30CVCC01022024signed_1706859285.pdf",
      ...pdf,
      kind: "CertifiedCopy",
      type: "CertifiedCopy",
      category: "the-can-cuoc-cong-dan",
      name: "Bản sao được chứng thực từ bản chính — Thẻ căn cước công dân",
      resultType: "KQ.G15.000021",
      issuedAt: "2024-02-02",
      ownerName: OWNER_NAME,
      identificationNumber: OWNER_ID,
      summary: "Chứng thực điện tử bản sao Thẻ căn cước công dân"
    }, request(anHoaOfficer, "issue:ban-sao-cccd"))
    yield* detail(`mã giấy tờ / code: ${certifiedCopy.state.documents.get("ban-sao-cccd")?.code ?? "—"}`)

    yield* step(
      "2024-03-11 15:00",
      `${anTan.name} cấp Giấy xác nhận tình trạng hôn nhân (kết quả điện tử, vào kho)`,
      `${anTan.name} issues a marital-status certificate into the store`
    )
    yield* documents.issue({
      ownerId: OWNER_ID,
      documentId: "xac-nhan-hon-nhan",
      bytes: signedPdf("Giay xac nhan tinh trang hon nhan - sinh ngay 12/05/1990", pki.signer),
      fileName: "XNTTHN_11032024_signed.pdf",
      ...pdf,
      kind: "Result",
      type: "ProcedureResult",
      category: "xac-nhan-tinh-trang-hon-nhan",
      name: "Giấy xác nhận tình trạng hôn nhân",
      decisionNumber: "45/XNTTHN-UBND",
      issuedAt: "2024-03-11",
      ownerName: OWNER_NAME,
      identificationNumber: OWNER_ID,
      summary: "Chưa đăng ký kết hôn với ai; sinh ngày 12/05/1990"
    }, request(anTanOfficer, "issue:xac-nhan-hon-nhan"))

    yield* step(
      "2024-03-20 09:00",
      "Bước 1–3: công dân đăng nhập (VNeID), chọn \"Kho dữ liệu cá nhân, tổ chức\"",
      "Steps 1–3: the citizen logs in and opens the store"
    )
    yield* storeView

    yield* step(
      "2024-03-20 09:02",
      "Bước 4: \"Thêm mới\" — tải lên Thẻ căn cước công dân (PDF ký số), Loại giấy tờ \"Kết quả giải quyết\"",
      "Step 4: the citizen uploads a signed PDF of the ID card"
    )
    const idCardBytes = signedPdf("The can cuoc cong dan - 052090000495", pki.signer)
    const uploaded = yield* documents.upload({
      ownerId: OWNER_ID,
      documentId: "cccd",
      bytes: idCardBytes,
      fileName: "1704789984214_3fe0869ea3b014a2.pdf",
      ...pdf,
      type: "ProcedureResult",
      category: "the-can-cuoc-cong-dan",
      name: "Thẻ căn cước công dân",
      resultType: "KQ.G01.000023",
      issuedAt: "2021-04-15",
      validity: { _tag: "Until", validFrom: "2021-04-15", validUntil: "2030-05-12" },
      ownerName: OWNER_NAME,
      identificationNumber: OWNER_ID,
      summary: "Thẻ căn cước công dân",
      visible: true,
      shared: true
    }, request(owner, "upload:cccd"))
    const card = uploaded.state.documents.get("cccd")
    if (card === undefined) return yield* unexpected("upload", "the uploaded ID card is not in the store")
    const signer = subjectCn(card.signature.signatures[0]?.signer?.subject ?? "")
    yield* detail(`✓ chữ ký hợp lệ / signature ${card.signature.indication}: "${signer}"`)
    yield* detail(`  chuỗi chứng thư / chain: ${card.signature.signatures[0]?.chain.map((c) => `"${subjectCn(c.subject)}"`).join(" → ") ?? "—"}`)
    yield* detail(`  mã giấy tờ / code: ${card.code ?? "—"}`)

    yield* step(
      "2024-03-20 09:05",
      "Tải lên không hợp lệ bị từ chối, nêu rõ lý do — không lưu gì",
      "Bad uploads are refused with a clear reason, and nothing is stored"
    )
    const headBefore = yield* events.head
    const badUploads: ReadonlyArray<{ readonly fileName: string; readonly what: string; readonly bytes: Uint8Array }> = [
      {
        fileName: "cccd-ky-gia.pdf",
        what: "ký bởi CA giả mạo cùng tên Ban Cơ yếu / signed by a look-alike CA with the same names",
        bytes: signedPdf("The can cuoc cong dan - 052090000495", pki.untrusted.signer)
      },
      {
        fileName: "cccd-da-sua.pdf",
        what: "bị sửa sau khi ký / changed after signing",
        bytes: SignedPdf.tamper(idCardBytes, "052090000495")
      },
      {
        fileName: "cccd-anh-chup.jpg",
        what: "ảnh chụp, không phải PDF / a photo, not a PDF",
        bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46])
      }
    ]
    const refused: Array<Summary["refused"][number]> = []
    for (const bad of badUploads) {
      const error = yield* refusal(`upload ${bad.fileName}`, documents.upload({
        ownerId: OWNER_ID,
        documentId: `tai-len-${refused.length + 1}`,
        bytes: bad.bytes,
        fileName: bad.fileName,
        ...pdf,
        type: "ProcedureResult",
        category: "the-can-cuoc-cong-dan",
        name: "Thẻ căn cước công dân"
      }, request(owner, `upload:bad-${refused.length + 1}`)))
      refused.push({ fileName: bad.fileName, error: error._tag, message: error.message })
      yield* detail(`✗ ${bad.fileName} (${bad.what})`)
      yield* detail(`  ${error._tag}: ${error.message}`)
    }
    const headAfter = yield* events.head
    if (headAfter.position !== headBefore.position) {
      return yield* unexpected("bad uploads", `a refused upload appended events (${headBefore.position} → ${headAfter.position})`)
    }
    yield* detail(`→ nhật ký vẫn ở vị trí ${headAfter.position} / the log is still at position ${headAfter.position}`)

    yield* step(
      "2024-03-20 09:06",
      "Chia sẻ các giấy tờ do cơ quan nhà nước cập nhật (thành phần hồ sơ yêu cầu giấy tờ được chia sẻ)",
      "The owner shares the agency-issued documents (components require shared documents)"
    )
    for (const documentId of ["ban-sao-cccd", "xac-nhan-hon-nhan"]) {
      yield* documents.execute({ _tag: "ShareDocument", ownerId: OWNER_ID, documentId }, request(owner, `share:${documentId}`))
      yield* detail(`✓ ${documentId}: Chia sẻ`)
    }

    yield* step("2024-03-20 09:07", "Tra cứu \"can cuoc\" (không dấu)", "Search \"can cuoc\" (accents ignored)")
    const search = yield* DocumentSearch.makeProjection()
    yield* Projection.catchUp(search.projection).pipe(Effect.provide(Checkpoint.layerMemory))
    const hits = yield* search.search({ ownerId: OWNER_ID, text: "can cuoc" }, owner)
    for (const hit of hits.items) yield* detail(`• ${hit.documentId}: ${short(hit.name, 64)}`)
    yield* detail(`→ ${hits.total} kết quả / hits`)
    yield* between("store")

    // ---------------------------------------------------------------------------------------------
    // Part II — Nộp hồ sơ trực tuyến
    // ---------------------------------------------------------------------------------------------
    yield* heading("Phần II — Khai thác kho dữ liệu khi nộp hồ sơ trực tuyến", "Part II — reusing the store in an online dossier")
    const online = "hs-dang-ky-ket-hon"
    yield* step(
      "2024-03-20 09:10",
      `Bước 4–6: chọn DVC "${procedureName("1.000894")}", cơ quan giải quyết ${anHoa.name}`,
      "Steps 4–6: procedure, deciding agency, case, submitter and owner"
    )
    const draft = yield* dossiers.createDraft({
      dossierId: online,
      procedureCode: "1.000894",
      caseId: "khong-xac-minh",
      agencyCode: anHoa.agencyCode,
      district: AdministrativeUnit.AN_LAO,
      commune: anHoa.code,
      channel: "online",
      submitter: { personalId: OWNER_ID, name: OWNER_NAME },
      ownerId: OWNER_ID
    }, request(owner, `${online}:draft`))
    yield* detail(`trường hợp / case: ${draft.state.dossier?.case.name ?? "—"}`)

    yield* step(
      "2024-03-20 09:12",
      "Bước 7: hệ thống đối chiếu thành phần hồ sơ với kho dữ liệu",
      "Step 7: each component is matched against the owner's store"
    )
    const prepared = yield* dossiers.matchComponents(online, request(owner, `${online}:match`))
    let suggestion: { readonly componentId: string; readonly ids: ReadonlyArray<string> } | null = null
    for (const component of prepared.components) {
      const outcome = component.outcome
      yield* detail(`[${component.componentId}] ${short(component.name, 66)}`)
      if (outcome === null) {
        yield* detail("  điền trực tuyến / tải lên — not something a store holds: fill in or upload")
        continue
      }
      if (outcome._tag === "AutoAttach") {
        yield* detail(`  → chỉ có 01 tệp phù hợp: tự động đính kèm / exactly one eligible: attached automatically`)
      } else if (outcome._tag === "Suggest") {
        yield* detail(`  → có ${outcome.eligible.length} tệp phù hợp: "hãy thực hiện lấy TPHS từ Kho dữ liệu!" / several: the citizen chooses`)
        suggestion = { componentId: component.componentId, ids: outcome.eligible.map((d) => d.id) }
      } else {
        yield* detail("  → không có tệp phù hợp / none eligible")
      }
      yield* explainOutcome(outcome)
    }
    const autoAttached = prepared.autoAttached.map((a) => ({
      ...a,
      name: prepared.components.find((c) => c.componentId === a.componentId)?.outcome?.eligible[0]?.name ?? a.documentId
    }))
    if (autoAttached.length !== 1 || suggestion === null) {
      return yield* unexpected("step 7", `expected one automatic attachment and one choice; got ${autoAttached.length} and ${suggestion === null ? "none" : "one"}`)
    }
    const picked = "ban-sao-cccd"
    yield* detail(`Chọn tệp tin → [Lấy từ kho]: ${picked} (kết quả điện tử đã được cấp / the agency-issued copy)`)
    yield* dossiers.pick({ dossierId: online, componentId: suggestion.componentId, documentId: picked }, request(owner, `${online}:pick`))
    yield* dossiers.upload({
      dossierId: online,
      componentId: "to-khai",
      bytes: SignedPdf.unsigned({ text: "To khai dang ky ket hon" }),
      fileName: "to-khai-dang-ky-ket-hon.pdf",
      ...pdf
    }, request(owner, `${online}:to-khai`))
    yield* detail("Tờ khai điền trực tuyến, đính kèm / the declaration is filled in and attached")

    yield* step("2024-03-20 09:15", "Bước 8: nộp trực tuyến, nhận kết quả tại UBND xã", "Step 8: submit online, collect the result at the commune office")
    yield* dossiers.chooseMethods({ dossierId: online, submission: "Online", receipt: "AtCommuneOffice" }, request(owner, `${online}:methods`))

    yield* step("2024-03-20 09:16", "Bước 9: [Đồng ý và tiếp tục] → [Nộp hồ sơ]", "Step 9: submit")
    const submitted = yield* dossiers.submit(online, request(owner, `${online}:submit`))
    yield* detail(`✓ mã hồ sơ / dossier number: ${submitted.number}`)
    for (const [componentId, source] of submitted.dossier.components) {
      yield* detail(`  ${componentId}: ${source._tag}${"documentId" in source && source.documentId !== null ? ` (${source.documentId})` : ""}`)
    }
    yield* between("online")

    // ---------------------------------------------------------------------------------------------
    // Part III — Tại Bộ phận Một cửa
    // ---------------------------------------------------------------------------------------------
    yield* heading("Phần III — Cán bộ tại Bộ phận Một cửa kiểm tra kho trước khi scan giấy", "Part III — an officer at the counter looks into the store before scanning paper")
    const counter = "hs-khai-sinh"
    yield* step(
      "2024-03-20 14:00",
      `Công dân đến ${anHoa.name} đăng ký khai sinh cho con; cán bộ tạo hồ sơ tại quầy`,
      "The citizen registers his child's birth at the commune office; the officer opens the dossier"
    )
    yield* dossiers.createDraft({
      dossierId: counter,
      procedureCode: "1.001193",
      caseId: "dung-han",
      agencyCode: anHoa.agencyCode,
      district: AdministrativeUnit.AN_LAO,
      commune: anHoa.code,
      channel: "counter",
      submitter: { personalId: OWNER_ID, name: OWNER_NAME },
      ownerId: OWNER_ID
    }, request(anHoaOfficer, `${counter}:draft`))
    const looked = yield* dossiers.matchComponents(counter, request(anHoaOfficer, `${counter}:match`))
    for (const component of looked.components) {
      if (component.outcome === null) continue
      yield* detail(`[${component.componentId}] ${component.outcome.eligible.length} tệp phù hợp trong kho / eligible in the store`)
      yield* explainOutcome(component.outcome)
    }

    yield* step(
      "2024-03-20 14:03",
      "Cán bộ định scan thẻ căn cước bản giấy — hệ thống từ chối: kho đã có",
      "The officer tries to scan the paper ID card — refused: the store already holds it"
    )
    const scanRefused = yield* refusal("counter scan", dossiers.scan({
      dossierId: counter,
      componentId: "giay-to-tuy-than",
      documentId: "cccd-scan",
      bytes: signedPdf("Scan The can cuoc cong dan", pki.ecdsaSigner),
      fileName: "scan-cccd.pdf",
      ...pdf,
      type: "PersonalDocument",
      category: "the-can-cuoc-cong-dan",
      name: "Thẻ căn cước công dân (bản giấy, số hóa tại quầy)",
      issuer: { _tag: "Named", name: "Bản giấy xuất trình tại Bộ phận Một cửa" }
    }, request(anHoaOfficer, `${counter}:scan-cccd`)))
    yield* detail(`✗ ${scanRefused._tag}: ${scanRefused.message}`)
    if (scanRefused._tag !== "ReusableDocumentExists") {
      return yield* unexpected("counter scan", `expected ReusableDocumentExists, got ${scanRefused._tag}`)
    }
    const counterPick = "cccd"
    yield* dossiers.pick({ dossierId: counter, componentId: "giay-to-tuy-than", documentId: counterPick }, request(anHoaOfficer, `${counter}:pick`))
    yield* detail(`✓ lấy từ kho / picked from the store: ${counterPick}`)

    yield* step(
      "2024-03-20 14:06",
      "Giấy chứng sinh không có trong danh mục kho: cán bộ scan bản giấy (số hóa 100% hồ sơ)",
      "The birth notice is not a store document: the officer scans the paper (every dossier is digitised)"
    )
    for (const [componentId, fileName, text] of [
      ["giay-chung-sinh", "scan-giay-chung-sinh.pdf", "Giay chung sinh"],
      ["to-khai", "to-khai-dang-ky-khai-sinh.pdf", "To khai dang ky khai sinh"]
    ] as const) {
      yield* dossiers.upload({ dossierId: counter, componentId, bytes: SignedPdf.unsigned({ text }), fileName, ...pdf }, request(anHoaOfficer, `${counter}:${componentId}`))
      yield* detail(`✓ ${componentId}: ${fileName}`)
    }
    yield* dossiers.chooseMethods({ dossierId: counter, submission: "AtOffice", receipt: "AtCommuneOffice" }, request(anHoaOfficer, `${counter}:methods`))
    const counterSubmitted = yield* dossiers.submit(counter, request(anHoaOfficer, `${counter}:submit`))
    yield* dossiers.receive(counter, request(anHoaOfficer, `${counter}:receive`))
    yield* detail(`✓ tiếp nhận / received: ${counterSubmitted.number}`)

    yield* step(
      "2024-03-20 15:30",
      "Trả kết quả: Giấy khai sinh điện tử (ký số) được cập nhật vào kho của công dân",
      "The result, a signed electronic birth certificate, is issued into the citizen's store"
    )
    const resultId = "khai-sinh-con"
    yield* dossiers.issueResult({
      dossierId: counter,
      documents: [{
        documentId: resultId,
        bytes: signedPdf("Giay khai sinh (ban dien tu)", pki.ecdsaSigner),
        fileName: "giay-khai-sinh-dien-tu.pdf",
        ...pdf,
        kind: "Result",
        type: "ProcedureResult",
        category: "giay-khai-sinh",
        name: "Giấy khai sinh (bản điện tử)",
        issuedAt: "2024-03-20",
        decisionNumber: "12/2024/KS",
        summary: "Đăng ký khai sinh cho con của công dân Đinh Văn Hùng"
      }]
    }, request(anHoaOfficer, `${counter}:result`))
    yield* detail(`✓ ${resultId} → Kho cơ quan nhà nước, tổ chức`)
    yield* between("counter")

    // ---------------------------------------------------------------------------------------------
    // Part IV — Phản ánh về kết quả giải quyết
    // ---------------------------------------------------------------------------------------------
    yield* heading("Phần IV — Phản ánh về kết quả giải quyết, và việc cập nhật lại", "Part IV — a complaint about a result, and its correction")
    const complaintId = "pa-xac-nhan-hon-nhan"
    yield* step(
      "2024-03-20 16:00",
      "Công dân phản ánh: \"Tệp tin kết quả điện tử bị sai lệch thông tin công dân\" (sai ngày sinh)",
      "The citizen files a complaint from the store view: wrong citizen information (birth date)"
    )
    const filed = yield* complaints.file({
      complaintId,
      ownerId: OWNER_ID,
      documentId: "xac-nhan-hon-nhan",
      reason: "WrongCitizenInformation",
      comment: "Ngày sinh ghi 12/05/1990, đúng là 15/02/1990"
    }, { actor: owner })
    const view = yield* complaints.get(complaintId, owner)
    yield* detail(`→ chuyển đến / routed to ${agencyName(filed.complaint.agencyCode)} (${filed.complaint.agencyCode})`)
    yield* detail(`  ${view.status.vi} / ${view.status.en}; hạn từ chối ${view.deadlines.rejectDue ?? "—"}, hạn xử lý ${view.deadlines.handleDue ?? "—"}`)

    const matchMarital = Effect.gen(function*() {
      const procedure = Procedure.defaultCatalog.get("1.000894")
      const requirement = procedure === undefined ? undefined : Procedure.requirement(procedure, "xac-nhan-tinh-trang-hon-nhan")
      if (procedure === undefined || requirement === undefined) {
        return yield* unexpected("matching", "the catalog lacks procedure 1.000894 or its marital-status component")
      }
      const state = yield* documents.load(OWNER_ID, { actor: owner })
      return Matching.match({
        requirement,
        procedure,
        ownerId: OWNER_ID,
        asOf: new Date(time.now()).toISOString(),
        documents: DocumentStore.documents(state)
      })
    })
    const whileOpen = yield* matchMarital
    const openExclusion = whileOpen.excluded.find((x) => x.document.id === "xac-nhan-hon-nhan")
    if (openExclusion === undefined) return yield* unexpected("complaint", "the document under complaint is still eligible")
    const openReason = Matching.message(Matching.primaryReason(openExclusion))
    yield* detail(`Trong khi chờ xử lý, giấy tờ không được đề xuất / meanwhile matching leaves it out:`)
    yield* detail(`  ✗ ${openReason.vi}`)
    yield* detail(`    ${openReason.en}`)

    yield* step("2024-03-21 08:30", `${anTan.name} tiếp nhận phản ánh`, "The issuing commune acknowledges the complaint")
    yield* complaints.acknowledge({ complaintId, note: "Đã kiểm tra, ngày sinh ghi sai" }, { actor: anTanOfficer })

    yield* step(
      "2024-03-22 10:00",
      `${anTan.name} cập nhật lại kết quả điện tử vào kho (thay thế bản sai)`,
      "The commune issues a corrected certificate into the store; it supersedes the wrong one"
    )
    const replacementId = "xac-nhan-hon-nhan-2"
    const resolved = yield* complaints.resolveByCorrection({
      complaintId,
      resolution: "Sửa ngày sinh thành 15/02/1990",
      replacement: {
        documentId: replacementId,
        bytes: signedPdf("Giay xac nhan tinh trang hon nhan - sinh ngay 15/02/1990", pki.signer),
        fileName: "XNTTHN_22032024_signed.pdf",
        ...pdf,
        kind: "Result",
        type: "ProcedureResult",
        category: "xac-nhan-tinh-trang-hon-nhan",
        name: "Giấy xác nhận tình trạng hôn nhân",
        decisionNumber: "45/XNTTHN-UBND (cấp lại)",
        issuedAt: "2024-03-22",
        ownerName: OWNER_NAME,
        identificationNumber: OWNER_ID,
        summary: "Chưa đăng ký kết hôn với ai; sinh ngày 15/02/1990"
      }
    }, { actor: anTanOfficer })
    const closed = yield* complaints.get(complaintId, owner)
    yield* detail(`✓ ${closed.status.vi} / ${closed.status.en} (đúng hạn / due ${closed.deadlines.handleDue ?? "—"}, closed ${closed.deadlines.closedOn ?? "—"})`)
    yield* documents.execute({ _tag: "ShareDocument", ownerId: OWNER_ID, documentId: replacementId }, request(owner, `share:${replacementId}`))
    const afterCorrection = yield* matchMarital
    yield* detail("Đối chiếu lại cho thủ tục đăng ký kết hôn / matching for marriage registration now:")
    yield* explainOutcome(afterCorrection)
    const old: Document | undefined = (yield* documents.load(OWNER_ID, { actor: owner })).documents.get("xac-nhan-hon-nhan")
    if (old?.status._tag !== "Superseded" || old.status.replacementId !== replacementId) {
      return yield* unexpected("correction", `the wrong certificate is ${old?.status._tag ?? "missing"}, not superseded by ${replacementId}`)
    }
    yield* between("complaint")

    // ---------------------------------------------------------------------------------------------
    // Part V — Ai đã dùng dữ liệu của tôi
    // ---------------------------------------------------------------------------------------------
    yield* heading("Phần V — Ai đã khai thác dữ liệu của tôi? Và nhật ký có toàn vẹn không?", "Part V — who used my data, and is the log intact?")
    yield* step("2024-03-22 17:00", "Chủ kho xem nhật ký khai thác kho", "The owner reads the \"who used my data\" log")
    const accessLog = yield* AccessLog.read(OWNER_ID, owner)
    for (const entry of accessLog) {
      const when = ScriptedClock.formatVietnam(entry.at)
      const what = entry.kind === "Accessed"
        ? `tra cứu kho (${entry.channel === "counter" ? "tại quầy" : "trực tuyến"}), tìm thấy ${entry.found}`
        : `sử dụng ${entry.documentId} trong hồ sơ ${entry.dossierNumber}`
      yield* detail(`${when} · ${who(entry.actor)} · ${entry.procedure} ${short(procedureName(entry.procedure), 28)} · ${what}`)
    }
    yield* detail("Kho hiện tại / the store now:")
    yield* storeView

    yield* step("2024-03-22 17:01", "Kiểm toán: xác minh chuỗi băm của toàn bộ nhật ký", "Audit: verify the hash chain of the whole log")
    const head = yield* events.head
    const chain = yield* HashChain.verifyChain(events.readAll())
    if (chain._tag === "ChainIntact") {
      // the head hash is in the summary, not printed: the run-time keys make it differ on every run
      yield* detail(`✓ toàn vẹn / intact: ${chain.count} sự kiện / events, vị trí đầu / head position ${chain.headPosition}`)
      yield* detail("  mọi băm tính lại từ băm khởi đầu / every hash recomputes from the genesis hash")
    } else {
      return yield* unexpected("chain", chain.message)
    }
    yield* between("log")

    return {
      ownerId: OWNER_ID,
      trustAnchor: { subject: rootName, sha256: pki.root.sha256 },
      uploaded: { documentId: card.id, indication: card.signature.indication, signer },
      refused,
      online: { dossierNumber: submitted.number, autoAttached, suggested: suggestion.ids, picked },
      counter: {
        dossierNumber: counterSubmitted.number,
        refusedScan: { error: scanRefused._tag, message: scanRefused.message },
        picked: counterPick,
        resultId
      },
      complaint: {
        complaintId,
        agencyCode: filed.complaint.agencyCode,
        excludedWhileOpen: openReason.en,
        status: resolved.complaint.status._tag,
        supersededId: old.id,
        replacementId
      },
      accessLog,
      head,
      chain
    }
  })
