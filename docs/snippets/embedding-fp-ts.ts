/**
 * The fp-ts sample of docs/embedding.md §3: `createKho` as a `TaskEither`, a pipeline of two calls
 * and the Effect `Result` bridge. Only typechecked (ADR 0099); `packages/fp-ts/README.md`'s example
 * runs the same calls.
 */
import type { Actor } from "@kho/core/Actor"
import type { IssueInput } from "@kho/core/DocumentStoreService"

// #region fp-ts
import { createKho, Interop } from "@kho/fp-ts"
import * as E from "fp-ts/lib/Either.js" // fp-ts 2 has no exports map: import lib/*.js from ESM
import { pipe } from "fp-ts/lib/function.js"
import * as TE from "fp-ts/lib/TaskEither.js"

const created = await createKho(options)() // TaskEither<Error, Kho>
if (E.isLeft(created)) throw created.left
const kho = created.right
const names = await pipe(
  kho.documents.issue(input, { actor: police }), // TaskEither<KhoError, Outcome>
  TE.chainW(() => kho.documents.search({ ownerId, text: "can cuoc" }, citizen)), // the reader: owner or auditor
  TE.map((page) => page.items.map((entry) => entry.name))
)() // Either<KhoError, Array<string>>
const asResult = Interop.toResult(names) // the same, as Effect's Result
// #endregion fp-ts

// what the page leaves out: the options (as for @kho/promise), the input and who acts
declare const options: Parameters<typeof createKho>[0]
declare const input: IssueInput
declare const police: Actor
declare const citizen: Actor
declare const ownerId: string

export { asResult }
