/**
 * Classifies the incremental updates appended after a signed revision. Allowed: a later signature
 * (its signature dictionary, its field and widget signed in the same revision, their appearance,
 * the AcroForm and the page's /Annots gaining that widget), a document timestamp, DSS validation
 * data, and metadata (Info, XMP). Anything else — pages added or removed, content or resources
 * redefined, other annotations, a signed widget redefined, the catalog's /Perms or the trailer's
 * /Root changed, objects freed, stray bytes — is "other", and fails.
 *
 * Two rules keep what an update declares from deciding how it is judged (docs/adr/0125):
 * - the update's objects are the entries of its cross-reference section (table, hybrid or stream,
 *   object streams unpacked), plus every `N G obj` header anywhere in its bytes that parses, so an
 *   object hidden from one reading is found by the other; an entry with no such object fails;
 * - a redefined object is judged by its PREVIOUS definition (through the signed revision's xref
 *   chain, else the last header before the update): the keys the new definition declares
 *   (/Type, /Fields, …) never make a page's content stream into metadata or DSS.
 * Form filling (DocMDP P=2) and annotations (P=3) are not allowed: they fail as "other".
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
const DSS_KEYS = new Set(["Type", "OCSPs", "CRLs", "Certs", "VRI", "TU", "TS"])

/** The decompressed data of each object unpacked from an object stream: its offsets point there. */
const packedSource = new WeakMap<Value, Buffer>()

/** The buffer a top-level value's offsets point into. */
const sourceOf = (buf: Buffer, v: Value): Buffer => packedSource.get(v) ?? buf

/** A value written canonically (dictionary keys sorted, strings as bytes), to compare two versions. */
const canon = (buf: Buffer, v: Value | undefined): string => {
  if (v === undefined) return "?"
  switch (v.kind) {
    case "dict":
      return `<<${[...v.entries.keys()].sort().map((k) => `/${k} ${canon(buf, v.entries.get(k)!.value)}`).join(" ")}>>`
    case "array":
      return `[${v.items.map((x) => canon(buf, x)).join(" ")}]`
    case "name":
      return `/${v.name}`
    case "string":
      return `<${Buffer.from(v.bytes).toString("hex")}>`
    case "hex":
      return `<${latin1(buf, v.start + 1, v.end - 1).replace(/\s+/g, "").toLowerCase()}${(v.end - v.start) % 2 === 1 ? "" : "0"}>`
    case "number":
      return String(v.value)
    case "ref":
      return `${v.num} ${v.gen} R`
    case "keyword":
      return v.word
  }
}

/** An object's value, canonical. */
const canonOf = (buf: Buffer, o: IndirectObject): string => canon(sourceOf(buf, o.value), o.value)

type Resolve = (num: number, gen: number) => IndirectObject | undefined

/**
 * Whether two dictionaries agree on every key outside `mutable`. Two different references agree
 * when the objects they point to (as of before and after the update) are the same: writers often
 * re-emit an identical resource dictionary under a new number.
 */
