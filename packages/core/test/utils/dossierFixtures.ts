/** Fixtures for dossier tests: actors, a marriage-registration draft, sources and events. */
import { Effect, Layer } from "effect"
import * as ScenarioKit from "@kho/testing/ScenarioKit"
import { pdf } from "./documentFixtures.ts"
import type { Actor } from "../../src/Actor.ts"
import type * as Dossier from "../../src/Dossier.ts"
import type * as DossierService from "../../src/DossierService.ts"
import { EventStore, makeMemory } from "../../src/EventStore.ts"

/**
 * The in-memory store, except that every append first yields to the other fibers: concurrent
 * commands really interleave between reading a stream and appending to it, and `conflicts` counts
 * the concurrency conflicts the store reported.
 */
export const interleavedEventStore = (conflicts: { count: number }): Layer.Layer<EventStore> =>
  Layer.effect(
    EventStore,
    Effect.map(makeMemory, (store) =>
      EventStore.of({
        ...store,
        append: (streamId, events, options) =>
          Effect.yieldNow.pipe(
            Effect.andThen(store.append(streamId, events, options)),
            Effect.tapError((error) =>
              Effect.sync(() => {
                if (error._tag === "ConcurrencyConflict") conflicts.count++
              })
            )
          )
      }))
  )

export const dossierId = "hs-0001"
export const ownerId = "052090000495"
export const owner: Actor = { _tag: "Citizen", personalId: ownerId }
export const submitterId = "052190001234"
export const submitter: Actor = { _tag: "Citizen", personalId: submitterId }
export const stranger: Actor = { _tag: "Citizen", personalId: "079201012345" }
/** UBND xã An Hòa (invented code, see data/binhDinhAnLao.ts). */
export const agencyCode = "000.20.33.H08"
export const otherAgency = "000.00.16.H08"
export const officer: Actor = { _tag: "Officer", officerId: "cb-001", agencyCode, roles: ["receive", "digitise", "issue", "certify"] }
export const otherOfficer: Actor = { _tag: "Officer", officerId: "cb-777", agencyCode: otherAgency, roles: ["receive", "digitise", "issue", "certify"] }
export const system: Actor = { _tag: "System", component: "dossier-numbering" }
export const auditor: Actor = { _tag: "Auditor", auditorId: "kiem-toan-1" }
/** 2024-03-20 08:15 in Vietnam. */
export const at = "2024-03-20T01:15:00.000Z"
export const later = "2024-03-20T03:00:00.000Z"
/** {@link at} in epoch milliseconds, for `TestClock.setTime`. */
export const morning = Date.parse(at)
export const number = "000.20.33.H08-240320-0001"

export const sha = (c: string): string => c.repeat(64)

export const requirements: ReadonlyArray<Dossier.Requirement> = [
  { componentId: "to-khai", name: "Tờ khai đăng ký kết hôn", mandatory: true },
  { componentId: "giay-to-tuy-than", name: "Giấy tờ tùy thân", mandatory: true },
  { componentId: "xac-nhan-tinh-trang-hon-nhan", name: "Giấy xác nhận tình trạng hôn nhân", mandatory: true },
  { componentId: "ghi-chu", name: "Giấy tờ khác (nếu có)", mandatory: false }
]

type Create = typeof Dossier.CreateDraft.Type

export const create = (overrides: Partial<Create> = {}): Create => ({
  _tag: "CreateDraft",
  dossierId,
  actor: owner,
  at,
  procedure: { code: "1.000894", name: "Đăng ký kết hôn" },
  agencyCode,
  case: { code: "khong-xac-minh", name: "1 ngày làm việc - KHÔNG xác minh điều kiện kết hôn của hai bên" },
  district: "binh-dinh.an-lao",
  commune: "binh-dinh.an-lao.an-hoa",
  channel: "online",
  submitter: { personalId: ownerId, name: "Nguyễn Văn An" },
  ownerId,
  requirements,
  ...overrides
})

/** The event an accepted {@link create} appends. */
export const created = (overrides: Partial<Create> = {}): typeof Dossier.DraftCreated.Type => {
  const { _tag, actor: _actor, ...rest } = create(overrides)
  return { ...rest, _tag: "DraftCreated" }
}

