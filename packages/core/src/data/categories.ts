/**
 * The category list (Danh mục giấy tờ) of the seed's store screens (Appendix II part I), with stable
 * codes. Raw data: `Category.load` validates it (and any catalog a deployment supplies) with Schema.
 *
 * Two lines of the seed's list are garbled by OCR; they are restored here from the procedure names of
 * the national procedure database: "Giáy priep triet lab trang hôn bhân" is the marital-status
 * certificate and "… Mệnh lênh vận chín kến vật liệu nổ công nghiên, tiền chất thuốc nổ …" is the
 * order to transport industrial explosives.
 *
 * Validity rules: `NoExpiry` (certified copies, civil-status extracts), `AsIssued` (the document
 * states its own validity), `Months` (valid that many months from issue), `SetByProcedure` (each
 * procedure decides, e.g. criminal-record certificates).
 *
 * @since 0.1.0
 */

/**
 * The built-in catalog entries.
 *
 * @since 0.1.0
 */
export const categories = [
  { code: "ban-sao-chung-thuc", name: "Bản sao được chứng thực từ bản chính", validity: { _tag: "NoExpiry" } },
  {
    code: "chung-chi-hanh-nghe-xay-dung",
    name: "Chứng chỉ hành nghề hoạt động xây dựng",
    validity: { _tag: "AsIssued" }
  },
  {
    code: "cong-van-dai-hoi-hoi",
    name: "Công văn cho phép hội tổ chức đại hội nhiệm kỳ, đại hội bất thường",
    validity: { _tag: "AsIssued" }
  },
  {
    code: "giay-chung-nhan-quyen-su-dung-dat",
    name: "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
    validity: { _tag: "NoExpiry" }
  },
  { code: "giay-khai-sinh", name: "Giấy khai sinh", validity: { _tag: "NoExpiry" } },
  { code: "giay-phep-lai-xe", name: "Giấy phép lái xe cơ giới đường bộ", validity: { _tag: "AsIssued" } },
  {
    code: "giay-phep-su-dung-vat-lieu-no",
    name: "Giấy phép sử dụng vật liệu nổ công nghiệp hoặc văn bản trả lời đối với trường hợp không cấp",
    validity: { _tag: "AsIssued" }
  },
  {
    code: "xac-nhan-tinh-trang-hon-nhan",
    name: "Giấy xác nhận tình trạng hôn nhân",
    validity: { _tag: "Months", months: 6, note: "hoặc đến khi tình trạng hôn nhân thay đổi" }
  },
  {
    code: "menh-lenh-van-chuyen-vat-lieu-no",
    name:
      "Mệnh lệnh vận chuyển vật liệu nổ công nghiệp, tiền chất thuốc nổ hoặc văn bản trả lời đối với trường hợp không cấp",
    validity: { _tag: "AsIssued" }
  },
  { code: "ly-lich-tu-phap-so-1", name: "Phiếu lý lịch tư pháp số 1", validity: { _tag: "SetByProcedure" } },
  { code: "ly-lich-tu-phap-so-2", name: "Phiếu lý lịch tư pháp số 2", validity: { _tag: "SetByProcedure" } },
  { code: "thong-bao-cap-ma-ngan-hang", name: "Thông báo cấp mã ngân hàng", validity: { _tag: "NoExpiry" } },
  { code: "the-can-cuoc-cong-dan", name: "Thẻ căn cước công dân", validity: { _tag: "AsIssued" } },
  { code: "trich-luc-khai-tu", name: "Trích lục khai tử", validity: { _tag: "NoExpiry" } },
  { code: "chung-chi-hanh-nghe-duoc", name: "Chứng chỉ hành nghề dược", validity: { _tag: "AsIssued" } }
] as const
