/**
 * The built-in procedure catalog: a small set drawn from real procedures of the commune, district and
 * provincial levels, enough to exercise every matching rule. Raw data: `Procedure.load` validates it
 * (and any catalog a deployment supplies) with Schema and against the category catalog.
 *
 * Codes. `codeSource: "national"` entries carry the code of the national procedure database
 * (csdl.dichvucong.gov.vn) as the authors know it — 1.001193 (đăng ký khai sinh), 1.000894 (đăng ký
 * kết hôn), 1.004873 (cấp Giấy xác nhận tình trạng hôn nhân), 2.000815 (chứng thực bản sao từ bản
 * chính); re-check them against the portal before relying on them — and 2.000648 (cấp Giấy chứng
 * nhận cửa hàng đủ điều kiện bán lẻ xăng dầu), whose code is quoted from a published decision (see the
 * entry) but whose processing time and fee are still unsourced. Every other entry is
 * **illustrative**: its code starts with `9.9`, which the national database does not use, and its
 * processing time and fee are plausible values, not quotations. Codes are written without an agency
 * suffix: a province's variant (`2.000815.000.00.00.H55`) is not quoted for Bình Định (`H08`) because
 * no source for one was found. Result type codes (`KQ.G15.000021`
 * certified copy, `KQ.G01.000023` / `KQ.G01.000005` citizen ID card, `KQ.G02.000144` retail fuel
 * shop certificate) are those printed in the seed's screenshots.
 *
 * Validity per procedure: the marital-status certificate is valid 6 months from issue or until the
 * status changes (Nghị định 123/2015/NĐ-CP, Điều 23); the criminal-record certificate's window is set
 * per procedure — 6 months for the pharmacist practice certificate, 30 days for the illustrative
 * recruitment procedure; certified copies, land-use right certificates and ID cards carry no limit by
 * law beyond what is printed on them.
 *
 * @since 0.1.0
 */

const idCard = {
  id: "giay-to-tuy-than",
  name: "Giấy tờ tùy thân (Thẻ căn cước công dân) của người yêu cầu",
  categories: ["the-can-cuoc-cong-dan"],
  resultTypes: ["KQ.G01.000023", "KQ.G01.000005"],
  form: "Copy",
  mandatory: false,
  requiresShared: true,
  validity: { _tag: "NoneByLaw" },
  note: "Không phải nộp khi đã xác thực qua tài khoản định danh điện tử (VNeID); thời hạn in trên thẻ vẫn áp dụng."
} as const

const declaration = (id: string, name: string) =>
  ({
    id,
    name,
    categories: [],
    resultTypes: [],
    form: "Original",
    mandatory: true,
    requiresShared: false,
    validity: { _tag: "NoneByLaw" },
    note: "Điền trực tuyến hoặc tại quầy; không lấy từ kho."
  }) as const

/**
 * The built-in procedures.
 *
 * @since 0.1.0
 */
