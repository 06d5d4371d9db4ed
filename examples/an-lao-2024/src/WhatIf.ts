/**
 * "What reaching 60 % takes": April–December 2024 in An Lão with the district's directive applied —
 * agencies issue results and certified copies into citizens' stores and the owners share them, the
 * land-registration branch puts owners' land certificates into their stores, citizens add their ID
 * card to their store before applying online, and counter staff check the owner's store first and
 * digitise into it whatever it lacks.
 *
 * Nothing here sets a KPI: every dossier goes through the real flows (`DossierService`,
 * `DocumentStoreService`) on top of the first quarter's log, and the monthly rate is what the KPI
 * ledger counts from the events. What the plan decides is who comes, for which procedure, by which
 * channel, and whether the people involved follow the directive (`adoption`, rising month by month);
 * whether a dossier reuses data is then up to matching on the owner's store as it stands at intake.
 * Owners of the first quarter come back (their stores hold what was issued or uploaded then).
 *
 * @since 0.1.0
 */
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import type { Actor } from "@kho/core/Actor"
import type * as Authorization from "@kho/core/Authorization"
import * as Document from "@kho/core/Document"
import * as DocumentStore from "@kho/core/DocumentStore"
import * as DocumentStoreService from "@kho/core/DocumentStoreService"
import * as DossierService from "@kho/core/DossierService"
import { EventStore } from "@kho/core/EventStore"
import type { LogHead } from "@kho/core/EventStore"
import * as FileStore from "@kho/core/FileStore"
import * as ReportingPeriod from "@kho/core/ReportingPeriod"
import * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as SignatureVerifier from "@kho/core/SignatureVerifier"
import type * as AnLao2024 from "@kho/testing/AnLao2024"
import { Clock, Effect, Layer } from "effect"
import type { Prng } from "@kho/testing/ScenarioKit"
import * as ScenarioKit from "@kho/testing/ScenarioKit"

const { caseOf, citizen, DAY, iso, MINUTE, officerOf, passed, pdf, prng, resultDocument, resultOf, scenarioClock, vn, vnDay } = ScenarioKit

// -----------------------------------------------------------------------------------------------
// The plan
// -----------------------------------------------------------------------------------------------

/**
 * One month of the what-if: `adoption` is the share of people (counter staff, online applicants,
 * the land branch, owners receiving a result) who do what the directive asks; `online` the share
 * of dossiers submitted online rather than at the counter.
 *
 * @since 0.1.0
 */
export interface Month {
  readonly month: number
  readonly adoption: number
  readonly online: number
}

/**
 * The directive taking hold: a third of the people follow it in April, nearly everyone by December.
 *
 * @since 0.1.0
 */
export const directive: ReadonlyArray<Month> = [
  { month: 4, adoption: 0.3, online: 0.7 },
  { month: 5, adoption: 0.42, online: 0.72 },
  { month: 6, adoption: 0.54, online: 0.74 },
  { month: 7, adoption: 0.65, online: 0.76 },
  { month: 8, adoption: 0.74, online: 0.78 },
  { month: 9, adoption: 0.82, online: 0.8 },
  { month: 10, adoption: 0.88, online: 0.82 },
  { month: 11, adoption: 0.92, online: 0.84 },
  { month: 12, adoption: 0.95, online: 0.85 }
]

/**
 * Options of the what-if.
 *
 * @since 0.1.0
 */
export interface Options {
  /** Dossier volume relative to the first quarter's daily pace (default 0.25: a quarter, to run fast). */
  readonly scale?: number
  /** The PRNG seed (default 20240401). */
  readonly seed?: number
  /** The months and how far the directive is followed in each (default {@link directive}). */
  readonly months?: ReadonlyArray<Month>
  /** The share of dossiers whose owner already came in the first quarter or earlier in the year (default 0.35). */
  readonly returning?: number
}

/**
 * One dossier of the what-if, as planned.
 *
 * @since 0.1.0
 */
export interface PlannedDossier {
  readonly dossierId: string
  readonly month: number
  readonly unitCode: string
  readonly agencyCode: string
  readonly ownerId: string
  readonly procedureCode: string
  readonly channel: "online" | "counter"
  /** Whether the people handling this dossier follow the directive. */
  readonly follows: boolean
  readonly submittedAt: number
  readonly receivedAt: number
  /** When the result or certified copy is issued (`null`: a registration that issues nothing). */
  readonly closedAt: number | null
}

