/**
 * Certificates: `node:crypto`'s X509Certificate for parsing keys, dates and verifying signatures;
 * our BER reader for what Node does not expose (raw issuer/subject, key usage, basic constraints,
 * key identifiers).
 */
import * as Crypto from "node:crypto"
import type { CertificateInfo } from "@kho/core/SignatureReport"
import * as Ber from "./ber.ts"
import { type Budget, spend } from "./pdfLexer.ts"

/** A certificate with the fields the verifier needs, parsed once. */
export interface Cert {
  readonly x509: Crypto.X509Certificate
  /** Created once: `X509Certificate.publicKey` builds a new KeyObject on every access. */
  readonly publicKey: Crypto.KeyObject
  readonly der: Uint8Array
  readonly sha256: string
  readonly serialHex: string
  readonly issuerDer: Uint8Array
  readonly subjectDer: Uint8Array
  readonly subjectKeyId: string | undefined
  readonly isCa: boolean | undefined
  readonly pathLength: number | undefined
  /** Key-usage bits (0 digitalSignature, 1 nonRepudiation, 5 keyCertSign), undefined if absent. */
  readonly keyUsage: ReadonlySet<number> | undefined
  /** Extended key usage purposes (2.5.29.37) as dotted OIDs, undefined if absent. */
  readonly extendedKeyUsage: ReadonlyArray<string> | undefined
  /** Whether the extended key usage extension is marked critical. */
  readonly extendedKeyUsageCritical: boolean
  readonly notBefore: Date
  readonly notAfter: Date
  readonly info: CertificateInfo
}

const formatName = (text: string): string =>
  text.split("\n").filter((s) => s.length > 0).reverse().join(", ")

const hexSerial = (serial: string): string => {
  const s = serial.toLowerCase().replace(/^0+(?=.)/, "")
  return s
}

/** Parses a DER certificate; throws when OpenSSL or our reader cannot read it. */
export const parseCert = (der: Uint8Array): Cert => {
  const x509 = new Crypto.X509Certificate(der)
  const root = Ber.parseExact(der)
  const tbs = Ber.children(Ber.children(root)[0]!)
  let i = Ber.isContext(tbs[0], 0) ? 1 : 0
  const serialHex = Ber.integerHex(tbs[i++]!)
  i++ // signature algorithm
  const issuerDer = Ber.raw(tbs[i++]!)
  i++ // validity
  const subjectDer = Ber.raw(tbs[i++]!)
  let subjectKeyId: string | undefined
  let isCa: boolean | undefined
  let pathLength: number | undefined
  let keyUsage: Set<number> | undefined
  let extendedKeyUsage: Array<string> | undefined
  let extendedKeyUsageCritical = false
  const extensions = tbs.find((n) => Ber.isContext(n, 3))
  if (extensions) {
    for (const ext of Ber.children(Ber.children(extensions)[0]!)) {
      const parts = Ber.children(ext)
      const id = Ber.oid(parts[0]!)
      const value = Ber.content(parts[parts.length - 1]!)
      if (id === "2.5.29.14") subjectKeyId = Buffer.from(Ber.content(Ber.parseExact(value))).toString("hex")
      else if (id === "2.5.29.19") {
        const bc = Ber.children(Ber.parseExact(value))
        isCa = false
        for (const field of bc) {
          if (Ber.is(field, Ber.Tag.BOOLEAN)) isCa = Ber.content(field)[0] !== 0
          else if (Ber.is(field, Ber.Tag.INTEGER)) pathLength = Ber.integer(field)
        }
      } else if (id === "2.5.29.15") {
        const bits = Ber.content(Ber.parseExact(value))
        keyUsage = new Set()
        for (let byte = 1; byte < bits.length; byte++) {
          for (let bit = 0; bit < 8; bit++) if (bits[byte]! & (0x80 >> bit)) keyUsage.add((byte - 1) * 8 + bit)
        }
      } else if (id === "2.5.29.37") {
        extendedKeyUsage = Ber.children(Ber.expect(Ber.parseExact(value), Ber.Tag.SEQUENCE, "ExtKeyUsageSyntax")).map(Ber.oid)
        extendedKeyUsageCritical = parts.length === 3 && Ber.is(parts[1], Ber.Tag.BOOLEAN) && Ber.content(parts[1])[0] !== 0
      }
    }
  }
  const notBefore = new Date(x509.validFrom)
  const notAfter = new Date(x509.validTo)
  const sha256 = Crypto.createHash("sha256").update(der).digest("hex")
  return {
    x509,
    publicKey: x509.publicKey,
    der,
    sha256,
    serialHex,
    issuerDer,
    subjectDer,
    subjectKeyId,
    isCa,
    pathLength,
    keyUsage,
    extendedKeyUsage,
    extendedKeyUsageCritical,
    notBefore,
    notAfter,
    info: {
      subject: formatName(x509.subject),
      issuer: formatName(x509.issuer),
      serialNumber: hexSerial(x509.serialNumber),
      sha256,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString()
    }
  }
}

