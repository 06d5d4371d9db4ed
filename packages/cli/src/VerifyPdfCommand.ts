/**
 * `kho verify-pdf FILE --trust anchors.pem [--at TIME] [--json]`: verifies every signature of a PDF
 * with `@kho/signature` and exits 0 (TOTAL_PASSED), 1 (TOTAL_FAILED), 2 (INDETERMINATE), 64 (usage)
 * or 66 (unreadable input). Prints a table by default, the report JSON with `--json`.
 *
 * @since 0.1.0
 */
import type { SignatureReport, SignatureVerdict } from "@kho/core/SignatureReport"
import * as PdfSignatureVerifier from "@kho/signature/PdfSignatureVerifier"
import * as TrustConfig from "@kho/signature/TrustConfig"
import { Console, Effect, FileSystem, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as ExitCode from "./ExitCode.ts"

const fail = (code: number, message: string) =>
  Effect.flatMap(Console.error(`kho verify-pdf: ${message}`), () => Effect.fail(new ExitCode.Exit({ code, message })))

const mark = { passed: "✓", failed: "✗", "not-run": "·" } as const

const pad = (rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => [...(r[k] ?? "")].length)))
  return rows.map((r) => r.map((cell, k) => cell + " ".repeat(widths[k]! - [...cell].length)).join("  ").trimEnd())
}

const commonName = (dn: string | undefined): string => /(?:^|, )CN=([^,]+)/.exec(dn ?? "")?.[1] ?? dn ?? "—"

const coverage = (v: SignatureVerdict): string =>
  v.byteRange.length === 4 ? `${v.coversWholeDocument ? "whole file" : "partial"} [${v.byteRange.join(" ")}]` : "—"

/**
 * Renders a report as the human-readable table `verify-pdf` prints.
 *
 * @since 0.1.0
 */
export const formatReport = (file: string, report: SignatureReport): string => {
  const lines = [
    `File:          ${file}`,
    `SHA-256:       ${report.documentSha256}`,
    `Validated at:  ${report.validationTime}`,
    `Result:        ${report.indication}${report.subIndication ? ` / ${report.subIndication}` : ""}`,
    `Reason:        ${report.reason}`
  ]
  if (report.signatures.length > 0) {
    lines.push("", ...pad([
      ["#", "Field", "Kind", "Indication", "Sub-indication", "Signer", "Signing time", "Coverage"],
      ...report.signatures.map((v, k) => [
        String(k + 1),
        v.fieldName,
        v.kind,
        v.indication,
        v.subIndication ?? "—",
        commonName(v.signer?.subject),
        v.signingTime ?? "—",
        coverage(v)
      ])
    ]))
    for (const v of report.signatures) {
      lines.push("", `Checks for ${v.fieldName}:`)
      if (v.signer) lines.push(`  signer ${v.signer.subject}`, `  issuer ${v.signer.issuer}, serial ${v.signer.serialNumber}`)
      for (const c of v.chain.slice(1)) lines.push(`  chain  ${c.subject} (sha256 ${c.sha256})`)
      lines.push(...pad(v.checks.map((c) => [`  ${mark[c.outcome]}`, c.name, c.detail])))
    }
  }
  return lines.join("\n")
}

/**
 * Maps a report to the exit code.
 *
 * @since 0.1.0
 */
export const exitCodeOf = (report: SignatureReport): number =>
  report.indication === "TOTAL_PASSED" ? ExitCode.OK : report.indication === "TOTAL_FAILED" ? ExitCode.FAILED : ExitCode.INDETERMINATE

/**
 * The `verify-pdf` subcommand.
 *
 * @since 0.1.0
 */
export const command = Command.make(
  "verify-pdf",
  {
    file: Argument.String("file").pipe(Argument.withDescription("The signed PDF to verify")),
    trust: Flag.String("trust").pipe(Flag.withDescription("PEM file of trust anchors; each is pinned by its SHA-256 fingerprint")),
    intermediates: Flag.String("intermediates").pipe(
      Flag.withDescription("PEM file of intermediate CA certificates (real VGCA PDFs embed only the signer)"),
      Flag.optional
    ),
    at: Flag.Date("at").pipe(Flag.withDescription("Validate as of this time (ISO-8601); default now"), Flag.optional),
    json: Flag.Boolean("json").pipe(Flag.withDescription("Print the report as JSON"), Flag.withDefault(false))
  },
  Effect.fn("VerifyPdfCommand")(function*({ at, file, intermediates, json, trust }) {
    const fs = yield* FileSystem.FileSystem
    const read = (path: string, what: string) =>
      fs.readFile(path).pipe(Effect.catch((e) => fail(ExitCode.NO_INPUT, `cannot read ${what} ${path}: ${e.message}`)))
    const anchorsPem = new TextDecoder().decode(yield* read(trust, "the trust file"))
    const intermediatePem = Option.isSome(intermediates)
      ? [new TextDecoder().decode(yield* read(intermediates.value, "the intermediates file"))]
      : []
    const config = yield* Effect.try({
      try: () => TrustConfig.fromPemBundle(anchorsPem, { intermediates: intermediatePem }),
      catch: (e) => e
    }).pipe(Effect.catch((e) => fail(ExitCode.NO_INPUT, `the trust file ${trust} is unusable: ${String(e)}`)))
    const pdf = yield* read(file, "the PDF")
    const report = yield* PdfSignatureVerifier.verify(pdf, config, Option.isSome(at) ? { validationTime: at.value } : {}).pipe(
      Effect.catchTag("UnreadablePdf", (e) => fail(ExitCode.NO_INPUT, `${file} cannot be examined (${e.reason}): ${e.message}`))
    )
    yield* Console.log(json ? JSON.stringify(report, null, 2) : formatReport(file, report))
    const code = exitCodeOf(report)
    if (code !== ExitCode.OK) return yield* Effect.fail(new ExitCode.Exit({ code, message: report.reason }))
  })
).pipe(
  Command.withDescription("Verify the signatures of a PDF (ETSI EN 319 102-1 indications)"),
  Command.withExamples([
    { command: "kho verify-pdf hoso.pdf --trust vgca-g2.pem", description: "Verify against the VGCA G2 root" },
    { command: "kho verify-pdf hoso.pdf --trust vgca-g2.pem --at 2024-03-20T10:00:00+07:00 --json", description: "As of a date, as JSON" }
  ])
)
