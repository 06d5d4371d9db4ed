/**
 * Starts one throwaway PostgreSQL cluster for the package's tests and hands its URL to them
 * (`inject("pgUrl")`); stops and deletes it afterwards. Fails, never skips, without PostgreSQL.
 */
import type { TestProject } from "vitest/node"
import { start } from "./utils/pgCluster.ts"

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string
  }
}

export default async function setup(project: TestProject) {
  const cluster = await start()
  project.provide("pgUrl", cluster.url)
  return () => cluster.stop()
}
