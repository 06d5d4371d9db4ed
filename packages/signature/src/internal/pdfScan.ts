/**
 * Finds signature dictionaries in raw PDF bytes without building the object graph: every
 * `/ByteRange` key is located with a native byte search, and only its enclosing object is parsed.
 * This is what keeps verification near the SHA-256 floor on large files, and it cannot loop on
 * cyclic references because it never follows any.
 */
import { type Budget, get, getName, type IndirectObject, latin1, Lexer, PdfSyntaxError, spend, spendScanned, textString, type Value } from "./pdfLexer.ts"

/** A signature dictionary as found in the file. */
export interface FoundSignature {
  readonly objectNumber: number
  readonly generation: number
  /** Offset of the object header; orders signatures by position. */
  readonly objectStart: number
  readonly fieldName: string | undefined
  readonly type: string | undefined
  readonly subFilter: string | undefined
  /** The ByteRange as written; `undefined` when it is not an array of integers. */
  readonly byteRange: ReadonlyArray<number> | undefined
  /** Span of the `/Contents` hex string including `<` and `>`; undefined when missing or not hex. */
  readonly contents: { readonly start: number; readonly end: number } | undefined
}

/** Every dictionary holding a `/ByteRange` key in `value`, by the key's offset; one walk per object. */
const byteRangeDicts = (budget: Budget, value: Value): Map<number, Value> => {
  const out = new Map<number, Value>()
  const stack: Array<Value> = [value]
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    spend(budget, 1)
    if (v.kind === "dict") {
      const key = v.entries.get("ByteRange")?.keyStart
      if (key !== undefined && !out.has(key)) out.set(key, v)
      for (const entry of v.entries.values()) stack.push(entry.value)
    } else if (v.kind === "array") stack.push(...v.items)
  }
  return out
}

/** Objects already parsed, by header offset (`null`: no object there), so each is parsed once. */
export type ObjectCache = Map<number, IndirectObject | null>

/** The object that starts at the last `N G obj` header before `pos`, if `pos` lies inside it. */
export const enclosingObject = (lexer: Lexer, pos: number, cache: ObjectCache = new Map()): IndirectObject | undefined => {
  const buf = lexer.buf
  let search = pos
  for (let attempts = 0; attempts < 4; attempts++) {
    const objAt = buf.lastIndexOf("obj", search, "latin1")
    spendScanned(lexer.budget, search - Math.max(0, objAt))
    if (objAt < 0) return undefined
    if (latin1(buf, Math.max(0, objAt - 3), objAt) === "end") return undefined
    const window = latin1(buf, Math.max(0, objAt - 32), objAt + 3)
    const m = /(\d+)\s+(\d+)\s+obj$/.exec(window)
    if (!m) {
      search = objAt - 1
      continue
    }
    const headerStart = objAt + 3 - m[0].length
    let object = cache.get(headerStart)
    if (object === undefined) {
      try {
        object = lexer.object(headerStart)
      } catch (e) {
        if (!(e instanceof PdfSyntaxError)) throw e
        object = null
      }
      cache.set(headerStart, object)
    }
    return object && object.start <= pos && pos < object.end ? object : undefined
  }
  return undefined
}

const integers = (value: Value | undefined): ReadonlyArray<number> | undefined => {
  if (value?.kind !== "array") return undefined
  const out: Array<number> = []
  for (const item of value.items) {
    if (item.kind !== "number" || !item.integer) return undefined
    out.push(item.value)
  }
  return out
}

/** Where each `/V N G R` reference of the file is (key "N G"), built once and only when needed. */
type FieldIndex = Map<string, Array<number>>

const buildFieldIndex = (lexer: Lexer): FieldIndex => {
  const buf = lexer.buf
  const index: FieldIndex = new Map()
  spendScanned(lexer.budget, buf.length)
  for (let at = buf.indexOf("/V ", 0, "latin1"); at >= 0; at = buf.indexOf("/V ", at + 3, "latin1")) {
    spend(lexer.budget, 1)
    const m = /^\/V (\d+) (\d+) ?R(?![0-9])/.exec(latin1(buf, at, at + 28))
    if (!m) continue
    const key = `${m[1]} ${m[2]}`
    const list = index.get(key)
    if (list) list.push(at)
    else index.set(key, [at])
  }
  return index
}

/** The field `/T` of the object holding `/V` at `at`, if any. */
const fieldNameAt = (lexer: Lexer, at: number, cache: ObjectCache): string | undefined => {
  const object = enclosingObject(lexer, at, cache)
  const t = object ? get(object.value, "T") : undefined
  if (t?.kind === "string") return textString(t.bytes)
  if (t?.kind === "hex") return textString(Buffer.from(latin1(lexer.buf, t.start + 1, t.end - 1).replace(/\s+/g, ""), "hex"))
  return undefined
}

/** The whole-file index of `/V` references, built on the first field not found near its value. */
interface LazyFieldIndex {
  index: FieldIndex | undefined
}

