/**
 * Schema evolution: every event type has a current schema version, and an upcaster is a pure
 * function from the stored JSON of one version to the JSON of the next. Reading applies the chain
 * (v1 → v2 → … → current) before decoding; writing always uses the current version. The log is
 * never rewritten, so old hashes stay valid (see ADR 0012).
 *
 * Kho's own events evolve through {@link builtIn} (today: `DocumentSuperseded` v1 → v2, ADR 0112),
 * which {@link CurrentRegistry} uses unless a program provides another registry. An application
 * with events of its own extends it:
 *
 * ```ts
 * const shipmentV1 = Upcaster.make({
 *   type: "ParcelShipped",
 *   fromVersion: 1,
 *   from: Schema.Struct({ _tag: Schema.Literal("ParcelShipped"), weightGrams: Schema.Number }),
 *   upcast: ({ weightGrams, ...rest }) => ({ ...rest, weight: { value: weightGrams, unit: "g" } }),
 *   description: "v1 had a bare `weightGrams`; v2 has `weight: { value, unit }`"
 * })
 * const registry = Upcaster.registry([shipmentV1]) // ParcelShipped is now at version 2
 * program.pipe(Effect.provide(Upcaster.layer(registry))) // Kho's own steps are added
 * ```
 *
 * @since 0.1.0
 */
import { Context, Layer, Result, Schema } from "effect"
import { DocumentSupersededV1, supersededV1ToV2 } from "./DocumentStore.ts"

/**
 * One step of evolution for one event type: from `fromVersion` to `fromVersion + 1`.
 *
 * @since 0.1.0
 */
export interface Upcaster {
  readonly type: string
  readonly fromVersion: number
  /** Turns the stored JSON at `fromVersion` into the JSON at `fromVersion + 1`, or says why it cannot. */
  readonly upcast: (data: unknown) => Result.Result<unknown, string>
  /** What changed, in a sentence (docs/events.md lists it under the event). */
  readonly description?: string
}

/**
 * Defines an upcaster. The stored JSON is first decoded with `from` (describe the old shape as it
 * sits in the log, plain JSON); `upcast` returns the JSON of the next version, which is what the
 * next step (or the event's current schema) decodes.
 *
 * @since 0.1.0
 */
export const make = <A>(options: {
  readonly type: string
  readonly fromVersion: number
  readonly from: Schema.Codec<A, any>
  readonly upcast: (data: A) => unknown
  readonly description?: string
}): Upcaster => {
  const decode = Schema.decodeUnknownResult(options.from)
  return {
    type: options.type,
    fromVersion: options.fromVersion,
    ...(options.description === undefined ? {} : { description: options.description }),
    upcast: (data) => {
      const decoded = decode(data)
      return Result.isSuccess(decoded)
        ? Result.succeed(options.upcast(decoded.success))
        : Result.fail(`its data does not have the version ${options.fromVersion} shape: ${decoded.failure.message}`)
    }
  }
}

/**
 * The upcasters of every event type, and therefore each type's current version (1 + the highest
 * `fromVersion`; 1 for a type that never changed).
 *
 * @since 0.1.0
 */
export interface Registry {
  /** Upcasters by type, at index `fromVersion - 1`. */
  readonly steps: ReadonlyMap<string, ReadonlyArray<Upcaster>>
}

/**
 * A registry with no upcasters: every type is at version 1. Gotcha: not for Kho's own events, some of
 * which are past version 1 (use {@link kho}); it suits tests of other schemas.
 *
 * @since 0.1.0
 */
export const empty: Registry = { steps: new Map() }

/**
 * Builds a registry. Throws at start-up (a programming error) when a type's steps do not run
 * 1 → 2 → … without gaps or duplicates, since a missing step would make old events unreadable.
 *
 * @since 0.1.0
 */
