/**
 * Keeps the code samples of the docs in step with the typechecked files of `docs/snippets/`, and the
 * relative links of the docs pointing at files (and headings) that exist.
 *
 * A sample is a fenced code block right after a marker naming a region of a snippet file:
 *
 *     <!-- snippet: docs/snippets/getting-started.ts#upload -->
 *     ```ts
 *     …the lines between `// #region upload` and `// #endregion` in that file…
 *     ```
 *
 * Every TypeScript or JavaScript block must be such a sample (ADR 0114): an unmarked ```ts block is
 * code nothing compiles. The only exceptions are blocks another test compiles ({@link checkedElsewhere}):
 * the ```ts example blocks of a package README (the packaging test) and docs/signature.md (its own
 * test). A block that is not meant to compile takes another language (```text).
 *
 * `node scripts/docs-snippets.ts` checks the root README, every package and example README, and every
 * Markdown file under `docs/` (not the generated `docs/api/`), and exits 1 listing each sample that
 * drifted, each marker that names no region, each unmarked code block and each broken link;
 * `node scripts/docs-snippets.ts --write` rewrites the drifted samples from the snippet files (it never
 * touches the snippet files, and any other problem still fails).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, normalize, relative, resolve, sep } from "node:path"

/** Something wrong in one file, at one line (1-based). */
export interface Problem {
  readonly file: string
  readonly line: number
  readonly message: string
}

/** The regions of one snippet file by name, or the problems that make it unreadable. */
export interface Regions {
  readonly regions: ReadonlyMap<string, string>
  readonly problems: ReadonlyArray<Problem>
}

