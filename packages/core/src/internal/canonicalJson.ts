/**
 * Canonical JSON (the RFC 8785 ordering rules): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as `JSON.stringify` writes them.
 *
 * Why not plain `JSON.stringify`: after a round trip through `JSON.parse`, integer-like keys move to
 * the front of an object, so the same event would hash differently after an NDJSON export/import.
 *
 * Speed (this sits on every append): {@link sortedCopy} rebuilds the value with every object's keys
 * inserted in sorted order, so that ONE native `JSON.stringify` writes the canonical text — about
 * twice as fast as concatenating it key by key in JavaScript, and it lets `HashChain` encode a whole
 * envelope in one call. The sorted key list of each object shape is cached (events of one type
 * share theirs). Values the copy cannot represent exactly (integer-like keys, which JavaScript
 * always enumerates first whatever the insertion order; `__proto__`, whose assignment sets the
 * prototype; functions, symbols and bigints, which `JSON.stringify` drops or refuses) take the
 * key-by-key path instead. Both paths give byte-for-byte the plain definition;
 * `test/HashChain.test.ts` checks it for arbitrary JSON and for awkward keys and values.
 */
interface Shape {
  /** The object's own keys in enumeration order (the cache key). */
  readonly own: ReadonlyArray<string>
  /** The same keys sorted by UTF-16 code units. */
  readonly keys: ReadonlyArray<string>
  /** `"key":` for each sorted key (the key-by-key path). */
  readonly prefixes: ReadonlyArray<string>
  /** Whether a copy with keys inserted in sorted order enumerates them in that order. */
  readonly copyable: boolean
}

const MAX_SHAPES = 4096
const MAX_SHAPES_PER_BUCKET = 16
const EMPTY: unique symbol = Symbol("empty")
/** Shapes bucketed by their first own key (`EMPTY` for `{}`), compared key by key within a bucket. */
const buckets = new Map<string | typeof EMPTY, Array<Shape>>()
let shapeCount = 0

/** An array index in the ECMAScript sense, or anything digit-only (conservative: never copied). */
const INDEX_LIKE = /^[0-9]+$/

const makeShape = (own: ReadonlyArray<string>): Shape => {
  const keys = own.slice().sort()
  let copyable = true
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    // integer-like keys are enumerated before all others whatever the insertion order, and
    // assigning `__proto__` would set the prototype rather than create a property
    if (key === "__proto__" || INDEX_LIKE.test(key)) copyable = false
  }
  return { own, keys, prefixes: keys.map((key) => JSON.stringify(key) + ":"), copyable }
}

const sameKeys = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false
  }
  return true
}

const shapeOf = (own: ReadonlyArray<string>): Shape => {
  const bucketKey = own.length === 0 ? EMPTY : own[0]!
  let bucket = buckets.get(bucketKey)
  if (bucket !== undefined) {
    for (let i = 0; i < bucket.length; i++) {
      const shape = bucket[i]!
      if (sameKeys(shape.own, own)) return shape
    }
  }
  // the key list is copied: the caller's array is not ours to keep
  const shape = makeShape(own.slice())
  if (shapeCount < MAX_SHAPES) {
    if (bucket === undefined) {
      bucket = []
      buckets.set(bucketKey, bucket)
    }
    if (bucket.length < MAX_SHAPES_PER_BUCKET) {
      bucket.push(shape)
      shapeCount++
    }
  }
  return shape
}

/** Returned by {@link sortedCopy} for values only the key-by-key path encodes exactly. */
export const UNSUPPORTED: unique symbol = Symbol("UNSUPPORTED")

/**
 * A copy of `value` whose `JSON.stringify` is its canonical JSON (objects rebuilt with their keys
 * inserted in sorted order, arrays copied), or {@link UNSUPPORTED}. `undefined` maps to itself
 * (`JSON.stringify` drops it in objects and writes `null` in arrays, as canonical JSON does).
 */
export const sortedCopy = (value: unknown): unknown => {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return value
    case "object":
      break
    default:
      // functions, symbols and bigints: JSON.stringify would drop or refuse them differently
      return UNSUPPORTED
  }
  if (value === null) return null
  if (Array.isArray(value)) {
    const length = value.length
    const out = new Array<unknown>(length)
    for (let i = 0; i < length; i++) {
      const item = sortedCopy(value[i])
      if (item === UNSUPPORTED) return UNSUPPORTED
      out[i] = item
    }
    return out
  }
  // the copy is a plain object whatever `value`'s prototype: `JSON.stringify` never sees a `toJSON`
  // or getter of the original, only its own enumerable keys, as the plain definition reads them
  const record = value as Record<string, unknown>
  const shape = shapeOf(Object.keys(record))
  if (!shape.copyable) return UNSUPPORTED
  const keys = shape.keys
  const out: Record<string, unknown> = {}
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const v = record[key]
    if (v === undefined) continue
    if (typeof v === "object" && v !== null) {
      const copy = sortedCopy(v)
      if (copy === UNSUPPORTED) return UNSUPPORTED
      out[key] = copy
    } else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      out[key] = v
    } else {
      return UNSUPPORTED
    }
  }
  return out
}

/** Canonical JSON written key by key: exact for any value, slower than one `JSON.stringify`. */
const keyByKey = (value: unknown): string => {
  if (value === null || typeof value !== "object") {
    // undefined has no JSON form; treat it as null like JSON.stringify does inside arrays
    return value === undefined ? "null" : JSON.stringify(value)
  }
  if (Array.isArray(value)) {
    let out = "["
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ","
      out += keyByKey(value[i])
    }
    return out + "]"
  }
  const record = value as Record<string, unknown>
  const { keys, prefixes } = shapeOf(Object.keys(record))
  let out = "{"
  let first = true
  for (let i = 0; i < keys.length; i++) {
    const v = record[keys[i]!]
    if (v === undefined) continue
    if (!first) out += ","
    first = false
    out += prefixes[i]! + keyByKey(v)
  }
  return out + "}"
}

/** The canonical JSON text of `value` (`"null"` for `undefined`). */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return keyByKey(value)
  const copy = sortedCopy(value)
  return copy === UNSUPPORTED ? keyByKey(value) : JSON.stringify(copy)
}
