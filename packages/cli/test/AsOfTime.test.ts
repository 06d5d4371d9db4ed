/**
 * Cutting a log "as of" an instant (`log replay --until`, `kpi --as-of`): the instant must carry its
 * offset and be a real date and time (else exit 64, with an example), and a log whose `recordedAt`
 * goes backwards is refused for a time cut (exit 65, naming the position): there, "as of T" is not a
 * prefix of the log and the figures would silently miss events recorded before T.
 */
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { rmSync } from "node:fs"
import * as ExitCode from "../src/ExitCode.ts"
import { jsonOf, kho } from "./utils/cli.ts"
import { dossierEvents, march, ndjson, seal, tempDir } from "./utils/logs.ts"

const tmp = tempDir("kho-cli-as-of-time-")
afterAll(() => rmSync(tmp.dir, { recursive: true, force: true }))

// dossier k is recorded at 2024-02-29T17:00Z + 6h·k, two events each (positions 2k+1, 2k+2)
const received = march(40)
const inOrder = seal(dossierEvents(received))
const inOrderLog = tmp.write("in-order.ndjson", ndjson(inOrder))

// A second writer whose clock ran 3 days and 15 hours slow recorded dossier 20 (positions 41 and 42)
// at 02:00Z on 2 March, between dossiers 9 and 10; the log is resealed, so its chain is intact.
const slowAt = "2024-03-02T02:00:00.000Z"
const skewed = seal(dossierEvents(received).map((e, i) => (i === 40 || i === 41 ? { ...e, recordedAt: slowAt } : e)))
const skewedLog = tmp.write("skewed.ndjson", ndjson(skewed))
// 10:00 on 2 March in Vietnam: after dossier 20 was recorded, before dossier 10 was
const cut = "2024-03-02T10:00:00+07:00"

describe("a time cut over a log whose recordedAt goes backwards", () => {
  it.effect("the chain itself is intact: log verify says so", () =>
    Effect.gen(function*() {
      const run = yield* kho("log", "verify", skewedLog, "--json")
      assert.strictEqual(run.code, ExitCode.OK, run.stderr)
      assert.strictEqual((jsonOf(run) as any).verdict, "intact")
    }))

  it.effect("log replay --until an instant refuses it, naming the position and pointing to a cut by position", () =>
    Effect.gen(function*() {
      const run = yield* kho("log", "replay", skewedLog, "--until", cut, "--json")
      assert.strictEqual(run.code, ExitCode.DATA_ERR, run.stdout)
      const said = run.stdout + run.stderr
      assert.include(said, "RecordedAtDecreases")
      assert.include(said, "position 41")
      assert.include(said, "cut by position")
    }))

  it.effect("kpi --as-of an instant refuses it too", () =>
    Effect.gen(function*() {
      const run = yield* kho("kpi", skewedLog, "--period", "2024-03", "--as-of", cut, "--format", "json", "--out", tmp.path("kpi.json"))
      assert.strictEqual(run.code, ExitCode.DATA_ERR, run.stdout)
      assert.include(run.stdout + run.stderr, "position 41")
    }))

  it.effect("a cut by position, and a time cut over the log in order, still give figures", () =>
    Effect.gen(function*() {
      const byPosition = yield* kho("log", "replay", skewedLog, "--until", "40", "--json")
      assert.strictEqual(byPosition.code, ExitCode.OK, byPosition.stderr)
      assert.strictEqual((jsonOf(byPosition) as any).ledger.totals.received, 20)

      const byTime = yield* kho("log", "replay", inOrderLog, "--until", cut, "--json")
      assert.strictEqual(byTime.code, ExitCode.OK, byTime.stderr)
      const known = inOrder.filter((e) => Date.parse(e.recordedAt) <= Date.parse(cut))
      assert.strictEqual((jsonOf(byTime) as any).position, known.at(-1)!.globalPosition)
    }))
})

describe("--until / --as-of instants", () => {
  const refused = [
    "2024-03-02T10:00:00", // no offset: a different instant on every machine
    "2024-03-02T10:00", //
    "2024-02-30T10:00:00+07:00", // no 30 February (would roll over into March)
    "2023-02-29T10:00:00Z", // not a leap year
    "2024-03-02T24:00:00Z",
    "2024-03-02T10:60:00Z",
    "2024-03-02T10:00:00+07:60",
    "2024-03-02T10:00:00+0700"
  ]
  for (const text of refused) {
    it.effect(`refuses ${text} with exit 64 and an accepted example`, () =>
      Effect.gen(function*() {
        const replay = yield* kho("log", "replay", inOrderLog, "--until", text)
        assert.strictEqual(replay.code, ExitCode.USAGE, replay.stdout)
        assert.include(replay.stdout + replay.stderr, "2024-02-15T10:00:00+07:00")
        const kpi = yield* kho("kpi", inOrderLog, "--period", "2024-03", "--as-of", text, "--out", tmp.path("refused.txt"))
        assert.strictEqual(kpi.code, ExitCode.USAGE, kpi.stdout)
      }))
  }

  it.effect("accepts Z, ±hh:mm, seconds left out, fractions and 29 February of a leap year", () =>
    Effect.gen(function*() {
      for (
        const [text, time] of [
          ["2024-03-02T03:00:00Z", "2024-03-02T03:00:00.000Z"],
          ["2024-03-02T10:00+07:00", "2024-03-02T03:00:00.000Z"],
          ["2024-03-01T22:30:00.250-04:30", "2024-03-02T03:00:00.250Z"],
          ["2024-02-29T23:59:59+07:00", "2024-02-29T16:59:59.000Z"]
        ] as const
      ) {
        const run = yield* kho("log", "replay", inOrderLog, "--until", text, "--json")
        assert.strictEqual(run.code, ExitCode.OK, `${text}: ${run.stderr}`)
        assert.deepStrictEqual((jsonOf(run) as any).until, { time })
      }
    }))
})
