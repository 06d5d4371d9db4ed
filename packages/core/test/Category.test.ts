import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as Category from "../src/Category.ts"
import { categories } from "../src/data/categories.ts"

const failure = (data: unknown): string => {
  const result = Category.load(data)
  if (Result.isSuccess(result)) throw new Error("expected the catalog to be refused")
  expect(result.failure._tag).toBe("InvalidCatalog")
  return result.failure.message
}

describe("Category", () => {
  it("loads the seed's catalog", () => {
    const catalog = Category.defaultCatalog
    expect(catalog.entries).toHaveLength(categories.length)
    for (
      const name of [
        "Bản sao được chứng thực từ bản chính",
        "Giấy khai sinh",
        "Thẻ căn cước công dân",
        "Phiếu lý lịch tư pháp số 1",
        "Phiếu lý lịch tư pháp số 2",
        "Trích lục khai tử",
        "Giấy phép lái xe cơ giới đường bộ",
        "Chứng chỉ hành nghề hoạt động xây dựng",
        "Chứng chỉ hành nghề dược",
        "Giấy xác nhận tình trạng hôn nhân",
        "Thông báo cấp mã ngân hàng"
      ]
    ) {
      expect(catalog.entries.map((c) => c.name)).toContain(name)
    }
    expect(catalog.get("xac-nhan-tinh-trang-hon-nhan")?.validity).toMatchObject({ _tag: "Months", months: 6 })
    expect(catalog.get("ban-sao-chung-thuc")?.validity._tag).toBe("NoExpiry")
    expect(catalog.get("nope")).toBeUndefined()
  })

  it("holds the seed's 15 entries in the seed's order (seed lines 132–146, OCR restored)", () => {
    expect(Category.defaultCatalog.entries.map((c) => c.name)).toEqual([
      "Bản sao được chứng thực từ bản chính",
      "Chứng chỉ hành nghề hoạt động xây dựng",
      "Công văn cho phép hội tổ chức đại hội nhiệm kỳ, đại hội bất thường",
      "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
      "Giấy khai sinh",
      "Giấy phép lái xe cơ giới đường bộ",
      "Giấy phép sử dụng vật liệu nổ công nghiệp hoặc văn bản trả lời đối với trường hợp không cấp",
      "Giấy xác nhận tình trạng hôn nhân",
      "Mệnh lệnh vận chuyển vật liệu nổ công nghiệp, tiền chất thuốc nổ hoặc văn bản trả lời đối với trường hợp không cấp",
      "Phiếu lý lịch tư pháp số 1",
      "Phiếu lý lịch tư pháp số 2",
      "Thông báo cấp mã ngân hàng",
      "Thẻ căn cước công dân",
      "Trích lục khai tử",
      "Chứng chỉ hành nghề dược"
    ])
  })

  it("refuses a malformed code", () => {
    expect(failure([{ code: "Giấy Khai Sinh", name: "Giấy khai sinh", validity: { _tag: "NoExpiry" } }])).toContain(
      "lower-case ASCII"
    )
  })

  it("refuses a missing name, an unknown validity rule and a bad month count", () => {
    failure([{ code: "a", name: " ", validity: { _tag: "NoExpiry" } }])
    failure([{ code: "a", name: "A", validity: { _tag: "Forever" } }])
    failure([{ code: "a", name: "A", validity: { _tag: "Months", months: 0 } }])
    failure({ code: "a" })
  })

  it("refuses duplicate codes and duplicate names (whatever their Unicode form)", () => {
    const entry = { code: "giay-khai-sinh", name: "Giấy khai sinh", validity: { _tag: "NoExpiry" } }
    expect(failure([entry, entry])).toContain("giay-khai-sinh twice")
    expect(failure([entry, { ...entry, code: "khai-sinh", name: entry.name.normalize("NFD") }])).toContain("twice")
  })
})
