/**
 * What a certificate may be used for, and what a timestamp must be to prove existence: the
 * extended key usage of signers and TSAs (RFC 5280 §4.2.1.12, RFC 3161 §2.3), a timestamp before
 * the signer's certificate, the policy applied to timestamps, and ASN.1 work charged to the budget.
 */
import { assert, describe, it } from "@effect/vitest"
import type { SignatureReport, SignatureVerdict } from "@kho/core/SignatureReport"
import { UnreadablePdf } from "@kho/core/SignatureVerifier"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import * as PdfSignatureVerifier from "../src/PdfSignatureVerifier.ts"
import * as TrustConfig from "../src/TrustConfig.ts"

const pki = TestPki.vgca()
const policy = (input: TrustConfig.TrustConfigInput = {}) => TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem], ...input })
const trust = policy()
const verify = (pdf: Uint8Array, config = trust): SignatureReport => PdfSignatureVerifier.verifyPdf(pdf, config, { validationTime: TestPki.VALIDATION_TIME })
const first = (report: SignatureReport): SignatureVerdict => report.signatures[0]!
const check = (verdict: SignatureVerdict, name: string) => verdict.checks.find((c) => c.name === name)!

const Eku = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  documentSigning: "1.3.6.1.5.5.7.3.36",
  adobe: "1.2.840.113583.1.1.5",
  microsoft: "1.3.6.1.4.1.311.10.3.12",
  any: "2.5.29.37.0"
} as const

let serial = 0x5b00
/** A certificate under the trusted intermediate; leaf validity unless `window` says otherwise. */
const leaf = (cn: string, extra: Partial<TestPki.IssueOptions> = {}, window: readonly [Date, Date] = TestPki.Validity.leaf): TestPki.Issued =>
  TestPki.issue({
    subject: [["C", "VN"], ["O", "Ban Cơ yếu Chính phủ"], ["CN", cn]],
    issuer: pki.intermediate,
    key: TestPki.rsaKey(2048),
    serialHex: (serial++).toString(16),
    notBefore: window[0],
    notAfter: window[1],
    keyUsage: [0, 1],
    ...extra
  })
const tsaLike = (cn: string, extra: Partial<TestPki.IssueOptions>) => leaf(cn, extra, TestPki.Validity.intermediate)

const base = SignedPdf.unsigned()
/** While the expired signer's certificate was valid: only a trusted timestamp can rescue it now. */
const backThen = new Date("2022-06-01T00:00:00Z")
const expiredWith = (timestamp: NonNullable<SignedPdf.SignOptions["timestamp"]>) =>
  SignedPdf.sign(base, { signer: pki.expiredSigner, signingTime: backThen, timestamp })