const MAX_CACHE = 512
const certCache = new Map<string, Cert>()
const linkCache = new Map<string, boolean>()

/**
 * `parseCert`, memoised on the exact DER bytes (bounded): VGCA documents repeat the same few
 * certificates, and parsing plus key import is most of a verification's fixed cost.
 */
export const cachedCert = (der: Uint8Array): Cert => {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("latin1")
  const hit = certCache.get(key)
  if (hit) return hit
  const cert = parseCert(Uint8Array.from(der))
  if (certCache.size >= MAX_CACHE) certCache.clear()
  certCache.set(key, cert)
  return cert
}

/** Whether `parent`'s key verifies `child`'s signature, memoised by both fingerprints. */
const linkVerifies = (child: Cert, parent: Cert): boolean => {
  const key = `${child.sha256}>${parent.sha256}`
  let ok = linkCache.get(key)
  if (ok === undefined) {
    try {
      ok = child.x509.verify(parent.publicKey)
    } catch {
      ok = false
    }
    if (linkCache.size >= MAX_CACHE) linkCache.clear()
    linkCache.set(key, ok)
  }
  return ok
}

/** Parses a PEM bundle or a DER certificate into DER blocks. */
export const derBlocks = (input: string | Uint8Array): Array<Uint8Array> => {
  const text = typeof input === "string" ? input : Buffer.from(input).toString("latin1")
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)
  if (pems) {
    return pems.map((pem) =>
      Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, ""), "base64")
    )
  }
  return typeof input === "string" ? [] : [input]
}

/** Same bytes. */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b))

/** Whether `cert` is valid at `at`. */
export const validAt = (cert: Cert, at: Date): boolean =>
  cert.notBefore.getTime() <= at.getTime() && at.getTime() <= cert.notAfter.getTime()

/** The outcome of chain building. */
export type ChainResult =
  | { readonly _tag: "Found"; readonly chain: ReadonlyArray<Cert> }
  | { readonly _tag: "NotFound"; readonly detail: string }
  | { readonly _tag: "Constraints"; readonly chain: ReadonlyArray<Cert>; readonly detail: string }

/** Checks CA constraints along a chain (leaf first): basicConstraints cA, keyCertSign, path length. */
const constraintViolation = (chain: ReadonlyArray<Cert>): string | undefined => {
  for (let k = 1; k < chain.length; k++) {
    const ca = chain[k]!
    if (ca.isCa !== true) return `"${ca.info.subject}" issues certificates but is not a CA (basicConstraints)`
    if (ca.keyUsage && !ca.keyUsage.has(5)) return `"${ca.info.subject}" lacks the keyCertSign key usage`
    const below = k - 1 // CA certificates below this one, excluding the leaf
    if (ca.pathLength !== undefined && below > ca.pathLength) {
      return `"${ca.info.subject}" allows ${ca.pathLength} intermediate CA(s) below it, the chain has ${below}`
    }
  }
  const leaf = chain[0]!
  if (leaf.keyUsage && !leaf.keyUsage.has(0) && !leaf.keyUsage.has(1)) {
    return `the signer certificate's key usage allows neither digitalSignature nor nonRepudiation`
  }
  return undefined
}

/** Extended key usage purposes by OID, named for messages. */
export const Purpose = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  documentSigning: "1.3.6.1.5.5.7.3.36",
  adobeAuthenticDocuments: "1.2.840.113583.1.1.5",
  microsoftDocumentSigning: "1.3.6.1.4.1.311.10.3.12",
  any: "2.5.29.37.0"
} as const

/** The purposes that allow signing a document (any one suffices; no extension at all allows it too). */
const DOCUMENT_SIGNING_PURPOSES: ReadonlySet<string> = new Set([
  Purpose.emailProtection,
  Purpose.documentSigning,
  Purpose.adobeAuthenticDocuments,
  Purpose.microsoftDocumentSigning,
  Purpose.any
])

const purposeName = (oid: string): string => Object.entries(Purpose).find(([, v]) => v === oid)?.[0] ?? oid

const purposesOf = (cert: Cert): string =>
  (cert.extendedKeyUsage ?? []).map(purposeName).join(", ") || "(empty)"