type Profile = "commune" | "land" | "justice" | "office"

const profileOf = (unit: AdministrativeUnit.AdministrativeUnit): Profile =>
  unit.level === "commune"
    ? "commune"
    : unit.code.endsWith(".chi-nhanh-vpdkdd")
    ? "land"
    : unit.code.endsWith(".phong-tu-phap")
    ? "justice"
    : "office"

/** The procedure mix per kind of unit (2.000815, certified copies, can never be served from a store). */
const procedureFor = (profile: Profile, rng: Prng): string => {
  const roll = rng.next()
  switch (profile) {
    case "commune":
      return roll < 0.25 ? "1.001193" : roll < 0.7 ? "1.004873" : "2.000815"
    case "land":
      return "9.900004"
    case "justice":
      return roll < 0.75 ? "9.900003" : "2.000815"
    case "office":
      return "9.900003"
  }
}

/** Public holidays of April–December 2024 (Hùng Kings, Reunification and Labour Day, National Day). */
const holidays = new Set(["2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03"])

const workingDays = (period: { readonly from: string; readonly to: string }): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let t = Date.parse(`${period.from}T00:00:00.000Z`); t <= Date.parse(`${period.to}T00:00:00.000Z`); t += DAY) {
    const weekday = new Date(t).getUTCDay()
    const day = iso(t).slice(0, 10)
    if (weekday !== 0 && weekday !== 6 && !holidays.has(day)) out.push(day)
  }
  return out
}

const FIRST_QUARTER_DAYS = 80 // 2024-01-01 … 2024-03-20

/**
 * The dossiers of the what-if, in creation order (pure). `firstQuarter` is the first quarter's plan
 * (`AnLao2024.plan()`): its owners are the citizens who may come back.
 *
 * @since 0.1.0
 */
export const plan = (
  firstQuarter: ReadonlyArray<AnLao2024.PlannedDossier>,
  options?: Options
): ReadonlyArray<PlannedDossier> => {
  const rng = prng(options?.seed ?? 20240401)
  const scale = options?.scale ?? 0.25
  const returning = options?.returning ?? 0.35
  const tree = AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, "2024-12-31")
  const pools = new Map<string, Array<string>>()
  for (const d of firstQuarter) {
    if (!d.inPeriod) continue
    const pool = pools.get(d.unitCode) ?? []
    pool.push(d.ownerId)
    pools.set(d.unitCode, pool)
  }
  let serial = 500_000 // above every serial of the first quarter
  const out: Array<PlannedDossier> = []
  for (const m of options?.months ?? directive) {
    const period = ReportingPeriod.month(2024, m.month)
    const days = workingDays(period)
    const calendarDays = Number(period.to.slice(8, 10))
    for (const { code, received } of ReuseRateReport.seedAppendixI.figures) {
      const unit = AdministrativeUnit.get(tree, code)!
      const pool = pools.get(code) ?? []
      pools.set(code, pool)
      const count = Math.round((received * calendarDays / FIRST_QUARTER_DAYS) * scale)
      for (let i = 0; i < count; i++) {
        let ownerId: string
        if (pool.length > 0 && rng.next() < returning) {
          ownerId = rng.pick(pool)
        } else {
          ownerId = `052${rng.int(0, 3)}${String(rng.int(50, 99)).padStart(2, "0")}${String(serial++)}`
          pool.push(ownerId)
        }
        const procedureCode = procedureFor(profileOf(unit), rng)
        const channel = rng.next() < m.online ? "online" : "counter"
        const submittedAt = vn(rng.pick(days), rng.int(450, 960))
        const receivedAt = submittedAt + (channel === "counter" ? 2 : rng.int(10, 120)) * MINUTE
        out.push({
          dossierId: `anlao-wi-${String(out.length + 1).padStart(5, "0")}`,
          month: m.month,
          unitCode: code,
          agencyCode: unit.agencyCode!,
          ownerId,
          procedureCode,
          channel,
          follows: rng.next() < m.adoption,
          submittedAt,
          receivedAt,
          closedAt: procedureCode === "9.900003" ? null : receivedAt + rng.int(1, 4) * DAY + rng.int(0, 240) * MINUTE
        })
      }
    }
  }
  return out
}

// -----------------------------------------------------------------------------------------------
// Running the plan through the real flows
// -----------------------------------------------------------------------------------------------

const ID_CARD = "giay-to-tuy-than"
const ID_CARD_CATEGORY = "the-can-cuoc-cong-dan"
const LAND_CATEGORY = "giay-chung-nhan-quyen-su-dung-dat"

