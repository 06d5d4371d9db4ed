/**
 * One pass over a log for the auditor: verifies the hash chain (`HashChain.verifyChain`) and, in the
 * same pass, folds every event into the KPI ledger (the projection every figure is read from) and
 * counts events by type. Memory: the ledger (agencies × days), one version counter per stream (the
 * chain check) and one counter per event type — never the events.
 *
 * A line that is not a recorded event breaks the chain too (`Unreadable`): the lines before it were
 * checked, so the log is intact up to the event before it.
 *
 * A cut by time (`--until`/`--as-of` an instant) reads on to the end of the log (folding nothing past
 * the cut) to make sure `recordedAt` never goes backwards: where it does, "as of T" is not a prefix of
 * the log, and the audit fails with `KpiLedger.RecordedAtDecreases` (naming the position) rather than
 * give figures that silently miss events.
 */
import type { EventDecodeError } from "@kho/core/EventCodec"
import type { RecordedEvent } from "@kho/core/Event"
import * as HashChain from "@kho/core/HashChain"
import * as KpiLedger from "@kho/core/KpiLedger"
import type * as Ndjson from "@kho/core/Ndjson"
import * as Upcaster from "@kho/core/Upcaster"
import { Effect, Result, Stream } from "effect"
import type { Progress } from "./progress.ts"
import { none } from "./progress.ts"

/** The chain verdict, `verifyChain`'s plus `Unreadable` (with the 1-based line of the bad line). */
export type Chain =
  | typeof HashChain.ChainIntact.Type
  | typeof HashChain.ChainBroken.Type
  | {
    readonly _tag: "ChainBroken"
    readonly position: number
    readonly reason: "Unreadable"
    readonly message: string
    readonly verified: number
    readonly lastGoodHash: string
    readonly line: number
  }

/** What one pass found. `ledger` and `decodeError` are meaningful only when the chain is intact. */
export interface Audit {
  readonly chain: Chain
  readonly ledger: KpiLedger.KpiLedger
  /** The first event whose data this version cannot decode (the chain may still be intact). */
  readonly decodeError: EventDecodeError | undefined
  readonly eventTypes: ReadonlyMap<string, number>
  readonly events: number
}

/**
 * Verifies and (with `fold`) folds `events` up to `asOf` (a prefix of the log: the chain is verified
 * up to there). Fails when the log cannot be read at all (`ReadError`), or when `asOf` is a time and
 * the chain is intact but `recordedAt` goes backwards somewhere in the log (`RecordedAtDecreases`;
 * a broken chain is reported first).
 */
