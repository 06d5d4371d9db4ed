/**
 * The rules of complaints about an electronic result (phản ánh về kết quả giải quyết) that are data,
 * not code: how many working days the issuing agency has to reject a complaint and to handle it, and
 * the Vietnamese labels of the three reasons the seed's dialog offers.
 *
 * The reasons themselves are a closed set ({@link Reason}): they are written into events, so adding
 * one is a schema change; their labels and the deadlines are not, and a deployment may change them.
 * A complaint records the deadlines in force when it was filed (`ComplaintFiled`), so changing the
 * policy never changes an old complaint's due dates.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Why the owner complains — the three choices of the seed's dialog "Phản ánh về kết quả giải quyết":
 * - `WrongCitizenInformation`: the file carries wrong information about the citizen;
 * - `NotThisCitizensResult`: the file is not the result of this citizen's procedure;
 * - `NotSignedByGovernmentCa`: the file is not signed with a certificate issued by the Government
 *   Cipher Committee (Ban Cơ yếu Chính phủ).
 *
 * @since 0.1.0
 */
export const Reason = Schema.Literals(["WrongCitizenInformation", "NotThisCitizensResult", "NotSignedByGovernmentCa"])

/**
 * @since 0.1.0
 */
export type Reason = typeof Reason.Type

/**
 * Every reason, in the order the dialog lists them.
 *
 * @since 0.1.0
 */
export const reasons: ReadonlyArray<Reason> = Reason.literals

const WorkingDays = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 365 }))

/**
 * A reason's labels: `vi` as the seed's dialog prints it, `en` for logs and English screens.
 *
 * @since 0.1.0
 */
export const ReasonLabel = Schema.Struct({
  reason: Reason,
  vi: Schema.NonEmptyString,
  en: Schema.NonEmptyString
})

/**
 * @since 0.1.0
 */
export type ReasonLabel = typeof ReasonLabel.Type

/**
 * The policy: deadlines in working days counted from the day of filing (Vietnam time; the day of
 * filing itself is not counted, see `WorkingCalendar.addWorkingDays`), and one label per reason.
 *
 * - `rejectWithinWorkingDays`: a rejection is on time when it is made by the `n`-th working day;
 * - `handleWithinWorkingDays`: a correction (a replacement issued into the owner's store) is on time
 *   when it is made by the `n`-th working day.
 *
 * @since 0.1.0
 */
export const ComplaintPolicy = Schema.Struct({
  name: Schema.NonEmptyString,
  rejectWithinWorkingDays: WorkingDays,
  handleWithinWorkingDays: WorkingDays,
  reasons: Schema.Array(ReasonLabel)
}).check(
  Schema.makeFilter((p: { readonly reasons: ReadonlyArray<{ readonly reason: string }> }) => {
    const out: Array<string> = []
    for (const reason of reasons) {
      const n = p.reasons.filter((l) => l.reason === reason).length
      if (n !== 1) out.push(`reason ${reason} must have exactly one label; it has ${n}`)
    }
    return out
  })
)

/**
 * @since 0.1.0
 */
export type ComplaintPolicy = typeof ComplaintPolicy.Type

/**
 * The standard policy: reject within 2 working days, handle within 15; the labels are the seed's
 * wording (Appendix II, "Phản ánh về kết quả giải quyết").
 *
 * @since 0.1.0
 */
export const standard: ComplaintPolicy = Schema.decodeUnknownSync(ComplaintPolicy)({
  name: "Phản ánh về kết quả giải quyết TTHC điện tử",
  rejectWithinWorkingDays: 2,
  handleWithinWorkingDays: 15,
  reasons: [
    {
      reason: "WrongCitizenInformation",
      vi: "Tệp tin kết quả điện tử bị sai lệch thông tin công dân.",
      en: "The electronic result carries wrong information about the citizen."
    },
    {
      reason: "NotThisCitizensResult",
      vi: "Tệp tin kết quả điện tử của công dân không phải là kết quả công dân được giải quyết.",
      en: "The electronic result is not the result of this citizen's procedure."
    },
    {
      reason: "NotSignedByGovernmentCa",
      vi: "Tệp tin kết quả của công dân chưa được ký bằng chứng thư số được cấp bởi Ban cơ yếu chính phủ.",
      en: "The electronic result is not signed with a certificate issued by the Government Cipher Committee."
    }
  ]
})

/**
 * The labels of a reason under a policy (the standard one by default). The policy's check guarantees
 * every reason has one, so this never returns undefined for a decoded policy.
 *
 * @since 0.1.0
 */
export const label = (reason: Reason, policy: ComplaintPolicy = standard): ReasonLabel =>
  policy.reasons.find((l) => l.reason === reason) ?? { reason, vi: reason, en: reason }
