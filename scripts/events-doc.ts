/**
 * Writes docs/events.md from the code (`node scripts/events-doc.ts`): the envelope table from
 * `Event.RecordedEventSchema` (in the order of `Ndjson.encodeLine`, checked against
 * `HashChain.canonicalEncoding`), each aggregate's events from its event schema, and each event
 * type's schema version from `Upcaster.kho`. `packages/core/test/EventCatalog.test.ts` fails when the
 * committed file differs, so a field added anywhere must be documented here first.
 */
import { writeFileSync } from "node:fs"
import * as Upcaster from "../packages/core/src/Upcaster.ts"
import { entries, envelope } from "../packages/core/test/utils/eventCatalog.ts"
import { render } from "../packages/core/test/utils/eventCatalogMarkdown.ts"

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "")
writeFileSync(`${root}/docs/events.md`, render(root, entries, envelope, Upcaster.kho))
process.stderr.write("wrote docs/events.md\n")
