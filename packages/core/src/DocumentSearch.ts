/**
 * The search read model of the store screens ("Tra cứu theo tên giấy tờ / mã giấy tờ / số quyết định /
 * tên chủ hồ sơ / số định danh / trích yếu"): a pure projection of `DocumentStore` events and a paged,
 * accent-insensitive query over it ("can cuoc" finds "Căn cước", "dang ky" finds "Đăng ký").
 *
 * ```ts
 * const state = events.reduce(DocumentSearch.apply, DocumentSearch.initialState)
 * DocumentSearch.searchAs(state, { name: "can cuoc", limit: 20 }, owner) // Result<Page, Forbidden>
 * ```
 *
 * Text is folded once, when an event is applied, so a query only folds its own words.
 * Removed documents disappear from search; revoked and superseded ones stay, with their status.
 *
 * @since 0.1.0
 */
import { Effect, Result } from "effect"
import { type Actor, label } from "./Actor.ts"
import * as Authorization from "./Authorization.ts"
import type { DocumentType, Status } from "./Document.ts"
import * as DocumentStore from "./DocumentStore.ts"
import type { EventDecodeError } from "./EventCodec.ts"
import * as Projection from "./Projection.ts"
import * as VietnameseText from "./VietnameseText.ts"

/**
 * One searchable document, as the store list shows it.
 *
 * @since 0.1.0
 */
export interface Entry {
  readonly ownerId: string
  readonly documentId: string
  readonly code: string | null
  readonly name: string
  readonly category: string
  readonly type: DocumentType
  readonly fileName: string
  readonly fileSize: number
  readonly ownerName: string | null
  readonly identificationNumber: string | null
  readonly decisionNumber: string | null
  readonly summary: string | null
  readonly issuer: string
  readonly visible: boolean
  readonly shared: boolean
  readonly usageCount: number
  readonly status: Status["_tag"]
  readonly enteredAt: string
}

/**
 * An entry with its searchable fields folded once (lower case, no accents), so queries do not
 * fold every document again.
 *
 * @since 0.1.0
 */
export interface Indexed {
  readonly entry: Entry
  readonly folded: {
    readonly name: string
    readonly code: string
    readonly decisionNumber: string
    readonly ownerName: string
    readonly idNumber: string
    readonly summary: string
  }
}

/**
 * The read model: every document ever entered, by `ownerId` and id.
 *
 * @since 0.1.0
 */
export interface State {
  readonly documents: ReadonlyMap<string, Indexed>
}

/**
 * The empty read model.
 *
 * @since 0.1.0
 */
export const initialState: State = { documents: new Map() }

const keyOf = (ownerId: string, documentId: string): string => `${ownerId}\u0000${documentId}`

const fold = (value: string | null): string => value === null ? "" : VietnameseText.fold(value)

const index = (entry: Entry): Indexed => ({
  entry,
  folded: {
    name: fold(entry.name),
    code: fold(entry.code),
    decisionNumber: fold(entry.decisionNumber),
    ownerName: fold(entry.ownerName),
    idNumber: `${fold(entry.ownerId)} ${fold(entry.identificationNumber)}`,
    summary: fold(entry.summary)
  }
})

const put = (state: State, entry: Entry): State => ({
  documents: new Map(state.documents).set(keyOf(entry.ownerId, entry.documentId), index(entry))
})

const change = (state: State, ownerId: string, documentId: string, patch: (entry: Entry) => Partial<Entry>): State => {
  const found = state.documents.get(keyOf(ownerId, documentId))
  return found === undefined ? state : put(state, { ...found.entry, ...patch(found.entry) })
}

/**
 * The event types this projection reads (for `Projection.makeDecoded`).
 *
 * @since 0.1.0
 */
export const eventTypes: ReadonlyArray<DocumentStore.Event["_tag"]> = [
  "DocumentUploaded",
  "DocumentIssued",
  "DocumentDigitised",
  "DocumentFileReplaced",
  "DocumentRemoved",
  "DocumentHidden",
  "DocumentShown",
  "DocumentShared",
  "DocumentUnshared",
  "DocumentUsed",
  "DocumentRevoked",
  "DocumentSuperseded"
]