const sameExcept = (buf: Buffer, a: IndirectObject, b: IndirectObject, mutable: ReadonlySet<string>, before: Resolve, after: Resolve): string | undefined => {
  const av = a.value
  const bv = b.value
  if (av.kind !== "dict" || bv.kind !== "dict") return "not a dictionary"
  const keys = new Set([...av.entries.keys(), ...bv.entries.keys()])
  for (const key of keys) {
    if (mutable.has(key)) continue
    const x = av.entries.get(key)?.value
    const y = bv.entries.get(key)?.value
    if (!x || !y) return `/${key} changed`
    if (canon(sourceOf(buf, av), x) === canon(sourceOf(buf, bv), y)) continue
    if (x.kind === "ref" && y.kind === "ref") {
      const old = before(x.num, x.gen)
      const now = after(y.num, y.gen)
      if (old && now && !old.stream && !now.stream && canonOf(buf, old) === canonOf(buf, now)) continue
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

/**
 * Objects of a revision segment, object streams unpacked: every `N G obj` header in its bytes that
 * parses, wherever it is — inside another object's string or stream, or split by comments — since
 * a reader rebuilding a damaged cross-reference section finds headers that way. A header that does
 * not parse is an error, unless it lies inside an object that does (stream data, a string).
 */
const objectsIn = (lexer: Lexer, start: number, end: number): Array<{ object: IndirectObject; packed: boolean }> | string => {
  const buf = lexer.buf
  spendDecoded(lexer.budget, end - start)
  const text = latin1(buf, start, end)
  const header = /(?<![0-9])(\d+)\s+(\d+)\s+(?:%[^\r\n]*[\r\n]+\s*)*obj(?![A-Za-z0-9])/g
  const out: Array<{ object: IndirectObject; packed: boolean }> = []
  let unparseable: number | undefined
  let inside = start
  let m: RegExpExecArray | null
  while ((m = header.exec(text)) !== null) {
    spend(lexer.budget, 1)
    const at = start + m.index
    header.lastIndex = m.index + m[1]!.length
    let object: IndirectObject
    try {
      object = lexer.object(at)
    } catch (e) {
      if (!(e instanceof PdfSyntaxError)) throw e
      if (at >= inside) unparseable ??= at
      continue
    }
    inside = Math.max(inside, object.end)
    out.push({ object, packed: false })
    if (getName(object.value, "Type") === "ObjStm") {
      const unpacked = unpack(lexer.budget, buf, object)
      if (typeof unpacked === "string") return unpacked
      out.push(...unpacked.map((o) => ({ object: o, packed: true })))
    }
  }
  if (unparseable !== undefined) return `unparseable object at byte ${unparseable}`
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
      packedSource.set(value, data)
      out.push({ num: num.value, gen: 0, start: stream.start, value, stream: undefined, end: stream.end })
    } catch (e) {
      if (e instanceof PdfSyntaxError) return "bad object stream"
      throw e
    }
  }
  return out
}

/** One cross-reference entry: in use at an offset, packed in an object stream, or free. */
type XrefEntry =
  | { readonly kind: "offset"; readonly num: number; readonly gen: number; readonly offset: number }
  | { readonly kind: "packed"; readonly num: number; readonly stream: number; readonly index: number }
  | { readonly kind: "free"; readonly num: number }

/** A cross-reference section (table or stream) with its trailer dictionary. */
interface XrefSection {
  readonly entries: ReadonlyArray<XrefEntry>
  readonly trailer: Value
  /** The xref stream's own object number, when the section is a stream. */
  readonly streamNum: number | undefined
}

const intOf = (v: Value | undefined): number | undefined => (v?.kind === "number" && v.integer ? v.value : undefined)

/** Undoes the PNG predictors (10–15) of an xref stream. */
const unpredict = (data: Buffer, columns: number): Buffer | string => {
  const row = columns + 1
  if (columns <= 0 || data.length % row !== 0) return "xref stream rows do not match /Columns"
  const out = Buffer.alloc((data.length / row) * columns)
  for (let r = 0; r < data.length / row; r++) {
    const tag = data[r * row]!
    for (let c = 0; c < columns; c++) {
      const x = data[r * row + 1 + c]!
      const a = c > 0 ? out[r * columns + c - 1]! : 0
      const b = r > 0 ? out[(r - 1) * columns + c]! : 0
      const d = r > 0 && c > 0 ? out[(r - 1) * columns + c - 1]! : 0
      const p = a + b - d
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - d) ? a : Math.abs(p - b) <= Math.abs(p - d) ? b : d
      const pred = tag === 0 ? 0 : tag === 1 ? a : tag === 2 ? b : tag === 3 ? (a + b) >> 1 : tag === 4 ? paeth : -1
      if (pred < 0) return "bad xref stream predictor"
      out[r * columns + c] = (x + pred) & 0xff
    }
  }
  return out
}

