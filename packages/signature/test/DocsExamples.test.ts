/**
 * The code shown in docs/signature.md lives here, so the typecheck and the tests keep it honest;
 * the last test fails if a snippet in the doc is not copied verbatim from this file.
 */
import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import { Effect } from "effect"
import { SignatureVerifier } from "@kho/core/SignatureVerifier"
import { isPassed } from "@kho/core/SignatureReport"
import { PdfSignatureVerifier, TrustConfig } from "../src/index.ts"

const pki = TestPki.vgca()
const vgcaRootPem = pki.root.pem
const subCaPem = pki.intermediate.pem
const pdfBytes = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer })

describe("docs/signature.md examples", () => {
  it("plain function", () => {
    // #region plain
    const trust = TrustConfig.make({
      anchors: [vgcaRootPem], // pinned by the SHA-256 of its DER
      intermediates: [subCaPem] // VGCA files embed only the signer's certificate
    })
    const report = PdfSignatureVerifier.verifyPdf(pdfBytes, trust, {
      validationTime: new Date("2024-03-20T10:00:00+07:00")
    })
    if (!isPassed(report)) console.log(report.indication, report.subIndication, report.reason)
    // #endregion plain
    assert.strictEqual(report.indication, "TOTAL_PASSED")
  })

  it.effect("Effect layer", () => {
    // #region effect
    const trust = TrustConfig.make({ anchors: [vgcaRootPem], intermediates: [subCaPem] })
    const program = Effect.gen(function*() {
      const verifier = yield* SignatureVerifier
      return yield* verifier.verify(pdfBytes, { validationTime: new Date("2024-03-20T10:00:00+07:00") })
    }).pipe(Effect.provide(PdfSignatureVerifier.layer(trust)))
    // #endregion effect
    return Effect.map(program, (report) => assert.strictEqual(report.indication, "TOTAL_PASSED"))
  })

  it("pinning by fingerprint", () => {
    // #region pins
    const trust = TrustConfig.make({
      anchorFingerprints: [pki.root.sha256], // hex, colons allowed
      intermediates: [subCaPem, vgcaRootPem], // candidates for path building, not trusted by themselves
      acceptedDigests: ["sha256", "sha384", "sha512"],
      acceptedSchemes: ["rsa-pkcs1", "rsa-pss", "ecdsa"],
      acceptedCurves: ["P-256", "P-384"],
      minRsaBits: 2048,
      maxBytes: 20 * 1024 * 1024
    })
    // #endregion pins
    assert.strictEqual(PdfSignatureVerifier.verifyPdf(pdfBytes, trust, { validationTime: TestPki.VALIDATION_TIME }).indication, "TOTAL_PASSED")
  })

  it("every ts snippet of docs/signature.md is copied from this file", () => {
    const source = readFileSync(new URL(import.meta.url), "utf8")
    const doc = readFileSync(new URL("../../../docs/signature.md", import.meta.url), "utf8")
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
    assert.isAtLeast(blocks.length, 3)
    const dedent = (s: string) => s.split("\n").map((l) => l.trim()).join("\n").trim()
    for (const block of blocks) assert.include(dedent(source), dedent(block))
  })
})
