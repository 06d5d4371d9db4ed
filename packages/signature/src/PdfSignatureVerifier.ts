/**
 * The PDF signature verifier behind `@kho/core`'s `SignatureVerifier` port. Every check of
 * DESIGN.md §5 runs in order on the raw bytes; `node:crypto` does the primitives and no library's
 * "verify" makes a trust decision. Use {@link layer} in an Effect program and {@link verifyPdf}
 * elsewhere.
 *
 * @since 0.1.0
 */
import * as Crypto from "node:crypto"
import type { Check, CertificateInfo, Indication, SignatureReport, SignatureVerdict, SubIndication } from "@kho/core/SignatureReport"
import { SignatureVerifier, UnreadablePdf, type VerifyOptions } from "@kho/core/SignatureVerifier"
import { Clock, Effect, Layer } from "effect"
import * as Alg from "./internal/algorithms.ts"
import * as Ber from "./internal/ber.ts"
import { buildChain, type Cert, CERT_UNITS, cachedCert, signingPurposeViolation, timestampingPurposeViolation, validAt, verifyUnits } from "./internal/certificate.ts"
import * as Cms from "./internal/cms.ts"
import { type Budget, BudgetExceeded, budgetOf, latin1, spend, spendDecoded, spendScanned } from "./internal/pdfLexer.ts"
import { type FoundSignature, findSignatures, revisionEndsAt, revisionEndsFrom } from "./internal/pdfScan.ts"
import { classify, type Revision, type RevisionKind } from "./internal/revisions.ts"
import type { TrustConfig } from "./TrustConfig.ts"

/**
 * The names of the checks, in the order they run; a verdict lists each that applied.
 *
 * @since 0.1.0
 */
export const CheckNames = [
  "byte-range",
  "cms",
  "signer-info",
  "sub-filter",
  "detached",
  "signer-certificate",
  "crypto-constraints",
  "message-digest",
  "signature-value",
  "signature-timestamp",
  "signing-time",
  "certificate-chain",
  "validity",
  "revisions"
] as const

/**
 * How far the claimed signingTime may run ahead of the reference time: VGCA signing clients write
 * Vietnamese local time (UTC+7) labelled as UTC, so 7 h plus a margin for clock skew.
 *
 * @since 0.1.0
 */
export const SIGNING_TIME_TOLERANCE_MS = (7 * 60 + 15) * 60_000

/** Work units per ASN.1 element read (about 60 ns each; re-reads of BER indefinite lengths count). */
const NODE_UNITS = 1 / 16

/** Lets a budget exhaustion through a catch that turns parse errors into verdicts. */
const rethrowBudget = (e: unknown): void => {
  if (e instanceof BudgetExceeded) throw e
}

const SUPPORTED_SUBFILTERS = new Set(["adbe.pkcs7.detached", "ETSI.CAdES.detached"])

interface Failure {
  readonly indication: Exclude<Indication, "TOTAL_PASSED">
  readonly subIndication: SubIndication
  readonly reason: string
}

class Recorder {
  readonly checks: Array<Check> = []
  failed: Failure | undefined
  indeterminate: Failure | undefined
  pass(name: (typeof CheckNames)[number], detail: string): void {
    this.checks.push({ name, outcome: "passed", detail })
  }
  skip(name: (typeof CheckNames)[number], detail: string): void {
    this.checks.push({ name, outcome: "not-run", detail })
  }
  fail(name: (typeof CheckNames)[number], indication: Failure["indication"], subIndication: SubIndication, detail: string): void {
    this.checks.push({ name, outcome: "failed", detail })
    const failure = { indication, subIndication, reason: detail }
    if (indication === "TOTAL_FAILED") this.failed ??= failure
    else this.indeterminate ??= failure
  }
  skipRest(from: (typeof CheckNames)[number], detail: string): void {
    for (const name of CheckNames.slice(CheckNames.indexOf(from))) this.skip(name, detail)
  }
}

/** What the revisions after a point of the file did (memoised per start: later lists are suffixes). */
interface LaterRevisions {
  readonly count: number
  readonly firstBad: Revision | undefined
  /** The first few kinds, in file order. */
  readonly kinds: ReadonlyArray<RevisionKind>
}

const NO_LATER_REVISIONS: LaterRevisions = { count: 0, firstBad: undefined, kinds: [] }

interface Context {
  readonly buf: Buffer
  readonly trust: TrustConfig
  readonly at: Date
  readonly budget: Budget
  /** Charges the budget for ASN.1 elements read from a CMS. */
  readonly meter: Ber.Meter
  /**
   * One running hash per digest over `[0, at)`: the first signed range of each signature extends
   * the previous one's, so n signatures (and the document hash) cost one pass, not n.
   */
  readonly prefixes: Map<Alg.DigestName, { readonly hash: Crypto.Hash; at: number }>
  /** Revision ends from `from` on, found once. */
  revisionEnds: { readonly from: number; readonly ends: ReadonlyArray<number> } | undefined
  readonly later: Map<number, LaterRevisions>
}

