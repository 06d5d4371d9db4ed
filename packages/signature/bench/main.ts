/**
 * `node scripts/bench.ts signature`: verifications per second of signed PDFs of 100 KiB, 1 MiB and
 * 10 MiB, beside two references measured in the same run on the same bytes: SHA-256 of the whole
 * file (the floor: any verifier must hash the signed bytes) and poppler's `pdfsig` (process spawn
 * included, as a user would run it). Prints a Markdown section on stdout.
 */
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SignedPdf from "@kho/testing/SignedPdf"
import * as TestPki from "@kho/testing/TestPki"
import * as PdfSignatureVerifier from "../src/PdfSignatureVerifier.ts"
import * as TrustConfig from "../src/TrustConfig.ts"

const pki = TestPki.vgca()
const trust = TrustConfig.make({ anchors: [pki.root.pem], intermediates: [pki.intermediate.pem] })
const options = { validationTime: TestPki.VALIDATION_TIME }

/** Median seconds per call over `rounds` rounds of at least `minMs` each. */
const measure = (fn: () => void, minMs = 400, rounds = 5): number => {
  for (let k = 0; k < 3; k++) fn()
  const samples: Array<number> = []
  for (let r = 0; r < rounds; r++) {
    let n = 0
    const start = performance.now()
    let elapsed = 0
    do {
      fn()
      n++
      elapsed = performance.now() - start
    } while (elapsed < minMs)
    samples.push(elapsed / 1000 / n)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)]!
}

const pdfsigAvailable = spawnSync("pdfsig", ["-v"], { encoding: "utf8" }).error === undefined
const dir = mkdtempSync(join(tmpdir(), "kho-bench-"))
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }).replace(/,/g, " ")

const rows: Array<string> = []
for (const [label, size] of [["100 KiB", 100 * 1024], ["1 MiB", 1024 * 1024], ["10 MiB", 10 * 1024 * 1024]] as const) {
  // The signature update adds about 25 KB (the reserved /Contents); aim the total at `size`.
  const pdf = SignedPdf.sign(SignedPdf.unsigned({ size: size - 25_600 }), { signer: pki.signer })
  const report = PdfSignatureVerifier.verifyPdf(pdf, trust, options)
  if (report.indication !== "TOTAL_PASSED") throw new Error(`bench fixture does not verify: ${report.reason}`)
  const kho = measure(() => PdfSignatureVerifier.verifyPdf(pdf, trust, options))
  const sha = measure(() => createHash("sha256").update(pdf).digest())
  let pdfsigCell = "pdfsig not installed"
  let pdfsigRatio = "—"
  if (pdfsigAvailable) {
    const path = join(dir, `${size}.pdf`)
    writeFileSync(path, pdf)
    const check = spawnSync("pdfsig", ["-nocert", "-no-ocsp", path], { encoding: "utf8" })
    if (!/Signature is Valid/.test(check.stdout)) throw new Error(`pdfsig does not accept the fixture: ${check.stdout}`)
    const t = measure(() => spawnSync("pdfsig", ["-nocert", "-no-ocsp", path]), 1000, 3)
    pdfsigCell = fmt(1 / t, 1)
    pdfsigRatio = `${fmt(t / kho, 1)}×`
  }
  rows.push(`| ${label} (${fmt(pdf.length)} B) | ${fmt(1 / kho, 1)} | ${fmt(1 / sha, 1)} | ${fmt(kho / sha, 2)}× | ${pdfsigCell} | ${pdfsigRatio} |`)
}
rmSync(dir, { recursive: true, force: true })

process.stdout.write([
  "## @kho/signature — PDF signature verification",
  "",
  "One RSA-2048 signature (VGCA-shaped chain, leaf-only CMS, intermediates configured) covering the whole",
  "file. `verify` runs every check (ByteRange, CMS, digest, signature, chain, validity, revisions) and",
  "computes the document's SHA-256 for the report. Median of 5 rounds; verifications per second.",
  "",
  "| file | Kho verify/s | SHA-256 of the file/s | Kho time ÷ SHA-256 time | `pdfsig -nocert -no-ocsp`/s | pdfsig time ÷ Kho time |",
  "|---|---:|---:|---:|---:|---:|",
  ...rows,
  "",
  "Goal: Kho within 2× of the SHA-256 floor from 1 MiB up, and faster than `pdfsig` (which runs as a",
  "process: its figure includes the spawn, as a user would run it).",
  ""
].join("\n"))
