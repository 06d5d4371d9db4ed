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

/** Whether `document` could witness a status change for the owner's documents of its category. */
const canWitness = (document: Document, input: Input): boolean =>
  input.requirement.validity._tag === "FromIssueUntilStatusChange" &&
  document.ownerId === input.ownerId &&
  document.status._tag === "Active" &&
  document.signature.indication === "TOTAL_PASSED" &&
  document.openComplaints.length === 0

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

  describe("adding an ineligible document", () => {
    const withExtra = fc.tuple(Arbitraries.matchInput(), Arbitraries.document("extra"))

    it("never changes the outcome (unless it witnesses a status change)", () => {
      fc.assert(
        fc.property(withExtra, ([input, extra]) => {
          const after = { ...input, documents: [...input.documents, extra] }
          for (const [before, now] of [[Matching.match(input), Matching.match(after)], [fast(input), fast(after)]]) {
            if (keys(now!.eligible).includes(key(extra)) || canWitness(extra, input)) return
            expect(now!._tag).toBe(before!._tag)
            expect(now!.eligible).toEqual(before!.eligible)
            expect(keys(now!.excluded.map((e) => e.document)).filter((k) => k !== key(extra))).toEqual(
              keys(before!.excluded.map((e) => e.document))
            )
          }
        }),
        runs
      )
    })

    it("that witnesses a status change expires exactly the owner's earlier documents of its category", () => {
      const witnessing = fc.tuple(
        Arbitraries.matchInput({
          rule: Arbitraries.validityRule.filter((r) => r._tag === "FromIssueUntilStatusChange")
        }),
        Arbitraries.document("extra").map((d) => ({ ...d, visible: false }))
      )
      fc.assert(
        fc.property(witnessing, ([input, extra]) => {
          const after = { ...input, documents: [...input.documents, extra] }
          const before = Matching.match(input)
          const now = Matching.match(after)
          expect(keys(now.eligible)).not.toContain(key(extra)) // hidden
          const day = extra.issuedAt ?? extra.enteredAt.slice(0, 10)
          const expires = (d: Document) =>
            canWitness(extra, input) && day <= vietnamDay(input.asOf) && d.category === extra.category &&
            d.issuedAt !== null && d.issuedAt < day
          expect(now.eligible).toEqual(before.eligible.filter((d) => !expires(d)))
          expect(fast(after).eligible).toEqual(now.eligible)
        }),
        runs
      )
    })
  })
})
