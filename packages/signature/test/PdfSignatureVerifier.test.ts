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

/** A case: what to build, under which trust, and the verdict, sub-indication and deciding check. */
interface FailureCase {
  readonly label: string
  readonly build: () => Uint8Array
  readonly config?: TrustConfig.TrustConfig
  readonly indication: SignatureReport["indication"]
  readonly sub: SignatureReport["subIndication"]
  readonly check: (typeof PdfSignatureVerifier.CheckNames)[number]
  /** What the deciding check must say, when several problems share its name. */
  readonly detail?: RegExp
}

/** Asserts the document verdict, its sub-indication, and that `check` failed and decided it. */
const assertDecidedBy = (c: FailureCase): void => {
  const report = verify(c.build(), c.config)
  assert.strictEqual(report.indication, c.indication, report.reason)
  assert.strictEqual(report.subIndication, c.sub, report.reason)
  const v = only(report)
  const failed = v.checks.find((k) => k.name === c.check && k.outcome === "failed")
  assert.isDefined(failed, `${c.check} did not fail: ${JSON.stringify(v.checks)}`)
  assert.strictEqual(v.reason, failed!.detail, "the deciding check is the one named")
  assert.include(report.reason, failed!.detail)
  if (c.detail) assert.match(failed!.detail, c.detail)
}

const base = SignedPdf.unsigned()
const signWith = (options: SignedPdf.SignOptions) => () => SignedPdf.sign(base, options)
type Range = readonly [number, number, number, number]

