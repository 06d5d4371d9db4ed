/**
 * Classifies the incremental updates appended after a signed revision. Allowed: a later signature
 * (its field, widget, appearance, the AcroForm and the page's /Annots), a document timestamp, DSS
 * validation data, and metadata (Info, XMP). Anything else — pages added or removed, content or
 * resources redefined, other annotations, objects freed, stray bytes — is "other", and fails.
 */
import * as Zlib from "node:zlib"
import {
  type Budget,
  BudgetExceeded,
  DECODED_BYTES_PER_UNIT,
  get,
  getName,
  type IndirectObject,
  latin1,
  Lexer,
  PdfSyntaxError,
  spend,
  spendDecoded,
  spendScanned,
  type Value
} from "./pdfLexer.ts"

/** What a revision did. */
export type RevisionKind = "signature" | "document-timestamp" | "dss" | "metadata" | "other"

/** One classified revision. */
export interface Revision {
  readonly start: number
  readonly end: number
  readonly kind: RevisionKind
  /** For "other": what was changed, for a person. */
  readonly detail: string
}

const INFO_KEYS = new Set(["Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate", "Trapped"])
const CATALOG_MUTABLE = new Set(["AcroForm", "DSS", "Perms", "Extensions", "Metadata", "Version"])
const DSS_KEYS = new Set(["Type", "OCSPs", "CRLs", "Certs", "VRI", "TU", "TS"])

const normalized = (buf: Buffer, v: Value): string =>
  latin1(buf, v.start, v.end).replace(/\s+/g, " ").replace(/\s*([[\]<>()/])\s*/g, "$1").trim()

/**
 * Whether two dictionaries agree on every key outside `mutable`. Two different references agree
 * when the objects they point to (as of before and after the update) have the same text: writers
 * often re-emit an identical resource dictionary under a new number.
 */
const sameExcept = (lexer: Lexer, a: Value, b: Value, mutable: ReadonlySet<string>, start: number, end: number): string | undefined => {
  const buf = lexer.buf
  if (a.kind !== "dict" || b.kind !== "dict") return "not a dictionary"
  const keys = new Set([...a.entries.keys(), ...b.entries.keys()])
  for (const key of keys) {
    if (mutable.has(key)) continue
    const x = a.entries.get(key)?.value
    const y = b.entries.get(key)?.value
    if (!x || !y) return `/${key} changed`
    if (normalized(buf, x) === normalized(buf, y)) continue
    if (x.kind === "ref" && y.kind === "ref") {
      const old = previousDefinition(lexer, x.num, x.gen, start)
      const now = previousDefinition(lexer, y.num, y.gen, end)
      if (old && now && !old.stream && !now.stream && normalized(buf, old.value) === normalized(buf, now.value)) continue
    }
    return `/${key} changed`
  }
  return undefined
}

/**
 * Object headers of one file. Looking a definition up by searching backwards costs up to the whole
 * file per object, so once those searches have scanned the file a few times over (many revisions,
 * many objects), every `N G obj` header is indexed in one pass and later look-ups read the list of
 * that object number's headers.
 */
interface Definitions {
  scanned: number
  headers: Map<string, Array<number>> | undefined
}

const definitionsOf = new WeakMap<Buffer, Definitions>()

const indexHeaders = (buf: Buffer, budget: Budget): Map<string, Array<number>> => {
  spendDecoded(budget, buf.length)
  const headers = new Map<string, Array<number>>()
  for (const m of buf.toString("latin1").matchAll(/(?<![0-9])(\d+) (\d+) obj/g)) {
    spend(budget, 1)
    const key = `${m[1]} ${m[2]}`
    const list = headers.get(key)
    if (list) list.push(m.index)
    else headers.set(key, [m.index])
  }
  return headers
}

/** Offsets where `num gen obj` starts at or before `last`, nearest first (not preceded by a digit). */
function* candidatesBefore(lexer: Lexer, num: number, gen: number, last: number): Generator<number> {
  const buf = lexer.buf
  let defs = definitionsOf.get(buf)
  if (!defs) {
    defs = { scanned: 0, headers: undefined }
    definitionsOf.set(buf, defs)
  }
  if (!defs.headers && defs.scanned > 4 * buf.length) defs.headers = indexHeaders(buf, lexer.budget)
  if (defs.headers) {
    const offsets = defs.headers.get(`${num} ${gen}`) ?? []
    for (let k = offsets.length - 1; k >= 0; k--) {
      spend(lexer.budget, 1)
      if (offsets[k]! <= last) yield offsets[k]!
    }
    return
  }
  const needle = `${num} ${gen} obj`
  let from = last
  while (from >= 0) {
    const at = buf.lastIndexOf(needle, from, "latin1")
    const scanned = from - Math.max(0, at)
    defs.scanned += scanned
    spendScanned(lexer.budget, scanned)
    if (at < 0) return
    const prev = buf[at - 1]
    if (at === 0 || prev === undefined || !(prev >= 0x30 && prev <= 0x39)) yield at
    from = at - 1
  }
}