/** Hashes the two signed ranges, continuing the running hash of the file's prefix. */
const hashRanges = (ctx: Context, digest: Alg.DigestName, br: ReadonlyArray<number>): Buffer => {
  const [a, b, c, d] = br as [number, number, number, number]
  let h: Crypto.Hash
  if (a === 0) {
    let prefix = ctx.prefixes.get(digest)
    if (!prefix || prefix.at > b) {
      prefix = { hash: Crypto.createHash(digest), at: 0 }
      ctx.prefixes.set(digest, prefix)
    }
    spendScanned(ctx.budget, b - prefix.at)
    prefix.hash.update(ctx.buf.subarray(prefix.at, b))
    prefix.at = b
    h = prefix.hash.copy()
  } else {
    spendScanned(ctx.budget, b)
    h = Crypto.createHash(digest).update(ctx.buf.subarray(a, a + b))
  }
  spendScanned(ctx.budget, d)
  return h.update(ctx.buf.subarray(c, c + d)).digest()
}

/** SHA-256 of the whole file, finishing the running prefix hash when there is one. */
const documentHash = (ctx: Context): string => {
  const prefix = ctx.prefixes.get("sha256")
  const hash = prefix ? prefix.hash.copy() : Crypto.createHash("sha256")
  return hash.update(ctx.buf.subarray(prefix?.at ?? 0)).digest("hex")
}

const checkByteRange = (ctx: Context, sig: FoundSignature): string | undefined => {
  const br = sig.byteRange
  const size = ctx.buf.length
  if (!br) return "the /ByteRange is missing or is not an array of integers"
  if (br.length !== 4) {
    const has = br.length % 2 === 0 ? `${br.length / 2} range(s)` : `${br.length} numbers`
    return `the /ByteRange has ${has}; exactly two ranges are required (before and after /Contents)`
  }
  const [a, b, c, d] = br as [number, number, number, number]
  if (br.some((n) => n < 0)) return "the /ByteRange has a negative number"
  if (a !== 0) return `the signed range starts at byte ${a}, not at the start of the file`
  if (c < a + b) return `the two signed ranges overlap (${a}+${b} > ${c})`
  if (c + d > size) return `the /ByteRange ends at byte ${c + d}, past the end of the ${size}-byte file`
  if (!sig.contents) return "the signature dictionary has no /Contents hex string"
  const { start, end } = sig.contents
  const exact = b === start && c === end
  const digitsOnly = b === start + 1 && c === end - 1
  if (!exact && !digitsOnly) {
    return `the unsigned gap [${b}, ${c}) is not exactly the /Contents string [${start}, ${end}): other bytes are left unsigned`
  }
  if (!revisionEndsAt(ctx.buf, c + d)) return `the signed range ends at byte ${c + d}, which is not the end of a revision (%%EOF)`
  return undefined
}

/** Outcome of checking a timestamp token. */
type TimestampOutcome =
  | { readonly _tag: "Corrupt"; readonly sub: SubIndication; readonly detail: string }
  | { readonly _tag: "Intact"; readonly genTime: Date; readonly trusted: boolean; readonly detail: string }

const parseCerts = (budget: Budget, ders: ReadonlyArray<Uint8Array>): Array<Cert> => {
  const out: Array<Cert> = []
  for (const der of ders) {
    spend(budget, CERT_UNITS)
    try {
      out.push(cachedCert(der))
    } catch {
      // An unreadable embedded certificate cannot be the signer; it is reported by identification.
    }
  }
  return out
}

const findSigner = (sid: Cms.SignerIdentifier, certs: ReadonlyArray<Cert>): Cert | undefined =>
  certs.find((c) =>
    sid._tag === "IssuerAndSerial"
      ? c.serialHex === sid.serialHex && (Buffer.from(c.issuerDer).equals(Buffer.from(sid.issuer)))
      : c.subjectKeyId === sid.keyId
  )

