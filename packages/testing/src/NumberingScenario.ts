/**
 * Dossier numbering under concurrency, against any `EventStore` adapter: `submissions` dossiers of
 * one agency, drafted one by one, then submitted all at once — spread over one or more connections
 * to the same store (each with its own `DocumentStoreService` and `DossierService`, as separate
 * processes would have) — must get the numbers 0001 to `submissions` of that agency-day, with no gap
 * and no duplicate, while the store really refused some racing appends (`conflicts > 0`).
 *
 * ```ts
 * it.live("numbers 50 concurrent submissions", () =>
 *   NumberingScenario.run([SqliteEventStore.layer({ filename }), SqliteEventStore.layer({ filename })])
 *     .pipe(Effect.scoped))
 * ```
 *
 * Run it live (`it.live`): the wall clock is pinned to 2024-03-20 08:15 in Vietnam, so every
 * submission falls on one agency-day, but sleeps and timeouts (connection pools, busy waits) are real.
 *
 * @since 0.1.0
 */
import { assert } from "@effect/vitest"
import type { Actor } from "@kho/core/Actor"
import * as DocumentStoreService from "@kho/core/DocumentStoreService"
import * as DossierNumber from "@kho/core/DossierNumber"
import * as DossierNumbering from "@kho/core/DossierNumbering"
import * as DossierService from "@kho/core/DossierService"
import { EventStore } from "@kho/core/EventStore"
import * as FileStore from "@kho/core/FileStore"
import * as SignatureVerifier from "@kho/core/SignatureVerifier"
import { Clock, Context, Effect, Layer, type Scope } from "effect"
import * as ScenarioKit from "./ScenarioKit.ts"
import type { NonEmptyReadonlyArray } from "effect/Array"

/**
 * The agency every dossier goes to (UBND xã An Hòa, an invented code).
 *
 * @since 0.1.0
 */
export const agencyCode = "000.20.33.H08"

/**
 * The pinned wall clock: 2024-03-20 08:15 in Vietnam.
 *
 * @since 0.1.0
 */
export const at = "2024-03-20T01:15:00.000Z"

const ownerId = "052090000495"
const owner: Actor = { _tag: "Citizen", personalId: ownerId }

/**
 * What a run observed, for assertions beyond the scenario's own.
 *
 * @since 0.1.0
 */
export interface Report {
  /** The number each dossier got, in dossier order. */
  readonly numbers: ReadonlyArray<DossierNumber.DossierNumber>
  /** How many appends the store refused with a `ConcurrencyConflict` during the run. */
  readonly conflicts: number
}

/** The live clock, except that the wall-clock time stays at `millis`. */
const pinnedClock = (live: Clock.Clock, millis: number): Clock.Clock => ({
  currentTimeMillisUnsafe: () => millis,
  currentTimeMillis: Effect.succeed(millis),
  currentTimeNanosUnsafe: () => BigInt(millis) * BigInt(1_000_000),
  currentTimeNanos: Effect.sync(() => BigInt(millis) * BigInt(1_000_000)),
  monotonicTimeNanosUnsafe: () => live.monotonicTimeNanosUnsafe(),
  monotonicTimeNanos: live.monotonicTimeNanos,
  sleep: (duration) => live.sleep(duration)
})

/** The adapter's store, counting the concurrency conflicts it reports into `conflicts`. */
const counted = (
  events: Layer.Layer<EventStore, unknown>,
  conflicts: { count: number }
): Layer.Layer<EventStore, unknown> =>
  Layer.effect(
    EventStore,
    Effect.map(Effect.service(EventStore), (store) =>
      EventStore.of({
        ...store,
        append: (streamId, newEvents, options) =>
          store.append(streamId, newEvents, options).pipe(
            Effect.tapError((error) =>
              Effect.sync(() => {
                if (error._tag === "ConcurrencyConflict") conflicts.count++
              })
            )
          )
      }))
  ).pipe(Layer.provide(events))

