/**
 * Proves the library traps named in DESIGN.md §5, which is why the verifier parses CMS with its own
 * BER reader and decides trust with `node:crypto` (docs/adr/0030-cms-parsing-and-crypto.md).
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import forge from "node-forge"
import { X509Certificate } from "node:crypto"
import * as PdfSignatureVerifier from "../src/PdfSignatureVerifier.ts"
import * as TrustConfig from "../src/TrustConfig.ts"

const pki = TestPki.vgca()
const cmsOf = (pdf: Uint8Array): Buffer => {
  const m = /\/Contents <([0-9a-f]+)>/.exec(Buffer.from(pdf).toString("latin1"))!
  return Buffer.from(m[1]!, "hex")
}
// 30 82 LL LL: the CMS fits in 64 KiB; the rest of /Contents is zero padding.
const forgeMessage = (der: Buffer) => forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(der.subarray(0, 4 + der.readUInt16BE(2)).toString("binary")))

describe("library traps", () => {
  it("node-forge's pkcs7 verify is not implemented", () => {
    const message = forgeMessage(cmsOf(SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer })))
    expect(() => Reflect.apply(Reflect.get(message, "verify") as () => unknown, message, [])).toThrow(/not yet implemented/)
  })

  it("node-forge cannot read ECDSA certificates, so it cannot parse the CMS of an ECDSA signature", () => {
    expect(() => forge.pki.certificateFromPem(pki.ecdsaSigner.pem)).toThrow(/not RSA/)
    expect(() => forgeMessage(cmsOf(SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.ecdsaSigner })))).toThrow()
  })

  it("names are not trust: the look-alike hierarchy has the same names and fails the chain", () => {
    const a = new X509Certificate(pki.untrusted.intermediate.der)
    const b = new X509Certificate(pki.intermediate.der)
    assert.strictEqual(a.subject, b.subject)
    assert.notStrictEqual(pki.untrusted.root.sha256, pki.root.sha256)
    const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
    const pdf = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.untrusted.signer, certificates: [pki.untrusted.signer, pki.untrusted.intermediate, pki.untrusted.root] })
    const report = PdfSignatureVerifier.verifyPdf(pdf, trust, { validationTime: TestPki.VALIDATION_TIME })
    assert.strictEqual(report.subIndication, "NO_CERTIFICATE_CHAIN_FOUND")
    assert.match(report.reason, /has the issuer's name but did not sign/)
  })

  it("the message digest is checked against the PDF bytes, never against content embedded in the CMS", () => {
    // Embedded content equal to the signed bytes would make a "verify with embedded content" pass;
    // the verifier refuses any embedded content under a detached SubFilter instead.
    const pdf = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, embedContent: true })
    const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
    const report = PdfSignatureVerifier.verifyPdf(pdf, trust, { validationTime: TestPki.VALIDATION_TIME })
    assert.strictEqual(report.subIndication, "FORMAT_FAILURE")
  })
})
