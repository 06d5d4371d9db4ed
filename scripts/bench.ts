/**
 * `pnpm bench`: runs every package's benchmarks (`packages/<name>/bench/main.ts` and any
 * `packages/<name>/bench/*.bench.ts`, each printing a Markdown section on stdout) one after the other, and writes them to `docs/benchmarks.md` under a
 * header naming the machine, the Node version and the command.
 *
 * `pnpm bench core signature` runs only those packages.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const only = process.argv.slice(2)
const benchFiles = (name: string): Array<string> => {
  const dir = join(root, "packages", name, "bench")
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((file) => file === "main.ts" || file.endsWith(".bench.ts"))
    .sort((a, b) => (a === "main.ts" ? -1 : b === "main.ts" ? 1 : a.localeCompare(b)))
    .map((file) => join("packages", name, "bench", file))
}
const runs = readdirSync(join(root, "packages"))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort()
  .flatMap((name) => benchFiles(name).map((file) => ({ name, file })))

const sections: Array<string> = []
for (const { name, file } of runs) {
  process.stderr.write(`bench: @kho/${name} ${file}\n`)
  const run = spawnSync(process.execPath, [file], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024
  })
  if (run.status !== 0) {
    process.stderr.write(`bench: ${file} failed with exit code ${run.status}\n`)
    process.exit(1)
  }
  sections.push(run.stdout.trim())
}

const cpu = cpus()[0]?.model ?? "unknown CPU"
const header = [
  "# Benchmarks",
  "",
  "Written by `pnpm bench` (`node scripts/bench.ts`); do not edit by hand. Every figure stands beside a",
  "reference measured in the same run on the same machine: compare the ratios, not the absolute numbers,",
  "since the machines are shared and noisy.",
  "",
  `- Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  `- Node ${process.version}, ${process.platform}-${process.arch}`,
  `- Date: ${new Date().toISOString().slice(0, 10)}`,
  `- Command: \`pnpm bench${only.length > 0 ? " " + only.join(" ") : ""}\``,
  ""
].join("\n")

const out = join(root, "docs", "benchmarks.md")
if (only.length > 0 && existsSync(out)) {
  process.stderr.write("bench: a partial run does not overwrite docs/benchmarks.md; printing instead\n")
  process.stdout.write(header + "\n" + sections.join("\n\n") + "\n")
} else {
  writeFileSync(out, header + "\n" + sections.join("\n\n") + "\n")
  process.stderr.write(`bench: wrote ${out}\n`)
}
