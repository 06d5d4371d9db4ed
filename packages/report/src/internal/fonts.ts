/**
 * The fonts the PDF embeds: Noto Sans (SIL Open Font License 1.1), which covers every Vietnamese letter
 * with precomposed glyphs. The TTF files come from the npm package `@expo-google-fonts/noto-sans`, a
 * dependency of this package: nothing is downloaded at run time.
 */
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)

export const regularPath = (): string =>
  require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf")

export const boldPath = (): string => require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf")

export const load = async (): Promise<{ readonly regular: Uint8Array; readonly bold: Uint8Array }> => {
  const [regular, bold] = await Promise.all([readFile(regularPath()), readFile(boldPath())])
  return { regular, bold }
}