/**
 * What `generate` can fail with: a flow refusing a step (a bug in the plan or in the flows).
 *
 * @since 0.1.0
 */
export type Failure = DossierService.FlowError | Authorization.Forbidden

type Services = DossierService.DossierService | DocumentStoreService.DocumentStoreService

/**
 * What `generate` produced: the plan it ran and the head of the log after it.
 *
 * @since 0.1.0
 */
export interface WhatIf {
  readonly dossiers: ReadonlyArray<PlannedDossier>
  readonly head: LogHead
}

/** The owner's active documents of a category, shared ones first. */
const documentsOf = (state: DocumentStore.State, category: string): ReadonlyArray<Document.Document> =>
  [...state.documents.values()]
    .filter((d) => d.category === category && Document.isActive(d) && d.visible)
    .sort((a, b) => Number(b.shared) - Number(a.shared))

/**
 * Runs the plan on the `EventStore` in context — meant to be a copy of the first quarter's log, so
 * that returning owners find in their stores what the first quarter put there.
 *
 * @since 0.1.0
 */
export const generate = (
  firstQuarter: ReadonlyArray<AnLao2024.PlannedDossier>,
  options?: Options
): Effect.Effect<WhatIf, Failure, EventStore> =>
  Effect.gen(function*() {
    const events = yield* EventStore
    const dossiers = plan(firstQuarter, options)
    const time = scenarioClock()
    const services = DossierService.layer.pipe(
      Layer.provideMerge(Layer.effect(DocumentStoreService.DocumentStoreService, DocumentStoreService.make())),
      Layer.provide(Layer.mergeAll(
        Layer.succeed(EventStore, events),
        FileStore.layerMemory,
        SignatureVerifier.layerTest((bytes) => passed(bytes, time.iso()))
      ))
    )
    const tree = AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, "2024-12-31")
    const landUnit = AdministrativeUnit.get(tree, `${AdministrativeUnit.AN_LAO}.chi-nhanh-vpdkdd`)!
    const landOfficer: Actor = {
      _tag: "Officer",
      officerId: "cb.chi-nhanh-vpdkdd.so-hoa",
      agencyCode: landUnit.agencyCode!,
      roles: ["issuer"]
    }
    const actions: Array<{ readonly at: number; readonly seq: number; readonly run: Effect.Effect<void, Failure, Services> }> = []
    const schedule = (at: number, run: Effect.Effect<void, Failure, Services>) => actions.push({ at, seq: actions.length, run })

    for (const d of dossiers) {
      const owner = citizen(d.ownerId)
      const officer = officerOf(d.unitCode, d.agencyCode)
      const editor = d.channel === "counter" ? officer : owner
      const request = (actor: Actor, step: string) => ({ actor, commandId: `${d.dossierId}:${step}`, correlationId: d.dossierId })
      const unit = AdministrativeUnit.get(tree, d.unitCode)!

      // the land branch digitises its register into owners' stores ("Kho cơ quan nhà nước") and the
      // owner shares the certificate: three days before a transfer, for an owner who lacks one
      if (d.procedureCode === "9.900004" && d.follows) {
        schedule(
          d.submittedAt - 3 * DAY,
          Effect.gen(function*() {
            const documents = yield* DocumentStoreService.DocumentStoreService
            const held = documentsOf(yield* documents.load(d.ownerId, { actor: owner }), LAND_CATEGORY)
            if (held.some((x) => x.shared)) return
            const existing = held[0]
            let documentId = existing?.id
            if (documentId === undefined) {
              documentId = `${d.ownerId}.gcn.${d.dossierId}`
              yield* documents.issue({
                ownerId: d.ownerId,
                documentId,
                bytes: pdf(documentId),
                fileName: `${documentId}.pdf`,
                mediaType: "application/pdf",
                kind: "Result",
                type: "ProcedureResult",
                category: LAND_CATEGORY,
                name: resultOf["9.900004"]!.name,
                issuedAt: vnDay(d.submittedAt - 900 * DAY)
              }, request(landOfficer, "gcn:issue"))
            }
            yield* documents.execute({ _tag: "ShareDocument", ownerId: d.ownerId, documentId }, request(owner, "gcn:share"))
          })
        )
      }

      // intake: the store is checked first (online by the applicant, at the counter by the officer)
      schedule(
        d.submittedAt,
        Effect.gen(function*() {
          const service = yield* DossierService.DossierService
          const documents = yield* DocumentStoreService.DocumentStoreService
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
          const prepared = yield* service.matchComponents(d.dossierId, request(editor, "match"))
          for (const c of prepared.components) {
            if (c.outcome?._tag !== "Suggest") continue
            yield* service.pick(
              { dossierId: d.dossierId, componentId: c.componentId, documentId: c.outcome.eligible[0]!.id },
              request(owner, `pick:${c.componentId}`)
            )
          }
          const idCard = prepared.components.find((c) => c.componentId === ID_CARD)
          if (idCard !== undefined && idCard.outcome?._tag === "None" && d.follows) {
            // the store lacks a usable ID card: share the one it holds, or add one to it
            const held = documentsOf(yield* documents.load(d.ownerId, { actor: owner }), ID_CARD_CATEGORY)[0]
            if (held !== undefined) {
              yield* documents.execute({ _tag: "ShareDocument", ownerId: d.ownerId, documentId: held.id }, request(owner, "cccd:share"))
              yield* service.pick({ dossierId: d.dossierId, componentId: ID_CARD, documentId: held.id }, request(editor, "cccd:pick"))
            } else if (d.channel === "online") {
              const documentId = `${d.ownerId}.cccd.${d.dossierId}`
              yield* documents.upload({
                ownerId: d.ownerId,
                documentId,
                bytes: pdf(documentId),
                fileName: `${documentId}.pdf`,
                mediaType: "application/pdf",
                type: "PersonalDocument",
                category: ID_CARD_CATEGORY,
                name: "Thẻ căn cước công dân",
                shared: true
              }, request(owner, "cccd:upload"))
              yield* service.pick({ dossierId: d.dossierId, componentId: ID_CARD, documentId }, request(owner, "cccd:pick"))
            } else {
              // at the counter: digitised into the owner's store now (not reuse), shared for next time
              const documentId = `${d.ownerId}.cccd.${d.dossierId}`
              yield* service.scan({
                dossierId: d.dossierId,
                componentId: ID_CARD,
                documentId,
                bytes: pdf(documentId),
                fileName: `${documentId}.pdf`,
                mediaType: "application/pdf",
                type: "PersonalDocument",
                category: ID_CARD_CATEGORY,
                name: "Thẻ căn cước công dân (bản giấy, số hóa tại quầy)",
                issuer: { _tag: "Named", name: "Bộ Công an" }
              }, request(officer, "cccd:scan"))
              yield* documents.execute({ _tag: "ShareDocument", ownerId: d.ownerId, documentId }, request(owner, "cccd:share"))
            }
          }
          if (d.procedureCode === "2.000815" && d.channel === "counter") {
            const documentId = `${d.ownerId}.ban-chinh.${d.dossierId}`
            yield* service.scan({
              dossierId: d.dossierId,
              componentId: "ban-chinh",
              documentId,
              bytes: pdf(documentId),
              fileName: `${documentId}.pdf`,
              mediaType: "application/pdf",
              type: "PersonalDocument",
              category: "giay-khai-sinh",
              name: "Giấy khai sinh (bản giấy, số hóa tại quầy)",
              issuer: { _tag: "Named", name: "Bản giấy xuất trình tại Bộ phận Một cửa" }
            }, request(officer, "scan"))
          }
          const loaded = (yield* service.load(d.dossierId, owner)).dossier!
          for (const missing of loaded.requirements.filter((r) => r.mandatory && !loaded.components.has(r.componentId))) {
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
          yield* service.submit(d.dossierId, request(editor, "submit"))
        })
      )
      schedule(
        d.receivedAt,
        Effect.flatMap(DossierService.DossierService, (service) => service.receive(d.dossierId, request(officer, "receive")))
      )
      const closedAt = d.closedAt
      if (closedAt === null) continue
      // the result goes into the owner's store; an owner following the directive shares it
      schedule(
        closedAt,
        Effect.gen(function*() {
          const service = yield* DossierService.DossierService
          const result = resultDocument(d.dossierId, d.procedureCode, vnDay(closedAt))
          yield* service.issueResult({ dossierId: d.dossierId, documents: [result] }, request(officer, "result"))
          if (d.follows) {
            const documents = yield* DocumentStoreService.DocumentStoreService
            yield* documents.execute(
              { _tag: "ShareDocument", ownerId: d.ownerId, documentId: result.documentId },
              request(owner, "result:share")
            )
          }
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
