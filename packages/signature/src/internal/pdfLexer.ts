/**
 * A bounded PDF object lexer over raw bytes. It parses single objects where the scanner points it
 * (never the whole file), keeps byte offsets, and counts work against a budget so that hostile
 * input cannot make it loop or recurse without end.
 */

/** A PDF value with its byte span. */
export type Value =
  | { readonly kind: "dict"; readonly entries: ReadonlyMap<string, Entry>; readonly start: number; readonly end: number }
  | { readonly kind: "array"; readonly items: ReadonlyArray<Value>; readonly start: number; readonly end: number }
  | { readonly kind: "name"; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: "string"; readonly bytes: Uint8Array; readonly start: number; readonly end: number }
  | { readonly kind: "hex"; readonly start: number; readonly end: number }
  | { readonly kind: "number"; readonly value: number; readonly integer: boolean; readonly start: number; readonly end: number }
  | { readonly kind: "ref"; readonly num: number; readonly gen: number; readonly start: number; readonly end: number }
  | { readonly kind: "keyword"; readonly word: string; readonly start: number; readonly end: number }

/** A dictionary entry: the key's offset (the `/`) and its value. */
export interface Entry {
  readonly keyStart: number
  readonly value: Value
}

/** An indirect object `N G obj … endobj`. */
export interface IndirectObject {
  readonly num: number
  readonly gen: number
  readonly start: number
  readonly value: Value
  /** Span of the stream data, when the object is a stream. */
  readonly stream: { readonly start: number; readonly end: number } | undefined
  readonly end: number
}

/** Malformed syntax; the scanner treats the spot as "not an object". */
export class PdfSyntaxError extends Error {
  override readonly name = "PdfSyntaxError"
}

/** Raised when the work budget runs out: the file is too costly to examine. */
export class BudgetExceeded extends Error {
  override readonly name = "BudgetExceeded"
}

/**
 * A shared work counter. One unit is roughly a microsecond of work on one core: one token or
 * object, {@link SCANNED_BYTES_PER_UNIT} bytes hashed or searched by native code, or
 * {@link DECODED_BYTES_PER_UNIT} bytes inflated or walked byte by byte in JavaScript.
 */
export interface Budget {
  remaining: number
  /** Bytes hashed, searched, inflated or decoded so far (for the error message). */
  bytes: number
}

/** Bytes hashed or searched (SHA-256, `indexOf`: about 1.5 GB/s) per work unit. */
export const SCANNED_BYTES_PER_UNIT = 1024

/** Bytes inflated or walked in JavaScript (about 250 MB/s) per work unit. */
export const DECODED_BYTES_PER_UNIT = 256

/** A fresh budget of `units`. */
export const budgetOf = (units: number): Budget => ({ remaining: units, bytes: 0 })

/** Charges `units`; throws {@link BudgetExceeded} once the budget is spent. */
export const spend = (budget: Budget, units: number): void => {
  budget.remaining -= units
  if (budget.remaining < 0) throw new BudgetExceeded("work budget exhausted")
}

/** Charges bytes hashed or searched by native code. */
export const spendScanned = (budget: Budget, bytes: number): void => {
  budget.bytes += bytes
  spend(budget, bytes / SCANNED_BYTES_PER_UNIT)
}

/** Charges bytes inflated or walked byte by byte. */
export const spendDecoded = (budget: Budget, bytes: number): void => {
  budget.bytes += bytes
  spend(budget, bytes / DECODED_BYTES_PER_UNIT)
}

/** `toString("latin1")` clamped to the buffer (Node throws on out-of-range ends). */
export const latin1 = (b: Buffer, start: number, end: number): string => {
  const s = Math.max(0, Math.min(start, b.length))
  return b.toString("latin1", s, Math.max(s, Math.min(end, b.length)))
}

const isWhite = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00
const isDelim = (c: number): boolean =>
  c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d ||
  c === 0x2f || c === 0x25
const isRegular = (c: number | undefined): boolean => c !== undefined && !isWhite(c) && !isDelim(c)

const MAX_DEPTH = 32

/** Single-character escapes of literal strings (`\n`, `\(`, …) → the byte they stand for. */
const ESCAPES: Partial<Record<number, number>> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c }

/** A lexer bound to one buffer and budget. */
export class Lexer {
  readonly buf: Buffer
  readonly budget: Budget
  constructor(buf: Buffer, budget: Budget) {
    this.buf = buf
    this.budget = budget
  }

