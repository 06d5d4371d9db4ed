import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import {
  anchors,
  brokenLinks,
  CHECKED_BY,
  checkedElsewhere,
  dedent,
  languageOf,
  README_EXAMPLES_TEST,
  regions,
  run,
  slug,
  sync
} from "./docs-snippets.ts"

const source = [
  "import { x } from \"y\"",
  "",
  "// #region outer",
  "export const a = 1",
  "  // #region inner",
  "  if (a) {",
  "    call()",
  "  }",
  "  // #endregion inner",
  "// #endregion outer",
  "// #region last",
  "done()",
  "// #endregion"
].join("\n")

const files: Record<string, string> = { "docs/snippets/s.ts": source }
const read = (path: string) => files[path]

const doc = (...lines: ReadonlyArray<string>) => lines.join("\n")

describe("regions", () => {
  it("reads nested regions, leaving inner markers out and removing shared indentation", () => {
    const found = regions(source, "s.ts")
    assert.deepStrictEqual(found.problems, [])
    assert.strictEqual(found.regions.get("outer"), "export const a = 1\n  if (a) {\n    call()\n  }")
    assert.strictEqual(found.regions.get("inner"), "if (a) {\n  call()\n}")
    assert.strictEqual(found.regions.get("last"), "done()")
  })

  it("names unclosed, unopened, mismatched and duplicate regions", () => {
    const bad = regions(
      ["// #region a", "// #endregion b", "// #endregion", "// #region a", "// #endregion", "// #region open"].join("\n"),
      "bad.ts"
    )
    assert.deepStrictEqual(bad.problems.map((p) => [p.line, p.message.split(" ")[0]]), [
      [2, "#endregion"],
      [3, "#endregion"],
      [4, "region"],
      [6, "region"]
    ])
    assert.match(bad.problems[0]!.message, /closes region "a"/)
    assert.match(bad.problems[2]!.message, /defined twice/)
    assert.match(bad.problems[3]!.message, /has no #endregion/)
  })

  it("dedents by the smallest indentation of non-blank lines", () => {
    assert.deepStrictEqual(dedent(["    a", "", "      b", "  "]), ["a", "", "  b", ""])
  })
})

describe("sync", () => {
  it("leaves a sample that matches its region alone", () => {
    const markdown = doc("Text", "<!-- snippet: docs/snippets/s.ts#last -->", "```ts", "done()", "```", "after")
    const synced = sync(markdown, "docs/a.md", read)
    assert.deepStrictEqual(synced, { text: markdown, drifted: 0, samples: 1, problems: [] })
  })

  it("replaces a drifted sample with its region, keeping the fence and its indentation", () => {
    const markdown = doc(
      "- a list item:",
      "  <!-- snippet: docs/snippets/s.ts#inner -->",
      "  ```ts",
      "  old()",
      "  ```",
      "end"
    )
    const synced = sync(markdown, "docs/a.md", read)
    assert.strictEqual(synced.drifted, 1)
    assert.strictEqual(
      synced.text,
      doc("- a list item:", "  <!-- snippet: docs/snippets/s.ts#inner -->", "  ```ts", "  if (a) {", "    call()", "  }", "  ```", "end")
    )
    assert.strictEqual(sync(synced.text, "docs/a.md", read).drifted, 0)
  })

  it("reports a missing file, a missing region, a marker without a block and an unclosed block", () => {
    const markdown = doc(
      "<!-- snippet: docs/snippets/none.ts#x -->",
      "```ts",
      "```",
      "<!-- snippet: docs/snippets/s.ts#nope -->",
      "```ts",
      "```",
      "<!-- snippet: docs/snippets/s.ts#last -->",
      "",
      "<!-- snippet: docs/snippets/s.ts#last -->",
      "```ts",
      "done()"
    )
    const synced = sync(markdown, "docs/a.md", read)
    assert.deepStrictEqual(synced.problems.map((p) => p.line), [1, 4, 7, 10])
    assert.match(synced.problems[0]!.message, /none\.ts does not exist/)
    assert.match(synced.problems[1]!.message, /no region "nope"; it has inner, outer, last/)
    assert.match(synced.problems[2]!.message, /must be followed at once by a fenced code block/)
    assert.match(synced.problems[3]!.message, /never closed/)
    assert.strictEqual(synced.text, markdown)
  })

  it("fails on every TypeScript or JavaScript block without a marker, and only on those", () => {
    const markdown = doc(
      "```ts",
      "anything()",
      "```",
      "```typescript",
      "```",
      "  ```js title=\"x.js\"",
      "  ```",
      "~~~tsx",
      "~~~",
      "```sh",
      "kho --help",
      "```",
      "```text",
      "const notMeantToCompile = …",
      "```",
      "```",
      "plain",
      "```",
      "```` ```ts example ```` is inline code, not a block",
      "````md",
      "```ts",
      "inside an outer block: shown as text, not checked",
      "```",
      "<!-- snippet: docs/snippets/s.ts#last -->",
      "````"
    )
    const synced = sync(markdown, "docs/a.md", read)
    assert.deepStrictEqual(synced.problems.map((p) => p.line), [1, 4, 6, 8])
    assert.match(synced.problems[0]!.message, /a ```ts block without a snippet marker: nothing compiles it/)
    assert.match(synced.problems[0]!.message, /<!-- snippet: docs\/snippets\/<file>\.ts#<region> -->/)
    assert.match(synced.problems[2]!.message, /```js title="x\.js" block/)
    assert.strictEqual(synced.samples, 0) // the marker inside the ```` block is text
    assert.strictEqual(synced.text, markdown)
  })

  it("excuses an unmarked block only when another test compiles it", () => {
    const markdown = doc("```ts example", "run()", "```", "```ts", "other()", "```")
    const asked: Array<string> = []
    const synced = sync(markdown, "docs/a.md", read, (fence) => {
      asked.push(fence)
      return fence === "```ts example" ? "the packaging test" : undefined
    })
    assert.deepStrictEqual(asked, ["```ts example", "```ts"])
    assert.deepStrictEqual(synced.problems.map((p) => p.line), [4])
  })

  it("reads the language from the first word of the info string", () => {
    assert.deepStrictEqual(["ts example", " TypeScript ", "", "js title=x"].map(languageOf), ["ts", "typescript", "", "js"])
  })
})

describe("checkedElsewhere", () => {
  it("names the test for exactly the blocks that test reads", () => {
    assert.strictEqual(checkedElsewhere("packages/core/README.md", "```ts example"), README_EXAMPLES_TEST)
    assert.strictEqual(checkedElsewhere("packages/core/README.md", "```ts"), undefined)
    assert.strictEqual(checkedElsewhere("packages/core/README.md", "```typescript example"), undefined)
    assert.strictEqual(checkedElsewhere("docs/embedding.md", "```ts example"), undefined)
    assert.strictEqual(checkedElsewhere("README.md", "```ts example"), undefined)
    assert.strictEqual(checkedElsewhere("docs/signature.md", "```ts"), CHECKED_BY.get("docs/signature.md"))
    assert.strictEqual(checkedElsewhere("docs/signature.md", "```typescript"), undefined)
  })

  it("every test named there exists and reads the blocks it excuses", () => {
    const repository = join(dirname(fileURLToPath(import.meta.url)), "..")
    for (const [page, test] of CHECKED_BY) {
      const source = readFileSync(join(repository, test), "utf8")
      assert.include(source, page, `${test} does not read ${page}`)
      assert.include(source, "/```ts\\n", `${test} does not read the page's \`\`\`ts blocks`)
    }
    assert.include(readFileSync(join(repository, README_EXAMPLES_TEST), "utf8"), "^```(ts|sh) example\\n")
  })
})

describe("links", () => {
  it("makes GitHub's anchors, numbering repeated headings", () => {
    assert.strictEqual(slug("Numbers: `{agency}-{yyMMdd}-{NNNN}`, gap-free"), "numbers-agency-yymmdd-nnnn-gap-free")
    assert.strictEqual(slug("Tỷ lệ khai thác (`reuse-rate`)"), "tỷ-lệ-khai-thác-reuse-rate")
    assert.deepStrictEqual([...anchors(doc("# A", "## A", "```", "# not a heading", "```", "### B ##"))], ["a", "a-1", "b"])
  })

  it("reports relative links to missing files and headings, and skips URLs and code", () => {
    const pages: Record<string, string> = {
      "docs/index.md": "# Home\n## Who reads this\n",
      "docs/guides": "",
      "README.md": "# Kho"
    }
    const markdown = doc(
      "# Page",
      "[ok](index.md) [ok](index.md#who-reads-this) [ok](#page) [ok](guides/) [ok](../README.md)",
      "[ok](https://example.org/x.md) [ok](mailto:a@b.c) `[not a link](gone.md)`",
      "[gone](gone.md) [bad anchor](index.md#nowhere) [bad own anchor](#nowhere)",
      "```md",
      "[in code](gone.md)",
      "```"
    )
    const problems = brokenLinks(markdown, "docs/page.md", (path) => pages[path])
    assert.deepStrictEqual(problems.map((p) => [p.line, p.message]), [
      [4, "gone.md does not exist (docs/gone.md)"],
      [4, "index.md#nowhere: docs/index.md has no heading #nowhere"],
      [4, "#nowhere names no heading of this file"]
    ])
  })
})

describe("run", () => {
  it("checks a whole docs folder, and rewrites drifted samples only with write", () => {
    const root = mkdtempSync(join(tmpdir(), "docs-snippets-"))
    mkdirSync(join(root, "docs/snippets"), { recursive: true })
    mkdirSync(join(root, "docs/api"), { recursive: true })
    writeFileSync(join(root, "docs/snippets/s.ts"), source)
    writeFileSync(join(root, "docs/api/generated.md"), "[gone](nowhere.md)")
    const stale = doc("# Doc", "<!-- snippet: docs/snippets/s.ts#last -->", "```ts", "stale()", "```", "")
    writeFileSync(join(root, "docs/a.md"), stale)

    const checked = run(root, { write: false })
    assert.deepStrictEqual([checked.files, checked.samples, checked.drifted.length, checked.problems.length], [1, 1, 1, 0])
    assert.strictEqual(readFileSync(join(root, "docs/a.md"), "utf8"), stale)

    run(root, { write: true })
    assert.include(readFileSync(join(root, "docs/a.md"), "utf8"), "```ts\ndone()\n```")
    assert.strictEqual(run(root, { write: false }).drifted.length, 0)
  })

  it("checks the READMEs of packages and examples too, excusing only a package's ```ts example block", () => {
    const root = mkdtempSync(join(tmpdir(), "docs-snippets-"))
    for (const dir of ["packages/a", "packages/b", "examples/c", "docs"]) mkdirSync(join(root, dir), { recursive: true })
    writeFileSync(join(root, "README.md"), doc("# Repo", "```ts example", "x()", "```"))
    writeFileSync(join(root, "packages/a/README.md"), doc("# a", "```ts example", "x()", "```"))
    writeFileSync(join(root, "packages/b/README.md"), doc("# b", "```ts", "x()", "```"))
    writeFileSync(join(root, "examples/c/README.md"), doc("# c", "```js", "x()", "```", "```sh", "x", "```"))
    const checked = run(root, { write: false })
    assert.strictEqual(checked.files, 4)
    assert.deepStrictEqual(checked.problems.map((p) => `${p.file}:${p.line}`), [
      "README.md:2",
      "packages/b/README.md:2",
      "examples/c/README.md:2"
    ])
  })

  it("the repository's own docs: every sample matches its snippet region and every link resolves", () => {
    const repository = join(dirname(fileURLToPath(import.meta.url)), "..")
    const report = run(repository, { write: false }) // checks only: nothing is written
    const show = (p: { readonly file: string; readonly line: number; readonly message: string }) =>
      `${p.file}:${p.line}: ${p.message}`
    assert.deepStrictEqual([...report.problems, ...report.drifted].map(show), [])
    assert.isAbove(report.samples, 0)
    assert.isAbove(report.files, 20) // the READMEs of packages and examples, and the docs
  })
})
