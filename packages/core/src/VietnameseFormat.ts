/**
 * vi-VN presentation of numbers, rates and dates, done in one place so every report prints the same
 * figures the same way: `1.246` (dot groups thousands), `12,53` (comma before two decimals), `0` for
 * none out of some, `—` when there is nothing to divide (never a division by zero), `20/03/2024`.
 *
 * Rounding is exact (see `Ratio.toPercentHundredths`), not `Intl.NumberFormat`, whose output depends on
 * the ICU data of the machine and which rounds through floating point.
 *
 * @since 0.1.0
 */
import * as Ratio from "./Ratio.ts"
import { toVietnamese } from "./internal/isoDate.ts"

/**
 * What a rate over zero dossiers prints as: an em dash, "not applicable" (không phát sinh).
 *
 * @since 0.1.0
 */
export const NOT_APPLICABLE = "—"

/**
 * An integer with dots between groups of three digits: `3480` → `"3.480"`, `-1246` → `"-1.246"`.
 * Throws a `RangeError` for a non-integer (a programming error: counts are integers).
 *
 * @since 0.1.0
 */
export const integer = (n: number | bigint): string => {
  if (typeof n === "number" && !Number.isSafeInteger(n)) throw new RangeError(`expected a safe integer, got ${n}`)
  const b = BigInt(n)
  const digits = (b < 0n ? -b : b).toString()
  return (b < 0n ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".")
}

/**
 * A percentage with two decimals after a comma, from an exact ratio: `50/399` → `"12,53"`,
 * `2/400` → `"0,50"`. A zero numerator prints `"0"` (as the seed's tables do) and `null` — no
 * denominator — prints `"—"`. A tiny non-zero rate prints `"0,00"`, not `"0"`: it is not nothing.
 *
 * @since 0.1.0
 */
export const percent = (ratio: Ratio.Ratio | null): string => {
  if (ratio === null) return NOT_APPLICABLE
  if (ratio.numerator === 0) return "0"
  const h = Ratio.toPercentHundredths(ratio)
  const m = h < 0n ? -h : h
  return `${h < 0n ? "-" : ""}${integer(m / 100n)},${String(m % 100n).padStart(2, "0")}`
}

/**
 * The rate `numerator / denominator` as a vi-VN percentage (`rate(21, 1246)` → `"1,69"`; `"—"` when the
 * denominator is 0).
 *
 * @since 0.1.0
 */
export const rate = (numerator: number, denominator: number): string => percent(Ratio.make(numerator, denominator))

/**
 * An ISO date as Vietnamese documents write it: `2024-03-20` → `"20/03/2024"`.
 *
 * @since 0.1.0
 */
export const date = (iso: string): string => toVietnamese(iso)