const REGION = /^\s*\/\/\s*#region\s+(\S+)\s*$/
const END_REGION = /^\s*\/\/\s*#endregion(?:\s+(\S+))?\s*$/
const MARKER = /^\s*<!--\s*snippet:\s*([^#\s]+)#(\S+)\s*-->\s*$/
const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/

/** A line opening a fenced code block: its indentation, fence and info string; `null` for any other line. */
const fenceOf = (line: string): { readonly indent: string; readonly fence: string; readonly info: string } | null => {
  const open = FENCE.exec(line)
  // a backtick fence's info string has no backtick (CommonMark): "```` ```ts ```` …" is inline code
  if (open === null || (open[2]![0] === "`" && open[3]!.includes("`"))) return null
  return { indent: open[1]!, fence: open[2]!, info: open[3]!.trim() }
}

/**
 * The languages whose blocks are code a reader copies: each block in one of them must be a marked
 * sample (or be compiled by another test).
 */
export const CODE_LANGUAGES: ReadonlySet<string> = new Set(["ts", "typescript", "tsx", "mts", "cts", "js", "javascript", "jsx", "mjs", "cjs"])

/** The language of a fence's info string: its first word, in lower case ("" when there is none). */
export const languageOf = (info: string): string => (info.trim().split(/\s+/)[0] ?? "").toLowerCase()

/** Whether `line` closes a code block opened with `fence` (the same character, at least as many). */
const closes = (line: string, fence: string): boolean => {
  const text = line.trim()
  return text.length >= fence.length && text === fence[0]!.repeat(text.length)
}

/** Removes the indentation every non-blank line shares. */
export const dedent = (lines: ReadonlyArray<string>): Array<string> => {
  const indents = lines.filter((l) => l.trim().length > 0).map((l) => l.length - l.trimStart().length)
  const cut = indents.length === 0 ? 0 : Math.min(...indents)
  return lines.map((l) => (l.trim().length === 0 ? "" : l.slice(cut)))
}

/**
 * Every `// #region name` … `// #endregion` of a source file. Regions may nest; the marker lines of
 * inner regions are left out of the outer one. A region name is unique in its file.
 */
export const regions = (source: string, file: string): Regions => {
  const lines = source.split(/\r?\n/)
  const found = new Map<string, string>()
  const problems: Array<Problem> = []
  const open: Array<{ readonly name: string; readonly line: number; readonly body: Array<string> }> = []
  lines.forEach((text, index) => {
    const line = index + 1
    const start = REGION.exec(text)
    if (start !== null) {
      const name = start[1]!
      if (found.has(name) || open.some((r) => r.name === name)) {
        problems.push({ file, line, message: `region "${name}" is defined twice; give each region its own name` })
      }
      open.push({ name, line, body: [] })
      return
    }
    const end = END_REGION.exec(text)
    if (end !== null) {
      const closing = open.pop()
      if (closing === undefined) {
        problems.push({ file, line, message: "#endregion without a #region before it" })
        return
      }
      if (end[1] !== undefined && end[1] !== closing.name) {
        problems.push({
          file,
          line,
          message: `#endregion ${end[1]} closes region "${closing.name}" (opened at line ${closing.line})`
        })
      }
      found.set(closing.name, dedent(closing.body).join("\n").replace(/^\n+|\n+$/g, ""))
      return
    }
    for (const region of open) region.body.push(text)
  })
  for (const region of open) {
    problems.push({ file, line: region.line, message: `region "${region.name}" has no #endregion` })
  }
  return { regions: found, problems }
}

/** What checking (or rewriting) one Markdown file found. */
export interface Synced {
  /** The Markdown with every sample replaced by its region (equal to the input when nothing drifted). */
  readonly text: string
  /** How many samples differ from their region. */
  readonly drifted: number
  /** How many samples the file has. */
  readonly samples: number
  readonly problems: ReadonlyArray<Problem>
}

/**
 * Checks every marked sample of a Markdown file against its region, and that every TypeScript or
 * JavaScript block is a marked sample. `readSnippet` gets the path the marker names (relative to the
 * repository root) and returns the file's text, or `undefined` when there is no such file.
 * `checkedElsewhere` gets the opening line of an unmarked TypeScript or JavaScript block (`` ```ts example ``)
 * and returns the test that compiles it, or `undefined` when nothing does (the block is then a problem).
 */
export const sync = (
  markdown: string,
  file: string,
  readSnippet: (path: string) => string | undefined,
  checkedElsewhere: (fence: string) => string | undefined = () => undefined
): Synced => {
  const lines = markdown.split("\n")
  const out: Array<string> = []
  const problems: Array<Problem> = []
  const cache = new Map<string, Regions | undefined>()
  let drifted = 0
  let samples = 0
  let i = 0
  while (i < lines.length) {
    const text = lines[i]!
    const marker = MARKER.exec(text)
    const block = marker === null ? fenceOf(text) : null
    if (block !== null) {
      // a block without a marker: copied as it is; code in it must be compiled by something
      let close = i + 1
      while (close < lines.length && !closes(lines[close]!, block.fence)) close++
      const language = languageOf(block.info)
      if (CODE_LANGUAGES.has(language) && checkedElsewhere(text) === undefined) {
        problems.push({
          file,
          line: i + 1,
          message: `a \`\`\`${block.info} block without a snippet marker: nothing compiles it. Move the code into a ` +
            "region of a file under docs/snippets/, put <!-- snippet: docs/snippets/<file>.ts#<region> --> right " +
            "above the block and run node scripts/docs-snippets.ts --write; or, if it is not meant to compile, " +
            "give it another language (```text)"
        })
      }
      out.push(...lines.slice(i, close + 1))
      i = close + 1
      continue
    }
    out.push(text)
    i++
    if (marker === null) continue
    const markerLine = i
    const path = marker[1]!
    const name = marker[2]!
    const fenced = i < lines.length ? fenceOf(lines[i]!) : null
    if (fenced === null) {
      problems.push({
        file,
        line: markerLine,
        message: `the snippet marker for ${path}#${name} must be followed at once by a fenced code block`
      })
      continue
    }
    const { fence, indent } = fenced
    let close = i + 1
    while (close < lines.length && !closes(lines[close]!, fence)) close++
    if (close >= lines.length) {
      problems.push({ file, line: i + 1, message: `the code block after the marker for ${path}#${name} is never closed` })
      out.push(...lines.slice(i))
      break
    }
    samples++
    const current = lines.slice(i + 1, close)
    if (!cache.has(path)) {
      const source = readSnippet(path)
      cache.set(path, source === undefined ? undefined : regions(source, path))
      if (source !== undefined) problems.push(...cache.get(path)!.problems)
    }
    const parsed = cache.get(path)
    const region = parsed?.regions.get(name)
    if (parsed === undefined) {
      problems.push({ file, line: markerLine, message: `${path} does not exist (named by the snippet marker)` })
    } else if (region === undefined) {
      problems.push({
        file,
        line: markerLine,
        message: `${path} has no region "${name}"; it has ${[...parsed.regions.keys()].join(", ") || "no region"}`
      })
    }
    const wanted = region === undefined ? current : region.split("\n").map((l) => (l.length === 0 ? "" : indent + l))
    if (wanted.join("\n") !== current.join("\n")) drifted++
    out.push(lines[i]!, ...wanted, lines[close]!)
    i = close + 1
  }
  return { text: out.join("\n"), drifted, samples, problems }
}

/**
 * The anchor GitHub gives a heading: lower case, punctuation dropped (letters of every script,
 * digits, `-` and `_` kept), spaces turned into `-`.
 */
export const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-")

/** The anchors of a Markdown file's headings, duplicates numbered as GitHub numbers them. */
export const anchors = (markdown: string): ReadonlySet<string> => {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const line of withoutCode(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading === null) continue
    const base = slug(heading[1]!)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    out.add(count === 0 ? base : `${base}-${count}`)
  }
  return out
}

/** The lines of a Markdown file, fenced code blocks blanked (their text is not Markdown). */
const withoutCode = (markdown: string): Array<string> => {
  let fence: string | null = null
  return markdown.split("\n").map((line) => {
    const open = fenceOf(line)
    if (fence === null && open !== null) {
      fence = open.fence
      return ""
    }
    if (fence !== null) {
      if (closes(line, fence)) fence = null
      return ""
    }
    return line
  })
}

/**
 * The relative links of a Markdown file whose target (or heading anchor) does not exist. `file` is the
 * Markdown file's path (relative to the repository root); `read` returns a file's text, or `undefined`
 * when there is no such file or directory (a directory reads as the empty string).
 */
export const brokenLinks = (
  markdown: string,
  file: string,
  read: (path: string) => string | undefined
): Array<Problem> => {
  const problems: Array<Problem> = []
  const own = anchors(markdown)
  withoutCode(markdown).forEach((text, index) => {
    const line = text.replace(/`[^`]*`/g, "")
    for (const match of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1]!
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue
      const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined]
      const path = decodeURIComponent(pathPart)
      if (path === "") {
        if (anchor !== undefined && !own.has(anchor)) {
          problems.push({ file, line: index + 1, message: `#${anchor} names no heading of this file` })
        }
        continue
      }
      const resolved = normalize(join(dirname(file), path)).split(sep).join("/").replace(/\/$/, "")
      const text = read(resolved)
      if (text === undefined) {
        problems.push({ file, line: index + 1, message: `${target} does not exist (${resolved})` })
      } else if (anchor !== undefined && resolved.endsWith(".md") && !anchors(text).has(anchor)) {
        problems.push({ file, line: index + 1, message: `${target}: ${resolved} has no heading #${anchor}` })
      }
    }
  })
  return problems
}