describe("timestamps prove existence only when made by a timestamping authority (RFC 3161 §2.3)", () => {
  it("a real TSA's timestamp rescues an expired signer (the control)", () => {
    assert.strictEqual(verify(expiredWith({ tsa: pki.tsa, genTime: backThen })).indication, "TOTAL_PASSED")
  })

  it("an expired signer timestamping its own signature, backdated, is not proof of existence", () => {
    const report = verify(expiredWith({ tsa: pki.expiredSigner, genTime: backThen }))
    assert.deepStrictEqual([report.indication, report.subIndication], ["INDETERMINATE", "OUT_OF_BOUNDS_NO_POE"])
    const ts = check(first(report), "signature-timestamp")
    assert.match(ts.detail, /no extended key usage: it is not a timestamping authority/)
    assert.match(ts.detail, /not used as proof of existence/)
  })

  const notTsas: ReadonlyArray<readonly [string, () => TestPki.Issued, RegExp]> = [
    ["a non-critical timeStamping purpose", () => tsaLike("TSA EKU không critical", { extendedKeyUsage: [Eku.timeStamping], extendedKeyUsageNonCritical: true }), /non-critical extension/],
    ["timeStamping alongside another purpose", () => tsaLike("TSA kiêm TLS", { extendedKeyUsage: [Eku.timeStamping, Eku.serverAuth] }), /timeStamping, serverAuth, not exactly timeStamping/],
    ["anyExtendedKeyUsage instead of timeStamping", () => tsaLike("TSA anyEKU", { extendedKeyUsage: [Eku.any] }), /not exactly timeStamping/]
  ]
  for (const [label, tsa, detail] of notTsas) {
    it(`a trusted certificate with ${label} gives no proof of existence`, () => {
      const report = verify(expiredWith({ tsa: tsa(), genTime: backThen }))
      assert.strictEqual(report.subIndication, "OUT_OF_BOUNDS_NO_POE")
      assert.match(check(first(report), "signature-timestamp").detail, detail)
    })
  }

  it("a document timestamp by an ordinary signer certificate fails; by the TSA it passes", () => {
    const signed = SignedPdf.sign(base, { signer: pki.signer })
    assert.strictEqual(verify(SignedPdf.documentTimestamp(signed, { tsa: pki.tsa, genTime: TestPki.VALIDATION_TIME })).indication, "TOTAL_PASSED")
    const report = verify(SignedPdf.documentTimestamp(signed, { tsa: pki.signer, genTime: TestPki.VALIDATION_TIME }))
    assert.deepStrictEqual([report.indication, report.subIndication], ["TOTAL_FAILED", "CHAIN_CONSTRAINTS_FAILURE"])
    const stamp = report.signatures.find((v) => v.kind === "document-timestamp")!
    assert.strictEqual(check(stamp, "certificate-chain").outcome, "failed")
    assert.match(stamp.reason, /the document timestamp was not made by a timestamping authority/)
    assert.match(report.reason, /^document timestamp "/)
  })
})

describe("a signer's extended key usage must allow signing documents (RFC 5280 §4.2.1.12)", () => {
  const refused: ReadonlyArray<readonly [string, () => TestPki.Issued, RegExp]> = [
    ["a critical serverAuth-only (TLS) certificate", () => leaf("www.example.gov.vn (TLS)", { extendedKeyUsage: [Eku.serverAuth] }), /restricted by its extended key usage to serverAuth,/],
    ["the TSA certificate", () => pki.tsa, /restricted by its extended key usage to timeStamping,/],
    ["a non-critical serverAuth + clientAuth certificate", () => leaf("www2.example.gov.vn", { extendedKeyUsage: [Eku.serverAuth, Eku.clientAuth], extendedKeyUsageNonCritical: true }), /serverAuth, clientAuth, none of which allows signing documents/]
  ]
  for (const [label, signer, detail] of refused) {
    it(`refuses ${label} as a document signer: TOTAL_FAILED / CHAIN_CONSTRAINTS_FAILURE`, () => {
      const report = verify(SignedPdf.sign(base, { signer: signer() }))
      assert.deepStrictEqual([report.indication, report.subIndication], ["TOTAL_FAILED", "CHAIN_CONSTRAINTS_FAILURE"])
      const chain = check(first(report), "certificate-chain")
      assert.strictEqual(chain.outcome, "failed")
      assert.match(chain.detail, detail)
      assert.match(report.reason, /it may not sign this document/)
    })
  }

  const accepted: ReadonlyArray<readonly [string, ReadonlyArray<string> | undefined]> = [
    ["no extended key usage (as the VGCA-shaped signer)", undefined],
    ["emailProtection", [Eku.emailProtection]],
    ["documentSigning", [Eku.documentSigning]],
    ["Adobe Authentic Documents Trust", [Eku.adobe]],
    ["Microsoft document signing", [Eku.microsoft]],
    ["anyExtendedKeyUsage", [Eku.any]],
    ["clientAuth with emailProtection", [Eku.clientAuth, Eku.emailProtection]]
  ]
  for (const [label, eku] of accepted) {
    it(`accepts a signer with ${label}`, () => {
      const signer = eku ? leaf(`Ký với ${label}`, { extendedKeyUsage: eku }) : pki.signer
      const report = verify(SignedPdf.sign(base, { signer }))
      assert.strictEqual(report.indication, "TOTAL_PASSED", report.reason)
    })
  }

  it("judges purpose on a trusted path only: an untrusted TLS certificate stays NO_CERTIFICATE_CHAIN_FOUND", () => {
    const tls = leaf("www3.example.gov.vn", { extendedKeyUsage: [Eku.serverAuth] })
    const report = verify(SignedPdf.sign(base, { signer: tls }), TrustConfig.make())
    assert.deepStrictEqual([report.indication, report.subIndication], ["INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND"])
  })
})

describe("a trusted timestamp before the signer's certificate", () => {
  it("fails as NOT_YET_VALID even when every certificate is valid at the validation time", () => {
    const before = new Date(pki.signer.notBefore.getTime() - 365 * 86_400_000)
    const report = verify(SignedPdf.sign(base, { signer: pki.signer, signingTime: before, timestamp: { tsa: pki.tsa, genTime: before } }))
    assert.deepStrictEqual([report.indication, report.subIndication], ["TOTAL_FAILED", "NOT_YET_VALID"])
    assert.match(check(first(report), "validity").detail, /was not yet valid at the trusted timestamp .* existed before its certificate/)
    const after = new Date(pki.signer.notBefore.getTime() + 86_400_000)
    assert.strictEqual(verify(SignedPdf.sign(base, { signer: pki.signer, signingTime: after, timestamp: { tsa: pki.tsa, genTime: after } })).indication, "TOTAL_PASSED")
  })
})

describe("the policy applies to timestamps too", () => {
  it("a SHA-1 imprint is no proof of existence unless acceptedDigests allows SHA-1", () => {
    const pdf = expiredWith({ tsa: pki.tsa, genTime: backThen, imprintDigest: "sha1" })
    const report = verify(pdf)
    assert.strictEqual(report.subIndication, "OUT_OF_BOUNDS_NO_POE")
    assert.match(check(first(report), "signature-timestamp").detail, /imprint uses sha1, not accepted by the policy/)
    assert.strictEqual(verify(pdf, policy({ acceptedDigests: ["sha1", "sha256"] })).indication, "TOTAL_PASSED")
  })

  it("a TSA key below minRsaBits is no proof of existence", () => {
    const weakTsa = tsaLike("TSA khóa yếu (RSA-1024)", { key: TestPki.rsaKey(1024), extendedKeyUsage: [Eku.timeStamping] })
    const pdf = expiredWith({ tsa: weakTsa, genTime: backThen })
    const report = verify(pdf)
    assert.strictEqual(report.subIndication, "OUT_OF_BOUNDS_NO_POE")
    assert.match(check(first(report), "signature-timestamp").detail, /RSA-1024 key; the policy requires at least 2048 bits/)
    assert.strictEqual(verify(pdf, policy({ minRsaBits: 1024 })).indication, "TOTAL_PASSED")
  })

  it("a document timestamp with a SHA-1 imprint fails the crypto constraints", () => {
    const pdf = SignedPdf.documentTimestamp(SignedPdf.sign(base, { signer: pki.signer }), { tsa: pki.tsa, genTime: TestPki.VALIDATION_TIME, imprintDigest: "sha1" })
    const report = verify(pdf)
    assert.deepStrictEqual([report.indication, report.subIndication], ["INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE"])
    const stamp = report.signatures.find((v) => v.kind === "document-timestamp")!
    assert.match(check(stamp, "crypto-constraints").detail, /imprint uses sha1, not accepted by the policy/)
  })
})

describe("ASN.1 is charged to the work budget", () => {
  const h = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex")
  /** A CMS whose signature value is `value` (the rest is minimal and never reached). */
  const cmsWith = (value: Buffer) => {
    const signerInfo = Buffer.concat([h("3080 020101 3005 3000 020101 300d 0609 608648016503040201 0500 300d 0609 2a864886f70d01010b 0500"), value, h("0000")])
    return Buffer.concat([h("3080 0609 2a864886f70d010702 a080 3080 020101 3100 3080 0609 2a864886f70d010701 0000 3180"), signerInfo, h("0000 0000 0000 0000")])
  }
  const withContents = (cms: Buffer) => SignedPdf.sign(base, { signer: pki.signer, rawContents: cms, reserve: cms.length })
  const small = policy({ workBudget: 100_000 })

  it("nested indefinite-length OCTET STRINGs end in Timeout, like the other bombs", () => {
    // 42 levels of indefinite constructed strings around 150 000 empty pieces: each level re-reads all below.
    const levels = 42
    const bomb = Buffer.concat([Buffer.concat(Array(levels).fill(h("2480"))), Buffer.alloc(150_000 * 2).fill(h("0400")), Buffer.concat(Array(levels).fill(h("0000")))])
    assert.strictEqual(verify(SignedPdf.sign(base, { signer: pki.signer }), small).indication, "TOTAL_PASSED")
    let error: unknown
    try {
      verify(withContents(cmsWith(bomb)), small)
    } catch (e) {
      error = e
    }
    assert.instanceOf(error, UnreadablePdf)
    assert.strictEqual((error as UnreadablePdf).reason, "Timeout")
  })

  it("deeply nested definite-length OCTET STRINGs are a FORMAT_FAILURE naming the nesting, not a stack overflow", () => {
    let value = h("0400")
    for (let k = 0; k < 1_000; k++) {
      const n = value.length
      const length = n < 0x80 ? h(n.toString(16).padStart(2, "0")) : n < 0x100 ? h(`81${n.toString(16).padStart(2, "0")}`) : h(`82${n.toString(16).padStart(4, "0")}`)
      value = Buffer.concat([h("24"), length, value])
    }
    const report = verify(withContents(cmsWith(value)))
    assert.deepStrictEqual([report.indication, report.subIndication], ["TOTAL_FAILED", "FORMAT_FAILURE"])
    assert.match(report.reason, /ASN\.1 nesting too deep/, report.reason)
  })
})
