/**
 * The An Lão scenario: generates, through the real flows (`DossierService`, `DocumentStoreService`,
 * the command handler and the deciders), an event log in which An Lão district received exactly the
 * dossiers of Appendix I of the seed between 1 January and 20 March 2024 — per unit, the received
 * count, of which exactly the reused count have a component satisfied from digitised data (mostly
 * from the owner's store, some from an earlier dossier's result, a few both) — plus dossiers that
 * must NOT count: received in December 2023 or after 20 March (by minutes, across midnight in
 * Vietnam), submitted in the period but received after it, drafts never submitted.
 *
 * ```ts
 * const scenario = yield* AnLao2024.generate().pipe(Effect.provide(EventStore.layerMemory))
 * const ledger = yield* KpiLedger.fromStore()
 * ```
 *
 * Deterministic: ids, personal IDs, times and choices come from a seeded PRNG, and the clock is the
 * scenario's own (every event is recorded at its scenario time, so "as of 15 February" is meaningful).
 * Signatures are not what this scenario is about: every PDF is accepted by a test verifier (the
 * real verifier is exercised by `@kho/signature`). Files go to an in-memory file store.
 *
 * @since 0.1.0
 */
import type * as Authorization from "@kho/core/Authorization"
import * as ComplaintService from "@kho/core/ComplaintService"
import * as DocumentStoreService from "@kho/core/DocumentStoreService"
import * as Dossier from "@kho/core/Dossier"
import * as DossierService from "@kho/core/DossierService"
import { EventStore } from "@kho/core/EventStore"
import type { LogHead } from "@kho/core/EventStore"
import * as FileStore from "@kho/core/FileStore"
import * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as SignatureVerifier from "@kho/core/SignatureVerifier"
import { AdministrativeUnit } from "@kho/core"
import type { Actor } from "@kho/core/Actor"
import { Clock, Effect, Layer } from "effect"
import type { Prng } from "./ScenarioKit.ts"
import {
  caseOf,
  citizen,
  DAY,
  iso,
  MINUTE,
  officerOf,
  passed,
  pdf,
  prng,
  resultDocument,
  resultOf,
  scenarioClock,
  vn,
  vnDay
} from "./ScenarioKit.ts"

// -----------------------------------------------------------------------------------------------
// The plan
// -----------------------------------------------------------------------------------------------

/**
 * How a dossier's components are satisfied:
 * - `Upload`: every mandatory component uploaded for this dossier only (no reuse);
 * - `Scan`: at the counter, the officer scans paper into the owner's store (digitised, not reuse);
 * - `StoreAuto`: the owner's store holds exactly one eligible document: attached automatically;
 * - `StorePick`: it holds two: the citizen picks one ("Lấy từ kho");
 * - `StoreDetached`: auto-attached, then detached and uploaded instead (not reuse in the end);
 * - `Earlier`: the result of the owner's earlier dossier (December 2023);
 * - `StoreAndEarlier`: both (counts in both splits of the numerator).
 *
 * @since 0.1.0
 */
export type Mode = "Upload" | "Scan" | "StoreAuto" | "StorePick" | "StoreDetached" | "Earlier" | "StoreAndEarlier"

/**
 * Whether a mode counts as reuse (store or earlier dossier) in the reuse rate.
 *
 * @since 0.1.0
 */
export const isReuse = (mode: Mode): boolean =>
  mode === "StoreAuto" || mode === "StorePick" || mode === "Earlier" || mode === "StoreAndEarlier"

/**
 * One dossier of the scenario, as planned (the oracle tests compare the projection with).
 *
 * - `receivedAt`: the instant of receipt (`null`: never received — a draft, or received after the
 *   scenario ends); `inPeriod`: whether the Vietnamese day of `receivedAt` is in 2024-01-01 … 2024-03-20;
 * - `closing`: how it ends (`Result`: an electronic result; `CertifiedCopy`: an electronic certified
 *   copy; `Rejected`; `Open`).
 *
 * @since 0.1.0
 */
