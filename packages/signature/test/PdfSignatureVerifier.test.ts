import { assert, describe, expect, it } from "@effect/vitest"
import { createHash } from "node:crypto"
import { SignatureVerifier } from "@kho/core/SignatureVerifier"
import type { SignatureReport, SignatureVerdict } from "@kho/core/SignatureReport"
import { SignatureReport as ReportSchema } from "@kho/core/SignatureReport"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import { Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as PdfSignatureVerifier from "../src/PdfSignatureVerifier.ts"
import * as TrustConfig from "../src/TrustConfig.ts"

const pki = TestPki.vgca()
const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
const at = { validationTime: TestPki.VALIDATION_TIME }
const verify = (pdf: Uint8Array, config = trust): SignatureReport => PdfSignatureVerifier.verifyPdf(pdf, config, at)
const only = (report: SignatureReport): SignatureVerdict => {
  assert.strictEqual(report.signatures.length, 1)
  return report.signatures[0]!
}
const outcome = (verdict: SignatureVerdict, name: string) => verdict.checks.find((c) => c.name === name)?.outcome

const signed = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer })

describe("PdfSignatureVerifier: a valid VGCA-shaped signature", () => {
  it("passes every check, in the documented order, and reports the signer and chain", () => {
    const report = verify(signed)
    assert.strictEqual(report.indication, "TOTAL_PASSED")
    assert.strictEqual(report.subIndication, null)
    const v = only(report)
    assert.deepStrictEqual(v.checks.map((c) => c.name), [...PdfSignatureVerifier.CheckNames])
    for (const name of ["byte-range", "cms", "signer-info", "sub-filter", "detached", "signer-certificate", "crypto-constraints", "message-digest", "signature-value", "certificate-chain", "validity", "revisions"]) {
      assert.strictEqual(outcome(v, name), "passed", name)
    }
    assert.strictEqual(v.signer?.subject, "CN=Văn phòng HĐND và UBND huyện An Lão, O=UBND huyện An Lão, L=Huyện An Lão, ST=Bình Định, C=VN")
    assert.strictEqual(v.signer?.issuer, "CN=CA phục vụ các cơ quan Nhà nước G2, O=Ban Cơ yếu Chính phủ, C=VN")
    assert.strictEqual(v.signer?.serialNumber, pki.signer.serialHex)
    assert.deepStrictEqual(v.chain.map((c) => c.sha256), [pki.signer.sha256, pki.intermediate.sha256, pki.root.sha256])
    assert.strictEqual(v.signingTime, new Date(TestPki.VALIDATION_TIME.getTime() - 3_600_000).toISOString())
    assert.isTrue(v.coversWholeDocument)
    assert.strictEqual(v.byteRange[0], 0)
    assert.strictEqual(v.byteRange[2]! + v.byteRange[3]!, signed.length)
    assert.strictEqual(report.documentSha256, createHash("sha256").update(signed).digest("hex"))
    assert.strictEqual(report.validationTime, TestPki.VALIDATION_TIME.toISOString())
  })

  it("produces a report the core schema accepts", () => {
    const decoded = Schema.decodeUnknownSync(ReportSchema)(JSON.parse(JSON.stringify(verify(signed))))
    assert.strictEqual(decoded.indication, "TOTAL_PASSED")
  })

  it("accepts ECDSA P-256, RSA-PSS, SHA-384/512, a subject-key-identifier sid and CAdES", () => {
    const variants: Array<SignedPdf.SignOptions> = [
      { signer: pki.ecdsaSigner },
      { signer: pki.signer, scheme: "rsa-pss" },
      { signer: pki.signer, digest: "sha384" },
      { signer: pki.ecdsaSigner, digest: "sha512" },
      { signer: pki.signer, sidBySubjectKeyId: true },
      { signer: pki.signer, subFilter: "ETSI.CAdES.detached", essCertificate: pki.signer }
    ]
    for (const options of variants) {
      const report = verify(SignedPdf.sign(SignedPdf.unsigned(), options))
      assert.strictEqual(report.indication, "TOTAL_PASSED", JSON.stringify({ ...options, signer: options.signer.name }))
    }
  })

  it("builds the chain from configured intermediates when the CMS embeds only the leaf", () => {
    const leafOnly = TrustConfig.make({ anchors: [pki.root.pem] })
    const report = verify(signed, leafOnly)
    assert.strictEqual(report.subIndication, "NO_CERTIFICATE_CHAIN_FOUND")
    const withChain = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, certificates: [pki.signer, pki.intermediate] })
    assert.strictEqual(verify(withChain, leafOnly).indication, "TOTAL_PASSED")
  })

  it("pins anchors by fingerprint, not by certificate content supplied with the file", () => {
    const byPin = TrustConfig.make({ anchorFingerprints: [pki.root.sha256.replace(/(..)/g, "$1:").slice(0, -1)], intermediates: [pki.intermediate.pem, pki.root.pem] })
    assert.strictEqual(verify(signed, byPin).indication, "TOTAL_PASSED")
    const wrongPin = TrustConfig.make({ anchorFingerprints: [pki.untrusted.root.sha256], intermediates: [pki.intermediate.pem, pki.root.pem] })
    assert.strictEqual(verify(signed, wrongPin).subIndication, "NO_CERTIFICATE_CHAIN_FOUND")
  })
})

