/**
 * The An Lão example, start to end: the first quarter into a SQLite file, Appendix I printed and
 * written, then the "what reaching 60 % takes" run. `main.ts` calls {@link run}; tests call it too.
 *
 * @since 0.1.0
 */
import * as EventStore from "@kho/core/EventStore"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as VietnameseFormat from "@kho/core/VietnameseFormat"
import * as Terminal from "@kho/report/Terminal"
import { Effect } from "effect"
import { mkdirSync } from "node:fs"
import { join, relative } from "node:path"
import * as FirstQuarter from "./FirstQuarter.ts"
import * as Monthly from "./Monthly.ts"
import * as WhatIf from "./WhatIf.ts"

/**
 * Where the example writes and how it prints.
 *
 * @since 0.1.0
 */
export interface RunOptions {
  /** The output directory (created if missing); the SQLite file in it is rebuilt on every run. */
  readonly outDir: string
  /** Prints one block of text. */
  readonly print: (text: string) => void
  /** The what-if's volume relative to the first quarter's pace (default 0.25). */
  readonly scale?: number
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`

/**
 * Runs the example.
 *
 * @since 0.1.0
 */
export const run = (options: RunOptions) =>
  Effect.gen(function*() {
    const { outDir, print } = options
    const scale = options.scale ?? 0.25
    const shown = (path: string) => relative(process.cwd(), path) || path
    const sqlite = join(outDir, "an-lao-2024.sqlite")
    yield* Effect.sync(() => mkdirSync(outDir, { recursive: true }))
    yield* FirstQuarter.removeDatabase(sqlite)

    print(
      "An Lão district (Bình Định), 1 January – 20 March 2024: generating the first quarter through the real\n" +
        "services (dossiers, uploads, agency-issued results, certified copies, reuse) into " + shown(sqlite) + " …"
    )
    let started = performance.now()
    const { firstQuarter, copy } = yield* Effect.gen(function*() {
      const firstQuarter = yield* FirstQuarter.generate
      // the what-if continues a copy of this log in memory: the An Lão file keeps the real quarter only
      const sqliteStore = yield* EventStore.EventStore
      const copy = yield* EventStore.makeMemory
      yield* EventStore.importStream(sqliteStore.readAll()).pipe(Effect.provideService(EventStore.EventStore, copy))
      return { firstQuarter, copy }
    }).pipe(Effect.provide(FirstQuarter.store(sqlite)))
    const { report, scenario } = firstQuarter
    const received = scenario.dossiers.filter((d) => d.inPeriod).length
    print(
      `… ${VietnameseFormat.integer(scenario.dossiers.length)} dossiers planned ` +
        `(${VietnameseFormat.integer(received)} received in the period), ` +
        `${VietnameseFormat.integer(scenario.head.position)} events, in ${seconds(started)}.\n` +
        `Log position ${scenario.head.position}, head hash ${scenario.head.hash}\n`
    )

    print(Terminal.render(report))
    const files = yield* FirstQuarter.write(report, outDir)
    print(
      `Whole district: ${VietnameseFormat.percent(ReuseRateReport.rate(report.total))} % ` +
        `(${VietnameseFormat.integer(report.total.reused)} of ${VietnameseFormat.integer(report.total.received)} dossiers ` +
        `reused digitised data), against a target of 60 %.\n` +
        `Wrote ${shown(files.pdf)}, ${shown(files.csv)}, ${shown(files.json)}.\n`
    )

    print(
      "What reaching 60 % takes — April to December 2024, the directive applied (a what-if, on a copy of the log in memory):\n" +
        "  • agencies issue results and certified copies into the owner's store, and the owner shares them;\n" +
        "  • the land-registration branch puts the owner's land-use certificate into their store before a transfer;\n" +
        "  • online applicants add their ID card to their store; counter staff check the store first and digitise\n" +
        "    into it what it lacks (digitised now, reused next time);\n" +
        "  • first-quarter citizens come back with what their stores already hold.\n" +
        `  "Theo CĐ" is the share of people following the directive that month. Dossier volume is scaled to ` +
        `${Math.round(scale * 100)} % of the first quarter's pace to keep the run short.\n` +
        "Every rate below is counted by the KPI ledger from the events, like Appendix I."
    )
    started = performance.now()
    const whatIf = yield* WhatIf.generate(scenario.dossiers, { scale }).pipe(
      Effect.provideService(EventStore.EventStore, copy)
    )
    const ledger = yield* KpiLedger.fromStore().pipe(Effect.provideService(EventStore.EventStore, copy))
    const rows = yield* Effect.fromResult(Monthly.monthly(ledger))
    print(
      `(${VietnameseFormat.integer(whatIf.dossiers.length)} dossiers, ` +
        `${VietnameseFormat.integer(whatIf.head.position - scenario.head.position)} more events, in ${seconds(started)})\n`
    )
    print(
      `First quarter (1/1–20/3, the log above): ${VietnameseFormat.percent(ReuseRateReport.rate(report.total))} %\n\n` +
        Monthly.render(rows)
    )
    const reached = Monthly.firstMonthOnTarget(rows)
    print(
      reached === null
        ? "The 60 % target is not reached by December 2024 in this what-if."
        : `The 60 % target (${report.target?.source.document ?? "—"}) is first met in ` +
          `${String(reached.month).padStart(2, "0")}/2024: ` +
          `${VietnameseFormat.percent(ReuseRateReport.rate(reached.report.total))} % of the dossiers received that month ` +
          `reused digitised data, with ${Math.round(reached.adoption * 100)} % of the people following the directive.`
    )
    return { firstQuarter, whatIf, rows }
  })
