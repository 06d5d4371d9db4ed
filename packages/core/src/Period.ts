/**
 * A reporting period: whole calendar days, both ends included, as the seed counts ("từ 1/1/2024 đến
 * 20/3/2024"). Dates are ISO strings; a dossier belongs to the period when the civil date (Vietnam time)
 * of its receipt lies within it — converting instants to civil dates is the projection's job.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { IsoDate } from "./internal/isoDate.ts"

/**
 * `from` … `to`, inclusive, with `from <= to`.
 *
 * @since 0.1.0
 */
export const Period = Schema.Struct({ from: IsoDate, to: IsoDate }).check(
  Schema.makeFilter((p: { readonly from: string; readonly to: string }) =>
    p.from <= p.to || `a period must not end (${p.to}) before it starts (${p.from})`
  )
)

/**
 * @since 0.1.0
 */
export type Period = typeof Period.Type

/**
 * Whether `date` lies in the period.
 *
 * @since 0.1.0
 */
export const contains = (period: Period, date: string): boolean => period.from <= date && date <= period.to

/**
 * Whether `outer` includes every day of `inner`.
 *
 * @since 0.1.0
 */
export const covers = (outer: Period, inner: Period): boolean => outer.from <= inner.from && inner.to <= outer.to

/**
 * Schema for an ISO calendar date (`YYYY-MM-DD`, a date that exists), shared by the dated models.
 *
 * @since 0.1.0
 */
export const CalendarDate = IsoDate