const fieldNameFor = (lexer: Lexer, num: number, gen: number, near: number, lazy: LazyFieldIndex, cache: ObjectCache): string | undefined => {
  const buf = lexer.buf
  // Fields usually sit within a few KiB of their value: search there first (bounded, so the cost
  // per signature does not grow with the file), then the whole file through an index built once;
  // once it exists, it answers every later signature.
  const fromIndex = (index: FieldIndex): string | undefined => {
    for (const at of index.get(`${num} ${gen}`) ?? []) {
      const name = fieldNameAt(lexer, at, cache)
      if (name !== undefined) return name
    }
    return undefined
  }
  if (lazy.index) return fromIndex(lazy.index)
  const from = Math.max(0, near - 65_536)
  const window = buf.subarray(from, Math.min(buf.length, near + 65_536))
  spendScanned(lexer.budget, 2 * window.length)
  for (const needle of [`/V ${num} ${gen} R`, `/V ${num} ${gen}R`]) {
    for (let at = window.indexOf(needle, 0, "latin1"); at >= 0; at = window.indexOf(needle, at + 1, "latin1")) {
      const next = window[at + needle.length]
      if (next !== undefined && next >= 0x30 && next <= 0x39) continue
      const name = fieldNameAt(lexer, from + at, cache)
      if (name !== undefined) return name
    }
  }
  lazy.index = buildFieldIndex(lexer)
  return fromIndex(lazy.index)
}

const NEEDLE = "yteRan"

/** Whether a byte continues a PDF name (so "/ByteRangeX" is not "/ByteRange"). */
const isNameChar = (c: number | undefined): boolean =>
  c !== undefined && c > 0x20 && c < 0x7f && !"()<>[]{}/%".includes(String.fromCharCode(c))

/** Every signature dictionary (anything holding a `/ByteRange`), in file order. */
export const findSignatures = (buf: Buffer, budget: Budget): Array<FoundSignature> => {
  const lexer = new Lexer(buf, budget)
  const out: Array<FoundSignature> = []
  const seen = new Set<number>()
  const index: LazyFieldIndex = { index: undefined }
  const cache: ObjectCache = new Map()
  /** The object of the previous hit: later hits inside it need no backward search or parse. */
  let last: { readonly object: IndirectObject; readonly dicts: Map<number, Value> } | undefined
  spendScanned(budget, buf.length)
  // Search the 6-byte "yteRan": Node's Buffer.indexOf uses a memchr-driven linear search for
  // needles under 7 bytes and Boyer-Moore-Horspool above, and on stream data the former is about
  // five times faster. Each hit is then checked for the whole "/ByteRange" key.
  for (let hit = buf.indexOf(NEEDLE, 0, "latin1"); hit >= 0; hit = buf.indexOf(NEEDLE, hit + 1, "latin1")) {
    spend(budget, 1)
    const at = hit - 2
    if (at < 0 || latin1(buf, at, at + 10) !== "/ByteRange" || isNameChar(buf[at + 10])) continue
    if (!last || at < last.object.start || at >= last.object.end) {
      const object = enclosingObject(lexer, at, cache)
      last = object ? { object, dicts: byteRangeDicts(budget, object.value) } : undefined
    }
    const object = last?.object
    const dict = last?.dicts.get(at)
    if (object && dict && !seen.has(at)) {
      seen.add(at)
      const contentsValue = get(dict, "Contents")
      out.push({
        objectNumber: object.num,
        generation: object.gen,
        objectStart: object.start,
        fieldName: fieldNameFor(lexer, object.num, object.gen, object.start, index, cache),
        type: getName(dict, "Type"),
        subFilter: getName(dict, "SubFilter"),
        byteRange: integers(get(dict, "ByteRange")),
        contents: contentsValue?.kind === "hex" ? { start: contentsValue.start, end: contentsValue.end } : undefined
      })
    }
  }
  return out
}

/**
 * Whether a revision (`%%EOF` plus an optional end-of-line) ends exactly at `end`: a ByteRange must
 * stop where its revision stops, or bytes of that revision are unsigned.
 */
export const revisionEndsAt = (buf: Buffer, end: number): boolean => {
  for (const eol of [0, 1, 2]) {
    const eof = end - eol - 5
    if (eof < 0 || latin1(buf, eof, eof + 5) !== "%%EOF") continue
    const tail = latin1(buf, eof + 5, end)
    if (tail === "" || tail === "\n" || tail === "\r" || tail === "\r\n") return true
  }
  return false
}

/**
 * The ends of the revisions (each after `%%EOF` and its end-of-line) from `from` on, with the end of
 * the file last when bytes follow the final `%%EOF`.
 */
export const revisionEndsFrom = (buf: Buffer, budget: Budget, from: number): Array<number> => {
  const ends: Array<number> = []
  const start = Math.max(0, from - 7)
  spendScanned(budget, buf.length - start)
  let at = buf.indexOf("%%EOF", start, "latin1")
  while (at >= 0) {
    spend(budget, 1)
    let end = at + 5
    if (buf[end] === 0x0d) end++
    if (buf[end] === 0x0a) end++
    if (end > from) ends.push(end)
    at = buf.indexOf("%%EOF", at + 5, "latin1")
  }
  if (ends.length === 0 || ends[ends.length - 1]! < buf.length) ends.push(buf.length)
  return ends
}