export interface PlannedDossier {
  readonly dossierId: string
  readonly unitCode: string
  readonly agencyCode: string
  readonly ownerId: string
  readonly procedureCode: string
  readonly channel: "online" | "counter"
  readonly mode: Mode
  /** For a draft never submitted: when it was opened (`submittedAt` is then null). */
  readonly draftedAt: string | null
  readonly submittedAt: string | null
  readonly receivedAt: string | null
  readonly inPeriod: boolean
  readonly closing: "Result" | "CertifiedCopy" | "Rejected" | "Open"
  readonly closedAt: string | null
  readonly supplement: boolean
  /** For `Earlier` / `StoreAndEarlier`: the id of the earlier dossier whose result is reused. */
  readonly earlierDossierId: string | null
  /** A complaint the owner files about the issued result, and how the agency settles it. */
  readonly complaint: PlannedComplaint | null
}

/**
 * A complaint about a dossier's result: filed by the owner, acknowledged, then corrected (a
 * replacement is issued) or rejected — within its deadline (2 working days to reject, 15 to handle,
 * `ComplaintPolicy.standard`) or well after it.
 *
 * @since 0.1.0
 */
export interface PlannedComplaint {
  readonly complaintId: string
  readonly filedAt: string
  readonly outcome: "Corrected" | "Rejected"
  readonly closedAt: string
  readonly onTime: boolean
}

/**
 * Options of the scenario.
 *
 * @since 0.1.0
 */
export interface Options {
  /** The PRNG seed (default 20240320): another seed gives another log with the same figures. */
  readonly seed?: number
}

/**
 * The period of Appendix I.
 *
 * @since 0.1.0
 */
export const period = ReuseRateReport.seedAppendixI.period

type Profile = "commune" | "land" | "justice" | "office"

const profileOf = (code: string, level: string): Profile =>
  level === "commune"
    ? "commune"
    : code.endsWith(".chi-nhanh-vpdkdd")
    ? "land"
    : code.endsWith(".phong-tu-phap")
    ? "justice"
    : "office"

/** The procedure a dossier of `mode` uses at a unit of `profile`. */
const procedureFor = (profile: Profile, mode: Mode, rng: Prng): string => {
  switch (profile) {
    case "land":
      return "9.900004"
    case "commune":
      if (mode === "Earlier" || mode === "StoreAndEarlier") return "1.004873"
      if (mode === "Scan") return "2.000815"
      if (mode === "Upload") return rng.pick(["1.001193", "1.004873", "2.000815", "2.000815"])
      return rng.pick(["1.001193", "1.004873"])
    case "justice":
      if (mode === "Scan") return "2.000815"
      if (mode === "Upload") return rng.pick(["2.000815", "9.900003"])
      return "9.900003"
    case "office":
      return "9.900003"
  }
}

/** Working days of the period, without the New Year and Tết 2024 holidays (8–14 February). */
const workingDays = (from: string, to: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let t = Date.parse(`${from}T00:00:00.000Z`); t <= Date.parse(`${to}T00:00:00.000Z`); t += DAY) {
    const day = iso(t).slice(0, 10)
    const weekday = new Date(t).getUTCDay()
    if (weekday === 0 || weekday === 6) continue
    if (day === "2024-01-01" || ("2024-02-08" <= day && day <= "2024-02-14")) continue
    out.push(day)
  }
  return out
}

interface Draft {
  dossierId: string
  unitCode: string
  agencyCode: string
  profile: Profile
  ownerId: string
  procedureCode: string
  channel: "online" | "counter"
  mode: Mode
  submittedAt: number | null
  /** For a draft never submitted: when it was opened. */
  draftedAt: number | null
  receivedAt: number | null
  closing: PlannedDossier["closing"]
  closedAt: number | null
  supplement: boolean
  earlierDossierId: string | null
  complaint: PlannedComplaint | null
}

const modesFor = (received: number, reused: number): Array<Mode> => {
  const both = reused >= 10 ? 1 : 0
  const earlier = Math.floor(reused / 6)
  const pick = Math.floor(reused / 8)
  const auto = reused - both - earlier - pick
  const none = received - reused
  const scan = Math.floor(none / 12)
  const detached = none >= 20 ? 2 : 0
  return [
    ...Array<Mode>(both).fill("StoreAndEarlier"),
    ...Array<Mode>(earlier).fill("Earlier"),
    ...Array<Mode>(pick).fill("StorePick"),
    ...Array<Mode>(auto).fill("StoreAuto"),
    ...Array<Mode>(scan).fill("Scan"),
    ...Array<Mode>(detached).fill("StoreDetached"),
    ...Array<Mode>(none - scan - detached).fill("Upload")
  ]
}

/**
 * The scenario's dossiers, in creation order, without running anything (pure): what `generate`
 * will do, and the oracle for tests.
 *
 * @since 0.1.0
 */