export const picked = (documentId: string, c = "a"): Dossier.Source => ({
  _tag: "PickedFromStore",
  documentId,
  sha256: sha(c)
})
export const auto = (documentId: string, c = "a"): Dossier.Source => ({ _tag: "AutoAttached", documentId, sha256: sha(c) })
export const uploadedFile = (c = "f"): Dossier.Source => ({
  _tag: "Uploaded",
  sha256: sha(c),
  size: 1024,
  mediaType: "application/pdf",
  fileName: "to-khai.pdf"
})

export const attach = (
  componentId: string,
  source: Dossier.Source,
  actor: Actor = owner,
  when = at
): typeof Dossier.AttachComponent.Type => ({ _tag: "AttachComponent", dossierId, actor, at: when, componentId, source })

export const attached = (componentId: string, source: Dossier.Source, when = at): Dossier.Event => ({
  _tag: "ComponentAttached",
  dossierId,
  at: when,
  componentId,
  source
})

export const methodsChosen: Dossier.Event = {
  _tag: "MethodsChosen",
  dossierId,
  at,
  submission: "Online",
  receipt: "AtCommuneOffice",
  deliveryAddress: null
}

/** A complete draft: every mandatory component satisfied, methods chosen. */
export const completeDraft: ReadonlyArray<Dossier.Event> = [
  created(),
  attached("to-khai", uploadedFile()),
  attached("giay-to-tuy-than", auto("cccd-1", "c")),
  attached("xac-nhan-tinh-trang-hon-nhan", picked("xn-2", "d")),
  methodsChosen
]

export const submitted: Dossier.Event = {
  _tag: "DossierSubmitted",
  dossierId,
  at,
  ownerId,
  agencyCode,
  procedure: "1.000894",
  submittedOn: "2024-03-20"
}

export const numberAssigned: Dossier.Event = {
  _tag: "DossierNumberAssigned",
  dossierId,
  at,
  number,
  ownerId,
  agencyCode,
  procedure: "1.000894",
  submittedOn: "2024-03-20",
  channel: "online"
}

const numbered = { dossierId, number, ownerId, agencyCode, procedure: "1.000894" }

export const received: Dossier.Event = {
  _tag: "DossierReceived",
  ...numbered,
  at: later,
  officerId: "cb-001",
  components: [
    { componentId: "to-khai", satisfiedBy: "Uploaded", reuse: "None" },
    { componentId: "giay-to-tuy-than", satisfiedBy: "AutoAttached", reuse: "Store" },
    { componentId: "xac-nhan-tinh-trang-hon-nhan", satisfiedBy: "PickedFromStore", reuse: "Store" }
  ]
}

export const supplementRequested: Dossier.Event = {
  _tag: "SupplementRequested",
  ...numbered,
  at: later,
  officerId: "cb-001",
  reason: "Giấy xác nhận tình trạng hôn nhân đã quá 6 tháng",
  componentIds: ["xac-nhan-tinh-trang-hon-nhan"]
}

export const submittedAndNumbered: ReadonlyArray<Dossier.Event> = [...completeDraft, submitted, numberAssigned]
export const receivedDossier: ReadonlyArray<Dossier.Event> = [...submittedAndNumbered, received]

export const command = <T extends Dossier.Command["_tag"]>(
  tag: T,
  actor: Actor,
  fields: Omit<Extract<Dossier.Command, { _tag: T }>, "_tag" | "dossierId" | "actor" | "at">,
  when = later
): Extract<Dossier.Command, { _tag: T }> =>
  ({ _tag: tag, dossierId, actor, at: when, ...fields }) as Extract<Dossier.Command, { _tag: T }>

/** The service's input for the owner's marriage registration (1.000894) draft hs-1, unless overridden. */
export const draft = (overrides: Partial<DossierService.DraftInput> = {}): DossierService.DraftInput => ({
  ...ScenarioKit.marriageRegistrationDraft({ dossierId: "hs-1", ownerId, agencyCode }),
  ...overrides
})

/** The filled-in declaration form (`to-khai`, not taken from a store) uploaded to `dossierId`. */
export const declarationUpload = (dossierId = "hs-1", fileName = "to-khai.pdf"): DossierService.UploadInput => ({
  dossierId,
  componentId: "to-khai",
  bytes: pdf(`tờ khai ${dossierId}`),
  fileName,
  mediaType: "application/pdf"
})
