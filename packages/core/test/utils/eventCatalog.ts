/**
 * The aggregates whose events `docs/events.md` lists, and the envelope section above them.
 */
import * as Complaint from "../../src/Complaint.ts"
import * as DocumentStore from "../../src/DocumentStore.ts"
import * as Dossier from "../../src/Dossier.ts"
import * as DossierNumbering from "../../src/DossierNumbering.ts"
import { RecordedEventSchema } from "../../src/Event.ts"
import * as HashChain from "../../src/HashChain.ts"
import * as Ndjson from "../../src/Ndjson.ts"
import { type CatalogEntry, envelopeSection } from "./eventCatalogMarkdown.ts"

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

/**
 * What each envelope field means: the one column of the envelope table a schema cannot give. Types
 * and order are derived (`envelopeSection`); a field added to `RecordedEventSchema` without a line
 * here fails the docs test.
 */
export const envelopeMeanings: Readonly<Record<string, string>> = {
  globalPosition: "position in the whole log, from 1, no gaps",
  streamId: "the aggregate instance, `{Aggregate}-{id}`",
  streamVersion: "position in the stream, from 1, no gaps",
  type: "the event type (the `_tag` of `data`)",
  schemaVersion: "version of the event type's schema; older versions are upcast on read",
  data: "the event, encoded through its schema",
  recordedAt: "ISO-8601 UTC with milliseconds, when the store appended it",
  actor: "who caused it",
  commandId: "the command it came from; one command id appends once",
  correlationId: "groups everything one interaction caused",
  causationId: "the command or event that directly caused it",
  previousHash: "`hash` of the event at `globalPosition - 1`; 64 zeros for the first",
  hash: "SHA-256 (lower-case hex) of the canonical encoding of every other field"
}

/** The envelope section of `docs/events.md`, derived from `RecordedEventSchema`. */
export const envelope: string = envelopeSection({
  schema: RecordedEventSchema,
  meanings: envelopeMeanings,
  canonicalEncoding: HashChain.canonicalEncoding,
  encodeLine: Ndjson.encodeLine
})
