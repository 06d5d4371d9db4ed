/**
 * `kho log …`: the auditor's commands on an exported event log (NDJSON, one recorded event per line,
 * see ADR 0013) and on a SQLite store file.
 *
 * - `kho log verify FILE` — checks the hash chain; names the first broken position and why (exit 1);
 * - `kho log replay FILE [--until POS|TIME]` — verifies and rebuilds the KPI ledger as of a position or
 *   an instant, and summarises it (a progress bar on stderr when it is a terminal, or with `--progress`);
 * - `kho log export --db FILE [--out FILE]` — writes a SQLite store's log as NDJSON (stdout by default);
 * - `kho log import FILE --db FILE` — appends an NDJSON log to a SQLite store (created if missing),
 *   which re-checks every hash and refuses a log that does not continue its head.
 *
 * Every file is streamed: a log of any length runs in bounded memory. With `--json` each command
 * prints one JSON object on stdout; see docs/auditor.md for the shapes and exit codes.
 *
 * @since 0.1.0
 */
import type { RecordedEvent } from "@kho/core/Event"
import * as EventStore from "@kho/core/EventStore"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as Ndjson from "@kho/core/Ndjson"
import * as SqliteEventStore from "@kho/store-sqlite/SqliteEventStore"
import { Effect, FileSystem, Option, Stdio, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as ExitCode from "./ExitCode.ts"
import * as Audit from "./internal/audit.ts"
import type { CommandFailure, Outcome } from "./internal/outcome.ts"
import { fail, finish } from "./internal/outcome.ts"
import * as ReplayLog from "./internal/replayLog.ts"

const group = ReplayLog.group

// -----------------------------------------------------------------------------------------------
// Shared pieces
// -----------------------------------------------------------------------------------------------

const file = Argument.String("file").pipe(Argument.withDescription("The exported log (NDJSON, one event per line)"))

const json = Flag.Boolean("json").pipe(
  Flag.withDescription("Print one JSON object on stdout instead of text"),
  Flag.withDefault(false)
)

const progress = Flag.Boolean("progress").pipe(
  Flag.withDescription("Show a progress bar on stderr (default: only when stderr is a terminal; --no-progress hides it)"),
  Flag.optional
)

const asOfFlag = (name: string, description: string) =>
  Flag.String(name).pipe(
    Flag.withDescription(description),
    Flag.mapTryCatch(Audit.parseAsOf, (e) => (e instanceof Error ? e.message : String(e))),
    Flag.optional
  )

const brokenJson = (chain: ReplayLog.Broken) => {
  const { _tag, ...rest } = chain
  return { verdict: "broken", ...rest }
}

/** An outcome for a broken chain: exit 1, the position, the reason. */
const brokenOutcome = (path: string, chain: ReplayLog.Broken): Outcome => ({
  code: ExitCode.FAILED,
  text: ReplayLog.formatBroken(path, chain),
  json: { file: path, ...brokenJson(chain) }
})

// -----------------------------------------------------------------------------------------------
// verify
// -----------------------------------------------------------------------------------------------

/**
 * `kho log verify FILE`: exit 0 and `INTACT …` when every hash recomputes, positions and stream
 * versions run without gaps and every event names its predecessor's hash; exit 1 and `BROKEN … at
 * position N (Reason)` at the first place it does not.
 *
 * @since 0.1.0
 */
export const verify = Command.make(
  "verify",
  { file, json, progress },
  Effect.fn("LogCommand.verify")(function*({ file, json, progress }) {
    yield* finish(
      "log verify",
      json,
      Effect.gen(function*() {
        const opened = yield* ReplayLog.open(file, "verifying", progress)
        const audit = yield* Audit.run(opened.log.events, { fold: false, progress: opened.progress() }).pipe(
          Effect.catch(ReplayLog.readFailure(file))
        )
        const chain = audit.chain
        if (chain._tag === "ChainBroken") return brokenOutcome(file, chain)
        return {
          code: ExitCode.OK,
          text: `INTACT ${file}: ${group(chain.count)} events, head position ${chain.headPosition}, head hash ${chain.headHash}`,
          json: { file, verdict: "intact", count: chain.count, headPosition: chain.headPosition, headHash: chain.headHash }
        }
      })
    )
  })
).pipe(
  Command.withDescription("Verify a log's hash chain; name the first broken position and why"),
  Command.withExamples([
    { command: "kho log verify an-lao-2024.ndjson", description: "Exit 0 if intact, 1 with the first broken position" },
    { command: "kho log verify an-lao-2024.ndjson --json", description: "The verdict as one JSON object" }
  ])
)

// -----------------------------------------------------------------------------------------------
// replay
// -----------------------------------------------------------------------------------------------

const ledgerSummary = (ledger: KpiLedger.KpiLedger) => {
  const days = new Set<string>()
  const all: Array<KpiLedger.Facts> = []
  for (const byDay of ledger.cells.values()) {
    for (const [day, facts] of byDay) {
      days.add(day)
      all.push(facts)
    }
  }
  const sorted = [...days].sort()
  return {
    agencies: ledger.cells.size,
    days: days.size,
    firstDay: sorted[0] ?? null,
    lastDay: sorted[sorted.length - 1] ?? null,
    openComplaints: ledger.openComplaints.size,
    totals: KpiLedger.sumFacts(all)
  }
}

/** The text `replay` prints for a log replayed without a break. */
const formatReplay = (path: string, audit: Audit.Audit, asOf: KpiLedger.AsOf): string => {
  const { ledger } = audit
  const summary = ledgerSummary(ledger)
  const t = summary.totals
  const stop = asOf._tag === "Head" ? "" : asOf._tag === "Position" ? ` (--until position ${asOf.position})` : ` (--until ${asOf.at})`
  const types = [...audit.eventTypes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  const width = Math.max(0, ...types.map(([type]) => type.length))
  return [
    `REPLAYED ${path} up to position ${ledger.position}${stop}: ${group(audit.events)} events, chain intact`,
    `head hash ${ledger.headHash}, last event recorded at ${ledger.lastRecordedAt ?? "—"}`,
    "",
    "Events by type:",
    ...types.map(([type, n]) => `  ${type.padEnd(width)}  ${group(n).padStart(10)}`),
    "",
    `KPI ledger: ${summary.agencies} agencies, ${summary.days} days` +
    (summary.firstDay === null ? "" : ` (${summary.firstDay} … ${summary.lastDay})`) +
    `, ${summary.openComplaints} complaints open`,
    `  dossiers received          ${group(t.received)}`,
    `  reusing digitised data     ${group(t.reused)} (from the store ${group(t.reusedFromStore)}, from an earlier dossier ${group(t.reusedFromEarlierDossier)})`,
    `  any digitised component    ${group(t.anyDigitised)}`,
    `  every component digitised  ${group(t.digitisedDossiers)}`,
    `  results issued             electronically ${group(t.resultsIssued)}, on paper ${group(t.paperResults)}; rejected ${group(t.rejected)}`,
    `  certified copies issued    ${group(t.certifiedCopies)}`,
    `  complaints closed          on time ${group(t.complaintsOnTime)}, late ${group(t.complaintsLate)}, deadline unknown ${group(t.complaintsUnknownDeadline)}`,
    "",
    "Figures per unit and period: kho kpi FILE --period …"
  ].join("\n")
}

/**
 * `kho log replay FILE [--until POS|TIME]`: verifies the chain and rebuilds the KPI ledger up to the
 * position or instant (inclusive), printing the head it stopped at and the ledger's totals.
 *
 * @since 0.1.0
 */
export const replay = Command.make(
  "replay",
  {
    file,
    until: asOfFlag("until", "Stop after this global position (e.g. 52000) or the last event recorded at or before this instant (ISO-8601 with its offset, e.g. 2024-02-15T10:00:00+07:00)"),
    json,
    progress
  },
  Effect.fn("LogCommand.replay")(function*({ file, json, progress, until }) {
    yield* finish(
      "log replay",
      json,
      Effect.gen(function*() {
        const asOf = Option.getOrElse(until, () => KpiLedger.atHead)
        const opened = yield* ReplayLog.open(file, "replaying", progress)
        const audit = yield* Audit.run(opened.log.events, { asOf, progress: opened.progress() }).pipe(
          Effect.catch(ReplayLog.readFailure(file))
        )
        if (audit.chain._tag === "ChainBroken") return brokenOutcome(file, audit.chain)
        if (audit.decodeError !== undefined) {
          return yield* ReplayLog.undecodable(audit.decodeError.message)
        }
        const summary = ledgerSummary(audit.ledger)
        return {
          code: ExitCode.OK,
          text: formatReplay(file, audit, asOf),
          json: {
            file,
            until: Audit.asOfJson(asOf),
            verdict: "intact",
            events: audit.events,
            position: audit.ledger.position,
            headHash: audit.ledger.headHash,
            lastRecordedAt: audit.ledger.lastRecordedAt,
            eventTypes: Object.fromEntries([...audit.eventTypes].sort((a, b) => a[0].localeCompare(b[0]))),
            ledger: summary
          }
        }
      })
    )
  })
).pipe(
  Command.withDescription("Verify a log and rebuild its projections (the KPI ledger) as of a position or time"),
  Command.withExamples([
    { command: "kho log replay an-lao-2024.ndjson", description: "The whole log" },
    { command: "kho log replay an-lao-2024.ndjson --until 52000", description: "As of global position 52 000" },
    { command: "kho log replay an-lao-2024.ndjson --until 2024-03-20T17:00:00+07:00 --json", description: "As of an instant, as JSON" }
  ])
)

// -----------------------------------------------------------------------------------------------
// export / import
// -----------------------------------------------------------------------------------------------

const db = Flag.String("db").pipe(Flag.withDescription("The SQLite store file"))

const storeFailure = (dbPath: string) => (e: EventStore.EventStoreError) =>
  e.reason === "InvalidArgument"
    ? fail(ExitCode.DATA_ERR, "Refused", `the store ${dbPath} refused the log: ${e.message}`)
    : fail(ExitCode.IO_ERR, "StoreError", `the store ${dbPath} failed (${e.reason}): ${e.message}`)

const withStore = <A, R>(
  dbPath: string,
  body: Effect.Effect<A, CommandFailure | EventStore.EventStoreError, R | EventStore.EventStore>
): Effect.Effect<A, CommandFailure, Exclude<R, EventStore.EventStore>> =>
  body.pipe(
    Effect.provide(SqliteEventStore.layer({ filename: dbPath })),
    Effect.catchTag("EventStoreError", storeFailure(dbPath))
  ) as Effect.Effect<A, CommandFailure, Exclude<R, EventStore.EventStore>>

const exists = (path: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    return yield* Effect.orElseSucceed(fs.exists(path), () => false)
  })

/**
 * `kho log export --db FILE [--out FILE] [--force]`: the store's whole log as NDJSON, to `--out`
 * (written next to it and renamed when complete, so a failed export leaves no half file) or stdout.
 *
 * @since 0.1.0
 */
export const exportLog = Command.make(
  "export",
  {
    db,
    out: Flag.String("out").pipe(Flag.withDescription("Write the NDJSON here (default: stdout)"), Flag.optional),
    force: Flag.Boolean("force").pipe(Flag.withDescription("Overwrite --out if it exists"), Flag.withDefault(false)),
    json
  },
  Effect.fn("LogCommand.export")(function*({ db, force, json, out }) {
    yield* finish(
      "log export",
      json,
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        if (!(yield* exists(db))) return yield* fail(ExitCode.NO_INPUT, "NoInput", `cannot read the store ${db}: no such file`)
        if (Option.isSome(out) && !force && (yield* exists(out.value))) {
          return yield* fail(ExitCode.CANT_CREATE, "OutputExists", `${out.value} exists: pass --force to overwrite it`)
        }
        return yield* withStore(
          db,
          Effect.gen(function*() {
            const store = yield* EventStore.EventStore
            let count = 0
            let last: RecordedEvent | undefined
            const events = Stream.mapArray(store.readAll(), (batch) => {
              count += batch.length
              last = batch[batch.length - 1] ?? last
              return batch
            })
            const bytes = Ndjson.encodeBytes(events)
            if (Option.isNone(out)) {
              const stdio = yield* Stdio.Stdio
              yield* Stream.run(bytes, stdio.stdout()).pipe(
                Effect.catchTag("PlatformError", (e) => fail(ExitCode.IO_ERR, "WriteError", `writing to stdout failed: ${e.message}`))
              )
            } else {
              const partial = `${out.value}.partial`
              yield* Stream.run(bytes, fs.sink(partial)).pipe(
                Effect.andThen(fs.rename(partial, out.value)),
                Effect.catchTag("PlatformError", (e) =>
                  Effect.andThen(
                    Effect.ignore(fs.remove(partial)),
                    fail(ExitCode.CANT_CREATE, "WriteError", `cannot write ${out.value}: ${e.message}`)
                  )),
                Effect.onInterrupt(() => Effect.ignore(fs.remove(partial)))
              )
            }
            const head = { count, headPosition: last?.globalPosition ?? 0, headHash: last?.hash ?? null }
            const outcome: Outcome = {
              code: ExitCode.OK,
              // with the log on stdout, nothing else may go there
              text: Option.isNone(out)
                ? ""
                : `EXPORTED ${db} to ${out.value}: ${group(count)} events, head position ${head.headPosition}` +
                  (head.headHash === null ? "" : `, head hash ${head.headHash}`),
              json: Option.isNone(out) ? null : { db, out: out.value, ...head }
            }
            return outcome
          })
        )
      })
    )
  })
).pipe(
  Command.withDescription("Export a SQLite store's log as NDJSON"),
  Command.withExamples([
    { command: "kho log export --db kho.sqlite --out an-lao-2024.ndjson", description: "To a file" },
    { command: "kho log export --db kho.sqlite | gzip > an-lao-2024.ndjson.gz", description: "To stdout" }
  ])
)

