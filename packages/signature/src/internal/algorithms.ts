/**
 * Algorithm identifiers → what `node:crypto` needs, and the consistency rules between the
 * SignerInfo's digest algorithm and its signature algorithm.
 */
import * as Crypto from "node:crypto"
import * as Ber from "./ber.ts"
import type { Digest, Scheme as SchemeFamily } from "../TrustConfig.ts"
import type { AlgorithmIdentifier } from "./cms.ts"

/** Digest names as `node:crypto` spells them (`TrustConfig.Digest`). */
export type DigestName = Digest

const digestOids: Record<string, DigestName> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
  "2.16.840.1.101.3.4.2.8": "sha3-256",
  "2.16.840.1.101.3.4.2.9": "sha3-384",
  "2.16.840.1.101.3.4.2.10": "sha3-512"
}

/** The digest named by an AlgorithmIdentifier, or undefined for an unknown OID. */
export const digestOf = (alg: AlgorithmIdentifier): DigestName | undefined => digestOids[alg.oid]

/** Signature scheme families Kho accepts (`TrustConfig.Scheme`). */
export type SchemeName = SchemeFamily

/** A signature algorithm resolved against a digest algorithm. */
export interface Scheme {
  readonly scheme: SchemeName
  /** The digest the signature uses (from the signature OID or, for bare key OIDs, the SignerInfo). */
  readonly digest: DigestName
  readonly saltLength?: number
  readonly label: string
}

const rsaWith: Record<string, DigestName> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.14": "sha224",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "2.16.840.1.101.3.4.3.14": "sha3-256",
  "2.16.840.1.101.3.4.3.15": "sha3-384",
  "2.16.840.1.101.3.4.3.16": "sha3-512"
}
const ecdsaWith: Record<string, DigestName> = {
  "1.2.840.10045.4.1": "sha1",
  "1.2.840.10045.4.3.1": "sha224",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "2.16.840.1.101.3.4.3.10": "sha3-256",
  "2.16.840.1.101.3.4.3.11": "sha3-384",
  "2.16.840.1.101.3.4.3.12": "sha3-512"
}
const RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
const RSA_PSS = "1.2.840.113549.1.1.10"
const EC_PUBLIC_KEY = "1.2.840.10045.2.1"
const MGF1 = "1.2.840.113549.1.1.8"

/** Reads RSASSA-PSS-params (RFC 4055), applying its SHA-1 defaults. */
const pssParams = (params: Ber.Node | undefined): { hash: DigestName | undefined; mgfHash: DigestName | undefined; salt: number } => {
  let hash: DigestName | undefined = "sha1"
  let mgfHash: DigestName | undefined = "sha1"
  let salt = 20
  if (params && Ber.is(params, Ber.Tag.SEQUENCE)) {
    for (const field of Ber.children(params)) {
      const inner = Ber.children(field)[0]
      if (Ber.isContext(field, 0)) {
        const alg = { oid: Ber.oid(Ber.children(inner!)[0]!), parameters: undefined }
        hash = digestOf(alg)
      } else if (Ber.isContext(field, 1)) {
        const [mgfOid, mgfAlg] = Ber.children(inner!)
        if (!mgfOid || Ber.oid(mgfOid) !== MGF1 || !mgfAlg) mgfHash = undefined
        else mgfHash = digestOf({ oid: Ber.oid(Ber.children(mgfAlg)[0]!), parameters: undefined })
      } else if (Ber.isContext(field, 2)) salt = Ber.integer(inner!)
    }
  }
  return { hash, mgfHash, salt }
}

/**
 * Resolves the signature algorithm with the SignerInfo's digest; a `string` result is the reason
 * the pair is refused (unknown, or the two disagree — DSS-1420's SHA3-with-RSA over a SHA-256 digest).
 */
export const schemeOf = (signature: AlgorithmIdentifier, digest: DigestName): Scheme | string => {
  if (signature.oid === RSA_ENCRYPTION) return { scheme: "rsa-pkcs1", digest, label: `RSA PKCS#1 v1.5 with ${digest}` }
  if (signature.oid === EC_PUBLIC_KEY) return { scheme: "ecdsa", digest, label: `ECDSA with ${digest}` }
  const rsa = rsaWith[signature.oid]
  if (rsa) {
    return rsa === digest
      ? { scheme: "rsa-pkcs1", digest, label: `RSA PKCS#1 v1.5 with ${digest}` }
      : `the signature algorithm ${rsa}WithRSA does not match the digest algorithm ${digest}`
  }
  const ec = ecdsaWith[signature.oid]
  if (ec) {
    return ec === digest
      ? { scheme: "ecdsa", digest, label: `ECDSA with ${digest}` }
      : `the signature algorithm ECDSA-with-${ec} does not match the digest algorithm ${digest}`
  }
  if (signature.oid === RSA_PSS) {
    let p: ReturnType<typeof pssParams>
    try {
      p = pssParams(signature.parameters)
    } catch (e) {
      if (e instanceof Ber.BerError) return `the RSA-PSS parameters are malformed: ${e.message}`
      throw e
    }
    if (p.hash !== digest) return `the RSA-PSS hash ${p.hash ?? "(unknown)"} does not match the digest algorithm ${digest}`
    if (p.mgfHash !== digest) return `the RSA-PSS mask generation hash ${p.mgfHash ?? "(unknown)"} does not match ${digest}`
    return { scheme: "rsa-pss", digest, saltLength: p.salt, label: `RSA-PSS with ${digest}, salt ${p.salt}` }
  }
  return `unsupported signature algorithm ${signature.oid}`
}

/** Verifies `signature` over `data` with `key` under `scheme`. Never throws. */
export const verifyWith = (scheme: Scheme, key: Crypto.KeyObject, data: Uint8Array, signature: Uint8Array): boolean => {
  try {
    switch (scheme.scheme) {
      case "rsa-pkcs1":
        return Crypto.verify(scheme.digest, data, { key, padding: Crypto.constants.RSA_PKCS1_PADDING }, signature)
      case "rsa-pss":
        return Crypto.verify(scheme.digest, data, {
          key,
          padding: Crypto.constants.RSA_PKCS1_PSS_PADDING,
          saltLength: scheme.saltLength ?? 20
        }, signature)
      case "ecdsa":
        return Crypto.verify(scheme.digest, data, { key, dsaEncoding: "der" }, signature)
    }
  } catch {
    return false
  }
}

/** Whether the key type fits the scheme (an EC key under an RSA OID is a forgery or a broken file). */
export const keyFits = (scheme: SchemeName, key: Crypto.KeyObject): boolean =>
  scheme === "ecdsa" ? key.asymmetricKeyType === "ec" : key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss"

/** A short description of a key: "RSA-2048", "EC P-256". */
export const describeKey = (key: Crypto.KeyObject): string => {
  const d = key.asymmetricKeyDetails
  if (key.asymmetricKeyType === "ec") return `EC ${d?.namedCurve ?? "unknown curve"}`
  if (key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") return `RSA-${d?.modulusLength ?? "?"}`
  return key.asymmetricKeyType ?? "unknown key"
}

/** Curve names as OpenSSL reports them → the NIST names a trust configuration uses. */
export const curveName = (key: Crypto.KeyObject): string | undefined => {
  const c = key.asymmetricKeyDetails?.namedCurve
  if (c === "prime256v1") return "P-256"
  if (c === "secp384r1") return "P-384"
  if (c === "secp521r1") return "P-521"
  return c
}
