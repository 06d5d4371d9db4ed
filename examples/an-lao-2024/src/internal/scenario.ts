/**
 * What the example's own generator shares with `@kho/testing/AnLao2024` without being exported by
 * it: a clock the generator sets, a seeded PRNG, Vietnam-time helpers, placeholder PDFs and a
 * verifier that accepts them (signatures are `@kho/signature`'s subject, not this example's).
 */
import type { Actor } from "@kho/core/Actor"
import * as FileStore from "@kho/core/FileStore"
import type { SignatureReport } from "@kho/core/SignatureReport"
import { Clock, Effect } from "effect"

export const MINUTE = 60_000
export const DAY = 86_400_000
const VN_OFFSET = 7 * 3_600_000

/** Milliseconds of `day` (YYYY-MM-DD) at `minutes` past midnight in Vietnam (UTC+7). */
export const vn = (day: string, minutes: number): number => Date.parse(`${day}T00:00:00.000Z`) - VN_OFFSET + minutes * MINUTE

/** An ISO instant. */
export const iso = (millis: number): string => new Date(millis).toISOString()

/** The Vietnamese calendar day of an instant. */
export const vnDay = (millis: number): string => iso(millis + VN_OFFSET).slice(0, 10)

/** mulberry32: small, fast and the same on every platform (the same seed gives the same log). */
export const prng = (seed: number) => {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    pick: <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)]!
  }
}

export type Prng = ReturnType<typeof prng>

/** A clock the generator sets: every command happens, and every event is recorded, at its scenario time. */
export const scenarioClock = () => {
  let now = 0
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => now,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanosUnsafe: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => BigInt(now) * 1_000_000n,
    monotonicTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    // nothing here waits; a retry backoff would only be skipped
    sleep: () => Effect.void
  }
  return {
    clock,
    set: (millis: number) => {
      now = millis
    },
    iso: () => iso(now)
  }
}

const encoder = new TextEncoder()

/** A placeholder PDF, distinct per label (the file store is content-addressed). */
export const pdf = (label: string): Uint8Array => encoder.encode(`%PDF-1.7\n% Kho, An Lão 2024 (what-if): ${label}\n%%EOF\n`)

/** The verdict of the permissive test verifier: every file passes. */
export const passed = (bytes: Uint8Array, validationTime: string): SignatureReport => ({
  indication: "TOTAL_PASSED",
  subIndication: null,
  reason: "example: every file is accepted (signatures are tested in @kho/signature)",
  validationTime,
  documentSha256: FileStore.sha256(bytes),
  signatures: []
})

/** A citizen acting on their own store and dossiers. */
export const citizen = (personalId: string): Actor => ({ _tag: "Citizen", personalId })

/** An officer of the unit (`cb.<unit slug>`), who receives dossiers and issues results. */
export const officerOf = (unitCode: string, agencyCode: string): Actor => ({
  _tag: "Officer",
  officerId: `cb.${unitCode.split(".").at(-1)}`,
  agencyCode,
  roles: ["receiver", "issuer"]
})
