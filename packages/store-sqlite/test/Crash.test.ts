/**
 * Crash safety: two child processes append to one file while the parent kills them with SIGKILL at
 * random moments, 20 times. Afterwards every acknowledged append is in the log with the hash the
 * child was told, nothing is torn (the chain recomputes end to end, stream versions are dense).
 */
import { EventStore } from "@kho/core/EventStore"
import { it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert } from "vitest"
import * as HashChain from "@kho/core/HashChain"
import { SqliteEventStore } from "../src/index.ts"

const writerScript = new URL("./fixtures/crashWriter.ts", import.meta.url).pathname

interface Run {
  readonly acks: Array<{ position: number; hash: string }>
  readonly stderr: Array<string>
}

/** Starts a writer, lets it acknowledge `minAcks` appends, then waits `extraMs` and SIGKILLs it. */
const runAndKill = (filename: string, writer: string, minAcks: number, extraMs: number): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, filename, writer], { stdio: ["ignore", "pipe", "pipe"] })
    const run: Run = { acks: [], stderr: [] }
    let buffer = ""
    let killTimer: NodeJS.Timeout | undefined
    const safety = setTimeout(() => child.kill("SIGKILL"), 20_000)
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffer += chunk
      let newline = buffer.indexOf("\n")
      while (newline >= 0) {
        const [position, hash] = buffer.slice(0, newline).split(" ")
        run.acks.push({ position: Number(position), hash: hash! })
        buffer = buffer.slice(newline + 1)
        newline = buffer.indexOf("\n")
      }
      if (killTimer === undefined && run.acks.length >= minAcks) {
        killTimer = setTimeout(() => child.kill("SIGKILL"), extraMs)
      }
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => run.stderr.push(chunk))
    child.on("error", reject)
    child.on("exit", (_code, signal) => {
      clearTimeout(safety)
      if (killTimer !== undefined) clearTimeout(killTimer)
      if (signal !== "SIGKILL") reject(new Error(`writer ${writer} exited by itself: ${run.stderr.join("")}`))
      else resolve(run)
    })
  })

it("acknowledged appends survive SIGKILL, untorn and chained (20 kills of 2 concurrent writers)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kho-crash-"))
  const filename = join(dir, "log.sqlite")
  const acks: Array<{ position: number; hash: string }> = []
  for (let round = 0; round < 10; round++) {
    const runs = await Promise.all([
      runAndKill(filename, "a", 1 + ((round * 7) % 40), (round * 13) % 30),
      runAndKill(filename, "b", 1 + ((round * 11) % 40), (round * 17) % 30)
    ])
    for (const run of runs) acks.push(...run.acks)
  }
  assert.isAbove(acks.length, 20, "the writers should have acknowledged appends before being killed")

  const log = await Effect.runPromise(
    Effect.gen(function*() {
      const store = yield* EventStore
      return yield* Stream.runCollect(store.readAll())
    }).pipe(Effect.provide(SqliteEventStore.layer({ filename })))
  )
  let previous = HashChain.GENESIS_HASH
  const versions = new Map<string, number>()
  for (const [index, event] of log.entries()) {
    assert.strictEqual(event.globalPosition, index + 1, "positions must be dense")
    assert.strictEqual(event.previousHash, previous, `event ${event.globalPosition} breaks the chain`)
    const { hash, ...rest } = event
    assert.strictEqual(HashChain.computeHash(rest), hash, `event ${event.globalPosition} is torn or altered`)
    const version = (versions.get(event.streamId) ?? 0) + 1
    assert.strictEqual(event.streamVersion, version, `stream ${event.streamId} skips a version`)
    versions.set(event.streamId, version)
    previous = hash
  }
  for (const ack of acks) {
    const event = log[ack.position - 1]
    assert.isDefined(event, `acknowledged position ${ack.position} was lost`)
    assert.strictEqual(event!.hash, ack.hash, `acknowledged position ${ack.position} changed`)
  }
  // every append is whole: the events of one command are contiguous and all present
  const byCommand = new Map<string, Array<number>>()
  for (const event of log) byCommand.set(event.commandId, [...(byCommand.get(event.commandId) ?? []), event.globalPosition])
  for (const [commandId, positions] of byCommand) {
    const expected = 1 + (Number(commandId.split("-").pop()) % 4)
    assert.strictEqual(positions.length, expected, `command ${commandId} was torn`)
  }
  rmSync(dir, { recursive: true, force: true })
}, 90_000)
