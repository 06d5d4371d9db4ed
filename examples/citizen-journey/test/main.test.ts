/**
 * The citizen journey: what each step of Appendix II must show, the same lines on any event store,
 * and the one command of the README.
 */
import { assert, describe, it } from "@effect/vitest"
import * as EventStore from "@kho/core/EventStore"
import * as FileStore from "@kho/core/FileStore"
import { Effect, Layer } from "effect"
import { execFile } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { OWNER_ID, run } from "../src/Journey.ts"
import { layer as sqlite } from "../src/SqliteJourney.ts"

const silent = { print: () => Effect.void }

const inTempDir = <A, E>(f: (dir: string) => Effect.Effect<A, E>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "kho-journey-test-"))),
    f,
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

describe("citizen journey", () => {
  it.live("walks Appendix II on SQLite: upload, refusals, matching, counter, complaint, access log, chain", () =>
    inTempDir((dir) =>
      Effect.gen(function*() {
        const summary = yield* run(silent).pipe(Effect.provide(sqlite(dir)))

        // Part I: the signed upload passes; each bad upload is refused with its own reason
        assert.strictEqual(summary.uploaded.indication, "TOTAL_PASSED")
        assert.strictEqual(summary.uploaded.signer, "Văn phòng HĐND và UBND huyện An Lão")
        assert.deepStrictEqual(summary.refused.map((r) => r.error), ["SignatureNotAccepted", "SignatureNotAccepted", "InvalidDocument"])
        assert.match(summary.refused[0]!.message, /does not chain to a trusted anchor/)
        assert.match(summary.refused[1]!.message, /changed after signing.*HASH_FAILURE/)
        assert.match(summary.refused[2]!.message, /is not a PDF/)

        // Part II: one automatic attachment, one choice among two
        assert.deepStrictEqual(summary.online.autoAttached.map((a) => [a.componentId, a.documentId]), [[
          "xac-nhan-tinh-trang-hon-nhan",
          "xac-nhan-hon-nhan"
        ]])
        assert.deepStrictEqual([...summary.online.suggested].sort(), ["ban-sao-cccd", "cccd"])
        assert.strictEqual(summary.online.dossierNumber, "000.23.30.H08-240320-0001")

        // Part III: paper the store already holds is not scanned
        assert.strictEqual(summary.counter.refusedScan.error, "ReusableDocumentExists")
        assert.match(summary.counter.refusedScan.message, /attach it instead of scanning paper/)
        assert.strictEqual(summary.counter.dossierNumber, "000.23.30.H08-240320-0002")

        // Part IV: routed to the issuing commune, excluded while open, superseded by the correction
        assert.strictEqual(summary.complaint.agencyCode, "000.27.30.H08")
        assert.match(summary.complaint.excludedWhileOpen, /open complaint/)
        assert.strictEqual(summary.complaint.status, "Resolved")
        assert.strictEqual(summary.complaint.supersededId, "xac-nhan-hon-nhan")

        // Part V: every lookup and every use is in the owner's log; the chain is intact
        const log = summary.accessLog
        const counterLookups = log.filter((e) => e.kind === "Accessed" && e.channel === "counter")
        assert.isAtLeast(counterLookups.length, 1)
        assert.isTrue(counterLookups.every((e) => e.actor._tag === "Officer" && e.procedure === "1.001193"))
        assert.isTrue(log.some((e) => e.kind === "Accessed" && e.channel === "online" && e.actor._tag === "Citizen"))
        assert.deepStrictEqual(
          log.filter((e) => e.kind === "Used").map((e) => `${e.dossierNumber} ${e.documentId}`).sort(),
          [
            "000.23.30.H08-240320-0001 ban-sao-cccd",
            "000.23.30.H08-240320-0001 xac-nhan-hon-nhan",
            "000.23.30.H08-240320-0002 cccd"
          ]
        )
        assert.strictEqual(summary.chain._tag, "ChainIntact")
        if (summary.chain._tag === "ChainIntact") {
          assert.strictEqual(summary.chain.count, summary.head.position)
          assert.strictEqual(summary.chain.headHash, summary.head.hash)
        }
        assert.isTrue(summary.lines.some((line) => line.includes(`số định danh ${OWNER_ID}`)))
      })
    ))

  it.live("prints the same lines on SQLite and in memory (the clock is scripted)", () =>
    inTempDir((dir) =>
      Effect.gen(function*() {
        const onSqlite = yield* run(silent).pipe(Effect.provide(sqlite(dir)))
        const inMemory = yield* run(silent).pipe(
          Effect.provide(Layer.merge(EventStore.layerMemory, FileStore.layerMemory))
        )
        assert.deepStrictEqual(inMemory.lines, onSqlite.lines)
        assert.strictEqual(inMemory.head.position, onSqlite.head.position)
      })
    ))

  it.live("runs as one command: node examples/citizen-journey/main.ts", () =>
    Effect.gen(function*() {
      const main = new URL("../main.ts", import.meta.url).pathname
      const { stdout } = yield* Effect.promise(() => promisify(execFile)(process.execPath, [main], { encoding: "utf8" }))
      assert.include(stdout, "Bước 7")
      assert.include(stdout, "tự động đính kèm / exactly one eligible: attached automatically")
      assert.include(stdout, "SignatureNotAccepted")
      assert.include(stdout, "Real VGCA roots (Ban Cơ yếu Chính phủ G1/G2) are configured data")
      assert.match(stdout, /✓ toàn vẹn \/ intact: \d+ sự kiện/)
    }))
})
