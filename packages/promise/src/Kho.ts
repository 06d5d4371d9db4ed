/**
 * The Promise facade: Kho for teams not on Effect. `createKho` opens the stores and returns plain
 * async functions grouped by aggregate (`documents`, `dossiers`, `complaints`, `kpi`). Every
 * function resolves to a `Result` — `{ ok: true, value }` or `{ ok: false, error }` with `error` a
 * plain object discriminated by `_tag` — and rejects only on a bug or after `close()` (ADR 0090).
 *
 * ```ts
 * const kho = await createKho({ store: { sqlite: "kho.sqlite" }, fileStore: { directory: "files" }, verifier })
 * const draft = await kho.dossiers.createDraft(input, { actor })
 * if (!draft.ok) console.error(draft.error._tag, draft.error.message)
 * await kho.close()
 * ```
 *
 * Under the hood it is the Effect API (`DocumentStoreService`, `DossierService`, `ComplaintService`)
 * in a `ManagedRuntime`: the same rules, the same events, the same idempotency.
 *
 * @since 0.1.0
 */
import type { Actor } from "@kho/core/Actor"
import * as ComplaintService from "@kho/core/ComplaintService"
import * as DocumentStore from "@kho/core/DocumentStore"
import * as DocumentStoreService from "@kho/core/DocumentStoreService"
import * as DossierService from "@kho/core/DossierService"
import type * as DocumentSearch from "@kho/core/DocumentSearch"
import type { EventDecodeError } from "@kho/core/EventCodec"
import type { EventStoreError } from "@kho/core/EventStore"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as ReuseRate from "@kho/core/ReuseRate"
import type * as ReuseRateReport from "@kho/core/ReuseRateReport"
import type * as Target from "@kho/core/Target"
import { Clock, Effect, ManagedRuntime } from "effect"
import type { Layer } from "effect"
import { randomUUID } from "node:crypto"
import * as internal from "./internal/layers.ts"
import type { FileStoreOption, Services, StoreOption, VerifierOption } from "./internal/layers.ts"
import { fromTagged, type KhoError } from "./KhoError.ts"
import { err, ok, type Result } from "./Result.ts"

/**
 * Who asks. `commandId` is the idempotency key: pass the same one when retrying a call and nothing
 * is done twice; when omitted a random UUID is used (so a retry is a new command).
 * `correlationId` defaults to the command id.
 *
 * @since 0.1.0
 */
export interface RequestInput {
  readonly actor: Actor
  readonly commandId?: string
  readonly correlationId?: string
  readonly causationId?: string | null
}

/**
 * A facade function: the Effect function's parameters (with {@link RequestInput} for the request)
 * and a Promise of a `Result` whose error is the plain form of the Effect function's errors.
 *
 * @since 0.1.0
 */
export type Lift<F> = F extends (...args: infer P) => Effect.Effect<infer A, infer E, infer _R>
  ? (...args: { [I in keyof P]: P[I] extends { readonly actor: Actor } ? RequestInput : P[I] }) => Promise<Result<A, KhoError<E>>>
  : never

type DocumentsApi = DocumentStoreService.DocumentStoreService["Service"]
type DossiersApi = DossierService.DossierService["Service"]
type ComplaintsApi = ComplaintService.ComplaintService["Service"]

/**
 * One document of one store.
 *
 * @since 0.1.0
 */
export interface DocumentTarget {
  readonly ownerId: string
  readonly documentId: string
}

/**
 * A command on one document of a store (hide, show, share, unshare, remove).
 *
 * @since 0.1.0
 */
export type TargetCall = (
  target: DocumentTarget,
  request: RequestInput
) => Promise<Result<DocumentStoreService.Outcome, KhoError<DocumentStore.DocumentStoreError | DocumentStoreService.FileFlowError>>>

/**
 * The document store ("Kho dữ liệu cá nhân, tổ chức").
 *
 * @since 0.1.0
 */
