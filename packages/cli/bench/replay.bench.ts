/**
 * `node packages/cli/bench/replay.bench.ts`: `kho log replay` on a generated log of 1 000 000 events
 * (`KHO_BENCH_EVENTS` to change it), beside a raw reference measured in the same run on the same file:
 * reading it line by line and `JSON.parse`-ing every line. Prints one Markdown section on stdout.
 *
 * The log is written streaming (never whole in memory): 250 000 dossiers of An Lão units, four
 * events each (drafted, submitted, received with its components, result issued), hash-chained with
 * `HashChain.seal`, interleaved so that streams overlap as in a real log.
 *
 * Both sides run in child processes so that their peak memory can be read: a module preloaded with
 * `--import` reports `process.resourceUsage().maxRSS` and the largest V8 heap seen (sampled every
 * 20 ms) when the process exits. The replay is also run on a tenth of the log: memory that does not
 * grow with the log's length is what "bounded" means here.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { writeDossierLog } from "../test/utils/dossierLog.ts"

const EVENTS = Number(process.env.KHO_BENCH_EVENTS ?? 1_000_000)
const RUNS = 3
const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

// ---------------------------------------------------------------------------------------------
// measuring a child process
// ---------------------------------------------------------------------------------------------

const probe = "data:text/javascript," + encodeURIComponent(
  "let peak=0;const t=setInterval(()=>{const h=process.memoryUsage().heapUsed;if(h>peak)peak=h},20);t.unref();" +
    "process.on('exit',()=>{const h=process.memoryUsage().heapUsed;if(h>peak)peak=h;" +
    "process.stderr.write('\\nKHO_BENCH '+JSON.stringify({maxRss:process.resourceUsage().maxRSS*1024,peakHeap:peak})+'\\n')})"
)

interface Measured {
  readonly seconds: number
  readonly maxRss: number
  readonly peakHeap: number
  readonly stdout: string
}

const measure = (args: ReadonlyArray<string>): Measured => {
  const started = process.hrtime.bigint()
  const run = spawnSync(process.execPath, ["--import", probe, ...args], { encoding: "utf8", maxBuffer: 64 * 2 ** 20 })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (run.status !== 0) throw new Error(`${args.join(" ")} exited with ${run.status}: ${run.stderr}`)
  const line = run.stderr.split("\n").find((l) => l.startsWith("KHO_BENCH "))
  if (line === undefined) throw new Error(`no memory report from ${args.join(" ")}`)
  const { maxRss, peakHeap } = JSON.parse(line.slice("KHO_BENCH ".length))
  return { seconds, maxRss, peakHeap, stdout: run.stdout }
}

/** The reference: read the file in 1 MiB chunks, split lines, `JSON.parse` each (a module of its own). */
const reference = (
  "import{createReadStream}from'node:fs';let n=0,rest='';" +
    "for await(const c of createReadStream(process.argv[1],{encoding:'utf8',highWaterMark:1<<20})){" +
    "const parts=(rest+c).split('\\n');rest=parts.pop();for(const l of parts){JSON.parse(l);n++}}" +
    "if(rest.length>0){JSON.parse(rest);n++}process.stdout.write(String(n))"
)

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`
const rate = (n: number, seconds: number): string => `${Math.round(n / seconds).toLocaleString("en-US")}/s`

// ---------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "kho-bench-replay-"))
try {
  const full = join(dir, "log.ndjson")
  const tenth = join(dir, "tenth.ndjson")
  process.stderr.write(`bench: generating ${EVENTS} events\n`)
  const generated = performance.now()
  const { headHash } = await writeDossierLog(full, EVENTS)
  await writeDossierLog(tenth, Math.round(EVENTS / 10))
  const generation = (performance.now() - generated) / 1000
  const size = statSync(full).size

  process.stderr.write("bench: JSON.parse reference\n")
  const refs = Array.from({ length: RUNS }, () => measure(["--input-type=module", "-e", reference, full]))
  if (Number(refs[0]!.stdout) !== EVENTS) throw new Error(`the reference read ${refs[0]!.stdout} lines`)
  const refSeconds = median(refs.map((r) => r.seconds))

  process.stderr.write("bench: kho log replay\n")
  const replay = measure([bin, "log", "replay", full, "--json", "--no-progress"])
  const result = JSON.parse(replay.stdout)
  if (result.position !== EVENTS || result.headHash !== headHash) throw new Error(`the replay stopped at ${result.position}`)
  const small = measure([bin, "log", "replay", tenth, "--json", "--no-progress"])
  process.stderr.write("bench: kho log verify\n")
  const verify = measure([bin, "log", "verify", full, "--json", "--no-progress"])
  const startup = measure([bin, "--version"])

  const lines = [
    "## @kho/cli — replaying a log",
    "",
    `A generated log of ${EVENTS.toLocaleString("en-US")} events (${mib(size)} of NDJSON, ${(EVENTS / 4).toLocaleString("en-US")} ` +
    `dossiers in as many streams, written in ${generation.toFixed(1)} s), replayed by \`kho log replay FILE --json\` in a ` +
    "child process: every line decoded and validated, every hash recomputed, the chain and stream versions checked, " +
    "and every event folded into the KPI ledger. The reference reads the same file in a child process, line by " +
    `line, and only \`JSON.parse\`s each line (median of ${RUNS}). Times are wall-clock and include process start ` +
    `(\`kho --version\` takes ${startup.seconds.toFixed(2)} s).`,
    "",
    "| Run | Events | Time | Throughput | vs `JSON.parse` | Peak RSS | Peak V8 heap |",
    "|---|---:|---:|---:|---:|---:|---:|",
    `| \`JSON.parse\` per line (reference) | ${EVENTS.toLocaleString("en-US")} | ${refSeconds.toFixed(2)} s | ${rate(EVENTS, refSeconds)} | 1.00× | ${mib(refs[0]!.maxRss)} | ${mib(refs[0]!.peakHeap)} |`,
    `| \`kho log replay\` | ${EVENTS.toLocaleString("en-US")} | ${replay.seconds.toFixed(2)} s | ${rate(EVENTS, replay.seconds)} | ${(refSeconds / replay.seconds).toFixed(2)}× | ${mib(replay.maxRss)} | ${mib(replay.peakHeap)} |`,
    `| \`kho log verify\` | ${EVENTS.toLocaleString("en-US")} | ${verify.seconds.toFixed(2)} s | ${rate(EVENTS, verify.seconds)} | ${(refSeconds / verify.seconds).toFixed(2)}× | ${mib(verify.maxRss)} | ${mib(verify.peakHeap)} |`,
    `| \`kho --version\` (start-up only) | — | ${startup.seconds.toFixed(2)} s | — | — | ${mib(startup.maxRss)} | ${mib(startup.peakHeap)} |`,
    `| \`kho log replay\`, a tenth of the log | ${Math.round(EVENTS / 10).toLocaleString("en-US")} | ${small.seconds.toFixed(2)} s | ${rate(EVENTS / 10, small.seconds)} | — | ${mib(small.maxRss)} | ${mib(small.peakHeap)} |`,
    "",
    `Memory: replaying ten times more events took ${mib(replay.maxRss)} instead of ${mib(small.maxRss)} of RSS. What ` +
    "grows is one stream-version counter per stream (the chain check: here one stream per dossier) and the ledger's " +
    "agencies × days counters; no event is kept. The file is read in 1 MiB chunks."
  ]
  process.stdout.write(lines.join("\n") + "\n")
} finally {
  rmSync(dir, { recursive: true, force: true })
}