describe("PdfSignatureVerifier: ByteRange defects (generated)", () => {
  const cases: Array<FailureCase> = [
    { label: "not starting at byte 0", build: signWith({ signer: pki.signer, byteRange: ([, b, c, d]: Range) => [10, b - 10, c, d] }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "byte-range", detail: /starts at byte 10/ },
    { label: "overlapping ranges", build: signWith({ signer: pki.signer, byteRange: ([, b]: Range, length) => [0, b, b - 10, length - (b - 10)] }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "byte-range", detail: /overlap/ },
    { label: "a negative number", build: signWith({ signer: pki.signer, byteRange: ([, b, c, d]: Range) => [0, b, c, -d] }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "byte-range", detail: /negative/ },
    { label: "past the end of the file", build: signWith({ signer: pki.signer, byteRange: ([, b, c, d]: Range) => [0, b, c, d + 100] }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "byte-range", detail: /past the end of the \d+-byte file/ },
    { label: "a single range", build: signWith({ signer: pki.signer, byteRange: (_: Range, length) => [0, length] }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "byte-range", detail: /1 range\(s\); exactly two ranges/ },
    { label: "not ending where its revision ends", build: signWith({ signer: pki.signer, byteRange: ([, b, c, d]: Range) => [0, b, c, d - 10] }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "byte-range", detail: /not the end of a revision/ }
  ]
  for (const c of cases) it(c.label, () => assertDecidedBy(c))
})

describe("PdfSignatureVerifier: CMS and algorithm defects (generated)", () => {
  const cases: Array<FailureCase> = [
    { label: "/Contents that is not a CMS", build: signWith({ signer: pki.signer, rawContents: Buffer.from("not a CMS, just text") }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "cms", detail: /not a readable CMS SignedData/ },
    { label: "a malformed embedded certificate", build: signWith({ signer: pki.signer, malformedCertificate: true }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "cms", detail: /certificate #2 in the CMS is not a valid X\.509 certificate/ },
    { label: "an EC key under an RSA signature algorithm", build: signWith({ signer: pki.ecdsaSigner, declaredSignatureAlgorithm: { scheme: "rsa-pkcs1", digest: "sha256" } }), indication: "TOTAL_FAILED", sub: "SIG_CRYPTO_FAILURE", check: "crypto-constraints", detail: /does not fit the signer's EC/ },
    { label: "sha512WithRSA over a SHA-256 digest", build: signWith({ signer: pki.signer, declaredSignatureAlgorithm: { scheme: "rsa-pkcs1", digest: "sha512" } }), indication: "INDETERMINATE", sub: "CRYPTO_CONSTRAINTS_FAILURE", check: "crypto-constraints", detail: /sha512WithRSA does not match the digest algorithm sha256/ },
    { label: "ECDSA-with-SHA384 over a SHA-256 digest", build: signWith({ signer: pki.ecdsaSigner, declaredSignatureAlgorithm: { scheme: "ecdsa", digest: "sha384" } }), indication: "INDETERMINATE", sub: "CRYPTO_CONSTRAINTS_FAILURE", check: "crypto-constraints", detail: /ECDSA-with-sha384 does not match/ },
    { label: "an RSA-PSS hash that is not the digest", build: signWith({ signer: pki.signer, scheme: "rsa-pss", declaredSignatureAlgorithm: { scheme: "rsa-pss", digest: "sha256", pss: { hash: "sha384" } } }), indication: "INDETERMINATE", sub: "CRYPTO_CONSTRAINTS_FAILURE", check: "crypto-constraints", detail: /RSA-PSS hash sha384/ },
    { label: "an RSA-PSS mask generation hash that is not the digest", build: signWith({ signer: pki.signer, scheme: "rsa-pss", declaredSignatureAlgorithm: { scheme: "rsa-pss", digest: "sha256", pss: { mgfHash: "sha1" } } }), indication: "INDETERMINATE", sub: "CRYPTO_CONSTRAINTS_FAILURE", check: "crypto-constraints", detail: /mask generation hash sha1/ },
    { label: "an RSA-PSS salt length that is not the one used", build: signWith({ signer: pki.signer, scheme: "rsa-pss", declaredSignatureAlgorithm: { scheme: "rsa-pss", digest: "sha256", pss: { saltLength: 20 } } }), indication: "TOTAL_FAILED", sub: "SIG_CRYPTO_FAILURE", check: "signature-value", detail: /salt 20/ },
    { label: "signed attributes that are not DER", build: signWith({ signer: pki.signer, signedAttributesIndefinite: true }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "signature-value", detail: /not DER-encoded/ },
    { label: "no messageDigest attribute", build: signWith({ signer: pki.signer, omitSignedAttributes: ["messageDigest"] }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "message-digest", detail: /no messageDigest/ },
    { label: "no contentType attribute", build: signWith({ signer: pki.signer, omitSignedAttributes: ["contentType"] }), indication: "TOTAL_FAILED", sub: "FORMAT_FAILURE", check: "message-digest", detail: /contentType attribute is missing/ },
    {
      // Found while writing these cases: this used to escape as UnreadablePdf "Malformed" for the whole file.
      label: "a contentType attribute whose value is not an OID gets a verdict, not an unreadable file",
      build: () => {
        const text = Buffer.from(SignedPdf.sign(base, { signer: pki.signer })).toString("latin1")
        const contentType = "310b06092a864886f70d010701" // SET { OID id-data } inside the signed attributes
        assert.strictEqual(text.split(contentType).length, 2)
        return Buffer.from(text.replace(contentType, "310b04092a864886f70d010701"), "latin1")
      },
      indication: "TOTAL_FAILED",
      sub: "FORMAT_FAILURE",
      check: "message-digest",
      detail: /contentType attribute is missing or not id-data/
    },
    { label: "no signed attributes, and a byte changed", build: () => SignedPdf.tamper(SignedPdf.sign(base, { signer: pki.signer, noSignedAttributes: true })), indication: "TOTAL_FAILED", sub: "SIG_CRYPTO_FAILURE", check: "signature-value" }
  ]
  for (const c of cases) it(c.label, () => assertDecidedBy(c))

  it("accepts ECDSA P-384, a BER indefinite-length CMS and a signature without signed attributes", () => {
    const p384 = only(verify(SignedPdf.sign(base, { signer: pki.p384Signer, digest: "sha384" })))
    assert.strictEqual(p384.indication, "TOTAL_PASSED", p384.reason)
    assert.match(p384.checks.find((c) => c.name === "crypto-constraints")!.detail, /ECDSA with sha384, EC secp384r1/)
    const ber = SignedPdf.sign(base, { signer: pki.signer, berIndefinite: true })
    assert.strictEqual(only(verify(ber)).indication, "TOTAL_PASSED")
    assert.strictEqual(only(verify(SignedPdf.tamper(ber))).subIndication, "HASH_FAILURE")
    const bare = only(verify(SignedPdf.sign(base, { signer: pki.signer, noSignedAttributes: true })))
    assert.strictEqual(bare.indication, "TOTAL_PASSED")
    assert.strictEqual(outcome(bare, "message-digest"), "not-run")
    assert.strictEqual(outcome(bare, "signature-value"), "passed")
  })
})

describe("PdfSignatureVerifier: path constraints and validity (generated)", () => {
  const m = pki.misissued
  const cases: Array<FailureCase> = [
    { label: "a CA without keyCertSign", build: signWith({ signer: m.underNoKeyCertSign, certificates: [m.underNoKeyCertSign, m.noKeyCertSignCa] }), indication: "INDETERMINATE", sub: "CHAIN_CONSTRAINTS_FAILURE", check: "certificate-chain", detail: /lacks the keyCertSign key usage/ },
    { label: "a signer without digitalSignature or nonRepudiation", build: signWith({ signer: m.noSigningUsage }), indication: "INDETERMINATE", sub: "CHAIN_CONSTRAINTS_FAILURE", check: "certificate-chain", detail: /neither digitalSignature nor nonRepudiation/ },
    { label: "a path length exceeded", build: signWith({ signer: m.underSubCa, certificates: [m.underSubCa, m.subCa] }), indication: "INDETERMINATE", sub: "CHAIN_CONSTRAINTS_FAILURE", check: "certificate-chain", detail: /allows 0 intermediate CA\(s\) below it, the chain has 1/ },
    { label: "a CA key below minRsaBits", build: signWith({ signer: m.underWeakCa, certificates: [m.underWeakCa, m.weakCa] }), indication: "INDETERMINATE", sub: "CRYPTO_CONSTRAINTS_FAILURE", check: "certificate-chain", detail: /RSA-1024 key/ },
    {
      label: "a trusted timestamp before the signer's notBefore (NOT_YET_VALID)",
      build: () => {
        const genTime = new Date(pki.expiredSigner.notBefore.getTime() - 30 * 86_400_000)
        return SignedPdf.sign(base, { signer: pki.expiredSigner, signingTime: genTime, timestamp: { tsa: pki.tsa, genTime } })
      },
      indication: "TOTAL_FAILED",
      sub: "NOT_YET_VALID",
      check: "validity",
      detail: /was not yet valid at the trusted timestamp/
    }
  ]
  for (const c of cases) it(c.label, () => assertDecidedBy(c))
})

describe("PdfSignatureVerifier: the policy refuses what it is told to", () => {
  const policy = (input: TrustConfig.TrustConfigInput) => TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem], ...input })
  const cases: Array<FailureCase & { readonly refusal: string }> = [
    { label: "acceptedSchemes without ecdsa", refusal: "ecdsa", build: signWith({ signer: pki.ecdsaSigner }), config: policy({ acceptedSchemes: ["rsa-pkcs1", "rsa-pss"] }), indication: "INDETERMINATE", sub: "CRYPTO_CONSTRAINTS_FAILURE", check: "crypto-constraints", detail: /ecdsa signatures are not accepted by the policy/ },
    { label: "acceptedCurves without P-384", refusal: "P-384", build: signWith({ signer: pki.p384Signer }), config: policy({ acceptedCurves: ["P-256"] }), indication: "INDETERMINATE", sub: "CRYPTO_CONSTRAINTS_FAILURE", check: "crypto-constraints", detail: /curve P-384, not accepted by the policy/ },
    { label: "acceptedDigests without sha512", refusal: "sha512", build: signWith({ signer: pki.signer, digest: "sha512" }), config: policy({ acceptedDigests: ["sha256"] }), indication: "INDETERMINATE", sub: "CRYPTO_CONSTRAINTS_FAILURE", check: "crypto-constraints", detail: /digest sha512 is not accepted by the policy/ },
    { label: "minRsaBits 3072", refusal: "RSA-2048", build: signWith({ signer: pki.signer }), config: policy({ minRsaBits: 3072 }), indication: "INDETERMINATE", sub: "CRYPTO_CONSTRAINTS_FAILURE", check: "crypto-constraints", detail: /RSA-2048 key; the policy requires at least 3072 bits/ }
  ]
  for (const c of cases) {
    it(`${c.label} refuses ${c.refusal}, which the default policy accepts`, () => {
      assert.strictEqual(verify(c.build()).indication, "TOTAL_PASSED")
      assertDecidedBy(c)
    })
  }
})