export interface Documents {
  /** The owner uploads a signed PDF ("Thêm mới"); refused with a reason unless the signature is accepted. */
  readonly upload: Lift<DocumentsApi["upload"]>
  /** An agency issues a result or an electronically certified copy into an owner's store. */
  readonly issue: Lift<DocumentsApi["issue"]>
  /** An officer records a paper document digitised at the counter. */
  readonly recordDigitised: Lift<DocumentsApi["recordDigitised"]>
  /** The owner replaces a wrong file (the old one stays in the history). */
  readonly replaceFile: Lift<DocumentsApi["replaceFile"]>
  /** Hides a document from matching ("Hiển thị" off). */
  readonly hide: TargetCall
  /** Shows a hidden document again. */
  readonly show: TargetCall
  /** Shares a document ("Chia sẻ"): only shared documents are offered to dossiers. */
  readonly share: TargetCall
  /** Stops sharing a document. */
  readonly unshare: TargetCall
  /** Removes an uploaded document from the store. */
  readonly remove: TargetCall
  /** Any other document-store command (revoke, flag, record an access…), by its `_tag`. */
  readonly execute: Lift<DocumentsApi["execute"]>
  /**
   * The store's current state (documents by id, with status, uses and open complaints), for its
   * owner, an auditor, or an officer naming a dossier of their agency (the read is recorded).
   */
  readonly load: Lift<DocumentsApi["load"]>
  /** The bytes of a document's current file, for its owner. */
  readonly readFile: Lift<DocumentsApi["readFile"]>
  /**
   * Accent-insensitive search ("can cuoc" finds "Căn cước"), newest first, paged: the owner in their
   * own store, an auditor in every store (`DocumentSearch.searchAs`).
   */
  readonly search: Lift<internal.SearchModel["Service"]["search"]>
}

/**
 * Dossiers (hồ sơ): the citizen's online flow and the officer's counter flow.
 *
 * @since 0.1.0
 */
export interface Dossiers {
  /** Steps 5–6: a draft for a procedure and case of the catalog. */
  readonly createDraft: Lift<DossiersApi["createDraft"]>
  /** Runs matching on the owner's store without attaching (recorded in the owner's access log). */
  readonly lookup: Lift<DossiersApi["lookup"]>
  /** Step 7: attaches every component with exactly one eligible document; suggests the rest. */
  readonly matchComponents: Lift<DossiersApi["matchComponents"]>
  /** "Lấy từ kho": attaches a document the citizen chose from their store. */
  readonly pick: Lift<DossiersApi["pick"]>
  /** Attaches a file for this dossier only. */
  readonly upload: Lift<DossiersApi["upload"]>
  /** At the counter: scans paper the store lacks, into the owner's store, and attaches it. */
  readonly scan: Lift<DossiersApi["scan"]>
  /** Attaches the result of an earlier dossier of the same owner, by number. */
  readonly referEarlierResult: Lift<DossiersApi["referEarlierResult"]>
  /** Removes what satisfied a component. */
  readonly detach: Lift<DossiersApi["detach"]>
  /** Step 8: submission and receipt methods. */
  readonly chooseMethods: Lift<DossiersApi["chooseMethods"]>
  /** Step 9: submits and numbers the dossier; safe to retry. */
  readonly submit: Lift<DossiersApi["submit"]>
  /** The officer receives the dossier. */
  readonly receive: Lift<DossiersApi["receive"]>
  /** The officer asks for supplements. */
  readonly requestSupplement: Lift<DossiersApi["requestSupplement"]>
  /** The citizen hands the supplements in. */
  readonly provideSupplement: Lift<DossiersApi["provideSupplement"]>
  /** The officer rejects the dossier with a reason. */
  readonly reject: Lift<DossiersApi["reject"]>
  /** The officer issues the result into the owner's store and records it on the dossier. */
  readonly issueResult: Lift<DossiersApi["issueResult"]>
  /** The dossier's current state. */
  readonly load: Lift<DossiersApi["load"]>
}

/**
 * Complaints about a result (phản ánh về kết quả giải quyết).
 *
 * @since 0.1.0
 */
export interface Complaints {
  /** The owner files a complaint about a document of their store; the document is flagged. */
  readonly file: Lift<ComplaintsApi["file"]>
  /** The issuing agency acknowledges it. */
  readonly acknowledge: Lift<ComplaintsApi["acknowledge"]>
  /** The issuing agency issues a corrected replacement; the old document is superseded. */
  readonly resolveByCorrection: Lift<ComplaintsApi["resolveByCorrection"]>
  /** The issuing agency rejects it with a reason; the document is unflagged. */
  readonly reject: Lift<ComplaintsApi["reject"]>
  /** The complaint with its status and deadlines, for its owner, the agency or an auditor. */
  readonly get: Lift<ComplaintsApi["get"]>
}

/**
 * Which part of the log a KPI figure is computed from (default: the whole log).
 *
 * @since 0.1.0
 */
export interface AsOfInput {
  readonly asOf?: KpiLedger.AsOf
}

/**
 * KPIs, folded from the log on each call (a replay: fine for reports, not for a dashboard polled
 * every second — run `KpiLedger.projection` with the Effect API for that).
 *
 * @since 0.1.0
 */
