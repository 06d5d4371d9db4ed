/**
 * Builds CMS SignedData for PDF signatures and RFC 3161 timestamp tokens, with knobs for the
 * defects the verifier must catch. node-forge's `pkcs7` cannot sign with ECDSA or RSA-PSS nor
 * produce these defects, so the structure is assembled here with its ASN.1 module.
 */
import * as Crypto from "node:crypto"
import type { Issued } from "../TestPki.ts"
import * as A from "./pkiAsn1.ts"

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  timeStampToken: "1.2.840.113549.1.9.16.2.14",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47"
}

/** How to build one SignedData. */
export interface CmsOptions {
  readonly signer: Issued
  /** Certificates to embed (default: the signer only, as VGCA files do). */
  readonly certificates?: ReadonlyArray<Issued>
  readonly digest?: A.DigestName
  readonly scheme?: A.Scheme
  readonly signingTime?: Date | undefined
  /** Sign the content directly, without signed attributes. */
  readonly noSignedAttributes?: boolean
  /** Identify the signer by subject key identifier instead of issuer and serial. */
  readonly sidBySubjectKeyId?: boolean
  /** Sign with this key instead of the signer's (a forgery). */
  readonly signingKey?: Crypto.KeyObject
  /** Put this content inside the CMS (not detached). */
  readonly embeddedContent?: Uint8Array
  /** A second SignerInfo (the verifier requires exactly one). */
  readonly extraSignerInfo?: boolean
  /** Signature timestamp from this TSA at this time. */
  readonly timestamp?: { readonly tsa: Issued; readonly genTime: Date; readonly corruptImprint?: boolean; readonly imprintDigest?: A.DigestName }
  /** Add a signing-certificate-v2 attribute naming this certificate (normally the signer's). */
  readonly essCertificate?: Issued
  /** Leave these attributes out of the signed attributes (which are still signed). */
  readonly omitSignedAttributes?: ReadonlyArray<"messageDigest" | "contentType">
  /**
   * Write this signature AlgorithmIdentifier while signing with the real scheme and digest: an
   * algorithm that disagrees with the digest, an RSA OID over an EC key, wrong RSA-PSS parameters.
   */
  readonly declaredSignatureAlgorithm?: { readonly scheme: A.Scheme; readonly digest: A.DigestName; readonly pss?: A.PssParameters }
  /** Also embed a certificate that is not valid X.509 (the signer's without its signature). */
  readonly malformedCertificate?: boolean
  /** Encode the outer layers (ContentInfo, SignedData and its fields) with BER indefinite lengths. */
  readonly berIndefinite?: boolean
  /** Encode the signed attributes `[0]` with an indefinite length (not DER: the signature cannot cover them). */
  readonly signedAttributesIndefinite?: boolean
}

const attribute = (type: string, value: A.Asn1): A.Asn1 => A.seq([A.oid(type), A.set([value])])

const signerInfo = (
  opts: CmsOptions,
  digest: A.DigestName,
  scheme: A.Scheme,
  signedAttrs: Array<A.Asn1> | undefined,
  content: Uint8Array,
  unsignedAttrs: Array<A.Asn1>
): A.Asn1 => {
  const sid = opts.sidBySubjectKeyId
    ? A.implicit(0, false, A.bin(Buffer.from(opts.signer.subjectKeyId, "hex")))
    : A.seq([A.fromDer(issuerOf(opts.signer)), A.int(opts.signer.serialHex)])
  const attrsSet = signedAttrs ? A.set(signedAttrs) : undefined
  const toSign = attrsSet ? A.der(attrsSet) : content
  const signature = A.signBytes(scheme, digest, opts.signingKey ?? opts.signer.privateKey, toSign)
  const signedTagged = attrsSet ? [A.implicit(0, true, attrsSet.value as Array<A.Asn1>)] : []
  const declared = opts.declaredSignatureAlgorithm
  return A.seq([
    A.int(opts.sidBySubjectKeyId ? 3 : 1),
    sid,
    A.digestAlgorithm(digest),
    ...signedTagged,
    declared ? A.signatureAlgorithm(declared.scheme, declared.digest, declared.pss) : A.signatureAlgorithm(scheme, digest),
    A.octets(signature),
    ...(unsignedAttrs.length > 0 ? [A.implicit(1, true, unsignedAttrs)] : [])
  ])
}

/** The issuer Name's DER, taken from the certificate itself. */
const issuerOf = (cert: Issued): Uint8Array => {
  const tbs = (A.fromDer(cert.der).value as Array<A.Asn1>)[0]!
  return A.der((tbs.value as Array<A.Asn1>)[3]!)
}

