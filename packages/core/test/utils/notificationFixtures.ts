/** Fixtures for notification tests: dossiers driven through the real decider into an event store. */
import { Effect, Layer } from "effect"
import type { Actor } from "../../src/Actor.ts"
import * as Checkpoint from "../../src/Checkpoint.ts"
import * as CommandHandler from "../../src/CommandHandler.ts"
import * as Dossier from "../../src/Dossier.ts"
import type { EventMetadata } from "../../src/Event.ts"
import * as EventStore from "../../src/EventStore.ts"
import * as NotificationOutbox from "../../src/NotificationOutbox.ts"
import * as RecipientDirectory from "../../src/RecipientDirectory.ts"
import { agencyCode, create, officer, requirements, system, uploadedFile } from "./dossierFixtures.ts"

/** How far a dossier goes. `SubmittedUnnumbered`: submitted, the number not yet assigned. */
export type Stage =
  | "Draft"
  | "SubmittedUnnumbered"
  | "Submitted"
  | "Received"
  | "SupplementRequested"
  | "Rejected"
  | "ResultIssued"
  | "PaperResultIssued"

export const stages: ReadonlyArray<Stage> = [
  "Draft",
  "SubmittedUnnumbered",
  "Submitted",
  "Received",
  "SupplementRequested",
  "Rejected",
  "ResultIssued",
  "PaperResultIssued"
]

/** The notification kinds a dossier at `stage` must have caused, in order (the test oracle). */
export const expectedKinds = (stage: Stage): ReadonlyArray<string> => {
  switch (stage) {
    case "Draft":
    case "SubmittedUnnumbered":
      return []
    case "Submitted":
      return ["Submitted"]
    case "Received":
      return ["Submitted", "Received"]
    case "SupplementRequested":
      return ["Submitted", "Received", "SupplementRequested"]
    case "Rejected":
      return ["Submitted", "Rejected"]
    case "ResultIssued":
      return ["Submitted", "Received", "ResultIssued"]
    case "PaperResultIssued":
      return ["Submitted", "Received", "PaperResultIssued"]
  }
}

export const at = "2024-03-20T01:15:00.000Z"
export const later = "2024-03-20T03:00:00.000Z"

/** The dossier number of the `sequence`-th dossier of the day at the fixtures' agency. */
export const numberOf = (sequence: number): string => `${agencyCode}-240320-${String(sequence).padStart(4, "0")}`

/** A citizen owner id per index (12 digits, unique). */
export const ownerOf = (index: number): string => `0520900${String(index).padStart(5, "0")}`

const meta = (actor: Actor, commandId: string): EventMetadata => ({
  actor,
  commandId,
  correlationId: `corr-${commandId}`,
  causationId: null
})

/**
 * Drives dossier `dossierId` (owned by `ownerId`, numbered `number`) through the real decider up to
 * `stage`, appending its events to the store in the context.
 */
export const drive = (
  dossierId: string,
  stage: Stage,
  options: { readonly ownerId: string; readonly number: string }
) =>
  Effect.gen(function*() {
    const owner: Actor = { _tag: "Citizen", personalId: options.ownerId }
    let step = 0
    const handle = (actor: Actor, command: Dossier.Command) =>
      CommandHandler.handle(Dossier.decider, dossierId, command, meta(actor, `${dossierId}:${++step}`))
    const draft = create({
      dossierId,
      actor: owner,
      ownerId: options.ownerId,
      submitter: { personalId: options.ownerId, name: "Nguyễn Văn An" }
    })
    yield* handle(owner, draft)
    for (const requirement of requirements.filter((r) => r.mandatory)) {
      yield* handle(owner, {
        _tag: "AttachComponent",
        dossierId,
        actor: owner,
        at,
        componentId: requirement.componentId,
        source: uploadedFile()
      })
    }
    yield* handle(owner, {
      _tag: "ChooseMethods",
      dossierId,
      actor: owner,
      at,
      submission: "Online",
      receipt: "AtCommuneOffice",
      deliveryAddress: null
    })
    if (stage === "Draft") return
    yield* handle(owner, { _tag: "Submit", dossierId, actor: owner, at })
    if (stage === "SubmittedUnnumbered") return
    yield* handle(system, { _tag: "AssignNumber", dossierId, actor: system, at, number: options.number })
    if (stage === "Submitted") return
    if (stage === "Rejected") {
      yield* handle(officer, { _tag: "Reject", dossierId, actor: officer, at: later, reason: "Hồ sơ không thuộc thẩm quyền." })
      return
    }
    yield* handle(officer, { _tag: "Receive", dossierId, actor: officer, at: later })
    if (stage === "Received") return
    if (stage === "SupplementRequested") {
      yield* handle(officer, {
        _tag: "RequestSupplement",
        dossierId,
        actor: officer,
        at: later,
        reason: "Giấy xác nhận tình trạng hôn nhân đã quá 6 tháng",
        componentIds: ["xac-nhan-tinh-trang-hon-nhan"]
      })
      return
    }
    if (stage === "PaperResultIssued") {
      yield* handle(officer, {
        _tag: "IssuePaperResult",
        dossierId,
        actor: officer,
        at: later,
        documents: [{ kind: "Result", name: "Giấy chứng nhận kết hôn" }]
      })
      return
    }
    yield* handle(officer, {
      _tag: "IssueResult",
      dossierId,
      actor: officer,
      at: later,
      documents: [{ documentId: `kq-${dossierId}`, kind: "Result", name: "Giấy chứng nhận kết hôn" }]
    })
  })

/** Every owner of indexes 0…count-1 has a phone and a Zalo id. */
export const directoryOf = (count: number, overrides: Iterable<readonly [string, RecipientDirectory.Contact]> = []) =>
  RecipientDirectory.layerMemory([
    ...Array.from({ length: count }, (_, i) =>
      [ownerOf(i), {
        phone: `09${String(12345678 + i).padStart(8, "0")}`,
        zaloId: String(8_000_000_000 + i)
      }] as const
    ),
    ...overrides
  ]).pipe(Layer.orDie)

/** The stores the relay needs besides the notifier and the directory. */
export const stores = Layer.mergeAll(EventStore.layerMemory, Checkpoint.layerMemory, NotificationOutbox.layerMemory)

/** No waiting between retries (zero delays also run under `TestClock`). */
export const fastRetry = { base: "0 millis", cap: "0 millis", jitter: false } as const