export const registry = (upcasters: Iterable<Upcaster>): Registry => {
  const steps = new Map<string, Array<Upcaster>>()
  for (const upcaster of upcasters) {
    const list = steps.get(upcaster.type) ?? []
    if (!Number.isInteger(upcaster.fromVersion) || upcaster.fromVersion < 1) {
      throw new Error(`upcaster for ${upcaster.type} starts from version ${upcaster.fromVersion}; versions start at 1`)
    }
    if (list[upcaster.fromVersion - 1] !== undefined) {
      throw new Error(`two upcasters for ${upcaster.type} start from version ${upcaster.fromVersion}`)
    }
    list[upcaster.fromVersion - 1] = upcaster
    steps.set(upcaster.type, list)
  }
  for (const [type, list] of steps) {
    for (let i = 0; i < list.length; i++) {
      if (list[i] === undefined) {
        throw new Error(`${type} has no upcaster from version ${i + 1} to ${i + 2}; old events could not be read`)
      }
    }
  }
  return { steps }
}

/**
 * The version new events of `type` are written at.
 *
 * @since 0.1.0
 */
export const currentVersion = (registry: Registry, type: string): number =>
  (registry.steps.get(type)?.length ?? 0) + 1

/**
 * Brings stored JSON up to the current version of its type. Fails (with a sentence) when the event
 * is from a newer version than this software knows, or a step refuses the data.
 *
 * @since 0.1.0
 */
export const upcast = (
  registry: Registry,
  type: string,
  schemaVersion: number,
  data: unknown
): Result.Result<unknown, string> => {
  const steps = registry.steps.get(type)
  const current = (steps?.length ?? 0) + 1
  if (schemaVersion === current) return Result.succeed(data)
  if (schemaVersion > current || schemaVersion < 1 || !Number.isInteger(schemaVersion)) {
    return Result.fail(
      `${type} version ${schemaVersion} is unknown to this software, which reads versions 1 to ${current}: upgrade it`
    )
  }
  let value = data
  for (let version = schemaVersion; version < current; version++) {
    const step = steps![version - 1]!.upcast(value)
    if (Result.isFailure(step)) {
      return Result.fail(`cannot upcast ${type} from version ${version} to ${version + 1}: ${step.failure}`)
    }
    value = step.success
  }
  return Result.succeed(value)
}

/**
 * The upcasters of Kho's own events, oldest change first. Each step is documented on the event it
 * changes and in docs/events.md.
 *
 * - `DocumentSuperseded` 1 → 2 (ADR 0112): version 1 did not record the officer; `officerId` is `null`.
 *
 * @since 0.1.0
 */
export const builtIn: ReadonlyArray<Upcaster> = [
  make({
    type: "DocumentSuperseded",
    fromVersion: 1,
    from: DocumentSupersededV1,
    upcast: supersededV1ToV2,
    description: "Version 1 did not record the officer: it is read with `officerId: null` (the event's envelope `actor` names them)."
  })
]

/**
 * The registry of Kho's own events ({@link builtIn}): what {@link CurrentRegistry} holds by default.
 *
 * @since 0.1.0
 */
export const kho: Registry = registry(builtIn)

/**
 * The registry in use. Defaults to {@link kho}; {@link layer} adds Kho's own steps to the registry it
 * is given. Gotcha: provide your registry everywhere events are written or read, or new events of
 * your evolved types would be written at version 1.
 *
 * @since 0.1.0
 */
export const CurrentRegistry: Context.Reference<Registry> = Context.Reference<Registry>(
  "@kho/core/Upcaster/CurrentRegistry",
  { defaultValue: () => kho }
)

/**
 * `registry` with Kho's own steps ({@link builtIn}) for the types it does not evolve itself. Without
 * them, providing a registry of one's own events would silently write `DocumentSuperseded` at version
 * 1 and read its officer back as `null`. Throws (a programming error) when `registry` gives one of
 * Kho's types other steps than Kho's; extending them past Kho's last version is allowed.
 */
const withBuiltIn = (registry: Registry): Registry => {
  const steps = new Map(registry.steps)
  for (const [type, own] of kho.steps) {
    const given = steps.get(type)
    if (given === undefined) steps.set(type, own)
    else if (given.length < own.length || own.some((step, i) => given[i] !== step)) {
      throw new Error(`the registry replaces Kho's own upcasters of ${type}: build it from [...Upcaster.builtIn, ...yours]`)
    }
  }
  return { steps }
}

/**
 * Provides the registry to command handling, projections and replays, with Kho's own upcasters
 * ({@link builtIn}) added for the types it does not evolve itself.
 *
 * @since 0.1.0
 */
export const layer = (registry: Registry): Layer.Layer<never> => Layer.succeed(CurrentRegistry, withBuiltIn(registry))
