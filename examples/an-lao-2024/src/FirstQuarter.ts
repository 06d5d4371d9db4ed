/**
 * The first quarter of 2024 in An Lão on the embedded SQLite store: the scenario of
 * `@kho/testing/AnLao2024` (units, citizens, procedures, uploads, agency-issued results, certified
 * copies, dossiers, reuse where the seed says so) generated through the real services into one file,
 * then Appendix I rebuilt from that file's events alone.
 *
 * @since 0.1.0
 */
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import * as EventStore from "@kho/core/EventStore"
import type * as EventCodec from "@kho/core/EventCodec"
import * as KpiLedger from "@kho/core/KpiLedger"
import * as ReuseRate from "@kho/core/ReuseRate"
import type * as ReuseRateReport from "@kho/core/ReuseRateReport"
import * as Target from "@kho/core/Target"
import * as Csv from "@kho/report/Csv"
import * as Json from "@kho/report/Json"
import * as Pdf from "@kho/report/Pdf"
import * as SqliteEventStore from "@kho/store-sqlite/SqliteEventStore"
import * as AnLao2024 from "@kho/testing/AnLao2024"
import { Effect, Schema } from "effect"
import { rmSync } from "node:fs"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"

/**
 * What the first quarter produced: the scenario's plan and log head, the ledger folded from the
 * store, and Appendix I.
 *
 * @since 0.1.0
 */
export interface FirstQuarter {
  readonly scenario: AnLao2024.Scenario
  readonly ledger: KpiLedger.KpiLedger
  readonly report: ReuseRateReport.ReuseRateReport
}

/**
 * Removes a SQLite file and its WAL companions, so that a run starts from an empty log.
 *
 * @since 0.1.0
 */
export const removeDatabase = (filename: string): Effect.Effect<void> =>
  Effect.sync(() => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${filename}${suffix}`, { force: true })
  })

/**
 * The SQLite store of the example. `synchronous: "NORMAL"` (fsync at checkpoints, not at every
 * commit): the file is rebuilt on every run, so losing the last commits to a power cut costs nothing,
 * and it makes the 38 000 single-command appends about four times faster.
 *
 * @since 0.1.0
 */
export const store = (filename: string) => SqliteEventStore.layer({ filename, synchronous: "NORMAL" })

/**
 * Appendix I of the seed (2024-01-01 … 2024-03-20) from a ledger, with the 60 % target.
 *
 * @since 0.1.0
 */
export const appendixI = (ledger: KpiLedger.KpiLedger) =>
  Effect.fromResult(ReuseRate.report(ledger, {
    period: AnLao2024.period,
    units: AdministrativeUnit.binhDinhAnLao,
    root: AdministrativeUnit.AN_LAO,
    targets: Target.anLao2024
  }))

/**
 * Generates the scenario into the `EventStore` in context, then folds the KPI ledger from the store's
 * events (nothing from the generator's memory) and builds Appendix I.
 *
 * @since 0.1.0
 */
export const generate: Effect.Effect<
  FirstQuarter,
  | AnLao2024.Failure
  | EventStore.EventStoreError
  | EventCodec.EventDecodeError
  | ReuseRateReport.InvalidReuseRateReport,
  EventStore.EventStore
> = Effect.gen(function*() {
  const scenario = yield* AnLao2024.generate()
  const ledger = yield* KpiLedger.fromStore()
  const report = yield* appendixI(ledger)
  return { scenario, ledger, report }
})

/**
 * The files Appendix I is written to.
 *
 * @since 0.1.0
 */
export const outputFiles = (outDir: string) => ({
  pdf: join(outDir, "appendix-i-2024-03-20.pdf"),
  csv: join(outDir, "appendix-i-2024-03-20.csv"),
  json: join(outDir, "appendix-i-2024-03-20.json")
})

/**
 * An output file could not be written.
 *
 * @since 0.1.0
 */
export class WriteError extends Schema.TaggedError<WriteError>()("WriteError", {
  message: Schema.String,
  cause: Schema.Defect()
}) {}

/**
 * Writes Appendix I as PDF, CSV (UTF-8 with BOM) and JSON (the published form `kho report check`
 * reads back) into `outDir`.
 *
 * @since 0.1.0
 */
export const write = (report: ReuseRateReport.ReuseRateReport, outDir: string) =>
  Effect.gen(function*() {
    const files = outputFiles(outDir)
    const pdf = yield* Pdf.render(report)
    yield* Effect.tryPromise({
      try: async () => {
        await mkdir(outDir, { recursive: true })
        await writeFile(files.pdf, pdf)
        await writeFile(files.csv, Csv.encode(report))
        await writeFile(files.json, Json.render(report))
      },
      catch: (cause) => new WriteError({ message: `cannot write Appendix I into ${outDir}: ${String(cause)}`, cause })
    })
    return files
  })
