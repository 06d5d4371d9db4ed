/**
 * CMS SignedData (RFC 5652) as far as PDF signatures need it, read with our own BER reader so that
 * nothing is trusted from a library's "verify": we only extract structure here.
 */
import * as Ber from "./ber.ts"

/** OIDs used by the verifier. */
export const Oid = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47"
} as const

/** An AlgorithmIdentifier: OID plus its raw parameters node. */
export interface AlgorithmIdentifier {
  readonly oid: string
  readonly parameters: Ber.Node | undefined
}

/** One attribute (signed or unsigned). */
export interface Attribute {
  readonly oid: string
  readonly values: ReadonlyArray<Ber.Node>
}

/** How the SignerInfo names its certificate. */
export type SignerIdentifier =
  | { readonly _tag: "IssuerAndSerial"; readonly issuer: Uint8Array; readonly serialHex: string }
  | { readonly _tag: "SubjectKeyIdentifier"; readonly keyId: string }

/** A SignerInfo. */
export interface SignerInfo {
  readonly version: number
  readonly sid: SignerIdentifier
  readonly digestAlgorithm: AlgorithmIdentifier
  /** The DER to verify: the `[0]` signed attributes re-tagged as SET OF, or undefined when absent. */
  readonly signedAttributesDer: Uint8Array | undefined
  readonly signedAttributesIndefinite: boolean
  readonly signedAttributes: ReadonlyArray<Attribute>
  readonly signatureAlgorithm: AlgorithmIdentifier
  readonly signature: Uint8Array
  readonly unsignedAttributes: ReadonlyArray<Attribute>
}

/** A parsed SignedData. */
export interface SignedData {
  readonly digestAlgorithms: ReadonlyArray<AlgorithmIdentifier>
  readonly eContentType: string
  /** Embedded content, when present (a detached PDF signature must have none). */
  readonly eContent: Uint8Array | undefined
  /** DER of each certificate in `certificates`. */
  readonly certificates: ReadonlyArray<Uint8Array>
  readonly signerInfos: ReadonlyArray<SignerInfo>
}

/** Reads an AlgorithmIdentifier SEQUENCE. */
export const algorithm = (node: Ber.Node | undefined): AlgorithmIdentifier => {
  const parts = Ber.children(Ber.expect(node, Ber.Tag.SEQUENCE, "an AlgorithmIdentifier"))
  const oidNode = parts[0]
  if (!oidNode) throw new Ber.BerError("empty AlgorithmIdentifier")
  return { oid: Ber.oid(oidNode), parameters: parts[1] }
}

const attributes = (node: Ber.Node): Array<Attribute> =>
  Ber.children(node).map((attr) => {
    const [type, values] = Ber.children(Ber.expect(attr, Ber.Tag.SEQUENCE, "an Attribute"))
    if (!type || !Ber.is(values, Ber.Tag.SET)) throw new Ber.BerError("malformed Attribute")
    return { oid: Ber.oid(type), values: Ber.children(values) }
  })

const signerInfo = (node: Ber.Node): SignerInfo => {
  const parts = Ber.children(Ber.expect(node, Ber.Tag.SEQUENCE, "a SignerInfo"))
  let i = 0
  const version = Ber.integer(Ber.expect(parts[i++], Ber.Tag.INTEGER, "the SignerInfo version"))
  const sidNode = parts[i++]
  let sid: SignerIdentifier
  if (Ber.is(sidNode, Ber.Tag.SEQUENCE)) {
    const [issuer, serial] = Ber.children(sidNode)
    if (!Ber.is(issuer, Ber.Tag.SEQUENCE) || !serial) throw new Ber.BerError("malformed IssuerAndSerialNumber")
    sid = { _tag: "IssuerAndSerial", issuer: Ber.raw(issuer), serialHex: Ber.integerHex(serial) }
  } else if (Ber.isContext(sidNode, 0)) {
    sid = { _tag: "SubjectKeyIdentifier", keyId: Buffer.from(Ber.content(sidNode)).toString("hex") }
  } else throw new Ber.BerError("unknown SignerIdentifier")
  const digestAlgorithm = algorithm(parts[i++])
  let signedAttributesDer: Uint8Array | undefined
  let signedAttributes: Array<Attribute> = []
  let signedAttributesIndefinite = false
  const maybeSigned = parts[i]
  if (Ber.isContext(maybeSigned, 0)) {
    i++
    const der = Uint8Array.from(Ber.raw(maybeSigned))
    der[0] = 0x31
    signedAttributesDer = der
    signedAttributesIndefinite = maybeSigned.indefinite
    signedAttributes = attributes(maybeSigned)
  }
  const signatureAlgorithm = algorithm(parts[i++])
  const signature = Ber.content(Ber.expect(parts[i++], Ber.Tag.OCTET_STRING, "the signature value"))
  const maybeUnsigned = parts[i]
  const unsignedAttributes = Ber.isContext(maybeUnsigned, 1) ? attributes(maybeUnsigned) : []
  return {
    version,
    sid,
    digestAlgorithm,
    signedAttributesDer,
    signedAttributesIndefinite,
    signedAttributes,
    signatureAlgorithm,
    signature,
    unsignedAttributes
  }
}

