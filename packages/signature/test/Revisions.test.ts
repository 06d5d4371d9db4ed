/**
 * Incremental updates after a signature: what the ETSI/PAdES model allows (a later signature, a
 * document timestamp, DSS, metadata) passes; the nine ways a 2026 audit changed a signed page while
 * keeping TOTAL_PASSED fail, each because a redefined object is judged by what it WAS in the signed
 * revision and the update's objects are read from its cross-reference section.
 */
import { assert, describe, it } from "@effect/vitest"
import type { SignatureReport } from "@kho/core/SignatureReport"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import * as Zlib from "node:zlib"
import * as PdfSignatureVerifier from "../src/PdfSignatureVerifier.ts"
import * as TrustConfig from "../src/TrustConfig.ts"

const pki = TestPki.vgca()
const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
const verify = (pdf: Uint8Array): SignatureReport => PdfSignatureVerifier.verifyPdf(pdf, trust, { validationTime: TestPki.VALIDATION_TIME })

// SignedPdf.unsigned: 1 catalog, 2 pages, 3 page, 4 content, 5 font, 6 image; sign adds 7 sig, 8 widget, 9 AcroForm.
const signed = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer })
const PAGE_KEYS = "/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >>"
const EVIL = "BT /F1 12 Tf 72 760 Td (Cong van da bi sua) Tj ET\n"

const enc = (s: string): Buffer => Buffer.from(s, "latin1")
const stream = (dict: string, data: string): string => `${dict.replace(/>>$/, ` /Length ${data.length} >>`)}\nstream\n${data}\nendstream`
const lastNumber = (text: string, re: RegExp): number => Number([...text.matchAll(re)].at(-1)![1])

/**
 * Appends an update of raw objects (`[num, "num 0 obj … endobj"]`; num -1: bytes not listed in the
 * cross-reference table), listing each at the offset of its `num 0` as the auditor's builder did.
 */
const appendRaw = (pdf: Uint8Array, objects: ReadonlyArray<readonly [number, string]>, root = 1): Buffer => {
  const base = Buffer.from(pdf)
  const text = base.toString("latin1")
  const parts: Array<Buffer> = [base]
  let offset = base.length
  const offsets = new Map<number, number>()
  for (const [num, raw] of objects) {
    if (num >= 0) offsets.set(num, offset + Math.max(0, raw.indexOf(`${num} 0`)))
    const bytes = enc(`${raw}\n`)
    parts.push(bytes)
    offset += bytes.length
  }
  const nums = [...offsets.keys()].sort((a, b) => a - b)
  const xref = `xref\n0 1\n0000000000 65535 f \n${nums.map((n) => `${n} 1\n${String(offsets.get(n)).padStart(10, "0")} 00000 n \n`).join("")}`
  const size = Math.max(lastNumber(text, /\/Size (\d+)/g), ...nums.map((n) => n + 1))
  parts.push(enc(`${xref}trailer\n<< /Size ${size} /Root ${root} 0 R /Prev ${lastNumber(text, /startxref\s+(\d+)/g)} >>\nstartxref\n${offset}\n%%EOF\n`))
  return Buffer.concat(parts)
}

