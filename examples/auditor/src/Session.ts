/**
 * An auditor's session with `kho`, as a transcript: every step is a real `kho` command (run in this
 * process through `Cli.main`, exactly as `node packages/cli/src/bin.ts …` runs it), printed with its
 * output and exit code.
 *
 * 1. the operator's store holds the An Lão log of the first quarter of 2024 (generated here);
 * 2. `kho log export` writes it as NDJSON, `kho log verify` finds it intact;
 * 3. one byte of a copy is changed — a receipt moved from 21 to 20 March, into the reporting period —
 *    and `kho log verify` names the position of the changed event;
 * 4. `kho log replay` and `kho kpi` rebuild the figures as the log stood at the end of 29 February;
 * 5. `kho kpi --format json` publishes Appendix I, `kho report check` confirms it; a report with one
 *    figure changed is refused, and so is one whose forger also fixed the totals.
 *
 * @since 0.1.0
 */
import * as Cli from "@kho/cli/Cli"
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import * as EventStore from "@kho/core/EventStore"
import * as SqliteEventStore from "@kho/store-sqlite/SqliteEventStore"
import * as AnLao2024 from "@kho/testing/AnLao2024"
import { Console, Effect } from "effect"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"

/**
 * Where the session writes and how it prints.
 *
 * @since 0.1.0
 */
export interface Options {
  /** The output directory (created if missing; its files are rebuilt on every run). */
  readonly outDir: string
  /** Prints one block of text. */
  readonly print: (text: string) => void
}

/**
 * The one-byte change made to the copy of the log: where, and what it changes.
 *
 * @since 0.1.0
 */
export interface Tamper {
  readonly dossierId: string
  readonly position: number
  readonly line: number
  readonly byteOffset: number
  readonly before: string
  readonly after: string
}

/**
 * What the session found: each command's exit code, by step.
 *
 * @since 0.1.0
 */
export interface Findings {
  readonly head: EventStore.LogHead
  readonly tamper: Tamper
  readonly exitCodes: Readonly<Record<string, number>>
}

/** The dossier of An Hòa submitted on 20 March and received on 21 March: outside the period. */
const lateReceipt = (): AnLao2024.PlannedDossier => {
  const d = AnLao2024.plan().find((d) =>
    d.unitCode === `${AdministrativeUnit.AN_LAO}.an-hoa` && d.receivedAt === "2024-03-21T01:00:00.000Z" &&
    d.submittedAt?.startsWith("2024-03-20") === true
  )
  if (d === undefined) throw new Error("the An Lão scenario no longer has An Hòa's receipt of 21 March 08:00")
  return d
}

/**
 * Changes one byte of the log's copy: the day of the late receipt's `at` (21 → 20 March, Vietnam
 * 08:00), which would move it into Appendix I's period. Returns where.
 *
 * @since 0.1.0
 */
export const tamper = (from: string, to: string): Tamper => {
  const dossier = lateReceipt()
  const bytes = readFileSync(from)
  const text = bytes.toString("utf8")
  const lines = text.split("\n")
  const index = lines.findIndex((l) =>
    l.includes(`"type":"DossierReceived"`) && l.includes(`"correlationId":"${dossier.dossierId}"`)
  )
  if (index < 0) throw new Error(`no DossierReceived event of ${dossier.dossierId} in ${from}`)
  const line = lines[index]!
  const field = `"at":"${dossier.receivedAt}"`
  const at = line.indexOf(field)
  if (at < 0) throw new Error(`the receipt of ${dossier.dossierId} does not carry ${field}`)
  const dayChar = at + `"at":"2024-03-2`.length // the "1" of "21"
  const byteOffset = Buffer.byteLength(lines.slice(0, index).join("\n") + "\n") + Buffer.byteLength(line.slice(0, dayChar))
  const changed = Buffer.from(bytes)
  changed[byteOffset] = "0".charCodeAt(0)
  writeFileSync(to, changed)
  return {
    dossierId: dossier.dossierId,
    position: (JSON.parse(line) as { readonly globalPosition: number }).globalPosition,
    line: index + 1,
    byteOffset,
    before: dossier.receivedAt!,
    after: `${dossier.receivedAt!.slice(0, 8)}20${dossier.receivedAt!.slice(10)}`
  }
}

/**
 * Changes figures of a published report (JSON): An Hòa's reused count by `delta`, and — when
 * `withTotals` — the commune total and the whole total with it, so that the report still adds up.
 *
 * @since 0.1.0
 */
export const forge = (from: string, to: string, delta: number, withTotals: boolean): void => {
  const report = JSON.parse(readFileSync(from, "utf8")) as {
    levels: Array<{ level: string; rows: Array<{ code: string; counts: { reused: number } }>; total: { reused: number } }>
    total: { reused: number }
  }
  const commune = report.levels.find((l) => l.level === "commune")!
  commune.rows.find((r) => r.code.endsWith(".an-hoa"))!.counts.reused += delta
  if (withTotals) {
    commune.total.reused += delta
    report.total.reused += delta
  }
  writeFileSync(to, JSON.stringify(report, null, 2) + "\n")
}

