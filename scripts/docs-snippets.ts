/**
 * Keeps the code samples of `docs/` in step with the typechecked files of `docs/snippets/`, and the
 * relative links of `docs/` pointing at files (and headings) that exist.
 *
 * A sample is a fenced code block right after a marker naming a region of a snippet file:
 *
 *     <!-- snippet: docs/snippets/getting-started.ts#upload -->
 *     ```ts
 *     …the lines between `// #region upload` and `// #endregion` in that file…
 *     ```
 *
 * `node scripts/docs-snippets.ts` checks every Markdown file under `docs/` (not the generated
 * `docs/api/`) and exits 1 listing each sample that drifted, each marker that names no region and each
 * broken link; `node scripts/docs-snippets.ts --write` rewrites the drifted samples from the snippet
 * files (it never touches the snippet files, and a broken link still fails).
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
 * Checks every marked sample of a Markdown file against its region. `readSnippet` gets the path the
 * marker names (relative to the repository root) and returns the file's text, or `undefined` when
 * there is no such file.
 */
export const sync = (
  markdown: string,
  file: string,
  readSnippet: (path: string) => string | undefined
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
    out.push(text)
    i++
    if (marker === null) continue
    const markerLine = i
    const path = marker[1]!
    const name = marker[2]!
    const open = i < lines.length ? FENCE.exec(lines[i]!) : null
    if (open === null) {
      problems.push({
        file,
        line: markerLine,
        message: `the snippet marker for ${path}#${name} must be followed at once by a fenced code block`
      })
      continue
    }
    const indent = open[1]!
    const fence = open[2]!
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
    const open = FENCE.exec(line)
    if (fence === null && open !== null) {
      fence = open[2]!
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

/** Checks the root README and every Markdown file under `docs/` of the repository at `root`; rewrites drifted samples when `write`. */
export const run = (root: string, options: { readonly write: boolean }): Report => {
  const read = (path: string): string | undefined => {
    const full = resolve(root, path)
    if (relative(root, full).startsWith("..") || !existsSync(full)) return undefined
    return statSync(full).isDirectory() ? "" : readFileSync(full, "utf8")
  }
  // the root README shows samples too: it is checked like the pages under docs/
  const files = [...(existsSync(join(root, "README.md")) ? ["README.md"] : []), ...markdownFiles(root, "docs", ["docs/api", "docs/snippets"])]
  const drifted: Array<Problem> = []
  const problems: Array<Problem> = []
  let samples = 0
  for (const file of files) {
    const markdown = readFileSync(join(root, file), "utf8")
    const synced = sync(markdown, file, read)
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
