/**
 * Builds signed PDFs byte by byte, the way signing tools do: every signature is an incremental
 * update whose `/ByteRange` covers the whole file except its `/Contents` hex string. Nothing is
 * re-saved (pdf-lib's `save()` would rewrite the file and break earlier signatures), so the same
 * functions also produce the defects a verifier must catch: bytes changed inside the range,
 * updates and bytes appended after signing, forged keys, expired signers, the +7 h signingTime
 * quirk of VGCA clients.
 *
 * ```ts
 * const pki = TestPki.vgca()
 * const pdf = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer })
 * const twice = SignedPdf.sign(pdf, { signer: pki.ecdsaSigner, fieldName: "Sig2" })
 * ```
 *
 * @since 0.1.0
 */
import * as Crypto from "node:crypto"
import * as Zlib from "node:zlib"
import * as Cms from "./internal/pkiCms.ts"
import type { DigestName, PssParameters, Scheme } from "./internal/pkiAsn1.ts"
import type { Issued } from "./TestPki.ts"
import { VALIDATION_TIME } from "./TestPki.ts"

/**
 * The digest algorithms and signature schemes {@link sign} can produce.
 *
 * @since 0.1.0
 */
export type { DigestName, PssParameters, Scheme } from "./internal/pkiAsn1.ts"

/**
 * Options of {@link unsigned}.
 *
 * @since 0.1.0
 */
export interface UnsignedOptions {
  /** The visible text of the page. */
  readonly text?: string
  /** Approximate file size in bytes; filled with a pseudo-random image stream. */
  readonly size?: number
}

const enc = (s: string): Buffer => Buffer.from(s, "latin1")

const xrefEntry = (offset: number): string => `${String(offset).padStart(10, "0")} 00000 n \n`

const PAGE_KEYS = "/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >>"

/**
 * A one-page, unsigned PDF 1.7 (objects: 1 catalog, 2 pages, 3 page, 4 content, 5 font, 6 image).
 *
 * @since 0.1.0
 */
export const unsigned = (options: UnsignedOptions = {}): Uint8Array => {
  const text = (options.text ?? "Cong van so 235/QD-UBND: ty le tai su dung 4,48%").replace(/[()\\]/g, "")
  const content = `BT /F1 12 Tf 72 760 Td (${text}) Tj ET\nq 100 0 0 100 72 600 cm /Im1 Do Q\n`
  const imageBytes = Math.max(3, (options.size ?? 0) - 1200)
  const side = Math.max(1, Math.floor(Math.sqrt(imageBytes / 3)))
  const image = pseudoRandom(side * side * 3)
  const objects: Array<Buffer> = [
    enc("<< /Type /Catalog /Pages 2 0 R >>"),
    enc("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    enc(`<< ${PAGE_KEYS} >>`),
    Buffer.concat([enc(`<< /Length ${content.length} >>\nstream\n`), enc(content), enc("\nendstream")]),
    enc("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
    Buffer.concat([
      enc(`<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${image.length} >>\nstream\n`),
      image,
      enc("\nendstream")
    ])
  ]
  const parts: Array<Buffer> = [enc("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")]
  let offset = parts[0]!.length
  const offsets: Array<number> = []
  objects.forEach((body, k) => {
    offsets.push(offset)
    const obj = Buffer.concat([enc(`${k + 1} 0 obj\n`), body, enc("\nendobj\n")])
    parts.push(obj)
    offset += obj.length
  })
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map(xrefEntry).join("")}`
  parts.push(enc(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /ID [<${"ab".repeat(16)}> <${"ab".repeat(16)}>] >>\nstartxref\n${offset}\n%%EOF\n`))
  return Buffer.concat(parts)
}

const pseudoRandom = (n: number): Buffer => {
  const out = Buffer.alloc(n)
  let block = Crypto.createHash("sha256").update("kho").digest()
  for (let k = 0; k < n; k += 32) {
    block.copy(out, k)
    block = Crypto.createHash("sha256").update(block).digest()
  }
  return out
}

interface Layout {
  readonly size: number
  readonly prev: number
  readonly fields: ReadonlyArray<number>
}

