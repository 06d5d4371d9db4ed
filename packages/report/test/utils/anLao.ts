import { AdministrativeUnit, ReuseRateReport, Target } from "@kho/core"
import { Result } from "effect"

/** Appendix I's figures, with a made-up split of reuse by source (the seed does not give one). */
export const appendixICounts = new Map(
  ReuseRateReport.seedAppendixI.figures.map((f): [string, ReuseRateReport.Counts] => [f.code, {
    received: f.received,
    reused: f.reused,
    reusedFromStore: f.reused - Math.floor(f.reused / 3),
    reusedFromEarlierDossier: Math.floor(f.reused / 2)
  }])
)

export const head = { position: 4242, headHash: "3f".repeat(32) }

export const build = (overrides: Partial<ReuseRateReport.Input> = {}): ReuseRateReport.ReuseRateReport => {
  const r = ReuseRateReport.make({
    period: ReuseRateReport.seedAppendixI.period,
    units: AdministrativeUnit.binhDinhAnLao,
    root: AdministrativeUnit.AN_LAO,
    counts: appendixICounts,
    targets: Target.anLao2024,
    computedFrom: head,
    ...overrides
  })
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

/** The An Lão report of Appendix I. */
export const anLaoReport = build()
