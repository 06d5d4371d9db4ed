/**
 * The result of validating the signatures of a PDF, on the ETSI EN 319 102-1 model.
 *
 * A document is accepted into a store only with a report whose indication is `TOTAL_PASSED`; the
 * report is kept with the document so anyone can later see why it was accepted.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * ETSI EN 319 102-1 main indication.
 *
 * @since 0.1.0
 */
export const Indication = Schema.Literals(["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"])

/**
 * @since 0.1.0
 */
export type Indication = typeof Indication.Type

/**
 * ETSI EN 319 102-1 sub-indications (clause 5.1.3) used by Kho.
 *
 * @since 0.1.0
 */
export const SubIndication = Schema.Literals([
  // TOTAL_FAILED
  "FORMAT_FAILURE",
  "HASH_FAILURE",
  "SIG_CRYPTO_FAILURE",
  "REVOKED",
  "EXPIRED",
  "NOT_YET_VALID",
  // INDETERMINATE
  "SIG_CONSTRAINTS_FAILURE",
  "CHAIN_CONSTRAINTS_FAILURE",
  "CERTIFICATE_CHAIN_GENERAL_FAILURE",
  "CRYPTO_CONSTRAINTS_FAILURE",
  "POLICY_PROCESSING_ERROR",
  "TIMESTAMP_ORDER_FAILURE",
  "NO_SIGNING_CERTIFICATE_FOUND",
  "NO_CERTIFICATE_CHAIN_FOUND",
  "REVOKED_NO_POE",
  "REVOKED_CA_NO_POE",
  "OUT_OF_BOUNDS_NO_POE",
  "OUT_OF_BOUNDS_NOT_REVOKED",
  "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
  "NO_POE",
  "TRY_LATER",
  "SIGNED_DATA_NOT_FOUND",
  "GENERIC"
])

/**
 * @since 0.1.0
 */
export type SubIndication = typeof SubIndication.Type

/**
 * One check that ran on a signature, in the order it ran.
 *
 * @since 0.1.0
 */
export const Check = Schema.Struct({
  name: Schema.String,
  outcome: Schema.Literals(["passed", "failed", "not-run"]),
  detail: Schema.String
})

/**
 * @since 0.1.0
 */
export type Check = typeof Check.Type

/**
 * A certificate as the report shows it.
 *
 * @since 0.1.0
 */
export const CertificateInfo = Schema.Struct({
  subject: Schema.String,
  issuer: Schema.String,
  serialNumber: Schema.String,
  /** SHA-256 of the DER encoding, lower-case hex: how trust anchors are pinned. */
  sha256: Schema.String,
  notBefore: Schema.String,
  notAfter: Schema.String
})

/**
 * @since 0.1.0
 */
export type CertificateInfo = typeof CertificateInfo.Type

/**
 * The verdict on one signature (or document timestamp) of a PDF.
 *
 * @since 0.1.0
 */
export const SignatureVerdict = Schema.Struct({
  /** The signature field's name (`/T`), or a synthetic `#n` when it has none. */
  fieldName: Schema.String,
  subFilter: Schema.NullOr(Schema.String),
  kind: Schema.Literals(["signature", "document-timestamp"]),
  indication: Indication,
  subIndication: Schema.NullOr(SubIndication),
  /** A sentence a person can act on, e.g. "the signer certificate does not chain to a trusted VGCA root". */
  reason: Schema.String,
  signer: Schema.NullOr(CertificateInfo),
  /** From the signer certificate to the trust anchor, when a chain was built. */
  chain: Schema.Array(CertificateInfo),
  /** The claimed signing time (signed attribute), ISO-8601, if any. */
  signingTime: Schema.NullOr(Schema.String),
  byteRange: Schema.Array(Schema.Number),
  /** Whether the signed range reaches the end of the file (nothing appended after it). */
  coversWholeDocument: Schema.Boolean,
  checks: Schema.Array(Check)
})

/**
 * @since 0.1.0
 */
export type SignatureVerdict = typeof SignatureVerdict.Type

/**
 * The report on a whole PDF: the worst signature decides the document. A PDF without any
 * signature is `INDETERMINATE` / `SIGNED_DATA_NOT_FOUND`.
 *
 * @since 0.1.0
 */
export const SignatureReport = Schema.Struct({
  indication: Indication,
  subIndication: Schema.NullOr(SubIndication),
  reason: Schema.String,
  /** The time the certificates were checked at, ISO-8601. */
  validationTime: Schema.String,
  /** SHA-256 of the whole file, lower-case hex. */
  documentSha256: Schema.String,
  signatures: Schema.Array(SignatureVerdict)
})

/**
 * @since 0.1.0
 */
export type SignatureReport = typeof SignatureReport.Type

/**
 * Whether a report lets a document into a store.
 *
 * @since 0.1.0
 */
export const isPassed = (report: SignatureReport): boolean => report.indication === "TOTAL_PASSED"