const layout = (pdf: Buffer): Layout => {
  const text = pdf.toString("latin1")
  const starts = [...text.matchAll(/startxref\s+(\d+)/g)]
  const sizes = [...text.matchAll(/\/Size (\d+)/g)]
  const fields = [...text.matchAll(/(?<![0-9])(\d+) 0 obj\n<< \/Type \/Annot \/Subtype \/Widget \/FT \/Sig/g)].map((m) => Number(m[1]))
  return { prev: Number(starts.at(-1)?.[1] ?? 0), size: Number(sizes.at(-1)?.[1] ?? 0), fields: [...new Set(fields)] }
}

/** Appends an incremental update made of `objects` (number → body) and returns the new file. */
const appendUpdate = (pdf: Uint8Array, objects: ReadonlyArray<readonly [number, Buffer]>, extraTrailer = ""): Buffer => {
  const base = Buffer.from(pdf)
  const { prev, size } = layout(base)
  const parts: Array<Buffer> = [base]
  let offset = base.length
  const offsets = new Map<number, number>()
  for (const [num, body] of objects) {
    offsets.set(num, offset)
    const obj = Buffer.concat([enc(`${num} 0 obj\n`), body, enc("\nendobj\n")])
    parts.push(obj)
    offset += obj.length
  }
  const nums = [...offsets.keys()].sort((a, b) => a - b)
  let xref = "xref\n0 1\n0000000000 65535 f \n"
  for (const num of nums) xref += `${num} 1\n${xrefEntry(offsets.get(num)!)}`
  const newSize = Math.max(size, ...nums.map((n) => n + 1))
  parts.push(enc(`${xref}trailer\n<< /Size ${newSize} /Root 1 0 R /Prev ${prev}${extraTrailer} >>\nstartxref\n${offset}\n%%EOF\n`))
  return Buffer.concat(parts)
}

/**
 * Options of {@link sign}.
 *
 * @since 0.1.0
 */
export interface SignOptions {
  readonly signer: Issued
  /** Certificates embedded in the CMS; default the signer only (what real VGCA files carry). */
  readonly certificates?: ReadonlyArray<Issued>
  readonly fieldName?: string
  readonly digest?: DigestName
  /** Default: PKCS#1 v1.5 for RSA keys, ECDSA for EC keys. */
  readonly scheme?: Scheme
  readonly subFilter?: "adbe.pkcs7.detached" | "ETSI.CAdES.detached" | "adbe.pkcs7.sha1"
  /** The claimed signingTime; default {@link VALIDATION_TIME} minus one hour. `null` leaves it out. */
  readonly signingTime?: Date | null
  /** Write signingTime 7 h ahead, as VGCA clients that put local time in a UTC field do. */
  readonly localTimeQuirk?: boolean
  /** Sign with another key than the signer certificate's (a forgery). */
  readonly signingKey?: Crypto.KeyObject
  /** A signature timestamp; `imprintDigest` (default sha256) hashes the signature value into the imprint. */
  readonly timestamp?: { readonly tsa: Issued; readonly genTime: Date; readonly corruptImprint?: boolean; readonly imprintDigest?: DigestName }
  readonly noSignedAttributes?: boolean
  readonly sidBySubjectKeyId?: boolean
  /** Embed the signed bytes inside the CMS (not detached). */
  readonly embedContent?: boolean
  readonly extraSignerInfo?: boolean
  /** Add an ESS signing-certificate-v2 attribute naming this certificate (CAdES requires the signer's). */
  readonly essCertificate?: Issued
  /** Bytes reserved for the CMS (default 12 000). */
  readonly reserve?: number
  /** Leave these attributes out of the signed attributes (which are still signed). */
  readonly omitSignedAttributes?: ReadonlyArray<"messageDigest" | "contentType">
  /**
   * Write this signature algorithm in the SignerInfo while signing with the real one: a signature
   * algorithm that disagrees with the digest algorithm, an RSA OID over an EC key, RSA-PSS
   * parameters that are not the ones used.
   */
  readonly declaredSignatureAlgorithm?: { readonly scheme: Scheme; readonly digest: DigestName; readonly pss?: PssParameters }
  /** Also embed a certificate that is not valid X.509 (the signer's, with its signature cut off). */
  readonly malformedCertificate?: boolean
  /** BER indefinite lengths on the CMS's outer layers, as some signing tools write them. */
  readonly berIndefinite?: boolean
  /** An indefinite length on the signed attributes: not DER, so the signature cannot be checked. */
  readonly signedAttributesIndefinite?: boolean
  /**
   * Rewrites the `/ByteRange` after signing: receives the true `[a, b, c, d]` and the file length and
   * returns the numbers to write (at most 36 characters as `[…]`). The CMS still covers the true ranges.
   */
  readonly byteRange?: (actual: readonly [number, number, number, number], fileLength: number) => ReadonlyArray<number>
  /** Put these bytes in `/Contents` instead of a CMS. */
  readonly rawContents?: Uint8Array
}