/**
 * Applies one document store event to the read model (events it does not need leave it unchanged).
 *
 * @since 0.1.0
 */
export const apply = (state: State, event: DocumentStore.Event): State => {
  switch (event._tag) {
    case "DocumentUploaded":
    case "DocumentIssued":
    case "DocumentDigitised":
      return put(state, {
        ownerId: event.ownerId,
        documentId: event.documentId,
        code: event.code,
        name: event.name,
        category: event.category,
        type: event.type,
        fileName: event.file.fileName,
        fileSize: event.file.size,
        ownerName: event.ownerName,
        identificationNumber: event.identificationNumber,
        decisionNumber: event.decisionNumber,
        summary: event.summary,
        issuer: event.issuer._tag === "Agency"
          ? event.issuer.agencyCode
          : event.issuer._tag === "Owner"
          ? event.issuer.ownerId
          : event.issuer.name,
        visible: event.visible,
        shared: event.shared,
        usageCount: 0,
        status: "Active",
        enteredAt: event.at
      })
    case "DocumentFileReplaced":
      return change(state, event.ownerId, event.documentId, () => ({
        fileName: event.file.fileName,
        fileSize: event.file.size
      }))
    case "DocumentRemoved":
      return change(state, event.ownerId, event.documentId, () => ({ status: "Removed" }))
    case "DocumentHidden":
      return change(state, event.ownerId, event.documentId, () => ({ visible: false }))
    case "DocumentShown":
      return change(state, event.ownerId, event.documentId, () => ({ visible: true }))
    case "DocumentShared":
      return change(state, event.ownerId, event.documentId, () => ({ shared: true }))
    case "DocumentUnshared":
      return change(state, event.ownerId, event.documentId, () => ({ shared: false }))
    case "DocumentUsed":
      return change(state, event.ownerId, event.documentId, (e) => ({ usageCount: e.usageCount + 1 }))
    case "DocumentRevoked":
      return change(state, event.ownerId, event.documentId, () => ({ status: "Revoked" }))
    case "DocumentSuperseded":
      return change(state, event.ownerId, event.documentId, () => ({ status: "Superseded" }))
    case "DocumentFlagged":
    case "DocumentUnflagged":
    case "StoreAccessed":
      return state
  }
}

/**
 * A search: every given criterion must match (accent-insensitively, each word of it as a substring).
 *
 * @since 0.1.0
 */
export interface Query {
  /** Restricts to one store (the owner's view, the pick-from-store dialog). */
  readonly ownerId?: string
  /** Matches any of the fields below. */
  readonly text?: string
  readonly name?: string
  /** Mã giấy tờ / mã giấy tờ KQGQ. */
  readonly code?: string
  readonly decisionNumber?: string
  readonly ownerName?: string
  /** Số định danh: the owner's ID or the document's identification number. */
  readonly idNumber?: string
  readonly summary?: string
  /** Only documents the owner has not hidden (default false: the owner sees everything). */
  readonly visibleOnly?: boolean
  /** Only active documents (default false: revoked and superseded ones show with their status). */
  readonly activeOnly?: boolean
  /** Skip this many hits (default 0). */
  readonly offset?: number
  /** Page size, 1–100 (default 20, as the portal shows). */
  readonly limit?: number
}

/**
 * One page of hits, newest first, and how many hits there are in all.
 *
 * @since 0.1.0
 */
export interface Page {
  readonly total: number
  readonly offset: number
  readonly limit: number
  readonly items: ReadonlyArray<Entry>
}

/**
 * The default page size.
 *
 * @since 0.1.0
 */
export const defaultLimit = 20

const clampInt = (value: number | undefined, fallback: number, min: number, max: number): number =>
  value === undefined || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, Math.trunc(value)))

const containsAll = (haystack: string, needle: ReadonlyArray<string>): boolean =>
  needle.every((word) => haystack.includes(word))

