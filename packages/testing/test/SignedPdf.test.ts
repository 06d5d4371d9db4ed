import { assert, describe, it } from "@effect/vitest"
import { createHash, X509Certificate } from "node:crypto"
import { inflateSync } from "node:zlib"
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

  it("berIndefinite writes the CMS's outer layers with indefinite lengths; signedAttributesIndefinite only the signed attributes", () => {
    const ber = rawCms(SignedPdf.sign(base, { signer: pki.signer, berIndefinite: true })).toString("hex")
    // ContentInfo (30 80), its OID, [0] (a0 80), SignedData (30 80), version, digestAlgorithms (31 80)
    assert.isTrue(ber.startsWith("3080" + "06092a864886f70d010702" + "a080" + "3080" + "020101" + "3180"), ber.slice(0, 80))
    assert.notInclude(ber, "a080301806092a864886f70d010903")
    const attrs = rawCms(SignedPdf.sign(base, { signer: pki.signer, signedAttributesIndefinite: true })).toString("hex")
    assert.isTrue(attrs.startsWith("3082"))
    // [0] signed attributes (a0 80), first the contentType attribute (DER SET OF order)
    assert.include(attrs, "a080301806092a864886f70d010903")
  })

  it("omitSignedAttributes, declaredSignatureAlgorithm and malformedCertificate change only what they name", () => {
    const messageDigestOid = "06092a864886f70d010904"
    assert.include(rawCms(signed).toString("hex"), messageDigestOid)
    assert.notInclude(rawCms(SignedPdf.sign(base, { signer: pki.signer, omitSignedAttributes: ["messageDigest"] })).toString("hex"), messageDigestOid)
    const parts = (pdf: Uint8Array) => {
      const der = rawCms(pdf)
      const info = forge.asn1.fromDer(der.subarray(0, 4 + der.readUInt16BE(2)).toString("binary"))
      const sd = ((info.value as Array<forge.asn1.Asn1>)[1]!.value as Array<forge.asn1.Asn1>)[0]!.value as Array<forge.asn1.Asn1>
      return { certificates: sd[3]!.value as Array<forge.asn1.Asn1>, signerInfo: (sd.at(-1)!.value as Array<forge.asn1.Asn1>)[0]!.value as Array<forge.asn1.Asn1> }
    }
    const { signerInfo } = parts(SignedPdf.sign(base, { signer: pki.signer, declaredSignatureAlgorithm: { scheme: "rsa-pkcs1", digest: "sha512" } }))
    const oids = signerInfo.filter((n) => n.type === forge.asn1.Type.SEQUENCE && n.tagClass === forge.asn1.Class.UNIVERSAL).map((n) => forge.asn1.derToOid(forge.util.createBuffer((n.value as Array<forge.asn1.Asn1>)[0]!.value as string)))
    assert.includeMembers(oids, ["2.16.840.1.101.3.4.2.1", "1.2.840.113549.1.1.13"]) // digest SHA-256, sha512WithRSAEncryption
    const { certificates } = parts(SignedPdf.sign(base, { signer: pki.signer, malformedCertificate: true }))
    const der = (node: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(node).getBytes(), "binary")
    assert.strictEqual(new X509Certificate(der(certificates[0]!)).fingerprint256, new X509Certificate(pki.signer.der).fingerprint256)
    assert.throws(() => new X509Certificate(der(certificates[1]!)))
  })

  it("byteRange rewrites the numbers written while the CMS covers the true ranges; rawContents replaces the CMS", () => {
    const rewritten = SignedPdf.sign(base, { signer: pki.signer, byteRange: ([a, b, c, d]) => [a, b, c, d - 10] })
    const [[a, b, c, d]] = byteRanges(rewritten) as [[number, number, number, number]]
    assert.strictEqual(c + d + 10, rewritten.length)
    const digest = createHash("sha256").update(Buffer.from(rewritten).subarray(a, b)).update(Buffer.from(rewritten).subarray(c, c + d + 10)).digest("hex")
    assert.include(rawCms(rewritten).toString("hex"), `0420${digest}`)
    assert.throws(() => SignedPdf.sign(base, { signer: pki.signer, byteRange: () => [1e15, 1e15, 1e15, 1e15] }), /does not fit/)
    const raw = SignedPdf.sign(base, { signer: pki.signer, rawContents: Buffer.from("not a CMS") })
    assert.match(latin1(raw), new RegExp(`/Contents <${Buffer.from("not a CMS").toString("hex")}0+>`))
  })

  it("repeatSignature appends dictionaries whose ByteRange is well formed for their own revision", () => {
    const flood = SignedPdf.repeatSignature(signed, 5)
    assert.isTrue(Buffer.from(flood).subarray(0, signed.length).equals(Buffer.from(signed)))
    const ranges = byteRanges(flood)
    assert.strictEqual(ranges.length, 6)
    const cmsHex = rawCms(signed).toString("hex").replace(/(00)+$/, "")
    for (const [k, [a, b, c, d]] of ranges.entries()) {
      assert.strictEqual(a, 0)
      assert.match(latin1(flood).slice(b!, c!), /^<[0-9a-f]+>$/)
      assert.strictEqual(latin1(flood).slice(c! + d! - 6, c! + d!), "%%EOF\n")
      if (k > 0) assert.isTrue(latin1(flood).slice(b! + 1, c! - 1).startsWith(cmsHex.slice(0, 200)))
    }
    assert.strictEqual(ranges[5]![2]! + ranges[5]![3]!, flood.length)
  })

  it("objectStreams appends object streams that each inflate to the requested size", () => {
    const packed = SignedPdf.objectStreams(signed, { count: 3, inflatedBytes: 100_000 })
    const text = latin1(packed).slice(signed.length)
    const streams = [...text.matchAll(/\/Type \/ObjStm \/N 1 \/First (\d+) \/Filter \/FlateDecode \/Length (\d+) >>\nstream\n/g)]
    assert.strictEqual(streams.length, 3)
    const start = signed.length + streams[0]!.index + streams[0]![0].length
    const data = inflateSync(Buffer.from(packed).subarray(start, start + Number(streams[0]![2])))
    assert.strictEqual(data.length, 100_000)
    assert.match(data.toString("latin1", Number(streams[0]![1])), /^<< \/Producer \(Kho test kit\) >> +$/)
    assert.isBelow(packed.length - signed.length, 3 * 2_000)
  })

  it("refuses to write a CMS larger than the reserved space", () => {
    assert.throws(() => SignedPdf.sign(base, { signer: pki.signer, reserve: 100 }), /more than the 100 reserved/)
  })
})
