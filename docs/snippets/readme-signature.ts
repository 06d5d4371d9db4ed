/**
 * The overview sample of packages/signature/README.md (its runnable example is the README's
 * ```ts example block, run by packages/promise/test/Packaging.test.ts).
 */
// #region overview
import { PdfSignatureVerifier, TrustConfig } from "@kho/signature"

const trust = TrustConfig.make({ anchors: [vgcaRootPem], intermediates: [subCaPem] })
const layer = PdfSignatureVerifier.layer(trust) // provides SignatureVerifier
const report = PdfSignatureVerifier.verifyPdf(bytes, trust) // outside Effect
// #endregion overview

declare const vgcaRootPem: string
declare const subCaPem: string
declare const bytes: Uint8Array

export { layer, report }
