/**
 * Canonical JSON (the RFC 8785 ordering rules): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as `JSON.stringify` writes them.
 *
 * Why not plain `JSON.stringify`: after a round trip through `JSON.parse`, integer-like keys move to
 * the front of an object, so the same event would hash differently after an NDJSON export/import.
 *
 * Speed: events of one type share their key list, so the sorted order and the encoded `"key":`
 * prefixes are cached per key list (the output is byte-for-byte the same; `test/HashChain.test.ts`
 * checks it against the plain definition for arbitrary JSON).
 */
interface Shape {
  readonly keys: ReadonlyArray<string>
  readonly prefixes: ReadonlyArray<string>
}

const SEPARATOR = "\u0001"
const MAX_SHAPES = 4096
const shapes = new Map<string, Shape>()

const makeShape = (own: ReadonlyArray<string>): Shape => {
  const keys = own.slice().sort()
  return { keys, prefixes: keys.map((key) => JSON.stringify(key) + ":") }
}

const shapeOf = (own: ReadonlyArray<string>): Shape => {
  for (let i = 0; i < own.length; i++) {
    // a key holding the separator could make two key lists share an id: never cache those
    if (own[i]!.includes(SEPARATOR)) return makeShape(own)
  }
  // the count makes the id injective: [] and [""] would otherwise both be ""
  const id = own.length + SEPARATOR + own.join(SEPARATOR)
  let shape = shapes.get(id)
  if (shape === undefined) {
    shape = makeShape(own)
    if (shapes.size < MAX_SHAPES) shapes.set(id, shape)
  }
  return shape
}

export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") {
    // undefined has no JSON form; treat it as null like JSON.stringify does inside arrays
    return value === undefined ? "null" : JSON.stringify(value)
  }
  if (Array.isArray(value)) {
    let out = "["
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ","
      out += canonicalJson(value[i])
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
    out += prefixes[i]! + canonicalJson(v)
  }
  return out + "}"
}
