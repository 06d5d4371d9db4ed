/**
 * Every package as a user gets it: build (`tsc -b tsconfig.build.json`), `pnpm pack` each package,
 * install the tarballs with npm into a scratch project in the OS temp directory (outside the
 * workspace, so nothing resolves through workspace links), then
 * - check the installed packages: `exports` point at `dist`, `./internal/*` is hidden, no
 *   `workspace:` range is left, and the emitted JavaScript imports `.js`, never `.ts`;
 * - typecheck every README example against the installed declarations;
 * - run every README example (```ts example blocks with this test's Node; ```sh example blocks with
 *   bash, `node_modules/.bin` on PATH). The store-postgres example gets a throwaway cluster.
 * Slow by nature (one npm install): one test, about a minute with a warm npm cache.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile as execFileCallback } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { promisify } from "node:util"

const execFile = promisify(execFileCallback)
const root = resolve(import.meta.dirname, "../../..")
const packagesDir = join(root, "packages")
const node = process.execPath
const pnpm = ["-y", "pnpm@12.4.2"]

interface Manifest {
  readonly name: string
  readonly version: string
  readonly private?: boolean
  readonly exports?: Record<string, unknown>
  readonly bin?: Record<string, string>
  readonly dependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
}

const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, "utf8")) as Manifest

/** The fenced blocks of a README marked `example`, with their language. */
const examplesOf = (markdown: string): ReadonlyArray<{ readonly lang: "ts" | "sh"; readonly code: string }> =>
  [...markdown.matchAll(/^```(ts|sh) example\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] as "ts" | "sh", code: m[2]! }))

const filesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]
  )

/** Relative specifiers ending in `.ts` (not `.d.ts` declarations of ambient modules). */
const tsImport = /(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']*\.ts)["']/

const run = async (file: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv = process.env) => {
  try {
    return await execFile(file, args, { cwd, env, maxBuffer: 32 * 1024 * 1024, timeout: 120_000 })
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`)
  }
}

const packages = readdirSync(packagesDir).filter((name) => existsSync(join(packagesDir, name, "package.json"))).sort()

