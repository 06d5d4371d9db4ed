// The matching rules' properties over generated stores and requirements (1 000 runs each), checked in
// both modes: explain (`match`) and fast (`matchIndexed` over `index`).
import { describe, expect, it } from "@effect/vitest"
import * as Arbitraries from "@kho/testing/Arbitraries"
import * as fc from "fast-check"
import type { Document } from "../src/Document.ts"
import * as Matching from "../src/Matching.ts"
import type { Period } from "../src/Procedure.ts"

const runs = { numRuns: 1000 }

type Input = Matching.MatchInput

const key = (d: Document) => `${d.ownerId}/${d.id}`
const keys = (documents: ReadonlyArray<Document>) => documents.map(key)
const sorted = (values: ReadonlyArray<string>) => [...values].sort()

const fast = (input: Input): Matching.MatchOutcome => Matching.matchIndexed(Matching.index(input.documents), input)

/** Both modes, with the candidates each one considers. */
const modes = (input: Input) => [
  { name: "explain", outcome: Matching.match(input), candidates: input.documents },
  { name: "fast", outcome: fast(input), candidates: Matching.candidates(Matching.index(input.documents), input) }
]

// an oracle for validity, written independently of the engine (with Date, in UTC)
const DAY = 86_400_000
const vietnamDay = (instant: string) => new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 10)
const endOf = (issuedAt: string, period: Period): string => {
  const [y, m, d] = issuedAt.split("-").map(Number) as [number, number, number]
  if (period._tag === "Days") return new Date(Date.UTC(y, m - 1, d) + period.days * DAY).toISOString().slice(0, 10)
  const lastDay = new Date(Date.UTC(y, m - 1 + period.months + 1, 0)).getUTCDate()
  return new Date(Date.UTC(y, m - 1 + period.months, Math.min(d, lastDay))).toISOString().slice(0, 10)
}
const expiredOrNotYetValid = (document: Document, input: Input): boolean => {
  const today = vietnamDay(input.asOf)
  if (document.validity._tag === "Until" && document.validity.validUntil < today) return true
  if (document.validity.validFrom !== null && document.validity.validFrom > today) return true
  if (document.issuedAt !== null && document.issuedAt > today) return true
  const rule = input.requirement.validity
  if (rule._tag === "NoneByLaw") return false
  return document.issuedAt === null || endOf(document.issuedAt, rule.period) < today
}

