/**
 * Conversions between Effect's `Result`, the Promise facade's `Result` and fp-ts's `Either` /
 * `TaskEither`. Effect's `Result<A, E>` is `Success | Failure`; fp-ts's `Either<E, A>` is
 * `Right | Left` — note the swapped type parameters.
 *
 * Gotcha: fp-ts values are built here as the plain objects fp-ts itself builds
 * (`{ _tag: "Right", right }`), so this module loads no fp-ts code at run time: fp-ts 2 ships
 * CommonJS without an `exports` map, and this keeps `@kho/fp-ts` importable as pure ESM.
 *
 * @since 0.1.0
 */
import type * as KhoResult from "@kho/promise/Result"
import { Effect, Result } from "effect"
import type { Either } from "fp-ts/lib/Either.js"
import type { Task } from "fp-ts/lib/Task.js"
import type { TaskEither } from "fp-ts/lib/TaskEither.js"

/**
 * fp-ts's `right`.
 *
 * @since 0.1.0
 */
export const right = <A, E = never>(value: A): Either<E, A> => ({ _tag: "Right", right: value })

/**
 * fp-ts's `left`.
 *
 * @since 0.1.0
 */
export const left = <E, A = never>(error: E): Either<E, A> => ({ _tag: "Left", left: error })

/**
 * Effect `Result<A, E>` → fp-ts `Either<E, A>`.
 *
 * @since 0.1.0
 */
export const fromResult = <A, E>(result: Result.Result<A, E>): Either<E, A> =>
  Result.isSuccess(result) ? right(result.success) : left(result.failure)

/**
 * fp-ts `Either<E, A>` → Effect `Result<A, E>`.
 *
 * @since 0.1.0
 */
export const toResult = <E, A>(either: Either<E, A>): Result.Result<A, E> =>
  either._tag === "Right" ? Result.succeed(either.right) : Result.fail(either.left)

/**
 * The Promise facade's `{ ok, value | error }` → fp-ts `Either`.
 *
 * @since 0.1.0
 */
export const fromKhoResult = <A, E>(result: KhoResult.Result<A, E>): Either<E, A> =>
  result.ok ? right(result.value) : left(result.error)

/**
 * fp-ts `Either` → the Promise facade's `{ ok, value | error }`.
 *
 * @since 0.1.0
 */
export const toKhoResult = <E, A>(either: Either<E, A>): KhoResult.Result<A, E> =>
  either._tag === "Right" ? { ok: true, value: either.right } : { ok: false, error: either.left }

/**
 * A facade call (`() => Promise<Result>`) as a `TaskEither`. Like every `TaskEither`, the task must
 * not reject; a facade call rejects only on a bug or a closed facade, and that rejection passes through.
 *
 * @since 0.1.0
 */
export const fromKhoCall = <A, E>(call: () => Promise<KhoResult.Result<A, E>>): TaskEither<E, A> => () =>
  call().then(fromKhoResult)

/**
 * An Effect with no requirements as a `TaskEither`: its typed failure becomes `Left`; defects and
 * interruption reject the task's Promise (they are bugs, not outcomes).
 *
 * @since 0.1.0
 */
export const fromEffect = <A, E>(effect: Effect.Effect<A, E>): TaskEither<E, A> => () =>
  Effect.runPromise(Effect.result(effect)).then(fromResult)

/**
 * A `TaskEither` as an Effect: `Left` becomes the typed failure; a rejected task is a defect.
 *
 * @since 0.1.0
 */
export const toEffect = <E, A>(task: TaskEither<E, A>): Effect.Effect<A, E> =>
  Effect.flatMap(Effect.promise(task), (either) => Effect.fromResult(toResult(either)))

/**
 * A `Task` (a Promise thunk that never rejects) as an Effect.
 *
 * @since 0.1.0
 */
export const fromTask = <A>(task: Task<A>): Effect.Effect<A> => Effect.promise(task)
