import { defineConfig } from "vitest/config"
import projects from "./vitest.workspace.ts"

// `.ci/run` sets KHO_VITEST_JSON so the README's own test command (`pnpm test`) also writes a JSON
// summary it can count; the flag cannot go on the command line because pnpm 12 claims `--reporter`.
const jsonSummary = process.env["KHO_VITEST_JSON"]

export default defineConfig({
  test: {
    projects,
    reporters: jsonSummary ? ["default", "json"] : ["default"],
    ...(jsonSummary ? { outputFile: { json: jsonSummary } } : {})
  }
})
