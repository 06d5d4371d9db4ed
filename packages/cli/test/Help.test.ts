/**
 * `--help` on `kho` and on every subcommand path. The paths are found by walking `Cli.command`'s
 * subcommands, so a new subcommand is covered without touching this file. Each must exit 0 and print
 * its description and a USAGE line naming the whole path (a path that fell back to its parent's help
 * would name the parent); a command with subcommands must list each of them.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type { Command } from "effect/cli"
import * as Cli from "../src/Cli.ts"
import * as ExitCode from "../src/ExitCode.ts"
import { kho, spawnKho } from "./utils/cli.ts"

interface Path {
  /** From the root: `["kho", "log", "verify"]`. */
  readonly names: ReadonlyArray<string>
  readonly command: Command.Command.Any
}

const walk = (command: Command.Command.Any, parent: ReadonlyArray<string>): Array<Path> => {
  const names = [...parent, command.name]
  const children = command.subcommands.flatMap((group) => group.commands)
  return [{ names, command }, ...children.flatMap((child) => walk(child, names))]
}

const paths = walk(Cli.command, [])

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** The lines of a help text's section (`USAGE`, `SUBCOMMANDS`…), up to the next blank line. */
const section = (help: string, title: string): ReadonlyArray<string> => {
  const lines = help.split("\n")
  const start = lines.indexOf(title)
  if (start === -1) return []
  const end = lines.findIndex((line, i) => i > start && line.trim() === "")
  return lines.slice(start + 1, end === -1 ? undefined : end)
}

describe("kho --help", () => {
  it("finds the subcommands of every level", () => {
    assert.isAbove(Cli.subcommands.length, 0)
    assert.strictEqual(paths.filter((p) => p.names.length === 2).length, Cli.subcommands.length)
    assert.isTrue(paths.some((p) => p.names.length > 2), "no nested subcommand found: the walk stops at the first level")
    assert.strictEqual(new Set(paths.map((p) => p.names.join(" "))).size, paths.length)
  })

  for (const { command, names } of paths) {
    const path = names.join(" ")
    it.effect(`${path} --help exits 0 with a usage line naming "${path}"`, () =>
      Effect.gen(function*() {
        const run = yield* kho(...names.slice(1), "--help")
        assert.strictEqual(run.code, ExitCode.OK, run.stderr)
        const usage = section(run.stdout, "USAGE")
        assert.strictEqual(usage.length, 1, run.stdout)
        assert.match(usage[0]!, new RegExp(`^\\s+${escape(path)}(\\s|$)`))
        assert.isDefined(command.description, `${path} has no description`)
        assert.deepStrictEqual(section(run.stdout, "DESCRIPTION").map((l) => l.trim()), [command.description!])
        const children = command.subcommands.flatMap((group) => group.commands).map((c) => c.name)
        const listed = section(run.stdout, "SUBCOMMANDS").map((line) => line.trim().split(/\s+/)[0])
        assert.deepStrictEqual(listed, children)
      }))
  }

  it("the executable itself exits 0 on kho --help and prints the usage on stdout", () => {
    const run = spawnKho("--help")
    assert.strictEqual(run.code, ExitCode.OK, run.stderr)
    assert.match(run.stdout, /^USAGE\n\s+kho(\s|$)/m)
  })
})