/** Verifies an RFC 3161 token whose imprint must cover `imprinted`. */
const checkTimestampToken = (ctx: Context, token: Uint8Array, imprinted: Uint8Array): TimestampOutcome => {
  let sd: Cms.SignedData
  let tst: Cms.TstInfo
  try {
    sd = Cms.parseSignedData(token, ctx.meter)
    if (sd.eContentType !== Cms.Oid.tstInfo || !sd.eContent) return { _tag: "Corrupt", sub: "FORMAT_FAILURE", detail: "the timestamp token holds no TSTInfo" }
    tst = Cms.parseTstInfo(sd.eContent, ctx.meter)
  } catch (e) {
    rethrowBudget(e)
    return { _tag: "Corrupt", sub: "FORMAT_FAILURE", detail: `the timestamp token does not parse: ${(e as Error).message}` }
  }
  const imprintDigest = Alg.digestOf(tst.imprintAlgorithm)
  if (!imprintDigest) return { _tag: "Corrupt", sub: "FORMAT_FAILURE", detail: `unknown timestamp imprint algorithm ${tst.imprintAlgorithm.oid}` }
  if (!Crypto.createHash(imprintDigest).update(imprinted).digest().equals(Buffer.from(tst.imprint))) {
    return { _tag: "Corrupt", sub: "HASH_FAILURE", detail: "the timestamp's message imprint does not match the timestamped bytes" }
  }
  const si = sd.signerInfos[0]
  if (sd.signerInfos.length !== 1 || !si) return { _tag: "Corrupt", sub: "FORMAT_FAILURE", detail: "the timestamp token must have one SignerInfo" }
  const certs = parseCerts(ctx.budget, sd.certificates)
  const tsa = findSigner(si.sid, [...certs, ...ctx.trust.pool])
  if (!tsa) return { _tag: "Intact", genTime: tst.genTime, trusted: false, detail: `the timestamp (${tst.genTime.toISOString()}) names a TSA certificate it does not carry; not used as proof of existence` }
  const digest = Alg.digestOf(si.digestAlgorithm)
  const scheme = digest ? Alg.schemeOf(si.signatureAlgorithm, digest) : "unknown digest"
  if (!digest || typeof scheme === "string" || !si.signedAttributesDer) {
    return { _tag: "Corrupt", sub: "FORMAT_FAILURE", detail: `the timestamp token's algorithms are unusable (${typeof scheme === "string" ? scheme : "no signed attributes"})` }
  }
  const md = Cms.attributeValue(si.signedAttributes, Cms.Oid.messageDigest)
  if (!md || !Crypto.createHash(digest).update(sd.eContent!).digest().equals(Buffer.from(Ber.content(md)))) {
    return { _tag: "Corrupt", sub: "HASH_FAILURE", detail: "the timestamp token's message digest does not match its TSTInfo" }
  }
  spend(ctx.budget, verifyUnits(tsa.publicKey))
  if (!Alg.verifyWith(scheme, tsa.publicKey, si.signedAttributesDer, si.signature)) {
    return { _tag: "Corrupt", sub: "SIG_CRYPTO_FAILURE", detail: "the timestamp token's signature does not verify" }
  }
  const when = tst.genTime.toISOString()
  const untrusted = (why: string): TimestampOutcome => ({ _tag: "Intact", genTime: tst.genTime, trusted: false, detail: `timestamp of ${when} is intact, but ${why}; not used as proof of existence` })
  const chain = buildChain(tsa, [...certs, ...ctx.trust.pool], ctx.trust.pinned, ctx.budget)
  if (chain._tag !== "Found") {
    return { _tag: "Intact", genTime: tst.genTime, trusted: false, detail: `timestamp of ${when} is intact, but its TSA "${tsa.info.subject}" is not trusted (${chain.detail}); not used as proof of existence` }
  }
  // RFC 3161 §2.3: chaining to an anchor is not enough, the certificate must be a TSA's.
  const notTsa = timestampingPurposeViolation(tsa)
  if (notTsa) return untrusted(notTsa)
  const weakPolicy = [
    ctx.trust.acceptedDigests.has(imprintDigest) ? undefined : `its message imprint uses ${imprintDigest}, not accepted by the policy`,
    ctx.trust.acceptedDigests.has(digest) ? undefined : `its token is signed over ${digest}, not accepted by the policy`,
    ...chain.chain.map((c, k) => keyConstraint(ctx.trust, c.publicKey, `its TSA${k === 0 ? "" : "'s CA"} "${c.info.subject}"`))
  ].filter((p): p is string => p !== undefined)
  if (weakPolicy.length > 0) return untrusted(weakPolicy.join("; "))
  if (!chain.chain.every((c) => validAt(c, tst.genTime))) {
    return { _tag: "Intact", genTime: tst.genTime, trusted: false, detail: `timestamp of ${when}: the TSA chain was not valid at that time; not used as proof of existence` }
  }
  return { _tag: "Intact", genTime: tst.genTime, trusted: true, detail: `trusted timestamp of ${when} by "${tsa.info.subject}": proof the signature existed then` }
}

/**
 * The ESS signing-certificate(-v2) attribute, when present, binds the signature to one certificate:
 * a different certificate with the same issuer and serial (or key id) is a substitution.
 */
const essCertificateMismatch = (si: Cms.SignerInfo, signer: Cert): string | undefined => {
  const v2 = Cms.attributeValue(si.signedAttributes, Cms.Oid.signingCertificateV2)
  const v1 = Cms.attributeValue(si.signedAttributes, Cms.Oid.signingCertificate)
  const attr = v2 ?? v1
  if (!attr) return undefined
  try {
    const first = Ber.children(Ber.children(attr)[0]!)[0]
    if (!first) return "the signing-certificate attribute lists no certificate"
    const parts = Ber.children(first)
    const hasAlg = v2 !== undefined && Ber.is(parts[0], Ber.Tag.SEQUENCE)
    const digest = v2 ? (hasAlg ? Alg.digestOf(Cms.algorithm(parts[0])) : "sha256") : "sha1"
    const hash = Ber.content(Ber.expect(parts[hasAlg ? 1 : 0], Ber.Tag.OCTET_STRING, "certHash"))
    if (!digest) return "the signing-certificate attribute uses an unknown hash"
    return Crypto.createHash(digest).update(signer.der).digest().equals(Buffer.from(hash))
      ? undefined
      : `the signed signing-certificate attribute names another certificate than "${signer.info.subject}"`
  } catch (e) {
    rethrowBudget(e)
    return `the signing-certificate attribute is malformed: ${(e as Error).message}`
  }
}

const keyConstraint = (trust: TrustConfig, key: Crypto.KeyObject, who: string): string | undefined => {
  if (key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
    return bits < trust.minRsaBits ? `${who} has an RSA-${bits} key; the policy requires at least ${trust.minRsaBits} bits` : undefined
  }
  if (key.asymmetricKeyType === "ec") {
    const curve = Alg.curveName(key)
    return curve && trust.acceptedCurves.has(curve) ? undefined : `${who} uses the curve ${curve ?? "(unknown)"}, not accepted by the policy`
  }
  return `${who} has an unsupported ${key.asymmetricKeyType ?? "unknown"} key`
}