  private tick(): void {
    spend(this.budget, 1)
  }

  /** Skips whitespace and comments. */
  skip(pos: number): number {
    const b = this.buf
    const from = pos
    while (pos < b.length) {
      const c = b[pos]!
      if (isWhite(c)) pos++
      else if (c === 0x25) {
        while (pos < b.length && b[pos] !== 0x0a && b[pos] !== 0x0d) pos++
      } else break
    }
    if (pos - from > 64) spendDecoded(this.budget, pos - from)
    return pos
  }

  private regularEnd(pos: number): number {
    const b = this.buf
    const from = pos
    while (pos < b.length && isRegular(b[pos])) pos++
    if (pos - from > 64) spendDecoded(this.budget, pos - from)
    return pos
  }

  /** Parses the value starting at `pos` (after whitespace). */
  value(pos: number, depth = 0): Value {
    this.tick()
    if (depth > MAX_DEPTH) throw new PdfSyntaxError("nesting too deep")
    const b = this.buf
    const start = this.skip(pos)
    if (start >= b.length) throw new PdfSyntaxError("unexpected end of file")
    const c = b[start]!
    if (c === 0x3c && b[start + 1] === 0x3c) return this.dict(start, depth)
    if (c === 0x3c) {
      const close = b.indexOf(0x3e, start + 1)
      spendScanned(this.budget, (close < 0 ? b.length : close) - start)
      if (close < 0) throw new PdfSyntaxError("unterminated hex string")
      return { kind: "hex", start, end: close + 1 }
    }
    if (c === 0x5b) {
      const items: Array<Value> = []
      let p = start + 1
      for (;;) {
        p = this.skip(p)
        if (p >= b.length) throw new PdfSyntaxError("unterminated array")
        if (b[p] === 0x5d) return { kind: "array", items: this.refs(items), start, end: p + 1 }
        const item = this.value(p, depth + 1)
        items.push(item)
        p = item.end
      }
    }
    if (c === 0x2f) {
      const end = this.regularEnd(start + 1)
      return { kind: "name", name: decodeName(latin1(b, start + 1, end)), start, end }
    }
    if (c === 0x28) return this.literal(start)
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const end = this.regularEnd(start)
      const text = latin1(b, start, end)
      const value = Number(text)
      if (!Number.isFinite(value)) throw new PdfSyntaxError(`bad number "${text}"`)
      return { kind: "number", value, integer: /^[+-]?\d+$/.test(text), start, end }
    }
    const end = this.regularEnd(start)
    if (end === start) throw new PdfSyntaxError(`unexpected byte 0x${c.toString(16)} at ${start}`)
    return { kind: "keyword", word: latin1(b, start, end), start, end }
  }

  /** Folds `N G R` triples in a value list into references. */
  private refs(items: Array<Value>): Array<Value> {
    const out: Array<Value> = []
    for (let k = 0; k < items.length; k++) {
      const a = items[k]!
      const g = items[k + 1]
      const r = items[k + 2]
      if (a.kind === "number" && a.integer && g?.kind === "number" && g.integer && r?.kind === "keyword" && r.word === "R") {
        out.push({ kind: "ref", num: a.value, gen: g.value, start: a.start, end: r.end })
        k += 2
      } else out.push(a)
    }
    return out
  }

  private dict(start: number, depth: number): Value {
    const b = this.buf
    const entries = new Map<string, Entry>()
    let p = start + 2
    for (;;) {
      p = this.skip(p)
      if (p >= b.length) throw new PdfSyntaxError("unterminated dictionary")
      if (b[p] === 0x3e && b[p + 1] === 0x3e) return { kind: "dict", entries, start, end: p + 2 }
      const key = this.value(p, depth + 1)
      if (key.kind !== "name") throw new PdfSyntaxError(`dictionary key is not a name at ${key.start}`)
      let value = this.value(key.end, depth + 1)
      // An indirect reference "N G R" is three tokens.
      if (value.kind === "number" && value.integer) {
        const q = this.skip(value.end)
        if (b[q] !== undefined && b[q]! >= 0x30 && b[q]! <= 0x39) {
          const save = this.budget.remaining
          try {
            const gen = this.value(q, depth + 1)
            const r = this.value(gen.end, depth + 1)
            if (gen.kind === "number" && gen.integer && r.kind === "keyword" && r.word === "R") {
              value = { kind: "ref", num: value.value, gen: gen.value, start: value.start, end: r.end }
            }
          } catch (e) {
            if (e instanceof BudgetExceeded) throw e
            this.budget.remaining = Math.min(this.budget.remaining, save - 3)
          }
        }
      }
      if (!entries.has(key.name)) entries.set(key.name, { keyStart: key.start, value })
      p = value.end
    }
  }

  private literal(start: number): Value {
    const b = this.buf
    // First find the end (escapes and balanced parentheses), then decode into one buffer: no
    // per-byte array, so a string of many megabytes costs a few milliseconds.
    let depth = 1
    let p = start + 1
    while (p < b.length) {
      const c = b[p]!
      if (c === 0x5c) p += 2
      else {
        if (c === 0x28) depth++
        else if (c === 0x29 && --depth === 0) break
        p++
      }
    }
    spendDecoded(this.budget, Math.min(p, b.length) - start)
    if (p >= b.length) throw new PdfSyntaxError("unterminated string")
    const end = p
    const out = Buffer.allocUnsafe(end - start)
    let n = 0
    for (let q = start + 1; q < end;) {
      const c = b[q]!
      if (c !== 0x5c) {
        out[n++] = c
        q++
        continue
      }
      const e = b[q + 1]!
      const simple = ESCAPES[e]
      if (simple !== undefined) {
        out[n++] = simple
        q += 2
      } else if (e >= 0x30 && e <= 0x37) {
        let r = q + 1
        let v = 0
        while (r < q + 4 && r < end && b[r]! >= 0x30 && b[r]! <= 0x37) v = v * 8 + (b[r++]! - 0x30)
        out[n++] = v & 0xff
        q = r
      } else if (e === 0x0d || e === 0x0a) {
        q += e === 0x0d && b[q + 2] === 0x0a ? 3 : 2
      } else q += 2
    }
    return { kind: "string", bytes: Uint8Array.from(out.subarray(0, n)), start, end: end + 1 }
  }

  /** Parses `N G obj <value> [stream … endstream] endobj` at `pos`. */
  object(pos: number): IndirectObject {
    const b = this.buf
    const num = this.value(pos)
    const gen = this.value(num.end)
    const kw = this.value(gen.end)
    if (num.kind !== "number" || gen.kind !== "number" || kw.kind !== "keyword" || kw.word !== "obj") {
      throw new PdfSyntaxError(`no object header at ${pos}`)
    }
    const value = this.value(kw.end)
    let p = this.skip(value.end)
    let stream: { start: number; end: number } | undefined
    if (latin1(b, p, p + 6) === "stream") {
      let dataStart = p + 6
      if (b[dataStart] === 0x0d) dataStart++
      if (b[dataStart] === 0x0a) dataStart++
      const length = value.kind === "dict" ? value.entries.get("Length")?.value : undefined
      let dataEnd = -1
      if (length?.kind === "number" && length.integer && dataStart + length.value <= b.length) {
        const after = this.skip(dataStart + length.value)
        if (latin1(b, after, after + 9) === "endstream") dataEnd = dataStart + length.value
      }
      if (dataEnd < 0) {
        dataEnd = b.indexOf("endstream", dataStart, "latin1")
        spendScanned(this.budget, (dataEnd < 0 ? b.length : dataEnd) - dataStart)
        if (dataEnd < 0) throw new PdfSyntaxError("unterminated stream")
      }
      stream = { start: dataStart, end: dataEnd }
      p = this.skip(dataEnd + 9)
    }
    const end = latin1(b, p, p + 6) === "endobj" ? p + 6 : p
    return { num: num.value, gen: gen.value, start: this.skip(pos), value, stream, end }
  }
}

const decodeName = (raw: string): string => raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))

/** A dictionary entry's value, if the value is a dict. */
export const get = (value: Value | undefined, key: string): Value | undefined =>
  value?.kind === "dict" ? value.entries.get(key)?.value : undefined

/** A name entry, without the slash. */
export const getName = (value: Value | undefined, key: string): string | undefined => {
  const v = get(value, key)
  return v?.kind === "name" ? v.name : undefined
}

/** Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding ≈ Latin-1). */
export const textString = (bytes: Uint8Array): string => {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2))
    if (swapped.length % 2 === 1) return Buffer.from(bytes).toString("latin1")
    swapped.swap16()
    return swapped.toString("utf16le")
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return Buffer.from(bytes.subarray(3)).toString("utf8")
  return Buffer.from(bytes).toString("latin1")
}