export const plan = (options?: Options): ReadonlyArray<PlannedDossier> => {
  const rng = prng(options?.seed ?? 20240320)
  const tree = AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, period.to)
  const days = workingDays(period.from, period.to)
  const drafts: Array<Draft> = []
  let n = 0
  const newOwner = (): string => {
    n++
    // 052 Bình Định, century/sex 0–3, birth year, a serial made unique by the counter
    return `052${rng.int(0, 3)}${String(rng.int(50, 99)).padStart(2, "0")}${String(n).padStart(6, "0")}`
  }
  const base = (unit: AdministrativeUnit.AdministrativeUnit, mode: Mode, channel: "online" | "counter"): Draft => {
    const profile = profileOf(unit.code, unit.level)
    return {
      dossierId: "", // numbered in creation order by `add`
      unitCode: unit.code,
      agencyCode: unit.agencyCode!,
      profile,
      ownerId: newOwner(),
      procedureCode: procedureFor(profile, mode, rng),
      channel,
      mode,
      submittedAt: null,
      draftedAt: null,
      receivedAt: null,
      closing: "Open",
      closedAt: null,
      supplement: false,
      earlierDossierId: null,
      complaint: null
    }
  }
  /** The earlier dossier (December 2023) whose result a later dossier of the same owner reuses. */
  const earlierFor = (later: Draft, before: number): Draft => {
    const unit = AdministrativeUnit.get(tree, later.unitCode)!
    const d = base(unit, "Upload", "online")
    d.ownerId = later.ownerId
    d.procedureCode = later.procedureCode
    const received = Math.min(before - 20 * DAY, vn(`2023-12-${String(rng.int(1, 15)).padStart(2, "0")}`, rng.int(480, 960)))
    d.submittedAt = received - rng.int(30, 600) * MINUTE
    d.receivedAt = received
    d.closing = "Result"
    d.closedAt = received + rng.int(1, 3) * DAY
    return d
  }
  const schedule = (d: Draft, receivedAt: number | null, submittedAt?: number) => {
    d.receivedAt = receivedAt
    if (receivedAt === null) return
    d.submittedAt = submittedAt ?? (d.channel === "counter" ? receivedAt - 2 * MINUTE : receivedAt - rng.int(5, 600) * MINUTE)
    if (d.procedureCode === "9.900003") return // a registration: no document to issue, it stays open here
    const roll = rng.next()
    if (roll < 0.03) {
      d.closing = "Rejected"
      d.closedAt = receivedAt + DAY + rng.int(0, 240) * MINUTE
      return
    }
    d.supplement = roll < 0.06 && d.mode === "Upload"
    d.closing = d.procedureCode === "2.000815" ? "CertifiedCopy" : "Result"
    d.closedAt = receivedAt + (d.supplement ? rng.int(3, 6) : rng.int(1, 4)) * DAY + rng.int(0, 300) * MINUTE
    if (rng.next() < 0.02) {
      // margins wide enough that no calendar subtlety decides: 1 or 5 calendar days is within 2 or 15
      // working days; 10 or 40 calendar days is past them
      const outcome = rng.next() < 0.6 ? "Corrected" : "Rejected"
      const onTime = rng.next() < 0.75
      const filedAt = d.closedAt + 2 * DAY
      const wait = outcome === "Corrected" ? (onTime ? 5 : 40) : (onTime ? 1 : 10)
      d.complaint = {
        complaintId: "", // named after the dossier by `add`
        filedAt: iso(filedAt),
        outcome,
        closedAt: iso(filedAt + wait * DAY),
        onTime
      }
    }
  }
  const add = (d: Draft) => {
    if (d.mode === "Earlier" || d.mode === "StoreAndEarlier") {
      const earlier = earlierFor(d, d.submittedAt ?? d.receivedAt ?? vn(period.from, 0))
      drafts.push(earlier)
      earlier.dossierId = `anlao-${String(drafts.length).padStart(5, "0")}`
      d.earlierDossierId = earlier.dossierId
    }
    d.dossierId = `anlao-${String(drafts.length + 1).padStart(5, "0")}`
    if (d.complaint !== null) d.complaint = { ...d.complaint, complaintId: `pa.${d.dossierId}` }
    drafts.push(d)
  }

  for (const [code, received, reused] of ReuseRateReport.seedAppendixI.figures.map((f) =>
    [f.code, f.received, f.reused] as const
  )) {
    const unit = AdministrativeUnit.get(tree, code)!
    const modes = rng.shuffle(modesFor(received, reused))
    modes.forEach((mode, i) => {
      const d = base(unit, mode, mode === "Scan" ? "counter" : "online")
      // the first dossiers of some units sit on the edges of the period (Vietnam time, UTC+7)
      if (i === 0 && code.endsWith(".an-vinh")) {
        schedule(d, vn("2024-01-01", 5), vn("2023-12-31", 22 * 60)) // 00:05 on 1 January: counts
      } else if (i === 0 && code.endsWith(".an-dung")) {
        schedule(d, vn("2024-01-02", 9 * 60), vn("2023-12-28", 10 * 60)) // submitted in December: counts
      } else if (i === 0 && code.endsWith(".thi-tran-an-lao")) {
        schedule(d, vn("2024-03-20", 23 * 60 + 59)) // 23:59 on 20 March: counts
      } else {
        schedule(d, vn(rng.pick(days), rng.int(450, 1020)))
      }
      add(d)
    })
  }

  // outside the period: none of these may count
  const all = [...AdministrativeUnit.descendants(tree, AdministrativeUnit.AN_LAO)]
  for (const unit of all) {
    for (let k = 0; k < 2; k++) {
      const profile = profileOf(unit.code, unit.level)
      const picked = rng.pick<Mode>(["Upload", "Upload", "StoreAuto", "Earlier"])
      const mode = unit.code.endsWith(".hat-kiem-lam")
        ? "Upload"
        : picked === "Earlier" && profile !== "commune" && profile !== "land"
        ? "StoreAuto"
        : picked
      const december = base(unit, mode, "online")
      schedule(december, vn(`2023-12-${String(rng.int(18, 29))}`, rng.int(450, 1020)))
      add(december)
      const late = base(unit, unit.code.endsWith(".hat-kiem-lam") ? "Upload" : rng.pick<Mode>(["Upload", "StoreAuto"]), "online")
      schedule(late, vn(`2024-03-${String(rng.int(21, 29))}`, rng.int(450, 1020)))
      add(late)
    }
  }
  const at = (code: string) => AdministrativeUnit.get(tree, `${AdministrativeUnit.AN_LAO}.${code}`)!
  const edges: ReadonlyArray<readonly [string, number | null, number]> = [
    ["an-vinh", vn("2023-12-31", 23 * 60 + 55), vn("2023-12-31", 20 * 60)], // 23:55 on 31 December
    ["thi-tran-an-lao", vn("2024-03-21", 1), vn("2024-03-20", 21 * 60)], // 00:01 on 21 March
    ["an-hoa", vn("2024-03-21", 8 * 60), vn("2024-03-20", 16 * 60)], // submitted 20 March, received 21
    ["chi-nhanh-vpdkdd", vn("2024-03-22", 9 * 60), vn("2024-03-19", 10 * 60)], // waited three days
    ["an-trung", null, vn("2024-02-20", 10 * 60)], // a draft never submitted
    ["phong-tu-phap", null, vn("2024-03-05", 10 * 60)] // a draft never submitted
  ]
  for (const [code, receivedAt, submittedAt] of edges) {
    const d = base(at(code), "Upload", "online")
    schedule(d, receivedAt, submittedAt)
    if (receivedAt === null) d.draftedAt = submittedAt // opened then, never submitted
    add(d)
  }
  return drafts.map((d): PlannedDossier => ({
    dossierId: d.dossierId,
    unitCode: d.unitCode,
    agencyCode: d.agencyCode,
    ownerId: d.ownerId,
    procedureCode: d.procedureCode,
    channel: d.channel,
    mode: d.mode,
    draftedAt: d.draftedAt === null ? null : iso(d.draftedAt),
    submittedAt: d.submittedAt === null ? null : iso(d.submittedAt),
    receivedAt: d.receivedAt === null ? null : iso(d.receivedAt),
    inPeriod: d.receivedAt !== null && period.from <= vnDay(d.receivedAt) && vnDay(d.receivedAt) <= period.to,
    closing: d.closing,
    closedAt: d.closedAt === null ? null : iso(d.closedAt),
    supplement: d.supplement,
    earlierDossierId: d.earlierDossierId,
    complaint: d.complaint
  }))
}

