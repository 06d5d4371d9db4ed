/**
 * The test projects of the workspace: one per package and one per example (Vitest 4+ no longer
 * reads this file by itself: `vitest.config.ts` imports it as `test.projects`).
 */
export default [
  "packages/*",
  "examples/*/vitest.config.ts"
]
