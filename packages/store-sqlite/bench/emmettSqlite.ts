/**
 * Emmett SQLite (`@event-driven-io/emmett-sqlite`) for the SQLite bench. It runs on the native
 * `sqlite3` package, whose install script would download a prebuilt binary (impossible offline);
 * the workspace does not run it (`allowBuilds: sqlite3: false`), and this module builds the binding
 * from the SQLite sources the package bundles, with `node-gyp` against the headers of the Node.js
 * that runs the bench, the first time the bench needs it (about a minute; a C++ toolchain, `make`
 * and Python 3 are required). Nothing is downloaded.
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

const require = createRequire(import.meta.url)

/** The Emmett SQLite module, or why it could not be loaded. */
export type EmmettSqlite =
  | { readonly _tag: "Loaded"; readonly module: typeof import("@event-driven-io/emmett-sqlite") }
  | { readonly _tag: "Unavailable"; readonly reason: string }

/** Where the compiled binding must be for `sqlite3` to load it. */
const bindingOf = (sqlite3Dir: string) => join(sqlite3Dir, "build", "Release", "node_sqlite3.node")

/** Builds sqlite3's binding offline; returns why it failed, or undefined. */
const build = (sqlite3Dir: string, log: (message: string) => void): string | undefined => {
  // headers to build against: the running Node.js's (<prefix>/include/node beside <prefix>/bin/node,
  // or, for the `node` npm package that runs this workspace, its per-platform package's), else a
  // system's; sqlite3 uses N-API, whose binary interface does not change between Node.js versions
  const prefix = dirname(dirname(process.execPath))
  const nodeDir = [prefix, join(prefix, "node_modules", `node-${process.platform}-${process.arch}`), "/usr/local", "/usr"]
    .find((dir) => existsSync(join(dir, "include", "node", "node_api.h")) && existsSync(join(dir, "include", "node", "common.gypi")))
  if (nodeDir === undefined) return `no Node.js headers (include/node) beside ${process.execPath} or in /usr to build sqlite3 against`
  log(`building sqlite3's native binding from its bundled sources (node-gyp, headers from ${nodeDir})`)
  const run = spawnSync(process.execPath, [require.resolve("node-gyp/bin/node-gyp.js"), "rebuild", `--nodedir=${nodeDir}`, "--jobs=max"], {
    cwd: sqlite3Dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    // a compile takes about a minute here; a stuck one must not hold the whole bench
    timeout: 15 * 60 * 1000
  })
  if (run.status === 0 && existsSync(bindingOf(sqlite3Dir))) return undefined
  const output = `${run.stderr ?? ""}${run.stdout ?? ""}`.trim().split("\n").slice(-5).join(" / ")
  return `building sqlite3 failed (exit ${run.status}): ${output || run.error?.message || "no output"}`
}

/** Loads Emmett SQLite, building sqlite3's binding first if it is missing. */
export const loadEmmettSqlite = async (log: (message: string) => void): Promise<EmmettSqlite> => {
  let sqlite3Dir: string
  try {
    sqlite3Dir = dirname(require.resolve("sqlite3/package.json"))
  } catch {
    return { _tag: "Unavailable", reason: "the sqlite3 package is not installed" }
  }
  if (!existsSync(bindingOf(sqlite3Dir))) {
    const failed = build(sqlite3Dir, log)
    if (failed !== undefined) return { _tag: "Unavailable", reason: failed }
  }
  try {
    return { _tag: "Loaded", module: await import("@event-driven-io/emmett-sqlite") }
  } catch (error) {
    return { _tag: "Unavailable", reason: `@event-driven-io/emmett-sqlite does not load: ${String(error)}` }
  }
}