/**
 * Parses a DER/BER ContentInfo holding SignedData. Bytes after it are ignored: PDF /Contents is
 * padded (usually with zeros, by some tools with garbage) and lies outside the signed range anyway.
 * `meter` is charged for every TLV read, here and whenever the returned nodes are read later.
 */
export const parseSignedData = (bytes: Uint8Array, meter?: Ber.Meter): SignedData => {
  const info = Ber.parse(bytes, 0, bytes.length, 0, meter)
  const [type, explicit] = Ber.children(Ber.expect(info, Ber.Tag.SEQUENCE, "a ContentInfo"))
  if (!type || Ber.oid(type) !== Oid.signedData) throw new Ber.BerError("the ContentInfo is not SignedData")
  if (!Ber.isContext(explicit, 0)) throw new Ber.BerError("the ContentInfo has no content")
  const sd = Ber.children(explicit)[0]
  const parts = Ber.children(Ber.expect(sd, Ber.Tag.SEQUENCE, "SignedData"))
  let i = 0
  Ber.expect(parts[i++], Ber.Tag.INTEGER, "the SignedData version")
  const digestAlgorithms = Ber.children(Ber.expect(parts[i++], Ber.Tag.SET, "digestAlgorithms")).map(algorithm)
  const encap = Ber.children(Ber.expect(parts[i++], Ber.Tag.SEQUENCE, "encapContentInfo"))
  if (!encap[0]) throw new Ber.BerError("empty encapContentInfo")
  const eContentType = Ber.oid(encap[0])
  let eContent: Uint8Array | undefined
  if (Ber.isContext(encap[1], 0)) {
    const octets = Ber.children(encap[1])[0]
    eContent = Ber.content(Ber.expect(octets, Ber.Tag.OCTET_STRING, "eContent"))
  }
  const certificates: Array<Uint8Array> = []
  if (Ber.isContext(parts[i], 0)) {
    for (const cert of Ber.children(parts[i]!)) if (Ber.is(cert, Ber.Tag.SEQUENCE)) certificates.push(Ber.raw(cert))
    i++
  }
  if (Ber.isContext(parts[i], 1)) i++
  const signerInfos = Ber.children(Ber.expect(parts[i], Ber.Tag.SET, "signerInfos")).map(signerInfo)
  return { digestAlgorithms, eContentType, eContent, certificates, signerInfos }
}

/** The first value of an attribute, if present. */
export const attributeValue = (attrs: ReadonlyArray<Attribute>, oid: string): Ber.Node | undefined =>
  attrs.find((a) => a.oid === oid)?.values[0]

/** The fields of a TSTInfo (RFC 3161) that the verifier uses. */
export interface TstInfo {
  readonly imprintAlgorithm: AlgorithmIdentifier
  readonly imprint: Uint8Array
  readonly genTime: Date
}

/** Parses TSTInfo, charging `meter` per TLV read. */
export const parseTstInfo = (bytes: Uint8Array, meter?: Ber.Meter): TstInfo => {
  const parts = Ber.children(Ber.expect(Ber.parseExact(bytes, meter), Ber.Tag.SEQUENCE, "TSTInfo"))
  const imprint = Ber.children(Ber.expect(parts[2], Ber.Tag.SEQUENCE, "MessageImprint"))
  const genTime = parts[4]
  if (!genTime) throw new Ber.BerError("TSTInfo has no genTime")
  return {
    imprintAlgorithm: algorithm(imprint[0]),
    imprint: Ber.content(Ber.expect(imprint[1], Ber.Tag.OCTET_STRING, "hashedMessage")),
    genTime: Ber.time(genTime)
  }
}
