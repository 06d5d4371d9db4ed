/**
 * The pieces a scenario generator needs to drive the real flows deterministically — a clock the
 * generator sets, a seeded PRNG, Vietnam-time helpers, placeholder PDFs and a verifier that accepts
 * them, the actors, and the An Lão procedures' cases and results. `AnLao2024` is built from them;
 * so can be a scenario of your own that continues its log (the An Lão example's what-if does).
 *
 * Signatures are not what a scenario is about: the PDFs are placeholders that only a permissive
 * verifier ({@link passed}) accepts (the real verifier is exercised by `@kho/signature`).
 *
 * @since 0.1.0
 */
import type { Actor } from "@kho/core/Actor"
import * as Dossier from "@kho/core/Dossier"
import type * as DossierService from "@kho/core/DossierService"
import * as FileStore from "@kho/core/FileStore"
import type { SignatureReport } from "@kho/core/SignatureReport"
import { Clock, Effect } from "effect"

/**
 * One minute in milliseconds.
 *
 * @since 0.1.0
 */
export const MINUTE = 60_000

/**
 * One day in milliseconds.
 *
 * @since 0.1.0
 */
export const DAY = 86_400_000

const VN_OFFSET = 7 * 3_600_000

/**
 * Milliseconds of `day` (`YYYY-MM-DD`) at `minutes` past midnight in Vietnam (UTC+7).
 *
 * @since 0.1.0
 */
export const vn = (day: string, minutes: number): number => Date.parse(`${day}T00:00:00.000Z`) - VN_OFFSET + minutes * MINUTE

/**
 * An ISO instant.
 *
 * @since 0.1.0
 */
export const iso = (millis: number): string => new Date(millis).toISOString()

/**
 * The Vietnamese calendar day (`YYYY-MM-DD`) of an instant: what the KPI counts a dossier on.
 *
 * @since 0.1.0
 */
export const vnDay = (millis: number): string => Dossier.vietnamDay(iso(millis))

/**
 * A seeded PRNG (mulberry32): small, fast, good enough for test data, and the same on every
 * platform — the same seed gives the same log.
 *
 * @since 0.1.0
 */
export interface Prng {
  /** A number in [0, 1). */
  readonly next: () => number
  /** An integer in [min, max], both included. */
  readonly int: (min: number, max: number) => number
  /** One of `items` (which must not be empty). */
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  /** Shuffles `items` in place and returns it. */
  readonly shuffle: <A>(items: Array<A>) => Array<A>
}

/**
 * A {@link Prng} seeded with `seed`.
 *
 * @since 0.1.0
 */
export const prng = (seed: number): Prng => {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[items[i], items[j]] = [items[j]!, items[i]!]
      }
      return items
    }
  }
}

/**
 * A clock the generator sets (`set`) before each step, and the instant it shows (`iso`).
 *
 * @since 0.1.0
 */
export interface ScenarioClock {
  /** Provide it as `Clock.Clock`: `sleep` returns at once (nothing in a scenario waits; a retry backoff is skipped). */
  readonly clock: Clock.Clock
  readonly set: (millis: number) => void
  readonly iso: () => string
}

/**
 * A new {@link ScenarioClock} at the epoch: every command happens, and every event is recorded, at
 * the scenario time set before it — so "as of 15 February" means something in the log.
 *
 * @since 0.1.0
 */
export const scenarioClock = (): ScenarioClock => {
  let now = 0
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => now,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanosUnsafe: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => BigInt(now) * 1_000_000n,
    monotonicTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: () => Effect.void
  }
  return {
    clock,
    set: (millis) => {
      now = millis
    },
    iso: () => iso(now)
  }
}

const encoder = new TextEncoder()

/**
 * A placeholder PDF, distinct per label: the file store is content-addressed, so two documents
 * with the same label would share their bytes.
 *
 * @since 0.1.0
 */
export const pdf = (label: string): Uint8Array => encoder.encode(`%PDF-1.7\n% Kho, An Lão 2024: ${label}\n%%EOF\n`)

/**
 * A draft of a marriage registration (procedure 1.000894, no verification) filed online in the
 * commune of An Hòa (An Lão) by Nguyễn Văn An for `ownerId`, decided by `agencyCode`.
 *
 * @since 0.1.0
 */