/** The last definition of object `num gen` before `before`. */
const previousDefinition = (lexer: Lexer, num: number, gen: number, before: number): IndirectObject | undefined => {
  for (const at of candidatesBefore(lexer, num, gen, before - `${num} ${gen} obj`.length)) {
    try {
      return lexer.object(at)
    } catch (e) {
      if (!(e instanceof PdfSyntaxError)) throw e
    }
  }
  return undefined
}

/** Objects of a revision segment, object streams unpacked. */
const objectsIn = (lexer: Lexer, start: number, end: number): Array<{ object: IndirectObject; packed: boolean }> | string => {
  const buf = lexer.buf
  spendDecoded(lexer.budget, end - start)
  const text = latin1(buf, start, end)
  const header = /(?:^|[^0-9])(\d+)\s+(\d+)\s+obj\b/g
  const out: Array<{ object: IndirectObject; packed: boolean }> = []
  let m: RegExpExecArray | null
  while ((m = header.exec(text)) !== null) {
    spend(lexer.budget, 1)
    const at = start + m.index + m[0].indexOf(m[1]!)
    let object: IndirectObject
    try {
      object = lexer.object(at)
    } catch (e) {
      if (e instanceof PdfSyntaxError) return `unparseable object at byte ${at}`
      throw e
    }
    out.push({ object, packed: false })
    header.lastIndex = Math.max(header.lastIndex, object.end - start)
    if (getName(object.value, "Type") === "ObjStm") {
      const unpacked = unpack(lexer.budget, buf, object)
      if (typeof unpacked === "string") return unpacked
      out.push(...unpacked.map((o) => ({ object: o, packed: true })))
    }
  }
  return out
}

/** The most an object stream may inflate to. */
const MAX_OBJECT_STREAM_BYTES = 16 * 1024 * 1024