/**
 * Why `leaf` may not sign a document, or undefined. RFC 5280 §4.2.1.12: when the extended key usage
 * is present, critical or not, the key may serve only the listed purposes; absence allows any.
 */
export const signingPurposeViolation = (leaf: Cert): string | undefined =>
  leaf.extendedKeyUsage === undefined || leaf.extendedKeyUsage.some((p) => DOCUMENT_SIGNING_PURPOSES.has(p))
    ? undefined
    : `the certificate "${leaf.info.subject}" is restricted by its extended key usage to ${purposesOf(leaf)}, none of which allows signing documents (emailProtection, documentSigning, Adobe Authentic Documents, Microsoft document signing or anyExtendedKeyUsage)`

/**
 * Why `tsa` may not issue timestamps, or undefined. RFC 3161 §2.3: a TSA certificate has exactly one
 * extended key usage, id-kp-timeStamping, and the extension is critical.
 */
export const timestampingPurposeViolation = (tsa: Cert): string | undefined => {
  const eku = tsa.extendedKeyUsage
  if (eku === undefined) return `the certificate "${tsa.info.subject}" has no extended key usage: it is not a timestamping authority (RFC 3161 requires the critical id-kp-timeStamping purpose)`
  if (eku.length !== 1 || eku[0] !== Purpose.timeStamping) return `the certificate "${tsa.info.subject}" has the extended key usage ${purposesOf(tsa)}, not exactly timeStamping: it is not a timestamping authority (RFC 3161 §2.3)`
  if (!tsa.extendedKeyUsageCritical) return `the certificate "${tsa.info.subject}" has the timeStamping purpose in a non-critical extension; RFC 3161 §2.3 requires it critical`
  return undefined
}

/** Work units for one signature verification with `key`: RSA costs grow with the square of the size. */
export const verifyUnits = (key: Crypto.KeyObject): number => {
  const d = key.asymmetricKeyDetails
  if (key.asymmetricKeyType === "ec") {
    const curve = d?.namedCurve
    return curve === "prime256v1" ? 200 : curve === "secp384r1" ? 1_000 : 3_000
  }
  const bits = d?.modulusLength ?? 16_384
  return Math.max(50, Math.ceil(100 * (bits / 4096) ** 2))
}

/** Work units for parsing one certificate (X.509 plus our extension reader: about 100 µs). */
export const CERT_UNITS = 150

/**
 * Builds a path from `leaf` to a certificate whose SHA-256 is pinned, verifying every link's
 * signature with `node:crypto`. Names alone never make a link. Each certificate is expanded at
 * most once per depth it is reached at (a pool of look-alike CAs that all sign each other would
 * otherwise make the search exponential), and every candidate and link check is charged to
 * `budget`.
 */
export const buildChain = (
  leaf: Cert,
  pool: ReadonlyArray<Cert>,
  pinned: ReadonlySet<string>,
  budget: Budget
): ChainResult => {
  const found: Array<ReadonlyArray<Cert>> = []
  const nameOnly = new Set<string>()
  /** The shallowest depth each certificate was expanded at, without reaching an anchor. */
  const expanded = new Map<string, number>()
  const walk = (path: Array<Cert>): void => {
    if (found.length > 0 || path.length > 10) return
    const current = path[path.length - 1]!
    if (pinned.has(current.sha256)) {
      found.push([...path])
      return
    }
    const seenAt = expanded.get(current.sha256)
    if (seenAt !== undefined && seenAt <= path.length) return
    expanded.set(current.sha256, path.length)
    for (const candidate of pool) {
      spend(budget, 1)
      if (path.some((p) => p.sha256 === candidate.sha256)) continue
      if (!sameBytes(candidate.subjectDer, current.issuerDer) && !current.x509.checkIssued(candidate.x509)) continue
      spend(budget, verifyUnits(candidate.publicKey))
      if (!linkVerifies(current, candidate)) {
        if (nameOnly.size < 5) nameOnly.add(`"${candidate.info.subject}" (${candidate.sha256.slice(0, 16)}…) has the issuer's name but did not sign "${current.info.subject}"`)
        continue
      }
      walk([...path, candidate])
    }
  }
  walk([leaf])
  const chain = found[0]
  if (!chain) {
    const reason = pinned.size === 0 ? "no trust anchor is configured" : "no path to a pinned trust anchor"
    return { _tag: "NotFound", detail: [reason, ...nameOnly].join("; ") }
  }
  const violation = constraintViolation(chain)
  return violation ? { _tag: "Constraints", chain, detail: violation } : { _tag: "Found", chain }
}
