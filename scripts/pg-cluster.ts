/**
 * `node scripts/pg-cluster.ts [--durable]`: starts a throwaway PostgreSQL cluster (initdb into a temp
 * dir as the `postgres` user when run as root, a free loopback port, socket in the temp dir), prints
 * its URL, and stops and deletes it on Ctrl-C. The store-postgres tests (vitest globalSetup) and
 * bench start their own through the same module: packages/store-postgres/test/utils/pgCluster.ts.
 */
import { start } from "../packages/store-postgres/test/utils/pgCluster.ts"

const cluster = await start({ durable: process.argv.includes("--durable") })
process.stdout.write(`${cluster.url}\n`)
process.stderr.write(`pg-cluster: data in ${cluster.dataDir}; Ctrl-C stops and deletes it\n`)
const stop = () => {
  cluster.stop()
  process.exit(0)
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
setInterval(() => undefined, 1 << 30)
