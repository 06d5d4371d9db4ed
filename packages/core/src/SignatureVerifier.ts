/**
 * The signature-verification port used by the document store. The real implementation is
 * `@kho/signature`; tests use {@link layerTest}, which returns reports, never booleans.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import type { SignatureReport } from "./SignatureReport.ts"

/**
 * The file could not be examined at all (not a PDF, over the size limit, took too long).
 * A PDF that parses but whose signatures fail gets a report, not this error.
 *
 * @since 0.1.0
 */
export class UnreadablePdf extends Schema.TaggedError<UnreadablePdf>()("UnreadablePdf", {
  reason: Schema.Literals(["NotPdf", "TooLarge", "Timeout", "Malformed"]),
  message: Schema.String
}) {}

/**
 * Options of a verification.
 *
 * @since 0.1.0
 */
export interface VerifyOptions {
  /** Check certificates as of this instant instead of now (audits, tests). */
  readonly validationTime?: Date
}

/**
 * The signature verifier service.
 *
 * @since 0.1.0
 */
export class SignatureVerifier extends Context.Service<SignatureVerifier, {
  readonly verify: (pdf: Uint8Array, options?: VerifyOptions) => Effect.Effect<SignatureReport, UnreadablePdf>
}>()("@kho/core/SignatureVerifier") {}

/**
 * A test double: answers every verification with the report `reportFor` returns for the bytes.
 *
 * @since 0.1.0
 */
export const layerTest = (
  reportFor: (pdf: Uint8Array) => SignatureReport | UnreadablePdf
): Layer.Layer<SignatureVerifier> =>
  Layer.succeed(
    SignatureVerifier,
    SignatureVerifier.of({
      verify: (pdf) => {
        const outcome = reportFor(pdf)
        return outcome instanceof UnreadablePdf ? Effect.fail(outcome) : Effect.succeed(outcome)
      }
    })
  )