/** Every Markdown file under `dir`, skipping the directories named in `skip` (repository-relative). */
export const markdownFiles = (root: string, dir: string, skip: ReadonlyArray<string>): Array<string> =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const path = `${dir}/${entry.name}`
      if (entry.isDirectory()) return skip.includes(path) ? [] : markdownFiles(root, path, skip)
      return entry.isFile() && entry.name.endsWith(".md") ? [path] : []
    })
    .sort()

/** The outcome of checking (and maybe rewriting) every doc. */
export interface Report {
  readonly files: number
  readonly samples: number
  /** Samples that differ from their region (rewritten with `write`). */
  readonly drifted: ReadonlyArray<Problem>
  readonly problems: ReadonlyArray<Problem>
}

/**
 * The pages whose unmarked ```ts blocks another test compiles, with that test: it reads every block
 * opened by exactly "```ts" and fails unless it is copied from the test's own, typechecked, code.
 */
export const CHECKED_BY: ReadonlyMap<string, string> = new Map([
  ["docs/signature.md", "packages/signature/test/DocsExamples.test.ts"]
])

/** The test that typechecks and runs, against the packed packages, each package README's ```ts example block. */
export const README_EXAMPLES_TEST = "packages/promise/test/Packaging.test.ts"

/**
 * The test that compiles an unmarked TypeScript or JavaScript block of `file` opened by `fence` (the
 * whole line), or `undefined`. Each test's own block pattern is matched exactly, so a block it would
 * not read is not excused.
 */
