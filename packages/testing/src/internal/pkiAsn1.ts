/**
 * DER building blocks on node-forge's ASN.1 (binary strings), with `node:crypto` doing the signing.
 */
import * as Crypto from "node:crypto"
import forge from "node-forge"

const { asn1 } = forge
export type Asn1 = forge.asn1.Asn1

/** Uint8Array → forge binary string. */
export const bin = (bytes: Uint8Array): string => Buffer.from(bytes).toString("binary")
/** forge binary string → Buffer. */
export const bytes = (s: string): Buffer => Buffer.from(s, "binary")
/** DER of a forge ASN.1 value. */
export const der = (value: Asn1): Buffer => bytes(asn1.toDer(value).getBytes())
/** Parses DER into forge ASN.1. */
export const fromDer = (data: Uint8Array): Asn1 => asn1.fromDer(bin(data))

export const seq = (items: Array<Asn1>): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items)
export const set = (items: Array<Asn1>): Asn1 => {
  // DER SET OF: elements sorted by their encodings.
  const sorted = [...items].sort((a, b) => Buffer.compare(der(a), der(b)))
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, sorted)
}
export const oid = (dotted: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes())
export const int = (value: number | string): Asn1 => {
  if (typeof value === "number") return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes())
  let hex = value.length % 2 ? `0${value}` : value
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex))
}
export const octets = (data: Uint8Array): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bin(data))
export const bits = (data: Uint8Array, unused = 0): Asn1 =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(unused) + bin(data))
export const bool = (v: boolean): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, v ? "\xff" : "\x00")
export const nul = (): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, "")
export const explicit = (tag: number, inner: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [inner])
export const implicit = (tag: number, constructed: boolean, value: Array<Asn1> | string): Asn1 =>
  asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, constructed, value)
export const time = (date: Date): Asn1 =>
  date.getUTCFullYear() >= 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
export const generalizedTime = (date: Date): Asn1 =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date))

/** Digest algorithms the builders can produce, as `node:crypto` spells them. */
export type DigestName = "sha1" | "sha256" | "sha384" | "sha512"
export const digestOid: Record<DigestName, string> = {
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3"
}
const rsaOid: Record<DigestName, string> = {
  sha1: "1.2.840.113549.1.1.5",
  sha256: "1.2.840.113549.1.1.11",
  sha384: "1.2.840.113549.1.1.12",
  sha512: "1.2.840.113549.1.1.13"
}
const ecdsaOid: Record<DigestName, string> = {
  sha1: "1.2.840.10045.4.1",
  sha256: "1.2.840.10045.4.3.2",
  sha384: "1.2.840.10045.4.3.3",
  sha512: "1.2.840.10045.4.3.4"
}
const saltOf: Record<DigestName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }

/** Signature schemes the builders can produce. */
export type Scheme = "rsa-pkcs1" | "rsa-pss" | "ecdsa"

export const digestAlgorithm = (digest: DigestName): Asn1 => seq([oid(digestOid[digest]), nul()])

/** RSASSA-PSS parameters to write instead of the ones that fit the digest. */
export interface PssParameters {
  readonly hash?: DigestName
  readonly mgfHash?: DigestName
  readonly saltLength?: number
}

/** The AlgorithmIdentifier for a signature; `pss` overrides the RSASSA-PSS parameters written. */
export const signatureAlgorithm = (scheme: Scheme, digest: DigestName, pss: PssParameters = {}): Asn1 => {
  if (scheme === "ecdsa") return seq([oid(ecdsaOid[digest])])
  if (scheme === "rsa-pkcs1") return seq([oid(rsaOid[digest]), nul()])
  return seq([
    oid("1.2.840.113549.1.1.10"),
    seq([
      explicit(0, digestAlgorithm(pss.hash ?? digest)),
      explicit(1, seq([oid("1.2.840.113549.1.1.8"), digestAlgorithm(pss.mgfHash ?? digest)])),
      explicit(2, int(pss.saltLength ?? saltOf[digest]))
    ])
  ])
}

/** Signs with `node:crypto`. */
export const signBytes = (scheme: Scheme, digest: DigestName, key: Crypto.KeyObject, data: Uint8Array): Buffer => {
  if (scheme === "rsa-pss") {
    return Crypto.sign(digest, data, { key, padding: Crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: saltOf[digest] })
  }
  if (scheme === "ecdsa") return Crypto.sign(digest, data, { key, dsaEncoding: "der" })
  return Crypto.sign(digest, data, { key, padding: Crypto.constants.RSA_PKCS1_PADDING })
}

/** The scheme that fits a key (PKCS#1 v1.5 for RSA unless asked otherwise). */
export const schemeFor = (key: Crypto.KeyObject): Scheme => (key.asymmetricKeyType === "ec" ? "ecdsa" : "rsa-pkcs1")

/** A DER TLV as a tree, so that a builder can re-encode parts of it (BER indefinite lengths). */
export interface Tlv {
  readonly tag: number
  readonly children: Array<Tlv> | undefined
  readonly content: Buffer
  indefinite: boolean
}

/** Parses DER (low tag numbers, definite lengths) into a {@link Tlv} tree. */
export const tlv = (data: Uint8Array): Tlv => {
  const parse = (buf: Buffer, at: number): { node: Tlv; end: number } => {
    const tag = buf[at]!
    let len = buf[at + 1]!
    let pos = at + 2
    if (len & 0x80) {
      const n = len & 0x7f
      len = 0
      for (let k = 0; k < n; k++) len = len * 256 + buf[pos++]!
    }
    const content = buf.subarray(pos, pos + len)
    let children: Array<Tlv> | undefined
    if (tag & 0x20) {
      children = []
      for (let p = 0; p < content.length;) {
        const child = parse(content, p)
        children.push(child.node)
        p = child.end
      }
    }
    return { node: { tag, children, content, indefinite: false }, end: pos + len }
  }
  return parse(Buffer.from(data), 0).node
}

const lengthBytes = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n])
  const out: Array<number> = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256)
  return Buffer.from([0x80 | out.length, ...out])
}

/** Encodes a {@link Tlv} tree; nodes marked `indefinite` get BER indefinite lengths. */
export const encodeTlv = (node: Tlv): Buffer => {
  const body = node.children ? Buffer.concat(node.children.map(encodeTlv)) : node.content
  if (node.indefinite) return Buffer.concat([Buffer.from([node.tag, 0x80]), body, Buffer.from([0, 0])])
  return Buffer.concat([Buffer.from([node.tag]), lengthBytes(body.length), body])
}
