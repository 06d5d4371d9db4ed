/**
 * The category list (Danh mục giấy tờ) of the seed's store screens (Appendix II part I), with stable
 * codes. Raw data: `Category.load` validates it (and any catalog a deployment supplies) with Schema.
 *
 * The seed's list (its lines 132–146) has 15 entries, in the dropdown's alphabetical order except
 * "Chứng chỉ hành nghề dược", last. Two lines are garbled by OCR and restored here from the procedure
 * names of the national procedure database:
 *
 * - line 139, "Giáy priep triet lab trang hôn bhân", is "Giấy xác nhận tình trạng hôn nhân": its
 *   tail can only be "… trạng hôn nhân", it has that name's six words after "Giấy", and it sorts
 *   between "Giấy phép sử dụng vật liệu nổ…" and "Mệnh lệnh…";
 * - line 140, "Giáy sác migh chín củang hơn migh. Mệnh lênh vận chín kến vật liệu nổ công nghiên, tiền
 *   chất thuốc nổ …", is the order to transport industrial explosives. Its first sentence repeats the
 *   line above word for word ("Giấy xác nhận tình trạng hôn nhân."): the same OCR repeats a wrapped
 *   fragment of the land-use certificate on line 135 ("tài sản khác gắn liền với đất" twice). It is
 *   not a 16th entry: that would be the marital-status certificate twice, which a catalog cannot hold
 *   (`Category.load` refuses duplicate names), and "Giáy priep…" read as another "Giấy phép…" would
 *   end in "… trạng hôn nhân", which no document is called.
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
