/**
 * A test PKI shaped like the Vietnamese Government CA (VGCA, Ban Cơ yếu Chính phủ): a RSA-4096 root,
 * a sub-CA and RSA-2048 signers, plus an untrusted hierarchy with identical names (so a verifier
 * that compares names instead of signatures is caught). Certificates are built with node-forge's
 * ASN.1 and signed with `node:crypto`; keys come from `generateKeyPairSync` (pure-JS RSA-4096
 * generation is far too slow) and are generated at test time, never committed. {@link vgca} caches
 * the PKI per process.
 *
 * @since 0.1.0
 */
import * as Crypto from "node:crypto"
import forge from "node-forge"
import * as A from "./internal/pkiAsn1.ts"

/**
 * A distinguished name, most significant first (C, O, …, CN).
 *
 * @since 0.1.0
 */
export type Name = ReadonlyArray<readonly ["C" | "ST" | "L" | "O" | "OU" | "CN" | "UID", string]>

/**
 * An issued certificate with its private key.
 *
 * @since 0.1.0
 */
export interface Issued {
  readonly name: Name
  readonly der: Uint8Array
  readonly pem: string
  readonly privateKey: Crypto.KeyObject
  readonly publicKey: Crypto.KeyObject
  /** SHA-256 of the DER, lower-case hex: what a trust configuration pins. */
  readonly sha256: string
  readonly serialHex: string
  readonly subjectKeyId: string
  readonly notBefore: Date
  readonly notAfter: Date
}

/**
 * Options of {@link issue}.
 *
 * @since 0.1.0
 */
export interface IssueOptions {
  readonly subject: Name
  /** The issuing certificate; omitted for a self-signed root. */
  readonly issuer?: Issued
  readonly key: { readonly privateKey: Crypto.KeyObject; readonly publicKey: Crypto.KeyObject }
  readonly serialHex: string
  readonly notBefore: Date
  readonly notAfter: Date
  readonly ca?: boolean
  readonly pathLength?: number
  /** Key-usage bit numbers (0 digitalSignature, 1 nonRepudiation, 5 keyCertSign, 6 cRLSign); omit for none. */
  readonly keyUsage?: ReadonlyArray<number>
  readonly extendedKeyUsage?: ReadonlyArray<string>
  /** Mark the extended key usage non-critical (default critical, as RFC 3161 requires of a TSA). */
  readonly extendedKeyUsageNonCritical?: boolean
  /** Leave out basicConstraints entirely (to test a "CA" that is not one). */
  readonly omitBasicConstraints?: boolean
}

const attributeOid: Record<Name[number][0], string> = {
  C: "2.5.4.6",
  ST: "2.5.4.8",
  L: "2.5.4.7",
  O: "2.5.4.10",
  OU: "2.5.4.11",
  CN: "2.5.4.3",
  UID: "0.9.2342.19200300.100.1.1"
}

/** RDNSequence with one attribute per RDN; C as PrintableString, the rest UTF8String. */
const nameAsn1 = (name: Name): A.Asn1 =>
  A.seq(name.map(([type, value]) =>
    forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, [
      A.seq([
        A.oid(attributeOid[type]),
        type === "C"
          ? forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.PRINTABLESTRING, false, value)
          : forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.UTF8, false, forge.util.encodeUtf8(value))
      ])
    ])
  ))

const spkiDer = (key: Crypto.KeyObject): Buffer => key.export({ type: "spki", format: "der" })

/** SHA-1 of the subjectPublicKey BIT STRING (RFC 5280 method 1). */
const keyIdentifier = (key: Crypto.KeyObject): Buffer => {
  const spki = forge.asn1.fromDer(A.bin(spkiDer(key)))
  const bitString = (spki.value as Array<A.Asn1>)[1]!.value as string
  return Crypto.createHash("sha1").update(A.bytes(bitString).subarray(1)).digest()
}

const keyUsageBits = (usage: ReadonlyArray<number>): A.Asn1 => {
  const highest = Math.max(...usage)
  const length = Math.floor(highest / 8) + 1
  const out = Buffer.alloc(length)
  for (const bit of usage) out[Math.floor(bit / 8)]! |= 0x80 >> bit % 8
  return A.bits(out, length * 8 - (highest + 1))
}

