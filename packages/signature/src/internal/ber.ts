/**
 * A minimal BER/DER reader: enough to walk CMS SignedData and X.509 structures without copying.
 * BER is accepted (indefinite lengths, constructed strings) because real signing tools emit it;
 * callers that need DER (signed attributes) check `indefinite` themselves.
 */

/**
 * Called once per TLV read (re-reads included): the verifier charges its work budget here, so a
 * CMS of millions of tiny elements ends like the other bombs instead of running unbounded.
 */
export type Meter = (nodes: number) => void

/** A parsed TLV. Offsets index into `bytes`; nothing is copied. */
export interface Node {
  readonly bytes: Uint8Array
  /** 0 universal, 1 application, 2 context, 3 private. */
  readonly cls: number
  readonly constructed: boolean
  readonly tag: number
  readonly start: number
  readonly contentStart: number
  /** Exclusive; for an indefinite length, the position of the end-of-contents octets. */
  readonly contentEnd: number
  /** Exclusive end of the whole TLV (after the end-of-contents octets when indefinite). */
  readonly end: number
  readonly indefinite: boolean
  /** Charged for every TLV read below this one (inherited from the root's parse). */
  readonly meter: Meter | undefined
}

/** A structural problem in the encoding; the message says where. */
export class BerError extends Error {
  override readonly name = "BerError"
}

const MAX_DEPTH = 48

/** Constructed-string pieces `content` concatenates at most (real BER chunks 1 000-byte pieces). */
const MAX_STRING_PIECES = 65_536

/** Parses the TLV starting at `offset`, which must end at or before `limit`; `meter` pays per TLV. */
export const parse = (bytes: Uint8Array, offset = 0, limit = bytes.length, depth = 0, meter?: Meter): Node => {
  if (depth > MAX_DEPTH) throw new BerError("ASN.1 nesting too deep")
  meter?.(1)
  let pos = offset
  if (pos >= limit) throw new BerError(`ASN.1 truncated at ${pos}`)
  const first = bytes[pos++]!
  const cls = first >> 6
  const constructed = (first & 0x20) !== 0
  let tag = first & 0x1f
  if (tag === 0x1f) {
    tag = 0
    for (let i = 0; ; i++) {
      if (pos >= limit || i > 4) throw new BerError(`bad ASN.1 tag at ${offset}`)
      const b = bytes[pos++]!
      tag = tag * 128 + (b & 0x7f)
      if ((b & 0x80) === 0) break
    }
  }
  if (pos >= limit) throw new BerError(`ASN.1 truncated at ${pos}`)
  const lengthByte = bytes[pos++]!
  if (lengthByte === 0x80) {
    if (!constructed) throw new BerError(`indefinite length on a primitive at ${offset}`)
    const contentStart = pos
    let cursor = pos
    for (;;) {
      if (cursor + 2 > limit) throw new BerError(`unterminated indefinite length at ${offset}`)
      if (bytes[cursor] === 0 && bytes[cursor + 1] === 0) break
      cursor = parse(bytes, cursor, limit, depth + 1, meter).end
    }
    return { bytes, cls, constructed, tag, start: offset, contentStart, contentEnd: cursor, end: cursor + 2, indefinite: true, meter }
  }
  let length = lengthByte
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f
    if (count > 4) throw new BerError(`ASN.1 length too long at ${offset}`)
    length = 0
    for (let i = 0; i < count; i++) {
      if (pos >= limit) throw new BerError(`ASN.1 truncated at ${pos}`)
      length = length * 256 + bytes[pos++]!
    }
  }
  const end = pos + length
  if (end > limit) throw new BerError(`ASN.1 length at ${offset} runs past its container`)
  return { bytes, cls, constructed, tag, start: offset, contentStart: pos, contentEnd: end, end, indefinite: false, meter }
}

/** Parses one TLV that must span exactly `bytes` (trailing garbage is an error). */
export const parseExact = (bytes: Uint8Array, meter?: Meter): Node => {
  const node = parse(bytes, 0, bytes.length, 0, meter)
  if (node.end !== bytes.length) throw new BerError(`${bytes.length - node.end} trailing bytes after ASN.1 value`)
  return node
}

