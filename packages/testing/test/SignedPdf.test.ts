import { assert, describe, it } from "@effect/vitest"
import { createHash, X509Certificate } from "node:crypto"
import forge from "node-forge"
import * as SignedPdf from "../src/SignedPdf.ts"
import * as TestPki from "../src/TestPki.ts"

const pki = TestPki.vgca()
const latin1 = (pdf: Uint8Array) => Buffer.from(pdf).toString("latin1")
const byteRanges = (pdf: Uint8Array) => [...latin1(pdf).matchAll(/\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/g)].map((m) => m.slice(1).map(Number))

/** The raw CMS of the n-th signature. */
const rawCms = (pdf: Uint8Array, n = 0) => Buffer.from([...latin1(pdf).matchAll(/\/Contents <([0-9a-f]+)>/g)][n]![1]!, "hex")
/** The same, parsed by node-forge (RSA signers only). */
const cms = (pdf: Uint8Array, n = 0) => {
  const der = rawCms(pdf, n)
  const length = 4 + der.readUInt16BE(2) // 30 82 LL LL: the CMS fits in 64 KiB; the rest is zero padding
  const message = forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(der.subarray(0, length).toString("binary")))
  if (!("certificates" in message)) throw new Error("not SignedData")
  return message
}

describe("SignedPdf", () => {
  const base = SignedPdf.unsigned()
  const signed = SignedPdf.sign(base, { signer: pki.signer })

  it("an unsigned PDF is a well-formed single revision", () => {
    const text = latin1(base)
    assert.isTrue(text.startsWith("%PDF-1.7\n"))
    assert.isTrue(text.endsWith("%%EOF\n"))
    const startxref = Number(/startxref\n(\d+)/.exec(text)![1])
    assert.strictEqual(text.slice(startxref, startxref + 4), "xref")
    assert.isAtLeast(SignedPdf.unsigned({ size: 200_000 }).length, 190_000)
  })

  it("signs in an incremental update: the original bytes are a prefix and the ByteRange covers all but /Contents", () => {
    assert.isTrue(Buffer.from(signed).subarray(0, base.length).equals(Buffer.from(base)))
    const [[a, b, c, d]] = byteRanges(signed) as [[number, number, number, number]]
    assert.strictEqual(a, 0)
    assert.strictEqual(c + d, signed.length)
    const gap = latin1(signed).slice(b, c)
    assert.match(gap, /^<[0-9a-f]+>$/)
  })

  it("the CMS embeds the leaf only, and its messageDigest is the SHA-256 of the signed bytes", () => {
    const message = cms(signed)
    assert.strictEqual(message.certificates.length, 1)
    assert.strictEqual(new X509Certificate(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(message.certificates[0]!)).getBytes(), "binary")).fingerprint256, new X509Certificate(pki.signer.der).fingerprint256)
    const [[, b, c, d]] = byteRanges(signed) as [[number, number, number, number]]
    const digest = createHash("sha256").update(Buffer.from(signed).subarray(0, b)).update(Buffer.from(signed).subarray(c, c + d)).digest("hex")
    assert.include(rawCms(signed).toString("hex"), `0420${digest}`)
  })

  it("a second signature keeps the first revision intact", () => {
    const twice = SignedPdf.sign(signed, { signer: pki.signer, fieldName: "Sig2" })
    assert.isTrue(Buffer.from(twice).subarray(0, signed.length).equals(Buffer.from(signed)))
    const ranges = byteRanges(twice)
    assert.strictEqual(ranges.length, 2)
    assert.strictEqual(ranges[0]![2]! + ranges[0]![3]!, signed.length)
    assert.strictEqual(ranges[1]![2]! + ranges[1]![3]!, twice.length)
    assert.include(latin1(twice), "/T (Sig2)")
    assert.include(latin1(twice), "/Fields [")
  })

  it("tamper changes exactly one byte; appendBytes and update only append", () => {
    const tampered = SignedPdf.tamper(signed)
    assert.strictEqual(tampered.length, signed.length)
    assert.strictEqual([...tampered].filter((x, k) => x !== signed[k]).length, 1)
    for (const pdf of [SignedPdf.appendBytes(signed), SignedPdf.update(signed, "add-page"), SignedPdf.update(signed, "dss")]) {
      assert.isTrue(Buffer.from(pdf).subarray(0, signed.length).equals(Buffer.from(signed)))
      assert.isAbove(pdf.length, signed.length)
    }
  })

  it("the +7 h quirk writes a signingTime seven hours after the claimed instant", () => {
    const quirk = SignedPdf.sign(base, { signer: pki.signer, signingTime: TestPki.VALIDATION_TIME, localTimeQuirk: true })
    const utc = forge.asn1.dateToUtcTime(new Date(TestPki.VALIDATION_TIME.getTime() + 7 * 3_600_000))
    assert.include(rawCms(quirk).toString("latin1"), utc)
    assert.notInclude(rawCms(SignedPdf.sign(base, { signer: pki.signer, signingTime: TestPki.VALIDATION_TIME })).toString("latin1"), utc)
  })

  it("refuses to write a CMS larger than the reserved space", () => {
    assert.throws(() => SignedPdf.sign(base, { signer: pki.signer, reserve: 100 }), /more than the 100 reserved/)
  })
})