const pdfDate = (d: Date): string => `D:${d.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`

const PLACEHOLDER = "[0 0000000000 0000000000 0000000000]"

/** Writes a signature-shaped update with a placeholder, then fills it with what `cms` returns. */
const signWith = (
  pdf: Uint8Array,
  dict: (sigNum: number) => string,
  fieldName: string | undefined,
  reserve: number,
  cms: (signedBytes: Buffer) => Buffer,
  rewriteRange?: SignOptions["byteRange"]
): Uint8Array => {
  const base = Buffer.from(pdf)
  const { size, fields } = layout(base)
  const sig = size
  const field = size + 1
  const acro = size + 2
  const allFields = [...fields, field]
  const name = fieldName ?? `Signature${allFields.length}`
  const refs = allFields.map((n) => `${n} 0 R`).join(" ")
  const update = appendUpdate(base, [
    [sig, enc(`<< ${dict(sig)} /ByteRange ${PLACEHOLDER} /Contents <${"0".repeat(reserve * 2)}> >>`)],
    [field, enc(`<< /Type /Annot /Subtype /Widget /FT /Sig /T (${name}) /V ${sig} 0 R /Rect [0 0 0 0] /F 132 /P 3 0 R >>`)],
    [3, enc(`<< ${PAGE_KEYS} /Annots [${refs}] >>`)],
    [1, enc(`<< /Type /Catalog /Pages 2 0 R /AcroForm ${acro} 0 R >>`)],
    [acro, enc(`<< /Fields [${refs}] /SigFlags 3 >>`)]
  ])
  const placeholderAt = update.indexOf(PLACEHOLDER, base.length, "latin1")
  const lt = update.indexOf("/Contents <", placeholderAt, "latin1") + 10
  const gt = lt + reserve * 2 + 1
  const range = [0, lt, gt + 1, update.length - (gt + 1)] as const
  const written = `[${(rewriteRange ? rewriteRange(range, update.length) : range).join(" ")}]`
  if (written.length > PLACEHOLDER.length) throw new Error(`the ByteRange ${written} does not fit in ${PLACEHOLDER.length} characters`)
  enc(written.padEnd(PLACEHOLDER.length, " ")).copy(update, placeholderAt)
  const signed = Buffer.concat([update.subarray(0, lt), update.subarray(gt + 1)])
  const der = cms(signed)
  if (der.length > reserve) throw new Error(`the CMS needs ${der.length} bytes, more than the ${reserve} reserved`)
  enc(der.toString("hex")).copy(update, lt + 1)
  return update
}

/**
 * Signs `pdf` in an incremental update (a new signature field on page 1).
 *
 * @since 0.1.0
 */