/** Appends an update whose objects are packed in one object stream, listed by a PNG-predicted xref stream. */
const appendPacked = (pdf: Uint8Array, packed: ReadonlyArray<readonly [number, string]>, extraTrailer = ""): Buffer => {
  const base = Buffer.from(pdf)
  const text = base.toString("latin1")
  const size = lastNumber(text, /\/Size (\d+)/g)
  const [objStm, xrefNum] = [size, size + 1]
  const header = packed.map(([num], k) => `${num} ${packed.slice(0, k).reduce((n, [, body]) => n + body.length + 1, 0)}`).join(" ") + "\n"
  const data = Zlib.deflateSync(enc(header + packed.map(([, body]) => `${body}\n`).join("")))
  const stmObject = Buffer.concat([enc(`${objStm} 0 obj\n<< /Type /ObjStm /N ${packed.length} /First ${header.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`), data, enc("\nendstream\nendobj\n")])
  const stmAt = base.length
  const xrefAt = stmAt + stmObject.length
  // Rows of W [1 4 2]: type, offset or stream number, generation or index; PNG Up predictor.
  const rows: Array<readonly [number, number, number, number]> = [
    ...packed.map(([num], k) => [num, 2, objStm, k] as const),
    [objStm, 1, stmAt, 0],
    [xrefNum, 1, xrefAt, 0]
  ]
  rows.sort((a, b) => a[0] - b[0])
  let previous = Buffer.alloc(7)
  const raw = rows.map(([, type, a, b]) => {
    const row = Buffer.alloc(7)
    row.writeUInt8(type, 0)
    row.writeUInt32BE(a, 1)
    row.writeUInt16BE(b, 5)
    const up = Buffer.concat([Buffer.from([2]), row.map((x, k) => (x - previous[k]!) & 0xff)])
    previous = row
    return up
  })
  const xrefData = Zlib.deflateSync(Buffer.concat(raw))
  const index = rows.map(([num]) => `${num} 1`).join(" ")
  const xrefObject = Buffer.concat([
    enc(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /Index [${index}] /W [1 4 2] /Root 1 0 R /Prev ${lastNumber(text, /startxref\s+(\d+)/g)}${extraTrailer} /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length ${xrefData.length} >>\nstream\n`),
    xrefData,
    enc("\nendstream\nendobj\n")
  ])
  return Buffer.concat([base, stmObject, xrefObject, enc(`startxref\n${xrefAt}\n%%EOF\n`)])
}

const assertModified = (pdf: Uint8Array, detail: RegExp) => {
  const report = verify(pdf)
  assert.strictEqual(report.indication, "TOTAL_FAILED", report.reason)
  assert.strictEqual(report.subIndication, "FORMAT_FAILURE")
  const check = report.signatures[0]!.checks.find((c) => c.name === "revisions")!
  assert.strictEqual(check.outcome, "failed")
  assert.match(check.detail, /modified after signing/)
  assert.match(check.detail, detail)
}

describe("Revisions: a redefined object is judged by what it was when signed", () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ["A: the page content redefined with a /Fields key", "<< /Fields [] >>", /object 4.*existing stream was redefined/],
    ["B: the page content redefined as /Type /XRef", "<< /Type /XRef >>", /object 4.*existing stream was redefined/],
    ["C: the page content redefined as /Type /Metadata", "<< /Type /Metadata >>", /object 4.*existing stream was redefined/],
    ["D: the page content redefined as /Type /DSS", "<< /Type /DSS >>", /object 4.*existing stream was redefined/]
  ]
  for (const [label, dict, detail] of cases) {
    it(label, () => assertModified(appendRaw(signed, [[4, `4 0 obj\n${stream(dict, EVIL)}\nendobj`]]), detail))
  }

  it("the plain redefinition of the page content (the control) fails", () => {
    assertModified(appendRaw(signed, [[4, `4 0 obj\n${stream("<< >>", EVIL)}\nendobj`]]), /object 4/)
  })
})

describe("Revisions: the update's objects come from its cross-reference section", () => {
  it("E: a header split by a comment is still the object the xref lists", () => {
    assertModified(appendRaw(signed, [[4, `4 0 %c\nobj\n${stream("<< >>", EVIL)}\nendobj`], [90, "90 0 obj\n<< /Producer (x) >>\nendobj"]]), /object 4/)
  })

  it("F: a redefinition inside a literal string of a dummy object is still the object the xref lists", () => {
    assertModified(appendRaw(signed, [[-1, "91 0 obj\n("], [4, `4 0 obj\n${stream("<< >>", EVIL)}\nendobj`], [-1, ")\nendobj"], [90, "90 0 obj\n<< /Producer (x) >>\nendobj"]]), /object 4/)
  })

  it("a redefinition hidden in a literal string fails even when the xref omits it", () => {
    assertModified(appendRaw(signed, [[-1, `91 0 obj\n(\n4 0 obj\n${stream("<< >>", EVIL)}\nendobj\n)\nendobj`], [90, "90 0 obj\n<< /Producer (x) >>\nendobj"]]), /object 4/)
  })

  it("an xref entry for which the revision holds no such object fails", () => {
    // The entry says object 4 (the page content) lies where object 90 is.
    const pdf = appendRaw(signed, [[90, "90 0 obj\n<< /Producer (x) >>\nendobj"]])
    const at = pdf.lastIndexOf("90 1\n")
    assertModified(Buffer.concat([pdf.subarray(0, at), enc("4 1\n"), pdf.subarray(at + 5)]), /object 4: no object/)
  })

  it("a page redefined inside an object stream (xref stream, PNG predictor) fails", () => {
    assertModified(appendPacked(signed, [[3, `<< ${PAGE_KEYS.replace("/Contents 4 0 R", "/Contents [4 0 R 5 0 R]")} /Annots [8 0 R] >>`]]), /object 3.*\/Contents changed/)
  })
})

describe("Revisions: annotations, the root and signed widgets", () => {
  it("G: a FreeText annotation without /Type /Annot added through the page's /Annots fails", () => {
    assertModified(appendRaw(signed, [
      [40, "40 0 obj\n<< /Subtype /FreeText /Rect [72 700 400 740] /Contents (Da duyet) /DA (/Helv 12 Tf 0 g) >>\nendobj"],
      [3, `3 0 obj\n<< ${PAGE_KEYS} /Annots [8 0 R 40 0 R] >>\nendobj`]
    ]), /40 0 R/)
  })

  it("H: the trailer's /Root moved to a new catalog with a new page tree fails", () => {
    assertModified(appendRaw(signed, [
      [50, "50 0 obj\n<< /Type /Catalog /Pages 51 0 R >>\nendobj"],
      [51, "51 0 obj\n<< /Kids [52 0 R] /Count 1 >>\nendobj"],
      [52, "52 0 obj\n<< /Parent 51 0 R /MediaBox [0 0 595 842] /Contents 53 0 R /Resources << /Font << /F1 5 0 R >> >> >>\nendobj"],
      [53, `53 0 obj\n${stream("<< >>", EVIL)}\nendobj`]
    ], 50), /\/Root changed/)
  })

  it("I: the signed signature widget redefined full-page with a new appearance fails", () => {
    assertModified(appendRaw(signed, [
      [8, "8 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V 7 0 R /Rect [0 0 595 842] /F 4 /P 3 0 R /AP << /N 60 0 R >> >>\nendobj"],
      [60, `60 0 obj\n${stream("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> >>", `1 g 0 0 595 842 re f 0 g ${EVIL}`)}\nendobj`]
    ]), /object 8.*already signed/)
  })

  it("an unsigned signature widget painting over the page fails: only a field signed in the same revision may be added", () => {
    assertModified(appendRaw(signed, [
      [40, "40 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Overlay) /Rect [0 0 595 842] /F 4 /P 3 0 R /AP << /N 41 0 R >> >>\nendobj"],
      [41, `41 0 obj\n${stream("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> >>", `1 g 0 0 595 842 re f 0 g ${EVIL}`)}\nendobj`],
      [3, `3 0 obj\n<< ${PAGE_KEYS} /Annots [8 0 R 40 0 R] >>\nendobj`]
    ]), /40 0 R.*does not sign/)
  })

  it("the catalog's /Perms may not change after signing", () => {
    assertModified(appendRaw(signed, [[1, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm 9 0 R /Perms << /DocMDP 7 0 R >> >>\nendobj"]]), /catalog \/Perms changed/)
  })
})

describe("Revisions: what the model allows still passes", () => {
  const passes = (pdf: Uint8Array, kinds: RegExp) => {
    const report = verify(pdf)
    assert.strictEqual(report.indication, "TOTAL_PASSED", report.reason)
    const check = report.signatures[0]!.checks.find((c) => c.name === "revisions")!
    assert.strictEqual(check.outcome, "passed")
    assert.match(check.detail, kinds)
  }

  it("a second signature", () => passes(SignedPdf.sign(signed, { signer: pki.ecdsaSigner, fieldName: "Sig2" }), /all allowed: signature/))
  it("a document timestamp", () => passes(SignedPdf.documentTimestamp(signed, { tsa: pki.tsa, genTime: TestPki.VALIDATION_TIME }), /document-timestamp/))
  it("a DSS update", () => passes(SignedPdf.update(signed, "dss"), /dss/))
  it("an Info update, then a DSS update, then a third signature", () => {
    const pdf = SignedPdf.sign(SignedPdf.update(SignedPdf.update(signed, "metadata"), "dss"), { signer: pki.ecdsaSigner, fieldName: "Sig2" })
    passes(pdf, /3 later revision\(s\), all allowed: metadata, dss, signature/)
  })
  it("an Info dictionary packed in an object stream and listed by an xref stream", () => {
    passes(appendPacked(signed, [[40, "<< /Producer (Kho test kit) >>"]], " /Info 40 0 R"), /metadata/)
  })
  it("an identical re-emission of the page content", () => {
    const content = "BT /F1 12 Tf 72 760 Td (Cong van so 235/QD-UBND: ty le tai su dung 4,48%) Tj ET\nq 100 0 0 100 72 600 cm /Im1 Do Q\n"
    passes(appendRaw(signed, [[4, `4 0 obj\n${stream("<< >>", content)}\nendobj`]]), /metadata/)
  })
})
