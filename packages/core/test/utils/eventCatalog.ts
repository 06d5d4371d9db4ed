/**
 * The aggregates whose events `docs/events.md` lists, and the envelope section above them.
 */
import * as Complaint from "../../src/Complaint.ts"
import * as DocumentStore from "../../src/DocumentStore.ts"
import * as Dossier from "../../src/Dossier.ts"
import * as DossierNumbering from "../../src/DossierNumbering.ts"
import type { CatalogEntry } from "./eventCatalogMarkdown.ts"

export const entries: ReadonlyArray<CatalogEntry> = [
  {
    aggregate: "Document store",
    module: "packages/core/src/DocumentStore.ts",
    streamId: "DocumentStore-{ownerId}",
    about: "One stream per owner's store (Kho dữ liệu cá nhân, tổ chức): uploads, agency-issued results and certified copies, digitised documents, their life cycle, every use and every access.",
    events: DocumentStore.decider.eventSchema
  },
  {
    aggregate: "Dossier",
    module: "packages/core/src/Dossier.ts",
    streamId: "Dossier-{dossierId}",
    about: "One stream per dossier (hồ sơ): the draft, how each component (TPHS) was satisfied, submission, the officer's steps and the result.",
    events: Dossier.decider.eventSchema
  },
  {
    aggregate: "Dossier numbering",
    module: "packages/core/src/DossierNumbering.ts",
    streamId: "DossierNumbering-{agencyCode}-{yyMMdd}",
    about: "One stream per agency and day; its version is the daily sequence of dossier numbers, so numbers are unique and gap-free.",
    events: DossierNumbering.decider.eventSchema
  },
  {
    aggregate: "Complaint",
    module: "packages/core/src/Complaint.ts",
    streamId: "Complaint-{complaintId}",
    about: "One stream per complaint about an electronic result (phản ánh về kết quả giải quyết).",
    events: Complaint.decider.eventSchema
  }
]

export const envelope = `
## The envelope

| field | type | meaning |
|---|---|---|
| \`streamId\` | string | the aggregate instance, \`{Aggregate}-{id}\` |
| \`streamVersion\` | integer ≥ 1 | position in the stream, from 1, no gaps |
| \`globalPosition\` | integer ≥ 1 | position in the whole log, from 1, no gaps |
| \`type\` | string | the event type (the \`_tag\` of \`data\`) |
| \`schemaVersion\` | integer ≥ 1 | version of the event type's schema; older versions are upcast on read |
| \`data\` | JSON | the event, encoded through its schema |
| \`recordedAt\` | string | ISO-8601 UTC with milliseconds, when the store appended it |
| \`actor\` | one of \`Citizen\`, \`OrganisationRepresentative\`, \`Officer\`, \`Auditor\`, \`System\` | who caused it |
| \`commandId\` | string | the command it came from; one command id appends once |
| \`correlationId\` | string | groups everything one interaction caused |
| \`causationId\` | string or null | the command or event that directly caused it |
| \`previousHash\` | 64 hex | \`hash\` of the event at \`globalPosition - 1\`; 64 zeros for the first |
| \`hash\` | 64 hex | SHA-256 of the canonical encoding of every other field |

The canonical encoding (\`HashChain.canonicalEncoding\`) is the JSON array
\`[globalPosition, streamId, streamVersion, type, schemaVersion, data, recordedAt, actor, commandId,
correlationId, causationId, previousHash]\` with \`data\` and \`actor\` in canonical JSON (object keys
sorted, no whitespace). An NDJSON export is one envelope per line in global order; \`kho log verify\`
recomputes every hash and reports the first position where the chain breaks.
`
