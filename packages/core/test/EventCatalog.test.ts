import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { RecordedEventSchema } from "../src/Event.ts"
import * as HashChain from "../src/HashChain.ts"
import * as Ndjson from "../src/Ndjson.ts"
import * as Upcaster from "../src/Upcaster.ts"
import { entries, envelope, envelopeMeanings } from "./utils/eventCatalog.ts"
import { envelopeSection, render } from "./utils/eventCatalogMarkdown.ts"

const root = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "")
const committed = () => readFileSync(`${root}/docs/events.md`, "utf8")
const sources = {
  schema: RecordedEventSchema,
  meanings: envelopeMeanings,
  canonicalEncoding: HashChain.canonicalEncoding,
  encodeLine: Ndjson.encodeLine
}

/** The field names of the committed envelope table, in order. */
const envelopeRows = (markdown: string): Array<string> => {
  const section = markdown.slice(markdown.indexOf("## The envelope"), markdown.indexOf("\n## ", markdown.indexOf("## The envelope") + 1))
  return [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]!)
}

const tagsOf = (events: unknown): Array<string> => {
  const ast = (events as any).ast
  return (ast.types ?? [ast]).map((member: any) => member.propertySignatures.find((p: any) => p.name === "_tag").type.literal)
}

describe("docs/events.md", () => {
  it("lists exactly the events the schemas define, field by field (regenerate: node scripts/events-doc.ts)", () => {
    expect(committed()).toBe(render(root, entries, envelope, Upcaster.kho))
  })

  it("names every event type of every aggregate", () => {
    const text = committed()
    for (const entry of entries) {
      const tags = tagsOf(entry.events)
      expect(tags.length).toBeGreaterThan(0)
      for (const tag of tags) expect(text).toContain("### `" + tag + "`")
    }
  })

  it("states the schema version of every event type past version 1, with each step", () => {
    const text = committed()
    let evolved = 0
    for (const entry of entries) {
      for (const tag of tagsOf(entry.events)) {
        const version = Upcaster.currentVersion(Upcaster.kho, tag)
        const start = text.indexOf("### `" + tag + "`")
        const section = text.slice(start, text.indexOf("\n### ", start + 1))
        if (version === 1) {
          expect(section).not.toContain("**Schema version")
          continue
        }
        evolved++
        expect(section).toContain(`**Schema version ${version}.**`)
        for (let v = 1; v < version; v++) expect(section).toContain(`- v${v} → v${v + 1}: `)
      }
    }
    expect(evolved).toBe(Upcaster.builtIn.length)
  })

  it("has one envelope row per RecordedEventSchema field, in the order of the NDJSON line and the hash's encoding", () => {
    const rows = envelopeRows(committed())
    expect([...rows].sort()).toEqual(Object.keys(RecordedEventSchema.fields).sort())
    const event = HashChain.seal({
      streamId: "s",
      streamVersion: 2,
      globalPosition: 3,
      type: "T",
      schemaVersion: 4,
      data: { x: 5 },
      recordedAt: "2024-03-20T08:15:00.000Z",
      actor: { _tag: "System", component: "c" },
      commandId: "c6",
      correlationId: "c7",
      causationId: "c8",
      previousHash: HashChain.GENESIS_HASH
    })
    expect(rows).toEqual(Object.keys(JSON.parse(Ndjson.encodeLine(event))))
    // the canonical encoding is the line without `hash`, value for value
    const line = JSON.parse(Ndjson.encodeLine(event)) as Record<string, unknown>
    expect(JSON.parse(HashChain.canonicalEncoding(event))).toEqual(rows.slice(0, -1).map((name) => line[name]))
    expect(rows.at(-1)).toBe("hash")
  })

  describe("the envelope section refuses to drift", () => {
    it("a field added to RecordedEventSchema but not hashed, written or explained", () => {
      const schema = Schema.Struct({ ...RecordedEventSchema.fields, tenantId: Schema.String })
      expect(() => envelopeSection({ ...sources, schema })).toThrow(
        "envelope field tenantId is in RecordedEventSchema but not in HashChain.canonicalEncoding"
      )
      const hashed = {
        ...sources,
        schema,
        canonicalEncoding: (e: any) => HashChain.canonicalEncoding(e).slice(0, -1) + "," + JSON.stringify(e.tenantId) + "]"
      }
      expect(() => envelopeSection(hashed)).toThrow("tenantId is in RecordedEventSchema but not in the NDJSON line")
      const written = { ...hashed, encodeLine: (e: any) => Ndjson.encodeLine(e).slice(0, -1) + ",\"tenantId\":" + JSON.stringify(e.tenantId) + "}" }
      expect(() => envelopeSection(written)).toThrow("envelope field tenantId has no meaning")
    })

    it("a field removed from the schema, a meaning for no field, and an encoding in another order", () => {
      const { causationId: _, ...fewer } = RecordedEventSchema.fields
      expect(() => envelopeSection({ ...sources, schema: Schema.Struct(fewer) })).toThrow("encodes a field the schema lacks")
      expect(() => envelopeSection({ ...sources, meanings: { ...envelopeMeanings, tenant: "x" } })).toThrow(
        "envelope field tenant is not in RecordedEventSchema"
      )
      const reordered = (e: any) => {
        const items = JSON.parse(HashChain.canonicalEncoding(e)) as Array<unknown>
        return JSON.stringify([items[1], items[0], ...items.slice(2)])
      }
      expect(() => envelopeSection({ ...sources, canonicalEncoding: reordered })).toThrow("the canonical encoding is streamId, globalPosition")
    })

    it("the committed section is the derived one", () => {
      expect(envelope).toBe(envelopeSection(sources))
      expect(committed()).toContain(envelope)
    })
  })
})