export const sign = (pdf: Uint8Array, options: SignOptions): Uint8Array => {
  const claimed = options.signingTime === null ? undefined : options.signingTime ?? new Date(VALIDATION_TIME.getTime() - 3_600_000)
  const signingTime = claimed && options.localTimeQuirk ? new Date(claimed.getTime() + 7 * 3_600_000) : claimed
  return signWith(
    pdf,
    () => `/Type /Sig /Filter /Adobe.PPKLite /SubFilter /${options.subFilter ?? "adbe.pkcs7.detached"} /M (${pdfDate(claimed ?? VALIDATION_TIME)})`,
    options.fieldName,
    options.reserve ?? 12_000,
    (signed) =>
      options.rawContents ? Buffer.from(options.rawContents) : Cms.signDetached(signed, {
        signer: options.signer,
        ...(options.certificates ? { certificates: options.certificates } : {}),
        ...(options.digest ? { digest: options.digest } : {}),
        ...(options.scheme ? { scheme: options.scheme } : {}),
        signingTime,
        ...(options.noSignedAttributes ? { noSignedAttributes: true } : {}),
        ...(options.sidBySubjectKeyId ? { sidBySubjectKeyId: true } : {}),
        ...(options.signingKey ? { signingKey: options.signingKey } : {}),
        ...(options.embedContent ? { embeddedContent: signed } : {}),
        ...(options.extraSignerInfo ? { extraSignerInfo: true } : {}),
        ...(options.timestamp ? { timestamp: options.timestamp } : {}),
        ...(options.essCertificate ? { essCertificate: options.essCertificate } : {}),
        ...(options.omitSignedAttributes ? { omitSignedAttributes: options.omitSignedAttributes } : {}),
        ...(options.declaredSignatureAlgorithm ? { declaredSignatureAlgorithm: options.declaredSignatureAlgorithm } : {}),
        ...(options.malformedCertificate ? { malformedCertificate: true } : {}),
        ...(options.berIndefinite ? { berIndefinite: true } : {}),
        ...(options.signedAttributesIndefinite ? { signedAttributesIndefinite: true } : {})
      }),
    options.byteRange
  )
}

/**
 * Adds a document timestamp (`/ETSI.RFC3161`) in an incremental update.
 *
 * @since 0.1.0
 */
export const documentTimestamp = (pdf: Uint8Array, options: { readonly tsa: Issued; readonly genTime: Date; readonly imprintDigest?: DigestName }): Uint8Array =>
  signWith(pdf, () => "/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161", "DocTimeStamp", 8_000, (signed) =>
    Cms.timestampToken(options.tsa, options.genTime, signed, false, options.imprintDigest))

/**
 * Kinds of incremental update {@link update} can append after signing.
 *
 * @since 0.1.0
 */
export type UpdateKind =
  /** A new page (the page tree changes): not allowed. */
  | "add-page"
  /** The page's content stream is redefined: not allowed. */
  | "change-content"
  /** A visible FreeText annotation: not allowed. */
  | "add-annotation"
  /** The Info dictionary (Producer, ModDate): allowed. */
  | "metadata"
  /** A DSS dictionary with a certificate: allowed. */
  | "dss"

/**
 * Appends an incremental update of the given kind.
 *
 * @since 0.1.0
 */
