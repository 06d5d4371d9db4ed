/**
 * Finds signature dictionaries in raw PDF bytes without building the object graph: every
 * `/ByteRange` key is located with a native byte search, and only its enclosing object is parsed.
 * This is what keeps verification near the SHA-256 floor on large files, and it cannot loop on
 * cyclic references because it never follows any.
 */
import { type Budget, BudgetExceeded, get, getName, type IndirectObject, latin1, Lexer, PdfSyntaxError, textString, type Value } from "./pdfLexer.ts"

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

const findInValue = (value: Value, keyStart: number): Value | undefined => {
  if (value.kind === "dict") {
    if (value.entries.get("ByteRange")?.keyStart === keyStart) return value
    for (const entry of value.entries.values()) {
      const hit = findInValue(entry.value, keyStart)
      if (hit) return hit
    }
  } else if (value.kind === "array") {
    for (const item of value.items) {
      const hit = findInValue(item, keyStart)
      if (hit) return hit
    }
  }
  return undefined
}

/** The object that starts at the last `N G obj` header before `pos`, if `pos` lies inside it. */
export const enclosingObject = (lexer: Lexer, pos: number): IndirectObject | undefined => {
  const buf = lexer.buf
  let search = pos
  for (let attempts = 0; attempts < 4; attempts++) {
    const objAt = buf.lastIndexOf("obj", search, "latin1")
    if (objAt < 0) return undefined
    if (latin1(buf, Math.max(0, objAt - 3), objAt) === "end") return undefined
    const window = latin1(buf, Math.max(0, objAt - 32), objAt + 3)
    const m = /(\d+)\s+(\d+)\s+obj$/.exec(window)
    if (!m) {
      search = objAt - 1
      continue
    }
    const headerStart = objAt + 3 - m[0].length
    try {
      const object = lexer.object(headerStart)
      return object.start <= pos && pos < object.end ? object : undefined
    } catch (e) {
      if (e instanceof PdfSyntaxError) return undefined
      throw e
    }
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

const fieldNameFor = (lexer: Lexer, num: number, gen: number, near: number): string | undefined => {
  const buf = lexer.buf
  const needles = [`/V ${num} ${gen} R`, `/V ${num} ${gen}R`]
  // Fields usually sit within a few KiB of their value; search there first, then the whole file.
  const windows: Array<[number, number]> = [[Math.max(0, near - 65_536), Math.min(buf.length, near + 65_536)], [0, buf.length]]
  for (const [from, to] of windows) {
    for (const needle of needles) {
      let at = buf.indexOf(needle, from, "latin1")
      while (at >= 0 && at < to) {
        const next = buf[at + needle.length]
        if (next === undefined || !(next >= 0x30 && next <= 0x39)) {
          const object = enclosingObject(lexer, at)
          const t = object ? get(object.value, "T") : undefined
          if (t?.kind === "string") return textString(t.bytes)
          if (t?.kind === "hex") return textString(Buffer.from(latin1(buf, t.start + 1, t.end - 1).replace(/\s+/g, ""), "hex"))
        }
        at = buf.indexOf(needle, at + 1, "latin1")
      }
    }
  }
  return undefined
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
  // Search the 6-byte "yteRan": Node's Buffer.indexOf uses a memchr-driven linear search for
  // needles under 7 bytes and Boyer-Moore-Horspool above, and on stream data the former is about
  // five times faster. Each hit is then checked for the whole "/ByteRange" key.
  for (let hit = buf.indexOf(NEEDLE, 0, "latin1"); hit >= 0; hit = buf.indexOf(NEEDLE, hit + 1, "latin1")) {
    if (--budget.remaining < 0) throw new BudgetExceeded("work budget exhausted")
    const at = hit - 2
    if (at < 0 || latin1(buf, at, at + 10) !== "/ByteRange" || isNameChar(buf[at + 10])) continue
    const object = enclosingObject(lexer, at)
    const dict = object ? findInValue(object.value, at) : undefined
    if (object && dict && !seen.has(at)) {
      seen.add(at)
      const contentsValue = get(dict, "Contents")
      out.push({
        objectNumber: object.num,
        generation: object.gen,
        objectStart: object.start,
        fieldName: fieldNameFor(lexer, object.num, object.gen, object.start),
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

/** The ends of the revisions that finish after `from` (each after `%%EOF` and its end-of-line). */
export const revisionEndsAfter = (buf: Buffer, from: number): Array<number> => {
  const ends: Array<number> = []
  let at = buf.indexOf("%%EOF", Math.max(0, from - 7), "latin1")
  while (at >= 0) {
    let end = at + 5
    if (buf[end] === 0x0d) end++
    if (buf[end] === 0x0a) end++
    if (end > from) ends.push(end)
    at = buf.indexOf("%%EOF", at + 5, "latin1")
  }
  if (ends.length === 0 || ends[ends.length - 1]! < buf.length) ends.push(buf.length)
  return ends
}
