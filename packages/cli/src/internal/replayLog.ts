/**
 * Opening a log with its progress bar, and the verified replay `kpi` and `report check` build on:
 * a figure is only ever computed from a log whose chain is intact up to where it stops.
 */
import type * as KpiLedger from "@kho/core/KpiLedger"
import type * as Ndjson from "@kho/core/Ndjson"
import { Effect, Option, Stdio } from "effect"
import * as ExitCode from "../ExitCode.ts"
import * as Audit from "./audit.ts"
import * as LogFile from "./logFile.ts"
import type { CommandFailure } from "./outcome.ts"
import { fail } from "./outcome.ts"
import * as Progress from "./progress.ts"

/** A broken chain, as `Audit.Chain` carries it. */
export type Broken = Extract<Audit.Chain, { readonly _tag: "ChainBroken" }>

/** Thousands grouped with a space (`1 000 000`): readable, and unambiguous in any locale. */
export const group = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ")

/**
 * Opens a log with a progress bar: on stderr when it is a terminal or with `--progress`, never with
 * `--no-progress`. `progress()` is the bar, made once the file's size is known.
 */
export const open = (path: string, label: string, wanted: Option.Option<boolean>) =>
  Effect.gen(function*() {
    const stdio = yield* Stdio.Stdio
    const tty = yield* stdio.stderrIsTerminal
    let bar: Progress.Progress = Progress.none
    const log = yield* LogFile.open(path, (n) => bar.bytes(n))
    if (Option.getOrElse(wanted, () => tty)) {
      bar = Progress.make({ label, total: log.size, tty, write: (text) => process.stderr.write(text) })
    }
    return { log, progress: (): Progress.Progress => bar }
  })

/**
 * What stops an audit before a verdict: a log that stopped being readable midway (exit 74), or a
 * cut by time over an intact log whose `recordedAt` goes backwards (exit 65: the log is authentic but
 * cannot be cut by time; the message names the position and says to cut by position).
 */
export const readFailure = (path: string) =>
(e: Ndjson.ReadError | KpiLedger.RecordedAtDecreases): Effect.Effect<never, CommandFailure> =>
  e._tag === "RecordedAtDecreases"
    ? fail(ExitCode.DATA_ERR, "RecordedAtDecreases", `no figures cut by time from ${path}: ${e.message}`)
    : fail(ExitCode.IO_ERR, "ReadError", `reading ${path} failed midway: ${e.message}`)

/** The two lines that describe a broken chain: where and why, and how far it is intact. */
export const formatBroken = (path: string, chain: Broken): string =>
  [
    `BROKEN ${path} at position ${chain.position} (${chain.reason}${"line" in chain ? `, line ${chain.line}` : ""}): ${chain.message}`,
    chain.verified === 0
      ? "no event before it is intact"
      : `intact up to position ${chain.verified} (${group(chain.verified)} events verified), last good hash ${chain.lastGoodHash}`
  ].join("\n")

/**
 * Replays `path` as of `asOf`, verifying the chain on the way, into the KPI ledger. A broken chain
 * fails with exit 1 (`ChainBroken`), an event this version cannot decode with 65, and so does a cut
 * by time over a log whose `recordedAt` goes backwards.
 */
export const verifiedLedger = (
  path: string,
  asOf: KpiLedger.AsOf,
  progress: Option.Option<boolean>
): Effect.Effect<KpiLedger.KpiLedger, CommandFailure, Stdio.Stdio> =>
  Effect.gen(function*() {
    const opened = yield* open(path, "replaying", progress)
    const audit = yield* Audit.run(opened.log.events, { asOf, progress: opened.progress() }).pipe(
      Effect.catch(readFailure(path))
    )
    if (audit.chain._tag === "ChainBroken") {
      return yield* fail(ExitCode.FAILED, "ChainBroken", `no figures from a broken log:\n${formatBroken(path, audit.chain)}`)
    }
    if (audit.decodeError !== undefined) return yield* undecodable(audit.decodeError.message)
    return audit.ledger
  })

/** The chain is intact but an event's data does not decode with this version (exit 65). */
export const undecodable = (message: string): Effect.Effect<never, CommandFailure> =>
  fail(ExitCode.DATA_ERR, "UndecodableEvent", `the chain is intact, but ${message}: this version of kho cannot read it`)
