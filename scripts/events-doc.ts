/**
 * Writes docs/events.md from the event schemas (`node scripts/events-doc.ts`).
 */
import { writeFileSync } from "node:fs"
import { entries, envelope } from "../packages/core/test/utils/eventCatalog.ts"
import { render } from "../packages/core/test/utils/eventCatalogMarkdown.ts"

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "")
writeFileSync(`${root}/docs/events.md`, render(root, entries, envelope))
process.stderr.write("wrote docs/events.md\n")