describe("PdfSignatureVerifier: each failure has its indication", () => {
  const cases: Array<[string, () => Uint8Array, SignatureReport["indication"], SignatureReport["subIndication"], string]> = [
    ["a byte changed inside the signed range", () => SignedPdf.tamper(signed), "TOTAL_FAILED", "HASH_FAILURE", "message-digest"],
    ["a wrong key", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, signingKey: pki.untrusted.signer.privateKey }), "TOTAL_FAILED", "SIG_CRYPTO_FAILURE", "signature-value"],
    ["the untrusted look-alike hierarchy", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.untrusted.signer, certificates: [pki.untrusted.signer, pki.untrusted.intermediate] }), "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND", "certificate-chain"],
    ["an expired signer without timestamp", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.expiredSigner }), "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE", "validity"],
    ["a signer issued by a non-CA", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.nonCaIssued, certificates: [pki.nonCaIssued, pki.signer] }), "INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE", "certificate-chain"],
    ["an RSA-1024 signer", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.weakSigner }), "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", "crypto-constraints"],
    ["SHA-1", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, digest: "sha1" }), "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", "crypto-constraints"],
    ["embedded content under a detached SubFilter", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, embedContent: true }), "TOTAL_FAILED", "FORMAT_FAILURE", "detached"],
    ["two SignerInfos", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, extraSignerInfo: true }), "TOTAL_FAILED", "FORMAT_FAILURE", "signer-info"],
    ["an unsupported SubFilter", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, subFilter: "adbe.pkcs7.sha1" }), "TOTAL_FAILED", "FORMAT_FAILURE", "sub-filter"],
    ["a signer certificate missing from the CMS", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, certificates: [pki.intermediate] }), "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", "signer-certificate"],
    ["a signing-certificate attribute naming another certificate", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, subFilter: "ETSI.CAdES.detached", essCertificate: pki.expiredSigner }), "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", "signer-certificate"],
    ["a signingTime 9 h in the future", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, signingTime: new Date(TestPki.VALIDATION_TIME.getTime() + 9 * 3_600_000) }), "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", "signing-time"],
    ["bytes appended after %%EOF", () => SignedPdf.appendBytes(signed), "TOTAL_FAILED", "FORMAT_FAILURE", "revisions"],
    ["a page added after signing", () => SignedPdf.update(signed, "add-page"), "TOTAL_FAILED", "FORMAT_FAILURE", "revisions"],
    ["the content stream redefined after signing", () => SignedPdf.update(signed, "change-content"), "TOTAL_FAILED", "FORMAT_FAILURE", "revisions"],
    ["a FreeText annotation added after signing", () => SignedPdf.update(signed, "add-annotation"), "TOTAL_FAILED", "FORMAT_FAILURE", "revisions"],
    ["a corrupt signature timestamp", () => SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, timestamp: { tsa: pki.tsa, genTime: TestPki.VALIDATION_TIME, corruptImprint: true } }), "TOTAL_FAILED", "HASH_FAILURE", "signature-timestamp"]
  ]
  for (const [label, build, indication, sub, check] of cases) {
    it(label, () => {
      const report = verify(build())
      assert.strictEqual(report.indication, indication)
      assert.strictEqual(report.subIndication, sub)
      const v = only(report)
      assert.strictEqual(outcome(v, check), "failed", `${check}: ${JSON.stringify(v.checks)}`)
      assert.include(report.reason, v.fieldName)
    })
  }

  it("a ByteRange that leaves the signature dictionary unsigned fails as FORMAT_FAILURE", () => {
    const text = Buffer.from(signed).toString("latin1")
    const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(text)!
    const [b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    const widened = `/ByteRange [0 ${b - 5} ${c} ${d}]`.padEnd(m[0].length, " ")
    const pdf = Buffer.from(text.replace(m[0], widened), "latin1")
    const v = only(verify(pdf))
    assert.strictEqual(v.indication, "TOTAL_FAILED")
    assert.strictEqual(outcome(v, "byte-range"), "failed")
    assert.match(v.reason, /not exactly the \/Contents/)
  })

  it("the worst signature decides the document", () => {
    const two = SignedPdf.sign(SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.untrusted.signer }), { signer: pki.signer, fieldName: "Sig2" })
    const report = verify(two)
    assert.deepStrictEqual(report.signatures.map((s) => s.indication), ["INDETERMINATE", "TOTAL_PASSED"])
    assert.strictEqual(report.indication, "INDETERMINATE")
    const broken = SignedPdf.sign(SignedPdf.tamper(SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.untrusted.signer })), { signer: pki.signer, fieldName: "Sig2" })
    const r2 = verify(broken)
    assert.deepStrictEqual(r2.signatures.map((s) => s.indication), ["TOTAL_FAILED", "TOTAL_PASSED"])
    assert.strictEqual(r2.indication, "TOTAL_FAILED")
  })
})