export const run = (
  events: Stream.Stream<RecordedEvent, Ndjson.InvalidLine | Ndjson.ReadError>,
  options: { readonly asOf?: KpiLedger.AsOf; readonly fold?: boolean; readonly progress?: Progress }
): Effect.Effect<Audit, Ndjson.ReadError | KpiLedger.RecordedAtDecreases> =>
  Effect.gen(function*() {
    const registry = yield* Upcaster.CurrentRegistry
    const step = KpiLedger.stepWith(registry)
    const fold = options.fold ?? true
    const progress = options.progress ?? none
    const asOf = options.asOf ?? KpiLedger.atHead
    const ledger = KpiLedger.empty()
    const eventTypes = new Map<string, number>()
    let decodeError: EventDecodeError | undefined
    let count = 0
    // the longest prefix of positions 1, 2, 3… seen: where an unreadable line breaks the chain
    let contiguous = 0
    let contiguousHash = HashChain.GENESIS_HASH

    // With a stop (`asOf`), the first event past it is read too, not folded: it must continue the
    // chain from the last event folded, else events around the stop were removed or reordered (a
    // prefix alone could look intact). Then the whole log is verified to name the first break.
    // A cut by time reads on past the cut (folding nothing) to watch recordedAt's order, up to the
    // end or the first unreadable line past the cut (the prefix it cut is what the chain verdict covers).
    let beyond: RecordedEvent | undefined
    const order = asOf._tag === "Time" ? KpiLedger.recordedAtOrder() : undefined
    let decrease: KpiLedger.RecordedAtDecreases | undefined
    const bounded = asOf._tag === "Head"
      ? events
      : asOf._tag === "Position"
      ? Stream.takeUntil(events, (e) => !KpiLedger.within(asOf, e))
      : Stream.catchTag(events, "InvalidLine", (e) => beyond === undefined ? Stream.fail(e) : Stream.empty)
    const observed = Stream.mapArray(bounded, (batch) => {
      for (const event of batch) {
        if (order !== undefined) decrease ??= order.see(event)
        if (beyond !== undefined) continue
        if (asOf._tag !== "Head" && !KpiLedger.within(asOf, event)) {
          beyond = event
          if (order === undefined) break
          continue
        }
        count++
        eventTypes.set(event.type, (eventTypes.get(event.type) ?? 0) + 1)
        if (event.globalPosition === contiguous + 1) {
          contiguous++
          contiguousHash = event.hash
        }
        if (fold && decodeError === undefined) {
          const next = step(ledger, event)
          if (Result.isFailure(next)) decodeError = next.failure
        }
      }
      progress.events(batch.length)
      return batch
    })
    const unreadable = (e: Ndjson.InvalidLine) =>
      Effect.succeed<Chain>({
        _tag: "ChainBroken",
        position: contiguous + 1,
        reason: "Unreadable",
        message: `${e.message}, so event ${contiguous + 1} cannot be read: the log was damaged or edited by hand`,
        verified: contiguous,
        lastGoodHash: contiguousHash,
        line: e.line
      })

    // the chain is verified over the prefix: the `count` events folded, which come first in `observed`
    let passed = 0
    let chain: Chain = yield* HashChain.verifyChain(
      asOf._tag === "Head" ? observed : Stream.filter(observed, () => passed++ < count)
    ).pipe(Effect.catchTag("InvalidLine", unreadable))
    if (
      chain._tag === "ChainIntact" && beyond !== undefined &&
      (beyond.globalPosition !== chain.headPosition + 1 || beyond.previousHash !== chain.headHash)
    ) {
      contiguous = 0
      contiguousHash = HashChain.GENESIS_HASH
      const whole = Stream.mapArray(events, (batch) => {
        for (const event of batch) {
          if (event.globalPosition === contiguous + 1) {
            contiguous++
            contiguousHash = event.hash
          }
        }
        return batch
      })
      chain = yield* HashChain.verifyChain(whole).pipe(Effect.catchTag("InvalidLine", unreadable))
    }
    progress.done()
    if (chain._tag === "ChainIntact" && decrease !== undefined) return yield* decrease
    return { chain, ledger, decodeError, eventTypes, events: count }
  })

/** An ISO-8601 instant with its offset: date, hours and minutes, optional seconds and fraction. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/

/**
 * `--until` / `--as-of`: a global position (digits) or an ISO-8601 instant with an offset (`Z` or
 * `±hh:mm`). Throws a `RangeError` (a usage error, exit 64) for anything else, including a time
 * without an offset (whose meaning depends on the machine) and an impossible date or time
 * (2024-02-30 would otherwise roll over into March).
 */
export const parseAsOf = (text: string): KpiLedger.AsOf => {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return KpiLedger.atPosition(Number(trimmed))
  const example = "an instant with an offset (e.g. 2024-02-15T10:00:00+07:00 or 2024-02-15T03:00:00Z)"
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    throw new RangeError(`${JSON.stringify(text)} is neither a log position (e.g. 52000) nor ${example}`)
  }
  const m = INSTANT.exec(trimmed)
  if (m === null) {
    throw new RangeError(
      `${JSON.stringify(text)} is not ${example}: the offset (Z or ±hh:mm) is required, since a time without ` +
        "one means different instants on different machines"
    )
  }
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "00"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const fields = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  fields.setUTCFullYear(year) // Date.UTC reads years 0-99 as 1900-1999
  const survives = fields.getUTCFullYear() === year && fields.getUTCMonth() === month - 1 &&
    fields.getUTCDate() === day && fields.getUTCHours() === hour && fields.getUTCMinutes() === minute &&
    fields.getUTCSeconds() === second
  const offsetOk = m[7] === "Z" || (Number(m[8]) <= 23 && Number(m[9]) <= 59)
  if (!survives || !offsetOk) {
    throw new RangeError(`${JSON.stringify(text)} is not a real date and time: expected ${example}`)
  }
  return KpiLedger.atTime(trimmed)
}

/** The `--until` / `--as-of` value as JSON (`null` for the whole log). */
export const asOfJson = (asOf: KpiLedger.AsOf): { readonly position: number } | { readonly time: string } | null =>
  asOf._tag === "Head" ? null : asOf._tag === "Position" ? { position: asOf.position } : { time: asOf.at }