export const checkedElsewhere = (file: string, fence: string): string | undefined => {
  if (CHECKED_BY.has(file) && fence === "```ts") return CHECKED_BY.get(file)
  if (/^packages\/[^/]+\/README\.md$/.test(file) && fence === "```ts example") return README_EXAMPLES_TEST
  return undefined
}

/** The README of each directory under `dir` that has one (`packages/core/README.md`…). */
const readmes = (root: string, dir: string): Array<string> =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, dir, entry.name, "README.md")))
      .map((entry) => `${dir}/${entry.name}/README.md`)
      .sort()
    : []

/**
 * Checks the root README, the README of every package and example, and every Markdown file under
 * `docs/` of the repository at `root`; rewrites drifted samples when `write`.
 */
export const run = (
  root: string,
  options: { readonly write: boolean }
): Report => {
  const read = (path: string): string | undefined => {
    const full = resolve(root, path)
    if (relative(root, full).startsWith("..") || !existsSync(full)) return undefined
    return statSync(full).isDirectory() ? "" : readFileSync(full, "utf8")
  }
  const files = [
    ...(existsSync(join(root, "README.md")) ? ["README.md"] : []),
    ...readmes(root, "packages"),
    ...readmes(root, "examples"),
    ...(existsSync(join(root, "docs")) ? markdownFiles(root, "docs", ["docs/api", "docs/snippets"]) : [])
  ]
  const drifted: Array<Problem> = []
  const problems: Array<Problem> = []
  let samples = 0
  for (const [file, test] of CHECKED_BY) {
    if (files.includes(file) && read(test) === undefined) {
      problems.push({ file, line: 1, message: `${test}, which should compile this page's samples, does not exist` })
    }
  }
  for (const file of files) {
    const markdown = readFileSync(join(root, file), "utf8")
    const synced = sync(markdown, file, read, (fence) => checkedElsewhere(file, fence))
    samples += synced.samples
    problems.push(...synced.problems, ...brokenLinks(markdown, file, read))
    if (synced.text !== markdown) {
      drifted.push({ file, line: 1, message: `${synced.drifted} sample(s) differ from their snippet region` })
      if (options.write) writeFileSync(join(root, file), synced.text)
    }
  }
  return { files: files.length, samples, drifted, problems }
}

if (import.meta.main) {
  const write = process.argv.includes("--write")
  const root = resolve(dirname(new URL(import.meta.url).pathname), "..")
  const report = run(root, { write })
  const show = (p: Problem) => `${p.file}:${p.line}: ${p.message}`
  for (const p of report.problems) process.stderr.write(`${show(p)}\n`)
  for (const p of report.drifted) {
    process.stderr.write(write ? `rewrote ${p.file}\n` : `${show(p)}: run node scripts/docs-snippets.ts --write\n`)
  }
  const failed = report.problems.length > 0 || (!write && report.drifted.length > 0)
  process.stderr.write(
    `docs: ${report.files} files, ${report.samples} samples, ${report.drifted.length} drifted, ${report.problems.length} problems\n`
  )
  process.exitCode = failed ? 1 : 0
}