/**
 * Runs the session; the `kho` commands need the platform services (`NodeServices.layer`).
 *
 * @since 0.1.0
 */
export const run = (options: Options) =>
  Effect.gen(function*() {
    const { outDir, print } = options
    const shown = (path: string) => relative(process.cwd(), path) || path
    yield* Effect.sync(() => mkdirSync(outDir, { recursive: true }))
    const db = join(outDir, "kho.sqlite")
    const log = join(outDir, "an-lao-2024.ndjson")
    const tampered = join(outDir, "an-lao-2024.tampered.ndjson")
    const asOfFebruary = join(outDir, "as-of-2024-02-29.txt")
    const published = join(outDir, "bao-cao-2024-03-20.json")
    const oneFigure = join(outDir, "bao-cao-2024-03-20.one-figure.json")
    const withTotals = join(outDir, "bao-cao-2024-03-20.with-totals.json")
    yield* Effect.sync(() => {
      for (const f of [db, `${db}-wal`, `${db}-shm`, log, tampered, asOfFebruary, published, oneFigure, withTotals]) {
        rmSync(f, { force: true })
      }
    })
    const exitCodes: Record<string, number> = {}
    const kho = (step: string, ...args: Array<string>) =>
      Effect.gen(function*() {
        print(`$ kho ${args.join(" ")}`)
        // `kho` prints through `Console`: hand its lines to `print`, so the transcript stays in order
        const lines: Array<string> = []
        const console: Console.Console = Object.assign(Object.create(globalThis.console), {
          log: (...parts: ReadonlyArray<unknown>) => lines.push(parts.map(String).join(" ")),
          error: (...parts: ReadonlyArray<unknown>) => lines.push(parts.map(String).join(" "))
        })
        const code = yield* Cli.main(args).pipe(Effect.provideService(Console.Console, console))
        exitCodes[step] = code
        print(`${lines.join("\n")}\n(exit ${code})\n`)
        return code
      })

    print("1. The operator's store: the An Lão log of 1 January – 20 March 2024 (generated here) in " + shown(db))
    const head = yield* Effect.gen(function*() {
      const memory = yield* EventStore.makeMemory
      yield* AnLao2024.generate().pipe(Effect.provideService(EventStore.EventStore, memory))
      return yield* EventStore.importStream(memory.readAll()).pipe(
        Effect.provide(SqliteEventStore.layer({ filename: db, synchronous: "NORMAL" }))
      )
    })
    print(`   ${head.position} events, head hash ${head.hash}\n`)

    print("2. Export the log and verify its hash chain")
    yield* kho("export", "log", "export", "--db", shown(db), "--out", shown(log))
    yield* kho("verify", "log", "verify", shown(log))

    print("3. Change one byte in a copy, and verify the copy")
    const change = yield* Effect.sync(() => tamper(log, tampered))
    print(
      `   ${shown(tampered)}: byte ${change.byteOffset} (line ${change.line}, the event at position ${change.position}) ` +
        `changed from "1" to "0": the receipt of dossier ${change.dossierId} moves from ${change.before} to ${change.after},\n` +
        `   from 21 March into the reporting period (1 January – 20 March)\n`
    )
    yield* kho("verifyTampered", "log", "verify", shown(tampered))

    print("4. Rebuild the KPIs as the log stood at the end of 29 February 2024 (Vietnam time)")
    yield* kho("replay", "log", "replay", shown(log), "--until", "2024-02-29T23:59:59.999+07:00", "--no-progress")
    yield* kho(
      "kpiAsOf",
      "kpi",
      shown(log),
      "--period",
      "2024-01-01..2024-02-29",
      "--as-of",
      "2024-02-29T23:59:59.999+07:00",
      "--no-progress"
    )

    print("5. Publish Appendix I as JSON and check it against the log")
    yield* kho("publish", "kpi", shown(log), "--period", "2024-01-01..2024-03-20", "--format", "json", "--out", shown(published), "--no-progress")
    yield* kho("check", "report", "check", shown(published), shown(log), "--no-progress")
    yield* Effect.sync(() => forge(published, oneFigure, 30, false))
    print(`   ${shown(oneFigure)}: UBND xã An Hòa's reused count changed from 66 to 96, nothing else\n`)
    yield* kho("checkOneFigure", "report", "check", shown(oneFigure), shown(log), "--no-progress")
    yield* Effect.sync(() => forge(published, withTotals, 30, true))
    print(`   ${shown(withTotals)}: the same change, with the commune total and the whole total adjusted to match\n`)
    yield* kho("checkWithTotals", "report", "check", shown(withTotals), shown(log), "--no-progress")

    return { head, tamper: change, exitCodes } satisfies Findings
  })
