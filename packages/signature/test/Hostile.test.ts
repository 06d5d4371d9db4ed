/**
 * Hostile input: every file either yields a report or the typed `UnreadablePdf`, in bounded work.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { UnreadablePdf } from "@kho/core/SignatureVerifier"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import { Effect } from "effect"
import * as fc from "fast-check"
import * as PdfSignatureVerifier from "../src/PdfSignatureVerifier.ts"
import * as TrustConfig from "../src/TrustConfig.ts"

const pki = TestPki.vgca()
const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
const at = { validationTime: TestPki.VALIDATION_TIME }
const text = (s: string) => Buffer.from(s, "latin1")

const unreadable = (pdf: Uint8Array, config = trust): UnreadablePdf | undefined => {
  try {
    PdfSignatureVerifier.verifyPdf(pdf, config, at)
    return undefined
  } catch (e) {
    if (e instanceof UnreadablePdf) return e
    throw e
  }
}
const unreadableReason = (pdf: Uint8Array, config = trust): string | undefined => unreadable(pdf, config)?.reason

describe("hostile input", () => {
  it("refuses what is not a PDF, what is too large, and a header without a body", () => {
    assert.strictEqual(unreadableReason(text("GIF89a not a pdf")), "NotPdf")
    assert.strictEqual(unreadableReason(new Uint8Array(0)), "NotPdf")
    assert.strictEqual(unreadableReason(new Uint8Array(20 * 1024 * 1024 + 1)), "TooLarge")
    assert.strictEqual(unreadableReason(text("%PDF-1.7\n1 0 obj << >> endobj\n")), "Malformed")
  })

  it("gives up with Timeout when the work budget runs out", () => {
    const many = text(`%PDF-1.7\n${"1 0 obj << /ByteRange [0 1 2 3] >> endobj\n".repeat(2000)}%%EOF\n`)
    assert.strictEqual(unreadableReason(many, TrustConfig.make({ workBudget: 1000 })), "Timeout")
    const report = PdfSignatureVerifier.verifyPdf(many, TrustConfig.make({ workBudget: 1_000_000 }), at)
    assert.strictEqual(report.indication, "TOTAL_FAILED")
  })

  it("charges bytes hashed and searched: many signature dictionaries over one body give up with Timeout", () => {
    // The shape that took 41.8 s before hashing and searching were charged: n dictionaries, each
    // with a ByteRange well formed for its own revision, over one body. Here n = 150 over ~0.5 MB.
    const signed = SignedPdf.sign(SignedPdf.unsigned({ size: 500_000 }), { signer: pki.signer })
    const flood = SignedPdf.repeatSignature(signed, 150)
    const budget = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem], workBudget: 40_000 })
    // The same budget verifies a single signature over a body as large as the whole flood.
    const single = SignedPdf.sign(SignedPdf.unsigned({ size: flood.length }), { signer: pki.signer })
    assert.isAtLeast(single.length, flood.length - 2048)
    assert.strictEqual(PdfSignatureVerifier.verifyPdf(single, budget, at).indication, "TOTAL_PASSED")
    const error = unreadable(flood, budget)
    assert.strictEqual(error?.reason, "Timeout")
    assert.match(error!.message, /TrustConfig\.workBudget = 40000 units/)
    assert.match(error!.message, /151 signature dictionaries and \d+\.\d MB hashed, searched or inflated/)
    assert.match(error!.message, /verify it with a larger workBudget/)
    // With an unbounded budget the same file is a report: every copied dictionary fails its digest.
    const report = PdfSignatureVerifier.verifyPdf(flood, TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem], workBudget: 1e9 }), at)
    assert.strictEqual(report.signatures.length, 151)
    assert.strictEqual(report.subIndication, "HASH_FAILURE")
  })

  it.effect("the Effect API fails with the typed UnreadablePdf Timeout", () =>
    Effect.gen(function*() {
      const flood = SignedPdf.repeatSignature(SignedPdf.sign(SignedPdf.unsigned({ size: 100_000 }), { signer: pki.signer }), 60)
      const error = yield* Effect.flip(PdfSignatureVerifier.verify(flood, TrustConfig.make({ workBudget: 5_000 }), at))
      assert.strictEqual(error._tag, "UnreadablePdf")
      assert.strictEqual(error.reason, "Timeout")
    }))

  it("charges bytes inflated: object streams that inflate far beyond the file give up with Timeout", () => {
    const signed = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer })
    const config = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem], workBudget: 30_000 })
    // One stream of 1 MiB is allowed metadata and fits the budget (4 096 units)…
    const one = SignedPdf.objectStreams(signed, { count: 1, inflatedBytes: 1 << 20 })
    assert.strictEqual(PdfSignatureVerifier.verifyPdf(one, config, at).indication, "TOTAL_PASSED")
    // …sixteen of them (16 MiB from a file of a few dozen KiB) do not.
    const bomb = SignedPdf.objectStreams(signed, { count: 16, inflatedBytes: 1 << 20 })
    assert.isBelow(bomb.length, 100_000)
    const error = unreadable(bomb, config)
    assert.strictEqual(error?.reason, "Timeout")
    assert.match(error!.message, /1 signature dictionary and \d+\.\d MB/)
  })

  it("a CMS full of look-alike CAs that all sign each other cannot make chain building exponential", () => {
    // Twelve CA certificates with one name and one key: every one verifies every other, so a
    // depth-first search without memory would try 12!/2 paths before giving up.
    const key = TestPki.ecKey("P-256")
    const name: TestPki.Name = [["C", "VN"], ["O", "Ban Cơ yếu Chính phủ"], ["CN", "CA phục vụ các cơ quan Nhà nước G2"]]
    const window = { notBefore: TestPki.Validity.intermediate[0], notAfter: TestPki.Validity.intermediate[1] }
    const first = TestPki.issue({ subject: name, key, serialHex: "6e00", ca: true, keyUsage: [5, 6], ...window })
    const mesh = [first, ...Array.from({ length: 11 }, (_, k) => TestPki.issue({ subject: name, issuer: first, key, serialHex: `6e${(k + 1).toString(16).padStart(2, "0")}`, ca: true, keyUsage: [5, 6], ...window }))]
    const leaf = TestPki.issue({ subject: TestPki.Names.signer, issuer: mesh[5]!, key: TestPki.ecKey("P-256"), serialHex: "6e99", keyUsage: [0, 1], notBefore: TestPki.Validity.leaf[0], notAfter: TestPki.Validity.leaf[1] })
    const pdf = SignedPdf.sign(SignedPdf.unsigned(), { signer: leaf, certificates: [leaf, ...mesh], reserve: 20_000 })
    const report = PdfSignatureVerifier.verifyPdf(pdf, TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem], workBudget: 200_000 }), at)
    assert.strictEqual(report.subIndication, "NO_CERTIFICATE_CHAIN_FOUND")
    assert.match(report.reason, /no path to a pinned trust anchor/)
  })

  it("survives deep nesting and cyclic references without following them", () => {
    const deep = text(`%PDF-1.7\n1 0 obj << /ByteRange [0 1 2 3] /X ${"<< /A ".repeat(5000)} >> endobj\n%%EOF\n`)
    assert.strictEqual(PdfSignatureVerifier.verifyPdf(deep, trust, at).subIndication, "SIGNED_DATA_NOT_FOUND")
    const cyclic = text([
      "%PDF-1.7",
      "1 0 obj << /Type /Catalog /Pages 1 0 R /AcroForm << /Fields [2 0 R] >> >> endobj",
      "2 0 obj << /FT /Sig /T (Loop) /V 3 0 R /Parent 2 0 R /Kids [2 0 R] >> endobj",
      "3 0 obj << /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] /Contents <00> /Next 3 0 R >> endobj",
      "trailer << /Root 1 0 R /Prev 0 >>",
      "startxref 0",
      "%%EOF"
    ].join("\n"))
    const report = PdfSignatureVerifier.verifyPdf(cyclic, trust, at)
    assert.strictEqual(report.signatures[0]?.fieldName, "Loop")
    assert.strictEqual(report.indication, "TOTAL_FAILED")
  })

  it("random bytes never pass and never throw anything but UnreadablePdf", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), (bytes, header) => {
      const pdf = header ? Buffer.concat([text("%PDF-1.7\n"), bytes, text("\n%%EOF\n")]) : bytes
      try {
        assert.notStrictEqual(PdfSignatureVerifier.verifyPdf(pdf, trust, at).indication, "TOTAL_PASSED")
      } catch (e) {
        expect(e).toBeInstanceOf(UnreadablePdf)
      }
    }), { numRuns: 300 })
  })

  it("a signed PDF with any byte changed outside /Contents never passes", () => {
    const signed = Buffer.from(SignedPdf.sign(SignedPdf.unsigned({ text: "Giay khai sinh" }), { signer: pki.signer }))
    const m = /\/Contents <[0-9a-f]+>/.exec(signed.toString("latin1"))!
    const gap = [m.index + 10, m.index + m[0].length]
    fc.assert(fc.property(fc.nat({ max: signed.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, delta) => {
      const copy = Buffer.from(signed)
      copy[pos] = (copy[pos]! + delta) & 0xff
      let passed = false
      try {
        passed = PdfSignatureVerifier.verifyPdf(copy, trust, at).indication === "TOTAL_PASSED"
      } catch (e) {
        expect(e).toBeInstanceOf(UnreadablePdf)
      }
      if (passed) assert.isTrue(pos >= gap[0]! && pos < gap[1]!, `byte ${pos} changed and the file still passed`)
    }), { numRuns: 400 })
  })

  it("a truncated signed PDF never passes", () => {
    const signed = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer })
    fc.assert(fc.property(fc.nat({ max: signed.length - 2 }), (cut) => {
      assert.notStrictEqual(unreadableReason(signed.subarray(0, cut)) ?? PdfSignatureVerifier.verifyPdf(signed.subarray(0, cut), trust, at).indication, "TOTAL_PASSED")
    }), { numRuns: 200 })
  })
})
