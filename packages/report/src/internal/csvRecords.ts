/**
 * RFC 4180 records, both ways: fields quoted only when they hold a comma, a quote or a line break
 * (quotes doubled inside), records ended by CRLF. The reader accepts CRLF or LF line ends, so a file a
 * spreadsheet re-saved with LF still reads.
 */
import { Result } from "effect"

const field = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, "\"\"")}"` : s)

/** One record's text, without its line end. */
export const record = (fields: ReadonlyArray<string>): string => fields.map(field).join(",")

/**
 * Every record of `text` (no BOM), with the 1-based line each starts on; fails on an unterminated
 * quoted field or a quote in the middle of an unquoted one.
 */
export const read = (
  text: string
): Result.Result<Array<{ readonly line: number; readonly fields: Array<string> }>, string> => {
  const out: Array<{ readonly line: number; readonly fields: Array<string> }> = []
  let fields: Array<string> = []
  let value = ""
  let quoted = false
  let wasQuoted = false
  let line = 1
  let start = 1
  const end = () => {
    fields.push(value)
    out.push({ line: start, fields })
    fields = []
    value = ""
    wasQuoted = false
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === "\"" && text[i + 1] === "\"") {
        value += "\""
        i++
      } else if (c === "\"") quoted = false
      else {
        if (c === "\n") line++
        value += c
      }
    } else if (c === "\"") {
      if (value.length > 0 || wasQuoted) return Result.fail(`line ${line}: a quote inside an unquoted field`)
      quoted = true
      wasQuoted = true
    } else if (c === ",") {
      fields.push(value)
      value = ""
      wasQuoted = false
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      if (c === "\r") i++
      end()
      line++
      start = line
    } else value += c
  }
  if (quoted) return Result.fail(`line ${start}: a quoted field is never closed`)
  if (value.length > 0 || fields.length > 0 || wasQuoted) end()
  return Result.succeed(out)
}
