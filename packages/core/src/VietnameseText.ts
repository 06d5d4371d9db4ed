/**
 * Accent folding for Vietnamese search: "can cuoc" must find "Căn cước" and "dang ky" must find
 * "Đăng ký", whatever Unicode normalisation (NFC from keyboards, NFD from macOS file names and some
 * PDFs) the text arrived in.
 *
 * Gotcha: `đ`/`Đ` is a letter of its own, not `d` plus a combining mark, so NFD alone does not fold
 * it; {@link fold} maps it explicitly.
 *
 * @since 0.1.0
 */

const combiningMarks = /[\u0300-\u036f]/g

/**
 * Folds text for comparison: decomposes (NFD), drops combining marks (tones and the breve, circumflex
 * and horn), maps đ/Đ to d, lower-cases and collapses whitespace.
 *
 * @since 0.1.0
 */
export const fold = (text: string): string =>
  text
    .normalize("NFD")
    .replace(combiningMarks, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()

/**
 * The folded words of `text` (split on anything that is not a letter or digit).
 *
 * @since 0.1.0
 */
export const words = (text: string): ReadonlyArray<string> =>
  fold(text).split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0)

/**
 * Whether every word of `query` occurs in `text`, accent-insensitively (each as a substring, so a
 * partial word such as "cuo" still matches while the user types). An empty query matches everything.
 *
 * @since 0.1.0
 */
export const matches = (text: string, query: string): boolean => {
  const haystack = fold(text)
  return words(query).every((word) => haystack.includes(word))
}