/** The entries of an xref stream. */
const xrefStream = (lexer: Lexer, object: IndirectObject): XrefSection | string => {
  const v = object.value
  if (getName(v, "Type") !== "XRef" || !object.stream) return "not an xref stream"
  let data = lexer.buf.subarray(object.stream.start, object.stream.end)
  const filter = get(v, "Filter")
  if (filter) {
    if (getName(v, "Filter") !== "FlateDecode" && !(filter.kind === "array" && filter.items.length === 1 && filter.items[0]?.kind === "name" && filter.items[0].name === "FlateDecode")) return "xref stream with an unsupported filter"
    const affordable = Math.max(1, Math.min(MAX_OBJECT_STREAM_BYTES, Math.floor(lexer.budget.remaining * DECODED_BYTES_PER_UNIT)))
    try {
      data = Zlib.inflateSync(data, { maxOutputLength: affordable })
    } catch (e) {
      if ((e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE" && affordable < MAX_OBJECT_STREAM_BYTES) {
        spendDecoded(lexer.budget, affordable + 1)
        throw new BudgetExceeded("work budget exhausted")
      }
      return "xref stream does not inflate"
    }
  }
  spendDecoded(lexer.budget, data.length)
  const parms = get(v, "DecodeParms")
  const dp = parms?.kind === "array" ? parms.items[0] : parms
  const predictor = intOf(get(dp, "Predictor")) ?? 1
  const w = get(v, "W")
  const widths = w?.kind === "array" ? w.items.map(intOf) : []
  if (widths.length !== 3 || widths.some((x) => x === undefined || x < 0 || x > 8)) return "xref stream with a bad /W"
  const [w0, w1, w2] = widths as [number, number, number]
  if (predictor >= 10) {
    const columns = intOf(get(dp, "Columns")) ?? 1
    const decoded = unpredict(data, columns)
    if (typeof decoded === "string") return decoded
    data = decoded
  } else if (predictor !== 1) return "xref stream with an unsupported predictor"
  const size = intOf(get(v, "Size"))
  const index = get(v, "Index")
  const ranges = index?.kind === "array" ? index.items.map(intOf) : [0, size]
  if (ranges.length % 2 !== 0 || ranges.some((x) => x === undefined || x < 0)) return "xref stream with a bad /Index"
  const field = (at: number, width: number): number => {
    let n = 0
    for (let k = 0; k < width; k++) n = n * 256 + data[at + k]!
    return n
  }
  const rowBytes = w0 + w1 + w2
  const entries: Array<XrefEntry> = []
  let at = 0
  for (let k = 0; k < ranges.length; k += 2) {
    for (let num = ranges[k]!; num < ranges[k]! + ranges[k + 1]!; num++) {
      spend(lexer.budget, 1)
      if (rowBytes === 0 || at + rowBytes > data.length) return "xref stream shorter than its /Index"
      const type = w0 === 0 ? 1 : field(at, w0)
      const a = field(at + w0, w1)
      const b = field(at + w0 + w1, w2)
      at += rowBytes
      if (type === 0) entries.push({ kind: "free", num })
      else if (type === 1) entries.push({ kind: "offset", num, gen: b, offset: a })
      else if (type === 2) entries.push({ kind: "packed", num, stream: a, index: b })
    }
  }
  return { entries, trailer: v, streamNum: object.num }
}

/** Sections already read, per file and offset: every object looked up walks the same chain. */
const sectionsOf = new WeakMap<Buffer, Map<number, XrefSection | string>>()
/** Entries of a section by object number, built once per section. */
const entriesOf = new WeakMap<XrefSection, Map<number, XrefEntry>>()
/** Object streams of earlier revisions already unpacked, per file and stream offset. */
const unpackedOf = new WeakMap<Buffer, Map<number, Array<IndirectObject> | string>>()

/** The cross-reference section at `at`, read once per file. */
const xrefAt = (lexer: Lexer, at: number): XrefSection | string => {
  let sections = sectionsOf.get(lexer.buf)
  if (!sections) {
    sections = new Map()
    sectionsOf.set(lexer.buf, sections)
  }
  let section = sections.get(at)
  if (section === undefined) {
    section = readXref(lexer, at)
    sections.set(at, section)
  }
  return section
}

/** The cross-reference section at `at` (a table with its trailer, or a stream). */
const readXref = (lexer: Lexer, at: number): XrefSection | string => {
  const buf = lexer.buf
  const p = lexer.skip(at)
  if (latin1(buf, p, p + 4) === "xref") {
    const trailerAt = buf.indexOf("trailer", p, "latin1")
    if (trailerAt < 0) return "xref table without a trailer"
    spendDecoded(lexer.budget, trailerAt - p)
    const lines = latin1(buf, p + 4, trailerAt).split(/\r\n|\r|\n/)
    const entries: Array<XrefEntry> = []
    let num = -1
    for (const line of lines) {
      if (line.trim() === "") continue
      const sub = /^\s*(\d+)\s+(\d+)\s*$/.exec(line)
      if (sub) {
        num = Number(sub[1])
        continue
      }
      const entry = /^\s*(\d{10})\s+(\d{5})\s+([nf])\s*$/.exec(line)
      if (!entry || num < 0) return "unparseable xref table entry"
      entries.push(entry[3] === "f" ? { kind: "free", num } : { kind: "offset", num, gen: Number(entry[2]), offset: Number(entry[1]) })
      num++
    }
    let trailer: Value
    try {
      trailer = lexer.value(trailerAt + 7)
    } catch (e) {
      if (e instanceof PdfSyntaxError) return "unparseable trailer"
      throw e
    }
    if (trailer.kind !== "dict") return "the trailer is not a dictionary"
    const stm = intOf(get(trailer, "XRefStm"))
    if (stm !== undefined) {
      const hybrid = xrefAt(lexer, stm)
      if (typeof hybrid === "string") return hybrid
      entries.push(...hybrid.entries)
    }
    return { entries, trailer, streamNum: undefined }
  }
  try {
    return xrefStream(lexer, lexer.object(p))
  } catch (e) {
    if (e instanceof PdfSyntaxError) return "no cross-reference section where startxref points"
    throw e
  }
}

/**
 * The cross-reference section of the revision `[start, end)`: where its `startxref` points, else
 * (writers get the offset wrong by a byte or two) the last `xref` table of the segment.
 */
const sectionOf = (lexer: Lexer, start: number, end: number): XrefSection | string => {
  const text = latin1(lexer.buf, start, end)
  const last = [...text.matchAll(/startxref\s+(\d+)/g)].at(-1)
  if (!last) return "no startxref"
  const at = Number(last[1])
  const direct = at >= start && at < end ? xrefAt(lexer, at) : "startxref outside its revision"
  if (typeof direct !== "string") return direct
  const table = [...text.matchAll(/(?<!start)xref\s/g)].at(-1)
  return table ? xrefAt(lexer, start + table.index) : direct
}

/** Whether the object at `at` has the header `num gen obj`. */
const objectAt = (lexer: Lexer, at: number, num: number, gen: number): IndirectObject | undefined => {
  if (at < 0 || at >= lexer.buf.length) return undefined
  try {
    const object = lexer.object(at)
    return object.num === num && object.gen === gen ? object : undefined
  } catch (e) {
    if (e instanceof PdfSyntaxError) return undefined
    throw e
  }
}

/** The object `num` as of the end of the revisions before `before`, through the xref chain from `first`. */
const resolveThroughChain = (lexer: Lexer, first: number | undefined, num: number, gen: number, before: number): IndirectObject | undefined => {
  const seen = new Set<number>()
  for (let at = first; at !== undefined && at < before && !seen.has(at); ) {
    seen.add(at)
    const section = xrefAt(lexer, at)
    if (typeof section === "string") return undefined
    let byNum = entriesOf.get(section)
    if (!byNum) {
      byNum = new Map(section.entries.map((e) => [e.num, e]))
      entriesOf.set(section, byNum)
    }
    const entry = byNum.get(num)
    if (entry?.kind === "free") return undefined
    if (entry?.kind === "offset") return entry.offset < before ? objectAt(lexer, entry.offset, num, gen) : undefined
    if (entry?.kind === "packed") {
      const stream = resolveThroughChain(lexer, first, entry.stream, 0, before)
      if (!stream || getName(stream.value, "Type") !== "ObjStm") return undefined
      let streams = unpackedOf.get(lexer.buf)
      if (!streams) {
        streams = new Map()
        unpackedOf.set(lexer.buf, streams)
      }
      let unpacked = streams.get(stream.start)
      if (!unpacked) {
        unpacked = unpack(lexer.budget, lexer.buf, stream)
        streams.set(stream.start, unpacked)
      }
      return typeof unpacked === "string" ? undefined : unpacked.find((o) => o.num === num)
    }
    at = intOf(get(section.trailer, "Prev"))
  }
  return undefined
}

const ANNOTATION_SUBTYPES = new Set([
  "Text", "Link", "FreeText", "Line", "Square", "Circle", "Polygon", "PolyLine", "Highlight", "Underline", "Squiggly", "StrikeOut",
  "Stamp", "Caret", "Ink", "Popup", "FileAttachment", "Sound", "Movie", "Widget", "Screen", "PrinterMark", "TrapNet", "Watermark",
  "3D", "Redact", "Projection", "RichMedia"
])
const ACROFORM_MUTABLE = new Set(["Fields", "SigFlags", "DR", "DA"])
/** Catalog keys a later revision may change; /Perms (DocMDP) is not one of them. */
const CATALOG_MUTABLE = new Set(["AcroForm", "DSS", "Extensions", "Metadata", "Version"])

/** Classifies the revision `[start, end)`. */
export const classify = (buf: Buffer, budget: Budget, start: number, end: number): Revision => {
  const lexer = new Lexer(buf, budget)
  const other = (detail: string): Revision => ({ start, end, kind: "other", detail })
  const scanned = objectsIn(lexer, start, end)
  if (typeof scanned === "string") return other(scanned)
  const text = latin1(buf, start, end)
  if (scanned.length === 0 && !/startxref/.test(text)) {
    if (text.trim() === "") return { start, end, kind: "metadata", detail: "no objects changed" }
    return other(`${end - start} bytes appended that are not a PDF update`)
  }
  // A revision without a cross-reference section (none of its objects reachable to a conforming
  // reader) is judged by the objects in its bytes; a trailer there would be one no check saw.
  const withXref = /startxref/.test(text)
  if (!withXref && /trailer/.test(text)) return other("a trailer without a cross-reference section")
  const section: XrefSection | string = withXref ? sectionOf(lexer, start, end) : { entries: [], trailer: { kind: "dict", entries: new Map(), start, end: start }, streamNum: undefined }
  if (typeof section === "string") return other(`cross-reference section: ${section}`)
  const prevXref = intOf(get(section.trailer, "Prev"))
  const cache = new Map<number, IndirectObject | undefined>()
  /** The object as signed: through the previous xref chain, else the last header before `start`. */
  const previous = (num: number, gen: number): IndirectObject | undefined => {
    if (cache.has(num)) return cache.get(num)
    const found = resolveThroughChain(lexer, prevXref, num, gen, start) ?? previousDefinition(lexer, num, gen, start)
    cache.set(num, found)
    return found
  }

  // The update's objects: every entry of its cross-reference section, plus any header in its bytes.
  const objects = new Map<number, IndirectObject>()
  const packedIn = new Map<number, Array<number>>()
  for (const entry of section.entries) {
    spend(budget, 1)
    if (entry.kind === "free") {
      if (entry.num !== 0 && previous(entry.num, 0)) return other(`object ${entry.num} deleted`)
      continue
    }
    if (entry.kind === "packed") {
      packedIn.set(entry.stream, [...(packedIn.get(entry.stream) ?? []), entry.num])
      continue
    }
    if (entry.offset >= end) return other(`object ${entry.num}: cross-reference entry beyond its revision`)
    let object = objectAt(lexer, entry.offset, entry.num, entry.gen)
    if (!object && entry.offset >= start) object = scanned.find((o) => !o.packed && o.object.num === entry.num && o.object.gen === entry.gen)?.object
    if (!object) return other(`object ${entry.num}: no object where the cross-reference section says`)
    if (object.start < start) {
      const before = previous(entry.num, entry.gen)
      if (before && before.start === object.start) continue // listed again, unchanged
    }
    objects.set(entry.num, object)
  }
  for (const [stream, nums] of packedIn) {
    const container = objects.get(stream)
    if (!container || getName(container.value, "Type") !== "ObjStm") return other(`objects packed in object ${stream}, which this revision does not define`)
    const unpacked = unpack(budget, buf, container)
    if (typeof unpacked === "string") return other(unpacked)
    for (const num of nums) {
      const object = unpacked.find((o) => o.num === num)
      if (!object) return other(`object ${num} is not in object stream ${stream}`)
      objects.set(num, object)
    }
  }
  const listed = new Set([...objects.values()].map((o) => `${o.num} ${o.start} ${o.value.start}`))
  const extras = scanned.map((o) => o.object).filter((o) => !listed.has(`${o.num} ${o.start} ${o.value.start}`))

  // The trailer's /Root must stay the signed catalog.
  const prevSection = prevXref !== undefined && prevXref < start ? xrefAt(lexer, prevXref) : undefined
  let prevRoot = prevSection && typeof prevSection !== "string" ? get(prevSection.trailer, "Root") : undefined
  if (prevRoot?.kind !== "ref") {
    const m = [...latin1(buf, 0, start).matchAll(/\/Root\s+(\d+)\s+(\d+)\s+R/g)].at(-1)
    prevRoot = m ? { kind: "ref", num: Number(m[1]), gen: Number(m[2]), start: 0, end: 0 } : undefined
  }
  const root = withXref ? get(section.trailer, "Root") : prevRoot
  if (root?.kind !== "ref" || prevRoot?.kind !== "ref" || root.num !== prevRoot.num || root.gen !== prevRoot.gen) return other("the trailer's /Root changed")
  const prevInfo = prevSection && typeof prevSection !== "string" ? get(prevSection.trailer, "Info") : undefined
  const acroForm = get(previous(root.num, root.gen)?.value, "AcroForm")

  /** The object `num` as of after this revision. */
  const current = (num: number, gen: number): IndirectObject | undefined => objects.get(num) ?? previous(num, gen)
  const isSigField = (v: Value | undefined, depth = 0): boolean => {
    if (v?.kind === "ref") return depth < 4 && isSigField(current(v.num, v.gen)?.value, depth + 1)
    if (v?.kind !== "dict") return false
    if (getName(v, "FT") === "Sig") return true
    return getName(v, "Subtype") === "Widget" && !get(v, "FT") && isSigField(get(v, "Parent"), depth + 1)
  }
  /** Whether the field (or the widget's parent field) holds a signature dictionary this revision defines. */
  const isSignedHere = (v: Value | undefined, depth = 0): boolean => {
    const field = v?.kind === "ref" ? current(v.num, v.gen)?.value : v
    const value = get(field, "V")
    if (value?.kind === "ref") return get(objects.get(value.num)?.value, "ByteRange") !== undefined && !previous(value.num, value.gen)
    return depth < 4 && get(field, "Parent") !== undefined && isSignedHere(get(field, "Parent"), depth + 1)
  }
  /** The array under `key` of `top`, followed through one reference, with the buffer it lies in. */
  const arrayUnder = (top: Value, key: string, resolve: Resolve): readonly [Value | undefined, Buffer] => {
    const v = get(top, key)
    if (v?.kind !== "ref") return [v, sourceOf(buf, top)]
    const target = resolve(v.num, v.gen)
    return target ? [target.value, sourceOf(buf, target.value)] : [undefined, buf]
  }
  /** What an array of references gained must be signature fields or widgets; nothing may be lost. */
  const onlySignaturesAdded = (before: Value | undefined, beforeBuf: Buffer, after: Value | undefined, afterBuf: Buffer, signedHere?: (item: Value) => boolean): string | undefined => {
    if (before === undefined && after === undefined) return undefined
    if ((before !== undefined && before.kind !== "array") || after?.kind !== "array") return "is not an array"
    const old = new Set((before?.items ?? []).map((v) => canon(beforeBuf, v)))
    const now = new Set(after.items.map((v) => canon(afterBuf, v)))
    for (const item of old) if (!now.has(item)) return "lost an entry"
    for (const item of after.items) {
      if (old.has(canon(afterBuf, item))) continue
      if (item.kind !== "ref" || !isSigField(item)) return `gained ${canon(afterBuf, item)}, which is not a signature field`
      if (signedHere && !signedHere(item)) return `gained ${canon(afterBuf, item)}, a signature field this revision does not sign`
    }
    return undefined
  }

  // Appearances of signature fields signed in this revision (their previous version had no /V).
  const sigAppearances = new Set<number>()
  for (const object of objects.values()) {
    const v = object.value
    if (getName(v, "FT") === "Sig" && !get(previous(object.num, object.gen)?.value, "V")) {
      const ap = get(get(v, "AP"), "N")
      if (ap?.kind === "ref") sigAppearances.add(ap.num)
    }
  }

  let kind: RevisionKind = "metadata"
  const rank: Record<RevisionKind, number> = { metadata: 0, dss: 1, "document-timestamp": 2, signature: 3, other: 4 }
  const raise = (k: RevisionKind) => {
    if (rank[k] > rank[kind]) kind = k
  }
  const isDss = (object: IndirectObject): boolean => {
    const v = object.value
    if (object.stream || v.kind !== "dict") return false
    const type = getName(v, "Type")
    return type === "DSS" || type === "VRI" || ([...v.entries.keys()].every((k) => DSS_KEYS.has(k)) && (v.entries.has("OCSPs") || v.entries.has("CRLs") || v.entries.has("Certs")))
  }
  for (const object of [...objects.values(), ...extras]) {
    const v = object.value
    const type = getName(v, "Type")
    const subtype = getName(v, "Subtype")
    const label = `object ${object.num}${type ? ` (/${type})` : ""}`
    const prev = previous(object.num, object.gen)
    if (!prev) {
      // A new object is reachable only through the redefinitions allowed below; still, some
      // kinds may not be added at all.
      if (get(v, "ByteRange")) {
        raise(getName(v, "SubFilter") === "ETSI.RFC3161" || type === "DocTimeStamp" ? "document-timestamp" : "signature")
        continue
      }
      if (type === "Pages") return other(`${label}: the page tree changed`)
      if (type === "Page") return other(`${label}: a page was added`)
      if (type === "Annot" || (subtype !== undefined && ANNOTATION_SUBTYPES.has(subtype)) || get(v, "FT")) {
        if (!isSigField(v)) return other(`${label}: a /${subtype ?? "?"} annotation or field other than a signature was added`)
        continue
      }
      if (isDss(object)) raise("dss")
      continue
    }
    // A redefinition: what the object WAS decides what it may become.
    const p = prev.value
    const ptype = getName(p, "Type")
    const data = (o: IndirectObject) => (o.stream ? buf.subarray(o.stream.start, o.stream.end) : undefined)
    const before = data(prev)
    const after = data(object)
    if (canonOf(buf, prev) === canonOf(buf, object) && (before === undefined ? after === undefined : after !== undefined && before.equals(after))) continue // re-emitted unchanged
    if (get(v, "ByteRange") || get(p, "ByteRange")) return other(`${label}: an existing signature dictionary was redefined`)
    if (prev.stream) {
      if (ptype === "Metadata" && getName(v, "Type") === "Metadata" && object.stream) continue
      if (getName(p, "Subtype") === "Form" && sigAppearances.has(object.num) && object.stream) continue
      return other(`${label}: an existing stream was redefined`)
    }
    if (object.stream) return other(`${label}: an existing dictionary became a stream`)
    if (p.kind === "array") {
      const diff = onlySignaturesAdded(p, sourceOf(buf, p), v, sourceOf(buf, v), isSignedHere)
      if (diff) return other(`${label}: an array ${diff}`)
      continue
    }
    if (p.kind !== "dict" || v.kind !== "dict") return other(`${label}: an existing object was redefined`)
    if (object.num === root.num) {
      if (ptype !== "Catalog") return other(`${label}: the catalog is not a catalog`)
      const diff = sameExcept(buf, prev, object, CATALOG_MUTABLE, previous, current)
      if (diff) return other(`${label}: catalog ${diff}`)
      if (get(v, "DSS") && canon(sourceOf(buf, v), get(v, "DSS")) !== canon(sourceOf(buf, p), get(p, "DSS"))) raise("dss")
      continue
    }
    if (ptype === "Page") {
      const diff = sameExcept(buf, prev, object, new Set(["Annots"]), previous, current)
      if (diff) return other(`${label}: page ${diff}`)
      const annots = onlySignaturesAdded(...arrayUnder(p, "Annots", previous), ...arrayUnder(v, "Annots", current), isSignedHere)
      if (annots) return other(`${label}: the page's /Annots ${annots}`)
      continue
    }
    if (ptype === "Pages") return other(`${label}: the page tree changed`)
    if (getName(p, "FT") === "Sig" || (getName(p, "Subtype") === "Widget" && isSigField(get(p, "Parent")))) {
      if (get(p, "V")) return other(`${label}: a signature field already signed was redefined`)
      if (!isSigField(v)) return other(`${label}: a signature field became something else`)
      continue
    }
    if (acroForm?.kind === "ref" && acroForm.num === object.num || (ptype === undefined && get(p, "Fields") && !get(p, "FT"))) {
      const diff = sameExcept(buf, prev, object, ACROFORM_MUTABLE, previous, current)
      if (diff) return other(`${label}: the AcroForm ${diff}`)
      const fields = onlySignaturesAdded(...arrayUnder(p, "Fields", previous), ...arrayUnder(v, "Fields", current))
      if (fields) return other(`${label}: the AcroForm /Fields ${fields}`)
      continue
    }
    if (isDss(prev)) {
      if (!isDss(object)) return other(`${label}: DSS data became something else`)
      raise("dss")
      continue
    }
    const isInfo = (o: Value) => o.kind === "dict" && o.entries.size > 0 && [...o.entries.keys()].every((k) => INFO_KEYS.has(k))
    if ((prevInfo?.kind === "ref" && prevInfo.num === object.num) || isInfo(p)) continue
    return other(`${label}: an existing object was redefined`)
  }
  return { start, end, kind, detail: kind }
}
