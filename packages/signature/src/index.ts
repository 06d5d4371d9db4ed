/**
 * PDF/CMS signature verification for Kho, behind `@kho/core`'s `SignatureVerifier` port.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as PdfSignatureVerifier from "./PdfSignatureVerifier.ts"

/** @since 0.1.0 */
export * as TrustConfig from "./TrustConfig.ts"
