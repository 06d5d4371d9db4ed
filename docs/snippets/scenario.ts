/**
 * The samples of docs/guides/scenario-runner.md: the An Lão 2024 scenario, its report, as of a
 * moment, and its log exported for an auditor.
 */
import { writeFileSync } from "node:fs"
import { AdministrativeUnit, EventStore, KpiLedger, Ndjson, ReuseRate, Target } from "@kho/core"
import { Terminal } from "@kho/report"
import { AnLao2024 } from "@kho/testing"
import { Effect, Result, Stream } from "effect"

// #region report
// Appendix I of the seed, rebuilt from the events alone.
const appendixI = (asOf: KpiLedger.AsOf) =>
  Effect.gen(function*() {
    const ledger = yield* KpiLedger.fromStore({ asOf })
    const report = ReuseRate.report(ledger, {
      period: AnLao2024.period,
      units: AdministrativeUnit.binhDinhAnLao,
      root: AdministrativeUnit.AN_LAO,
      targets: Target.anLao2024
    })
    return Result.isSuccess(report) ? Terminal.render(report.success) : report.failure.message
  })
// #endregion report

// #region run
export const anLao2024 = Effect.gen(function*() {
  // ~3 500 dossiers through the real flows, on the scenario's own clock (deterministic)
  const scenario = yield* AnLao2024.generate()
  console.log(`${scenario.dossiers.length} dossiers, log head ${scenario.head.position}`)
  console.log(yield* appendixI(KpiLedger.atHead)) // whole district 3.480 / 156 / 4,48
  console.log(yield* appendixI(KpiLedger.atTime("2024-02-15T10:00:00.000Z"))) // as it stood that morning

  // the log an auditor receives: one JSON event per line
  const store = yield* EventStore.EventStore
  const lines = yield* Stream.runCollect(Ndjson.encode(store.readAll()))
  writeFileSync("an-lao-2024.ndjson", lines.join(""))
}).pipe(Effect.provide(EventStore.layerMemory))
// #endregion run
