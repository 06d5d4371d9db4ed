import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as VietnameseText from "../src/VietnameseText.ts"

const vietnameseLetters = [..."aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"]
const vietnamese = fc.array(
  fc.oneof(
    fc.constantFrom(...vietnameseLetters, ...vietnameseLetters.map((l) => l.toUpperCase()), " ", "."),
    fc.string({ maxLength: 2 })
  ),
  { maxLength: 30 }
).map((parts) => parts.join(""))

describe("VietnameseText", () => {
  it("folds tones, vowel marks and đ", () => {
    expect(VietnameseText.fold("Thẻ Căn cước công dân")).toBe("the can cuoc cong dan")
    expect(VietnameseText.fold("Đăng ký kết hôn")).toBe("dang ky ket hon")
    expect(VietnameseText.fold("  Giấy   xác nhận\ttình trạng ")).toBe("giay xac nhan tinh trang")
  })

  it("matches accent- and đ/d-insensitively, word by word", () => {
    expect(VietnameseText.matches("Thẻ căn cước công dân", "can cuoc")).toBe(true)
    expect(VietnameseText.matches("Giấy chứng nhận Đăng ký hộ kinh doanh", "dang ky")).toBe(true)
    expect(VietnameseText.matches("Giấy khai sinh", "CĂN CƯỚC")).toBe(false)
    expect(VietnameseText.matches("Phiếu lý lịch tư pháp số 1", "ly lich so 1")).toBe(true)
    expect(VietnameseText.matches("anything", "")).toBe(true)
  })

  it("folds NFC and NFD input identically", () => {
    fc.assert(
      fc.property(vietnamese, (text) => {
        expect(VietnameseText.fold(text.normalize("NFC"))).toBe(VietnameseText.fold(text.normalize("NFD")))
      })
    )
  })

  it("is idempotent and leaves no combining mark or đ", () => {
    fc.assert(
      fc.property(vietnamese, (text) => {
        const folded = VietnameseText.fold(text)
        expect(VietnameseText.fold(folded)).toBe(folded)
        expect(/[\u0300-\u036fđĐ]/.test(folded)).toBe(false)
      })
    )
  })

  it("finds any text by its own folded words", () => {
    fc.assert(fc.property(vietnamese, (text) => {
      expect(VietnameseText.matches(text, VietnameseText.fold(text))).toBe(true)
    }))
  })
})
