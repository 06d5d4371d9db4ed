/**
 * Canonical JSON (the RFC 8785 ordering rules): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as `JSON.stringify` writes them.
 *
 * Why not plain `JSON.stringify`: after a round trip through `JSON.parse`, integer-like keys move to
 * the front of an object, so the same event would hash differently after an NDJSON export/import.
 */
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
  const keys = Object.keys(record).sort()
  let out = "{"
  let first = true
  for (const key of keys) {
    const v = record[key]
    if (v === undefined) continue
    if (!first) out += ","
    first = false
    out += JSON.stringify(key) + ":" + canonicalJson(v)
  }
  return out + "}"
}