export interface Kpi {
  /** The KPI ledger as of a position or time: the counters every indicator is computed from. */
  readonly ledger: Lift<(options?: AsOfInput) => ReturnType<typeof KpiLedger.fromStore>>
  /** The Appendix I–shaped reuse-rate report, naming the log position and head hash it came from. */
  readonly reuseRate: Lift<
    (
      query: ReuseRate.Query & { readonly targets: ReadonlyArray<Target.Target> } & AsOfInput
    ) => Effect.Effect<
      ReuseRateReport.ReuseRateReport,
      EventStoreError | EventDecodeError | ReuseRateReport.InvalidReuseRateReport
    >
  >
}

/**
 * The facade.
 *
 * @since 0.1.0
 */
export interface Kho {
  readonly documents: Documents
  readonly dossiers: Dossiers
  readonly complaints: Complaints
  readonly kpi: Kpi
  /**
   * The runtime behind the facade, to run Effect code against the same stores (`kho.runtime.runPromise`):
   * a team can move one flow at a time from Promises to Effect.
   */
  readonly runtime: ManagedRuntime.ManagedRuntime<Services, unknown>
  /** Closes the stores (the SQLite file, the runtime's fibers); later calls reject. Idempotent. */
  readonly close: () => Promise<void>
  /** `await using kho = await createKho(…)` closes it at the end of the block. */
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

/**
 * Options of {@link createKho}.
 *
 * @since 0.1.0
 */
export interface Options {
  /**
   * The event log: `"memory"` (tests, demos: lost at exit), `{ sqlite: path }` (the embedded
   * default: one file, created if missing), or any `EventStore` layer (e.g. `PgEventStore.layer`).
   */
  readonly store: StoreOption
  /** Where file bytes go: `"memory"`, `{ directory: path }` (content-addressed), or a `FileStore` layer. */
  readonly fileStore: FileStoreOption
  /**
   * Signature verification: a function `(pdf, { validationTime }) => SignatureReport` (e.g. over
   * `PdfSignatureVerifier.verifyPdf` of `@kho/signature`), or a `SignatureVerifier` layer.
   */
  readonly verifier: VerifierOption
  /** The clock every recorded time comes from (default the system clock); fix it in tests. */
  readonly clock?: () => Date
}

/**
 * The forms of {@link Options}' `store`, `fileStore` and `verifier`, and the services the facade's
 * runtime (and {@link layer}) offers Effect code.
 *
 * @since 0.1.0
 */
export type { FileStoreOption, Services, StoreOption, VerifierOption, VerifyFunction } from "./internal/layers.ts"

/**
 * The layer the facade runs, for Effect code that wants the very same wiring.
 *
 * @since 0.1.0
 */
export const layer = (options: Omit<Options, "clock">): Layer.Layer<Services, unknown> => internal.make(options)

const clockOf = (now: () => Date): Clock.Clock => {
  const base = Clock.Clock.defaultValue()
  const millis = () => now().getTime()
  return {
    currentTimeMillisUnsafe: millis,
    currentTimeMillis: Effect.sync(millis),
    currentTimeNanosUnsafe: () => BigInt(millis()) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(millis()) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => base.monotonicTimeNanosUnsafe(),
    monotonicTimeNanos: base.monotonicTimeNanos,
    sleep: (duration) => base.sleep(duration)
  }
}

/**
 * Opens the stores and returns the facade. Rejects (with the store's error: `EventStoreError`,
 * `FileStoreError`) when a store cannot be opened — a configuration problem, not a domain outcome.
 *
 * @since 0.1.0
 */
export const createKho = async (options: Options): Promise<Kho> => {
  const runtime = ManagedRuntime.make(internal.make(options))
  try {
    await runtime.context()
  } catch (error) {
    await runtime.dispose()
    throw error
  }
  const clock = options.clock === undefined ? undefined : clockOf(options.clock)
  let closed = false

  const run = <A, E>(effect: Effect.Effect<A, E, internal.AllServices>): Promise<Result<A, KhoError<E>>> => {
    if (closed) return Promise.reject(new Error("this Kho facade was closed: create a new one with createKho"))
    const timed = clock === undefined ? effect : Effect.provideService(effect, Clock.Clock, clock)
    return runtime.runPromise(Effect.result(timed)).then((result) =>
      result._tag === "Success" ? ok(result.success) : err(fromTagged(result.failure))
    )
  }

  const request = (input: RequestInput): DocumentStoreService.Request => {
    const commandId = input.commandId ?? randomUUID()
    return {
      actor: input.actor,
      commandId,
      correlationId: input.correlationId ?? commandId,
      causationId: input.causationId ?? null
    }
  }

  const complaintRequest = (input: RequestInput): ComplaintService.Request => ({
    actor: input.actor,
    ...(input.correlationId === undefined ? {} : { correlationId: input.correlationId }),
    ...(input.causationId === undefined ? {} : { causationId: input.causationId })
  })

  const documents = <A, E>(f: (service: DocumentsApi) => Effect.Effect<A, E>) =>
    run(Effect.flatMap(Effect.service(DocumentStoreService.DocumentStoreService), f))
  const dossiers = <A, E>(f: (service: DossiersApi) => Effect.Effect<A, E>) =>
    run(Effect.flatMap(Effect.service(DossierService.DossierService), f))
  const complaints = <A, E>(f: (service: ComplaintsApi) => Effect.Effect<A, E>) =>
    run(Effect.flatMap(Effect.service(ComplaintService.ComplaintService), f))

  const target = (tag: "HideDocument" | "ShowDocument" | "ShareDocument" | "UnshareDocument" | "RemoveDocument"): TargetCall =>
  (input, r) =>
    documents((s) => s.execute({ _tag: tag, ownerId: input.ownerId, documentId: input.documentId }, request(r)))

  const ledger = (options?: AsOfInput) =>
    KpiLedger.fromStore(options?.asOf === undefined ? {} : { asOf: options.asOf })

  const close = async () => {
    if (closed) return
    closed = true
    await runtime.dispose()
  }

  return {
    documents: {
      upload: (input, r) => documents((s) => s.upload(input, request(r))),
      issue: (input, r) => documents((s) => s.issue(input, request(r))),
      recordDigitised: (input, r) => documents((s) => s.recordDigitised(input, request(r))),
      replaceFile: (input, r) => documents((s) => s.replaceFile(input, request(r))),
      hide: target("HideDocument"),
      show: target("ShowDocument"),
      share: target("ShareDocument"),
      unshare: target("UnshareDocument"),
      remove: target("RemoveDocument"),
      execute: (command, r) => documents((s) => s.execute(command, request(r))),
      load: (ownerId, reader) => documents((s) => s.load(ownerId, reader)),
      readFile: (ownerId, documentId, actor) => documents((s) => s.readFile(ownerId, documentId, actor)),
      search: (query: DocumentSearch.Query, actor: Actor) =>
        run(Effect.flatMap(Effect.service(internal.SearchModel), (m) => m.search(query, actor)))
    },
    dossiers: {
      createDraft: (input, r) => dossiers((s) => s.createDraft(input, request(r))),
      lookup: (dossierId, r, componentIds) => dossiers((s) => s.lookup(dossierId, request(r), componentIds)),
      matchComponents: (dossierId, r) => dossiers((s) => s.matchComponents(dossierId, request(r))),
      pick: (input, r) => dossiers((s) => s.pick(input, request(r))),
      upload: (input, r) => dossiers((s) => s.upload(input, request(r))),
      scan: (input, r) => dossiers((s) => s.scan(input, request(r))),
      referEarlierResult: (input, r) => dossiers((s) => s.referEarlierResult(input, request(r))),
      detach: (input, r) => dossiers((s) => s.detach(input, request(r))),
      chooseMethods: (input, r) => dossiers((s) => s.chooseMethods(input, request(r))),
      submit: (dossierId, r) => dossiers((s) => s.submit(dossierId, request(r))),
      receive: (dossierId, r) => dossiers((s) => s.receive(dossierId, request(r))),
      requestSupplement: (input, r) => dossiers((s) => s.requestSupplement(input, request(r))),
      provideSupplement: (dossierId, r) => dossiers((s) => s.provideSupplement(dossierId, request(r))),
      reject: (input, r) => dossiers((s) => s.reject(input, request(r))),
      issueResult: (input, r) => dossiers((s) => s.issueResult(input, request(r))),
      load: (dossierId, actor) => dossiers((s) => s.load(dossierId, actor))
    },
    complaints: {
      file: (input, r) => complaints((s) => s.file(input, complaintRequest(r))),
      acknowledge: (input, r) => complaints((s) => s.acknowledge(input, complaintRequest(r))),
      resolveByCorrection: (input, r) => complaints((s) => s.resolveByCorrection(input, complaintRequest(r))),
      reject: (input, r) => complaints((s) => s.reject(input, complaintRequest(r))),
      get: (complaintId, actor) => complaints((s) => s.get(complaintId, actor))
    },
    kpi: {
      ledger: (options) => run(ledger(options)),
      reuseRate: (query) =>
        run(Effect.flatMap(ledger(query), (l) => Effect.fromResult(ReuseRate.report(l, query))))
    },
    runtime,
    close,
    [Symbol.asyncDispose]: close
  }
}