/**
 * `kho log import FILE --db FILE`: appends the log to the store in batches of 1 000; the store checks
 * that each batch continues its head (positions, previous hashes, stream versions) and that every hash
 * recomputes, and refuses the first batch that does not (exit 65; the batches before it stay).
 *
 * @since 0.1.0
 */
export const importLog = Command.make(
  "import",
  { file, db, json, progress },
  Effect.fn("LogCommand.import")(function*({ db, file, json, progress }) {
    yield* finish(
      "log import",
      json,
      Effect.gen(function*() {
        const opened = yield* ReplayLog.open(file, "importing", progress)
        const bar = opened.progress()
        let count = 0
        const events = Stream.mapArray(opened.log.events, (batch) => {
          count += batch.length
          bar.events(batch.length)
          return batch
        })
        return yield* withStore(
          db,
          Effect.gen(function*() {
            const store = yield* EventStore.EventStore
            const before = yield* store.head
            const head = yield* EventStore.importStream(events).pipe(
              Effect.ensuring(Effect.sync(() => bar.done())),
              Effect.catchTags({
                InvalidLine: (e) =>
                  Effect.flatMap(store.head, (now) =>
                    fail(
                      ExitCode.DATA_ERR,
                      "Unreadable",
                      `${file}: ${e.message}; the store now ends at position ${now.position} (the lines before were imported)`
                    )),
                ReadError: ReplayLog.readFailure(file),
                EventStoreError: (e) =>
                  Effect.flatMap(store.head, (now) =>
                    storeFailure(db)(
                      e.reason === "InvalidArgument"
                        ? new EventStore.EventStoreError({
                          ...e,
                          message: `${e.message} (the store ends at position ${now.position})`
                        })
                        : e
                    ))
              })
            )
            const outcome: Outcome = {
              code: ExitCode.OK,
              text: `IMPORTED ${file} into ${db}: ${group(head.position - before.position)} events, ` +
                `head position ${head.position}, head hash ${head.hash}`,
              json: { file, db, imported: head.position - before.position, read: count, headPosition: head.position, headHash: head.hash }
            }
            return outcome
          })
        )
      })
    )
  })
).pipe(
  Command.withDescription("Import an NDJSON log into a SQLite store (each hash re-checked)"),
  Command.withExamples([
    { command: "kho log import an-lao-2024.ndjson --db audit.sqlite", description: "Into a new or continuing store" }
  ])
)

/**
 * `kho log`: the group of the log subcommands.
 *
 * @since 0.1.0
 */
export const command = Command.make("log").pipe(
  Command.withDescription("Verify, replay, export and import event logs (NDJSON)"),
  Command.withSubcommands([verify, replay, exportLog, importLog])
)