// -----------------------------------------------------------------------------------------------
// Running the plan through the real flows
// -----------------------------------------------------------------------------------------------

/**
 * What `generate` produced: the plan it ran and the head of the log after it.
 *
 * @since 0.1.0
 */
export interface Scenario {
  readonly dossiers: ReadonlyArray<PlannedDossier>
  readonly head: LogHead
}

/** The component the owner's earlier result satisfies, per procedure. */
const earlierComponent: Readonly<Record<string, string>> = {
  "1.004873": "giay-xac-nhan-da-cap",
  "9.900004": "giay-chung-nhan"
}

/** What is scanned at the counter, per procedure. */
const scanned: Readonly<Record<string, { readonly componentId: string; readonly category: string; readonly name: string }>> =
  {
    "2.000815": { componentId: "ban-chinh", category: "giay-khai-sinh", name: "Giấy khai sinh (bản giấy, số hóa tại quầy)" },
    "9.900004": {
      componentId: "giay-chung-nhan",
      category: "giay-chung-nhan-quyen-su-dung-dat",
      name: "Giấy chứng nhận quyền sử dụng đất (bản giấy, số hóa tại quầy)"
    },
    "9.900003": {
      componentId: "ly-lich-tu-phap",
      category: "ly-lich-tu-phap-so-1",
      name: "Phiếu lý lịch tư pháp số 1 (bản giấy, số hóa tại quầy)"
    }
  }