export const marriageRegistrationDraft = (
  input: { readonly dossierId: string; readonly ownerId: string; readonly agencyCode: string }
): DossierService.DraftInput => ({
  dossierId: input.dossierId,
  procedureCode: "1.000894",
  caseId: "khong-xac-minh",
  agencyCode: input.agencyCode,
  district: "binh-dinh.an-lao",
  commune: "binh-dinh.an-lao.an-hoa",
  channel: "online",
  submitter: { personalId: input.ownerId, name: "Nguyễn Văn An" },
  ownerId: input.ownerId
})

/**
 * The verdict of the permissive test verifier on `bytes`: every file passes. Use it as
 * `SignatureVerifier.layerTest((bytes) => passed(bytes, clock.iso()))`.
 *
 * @since 0.1.0
 */
export const passed = (bytes: Uint8Array, validationTime: string): SignatureReport => ({
  indication: "TOTAL_PASSED",
  subIndication: null,
  reason: "scenario: every file is accepted (signatures are tested in @kho/signature)",
  validationTime,
  documentSha256: FileStore.sha256(bytes),
  signatures: []
})

/**
 * A citizen acting on their own store and dossiers.
 *
 * @since 0.1.0
 */
export const citizen = (personalId: string): Actor => ({ _tag: "Citizen", personalId })

/**
 * The officer of a unit (`cb.<last segment of the unit code>`), who receives dossiers and issues results.
 *
 * @since 0.1.0
 */
export const officerOf = (unitCode: string, agencyCode: string): Actor => ({
  _tag: "Officer",
  officerId: `cb.${unitCode.split(".").at(-1)}`,
  agencyCode,
  roles: ["receiver", "issuer"]
})

/**
 * The case (`caseId` of a draft) the scenarios use for each An Lão procedure.
 *
 * @since 0.1.0
 */
export const caseOf: Readonly<Record<string, string>> = {
  "1.001193": "dung-han",
  "1.004873": "thong-thuong",
  "2.000815": "trong-ngay",
  "9.900003": "thong-thuong",
  "9.900004": "chuyen-nhuong"
}

/**
 * The document a procedure's result issues into the owner's store.
 *
 * @since 0.1.0
 */
export interface IssuedResult {
  readonly kind: "Result" | "CertifiedCopy"
  readonly type: "ProcedureResult" | "CertifiedCopy"
  readonly category: string
  readonly name: string
  readonly resultType: string | null
}

/**
 * The {@link IssuedResult} of each An Lão procedure (9.900003, a registration, issues none).
 *
 * @since 0.1.0
 */
export const resultOf: Readonly<Record<string, IssuedResult>> = {
  "1.001193": { kind: "Result", type: "ProcedureResult", category: "giay-khai-sinh", name: "Giấy khai sinh", resultType: null },
  "1.004873": {
    kind: "Result",
    type: "ProcedureResult",
    category: "xac-nhan-tinh-trang-hon-nhan",
    name: "Giấy xác nhận tình trạng hôn nhân",
    resultType: null
  },
  "2.000815": {
    kind: "CertifiedCopy",
    type: "CertifiedCopy",
    category: "ban-sao-chung-thuc",
    name: "Bản sao được chứng thực từ bản chính",
    resultType: "KQ.G15.000021"
  },
  "9.900004": {
    kind: "Result",
    type: "ProcedureResult",
    category: "giay-chung-nhan-quyen-su-dung-dat",
    name: "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
    resultType: null
  }
}

/**
 * The result document an officer issues for `dossierId` of `procedureCode` on `issuedAt` (a
 * `YYYY-MM-DD` day): a placeholder PDF named after the dossier, described by {@link resultOf}.
 *
 * @since 0.1.0
 */
export const resultDocument = (dossierId: string, procedureCode: string, issuedAt: string) => {
  const result = resultOf[procedureCode]
  if (result === undefined) throw new Error(`procedure ${procedureCode} issues no result document in the scenario`)
  const documentId = `${dossierId}.kq`
  return {
    documentId,
    bytes: pdf(documentId),
    fileName: `${documentId}.pdf`,
    mediaType: "application/pdf",
    kind: result.kind,
    type: result.type,
    category: result.category,
    name: result.name,
    resultType: result.resultType,
    issuedAt
  }
}
