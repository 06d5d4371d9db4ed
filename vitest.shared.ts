import { defineConfig } from "vitest/config"

/** Settings every package's `vitest.config.ts` shares. */
export const shared = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