const landUnit = `${AdministrativeUnit.AN_LAO}.chi-nhanh-vpdkdd`

/**
 * What `generate` can fail with: a flow refusing a step, which would be a bug in the scenario or in
 * the flows.
 *
 * @since 0.1.0
 */
export type Failure = DossierService.FlowError | ComplaintService.CorrectionError | Authorization.Forbidden

type Services = DossierService.DossierService | DocumentStoreService.DocumentStoreService | ComplaintService.ComplaintService

/**
 * Generates the scenario into the `EventStore` in context (any adapter; an empty store gives a log
 * whose first event is the scenario's). Fails with the first flow error, which would be a bug in
 * the scenario or in the flows.
 *
 * @since 0.1.0
 */
export const generate = (
  options?: Options
): Effect.Effect<Scenario, Failure, EventStore> =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const dossiers = plan(options)
    const time = scenarioClock()
    const services = Layer.mergeAll(DossierService.layer, ComplaintService.layer).pipe(
      Layer.provideMerge(Layer.effect(DocumentStoreService.DocumentStoreService, DocumentStoreService.make())),
      Layer.provide(Layer.mergeAll(
        Layer.succeed(EventStore, events),
        FileStore.layerMemory,
        SignatureVerifier.layerTest((bytes) => passed(bytes, time.iso()))
      ))
    )
    const actions: Array<{
      readonly at: number
      readonly seq: number
      readonly run: Effect.Effect<void, Failure, Services>
    }> = []
    const schedule = (at: string | number, run: (typeof actions)[number]["run"]) =>
      actions.push({ at: typeof at === "number" ? at : Date.parse(at), seq: actions.length, run })
    const numbers = new Map<string, string>()
    const landOfficer: Actor = {
      _tag: "Officer",
      officerId: "cb.chi-nhanh-vpdkdd",
      agencyCode: AdministrativeUnit.get(AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, period.to), landUnit)!.agencyCode!,
      roles: ["issuer"]
    }

    for (const d of dossiers) {
      const owner = citizen(d.ownerId)
      const officer = officerOf(d.unitCode, d.agencyCode)
      const request = (actor: Actor, step: string) => ({ actor, commandId: `${d.dossierId}:${step}`, correlationId: d.dossierId })
      const start = d.submittedAt ?? d.draftedAt
      if (start === null) continue
      const startMillis = Date.parse(start)

      // the owner's store, a day before: ID cards uploaded by the owner; land certificates issued by
      // the land-registration branch, then shared by the owner (matching needs shared documents)
      const store = d.mode === "StoreAuto" || d.mode === "StorePick" || d.mode === "StoreDetached" ||
        d.mode === "StoreAndEarlier"
      if (store) {
        const copies = d.mode === "StorePick" ? 2 : 1
        const land = d.procedureCode === "9.900004" && d.mode !== "StoreAndEarlier"
        schedule(
          startMillis - DAY,
          Effect.gen(function*() {
            const documents = yield* DocumentStoreService.DocumentStoreService
            for (let k = 1; k <= copies; k++) {
              const documentId = `${d.ownerId}.${land ? "gcn" : "cccd"}.${k}`
              const bytes = pdf(documentId)
              if (land) {
                yield* documents.issue({
                  ownerId: d.ownerId,
                  documentId,
                  bytes,
                  fileName: `${documentId}.pdf`,
                  mediaType: "application/pdf",
                  kind: "Result",
                  type: "ProcedureResult",
                  category: "giay-chung-nhan-quyen-su-dung-dat",
                  name: resultOf["9.900004"]!.name,
                  issuedAt: vnDay(startMillis - DAY - k * 400 * DAY)
                }, request(landOfficer, `store:${k}`))
                yield* documents.execute(
                  { _tag: "ShareDocument", ownerId: d.ownerId, documentId },
                  request(owner, `share:${k}`)
                )
              } else {
                yield* documents.upload({
                  ownerId: d.ownerId,
                  documentId,
                  bytes,
                  fileName: `${documentId}.pdf`,
                  mediaType: "application/pdf",
                  type: "PersonalDocument",
                  category: "the-can-cuoc-cong-dan",
                  name: "Thẻ căn cước công dân",
                  shared: true
                }, request(owner, `store:${k}`))
              }
            }
          })
        )
      }

      // intake: draft, components, methods, submission
      schedule(
        startMillis,
        Effect.gen(function*() {
          const service = yield* DossierService.DossierService
          const editor = d.channel === "counter" ? officer : owner
          const unit = AdministrativeUnit.get(AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, period.to), d.unitCode)!
          yield* service.createDraft({
            dossierId: d.dossierId,
            procedureCode: d.procedureCode,
            caseId: caseOf[d.procedureCode]!,
            agencyCode: d.agencyCode,
            district: AdministrativeUnit.AN_LAO,
            commune: unit.level === "commune" ? unit.code : `${AdministrativeUnit.AN_LAO}.thi-tran-an-lao`,
            channel: d.channel,
            submitter: { personalId: d.ownerId, name: null },
            ownerId: d.ownerId
          }, request(editor, "draft"))
          if (d.earlierDossierId !== null) {
            yield* service.referEarlierResult({
              dossierId: d.dossierId,
              componentId: earlierComponent[d.procedureCode]!,
              dossierNumber: numbers.get(d.earlierDossierId)!
            }, request(owner, "earlier"))
          }
          if (d.mode === "Scan") {
            const what = scanned[d.procedureCode]!
            const documentId = `${d.ownerId}.scan.1`
            const bytes = pdf(documentId)
            yield* service.scan({
              dossierId: d.dossierId,
              componentId: what.componentId,
              documentId,
              bytes,
              fileName: `${documentId}.pdf`,
              mediaType: "application/pdf",
              type: "PersonalDocument",
              category: what.category,
              name: what.name,
              issuer: { _tag: "Named", name: "Bản giấy xuất trình tại Bộ phận Một cửa" }
            }, request(officer, "scan"))
          } else {
            const prepared = yield* service.matchComponents(d.dossierId, request(editor, "match"))
            if (d.mode === "StorePick") {
              for (const c of prepared.components) {
                const outcome = c.outcome
                if (outcome?._tag !== "Suggest") continue
                yield* service.pick(
                  { dossierId: d.dossierId, componentId: c.componentId, documentId: outcome.eligible[0]!.id },
                  request(owner, `pick:${c.componentId}`)
                )
              }
            }
            if (d.mode === "StoreDetached") {
              for (const a of prepared.autoAttached) {
                yield* service.detach({ dossierId: d.dossierId, componentId: a.componentId }, request(owner, `detach:${a.componentId}`))
              }
            }
          }
          const loaded = (yield* service.load(d.dossierId, owner)).dossier!
          for (const missing of Dossier.missingComponents(loaded)) {
            yield* service.upload({
              dossierId: d.dossierId,
              componentId: missing.componentId,
              bytes: pdf(`${d.dossierId}.${missing.componentId}`),
              fileName: `${missing.componentId}.pdf`,
              mediaType: "application/pdf"
            }, request(editor, `upload:${missing.componentId}`))
          }
          yield* service.chooseMethods({
            dossierId: d.dossierId,
            submission: d.channel === "counter" ? "AtOffice" : "Online",
            receipt: unit.level === "commune" ? "AtCommuneOffice" : "AtAgency"
          }, request(editor, "methods"))
          if (d.submittedAt === null) return
          const { number } = yield* service.submit(d.dossierId, request(editor, "submit"))
          numbers.set(d.dossierId, number)
        })
      )
      if (d.receivedAt === null) continue
      const receivedMillis = Date.parse(d.receivedAt)
      schedule(
        receivedMillis,
        Effect.flatMap(DossierService.DossierService, (service) => service.receive(d.dossierId, request(officer, "receive")))
      )
      if (d.supplement) {
        schedule(
          receivedMillis + 30 * MINUTE,
          Effect.gen(function*() {
            const service = yield* DossierService.DossierService
            const first = (yield* service.load(d.dossierId, officer)).dossier!.requirements.find((r) => r.mandatory)!
            yield* service.requestSupplement(
              { dossierId: d.dossierId, reason: "Tệp tin không đọc được, đề nghị bổ sung bản rõ nét", componentIds: [first.componentId] },
              request(officer, "supplement")
            )
          })
        )
        schedule(
          receivedMillis + DAY,
          Effect.gen(function*() {
            const service = yield* DossierService.DossierService
            const first = (yield* service.load(d.dossierId, owner)).dossier!.requirements.find((r) => r.mandatory)!
            yield* service.detach({ dossierId: d.dossierId, componentId: first.componentId }, request(owner, "resupply:detach"))
            yield* service.upload({
              dossierId: d.dossierId,
              componentId: first.componentId,
              bytes: pdf(`${d.dossierId}.${first.componentId}.2`),
              fileName: `${first.componentId}-bo-sung.pdf`,
              mediaType: "application/pdf"
            }, request(owner, "resupply:upload"))
            yield* service.provideSupplement(d.dossierId, request(owner, "resupply"))
          })
        )
      }
      if (d.closedAt === null) continue
      schedule(
        d.closedAt,
        Effect.gen(function*() {
          const service = yield* DossierService.DossierService
          if (d.closing === "Rejected") {
            yield* service.reject(
              { dossierId: d.dossierId, reason: "Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị" },
              request(officer, "reject")
            )
            return
          }
          yield* service.issueResult({
            dossierId: d.dossierId,
            documents: [resultDocument(d.dossierId, d.procedureCode, vnDay(Date.parse(d.closedAt!)))]
          }, request(officer, "result"))
        })
      )
      const complaint = d.complaint
      if (complaint === null) continue
      const documentId = `${d.dossierId}.kq`
      schedule(
        complaint.filedAt,
        Effect.flatMap(ComplaintService.ComplaintService, (complaints) =>
          complaints.file({
            complaintId: complaint.complaintId,
            ownerId: d.ownerId,
            documentId,
            reason: "WrongCitizenInformation",
            comment: "Sai ngày sinh của công dân"
          }, request(owner, "complaint")))
      )
      schedule(
        Date.parse(complaint.filedAt) + 3 * 3_600_000,
        Effect.flatMap(ComplaintService.ComplaintService, (complaints) =>
          complaints.acknowledge({ complaintId: complaint.complaintId, note: null }, request(officer, "complaint:ack")))
      )
      schedule(
        complaint.closedAt,
        Effect.gen(function*() {
          const complaints = yield* ComplaintService.ComplaintService
          if (complaint.outcome === "Rejected") {
            yield* complaints.reject(
              { complaintId: complaint.complaintId, reason: "Thông tin trên kết quả khớp với hồ sơ gốc" },
              request(officer, "complaint:reject")
            )
            return
          }
          const result = resultOf[d.procedureCode]!
          const replacement = `${documentId}.2`
          yield* complaints.resolveByCorrection({
            complaintId: complaint.complaintId,
            resolution: "Đã điều chỉnh ngày sinh và cấp lại kết quả",
            replacement: {
              documentId: replacement,
              bytes: pdf(replacement),
              fileName: `${replacement}.pdf`,
              mediaType: "application/pdf",
              kind: result.kind,
              type: result.type,
              category: result.category,
              name: result.name,
              resultType: result.resultType,
              issuedAt: vnDay(Date.parse(complaint.closedAt))
            }
          }, request(officer, "complaint:correct"))
        })
      )
    }

    actions.sort((a, b) => a.at - b.at || a.seq - b.seq)
    yield* Effect.gen(function*() {
      for (const action of actions) {
        time.set(action.at)
        yield* action.run
      }
    }).pipe(Effect.provide(services), Effect.provideService(Clock.Clock, time.clock))
    return { dossiers, head: yield* events.head }
  })
