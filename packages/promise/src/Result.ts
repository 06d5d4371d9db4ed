/**
 * What every function of the Promise facade resolves to: `{ ok: true, value }` or
 * `{ ok: false, error }`, where `error` is a plain object discriminated by `_tag` (see `KhoError`).
 * Expected failures never reject: TypeScript cannot type a rejection, but it can make a caller look
 * at `ok` before touching `value` (docs/adr/0090). A rejection means a bug or a closed facade.
 *
 * ```ts
 * const uploaded = await kho.documents.upload(input, { actor })
 * if (!uploaded.ok) return reply(422, uploaded.error.message)
 * ```
 *
 * @since 0.1.0
 */

/**
 * Success.
 *
 * @since 0.1.0
 */
export interface Ok<A> {
  readonly ok: true
  readonly value: A
}

/**
 * Expected failure; `error._tag` says which.
 *
 * @since 0.1.0
 */
export interface Err<E> {
  readonly ok: false
  readonly error: E
}

/**
 * A value or a typed, plain error; narrow on `ok`.
 *
 * @since 0.1.0
 */
export type Result<A, E> = Ok<A> | Err<E>

/**
 * Builds a success.
 *
 * @since 0.1.0
 */
export const ok = <A>(value: A): Ok<A> => ({ ok: true, value })

/**
 * Builds a failure.
 *
 * @since 0.1.0
 */
export const err = <E>(error: E): Err<E> => ({ ok: false, error })

/**
 * Thrown by {@link getOrThrow}: an `Error` whose `error` is the plain failure and whose `message`
 * is its message, for code that prefers exceptions at one boundary (a test, a script).
 *
 * @since 0.1.0
 */
export class KhoFailure<E extends { readonly _tag: string; readonly message: string }> extends Error {
  readonly error: E
  constructor(error: E) {
    super(`${error._tag}: ${error.message}`)
    this.name = "KhoFailure"
    this.error = error
  }
}

/**
 * The value, or throws a {@link KhoFailure} carrying the error: opt in to exceptions explicitly.
 *
 * @since 0.1.0
 */
export const getOrThrow = <A, E extends { readonly _tag: string; readonly message: string }>(result: Result<A, E>): A => {
  if (result.ok) return result.value
  throw new KhoFailure(result.error)
}

/**
 * Awaits a facade call and unwraps it with {@link getOrThrow}.
 *
 * @since 0.1.0
 */
export const orThrow = async <A, E extends { readonly _tag: string; readonly message: string }>(
  promise: Promise<Result<A, E>>
): Promise<A> => getOrThrow(await promise)