const extension = (id: string, critical: boolean, value: A.Asn1): A.Asn1 =>
  A.seq([A.oid(id), ...(critical ? [A.bool(true)] : []), A.octets(A.der(value))])

/**
 * Issues a certificate (self-signed when no issuer is given). The signature is SHA-256 with the
 * issuer's key: RSA PKCS#1 v1.5 or ECDSA.
 *
 * @since 0.1.0
 */
export const issue = (options: IssueOptions): Issued => {
  const issuerKey = options.issuer?.privateKey ?? options.key.privateKey
  const issuerName = options.issuer?.name ?? options.subject
  const scheme = A.schemeFor(issuerKey)
  const ski = keyIdentifier(options.key.publicKey)
  const aki = options.issuer ? Buffer.from(options.issuer.subjectKeyId, "hex") : ski
  const extensions: Array<A.Asn1> = []
  if (!options.omitBasicConstraints) {
    extensions.push(extension("2.5.29.19", true, A.seq(options.ca
      ? [A.bool(true), ...(options.pathLength !== undefined ? [A.int(options.pathLength)] : [])]
      : [])))
  }
  if (options.keyUsage && options.keyUsage.length > 0) extensions.push(extension("2.5.29.15", true, keyUsageBits(options.keyUsage)))
  if (options.extendedKeyUsage) extensions.push(extension("2.5.29.37", !options.extendedKeyUsageNonCritical, A.seq(options.extendedKeyUsage.map(A.oid))))
  extensions.push(extension("2.5.29.14", false, A.octets(ski)))
  extensions.push(extension("2.5.29.35", false, A.seq([A.implicit(0, false, A.bin(aki))])))
  const sigAlg = A.signatureAlgorithm(scheme, "sha256")
  const tbs = A.seq([
    A.explicit(0, A.int(2)),
    A.int(options.serialHex),
    sigAlg,
    nameAsn1(issuerName),
    A.seq([A.time(options.notBefore), A.time(options.notAfter)]),
    nameAsn1(options.subject),
    A.fromDer(spkiDer(options.key.publicKey)),
    A.explicit(3, A.seq(extensions))
  ])
  const signature = A.signBytes(scheme, "sha256", issuerKey, A.der(tbs))
  const der = A.der(A.seq([tbs, sigAlg, A.bits(signature)]))
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END CERTIFICATE-----\n`
  return {
    name: options.subject,
    der,
    pem,
    privateKey: options.key.privateKey,
    publicKey: options.key.publicKey,
    sha256: Crypto.createHash("sha256").update(der).digest("hex"),
    serialHex: options.serialHex.replace(/^0+(?=.)/, "").toLowerCase(),
    subjectKeyId: ski.toString("hex"),
    notBefore: options.notBefore,
    notAfter: options.notAfter
  }
}

/**
 * Converts a `node:crypto` RSA private key to node-forge (for code that signs with forge).
 *
 * @since 0.1.0
 */
export const toForgePrivateKey = (key: Crypto.KeyObject): forge.pki.rsa.PrivateKey =>
  forge.pki.privateKeyFromPem(key.export({ type: "pkcs1", format: "pem" }).toString())

/**
 * An RSA key pair of `bits` bits.
 *
 * @since 0.1.0
 */
export const rsaKey = (bits: number) => Crypto.generateKeyPairSync("rsa", { modulusLength: bits })

/**
 * An EC key pair on a NIST curve.
 *
 * @since 0.1.0
 */
export const ecKey = (curve: "P-256" | "P-384" | "P-521") =>
  Crypto.generateKeyPairSync("ec", { namedCurve: curve === "P-256" ? "prime256v1" : curve === "P-384" ? "secp384r1" : "secp521r1" })

/**
 * The names of the VGCA G2 hierarchy as this PKI issues them.
 *
 * @since 0.1.0
 */
export const Names = {
  root: [["C", "VN"], ["O", "Ban Cơ yếu Chính phủ"], ["CN", "RootCA chuyên dùng Chính phủ G2"]] as Name,
  intermediate: [["C", "VN"], ["O", "Ban Cơ yếu Chính phủ"], ["CN", "CA phục vụ các cơ quan Nhà nước G2"]] as Name,
  signer: [["C", "VN"], ["ST", "Bình Định"], ["L", "Huyện An Lão"], ["O", "UBND huyện An Lão"], ["CN", "Văn phòng HĐND và UBND huyện An Lão"]] as Name,
  tsa: [["C", "VN"], ["O", "Ban Cơ yếu Chính phủ"], ["CN", "Dịch vụ cấp dấu thời gian G2"]] as Name
} as const

/**
 * Validity windows used by the PKI; tests validate at {@link VALIDATION_TIME}.
 *
 * @since 0.1.0
 */
export const Validity = {
  root: [new Date("2019-01-01T00:00:00Z"), new Date("2044-01-01T00:00:00Z")],
  intermediate: [new Date("2019-06-01T00:00:00Z"), new Date("2039-06-01T00:00:00Z")],
  leaf: [new Date("2023-06-01T00:00:00Z"), new Date("2026-06-01T00:00:00Z")],
  expired: [new Date("2020-01-01T00:00:00Z"), new Date("2023-01-01T00:00:00Z")]
} as const

/**
 * The instant tests validate at: the seed dispatch's reporting date, 20/3/2024 10:00 Asia/Ho_Chi_Minh.
 *
 * @since 0.1.0
 */
export const VALIDATION_TIME = new Date("2024-03-20T03:00:00Z")

/**
 * A whole PKI: the trusted VGCA-shaped hierarchy, its variants and the look-alike untrusted one.
 *
 * @since 0.1.0
 */
export interface Pki {
  readonly root: Issued
  readonly intermediate: Issued
  /** RSA-2048 signer, digitalSignature + nonRepudiation. */
  readonly signer: Issued
  /** Same names, expired on 2023-01-01. */
  readonly expiredSigner: Issued
  /** ECDSA P-256 signer. */
  readonly ecdsaSigner: Issued
  /** RSA-2048 TSA with the timeStamping extended key usage. */
  readonly tsa: Issued
  /** A signer issued by the signer itself (not a CA): chain constraints must fail. */
  readonly nonCaIssued: Issued
  /** RSA-1024 signer (crypto constraints). */
  readonly weakSigner: Issued
  /** ECDSA P-384 signer. */
  readonly p384Signer: Issued
  /**
   * Certificates that chain to the trusted root but break a constraint of the path; each signer
   * reuses {@link Pki.signer}'s key, so only the certificates differ. Embed the CA with the signer.
   */
  readonly misissued: {
    /** A CA (cA true) whose key usage lacks keyCertSign, and a signer it issued. */
    readonly noKeyCertSignCa: Issued
    readonly underNoKeyCertSign: Issued
    /** A sub-CA below the intermediate (whose pathLenConstraint is 0), and a signer it issued. */
    readonly subCa: Issued
    readonly underSubCa: Issued
    /** An RSA-1024 CA under the root, and an RSA-2048 signer it issued. */
    readonly weakCa: Issued
    readonly underWeakCa: Issued
    /** A signer whose key usage is keyEncipherment only (neither digitalSignature nor nonRepudiation). */
    readonly noSigningUsage: Issued
  }
  /** Identical names, different keys: nothing here chains to the trusted root. */
  readonly untrusted: { readonly root: Issued; readonly intermediate: Issued; readonly signer: Issued }
}

let cached: Pki | undefined

const hierarchy = (serialPrefix: string) => {
  const root = issue({
    subject: Names.root,
    key: rsaKey(4096),
    serialHex: `${serialPrefix}01`,
    notBefore: Validity.root[0],
    notAfter: Validity.root[1],
    ca: true,
    keyUsage: [5, 6]
  })
  const intermediate = issue({
    subject: Names.intermediate,
    issuer: root,
    key: rsaKey(2048),
    serialHex: `${serialPrefix}02`,
    notBefore: Validity.intermediate[0],
    notAfter: Validity.intermediate[1],
    ca: true,
    pathLength: 0,
    keyUsage: [5, 6]
  })
  const signer = issue({
    subject: Names.signer,
    issuer: intermediate,
    key: rsaKey(2048),
    serialHex: `${serialPrefix}540b3a2f9c`,
    notBefore: Validity.leaf[0],
    notAfter: Validity.leaf[1],
    keyUsage: [0, 1]
  })
  return { root, intermediate, signer }
}

/**
 * The VGCA-shaped PKI, generated on first use and cached for the process.
 *
 * @since 0.1.0
 */
export const vgca = (): Pki => {
  if (cached) return cached
  const trusted = hierarchy("5a")
  const untrusted = hierarchy("7e")
  const leaf = (name: Name, key: { privateKey: Crypto.KeyObject; publicKey: Crypto.KeyObject }, serialHex: string, window: readonly [Date, Date], extra: Partial<IssueOptions> = {}) =>
    issue({ subject: name, issuer: trusted.intermediate, key, serialHex, notBefore: window[0], notAfter: window[1], keyUsage: [0, 1], ...extra })
  const signerName = (cn: string): Name => [...Names.signer.slice(0, -1), ["CN", cn]]
  const caName = (cn: string): Name => [...Names.intermediate.slice(0, -1), ["CN", cn]]
  const ca = (name: Name, issuer: Issued, key: { privateKey: Crypto.KeyObject; publicKey: Crypto.KeyObject }, serialHex: string) =>
    issue({ subject: name, issuer, key, serialHex, notBefore: Validity.intermediate[0], notAfter: Validity.intermediate[1], ca: true, keyUsage: [5, 6] })
  const signerKey = { privateKey: trusted.signer.privateKey, publicKey: trusted.signer.publicKey }
  const under = (issuer: Issued, cn: string, serialHex: string, keyUsage: ReadonlyArray<number> = [0, 1]) =>
    issue({ subject: signerName(cn), issuer, key: signerKey, serialHex, notBefore: Validity.leaf[0], notAfter: Validity.leaf[1], keyUsage })
  const noKeyCertSignCa = issue({
    subject: caName("CA không có keyCertSign"),
    issuer: trusted.root,
    key: ecKey("P-256"),
    serialHex: "5a20",
    notBefore: Validity.intermediate[0],
    notAfter: Validity.intermediate[1],
    ca: true,
    keyUsage: [6]
  })
  const subCa = ca(caName("CA cấp dưới (vượt pathLen)"), trusted.intermediate, ecKey("P-256"), "5a22")
  const weakCa = ca(caName("CA khóa yếu (RSA-1024)"), trusted.root, rsaKey(1024), "5a24")
  cached = {
    ...trusted,
    expiredSigner: leaf(Names.signer, rsaKey(2048), "5a10", Validity.expired),
    ecdsaSigner: leaf(signerName("UBND xã An Hòa (ECDSA)"), ecKey("P-256"), "5a11", Validity.leaf),
    tsa: leaf(Names.tsa, rsaKey(2048), "5a12", Validity.intermediate, { keyUsage: [0, 1], extendedKeyUsage: ["1.3.6.1.5.5.7.3.8"] }),
    weakSigner: leaf(signerName("UBND xã An Tân (RSA-1024)"), rsaKey(1024), "5a13", Validity.leaf),
    p384Signer: leaf(signerName("UBND xã An Trung (ECDSA P-384)"), ecKey("P-384"), "5a15", Validity.leaf),
    misissued: {
      noKeyCertSignCa,
      underNoKeyCertSign: under(noKeyCertSignCa, "Ký dưới CA không keyCertSign", "5a21"),
      subCa,
      underSubCa: under(subCa, "Ký dưới CA cấp dưới", "5a23"),
      weakCa,
      underWeakCa: under(weakCa, "Ký dưới CA khóa yếu", "5a25"),
      noSigningUsage: under(trusted.intermediate, "Chỉ keyEncipherment", "5a26", [2])
    },
    nonCaIssued: issue({
      subject: signerName("Con dấu giả"),
      issuer: trusted.signer,
      key: rsaKey(2048),
      serialHex: "5a14",
      notBefore: Validity.leaf[0],
      notAfter: Validity.leaf[1],
      keyUsage: [0, 1]
    }),
    untrusted
  }
  return cached
}