/** The revision ends after `from` (from one search of the file per verification), nearest first. */
function* revisionEndsAfter(ctx: Context, from: number): Generator<number> {
  if (!ctx.revisionEnds || ctx.revisionEnds.from > from) {
    ctx.revisionEnds = { from, ends: revisionEndsFrom(ctx.buf, ctx.budget, from) }
  }
  const ends = ctx.revisionEnds.ends
  let lo = 0
  let hi = ends.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ends[mid]! > from) hi = mid
    else lo = mid + 1
  }
  for (let k = lo; k < ends.length; k++) yield ends[k]!
}

/** Classifies the revisions after `end`, each once per verification however many signatures precede it. */
const laterRevisions = (ctx: Context, end: number): LaterRevisions => {
  const segments: Array<readonly [number, number]> = []
  let start = end
  for (const revEnd of revisionEndsAfter(ctx, end)) {
    if (ctx.later.has(start)) break
    spend(ctx.budget, 1)
    if (revEnd <= start) continue
    segments.push([start, revEnd])
    start = revEnd
  }
  let summary = ctx.later.get(start) ?? NO_LATER_REVISIONS
  for (let k = segments.length - 1; k >= 0; k--) {
    const [from, to] = segments[k]!
    const rev = classify(ctx.buf, ctx.budget, from, to)
    summary = {
      count: summary.count + 1,
      firstBad: rev.kind === "other" ? rev : summary.firstBad,
      kinds: [rev.kind, ...summary.kinds].slice(0, 5)
    }
    ctx.later.set(from, summary)
  }
  return summary
}

