/**
 * The errors of the Promise facade: each of core's `Schema.TaggedError`s turned into a plain,
 * frozen, JSON-serialisable object with the same `_tag`, the same fields and its `message` (a
 * sentence a person can act on). Narrow with `switch (error._tag)`; the union of possible tags is
 * in each function's type, so the compiler checks the cases.
 *
 * Gotcha: a store error's `cause` (the driver's exception) is dropped: it is not data, and it would
 * make the error unserialisable. The facade logs nothing; log `error.message` yourself.
 *
 * @since 0.1.0
 */
import type { Cause } from "effect"

/**
 * The keys {@link KhoError} drops: the `Error` machinery (`stack`, `name`, …) and the `cause`.
 *
 * @since 0.1.0
 */
export type ErrorKeys = keyof Cause.YieldableError | "cause"

/**
 * The plain form of a tagged error `E` (a union maps member by member).
 *
 * @since 0.1.0
 */
export type KhoError<E> = E extends { readonly _tag: string } ?
    & { readonly [K in Exclude<keyof E, ErrorKeys | symbol>]: E[K] }
    & { readonly message: string }
  : never

/**
 * Any error of the facade.
 *
 * @since 0.1.0
 */
export interface AnyKhoError {
  readonly _tag: string
  readonly message: string
  readonly [field: string]: unknown
}

/**
 * Turns a tagged error (an `Error` with `_tag`) into its plain form; anything else becomes
 * `{ _tag: "UnknownError", message }`.
 *
 * @since 0.1.0
 */
export const fromTagged = <E>(error: E): KhoError<E> => {
  if (typeof error === "object" && error !== null && typeof (error as { _tag?: unknown })._tag === "string") {
    const { cause: _cause, ...fields } = error as Record<string, unknown> & { readonly cause?: unknown }
    const tagged = error as unknown as { readonly _tag: string; readonly message?: unknown }
    return Object.freeze({
      ...fields,
      _tag: tagged._tag,
      message: typeof tagged.message === "string" ? tagged.message : String(tagged._tag)
    }) as KhoError<E>
  }
  return Object.freeze({ _tag: "UnknownError", message: String(error) }) as unknown as KhoError<E>
}
