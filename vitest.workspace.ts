/**
 * The test projects of the workspace: one per package, one per example, the documentation's code
 * samples and the repository scripts (Vitest 4+ no longer reads this file by itself:
 * `vitest.config.ts` imports it as `test.projects`).
 */
export default [
  "packages/*",
  "examples/*/vitest.config.ts",
  "docs/snippets",
  { test: { name: "scripts", include: ["scripts/*.test.ts"] } }
]
