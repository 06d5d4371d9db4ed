/**
 * Days off and make-up working days for Vietnamese state agencies (cán bộ, công chức, viên chức),
 * 2024–2026, in the encoded form `WorkingCalendar.vietnam` decodes.
 *
 * Sources and status — read before relying on a year:
 * - Statutory holidays: Labour Code 2019, art. 112 (New Year 1 day; Tết 5 days; Hùng Kings' day 10/3
 *   lunar; 30/4; 1/5; National Day 2/9 plus one adjacent day). A holiday on a weekend gives a
 *   compensatory day off on the next working day.
 * - 2024 and 2025: the schedules as announced for civil servants (Tết 2024 off 08–14/02; 29/04/2024
 *   swapped with Saturday 04/05/2024; National Day 2024 on 02–03/09; Tết 2025 off 27–31/01; 02/05/2025
 *   swapped with Saturday 26/04/2025; National Day 2025 on 01–02/09), as known to the author; not
 *   re-checked against the notices here.
 * - 2026: STATUTORY ONLY, placed by the usual pattern (Tết 16–20/02 around the lunar new year of
 *   17/02; Hùng Kings' day 26/04 is a Sunday, so Monday 27/04 is compensatory; the National Day's
 *   adjacent day assumed to be 01/09). Any swap the government announces for 2026 is missing:
 *   check the Ministry of Home Affairs' notice and correct this list.
 *
 * @since 0.1.0
 */

const statutory = (date: string, name: string) => ({ date, name, kind: "statutory" })
const compensatory = (date: string, name: string) => ({ date, name, kind: "compensatory" })
const swapped = (date: string, name: string) => ({ date, name, kind: "swapped" })

/**
 * The calendar in encoded form.
 *
 * @since 0.1.0
 */
export const vietnamHolidays2024To2026: unknown = {
  name: "Việt Nam — cơ quan hành chính nhà nước",
  coverage: { from: "2024-01-01", to: "2026-12-31" },
  weekend: [0, 6],
  holidays: [
    // 2024 — as announced
    statutory("2024-01-01", "Tết Dương lịch"),
    compensatory("2024-02-08", "Tết Nguyên đán Giáp Thìn (nghỉ bù)"),
    statutory("2024-02-09", "Tết Nguyên đán Giáp Thìn"),
    statutory("2024-02-12", "Tết Nguyên đán Giáp Thìn"),
    statutory("2024-02-13", "Tết Nguyên đán Giáp Thìn"),
    compensatory("2024-02-14", "Tết Nguyên đán Giáp Thìn (nghỉ bù)"),
    statutory("2024-04-18", "Giỗ Tổ Hùng Vương"),
    swapped("2024-04-29", "Hoán đổi, làm bù thứ Bảy 04/05/2024"),
    statutory("2024-04-30", "Ngày Chiến thắng"),
    statutory("2024-05-01", "Ngày Quốc tế Lao động"),
    statutory("2024-09-02", "Quốc khánh"),
    statutory("2024-09-03", "Quốc khánh"),
    // 2025 — as announced
    statutory("2025-01-01", "Tết Dương lịch"),
    statutory("2025-01-27", "Tết Nguyên đán Ất Tỵ"),
    statutory("2025-01-28", "Tết Nguyên đán Ất Tỵ"),
    statutory("2025-01-29", "Tết Nguyên đán Ất Tỵ"),
    statutory("2025-01-30", "Tết Nguyên đán Ất Tỵ"),
    statutory("2025-01-31", "Tết Nguyên đán Ất Tỵ"),
    statutory("2025-04-07", "Giỗ Tổ Hùng Vương"),
    statutory("2025-04-30", "Ngày Chiến thắng"),
    statutory("2025-05-01", "Ngày Quốc tế Lao động"),
    swapped("2025-05-02", "Hoán đổi, làm bù thứ Bảy 26/04/2025"),
    statutory("2025-09-01", "Quốc khánh"),
    statutory("2025-09-02", "Quốc khánh"),
    // 2026 — statutory only (see above)
    statutory("2026-01-01", "Tết Dương lịch"),
    statutory("2026-02-16", "Tết Nguyên đán Bính Ngọ"),
    statutory("2026-02-17", "Tết Nguyên đán Bính Ngọ"),
    statutory("2026-02-18", "Tết Nguyên đán Bính Ngọ"),
    statutory("2026-02-19", "Tết Nguyên đán Bính Ngọ"),
    statutory("2026-02-20", "Tết Nguyên đán Bính Ngọ"),
    compensatory("2026-04-27", "Giỗ Tổ Hùng Vương (26/04 là Chủ nhật, nghỉ bù)"),
    statutory("2026-04-30", "Ngày Chiến thắng"),
    statutory("2026-05-01", "Ngày Quốc tế Lao động"),
    statutory("2026-09-01", "Quốc khánh (ngày liền kề, giả định)"),
    statutory("2026-09-02", "Quốc khánh")
  ],
  workingWeekendDays: [
    { date: "2024-05-04", name: "Làm bù cho thứ Hai 29/04/2024" },
    { date: "2025-04-26", name: "Làm bù cho thứ Sáu 02/05/2025" }
  ]
}
