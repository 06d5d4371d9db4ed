/**
 * One pass over a log for the auditor: verifies the hash chain (`HashChain.verifyChain`) and, in the
 * same pass, folds every event into the KPI ledger (the projection every figure is read from) and
 * counts events by type. Memory: the ledger (agencies × days), one version counter per stream (the
 * chain check) and one counter per event type — never the events.
 *
 * A line that is not a recorded event breaks the chain too (`Unreadable`): the lines before it were
 * checked, so the log is intact up to the event before it.
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
 * up to there). Fails only when the log cannot be read at all (`ReadError`).
 */
export const run = (
  events: Stream.Stream<RecordedEvent, Ndjson.InvalidLine | Ndjson.ReadError>,
  options: { readonly asOf?: KpiLedger.AsOf; readonly fold?: boolean; readonly progress?: Progress }
): Effect.Effect<Audit, Ndjson.ReadError> =>
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
    let beyond: RecordedEvent | undefined
    const bounded = asOf._tag === "Head" ? events : Stream.takeUntil(events, (e) => !KpiLedger.within(asOf, e))
    const observed = Stream.mapArray(bounded, (batch) => {
      for (const event of batch) {
        if (asOf._tag !== "Head" && !KpiLedger.within(asOf, event)) {
          beyond = event
          break
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

    let chain: Chain = yield* HashChain.verifyChain(
      asOf._tag === "Head" ? observed : Stream.filter(observed, (e) => e !== beyond)
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
    return { chain, ledger, decodeError, eventTypes, events: count }
  })

/** `--until` / `--as-of`: a global position (digits) or an ISO-8601 instant with an offset. */
export const parseAsOf = (text: string): KpiLedger.AsOf => {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return KpiLedger.atPosition(Number(trimmed))
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    throw new RangeError(`${JSON.stringify(text)} is neither a log position (e.g. 52000) nor an instant (e.g. 2024-03-20T17:00:00+07:00)`)
  }
  return KpiLedger.atTime(trimmed)
}

/** The `--until` / `--as-of` value as JSON (`null` for the whole log). */
export const asOfJson = (asOf: KpiLedger.AsOf): { readonly position: number } | { readonly time: string } | null =>
  asOf._tag === "Head" ? null : asOf._tag === "Position" ? { position: asOf.position } : { time: asOf.at }