describe("PdfSignatureVerifier: revisions after the signed one", () => {
  it("a later signature is allowed, and the first no longer covers the whole file", () => {
    const two = SignedPdf.sign(signed, { signer: pki.ecdsaSigner, fieldName: "Sig2" })
    const report = verify(two)
    assert.strictEqual(report.indication, "TOTAL_PASSED")
    assert.deepStrictEqual(report.signatures.map((s) => s.fieldName), ["Signature1", "Sig2"])
    assert.deepStrictEqual(report.signatures.map((s) => s.coversWholeDocument), [false, true])
    assert.match(report.signatures[0]!.checks.find((c) => c.name === "revisions")!.detail, /signature/)
  })

  it("DSS, metadata and document timestamps are allowed", () => {
    for (const pdf of [SignedPdf.update(signed, "dss"), SignedPdf.update(signed, "metadata"), SignedPdf.documentTimestamp(signed, { tsa: pki.tsa, genTime: TestPki.VALIDATION_TIME })]) {
      assert.strictEqual(verify(pdf).indication, "TOTAL_PASSED")
    }
  })

  it("a document timestamp is verified (imprint over the signed bytes) but is not a signature", () => {
    const stamped = SignedPdf.documentTimestamp(signed, { tsa: pki.tsa, genTime: TestPki.VALIDATION_TIME })
    const report = verify(stamped)
    assert.deepStrictEqual(report.signatures.map((s) => s.kind), ["signature", "document-timestamp"])
    assert.strictEqual(report.signatures[1]!.indication, "TOTAL_PASSED")
    const onlyStamp = verify(SignedPdf.documentTimestamp(SignedPdf.unsigned(), { tsa: pki.tsa, genTime: TestPki.VALIDATION_TIME }))
    assert.strictEqual(onlyStamp.subIndication, "SIGNED_DATA_NOT_FOUND")
    const tampered = verify(SignedPdf.tamper(SignedPdf.documentTimestamp(SignedPdf.unsigned(), { tsa: pki.tsa, genTime: TestPki.VALIDATION_TIME })))
    assert.strictEqual(tampered.subIndication, "HASH_FAILURE")
  })
})

