/**
 * Hostile input: every file either yields a report or the typed `UnreadablePdf`, in bounded work.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { UnreadablePdf } from "@kho/core/SignatureVerifier"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import * as fc from "fast-check"
import * as PdfSignatureVerifier from "../src/PdfSignatureVerifier.ts"
import * as TrustConfig from "../src/TrustConfig.ts"

const pki = TestPki.vgca()
const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
const at = { validationTime: TestPki.VALIDATION_TIME }
const text = (s: string) => Buffer.from(s, "latin1")

const unreadableReason = (pdf: Uint8Array, config = trust): string | undefined => {
  try {
    PdfSignatureVerifier.verifyPdf(pdf, config, at)
    return undefined
  } catch (e) {
    if (e instanceof UnreadablePdf) return e.reason
    throw e
  }
}

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