const unpack = (budget: Budget, buf: Buffer, stream: IndirectObject): Array<IndirectObject> | string => {
  if (!stream.stream) return "object stream without data"
  const filter = getName(stream.value, "Filter")
  if (filter !== "FlateDecode" || get(stream.value, "DecodeParms")) return `object stream with unsupported filter ${filter ?? "(array)"}`
  let data: Buffer
  // Never inflate more than the budget can pay for: a stream that would is a Timeout, not "other".
  const affordable = Math.max(0, Math.floor(budget.remaining * DECODED_BYTES_PER_UNIT))
  const limit = Math.max(1, Math.min(MAX_OBJECT_STREAM_BYTES, affordable))
  try {
    data = Zlib.inflateSync(buf.subarray(stream.stream.start, stream.stream.end), { maxOutputLength: limit })
  } catch (e) {
    const tooLarge = (e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE"
    if (tooLarge && limit < MAX_OBJECT_STREAM_BYTES) {
      spendDecoded(budget, limit + 1)
      throw new BudgetExceeded("work budget exhausted")
    }
    return tooLarge ? "object stream inflates to more than 16 MiB" : "object stream does not inflate"
  }
  spendDecoded(budget, data.length)
  const n = get(stream.value, "N")
  const first = get(stream.value, "First")
  if (n?.kind !== "number" || first?.kind !== "number") return "object stream without /N or /First"
  const lexer = new Lexer(data, budget)
  const out: Array<IndirectObject> = []
  let p = 0
  for (let k = 0; k < n.value; k++) {
    try {
      const num = lexer.value(p)
      const off = lexer.value(num.end)
      p = off.end
      if (num.kind !== "number" || off.kind !== "number") return "bad object stream header"
      const value = lexer.value(first.value + off.value)
      out.push({ num: num.value, gen: 0, start: stream.start, value, stream: undefined, end: stream.end })
    } catch (e) {
      if (e instanceof PdfSyntaxError) return "bad object stream"
      throw e
    }
  }
  return out
}

const freedObjects = (buf: Buffer, budget: Budget, start: number, end: number): Array<number> => {
  spendDecoded(budget, end - start)
  const text = latin1(buf, start, end)
  const freed: Array<number> = []
  const xref = text.indexOf("xref")
  if (xref < 0 || text.startsWith("startxref", xref - 5)) return freed
  const lines = text.slice(xref + 4, text.indexOf("trailer", xref) >>> 0).split(/\r\n|\r|\n/)
  let num = 0
  for (const line of lines) {
    const sub = /^\s*(\d+)\s+(\d+)\s*$/.exec(line)
    if (sub) {
      num = Number(sub[1])
      continue
    }
    const entry = /^\s*(\d{10})\s+(\d{5})\s+([nf])/.exec(line)
    if (entry) {
      if (entry[3] === "f" && num !== 0) freed.push(num)
      num++
    }
  }
  return freed
}

/** Classifies the revision `[start, end)`. */
export const classify = (buf: Buffer, budget: Budget, start: number, end: number): Revision => {
  const lexer = new Lexer(buf, budget)
  const other = (detail: string): Revision => ({ start, end, kind: "other", detail })
  const objects = objectsIn(lexer, start, end)
  if (typeof objects === "string") return other(objects)
  if (objects.length === 0) {
    const text = latin1(buf, start, end)
    if (text.trim() === "" || /^\s*(xref\b[\s\S]*)?startxref\s+\d+\s+%%EOF\s*$/.test(text)) {
      return { start, end, kind: "metadata", detail: "no objects changed" }
    }
    return other(`${end - start} bytes appended that are not a PDF update`)
  }
  for (const num of freedObjects(buf, budget, start, end)) {
    if (previousDefinition(lexer, num, 0, start)) return other(`object ${num} deleted`)
  }
  const sigAppearances = new Set<number>()
  let kind: RevisionKind = "metadata"
  const rank: Record<RevisionKind, number> = { metadata: 0, dss: 1, "document-timestamp": 2, signature: 3, other: 4 }
  const raise = (k: RevisionKind) => {
    if (rank[k] > rank[kind]) kind = k
  }
  for (const { object } of objects) {
    const v = object.value
    if (get(v, "FT")?.kind === "name" && getName(v, "FT") === "Sig") {
      const ap = get(get(v, "AP"), "N")
      if (ap?.kind === "ref") sigAppearances.add(ap.num)
    }
  }
  for (const { object } of objects) {
    const v = object.value
    const type = getName(v, "Type")
    const subtype = getName(v, "Subtype")
    const label = `object ${object.num}${type ? ` (/${type})` : ""}`
    if (type === "XRef" || type === "ObjStm") continue
    const previous = previousDefinition(lexer, object.num, object.gen, start)
    if (get(v, "ByteRange")) {
      if (previous) return other(`${label}: an existing signature dictionary was redefined`)
      raise(getName(v, "SubFilter") === "ETSI.RFC3161" || type === "DocTimeStamp" ? "document-timestamp" : "signature")
      continue
    }
    if (type === "Pages") return other(`${label}: the page tree changed`)
    if (type === "Page") {
      if (!previous) return other(`${label}: a page was added`)
      const diff = sameExcept(lexer, previous.value, v, new Set(["Annots"]), start, end)
      if (diff) return other(`${label}: page ${diff}`)
      continue
    }
    if (type === "Catalog") {
      if (previous) {
        const diff = sameExcept(lexer, previous.value, v, CATALOG_MUTABLE, start, end)
        if (diff) return other(`${label}: catalog ${diff}`)
      }
      if (get(v, "DSS")) raise("dss")
      continue
    }
    if (type === "Annot" || subtype === "Widget" || get(v, "FT")) {
      if (subtype !== "Widget" && type === "Annot") return other(`${label}: a /${subtype ?? "?"} annotation was added or changed`)
      if (getName(v, "FT") !== "Sig") return other(`${label}: a form field other than a signature field changed`)
      if (previous && getName(previous.value, "FT") !== "Sig") return other(`${label}: a non-signature field became a signature field`)
      continue
    }
    if (type === "DSS" || type === "VRI" || (v.kind === "dict" && [...v.entries.keys()].every((k) => DSS_KEYS.has(k)) && v.entries.size > 0 && (v.entries.has("OCSPs") || v.entries.has("CRLs") || v.entries.has("Certs")))) {
      raise("dss")
      continue
    }
    if (get(v, "Fields")) continue // the AcroForm dictionary
    if (type === "Metadata" || (v.kind === "dict" && v.entries.size > 0 && [...v.entries.keys()].every((k) => INFO_KEYS.has(k)))) continue
    if (!previous) continue // a new object is reachable only through the changes allowed above
    if ((type === "XObject" || subtype === "Form") && sigAppearances.has(object.num)) continue
    return other(`${label}: an existing object was redefined`)
  }
  return { start, end, kind, detail: kind }
}
