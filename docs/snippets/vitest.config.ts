import { fileURLToPath } from "node:url"
import { defineProject, mergeConfig } from "vitest/config"
import { shared } from "../../vitest.shared.ts"

const packages = fileURLToPath(new URL("../../packages/", import.meta.url))

// The snippets import the packages by name, as a reader's code would; nothing links them into the
// root node_modules, so resolve `@kho/<pkg>` and `@kho/<pkg>/<Module>` to the sources here.
export default mergeConfig(
  shared,
  defineProject({
    root: fileURLToPath(new URL(".", import.meta.url)),
    test: { name: "docs-snippets", include: ["*.test.ts"] },
    resolve: {
      alias: [
        { find: /^@kho\/([a-z-]+)$/, replacement: `${packages}$1/src/index.ts` },
        { find: /^@kho\/([a-z-]+)\/([A-Za-z0-9]+)$/, replacement: `${packages}$1/src/$2.ts` }
      ]
    }
  })
)