const signatureValueOf = (si: A.Asn1): Buffer => {
  const parts = si.value as Array<A.Asn1>
  const octet = parts.find((p, k) => k > 2 && p.type === 4 && p.tagClass === 0)!
  return A.bytes(octet.value as string)
}

const signedData = (
  opts: CmsOptions,
  eContentType: string,
  eContent: Uint8Array | undefined,
  digestOfContent: Buffer,
  contentForDirect: Uint8Array
): A.Asn1 => {
  const digest = opts.digest ?? "sha256"
  const scheme = opts.scheme ?? A.schemeFor(opts.signer.privateKey)
  const omit = new Set(opts.omitSignedAttributes ?? [])
  const signedAttrs = opts.noSignedAttributes
    ? undefined
    : [
      ...(omit.has("contentType") ? [] : [attribute(OID.contentType, A.oid(eContentType))]),
      ...(opts.signingTime ? [attribute(OID.signingTime, A.time(opts.signingTime))] : []),
      ...(opts.essCertificate
        ? [attribute(OID.signingCertificateV2, A.seq([A.seq([A.seq([A.octets(Crypto.createHash("sha256").update(opts.essCertificate.der).digest())])])]))]
        : []),
      ...(omit.has("messageDigest") ? [] : [attribute(OID.messageDigest, A.octets(digestOfContent))])
    ]
  let si = signerInfo(opts, digest, scheme, signedAttrs, contentForDirect, [])
  if (opts.timestamp) {
    const token = timestampToken(opts.timestamp.tsa, opts.timestamp.genTime, signatureValueOf(si), opts.timestamp.corruptImprint ?? false, opts.timestamp.imprintDigest)
    si = signerInfo(opts, digest, scheme, signedAttrs, contentForDirect, [attribute(OID.timeStampToken, A.fromDer(token))])
  }
  const infos = opts.extraSignerInfo ? [si, signerInfo(opts, digest, scheme, signedAttrs, contentForDirect, [])] : [si]
  const certs = (opts.certificates ?? [opts.signer]).map((c) => A.fromDer(c.der))
  if (opts.malformedCertificate) {
    const [tbs, alg] = A.fromDer(opts.signer.der).value as Array<A.Asn1>
    certs.push(A.seq([tbs!, alg!]))
  }
  const sd = A.seq([
    A.int(opts.sidBySubjectKeyId ? 3 : 1),
    A.set([A.digestAlgorithm(digest)]),
    A.seq([A.oid(eContentType), ...(eContent ? [A.explicit(0, A.octets(eContent))] : [])]),
    A.implicit(0, true, certs),
    A.set(infos)
  ])
  return A.seq([A.oid(OID.signedData), A.explicit(0, sd)])
}

/** A detached CMS signature over `content` (the PDF's signed bytes). */
export const signDetached = (content: Uint8Array, opts: CmsOptions): Buffer => {
  const digest = opts.digest ?? "sha256"
  const hash = Crypto.createHash(digest).update(content).digest()
  const der = A.der(signedData(opts, OID.data, opts.embeddedContent, hash, content))
  if (!opts.berIndefinite && !opts.signedAttributesIndefinite) return der
  // ContentInfo → [0] → SignedData → (version, digestAlgorithms, encapContentInfo, [0] certificates, signerInfos)
  const info = A.tlv(der)
  const explicit = info.children![1]!
  const sd = explicit.children![0]!
  if (opts.berIndefinite) {
    for (const node of [info, explicit, sd, ...sd.children!]) if (node.children) node.indefinite = true
  }
  if (opts.signedAttributesIndefinite) {
    for (const si of sd.children!.at(-1)!.children!) {
      for (const field of si.children!) if (field.tag === 0xa0) field.indefinite = true
    }
  }
  return A.encodeTlv(info)
}

/** An RFC 3161 TimeStampToken over `imprinted` (its `imprintDigest`, SHA-256 by default, is the message imprint). */
export const timestampToken = (tsa: Issued, genTime: Date, imprinted: Uint8Array, corruptImprint = false, imprintDigest: A.DigestName = "sha256"): Buffer => {
  const imprint = Crypto.createHash(imprintDigest).update(imprinted).digest()
  if (corruptImprint) imprint[0]! ^= 0xff
  const tstInfo = A.der(A.seq([
    A.int(1),
    A.oid("1.2.704.1.3.1"),
    A.seq([A.digestAlgorithm(imprintDigest), A.octets(imprint)]),
    A.int(Crypto.createHash("sha1").update(imprinted).digest("hex").slice(0, 16)),
    A.generalizedTime(genTime)
  ]))
  const hash = Crypto.createHash("sha256").update(tstInfo).digest()
  return A.der(signedData({ signer: tsa, digest: "sha256" }, OID.tstInfo, tstInfo, hash, tstInfo))
}