describe("packaging", () => {
  it("packs every package, installs the tarballs outside the workspace and runs each README's example", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "kho-pack-"))
    const tarballs = join(scratch, "tarballs")
    const project = join(scratch, "project")
    mkdirSync(tarballs)
    mkdirSync(project)
    let cluster: { readonly url: string; readonly stop: () => void } | undefined
    try {
      expect(relative(root, project).startsWith("..")).toBe(true)

      // 1. build and pack (pnpm applies publishConfig and rewrites workspace: ranges)
      await run(node, [join(root, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.build.json"], root)
      const manifests = packages.map((name) => ({ dir: name, manifest: readJson(join(packagesDir, name, "package.json")) }))
      for (const { dir } of manifests) {
        expect(existsSync(join(packagesDir, dir, "dist/index.js")), `${dir} has no dist/index.js after the build`).toBe(true)
        expect(existsSync(join(packagesDir, dir, "dist/index.d.ts")), `${dir} has no dist/index.d.ts`).toBe(true)
      }
      await Promise.all(manifests.map(({ dir }) =>
        run("npx", [...pnpm, "pack", "--pack-destination", tarballs], join(packagesDir, dir))
      ))
      const packed = readdirSync(tarballs).filter((f) => f.endsWith(".tgz"))
      expect(packed).toHaveLength(manifests.length)

      // 2. a scratch project that depends on every tarball, plus the third-party peers
      const tarballOf = (name: string) => {
        const file = packed.find((f) => f.startsWith(`${name.replace("@", "").replace("/", "-")}-`))
        if (file === undefined) throw new Error(`no tarball for ${name} among ${packed.join(", ")}`)
        return `file:${join(tarballs, file)}`
      }
      const khoDeps = Object.fromEntries(manifests.map(({ manifest }) => [manifest.name, tarballOf(manifest.name)]))
      const versionOf = (name: string) => readJson(join(root, "node_modules", name, "package.json")).version
      const fpTsVersion = readJson(join(packagesDir, "fp-ts/node_modules/fp-ts/package.json")).version
      writeFileSync(
        join(project, "package.json"),
        JSON.stringify(
          {
            name: "kho-scratch",
            private: true,
            type: "module",
            dependencies: { ...khoDeps, effect: versionOf("effect"), "fp-ts": fpTsVersion },
            // a dependency of one @kho package on another resolves to its tarball, never to a registry
            overrides: khoDeps
          },
          null,
          2
        )
      )
      await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], project)

      // 3. what was installed is what a user gets
      for (const { manifest } of manifests) {
        const installedDir = join(project, "node_modules", manifest.name)
        const installed = readJson(join(installedDir, "package.json"))
        expect(installed.exports?.["."], manifest.name).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" })
        expect(installed.exports?.["./internal/*"], manifest.name).toBeNull()
        for (const range of Object.values({ ...installed.dependencies, ...installed.peerDependencies })) {
          expect(range, `${manifest.name} depends on ${range}`).not.toMatch(/^workspace:/)
        }
        for (const file of filesUnder(join(installedDir, "dist"))) {
          // declarations keep `./X.ts`, which TypeScript resolves to `./X.d.ts` (docs/adr/0091)
          if (!file.endsWith(".js")) continue
          const match = readFileSync(file, "utf8").split("\n").find((line) => tsImport.test(line))
          expect(match, `${relative(project, file)} imports a .ts file`).toBeUndefined()
        }
      }
      const hidden = await execFile(node, [
        "--input-type=module",
        "-e",
        "import('@kho/core/internal/canonicalJson').then(() => console.log('visible'), (e) => console.log(e.code))"
      ], { cwd: project })
      expect(hidden.stdout.trim()).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED")
      const subpath = await execFile(node, ["--input-type=module", "-e", "import('@kho/core/Actor').then((m) => console.log(typeof m.label))"], {
        cwd: project
      })
      expect(subpath.stdout.trim()).toBe("function")

      // 4. every README has an example; extract them
      const examplesDir = join(project, "examples")
      mkdirSync(examplesDir)
      const examples = manifests.flatMap(({ dir }) => {
        const blocks = examplesOf(readFileSync(join(packagesDir, dir, "README.md"), "utf8"))
        expect(blocks.length, `packages/${dir}/README.md has no \`\`\`ts example or \`\`\`sh example block`).toBeGreaterThan(0)
        return blocks.map((block, i) => {
          const file = join(examplesDir, `${dir}${i === 0 ? "" : `-${i + 1}`}.${block.lang}`)
          writeFileSync(file, block.code)
          return { dir, file, lang: block.lang }
        })
      })

      // 5. typecheck the TypeScript examples against the installed declarations
      writeFileSync(
        join(project, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2024",
            lib: ["ES2024", "ESNext.Disposable"],
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            verbatimModuleSyntax: true,
            allowImportingTsExtensions: true,
            noEmit: true,
            skipLibCheck: true,
            types: ["node"],
            typeRoots: [join(root, "node_modules/@types")]
          },
          include: ["examples/*.ts"]
        })
      )
      await run(node, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--pretty", "false"], project)

      // 6. run them; Postgres's gets a throwaway cluster
      if (examples.some((e) => e.dir === "store-postgres")) {
        const pgCluster = join(packagesDir, "store-postgres/test/utils/pgCluster.ts")
        const module = (await import(pathToFileURL(pgCluster).href)) as {
          readonly start: () => Promise<{ readonly url: string; readonly stop: () => void }>
        }
        cluster = await module.start()
      }
      const env = {
        ...process.env,
        PATH: `${join(project, "node_modules/.bin")}:${dirname(node)}:${process.env["PATH"] ?? ""}`,
        ...(cluster === undefined ? {} : { DATABASE_URL: cluster.url })
      }
      const outputs: Array<string> = []
      for (const example of examples) {
        const { stdout } = example.lang === "ts"
          ? await run(node, [example.file], project, env)
          : await run("bash", ["-euo", "pipefail", example.file], project, env)
        outputs.push(`${example.dir}: ${stdout.trim().split("\n")[0] ?? ""}`)
      }
      expect(outputs).toHaveLength(examples.length)
    } finally {
      cluster?.stop()
      rmSync(scratch, { recursive: true, force: true })
    }
  }, 300_000)
})