const verdictFor = (ctx: Context, sig: FoundSignature, index: number): SignatureVerdict => {
  const r = new Recorder()
  const fieldName = sig.fieldName ?? `#${index + 1}`
  const kind: SignatureVerdict["kind"] = sig.subFilter === "ETSI.RFC3161" || sig.type === "DocTimeStamp" ? "document-timestamp" : "signature"
  let signer: Cert | undefined = undefined
  let chain: ReadonlyArray<Cert> = []
  let signingTime: Date | undefined
  const br = sig.byteRange ?? []
  const finish = (): SignatureVerdict => {
    const worst = r.failed ?? r.indeterminate
    const rangeEnd = br.length === 4 ? br[2]! + br[3]! : -1
    return {
      fieldName,
      subFilter: sig.subFilter ?? null,
      kind,
      indication: worst?.indication ?? "TOTAL_PASSED",
      subIndication: worst?.subIndication ?? null,
      reason: worst?.reason ?? (kind === "signature"
        ? `intact signature by "${signer?.info.subject ?? "?"}", chained to a pinned trust anchor`
        : "intact document timestamp from a trusted TSA"),
      signer: signer?.info ?? null,
      chain: chain.map((c): CertificateInfo => c.info),
      signingTime: signingTime?.toISOString() ?? null,
      byteRange: [...br],
      coversWholeDocument: rangeEnd === ctx.buf.length,
      checks: r.checks
    }
  }

  // 1. ByteRange on the raw bytes.
  const rangeProblem = checkByteRange(ctx, sig)
  if (rangeProblem) {
    r.fail("byte-range", "TOTAL_FAILED", "FORMAT_FAILURE", rangeProblem)
    r.skipRest("cms", "the signed bytes are not well defined")
    return finish()
  }
  r.pass("byte-range", `[${br.join(" ")}]: from byte 0 to the end of its revision, the gap is exactly /Contents`)
  const [, , c, d] = br as [number, number, number, number]

  // 2. CMS parses (BER accepted).
  spendDecoded(ctx.budget, sig.contents!.end - sig.contents!.start)
  const hexText = latin1(ctx.buf, sig.contents!.start + 1, sig.contents!.end - 1).replace(/\s+/g, "")
  let sd: Cms.SignedData
  try {
    // Buffer's hex decoder stops at the first non-hex digit: a short result means a bad string.
    const der = Buffer.from(hexText, "hex")
    if (der.length * 2 !== hexText.length) throw new Ber.BerError("/Contents is not a hex string")
    sd = Cms.parseSignedData(der, ctx.meter)
  } catch (e) {
    rethrowBudget(e)
    r.fail("cms", "TOTAL_FAILED", "FORMAT_FAILURE", `the signature value is not a readable CMS SignedData: ${(e as Error).message}`)
    r.skipRest("signer-info", "no CMS")
    return finish()
  }
  const embedded: Array<Cert> = []
  for (const [k, der] of sd.certificates.entries()) {
    spend(ctx.budget, CERT_UNITS)
    try {
      embedded.push(cachedCert(der))
    } catch (e) {
      // OpenSSL's own message ("PEM routines::no start line") would mislead: the input was DER.
      const why = e instanceof Ber.BerError ? e.message : "OpenSSL cannot read it as DER X.509"
      r.fail("cms", "TOTAL_FAILED", "FORMAT_FAILURE", `certificate #${k + 1} in the CMS is not a valid X.509 certificate (${why}); the file was damaged or badly made by its signing tool`)
      r.skipRest("signer-info", "malformed CMS")
      return finish()
    }
  }
  r.pass("cms", `SignedData with ${sd.certificates.length} certificate(s)`)

  // 3. One SignerInfo.
  const si = sd.signerInfos[0]
  if (sd.signerInfos.length !== 1 || !si) {
    r.fail("signer-info", "TOTAL_FAILED", "FORMAT_FAILURE", `the CMS has ${sd.signerInfos.length} SignerInfos; exactly one is required`)
    r.skipRest("sub-filter", "no single signer")
    return finish()
  }
  r.pass("signer-info", "exactly one SignerInfo")

  // 4. SubFilter.
  if (kind === "document-timestamp" ? sig.subFilter !== "ETSI.RFC3161" : !SUPPORTED_SUBFILTERS.has(sig.subFilter ?? "")) {
    r.fail("sub-filter", "TOTAL_FAILED", "FORMAT_FAILURE", `SubFilter /${sig.subFilter ?? "(none)"} is not supported (adbe.pkcs7.detached, ETSI.CAdES.detached, ETSI.RFC3161)`)
    r.skipRest("detached", "unsupported SubFilter")
    return finish()
  }
  r.pass("sub-filter", `/${sig.subFilter}`)

  // 5. Detached (signatures) or TSTInfo (document timestamps).
  let tst: Cms.TstInfo | undefined
  if (kind === "signature") {
    if (sd.eContent !== undefined || sd.eContentType !== Cms.Oid.data) {
      r.fail("detached", "TOTAL_FAILED", "FORMAT_FAILURE", sd.eContent !== undefined
        ? "the CMS embeds content although the SubFilter is detached: what is signed is not the PDF bytes"
        : `the encapsulated content type ${sd.eContentType} is not id-data`)
      r.skipRest("signer-certificate", "not a detached signature")
      return finish()
    }
    r.pass("detached", "no embedded content: the signature covers the PDF bytes")
  } else {
    try {
      if (sd.eContentType !== Cms.Oid.tstInfo || !sd.eContent) throw new Ber.BerError("no TSTInfo")
      tst = Cms.parseTstInfo(sd.eContent, ctx.meter)
    } catch (e) {
      rethrowBudget(e)
      r.fail("detached", "TOTAL_FAILED", "FORMAT_FAILURE", `the document timestamp holds no readable TSTInfo: ${(e as Error).message}`)
      r.skipRest("signer-certificate", "no TSTInfo")
      return finish()
    }
    r.pass("detached", `document timestamp token of ${tst.genTime.toISOString()}`)
  }

  // 6. Signer certificate.
  signer = findSigner(si.sid, [...embedded, ...ctx.trust.pool])
  const essMismatch = signer ? essCertificateMismatch(si, signer) : undefined
  if (signer && essMismatch) {
    r.fail("signer-certificate", "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", essMismatch)
    signer = undefined
  } else if (signer) {
    const bound = Cms.attributeValue(si.signedAttributes, Cms.Oid.signingCertificateV2) ?? Cms.attributeValue(si.signedAttributes, Cms.Oid.signingCertificate)
    r.pass("signer-certificate", `"${signer.info.subject}", serial ${signer.info.serialNumber}${bound ? "; bound by the signed signing-certificate attribute" : ""}`)
  } else {
    r.fail("signer-certificate", "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", si.sid._tag === "IssuerAndSerial"
      ? `no readable certificate matches the SignerInfo's issuer and serial ${si.sid.serialHex}`
      : `no readable certificate has the subject key identifier ${si.sid.keyId}`)
  }

  // 7. Cryptographic constraints.
  const digest = Alg.digestOf(si.digestAlgorithm)
  const resolved = digest ? Alg.schemeOf(si.signatureAlgorithm, digest) : `unknown digest algorithm ${si.digestAlgorithm.oid}`
  let scheme: Alg.Scheme | undefined
  if (typeof resolved === "string") {
    r.fail("crypto-constraints", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", resolved)
  } else if (signer && !Alg.keyFits(resolved.scheme, signer.publicKey)) {
    r.fail("crypto-constraints", "TOTAL_FAILED", "SIG_CRYPTO_FAILURE", `the signature algorithm (${resolved.label}) does not fit the signer's ${Alg.describeKey(signer.publicKey)} key`)
  } else {
    scheme = resolved
    const imprintDigest = tst ? Alg.digestOf(tst.imprintAlgorithm) : undefined
    const problems = [
      ctx.trust.acceptedDigests.has(resolved.digest) ? undefined : `the digest ${resolved.digest} is not accepted by the policy`,
      imprintDigest && !ctx.trust.acceptedDigests.has(imprintDigest) ? `the timestamp's message imprint uses ${imprintDigest}, not accepted by the policy` : undefined,
      ctx.trust.acceptedSchemes.has(resolved.scheme) ? undefined : `${resolved.scheme} signatures are not accepted by the policy`,
      signer ? keyConstraint(ctx.trust, signer.publicKey, "the signer certificate") : undefined
    ].filter((p): p is string => p !== undefined)
    if (problems.length > 0) r.fail("crypto-constraints", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", problems.join("; "))
    else r.pass("crypto-constraints", `${resolved.label}${signer ? `, ${Alg.describeKey(signer.publicKey)}` : ""}`)
  }

  // 8. Message digest over the signed bytes.
  let signedContent: Uint8Array | undefined
  if (!digest) r.skip("message-digest", "unknown digest algorithm")
  else if (kind === "document-timestamp") {
    const imprintDigest = Alg.digestOf(tst!.imprintAlgorithm)
    const md = Cms.attributeValue(si.signedAttributes, Cms.Oid.messageDigest)
    if (!imprintDigest) r.fail("message-digest", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", `unknown imprint algorithm ${tst!.imprintAlgorithm.oid}`)
    else if (!hashRanges(ctx, imprintDigest, br).equals(Buffer.from(tst!.imprint))) {
      r.fail("message-digest", "TOTAL_FAILED", "HASH_FAILURE", "the timestamp's message imprint does not match the signed bytes: the document was changed")
    } else if (!md || !Crypto.createHash(digest).update(sd.eContent!).digest().equals(Buffer.from(Ber.content(md)))) {
      r.fail("message-digest", "TOTAL_FAILED", "HASH_FAILURE", "the token's message digest does not match its TSTInfo")
    } else r.pass("message-digest", `the imprint (${imprintDigest}) matches the signed bytes`)
  } else if (si.signedAttributesDer) {
    const md = Cms.attributeValue(si.signedAttributes, Cms.Oid.messageDigest)
    const ct = Cms.attributeValue(si.signedAttributes, Cms.Oid.contentType)
    const actual = hashRanges(ctx, digest, br)
    if (!md || !Ber.is(md, Ber.Tag.OCTET_STRING)) r.fail("message-digest", "TOTAL_FAILED", "FORMAT_FAILURE", "the signed attributes have no messageDigest")
    else if (!ct || oidOrUndefined(ct) !== Cms.Oid.data) r.fail("message-digest", "TOTAL_FAILED", "FORMAT_FAILURE", "the signed contentType attribute is missing or not id-data")
    else if (!actual.equals(Buffer.from(Ber.content(md)))) {
      r.fail("message-digest", "TOTAL_FAILED", "HASH_FAILURE", `the ${digest} of the signed bytes does not match the signed messageDigest: the document was changed after signing`)
    } else r.pass("message-digest", `${digest} of the signed bytes matches the messageDigest attribute`)
  } else {
    spendScanned(ctx.budget, br[1]! + d)
    signedContent = Buffer.concat([ctx.buf.subarray(0, br[1]), ctx.buf.subarray(c, c + d)])
    r.skip("message-digest", "no signed attributes: the signature is checked directly over the signed bytes")
  }

  // 9. Signature value.
  const signedData = si.signedAttributesDer ?? signedContent
  if (si.signedAttributesIndefinite) r.fail("signature-value", "TOTAL_FAILED", "FORMAT_FAILURE", "the signed attributes are not DER-encoded")
  else if (!signer || !scheme || !signedData) r.skip("signature-value", "no usable signer certificate or algorithm")
  else {
    spend(ctx.budget, verifyUnits(signer.publicKey))
    spendScanned(ctx.budget, signedData.length)
    if (!Alg.verifyWith(scheme, signer.publicKey, signedData, si.signature)) {
      r.fail("signature-value", "TOTAL_FAILED", "SIG_CRYPTO_FAILURE", `the ${scheme.label} signature does not verify with the signer certificate's key`)
    } else r.pass("signature-value", `${scheme.label} signature verifies with the signer's key`)
  }

  // 10. Signature timestamp (proof of existence).
  let poe: Date | undefined
  const tokenAttr = Cms.attributeValue(si.unsignedAttributes, Cms.Oid.signatureTimeStampToken)
  if (kind === "document-timestamp") {
    poe = tst!.genTime
    r.skip("signature-timestamp", "a document timestamp is itself the timestamp")
  } else if (!tokenAttr) r.skip("signature-timestamp", "no signature timestamp")
  else {
    const outcome = checkTimestampToken(ctx, Ber.raw(tokenAttr), si.signature)
    if (outcome._tag === "Corrupt") r.fail("signature-timestamp", "TOTAL_FAILED", outcome.sub, outcome.detail)
    else {
      if (outcome.trusted) poe = outcome.genTime
      r.pass("signature-timestamp", outcome.detail)
    }
  }

  // 11. Claimed signing time.
  const st = Cms.attributeValue(si.signedAttributes, Cms.Oid.signingTime)
  if (st) {
    try {
      signingTime = Ber.time(st)
    } catch (e) {
      rethrowBudget(e)
      signingTime = undefined
    }
  }
  if (!signingTime) r.skip("signing-time", st ? "unreadable signingTime attribute" : "no signingTime attribute")
  else {
    const reference = poe ?? ctx.at
    const ahead = signingTime.getTime() - reference.getTime()
    const what = poe ? "the timestamp" : "the validation time"
    if (ahead > SIGNING_TIME_TOLERANCE_MS) {
      r.fail("signing-time", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", `the claimed signing time ${signingTime.toISOString()} is ${(ahead / 3_600_000).toFixed(1)} h after ${what}`)
    } else if (ahead > 0) {
      r.pass("signing-time", `claimed ${signingTime.toISOString()}, ${(ahead / 3_600_000).toFixed(1)} h after ${what}: within the +7 h local-time quirk of VGCA clients; a claim, not proof`)
    } else r.pass("signing-time", `claimed ${signingTime.toISOString()} (a claim by the signer, not proof of existence)`)
  }

  // 12. Chain to a pinned anchor.
  if (!signer) r.skip("certificate-chain", "no signer certificate")
  else {
    const built = buildChain(signer, [...embedded, ...ctx.trust.pool], ctx.trust.pinned, ctx.budget)
    if (built._tag === "NotFound") {
      r.fail("certificate-chain", "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND", `the signer certificate does not chain to a trusted anchor: ${built.detail}`)
    } else {
      chain = built.chain
      const weak = chain.slice(1).map((cert) => keyConstraint(ctx.trust, cert.publicKey, `"${cert.info.subject}"`)).find((p) => p !== undefined)
      // Purpose is judged on a trusted path only: an untrusted certificate's extensions prove nothing.
      const purpose = kind === "signature" ? signingPurposeViolation(signer) : timestampingPurposeViolation(signer)
      if (purpose) {
        r.fail("certificate-chain", "TOTAL_FAILED", "CHAIN_CONSTRAINTS_FAILURE", kind === "signature"
          ? `${purpose}: it may not sign this document`
          : `the document timestamp was not made by a timestamping authority: ${purpose}`)
      } else if (built._tag === "Constraints") r.fail("certificate-chain", "INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE", built.detail)
      else if (weak) r.fail("certificate-chain", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", weak)
      else r.pass("certificate-chain", chain.map((cert) => `"${cert.info.subject}"`).join(" → ") + " (anchor pinned by SHA-256)")
    }
  }

  // 13. Validity at the validation time, or at the proof of existence.
  const subjects = chain.length > 0 ? chain : signer ? [signer] : []
  if (subjects.length === 0) r.skip("validity", "no certificate")
  else {
    const at = ctx.at
    const invalidNow = subjects.filter((cert) => !validAt(cert, at))
    if (poe && signer && poe.getTime() < signer.notBefore.getTime()) {
      r.fail("validity", "TOTAL_FAILED", "NOT_YET_VALID", `"${signer.info.subject}" was not yet valid at the trusted timestamp ${poe.toISOString()} (valid ${signer.info.notBefore} … ${signer.info.notAfter}): the ${kind === "signature" ? "signature" : "document timestamp"} existed before its certificate, so it cannot have been made with it`)
    } else if (invalidNow.length === 0) r.pass("validity", `every certificate is valid at ${at.toISOString()}`)
    else if (poe && subjects.every((cert) => validAt(cert, poe))) {
      r.pass("validity", `not every certificate is valid at ${at.toISOString()}, but all were at the trusted timestamp ${poe.toISOString()}`)
    } else if (poe) {
      const bad = subjects.find((cert) => !validAt(cert, poe))!
      const early = poe.getTime() < bad.notBefore.getTime()
      r.fail("validity", "TOTAL_FAILED", early ? "NOT_YET_VALID" : "EXPIRED", `"${bad.info.subject}" was ${early ? "not yet valid" : "expired"} at the trusted timestamp ${poe.toISOString()} (valid ${bad.info.notBefore} … ${bad.info.notAfter})`)
    } else {
      const bad = invalidNow[0]!
      r.fail("validity", "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE", `"${bad.info.subject}" is not valid at ${at.toISOString()} (valid ${bad.info.notBefore} … ${bad.info.notAfter}) and no trusted timestamp proves the signature existed earlier`)
    }
  }

  // 14. Revisions after the signed range.
  const later = laterRevisions(ctx, c + d)
  const bad = later.firstBad
  if (bad) r.fail("revisions", "TOTAL_FAILED", "FORMAT_FAILURE", `the file was modified after signing (bytes ${bad.start}…${bad.end}): ${bad.detail}`)
  else if (later.count === 0) r.pass("revisions", "the signature covers the whole file")
  else r.pass("revisions", `${later.count} later revision(s), all allowed: ${later.kinds.join(", ")}${later.count > later.kinds.length ? ", …" : ""}`)
  return finish()
}

/** The OID a node holds, or undefined when it is not a readable OBJECT IDENTIFIER. */
const oidOrUndefined = (node: Ber.Node): string | undefined => {
  try {
    return Ber.oid(node)
  } catch (e) {
    if (e instanceof Ber.BerError) return undefined
    throw e
  }
}

/**
 * {@link verdictFor}, with a malformed ASN.1 structure met deep inside a CMS turned into that
 * signature's FORMAT_FAILURE: one broken signature gets a verdict, it does not make the whole file
 * unreadable.
 */
const safeVerdictFor = (ctx: Context, sig: FoundSignature, index: number): SignatureVerdict => {
  try {
    return verdictFor(ctx, sig, index)
  } catch (e) {
    if (!(e instanceof Ber.BerError)) throw e
    const detail = `the CMS holds a malformed ASN.1 structure: ${e.message}`
    const br = sig.byteRange ?? []
    return {
      fieldName: sig.fieldName ?? `#${index + 1}`,
      subFilter: sig.subFilter ?? null,
      kind: sig.subFilter === "ETSI.RFC3161" || sig.type === "DocTimeStamp" ? "document-timestamp" : "signature",
      indication: "TOTAL_FAILED",
      subIndication: "FORMAT_FAILURE",
      reason: detail,
      signer: null,
      chain: [],
      signingTime: null,
      byteRange: [...br],
      coversWholeDocument: br.length === 4 && br[2]! + br[3]! === ctx.buf.length,
      checks: [{ name: "cms", outcome: "failed", detail }]
    }
  }
}

const rank = (i: Indication): number => (i === "TOTAL_FAILED" ? 2 : i === "INDETERMINATE" ? 1 : 0)

/** Why a verification gave up, in terms a person can act on. */
const budgetMessage = (trust: TrustConfig, budget: Budget, signatures: number | undefined): string => {
  const megabytes = (budget.bytes / 1_000_000).toFixed(1)
  const where = signatures === undefined
    ? `while looking for signature dictionaries, after ${megabytes} MB hashed, searched or inflated`
    : `on ${signatures} signature dictionar${signatures === 1 ? "y" : "ies"} and ${megabytes} MB hashed, searched or inflated`
  return `examining the file needs more work than the work budget allows (TrustConfig.workBudget = ${trust.workBudget} units of about a microsecond; spent ${where}): ` +
    "it is malformed or built to exhaust the verifier. If it is a genuine document, verify it with a larger workBudget."
}

const unreadable = (reason: UnreadablePdf["reason"], message: string) => new UnreadablePdf({ reason, message })

/**
 * Verifies every signature of a PDF outside Effect. Throws `UnreadablePdf` (from `@kho/core`) when
 * the bytes cannot be examined at all; every other outcome is a report. Without `validationTime`
 * the system clock is read here, at the edge; inside Effect use {@link verify} (the `Clock`).
 *
 * @since 0.1.0
 */
export const verifyPdf = (pdf: Uint8Array, trust: TrustConfig, options: VerifyOptions = {}): SignatureReport => {
  if (pdf.byteLength > trust.maxBytes) {
    throw unreadable("TooLarge", `the file is ${pdf.byteLength} bytes; the limit is ${trust.maxBytes} bytes`)
  }
  const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)
  const head = buf.indexOf("%PDF-", 0, "latin1")
  const hasHeader = head >= 0 && head < 1024
  const hasEof = buf.lastIndexOf("%%EOF", buf.length, "latin1") >= 0
  if (!hasHeader && !(hasEof && buf.indexOf(" obj", 0, "latin1") >= 0)) {
    throw unreadable("NotPdf", "the file is not a PDF (no %PDF- header and no PDF body)")
  }
  const at = options.validationTime ?? new Date()
  const budget = budgetOf(trust.workBudget)
  const ctx: Context = { buf, trust, at, budget, meter: (nodes) => spend(budget, nodes * NODE_UNITS), prefixes: new Map(), revisionEnds: undefined, later: new Map() }
  let verdicts: Array<SignatureVerdict>
  let found: Array<FoundSignature> | undefined
  try {
    found = findSignatures(buf, ctx.budget)
    if (found.length === 0 && !hasEof) throw unreadable("Malformed", "the file has a PDF header but no complete PDF body (%%EOF)")
    verdicts = found.map((sig, k) => safeVerdictFor(ctx, sig, k))
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      throw unreadable("Timeout", budgetMessage(trust, ctx.budget, found?.length))
    }
    if (e instanceof UnreadablePdf) throw e
    throw unreadable("Malformed", `the file could not be examined: ${e instanceof Error ? e.message : String(e)}`)
  }
  const documentSha256 = documentHash(ctx)
  const signatures = verdicts.filter((v) => v.kind === "signature")
  let worst: SignatureVerdict | undefined
  for (const v of verdicts) if (!worst || rank(v.indication) > rank(worst.indication)) worst = v
  const base = { validationTime: at.toISOString(), documentSha256, signatures: verdicts }
  if (worst && worst.indication !== "TOTAL_PASSED") {
    return { ...base, indication: worst.indication, subIndication: worst.subIndication, reason: `${worst.kind === "signature" ? "signature" : "document timestamp"} "${worst.fieldName}": ${worst.reason}` }
  }
  if (signatures.length === 0) {
    return { ...base, indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: verdicts.length === 0 ? "the PDF has no signature" : "the PDF has document timestamps but no signature" }
  }
  return { ...base, indication: "TOTAL_PASSED", subIndication: null, reason: `${signatures.length} signature(s) intact and trusted` }
}

/**
 * Verifies in Effect; the validation time defaults to the `Clock` (so `TestClock` fixes it).
 *
 * @since 0.1.0
 */
export const verify = (pdf: Uint8Array, trust: TrustConfig, options: VerifyOptions = {}): Effect.Effect<SignatureReport, UnreadablePdf> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.try({
      try: () => verifyPdf(pdf, trust, { validationTime: options.validationTime ?? new Date(now) }),
      catch: (e) => e instanceof UnreadablePdf ? e : unreadable("Malformed", `the file could not be examined: ${String(e)}`)
    }))

/**
 * The `SignatureVerifier` service for a trust configuration.
 *
 * @since 0.1.0
 */
export const make = (trust: TrustConfig): SignatureVerifier["Service"] =>
  SignatureVerifier.of({ verify: (pdf, options) => verify(pdf, trust, options) })

/**
 * Provides `SignatureVerifier` from a trust configuration.
 *
 * @since 0.1.0
 */
export const layer = (trust: TrustConfig): Layer.Layer<SignatureVerifier> => Layer.succeed(SignatureVerifier, make(trust))