const runPinned = Effect.fnUntraced(function*(
  connections: NonEmptyReadonlyArray<Layer.Layer<EventStore, unknown>>,
  submissions: number
) {
  const conflicts = { count: 0 }
  // one file store and verifier for every connection: the files are the same bytes everywhere
  const base = yield* Layer.build(
    Layer.mergeAll(
      FileStore.layerMemory,
      SignatureVerifier.layerTest((bytes) => ScenarioKit.passed(bytes, at))
    )
  )
  const services: Array<{ readonly dossiers: DossierService.DossierService["Service"]; readonly context: Context.Context<EventStore> }> = []
  for (const events of connections) {
    const stack = DossierService.layer.pipe(
      Layer.provideMerge(DocumentStoreService.layer),
      Layer.provideMerge(counted(events, conflicts)),
      Layer.provide(Layer.succeedContext(base))
    )
    const context = yield* Layer.build(stack)
    services.push({ dossiers: Context.get(context, DossierService.DossierService), context })
  }
  const first = services[0]!
  let n = 0
  const request = () => ({ actor: owner, commandId: `numbering-${++n}`, correlationId: `numbering-corr-${n}` })

  // drafts, one by one, through the first connection: a marriage registration with its form
  const ids = Array.from({ length: submissions }, (_, i) => `hs-numbering-${String(i).padStart(3, "0")}`)
  for (const dossierId of ids) {
    yield* first.dossiers.createDraft(ScenarioKit.marriageRegistrationDraft({ dossierId, ownerId, agencyCode }), request())
    yield* first.dossiers.upload({
      dossierId,
      componentId: "to-khai",
      bytes: ScenarioKit.pdf(`tờ khai ${dossierId}`),
      fileName: "to-khai.pdf",
      mediaType: "application/pdf"
    }, request())
    yield* first.dossiers.chooseMethods({ dossierId, submission: "Online", receipt: "AtCommuneOffice" }, request())
  }
  const conflictsBefore = conflicts.count

  // every submission at once, dossier i through connection i mod k
  const submitted = yield* Effect.forEach(
    ids,
    (dossierId, i) => services[i % services.length]!.dossiers.submit(dossierId, request()),
    { concurrency: "unbounded" }
  )

  const numbers = submitted.map((s) => s.number)
  const day = DossierNumber.decode(numbers[0]!).receivedOn
  for (const number of numbers) {
    const parts = DossierNumber.decode(number)
    assert.strictEqual(parts.agencyCode, agencyCode)
    assert.strictEqual(parts.receivedOn, day, "every submission falls on the same agency-day")
  }
  assert.deepStrictEqual(
    numbers.map((number) => DossierNumber.decode(number).sequence).sort((a, b) => a - b),
    Array.from({ length: submissions }, (_, i) => i + 1),
    "the sequences are 1..N: no gap, no duplicate"
  )
  assert.strictEqual(new Set(numbers).size, submissions)
  assert.isAbove(conflicts.count - conflictsBefore, 0, "racing submissions really conflicted in the store")

  // the numbering stream holds exactly N allocations, its version being the sequence, and every
  // dossier holds the number that stream gave it — seen from every connection
  for (const { context } of services) {
    const store = Context.get(context, EventStore)
    const allocations = yield* store.readStream(DossierNumbering.streamIdOf(agencyCode, day))
    assert.deepStrictEqual(allocations.map((e) => e.streamVersion), Array.from({ length: submissions }, (_, i) => i + 1))
    for (const [i, s] of submitted.entries()) {
      const holder = yield* DossierNumbering.resolve(s.number).pipe(Effect.provide(context))
      assert.deepStrictEqual(holder._tag === "Some" ? holder.value : null, ids[i])
      const assigned = (yield* store.readStream(`Dossier-${ids[i]}`)).filter((e) => e.type === "DossierNumberAssigned")
      assert.deepStrictEqual(assigned.map((e) => (e.data as { readonly number: string }).number), [s.number])
    }
  }
  return { numbers, conflicts: conflicts.count - conflictsBefore } satisfies Report
})

/**
 * Runs the scenario over `connections` (each a layer opening the *same* store; one is enough) and
 * asserts: sequences 1..`submissions` (default 50) on one agency-day, no duplicate, at least one
 * concurrency conflict during the submissions, the numbering stream's versions equal the sequences,
 * and every dossier holds the number that stream gave it.
 *
 * @since 0.1.0
 */
export const run = (
  connections: NonEmptyReadonlyArray<Layer.Layer<EventStore, unknown>>,
  options: { readonly submissions?: number } = {}
): Effect.Effect<Report, unknown, Scope.Scope> =>
  Clock.clockWith((live) =>
    runPinned(connections, options.submissions ?? 50).pipe(
      Effect.provideService(Clock.Clock, pinnedClock(live, Date.parse(at)))
    )
  )