/** The children of a constructed node. */
export const children = (node: Node, depth = 0): Array<Node> => {
  if (!node.constructed) throw new BerError(`expected a constructed value at ${node.start}`)
  const out: Array<Node> = []
  let pos = node.contentStart
  while (pos < node.contentEnd) {
    const child = parse(node.bytes, pos, node.contentEnd, depth + 1, node.meter)
    out.push(child)
    pos = child.end
  }
  return out
}

/** The encoded TLV, tag and length included. */
export const raw = (node: Node): Uint8Array => node.bytes.subarray(node.start, node.end)

/**
 * The content octets; constructed (BER) strings are concatenated, at most {@link MAX_DEPTH} levels
 * deep and {@link MAX_STRING_PIECES} pieces in all (a BER bomb is a BerError, not a stack overflow).
 */
export const content = (node: Node): Uint8Array => {
  if (!node.constructed) return node.bytes.subarray(node.contentStart, node.contentEnd)
  const parts: Array<Uint8Array> = []
  const collect = (n: Node, depth: number): void => {
    // children() passes the depth on to parse, which refuses more than MAX_DEPTH levels.
    for (const child of children(n, depth)) {
      if (child.constructed) collect(child, depth + 1)
      else {
        if (parts.length >= MAX_STRING_PIECES) throw new BerError(`constructed string of more than ${MAX_STRING_PIECES} pieces at ${node.start}`)
        parts.push(child.bytes.subarray(child.contentStart, child.contentEnd))
      }
    }
  }
  collect(node, 0)
  return Buffer.concat(parts)
}

/** Whether the node is universal with this tag number. */
export const is = (node: Node | undefined, tag: number): node is Node => node !== undefined && node.cls === 0 && node.tag === tag

/** Whether the node is context-specific `[tag]`. */
export const isContext = (node: Node | undefined, tag: number): node is Node =>
  node !== undefined && node.cls === 2 && node.tag === tag

/** Universal tag numbers used here. */
export const Tag = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  SEQUENCE: 16,
  SET: 17,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24
} as const

/** Requires a universal tag, with a message naming what was expected. */
export const expect = (node: Node | undefined, tag: number, what: string): Node => {
  if (!is(node, tag)) throw new BerError(`expected ${what}`)
  return node
}

/** Dotted OID string. */
export const oid = (node: Node): string => {
  const b = content(expect(node, Tag.OID, "an OBJECT IDENTIFIER"))
  if (b.length === 0) throw new BerError("empty OBJECT IDENTIFIER")
  const parts: Array<number> = []
  let value = 0
  for (let i = 0; i < b.length; i++) {
    value = value * 128 + (b[i]! & 0x7f)
    if ((b[i]! & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2
        parts.push(first, value - first * 40)
      } else parts.push(value)
      value = 0
    }
  }
  return parts.join(".")
}

/** An INTEGER as lower-case hex without leading zero octets (serial numbers compare this way). */
export const integerHex = (node: Node): string => {
  const b = content(expect(node, Tag.INTEGER, "an INTEGER"))
  let i = 0
  while (i < b.length - 1 && b[i] === 0) i++
  return Buffer.from(b.subarray(i)).toString("hex")
}

/** A small non-negative INTEGER as a number. */
export const integer = (node: Node): number => Number.parseInt(integerHex(node) || "0", 16)

/** UTCTime or GeneralizedTime as a Date (`Z` and offset forms). */
export const time = (node: Node): Date => {
  const text = Buffer.from(content(node)).toString("latin1")
  const utc = node.tag === Tag.UTC_TIME
  const m = (utc ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?()(Z|[+-]\d{4})?$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/).exec(text)
  if (!m || (!is(node, Tag.UTC_TIME) && !is(node, Tag.GENERALIZED_TIME))) throw new BerError(`bad time "${text}"`)
  let year = Number(m[1])
  if (utc) year += year < 50 ? 2000 : 1900
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0
  const ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) + fraction
  const zone = m[8]
  const offset = zone && zone !== "Z" ? (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3))) : 0
  return new Date(ms - offset * 60_000)
}
