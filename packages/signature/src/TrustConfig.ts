/**
 * What the verifier trusts: anchors pinned by SHA-256 fingerprint, optional intermediates (real VGCA
 * PDFs embed only the leaf), and the cryptographic policy. Build one with {@link make}; it is plain
 * data and can be shared across verifications.
 *
 * @since 0.1.0
 */
import { type Cert, derBlocks, parseCert } from "./internal/certificate.ts"

/**
 * A parsed certificate of the pool, with the fields the verifier needs.
 *
 * @since 0.1.0
 */
export type { Cert } from "./internal/certificate.ts"

/**
 * Digest algorithms a policy can accept.
 *
 * @since 0.1.0
 */
export type Digest = "sha1" | "sha224" | "sha256" | "sha384" | "sha512" | "sha3-256" | "sha3-384" | "sha3-512"

/**
 * Signature schemes a policy can accept.
 *
 * @since 0.1.0
 */
export type Scheme = "rsa-pkcs1" | "rsa-pss" | "ecdsa"

/**
 * A resolved trust configuration.
 *
 * @since 0.1.0
 */
export interface TrustConfig {
  /** Lower-case hex SHA-256 fingerprints of the trust anchors: the only thing that makes a chain trusted. */
  readonly pinned: ReadonlySet<string>
  /** Certificates available for chain building (anchors, intermediates); being here confers no trust. */
  readonly pool: ReadonlyArray<Cert>
  readonly acceptedDigests: ReadonlySet<Digest>
  readonly acceptedSchemes: ReadonlySet<Scheme>
  /** NIST names: "P-256", "P-384", "P-521". */
  readonly acceptedCurves: ReadonlySet<string>
  readonly minRsaBits: number
  /** Files larger than this are refused with `UnreadablePdf` / `TooLarge`. */
  readonly maxBytes: number
  /**
   * Work units before giving up with `UnreadablePdf` / `Timeout`. A unit is about a microsecond of
   * one core: one PDF token or object, 1 KiB hashed or searched, 256 bytes inflated or walked in
   * JavaScript; certificate parsing and signature verification are charged by key size. Bytes
   * count however often they are hashed, so many signatures over a large body cannot multiply it.
   */
  readonly workBudget: number
}

/**
 * Input of {@link make}. Certificates are PEM (one or a bundle) or DER.
 *
 * @since 0.1.0
 */
export interface TrustConfigInput {
  /** Anchor certificates; each is pinned by the SHA-256 of its DER. */
  readonly anchors?: ReadonlyArray<string | Uint8Array>
  /** Extra pins, for anchors that arrive inside the CMS or as intermediates (hex, colons allowed). */
  readonly anchorFingerprints?: ReadonlyArray<string>
  readonly intermediates?: ReadonlyArray<string | Uint8Array>
  readonly acceptedDigests?: ReadonlyArray<Digest>
  readonly acceptedSchemes?: ReadonlyArray<Scheme>
  readonly acceptedCurves?: ReadonlyArray<string>
  readonly minRsaBits?: number
  readonly maxBytes?: number
  readonly workBudget?: number
}

/**
 * The default size limit: 20 MiB.
 *
 * @since 0.1.0
 */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024

/**
 * The default work budget: about one second of one core. Real documents need far less (the
 * costliest file of the real-world corpus about 3 600 units, a 20 MB single-signature file about
 * 40 000, the same with ten signatures about 230 000).
 *
 * @since 0.1.0
 */
export const DEFAULT_WORK_BUDGET = 1_000_000

/**
 * Builds a trust configuration; throws on a certificate that cannot be parsed (configuration is
 * programmer input, so failing loudly at startup is right).
 *
 * @since 0.1.0
 */
export const make = (input: TrustConfigInput = {}): TrustConfig => {
  const anchors = (input.anchors ?? []).flatMap(derBlocks).map(parseCert)
  const intermediates = (input.intermediates ?? []).flatMap(derBlocks).map(parseCert)
  const pins = (input.anchorFingerprints ?? []).map((f) => f.replace(/[:\s]/g, "").toLowerCase())
  for (const pin of pins) {
    if (!/^[0-9a-f]{64}$/.test(pin)) throw new Error(`trust anchor fingerprint "${pin}" is not a SHA-256 hex digest`)
  }
  return {
    pinned: new Set([...anchors.map((a) => a.sha256), ...pins]),
    pool: [...anchors, ...intermediates],
    acceptedDigests: new Set(input.acceptedDigests ?? ["sha256", "sha384", "sha512"]),
    acceptedSchemes: new Set(input.acceptedSchemes ?? ["rsa-pkcs1", "rsa-pss", "ecdsa"]),
    acceptedCurves: new Set(input.acceptedCurves ?? ["P-256", "P-384"]),
    minRsaBits: input.minRsaBits ?? 2048,
    maxBytes: input.maxBytes ?? DEFAULT_MAX_BYTES,
    workBudget: input.workBudget ?? DEFAULT_WORK_BUDGET
  }
}

/**
 * Reads a PEM bundle of anchors (the CLI's `--trust anchors.pem`).
 *
 * @since 0.1.0
 */
export const fromPemBundle = (pem: string, rest: Omit<TrustConfigInput, "anchors"> = {}): TrustConfig => {
  const blocks = derBlocks(pem)
  if (blocks.length === 0) throw new Error("the trust file holds no PEM certificate")
  return make({ ...rest, anchors: blocks })
}
