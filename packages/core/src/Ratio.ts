/**
 * Exact ratios of integers, for rates and targets: a KPI is a count divided by a count, and rounding
 * happens once, when it is shown (`VietnameseFormat`). Floating point mis-rounds values that sit exactly on
 * a half (201/20000 is 1,005 %, stored as 1.00499…); integer arithmetic does not.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * `numerator / denominator` with a positive denominator. A rate over zero dossiers is not a ratio:
 * callers represent it as `null` ("not applicable"), never as 0.
 *
 * @since 0.1.0
 */
export const Ratio = Schema.Struct({
  numerator: Schema.Int,
  denominator: Schema.Int.check(Schema.isGreaterThan(0))
})

/**
 * @since 0.1.0
 */
export type Ratio = typeof Ratio.Type

/**
 * The ratio `numerator / denominator`, or `null` when the denominator is 0 (nothing to divide).
 *
 * @since 0.1.0
 */
export const make = (numerator: number, denominator: number): Ratio | null => {
  assertInteger(numerator)
  assertInteger(denominator)
  if (denominator === 0) return null
  return denominator < 0 ? { numerator: -numerator, denominator: -denominator } : { numerator, denominator }
}

/**
 * A whole percentage as a ratio: `percent(60)` is 60/100.
 *
 * @since 0.1.0
 */
export const percent = (value: number): Ratio => {
  assertInteger(value)
  return { numerator: value, denominator: 100 }
}

/**
 * `a − b`, exactly (e.g. the gap between a target and an achieved rate).
 *
 * @since 0.1.0
 */
export const subtract = (a: Ratio, b: Ratio): Ratio => {
  const n = BigInt(a.numerator) * BigInt(b.denominator) - BigInt(b.numerator) * BigInt(a.denominator)
  const d = BigInt(a.denominator) * BigInt(b.denominator)
  const g = gcd(n < 0n ? -n : n, d)
  return { numerator: toSafe(n / g), denominator: toSafe(d / g) }
}

/**
 * -1, 0 or 1 as `a` is below, equal to or above `b`.
 *
 * @since 0.1.0
 */
export const compare = (a: Ratio, b: Ratio): -1 | 0 | 1 => {
  const l = BigInt(a.numerator) * BigInt(b.denominator)
  const r = BigInt(b.numerator) * BigInt(a.denominator)
  return l < r ? -1 : l > r ? 1 : 0
}

/**
 * The ratio as a percentage in hundredths of a percent, rounded half away from zero ("half-up" on the
 * magnitude, the rounding Vietnamese reports use): 50/399 → 1253n (12,53 %), 2/400 → 50n (0,50 %).
 * Exact: computed on integers, so there are no floating-point artefacts.
 *
 * @since 0.1.0
 */
export const toPercentHundredths = (r: Ratio): bigint => {
  const n = BigInt(r.numerator) * 10000n
  const d = BigInt(r.denominator)
  const magnitude = ((n < 0n ? -n : n) * 2n + d) / (2n * d)
  return n < 0n ? -magnitude : magnitude
}

/**
 * The percentage with two decimals and a dot, for machine-readable outputs (CSV, logs): `"12.53"`,
 * `"-3.20"`. People get `VietnameseFormat.percent` instead.
 *
 * @since 0.1.0
 */
export const toPercentString = (r: Ratio): string => {
  const h = toPercentHundredths(r)
  const m = h < 0n ? -h : h
  return `${h < 0n ? "-" : ""}${m / 100n}.${String(m % 100n).padStart(2, "0")}`
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b]
  return a === 0n ? 1n : a
}

const toSafe = (n: bigint): number => {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`ratio term ${n} exceeds the safe integer range`)
  }
  return Number(n)
}

const assertInteger = (n: number): void => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`expected a safe integer, got ${n}`)
}