export const update = (pdf: Uint8Array, kind: UpdateKind): Uint8Array => {
  const base = Buffer.from(pdf)
  const { size, fields } = layout(base)
  const annots = fields.map((n) => `${n} 0 R`)
  switch (kind) {
    case "add-page":
      return appendUpdate(base, [
        [2, enc("<< /Type /Pages /Kids [3 0 R " + `${size} 0 R] /Count 2 >>`)],
        [size, enc("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>")]
      ])
    case "change-content": {
      const content = "BT /F1 12 Tf 72 760 Td (Cong van da bi sua) Tj ET\n"
      return appendUpdate(base, [[4, enc(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`)]])
    }
    case "add-annotation":
      return appendUpdate(base, [
        [size, enc("<< /Type /Annot /Subtype /FreeText /Rect [72 700 400 740] /Contents (Da duyet) /DA (/Helv 12 Tf 0 g) >>")],
        [3, enc(`<< ${PAGE_KEYS} /Annots [${[...annots, `${size} 0 R`].join(" ")}] >>`)]
      ])
    case "metadata":
      return appendUpdate(base, [[size, enc(`<< /Producer (Kho test kit) /ModDate (${pdfDate(VALIDATION_TIME)}) >>`)]], ` /Info ${size} 0 R`)
    case "dss": {
      const certs = Buffer.from("3003020101", "hex")
      const acro = layout(base).size - 1
      return appendUpdate(base, [
        [size, Buffer.concat([enc(`<< /Length ${certs.length} >>\nstream\n`), certs, enc("\nendstream")])],
        [size + 1, enc(`<< /Type /DSS /Certs [${size} 0 R] >>`)],
        [1, enc(`<< /Type /Catalog /Pages 2 0 R${fields.length > 0 ? ` /AcroForm ${acro} 0 R` : ""} /DSS ${size + 1} 0 R >>`)]
      ])
    }
  }
}

/**
 * Flips one byte of the page text (inside every signed range): the message digest must fail.
 *
 * @since 0.1.0
 */
export const tamper = (pdf: Uint8Array, needle = "235/QD-UBND"): Uint8Array => {
  const out = Buffer.from(pdf)
  const at = out.indexOf(needle, 0, "latin1")
  if (at < 0) throw new Error(`"${needle}" is not in the PDF`)
  out[at] = out[at] === 0x32 ? 0x33 : 0x32
  return out
}

/**
 * Appends raw bytes after the last `%%EOF` (not a PDF update).
 *
 * @since 0.1.0
 */
export const appendBytes = (pdf: Uint8Array, bytes: string | Uint8Array = "<!-- appended -->\n"): Uint8Array =>
  Buffer.concat([Buffer.from(pdf), typeof bytes === "string" ? enc(bytes) : Buffer.from(bytes)])

/**
 * Appends `count` revisions, each holding a copy of the last signature dictionary whose `/ByteRange`
 * is well formed for its own revision (from byte 0 to its own `%%EOF`, the gap exactly its
 * `/Contents`) while the CMS is reused, so no digest matches. The shape of a file built to make a
 * verifier hash the whole body once per dictionary: n dictionaries over a body of s bytes ask for
 * about n·s bytes of hashing.
 *
 * @since 0.1.0
 */
export const repeatSignature = (pdf: Uint8Array, count: number): Uint8Array => {
  const base = Buffer.from(pdf)
  const text = base.toString("latin1")
  const contents = [...text.matchAll(/\/Contents <([0-9a-fA-F]+)>/g)].at(-1)
  if (!contents) throw new Error("the PDF has no signature to repeat")
  const der = Buffer.from(contents[1]!, "hex")
  const lengthBytes = der[1]! & 0x80 ? der[1]! & 0x7f : 0
  const cms = der.subarray(0, 2 + lengthBytes + (lengthBytes ? der.readUIntBE(2, lengthBytes) : der[1]!)).toString("hex")
  const { size } = layout(base)
  const parts: Array<Buffer> = [base]
  let length = base.length
  for (let k = 0; k < count; k++) {
    const head = `${size + k} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange ${PLACEHOLDER} /Contents <`
    const tail = `> >>\nendobj\n%%EOF\n`
    const lt = length + head.length - 1
    const c = lt + cms.length + 2
    const end = c + tail.length - 1
    const range = `[0 ${lt} ${c} ${end - c}]`.padEnd(PLACEHOLDER.length, " ")
    const obj = enc(head.replace(PLACEHOLDER, range) + cms + tail)
    parts.push(obj)
    length += obj.length
  }
  return Buffer.concat(parts)
}

/**
 * Appends one incremental update with `count` object streams, each inflating to `inflatedBytes`
 * (an Info-like dictionary padded with spaces: allowed metadata, if it were cheap to read). The
 * shape of a file built to make a verifier inflate far more than the file holds.
 *
 * @since 0.1.0
 */
export const objectStreams = (pdf: Uint8Array, options: { readonly count: number; readonly inflatedBytes: number }): Uint8Array => {
  const base = Buffer.from(pdf)
  const { size } = layout(base)
  const packed = `${size + options.count} 0 `
  const body = `<< /Producer (Kho test kit) >>`
  const data = Buffer.alloc(Math.max(options.inflatedBytes, packed.length + body.length), 0x20)
  enc(packed + body).copy(data)
  const deflated = Zlib.deflateSync(data)
  const stream = Buffer.concat([
    enc(`<< /Type /ObjStm /N 1 /First ${packed.length} /Filter /FlateDecode /Length ${deflated.length} >>\nstream\n`),
    deflated,
    enc("\nendstream")
  ])
  return appendUpdate(base, Array.from({ length: options.count }, (_, k) => [size + k, stream] as const))
}
