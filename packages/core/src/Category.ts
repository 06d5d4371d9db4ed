/**
 * The category catalog (Danh mục giấy tờ): which kinds of document a store holds, each with a stable
 * code and the default validity rule the matching engine starts from. The catalog is data — the
 * built-in one comes from the seed (`data/categories.ts`), a deployment may load its own — and it is
 * validated by Schema when loaded, so a bad entry is refused with a typed error instead of surfacing
 * later as a document nobody can match.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { categories } from "./data/categories.ts"

/**
 * A category code: lower-case ASCII words joined by dashes (`giay-khai-sinh`). Codes are stable:
 * events store them, so a code is never renamed, only retired.
 *
 * @since 0.1.0
 */
export const CategoryCode = Schema.String.check(
  Schema.makeFilter((s: string) =>
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s) && s.length <= 64
      ? undefined
      : `a category code is lower-case ASCII words joined by dashes (giay-khai-sinh), at most 64 characters; got ${
        JSON.stringify(s)
      }`
  )
).pipe(Schema.brand("CategoryCode"))

/**
 * @since 0.1.0
 */
export type CategoryCode = typeof CategoryCode.Type

/**
 * How long a document of a category stays valid, by default.
 *
 * @since 0.1.0
 */
export const ValidityRule = Schema.Union([
  /** Never expires (certified copies, birth certificates). */
  Schema.TaggedStruct("NoExpiry", {}),
  /** The document states its own validity (`validUntil` on the document). */
  Schema.TaggedStruct("AsIssued", {}),
  /** Valid `months` months from the day of issue. */
  Schema.TaggedStruct("Months", {
    months: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 120 })),
    note: Schema.optionalKey(Schema.String)
  }),
  /** Each procedure sets how recent the document must be (criminal-record certificates). */
  Schema.TaggedStruct("SetByProcedure", {})
])

/**
 * @since 0.1.0
 */
export type ValidityRule = typeof ValidityRule.Type

/**
 * One catalog entry.
 *
 * @since 0.1.0
 */
export const Category = Schema.Struct({
  code: CategoryCode,
  /** The Vietnamese name shown in the store screens. */
  name: Schema.String.check(Schema.makeFilter((s: string) => s.trim().length > 0 ? undefined : "a category needs a name")),
  validity: ValidityRule
})

/**
 * @since 0.1.0
 */
export type Category = typeof Category.Type

/**
 * A catalog failed validation; `message` names the entry and what is wrong with it.
 *
 * @since 0.1.0
 */
export class InvalidCatalog extends Schema.TaggedError<InvalidCatalog>()("InvalidCatalog", {
  message: Schema.String
}) {}

/**
 * A validated catalog.
 *
 * @since 0.1.0
 */
export interface Catalog {
  readonly entries: ReadonlyArray<Category>
  /** The entry with this code, if any. */
  readonly get: (code: string) => Category | undefined
}

const decodeEntries = Schema.decodeUnknownResult(Schema.Array(Category))

/**
 * Validates catalog data: every entry well formed, codes and names unique.
 *
 * @since 0.1.0
 */
export const load = (data: unknown): Result.Result<Catalog, InvalidCatalog> => {
  const decoded = decodeEntries(data)
  if (Result.isFailure(decoded)) {
    return Result.fail(new InvalidCatalog({ message: `the category catalog is invalid: ${decoded.failure.message}` }))
  }
  const entries = decoded.success
  const byCode = new Map<string, Category>()
  const names = new Set<string>()
  for (const [index, entry] of entries.entries()) {
    if (byCode.has(entry.code)) {
      return Result.fail(
        new InvalidCatalog({ message: `the category catalog lists code ${entry.code} twice (again at entry ${index})` })
      )
    }
    const name = entry.name.normalize("NFC")
    if (names.has(name)) {
      return Result.fail(
        new InvalidCatalog({ message: `the category catalog lists "${entry.name}" twice (again at entry ${index})` })
      )
    }
    byCode.set(entry.code, entry)
    names.add(name)
  }
  return Result.succeed({ entries, get: (code) => byCode.get(code) })
}

/**
 * The built-in catalog of the seed. Loading it cannot fail unless the shipped data is wrong,
 * which the test suite would catch; if it ever did, importing this module throws the `InvalidCatalog`.
 *
 * @since 0.1.0
 */
export const defaultCatalog: Catalog = Result.getOrThrow(load(categories))
