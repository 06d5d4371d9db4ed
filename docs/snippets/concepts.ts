/**
 * The samples of docs/concepts.md: one per concept, each small enough to read in the page.
 */
import {
  AdministrativeUnit,
  CommandHandler,
  Decider,
  DocumentStore,
  EventStore,
  KpiLedger,
  Matching,
  Procedure,
  Projection,
  ReuseRate,
  Target
} from "@kho/core"
import type { Document } from "@kho/core/Document"
import { Effect, Result, Stream } from "effect"

const ownerId = "052090000495"
const citizen = { _tag: "Citizen", personalId: ownerId } as const
const at = "2024-03-20T03:00:00.000Z"

// #region decide
// A decider is three pure functions: no I/O, no clock (the command carries its actor and time).
export const hideTwice = (history: ReadonlyArray<DocumentStore.Event>) => {
  const state = Decider.fold(DocumentStore.decider, history)
  const hide = { _tag: "HideDocument", ownerId, documentId: "khai-sinh-1", actor: citizen, at } as const
  const decided = DocumentStore.decide(hide, state)
  if (Result.isFailure(decided)) return decided.failure.message // e.g. not the owner, no such document
  // hiding what is already hidden decides nothing: repeats are harmless
  const again = DocumentStore.decide(hide, decided.success.reduce(DocumentStore.evolve, state))
  return Result.isSuccess(again) && again.success.length === 0
}
// #endregion decide

// #region handle
// The command handler loads the stream, folds it, decides, and appends with the expected version.
export const hide = CommandHandler.handle(
  DocumentStore.decider,
  ownerId, // the stream is `DocumentStore-052090000495`
  { _tag: "HideDocument", ownerId, documentId: "khai-sinh-1", actor: citizen, at },
  { actor: citizen, commandId: "hide-khai-sinh-1", correlationId: "session-1", causationId: null }
)
// Effect<HandleResult, DocumentStoreError | HandleError, EventStore>: a repeat of the same
// commandId appends nothing and returns the first outcome with `alreadyAppended: true`.
// #endregion handle

// #region envelope
// Every recorded event carries the envelope: who, when, why, where in the log, and its hash.
export const printLog = Effect.gen(function*() {
  const store = yield* EventStore.EventStore
  yield* Stream.runForEach(store.readAll(), (event) =>
    Effect.log(
      `#${event.globalPosition} ${event.streamId} v${event.streamVersion} ${event.type}@${event.schemaVersion}`,
      `by ${event.actor._tag} at ${event.recordedAt}, command ${event.commandId}`,
      `hash ${event.hash.slice(0, 12)}… after ${event.previousHash.slice(0, 12)}…`
    ))
})
// #endregion envelope

// #region projection
// A read model: every access to each store, for the owner's "who used my data" page.
export const accessLog = () => {
  const byOwner = new Map<string, Array<{ readonly who: string; readonly at: string; readonly procedure: string }>>()
  const projection = Projection.makeDecoded({
    name: "who-used-my-data",
    schema: DocumentStore.Event,
    eventTypes: ["StoreAccessed"],
    handle: (event) => {
      if (event._tag !== "StoreAccessed") return
      const entries = byOwner.get(event.ownerId) ?? []
      entries.push({ who: event.accessor._tag, at: event.at, procedure: event.procedure })
      byOwner.set(event.ownerId, entries)
    },
    reset: () => byOwner.clear()
  })
  // Projection.catchUp(projection) reads from its checkpoint to the head; Projection.run follows for ever
  return { projection, accessesOf: (owner: string) => byOwner.get(owner) ?? [] }
}
// #endregion projection

// #region matching
// Matching is a pure function of the requirement, the procedure, the owner, the day and the documents.
export const marriageStatus = (documents: ReadonlyArray<Document>): string => {
  const procedure = Procedure.defaultCatalog.get("1.000894") // Đăng ký kết hôn
  const requirement = procedure && Procedure.requirement(procedure, "xac-nhan-tinh-trang-hon-nhan")
  if (procedure === undefined || requirement === undefined) return "not in the catalog"
  const outcome = Matching.match({ requirement, procedure, ownerId, asOf: at, documents })
  const why = outcome.excluded.map((x) => `${x.document.id}: ${Matching.message(Matching.primaryReason(x)).en}`)
  switch (outcome._tag) {
    case "AutoAttach":
      return `attach ${outcome.document.id}`
    case "Suggest":
      return `the citizen picks one of ${outcome.documents.map((d) => d.id).join(", ")}`
    case "None":
      return `upload or scan (${why.join("; ") || "the store has nothing of this kind"})`
  }
}
// #endregion matching

// #region kpi
// KPIs are folded from the log alone, as of any position or instant, and name the log head they came from.
export const appendixI = Effect.gen(function*() {
  const ledger = yield* KpiLedger.fromStore({ asOf: KpiLedger.atTime("2024-03-20T16:59:59.999Z") })
  return ReuseRate.report(ledger, {
    period: { from: "2024-01-01", to: "2024-03-20" },
    units: AdministrativeUnit.binhDinhAnLao,
    root: AdministrativeUnit.AN_LAO,
    targets: Target.anLao2024
  }) // Result<ReuseRateReport, InvalidReuseRateReport>; report.computedFrom = { position, headHash }
})
// #endregion kpi
