/**
 * Bình Định province and An Lão district, with the units of Appendix I of the seed
 * (`shared/seed/cong-van-an-lao-2024.txt`), named and ordered exactly as there (except "Thị trấn",
 * which the seed capitalises as "Thị Trấn" in one place; the standard spelling is used).
 *
 * What is official and what is not:
 * - Names and order: from the seed.
 * - `validFrom` 2024-01-01 is where Kho's data about these units starts (the seed's period), not the
 *   date each unit was created.
 * - `validUntil` 2025-07-01: Resolution 202/2025/QH15 merged Bình Định into Gia Lai province and the
 *   two-tier reform abolished districts (and with them the district offices) on 1 July 2025; the
 *   communes of An Lão were merged at the same date (Resolution 1664/NQ-UBTVQH15). The successor units
 *   (Gia Lai province, the merged communes) are NOT shipped: their exact composition has not been
 *   checked against the resolutions here. Add them as new versions before reporting on periods after
 *   30 June 2025.
 * - Agency codes: INVENTED. They have the dotted shape of decision 20/2020/QĐ-TTg
 *   (`level4.level3.level2.level1`) so that code paths handling them are exercised, but none was taken
 *   from the official register — including `H08` for Bình Định, which is unverified. Replace them with
 *   the register's codes before exchanging data with other systems.
 * - "Chi nhánh VPĐKĐĐ huyện" is a branch of the provincial land-registration office; the seed reports it
 *   at district level, so it is an agency of the district here.
 *
 * @since 0.1.0
 */

const from = "2024-01-01"
const until = "2025-07-01"
const district = "binh-dinh.an-lao"

const agency = (slug: string, agencyCode: string, name: string) => ({
  code: `${district}.${slug}`,
  agencyCode,
  name,
  level: "district",
  kind: "agency",
  parent: district,
  validFrom: from,
  validUntil: until
})

const commune = (slug: string, agencyCode: string, name: string) => ({
  code: `${district}.${slug}`,
  agencyCode,
  name,
  level: "commune",
  kind: "area",
  parent: district,
  validFrom: from,
  validUntil: until
})

/**
 * The unit versions in their encoded (JSON) form; `AdministrativeUnit.binhDinhAnLao` decodes them.
 *
 * @since 0.1.0
 */
export const unitsOfBinhDinhAnLao: ReadonlyArray<unknown> = [
  {
    code: "binh-dinh",
    agencyCode: "000.00.00.H08", // invented shape; H08 unverified
    name: "Tỉnh Bình Định",
    level: "province",
    kind: "area",
    parent: null,
    validFrom: from,
    validUntil: until
  },
  {
    code: district,
    agencyCode: "000.00.30.H08", // invented
    name: "Huyện An Lão",
    level: "district",
    kind: "area",
    parent: "binh-dinh",
    validFrom: from,
    validUntil: until
  },
  // I. Cấp huyện — order of Appendix I
  agency("phong-tu-phap", "000.01.30.H08", "Phòng Tư pháp"), // invented
  agency("phong-noi-vu", "000.02.30.H08", "Phòng Nội vụ"), // invented
  agency("chi-nhanh-vpdkdd", "000.03.30.H08", "Chi nhánh VPĐKĐĐ huyện"), // invented
  agency("phong-tn-mt", "000.04.30.H08", "Phòng TN&MT"), // invented
  agency("phong-gd-dt", "000.05.30.H08", "Phòng GD&ĐT"), // invented
  agency("phong-y-te", "000.06.30.H08", "Phòng Y tế"), // invented
  agency("phong-kt-ht", "000.07.30.H08", "Phòng KT&HT"), // invented
  agency("hat-kiem-lam", "000.08.30.H08", "Hạt Kiểm lâm huyện"), // invented
  agency("phong-tc-kh", "000.09.30.H08", "Phòng TC-KH"), // invented
  // II. Cấp xã — order of Appendix I
  commune("thi-tran-an-lao", "000.21.30.H08", "UBND Thị trấn An Lão"), // invented
  commune("an-dung", "000.22.30.H08", "UBND xã An Dũng"), // invented
  commune("an-hoa", "000.23.30.H08", "UBND xã An Hòa"), // invented
  commune("an-hung", "000.24.30.H08", "UBND xã An Hưng"), // invented
  commune("an-nghia", "000.25.30.H08", "UBND xã An Nghĩa"), // invented
  commune("an-quang", "000.26.30.H08", "UBND xã An Quang"), // invented
  commune("an-tan", "000.27.30.H08", "UBND xã An Tân"), // invented
  commune("an-trung", "000.28.30.H08", "UBND xã An Trung"), // invented
  commune("an-toan", "000.29.30.H08", "UBND xã An Toàn"), // invented
  commune("an-vinh", "000.30.30.H08", "UBND xã An Vinh") // invented
]
