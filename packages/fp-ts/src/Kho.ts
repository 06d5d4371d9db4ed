/**
 * Kho for teams on fp-ts: the Promise facade of `@kho/promise` with every function returning a
 * `TaskEither<KhoError, A>` instead of a `Promise<Result>`. Same groups, same names, same errors.
 *
 * ```ts
 * import * as TE from "fp-ts/lib/TaskEither.js"
 * import { pipe } from "fp-ts/lib/function.js"
 * const kho = await createKho({ store: "memory", fileStore: "memory", verifier })()
 * const number = pipe(kho.dossiers.submit("hs-1", { actor }), TE.map((s) => s.number))
 * ```
 *
 * @since 0.1.0
 */
import * as Facade from "@kho/promise/Kho"
import type * as KhoResult from "@kho/promise/Result"
import type { Task } from "fp-ts/lib/Task.js"
import type { TaskEither } from "fp-ts/lib/TaskEither.js"
import { fromKhoResult, left, right } from "./Interop.ts"

/**
 * A facade function turned into one returning a `TaskEither`.
 *
 * @since 0.1.0
 */
export type ToTaskEither<F> = F extends (...args: infer P) => Promise<KhoResult.Result<infer A, infer E>>
  ? (...args: P) => TaskEither<E, A>
  : never

/**
 * The groups of functions the fp-ts facade wraps from the Promise one.
 *
 * @since 0.1.0
 */
export type Groups = "documents" | "dossiers" | "complaints" | "kpi"

/**
 * The fp-ts facade: `documents`, `dossiers`, `complaints`, `kpi` as in `@kho/promise`.
 *
 * @since 0.1.0
 */
export type Kho =
  & { readonly [G in Groups]: { readonly [K in keyof Facade.Kho[G]]: ToTaskEither<Facade.Kho[G][K]> } }
  & {
    /** The Promise facade underneath (and its `runtime`, for Effect code). */
    readonly promise: Facade.Kho
    /** Closes the stores; later calls reject. */
    readonly close: Task<void>
  }

/**
 * Options of {@link createKho}: those of `@kho/promise`'s `createKho`.
 *
 * @since 0.1.0
 */
export type Options = Facade.Options

const groups: ReadonlyArray<Groups> = ["documents", "dossiers", "complaints", "kpi"]

/**
 * Wraps a Promise facade (e.g. one shared with code that uses Promises).
 *
 * @since 0.1.0
 */
export const fromFacade = (facade: Facade.Kho): Kho => {
  const wrapped: Record<string, Record<string, unknown>> = {}
  for (const group of groups) {
    const functions = facade[group] as unknown as Record<string, (...args: ReadonlyArray<unknown>) => Promise<KhoResult.Result<unknown, unknown>>>
    wrapped[group] = Object.fromEntries(
      Object.entries(functions).map(([name, f]) => [name, (...args: ReadonlyArray<unknown>) => () => f(...args).then(fromKhoResult)])
    )
  }
  return { ...(wrapped as unknown as Pick<Kho, Groups>), promise: facade, close: () => facade.close() }
}

/**
 * Opens the stores: `Left` with the store's error when one cannot be opened (see `@kho/promise`).
 *
 * @since 0.1.0
 */
export const createKho = (options: Options): TaskEither<Error, Kho> => () =>
  Facade.createKho(options).then(
    (facade) => right(fromFacade(facade)),
    (error: unknown) => left(error instanceof Error ? error : new Error(String(error)))
  )