export const procedures = [
  {
    code: "1.001193",
    codeSource: "national",
    name: "Đăng ký khai sinh",
    field: "Hộ tịch",
    agency: { kind: "Ủy ban nhân dân cấp xã", level: "commune" },
    cases: [{
      id: "dung-han",
      name: "Đăng ký khai sinh đúng hạn",
      processingDays: 0,
      fee: { _tag: "Free", basis: "Luật Hộ tịch 2014, Điều 11" }
    }],
    onlineLevel: "full",
    requirements: [
      declaration("to-khai", "Tờ khai đăng ký khai sinh"),
      {
        id: "giay-chung-sinh",
        name: "Giấy chứng sinh hoặc văn bản thay Giấy chứng sinh",
        categories: [],
        resultTypes: [],
        form: "Original",
        mandatory: true,
        requiresShared: false,
        validity: { _tag: "NoneByLaw" },
        note: "Không có trong danh mục giấy tờ của kho: tải lên hoặc scan tại quầy."
      },
      idCard
    ],
    basis: "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP"
  },
  {
    code: "1.000894",
    codeSource: "national",
    name: "Đăng ký kết hôn",
    field: "Hộ tịch",
    agency: { kind: "Ủy ban nhân dân cấp xã", level: "commune" },
    cases: [
      {
        id: "khong-xac-minh",
        name: "1 ngày làm việc - KHÔNG xác minh điều kiện kết hôn của hai bên",
        processingDays: 1,
        fee: { _tag: "Free", basis: "Luật Hộ tịch 2014, Điều 11" }
      },
      {
        id: "can-xac-minh",
        name: "5 ngày làm việc - cần xác minh điều kiện kết hôn của hai bên",
        processingDays: 5,
        fee: { _tag: "Free", basis: "Luật Hộ tịch 2014, Điều 11" }
      }
    ],
    onlineLevel: "partial",
    requirements: [
      declaration("to-khai", "Tờ khai đăng ký kết hôn"),
      {
        id: "xac-nhan-tinh-trang-hon-nhan",
        name:
          "Bản chính Giấy xác nhận tình trạng hôn nhân do Ủy ban nhân dân cấp xã có thẩm quyền cấp trong trường hợp người yêu cầu đăng ký kết hôn không đăng ký thường trú tại địa bàn xã, phường, thị trấn làm thủ tục đăng ký kết hôn",
        categories: ["xac-nhan-tinh-trang-hon-nhan"],
        resultTypes: [],
        form: "Original",
        mandatory: false,
        requiresShared: true,
        validity: {
          _tag: "FromIssueUntilStatusChange",
          period: { _tag: "Months", months: 6 },
          basis: "Nghị định 123/2015/NĐ-CP, Điều 23"
        },
        note:
          "Không phải xuất trình khi thông tin về tình trạng hôn nhân đã có trong Cơ sở dữ liệu quốc gia về dân cư hoặc Cơ sở dữ liệu hộ tịch điện tử."
      },
      idCard
    ],
    basis: "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP"
  },
  {
    code: "1.004873",
    codeSource: "national",
    name: "Cấp Giấy xác nhận tình trạng hôn nhân",
    field: "Hộ tịch",
    agency: { kind: "Ủy ban nhân dân cấp xã", level: "commune" },
    cases: [{
      id: "thong-thuong",
      name: "Cấp Giấy xác nhận tình trạng hôn nhân",
      processingDays: 3,
      fee: { _tag: "SetLocally", basis: "Nghị quyết của Hội đồng nhân dân tỉnh (Thông tư 85/2019/TT-BTC)" }
    }],
    onlineLevel: "full",
    requirements: [
      declaration("to-khai", "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"),
      {
        id: "giay-xac-nhan-da-cap",
        name:
          "Giấy xác nhận tình trạng hôn nhân đã được cấp trước đây (khi yêu cầu cấp lại để dùng vào mục đích khác hoặc vì đã hết thời hạn)",
        categories: ["xac-nhan-tinh-trang-hon-nhan"],
        resultTypes: [],
        form: "Original",
        mandatory: false,
        requiresShared: false,
        validity: { _tag: "NoneByLaw", basis: "Giấy đã cấp được nộp lại, không xét thời hạn của nó" }
      },
      idCard
    ],
    basis: "Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP"
  },
  {
    code: "2.000815",
    codeSource: "national",
    name:
      "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
    field: "Chứng thực",
    agency: { kind: "Ủy ban nhân dân cấp xã", level: "commune" },
    cases: [{
      id: "trong-ngay",
      name: "Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)",
      processingDays: 0,
      fee: {
        _tag: "PerPage",
        firstPages: 2,
        firstPagesVnd: 2000,
        nextPagesVnd: 1000,
        maxVnd: 200000,
        basis: "Thông tư 226/2016/TT-BTC"
      }
    }],
    onlineLevel: "partial",
    requirements: [
      {
        id: "ban-chinh",
        name: "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao",
        categories: [],
        resultTypes: [],
        form: "Original",
        mandatory: true,
        requiresShared: false,
        validity: { _tag: "NoneByLaw" },
        note: "Xuất trình bản giấy tại quầy: kết quả là bản sao chứng thực điện tử, đẩy vào kho của chủ hồ sơ."
      }
    ],
    basis: "Nghị định 23/2015/NĐ-CP; Nghị định 45/2020/NĐ-CP"
  },
  {
    code: "9.900001",
    codeSource: "illustrative",
    name: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
    field: "Lý lịch tư pháp",
    agency: { kind: "Sở Tư pháp", level: "province" },
    cases: [{
      id: "thong-thuong",
      name: "Cấp Phiếu lý lịch tư pháp số 1",
      processingDays: 10,
      fee: { _tag: "Fixed", amountVnd: 200000, basis: "Thông tư 244/2016/TT-BTC" }
    }],
    onlineLevel: "full",
    requirements: [
      declaration("to-khai", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"),
      { ...idCard, mandatory: true }
    ],
    basis: "Luật Lý lịch tư pháp 2009"
  },
  {
    code: "9.900002",
    codeSource: "illustrative",
    name: "Cấp Chứng chỉ hành nghề dược",
    field: "Dược phẩm",
    agency: { kind: "Sở Y tế", level: "province" },
    cases: [{
      id: "cap-moi",
      name: "Cấp lần đầu",
      processingDays: 20,
      fee: { _tag: "Fixed", amountVnd: 500000, basis: "Phí thẩm định (minh họa)" }
    }],
    onlineLevel: "partial",
    requirements: [
      declaration("don-de-nghi", "Đơn đề nghị cấp Chứng chỉ hành nghề dược"),
      {
        id: "van-bang",
        name: "Bản sao có chứng thực văn bằng chuyên môn",
        categories: ["ban-sao-chung-thuc"],
        resultTypes: ["KQ.G15.000021"],
        form: "CertifiedCopy",
        mandatory: true,
        requiresShared: true,
        validity: { _tag: "NoneByLaw" }
      },
      {
        id: "ly-lich-tu-phap",
        name: "Phiếu lý lịch tư pháp (cấp không quá 6 tháng tính đến ngày nộp hồ sơ)",
        categories: ["ly-lich-tu-phap-so-1"],
        resultTypes: [],
        form: "Original",
        mandatory: true,
        requiresShared: true,
        validity: {
          _tag: "FromIssue",
          period: { _tag: "Months", months: 6 },
          basis: "Thời hạn do thủ tục quy định"
        }
      },
      idCard
    ],
    basis: "Luật Dược 2016 (mã thủ tục minh họa)"
  },
  {
    code: "9.900003",
    codeSource: "illustrative",
    name: "Thủ tục minh họa: đăng ký dự tuyển yêu cầu Phiếu lý lịch tư pháp cấp trong vòng 30 ngày",
    field: "Minh họa",
    agency: { kind: "Ủy ban nhân dân cấp huyện", level: "district" },
    cases: [{
      id: "thong-thuong",
      name: "Thông thường",
      processingDays: 5,
      fee: { _tag: "Free" }
    }],
    onlineLevel: "full",
    requirements: [
      {
        id: "ly-lich-tu-phap",
        name: "Phiếu lý lịch tư pháp số 1 (cấp không quá 30 ngày)",
        categories: ["ly-lich-tu-phap-so-1"],
        resultTypes: [],
        form: "Copy",
        mandatory: true,
        requiresShared: true,
        validity: { _tag: "FromIssue", period: { _tag: "Days", days: 30 }, basis: "Minh họa: thời hạn do thủ tục quy định" }
      },
      idCard
    ]
  },
  {
    code: "9.900004",
    codeSource: "illustrative",
    name:
      "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng quyền sử dụng đất",
    field: "Đất đai",
    agency: { kind: "Chi nhánh Văn phòng đăng ký đất đai", level: "district" },
    cases: [{
      id: "chuyen-nhuong",
      name: "Chuyển nhượng quyền sử dụng đất",
      processingDays: 10,
      fee: { _tag: "SetLocally", basis: "Nghị quyết của Hội đồng nhân dân tỉnh" }
    }],
    onlineLevel: "partial",
    requirements: [
      declaration("don-dang-ky", "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất"),
      {
        id: "giay-chung-nhan",
        name: "Bản gốc Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất đã cấp",
        categories: ["giay-chung-nhan-quyen-su-dung-dat"],
        resultTypes: [],
        form: "Original",
        mandatory: true,
        requiresShared: true,
        validity: { _tag: "NoneByLaw" }
      },
      {
        id: "hop-dong",
        name: "Hợp đồng chuyển nhượng quyền sử dụng đất đã công chứng hoặc chứng thực",
        categories: [],
        resultTypes: [],
        form: "Original",
        mandatory: true,
        requiresShared: false,
        validity: { _tag: "NoneByLaw" }
      },
      {
        id: "xac-nhan-tinh-trang-hon-nhan",
        name: "Giấy xác nhận tình trạng hôn nhân (khi bên chuyển nhượng đứng tên một mình)",
        categories: ["xac-nhan-tinh-trang-hon-nhan"],
        resultTypes: [],
        form: "CertifiedCopy",
        mandatory: false,
        requiresShared: true,
        validity: {
          _tag: "FromIssueUntilStatusChange",
          period: { _tag: "Months", months: 6 },
          basis: "Nghị định 123/2015/NĐ-CP, Điều 23"
        }
      },
      idCard
    ],
    basis: "Luật Đất đai (mã thủ tục minh họa)"
  },
  // Code: 2.000648 "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", Sở Công Thương, as listed
  // ("Mã TTHC gốc", amended by Nghị định 95/2021/NĐ-CP) in Quyết định 378/QĐ-UBND ngày 18/3/2022 của
  // Chủ tịch UBND tỉnh Hà Giang, Phụ lục Phần I mục 2 STT 7 (thuvienphapluat.vn/van-ban/Thuong-mai/
  // Quyet-dinh-378-QD-UBND-2022-cong-bo-thu-tuc-hanh-chinh-luu-thong-Nganh-Cong-Thuong-Ha-Giang-508762.aspx).
  // The same decision lists "Cấp sửa đổi, bổ sung" as a procedure of its own (2.000645, STT 8); it stays
  // a case here so the catalog keeps a procedure whose components differ per case.
  // NOT sourced: the processing times and the fee below are still illustrative values.
  {
    code: "2.000648",
    codeSource: "national",
    name: "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu",
    field: "Kinh doanh khí, xăng dầu",
    agency: { kind: "Sở Công Thương", level: "province" },
    cases: [
      {
        id: "cap-moi",
        name: "Cấp mới",
        processingDays: 15,
        fee: { _tag: "SetLocally", basis: "Theo biểu phí thẩm định hiện hành (minh họa)" }
      },
      {
        id: "sua-doi",
        name: "Cấp sửa đổi, bổ sung",
        processingDays: 15,
        fee: { _tag: "SetLocally", basis: "Theo biểu phí thẩm định hiện hành (minh họa)" }
      }
    ],
    onlineLevel: "full",
    requirements: [
      declaration("don-de-nghi", "Đơn đề nghị cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu"),
      {
        id: "giay-chung-nhan-da-cap",
        name: "Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu đã được cấp",
        categories: [],
        resultTypes: ["KQ.G02.000144"],
        form: "Original",
        mandatory: true,
        requiresShared: false,
        validity: { _tag: "NoneByLaw" },
        cases: ["sua-doi"]
      },
      idCard
    ],
    basis: "Nghị định 83/2014/NĐ-CP; Nghị định 95/2021/NĐ-CP"
  }
] as const