describe("Matching properties", () => {
  it("auto-attaches iff exactly one document is eligible, suggests iff several", () => {
    fc.assert(
      fc.property(Arbitraries.matchInput(), (input) => {
        for (const { outcome } of modes(input)) {
          expect(outcome._tag === "AutoAttach").toBe(outcome.eligible.length === 1)
          expect(outcome._tag === "Suggest").toBe(outcome.eligible.length > 1)
          expect(outcome._tag === "None").toBe(outcome.eligible.length === 0)
          if (outcome._tag === "AutoAttach") expect(outcome.document).toBe(outcome.eligible[0])
        }
      }),
      runs
    )
  })

  it("never attaches or suggests another owner's document", () => {
    fc.assert(
      fc.property(Arbitraries.matchInput(), (input) => {
        for (const { outcome } of modes(input)) {
          const used = outcome._tag === "AutoAttach"
            ? [outcome.document]
            : outcome._tag === "Suggest"
            ? outcome.documents
            : []
          for (const document of [...used, ...outcome.eligible]) expect(document.ownerId).toBe(input.ownerId)
        }
      }),
      runs
    )
  })

  it("suggests only eligible documents, each once", () => {
    fc.assert(
      fc.property(Arbitraries.matchInput(), (input) => {
        for (const { outcome } of modes(input)) {
          if (outcome._tag !== "Suggest") continue
          const eligible = new Set(keys(outcome.eligible))
          for (const k of keys(outcome.documents)) expect(eligible.has(k)).toBe(true)
          expect(new Set(keys(outcome.documents)).size).toBe(outcome.documents.length)
        }
      }),
      runs
    )
  })

  it("partitions the candidates into eligible and excluded, every exclusion with its reasons in order", () => {
    fc.assert(
      fc.property(Arbitraries.matchInput(), (input) => {
        for (const { candidates, outcome } of modes(input)) {
          const eligible = keys(outcome.eligible)
          const excluded = outcome.excluded.map((e) => key(e.document))
          expect(sorted([...eligible, ...excluded])).toEqual(sorted(keys(candidates)))
          for (const exclusion of outcome.excluded) {
            const order = exclusion.reasons.map((r) => Matching.reasonTags.indexOf(r._tag))
            expect(order.length).toBeGreaterThan(0)
            expect(order).toEqual([...order].sort((a, b) => a - b))
            expect(exclusion.reasons.some((r) => r._tag === "OtherOwner")).toBe(
              exclusion.document.ownerId !== input.ownerId
            )
          }
        }
      }),
      runs
    )
  })

  it("does not depend on the order documents were added", () => {
    const shuffled = Arbitraries.matchInput().chain((input) =>
      fc.shuffledSubarray([...input.documents], {
        minLength: input.documents.length,
        maxLength: input.documents.length
      }).map((documents) => [input, { ...input, documents }] as const)
    )
    fc.assert(
      fc.property(shuffled, ([input, reordered]) => {
        expect(Matching.match(reordered)).toEqual(Matching.match(input))
        expect(fast(reordered)).toEqual(fast(input))
      }),
      runs
    )
  })

  it("never auto-attaches an expired, not yet valid, revoked, superseded, removed or complained document", () => {
    fc.assert(
      fc.property(Arbitraries.matchInput(), (input) => {
        for (const { outcome } of modes(input)) {
          for (const document of outcome.eligible) {
            expect(document.status._tag).toBe("Active")
            expect(document.openComplaints).toEqual([])
            expect(expiredOrNotYetValid(document, input)).toBe(false)
          }
        }
      }),
      runs
    )
  })

  it("is deterministic", () => {
    fc.assert(
      fc.property(Arbitraries.matchInput(), (input) => {
        const copy = structuredClone(input)
        expect(Matching.match(copy)).toEqual(Matching.match(input))
        expect(fast(copy)).toEqual(fast(input))
      }),
      runs
    )
  })

  it("agrees across modes: same decision and eligible documents; fast mode's exclusions are explain mode's for its candidates", () => {
    fc.assert(
      fc.property(Arbitraries.matchInput(), (input) => {
        const explained = Matching.match(input)
        const quick = fast(input)
        expect(quick._tag).toBe(explained._tag)
        expect(quick.eligible).toEqual(explained.eligible)
        const considered = new Set(keys(Matching.candidates(Matching.index(input.documents), input)))
        expect(quick.excluded).toEqual(explained.excluded.filter((e) => considered.has(key(e.document))))
      }),
      runs
    )
  })

  describe("adding a document", () => {
    const withExtra = fc.tuple(Arbitraries.matchInput(), Arbitraries.document("extra"))

    const untilStatusChanges = Arbitraries.matchInput({
      rule: Arbitraries.validityRule.filter((r) => r._tag === "FromIssueUntilStatusChange")
    })
    /** A category to add a document in: mostly one of an eligible document's, else an accepted one. */
    const categoryFor = (input: Input, k: number): string => {
      const eligible = Matching.match(input).eligible
      return eligible.length > 0
        ? eligible[k % eligible.length]!.category
        : input.requirement.categories[k % input.requirement.categories.length]!
    }
    /** Active, signature passed, undisputed: what the earlier rule asked of a status-change witness. */
    const trustworthy = (document: Document): Document => ({
      ...document,
      status: { _tag: "Active" },
      openComplaints: [],
      signature: { ...document.signature, indication: "TOTAL_PASSED", subIndication: null }
    })
    /** One way a trustworthy document can still be unusable for a component (or none). */
    const flaw = fc.constantFrom<(document: Document) => Document>(
      (d) => ({ ...d, visible: false }),
      (d) => ({ ...d, shared: false }),
      (d) => ({ ...d, provenance: { _tag: "Uploaded" }, type: "PersonalDocument" }),
      (d) => ({ ...d, issuedAt: null }),
      (d) => ({ ...d, validity: { _tag: "Until", validFrom: null, validUntil: "2023-06-30" } }),
      (d) => d
    )
    /** Adds `extra`; if it is not eligible afterwards, requires the outcome to be otherwise the same. */
    const unchangedUnlessEligible = (input: Input, extra: Document): boolean => {
      const after = { ...input, documents: [...input.documents, extra] }
      let ineligible = false
      for (const [before, now] of [[Matching.match(input), Matching.match(after)], [fast(input), fast(after)]] as const) {
        if (keys(now.eligible).includes(key(extra))) continue
        ineligible = true
        expect(now._tag).toBe(before._tag)
        expect(now.eligible).toEqual(before.eligible)
        // every other exclusion, its reasons included, is untouched
        expect(now.excluded.filter((e) => key(e.document) !== key(extra))).toEqual(before.excluded)
      }
      return ineligible
    }

    it("never changes the outcome when the added document is ineligible", () => {
      fc.assert(fc.property(withExtra, ([input, extra]) => void unchangedUnlessEligible(input, extra)), runs)
    })

    it("never changes the outcome when it is a later, ineligible document under an until-the-status-changes rule", () => {
      // the case an earlier rule let through: the owner's later, active, signed, undisputed certificate
      // of an accepted category that this component cannot use (hidden, unshared, wrong form, undated,
      // past its printed validity, issued after as-of, …)
      const later = fc.tuple(untilStatusChanges, Arbitraries.document("extra"), fc.nat(), flaw).map(
        ([input, extra, k, flawed]) => {
          const latest = input.documents.reduce((day, d) => (d.issuedAt !== null && d.issuedAt > day ? d.issuedAt : day), "")
          const issuedAt = extra.issuedAt === null || extra.issuedAt > latest ? extra.issuedAt : latest
          return [input, flawed(trustworthy({ ...extra, ownerId: input.ownerId, category: categoryFor(input, k), issuedAt }))] as const
        }
      )
      let retiredBefore = 0
      let ineligible = 0
      fc.assert(
        fc.property(later, ([input, extra]) => {
          if (!unchangedUnlessEligible(input, extra)) return
          ineligible++
          // the earlier rule retired the owner's earlier documents for any active, signed, undisputed
          // later one (even undated, by its entry day); now they stay eligible
          const today = vietnamDay(input.asOf)
          const day = extra.issuedAt ?? extra.enteredAt.slice(0, 10)
          if (
            day <= today &&
            Matching.match(input).eligible.some((d) => d.category === extra.category && d.issuedAt! < day)
          ) retiredBefore++
        }),
        runs
      )
      // the generator reaches the cases that matter
      expect(ineligible).toBeGreaterThan(runs.numRuns / 4)
      expect(retiredBefore).toBeGreaterThan(runs.numRuns / 50)
    })

    it("that is eligible under an until-the-status-changes rule retires exactly the owner's earlier eligible documents of its category", () => {
      const usable = fc.tuple(untilStatusChanges, Arbitraries.document("extra"), fc.nat()).map(([input, extra, k]) =>
        [input, trustworthy({ ...extra, visible: true, shared: true, ownerId: input.ownerId, category: categoryFor(input, k) })] as const
      )
      let witnesses = 0
      let retired = 0
      fc.assert(
        fc.property(usable, ([input, extra]) => {
          const after = { ...input, documents: [...input.documents, extra] }
          const before = Matching.match(input)
          const now = Matching.match(after)
          expect(fast(after).eligible).toEqual(now.eligible)
          if (!keys(now.eligible).includes(key(extra))) return // ineligible: the properties above
          // eligible, so no witness is later: it is the latest of its category ("extra" > "doc-…" on ties)
          witnesses++
          const day = extra.issuedAt!
          const retires = (d: Document) => d.category === extra.category && d.issuedAt! < day
          if (before.eligible.some(retires)) retired++
          expect(now.eligible.filter((d) => key(d) !== key(extra))).toEqual(before.eligible.filter((d) => !retires(d)))
          for (const d of before.eligible.filter(retires)) {
            const exclusion = now.excluded.find((e) => key(e.document) === key(d))
            expect(exclusion?.reasons).toEqual([{
              _tag: "ExpiredForProcedure",
              procedure: input.procedure.code,
              basis: { _tag: "StatusChanged", laterDocumentId: "extra", laterIssuedAt: day }
            }])
          }
        }),
        runs
      )
      expect(witnesses).toBeGreaterThan(runs.numRuns / 20)
      expect(retired).toBeGreaterThan(runs.numRuns / 100)
    })
  })
})
