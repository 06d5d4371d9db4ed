import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { entries, envelope } from "./utils/eventCatalog.ts"
import { render } from "./utils/eventCatalogMarkdown.ts"

const root = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "")

describe("docs/events.md", () => {
  it("lists exactly the events the schemas define, field by field (regenerate: node scripts/events-doc.ts)", () => {
    const committed = readFileSync(`${root}/docs/events.md`, "utf8")
    expect(committed).toBe(render(root, entries, envelope))
  })

  it("names every event type of every aggregate", () => {
    const committed = readFileSync(`${root}/docs/events.md`, "utf8")
    for (const entry of entries) {
      const ast = (entry.events as any).ast
      const tags: Array<string> = (ast.types ?? [ast]).map((member: any) =>
        member.propertySignatures.find((p: any) => p.name === "_tag").type.literal
      )
      expect(tags.length).toBeGreaterThan(0)
      for (const tag of tags) expect(committed).toContain("### `" + tag + "`")
    }
  })
})