const newestFirst = (a: Indexed, b: Indexed): number =>
  a.entry.enteredAt < b.entry.enteredAt
    ? 1
    : a.entry.enteredAt > b.entry.enteredAt
    ? -1
    : keyOf(a.entry.ownerId, a.entry.documentId) < keyOf(b.entry.ownerId, b.entry.documentId)
    ? -1
    : 1

/**
 * Runs a query over every store, unchecked: the engine's own primitive. Serve people through
 * {@link searchAs}. Deterministic: hits are ordered newest first, then by owner and id.
 *
 * @since 0.1.0
 */
export const search = (state: State, query: Query = {}): Page => {
  const offset = clampInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER)
  const limit = clampInt(query.limit, defaultLimit, 1, 100)
  const criteria = (["name", "code", "decisionNumber", "ownerName", "idNumber", "summary"] as const)
    .flatMap((field) => {
      const value = query[field]
      return value === undefined ? [] : [[field, VietnameseText.words(value)] as const]
    })
  const text = query.text === undefined ? [] : VietnameseText.words(query.text)
  const hits: Array<Indexed> = []
  for (const indexed of state.documents.values()) {
    const { entry, folded } = indexed
    if (entry.status === "Removed") continue
    if (query.ownerId !== undefined && entry.ownerId !== query.ownerId) continue
    if (query.visibleOnly === true && !entry.visible) continue
    if (query.activeOnly === true && entry.status !== "Active") continue
    if (!criteria.every(([field, words]) => containsAll(folded[field], words))) continue
    if (text.length > 0) {
      const all = `${folded.name} ${folded.code} ${folded.decisionNumber} ${folded.ownerName} ${folded.idNumber} ${folded.summary}`
      if (!containsAll(all, text)) continue
    }
    hits.push(indexed)
  }
  hits.sort(newestFirst)
  return { total: hits.length, offset, limit, items: hits.slice(offset, offset + limit).map((hit) => hit.entry) }
}

/**
 * Runs a query for `actor`: the owner searches their own store (the query is restricted to it), an
 * auditor searches every store; anyone else — an officer included, who picks from a store through
 * `DossierService`, which checks the dossier and records the access — gets `Forbidden`.
 *
 * @since 0.1.0
 */
export const searchAs = (state: State, query: Query, actor: Actor): Result.Result<Page, Authorization.Forbidden> => {
  if (actor._tag === "Auditor") return Result.succeed(search(state, query))
  const own = actor._tag === "Citizen"
    ? actor.personalId
    : actor._tag === "OrganisationRepresentative"
    ? actor.organisationId
    : null
  if (own === null || (query.ownerId !== undefined && query.ownerId !== own)) {
    const ownerId = query.ownerId ?? "*"
    return Result.fail(
      new Authorization.Forbidden({
        ownerId,
        actor: label(actor),
        message: own === null
          ? `only owners (in their own store) and auditors search stores; ${label(actor)} may not`
          : `only the owner ${ownerId} may search their store`
      })
    )
  }
  return Result.succeed(search(state, { ...query, ownerId: own }))
}

/**
 * An in-memory search read model fed by the log: run `projection` inline in the command handler or
 * with `Projection.catchUp`/`run`, then query with `search`. Each call makes a new, empty model.
 *
 * @since 0.1.0
 */
export const makeProjection = (name = "DocumentSearch"): Effect.Effect<{
  readonly projection: Projection.Projection<EventDecodeError>
  readonly state: Effect.Effect<State>
  /** A query for `actor`, checked as {@link searchAs}. */
  readonly search: (query: Query, actor: Actor) => Effect.Effect<Page, Authorization.Forbidden>
}> =>
  Effect.sync(() => {
    let state = initialState
    const projection = Projection.makeDecoded({
      name,
      schema: DocumentStore.Event,
      eventTypes,
      handle: (event: DocumentStore.Event) => {
        state = apply(state, event)
      },
      reset: () => {
        state = initialState
      }
    })
    return {
      projection,
      state: Effect.sync(() => state),
      search: (query, actor) => Effect.suspend(() => Effect.fromResult(searchAs(state, query, actor)))
    }
  })
