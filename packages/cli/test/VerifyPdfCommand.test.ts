import { afterAll, assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import { SignatureReport } from "@kho/core/SignatureReport"
import { Schema } from "effect"
import * as ExitCode from "../src/ExitCode.ts"
import * as VerifyPdfCommand from "../src/VerifyPdfCommand.ts"
import * as PdfSignatureVerifier from "@kho/signature/PdfSignatureVerifier"
import * as TrustConfig from "@kho/signature/TrustConfig"

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const pki = TestPki.vgca()
const dir = mkdtempSync(join(tmpdir(), "kho-cli-"))
const file = (name: string, data: string | Uint8Array) => {
  const path = join(dir, name)
  writeFileSync(path, data)
  return path
}
const anchors = file("anchors.pem", pki.root.pem)
const intermediates = file("intermediates.pem", pki.intermediate.pem)
const signed = SignedPdf.sign(SignedPdf.unsigned(), { signer: pki.signer })
const valid = file("valid.pdf", signed)
const at = "2024-03-20T10:00:00+07:00"

const kho = (...args: Array<string>) => {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

describe("kho verify-pdf", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("exits 0 and prints the table for a valid VGCA-shaped signature", () => {
    const r = kho("verify-pdf", valid, "--trust", anchors, "--intermediates", intermediates, "--at", at)
    assert.strictEqual(r.code, ExitCode.OK, r.stderr)
    assert.match(r.stdout, /Result: +TOTAL_PASSED/)
    assert.match(r.stdout, /Văn phòng HĐND và UBND huyện An Lão/)
    assert.match(r.stdout, /✓ +message-digest/)
  })

  it("prints the report as JSON with --json; exits 1 for a tampered file", () => {
    const r = kho("verify-pdf", file("tampered.pdf", SignedPdf.tamper(signed)), "--trust", anchors, "--intermediates", intermediates, "--at", at, "--json")
    assert.strictEqual(r.code, ExitCode.FAILED)
    const report = Schema.decodeUnknownSync(SignatureReport)(JSON.parse(r.stdout))
    assert.strictEqual(report.subIndication, "HASH_FAILURE")
    assert.strictEqual(report.validationTime, "2024-03-20T03:00:00.000Z")
  })

  it("exits 2 when the signer does not chain to the given anchors", () => {
    const r = kho("verify-pdf", valid, "--trust", file("other.pem", pki.untrusted.root.pem), "--at", at)
    assert.strictEqual(r.code, ExitCode.INDETERMINATE)
    assert.match(r.stdout, /NO_CERTIFICATE_CHAIN_FOUND/)
  })

  it("exits 64 on a usage error and 66 on an unreadable file", () => {
    assert.strictEqual(kho("verify-pdf", valid, "--trust", anchors, "--at", "yesterday").code, ExitCode.USAGE)
    assert.strictEqual(kho("verify-pdf", valid).code, ExitCode.USAGE)
    const missing = kho("verify-pdf", join(dir, "missing.pdf"), "--trust", anchors)
    assert.strictEqual(missing.code, ExitCode.NO_INPUT)
    assert.match(missing.stderr, /cannot read the PDF/)
    const notPdf = kho("verify-pdf", file("note.txt", "not a pdf"), "--trust", anchors)
    assert.strictEqual(notPdf.code, ExitCode.NO_INPUT)
    assert.match(notPdf.stderr, /NotPdf/)
    assert.strictEqual(kho("verify-pdf", valid, "--trust", file("empty.pem", "")).code, ExitCode.NO_INPUT)
  })

  it("formats every signature and check, and maps indications to exit codes", () => {
    const twice = SignedPdf.sign(signed, { signer: pki.ecdsaSigner, fieldName: "Sig2" })
    const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
    const report = PdfSignatureVerifier.verifyPdf(twice, trust, { validationTime: TestPki.VALIDATION_TIME })
    const text = VerifyPdfCommand.formatReport("hai-chu-ky.pdf", report)
    assert.match(text, /1 +Signature1 +signature +TOTAL_PASSED/)
    assert.match(text, /2 +Sig2 +signature +TOTAL_PASSED/)
    assert.match(text, /partial \[0 /)
    assert.strictEqual(text.match(/✓ +revisions/g)?.length, 2)
    assert.strictEqual(VerifyPdfCommand.exitCodeOf(report), ExitCode.OK)
    assert.strictEqual(VerifyPdfCommand.exitCodeOf({ ...report, indication: "INDETERMINATE" }), ExitCode.INDETERMINATE)
    assert.strictEqual(VerifyPdfCommand.exitCodeOf({ ...report, indication: "TOTAL_FAILED" }), ExitCode.FAILED)
  })
})