describe("PdfSignatureVerifier: time", () => {
  it("a trusted signature timestamp is proof of existence for an expired signer", () => {
    const genTime = new Date("2022-06-01T00:00:00Z")
    const pdf = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.expiredSigner, signingTime: genTime, timestamp: { tsa: pki.tsa, genTime } })
    const v = only(verify(pdf))
    assert.strictEqual(v.indication, "TOTAL_PASSED")
    assert.match(v.checks.find((c) => c.name === "validity")!.detail, /trusted timestamp 2022-06-01/)
  })

  it("a timestamp after expiry proves the signature was made too late", () => {
    const genTime = new Date("2023-06-01T00:00:00Z")
    const pdf = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.expiredSigner, signingTime: genTime, timestamp: { tsa: pki.tsa, genTime } })
    const v = only(verify(pdf))
    assert.strictEqual(v.indication, "TOTAL_FAILED")
    assert.strictEqual(v.subIndication, "EXPIRED")
  })

  it("a timestamp from an untrusted TSA is not proof of existence", () => {
    const genTime = new Date("2022-06-01T00:00:00Z")
    const pdf = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.expiredSigner, signingTime: genTime, timestamp: { tsa: pki.untrusted.signer, genTime } })
    const v = only(verify(pdf))
    assert.strictEqual(v.subIndication, "OUT_OF_BOUNDS_NO_POE")
    assert.match(v.checks.find((c) => c.name === "signature-timestamp")!.detail, /not trusted/)
  })

  it("tolerates the +7 h signingTime quirk of VGCA clients and reports the claimed time", () => {
    const pdf = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer, signingTime: TestPki.VALIDATION_TIME, localTimeQuirk: true })
    const v = only(verify(pdf))
    assert.strictEqual(v.indication, "TOTAL_PASSED")
    assert.strictEqual(v.signingTime, new Date(TestPki.VALIDATION_TIME.getTime() + 7 * 3_600_000).toISOString())
    assert.match(v.checks.find((c) => c.name === "signing-time")!.detail, /\+7 h/)
  })

  it("validates at the requested time: the same file is out of bounds after the signer expires", () => {
    const later = PdfSignatureVerifier.verifyPdf(signed, trust, { validationTime: new Date("2027-01-01T00:00:00Z") })
    assert.strictEqual(later.subIndication, "OUT_OF_BOUNDS_NO_POE")
  })
})

describe("PdfSignatureVerifier.layer", () => {
  it.effect("provides the core SignatureVerifier port; the validation time comes from the Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(TestPki.VALIDATION_TIME.getTime())
      const verifier = yield* SignatureVerifier
      const report = yield* verifier.verify(signed)
      assert.strictEqual(report.indication, "TOTAL_PASSED")
      assert.strictEqual(report.validationTime, TestPki.VALIDATION_TIME.toISOString())
      const error = yield* Effect.flip(verifier.verify(new TextEncoder().encode("hello")))
      assert.strictEqual(error._tag, "UnreadablePdf")
      assert.strictEqual(error.reason, "NotPdf")
    }).pipe(Effect.provide(PdfSignatureVerifier.layer(trust))))

  it("the plain function throws UnreadablePdf for a file over the size limit", () => {
    const small = TrustConfig.make({ anchors: [pki.root.pem], maxBytes: 1024 })
    expect(() => PdfSignatureVerifier.verifyPdf(signed, small, at)).toThrow(/limit is 1024 bytes/)
  })
})
