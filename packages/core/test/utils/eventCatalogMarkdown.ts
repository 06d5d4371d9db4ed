/**
 * Renders `docs/events.md` from the event schemas themselves, so the catalog cannot drift:
 * `scripts/events-doc.ts` writes it and `test/EventCatalog.test.ts` fails when the committed file differs.
 * Field types come from each schema's JSON Schema; descriptions from the JSDoc above each event; schema
 * versions from the upcaster registry. The envelope table is derived from `RecordedEventSchema`, in the
 * order of the NDJSON line, which must be the hash's canonical encoding plus `hash`
 * ({@link envelopeSection} throws when they disagree or a field has no meaning written down).
 */
import { readFileSync } from "node:fs"
import { Schema } from "effect"
import type { RecordedEvent } from "../../src/Event.ts"
import * as Upcaster from "../../src/Upcaster.ts"

/** One aggregate whose events the catalog lists. */
export interface CatalogEntry {
  readonly aggregate: string
  /** Path of the module that defines the events, relative to the repository root. */
  readonly module: string
  readonly streamId: string
  readonly about: string
  readonly events: Schema.Top
}

type JsonSchema = {
  readonly type?: string | ReadonlyArray<string>
  readonly enum?: ReadonlyArray<unknown>
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly properties?: Record<string, JsonSchema>
  readonly required?: ReadonlyArray<string>
  readonly items?: JsonSchema
  readonly $ref?: string
  readonly pattern?: string
}

const typeOf = (schema: JsonSchema, defs: Record<string, JsonSchema>): string => {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.split("/").pop() ?? schema.$ref
    const def = defs[name]
    return def === undefined ? name : typeOf(def, defs)
  }
  if (schema.enum !== undefined) return schema.enum.map((v) => "`" + JSON.stringify(v) + "`").join(" \\| ")
  if (schema.anyOf !== undefined) {
    const tags = schema.anyOf.map((member) => member.properties?.["_tag"]?.enum?.[0])
    if (tags.every((tag) => typeof tag === "string")) return "one of " + tags.map((t) => "`" + String(t) + "`").join(", ")
    return schema.anyOf.map((member) => typeOf(member, defs)).join(" \\| ")
  }
  if (schema.type === "array") return `array of ${schema.items === undefined ? "values" : typeOf(schema.items, defs)}`
  if (schema.type === "object") {
    const keys = Object.keys(schema.properties ?? {})
    return keys.length === 0 ? "object" : "{ " + keys.join(", ") + " }"
  }
  if (typeof schema.type === "string") return schema.type
  return "any JSON"
}

const docComments = (source: string): Map<string, string> => {
  const out = new Map<string, string>()
  const re = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export const (\w+)\s*=\s*Schema\.TaggedStruct\(\s*"(\w+)"/g
  for (const match of source.matchAll(re)) {
    const text = (match[1] ?? "")
      .split("\n")
      .map((line) => line.replace(/^\s*\*\s?/, "").trim())
      .filter((line) => line.length > 0 && !line.startsWith("@"))
      .join(" ")
    out.set(match[3] ?? "", text)
  }
  return out
}

/** The Markdown of the event catalog; `registry` gives each event type's schema version. */
export const render = (
  root: string,
  entries: ReadonlyArray<CatalogEntry>,
  envelope: string,
  registry: Upcaster.Registry = Upcaster.kho
): string => {
  const lines: Array<string> = [
    "# Event catalog",
    "",
    "Generated from the event schemas by `node scripts/events-doc.ts`; a test fails when this file and the",
    "schemas disagree. Every event is stored in the envelope below; the tables describe its `data`, the",
    "JSON encoding (through `effect/Schema`) of the domain event, whose `_tag` is also the envelope's `type`.",
    "Every event type is at schema version 1 unless its section says otherwise; older versions are upcast",
    "on read by `Upcaster.kho` and never rewritten (ADR 0012).",
    "",
    envelope.trim(),
    ""
  ]
  for (const entry of entries) {
    const comments = docComments(readFileSync(`${root}/${entry.module}`, "utf8"))
    const doc = Schema.toJsonSchemaDocument(entry.events as any) as unknown as {
      readonly schema: JsonSchema
      readonly definitions?: Record<string, JsonSchema>
    }
    const defs = doc.definitions ?? {}
    const members = doc.schema.anyOf ?? [doc.schema]
    lines.push(`## ${entry.aggregate}`, "", entry.about, "", `Stream: \`${entry.streamId}\`. Defined in \`${entry.module}\`.`, "")
    for (const member0 of members) {
      const member = member0.$ref !== undefined ? defs[member0.$ref.split("/").pop() ?? ""] ?? member0 : member0
      const tag = String(member.properties?.["_tag"]?.enum?.[0] ?? "?")
      lines.push(`### \`${tag}\``, "")
      const comment = comments.get(tag)
      if (comment !== undefined && comment.length > 0) lines.push(comment, "")
      const version = Upcaster.currentVersion(registry, tag)
      if (version > 1) {
        lines.push(`**Schema version ${version}.**`, "")
        for (const step of registry.steps.get(tag) ?? []) {
          lines.push(`- v${step.fromVersion} → v${step.fromVersion + 1}: ${step.description ?? "(no description)"}`)
        }
        lines.push("")
      }
      lines.push("| field | type | required |", "|---|---|---|")
      const required = new Set(member.required ?? [])
      for (const [name, field] of Object.entries(member.properties ?? {})) {
        if (name === "_tag") continue
        lines.push(`| \`${name}\` | ${typeOf(field, defs)} | ${required.has(name) ? "yes" : "no"} |`)
      }
      lines.push("")
    }
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n"
}

// -----------------------------------------------------------------------------------------------
// The envelope, derived from RecordedEventSchema
// -----------------------------------------------------------------------------------------------

/** What the envelope section is derived from (parameters, so a test can feed it a changed schema). */
export interface EnvelopeSources {
  /** `Event.RecordedEventSchema`: its fields are the table's rows. */
  readonly schema: Schema.Struct<Schema.Struct.Fields>
  /** A sentence per field, written by hand: the one thing a schema cannot say. */
  readonly meanings: Readonly<Record<string, string>>
  /** `HashChain.canonicalEncoding`. */
  readonly canonicalEncoding: (event: Omit<RecordedEvent, "hash">) => string
  /** `Ndjson.encodeLine`. */
  readonly encodeLine: (event: RecordedEvent) => string
}

type Ast = {
  readonly _tag: string
  readonly checks?: ReadonlyArray<{ readonly annotations?: { readonly representation?: Representation } }>
  readonly types?: ReadonlyArray<Ast>
  readonly propertySignatures?: ReadonlyArray<{ readonly name: PropertyKey; readonly type: Ast & { readonly literal?: unknown } }>
}
type Representation = { readonly id: string; readonly payload: Record<string, unknown> | null }

const representations = (ast: Ast): ReadonlyArray<Representation> =>
  (ast.checks ?? []).flatMap((check) => check.annotations?.representation === undefined ? [] : [check.annotations.representation])

/** A field's type in words, from its schema; throws on a shape it was not taught (so a new kind of field is noticed). */
const envelopeType = (name: string, ast: Ast): string => {
  const checks = representations(ast)
  const payload = (id: string) => checks.find((c) => c.id === `effect/schema/${id}`)?.payload
  switch (ast._tag) {
    case "String": {
      const pattern = payload("isPattern")?.["source"]
      if (typeof pattern === "string") return `string matching \`${pattern}\``
      return payload("isMinLength")?.["minLength"] === 1 ? "non-empty string" : "string"
    }
    case "Number": {
      const integer = checks.some((c) => c.id === "effect/schema/isInt")
      const minimum = payload("isGreaterThanOrEqualTo")?.["minimum"]
      return (integer ? "integer" : "number") + (typeof minimum === "number" ? ` ≥ ${minimum}` : "")
    }
    case "Unknown":
      return "any JSON"
    case "Union": {
      const members = ast.types ?? []
      const tags = members.map((m) => m.propertySignatures?.find((p) => p.name === "_tag")?.type.literal)
      if (members.length > 0 && tags.every((t) => typeof t === "string")) {
        return "one of " + tags.map((t) => "`" + String(t) + "`").join(", ")
      }
      const nonNull = members.filter((m) => m._tag !== "Null")
      if (nonNull.length === 1 && members.length === 2) return `${envelopeType(name, nonNull[0]!)} or null`
    }
  }
  throw new Error(`envelope field ${name}: no words for a ${ast._tag} schema; teach envelopeType in eventCatalogMarkdown.ts`)
}

/** An event whose every field holds a value naming the field, so an encoding's output shows its order. */
const probeOf = (schema: EnvelopeSources["schema"]): RecordedEvent => {
  const probe: Record<string, unknown> = {}
  let n = 1000
  for (const [name, field] of Object.entries(schema.fields)) {
    const ast = (field as unknown as { readonly ast: Ast }).ast
    const text = ast._tag === "String" || (ast._tag === "Union" && (ast.types ?? []).some((m) => m._tag === "String"))
    probe[name] = ast._tag === "Number" ? n++ : text ? `probe:${name}` : { probe: name }
  }
  return probe as unknown as RecordedEvent
}

/** The field names in the order an encoding writes them, read back from the probe's values. */
const orderIn = (encoded: ReadonlyArray<unknown>, probe: RecordedEvent, what: string): ReadonlyArray<string> =>
  encoded.map((value, i) => {
    const names = Object.entries(probe).filter(([, v]) => JSON.stringify(v) === JSON.stringify(value)).map(([k]) => k)
    if (names.length !== 1) throw new Error(`${what}: item ${i + 1} (${JSON.stringify(value)}) is not one envelope field`)
    return names[0]!
  })

const sameList = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * The envelope section: one row per field of the schema, in the NDJSON line's order, with the type
 * from the schema and the meaning written by hand. Throws, naming the field, when the schema, the
 * canonical encoding, the NDJSON line and the meanings do not list the same fields in the same order.
 */
export const envelopeSection = (sources: EnvelopeSources): string => {
  const fields = Object.keys(sources.schema.fields)
  const probe = probeOf(sources.schema)
  const { hash: _, ...unsealed } = probe
  const parse = (text: string, what: string): unknown => {
    try {
      return JSON.parse(text)
    } catch {
      throw new Error(`${what} of an event holding RecordedEventSchema's fields is not JSON: it encodes a field the schema lacks`)
    }
  }
  const canonical = orderIn(
    parse(sources.canonicalEncoding(unsealed), "the canonical encoding") as ReadonlyArray<unknown>,
    probe,
    "the canonical encoding"
  )
  const lineObject = parse(sources.encodeLine(probe), "the NDJSON line") as Record<string, unknown>
  const line = orderIn(Object.values(lineObject), probe, "the NDJSON line")
  if (!sameList(Object.keys(lineObject), line)) throw new Error("the NDJSON line does not write each field under its own name")
  for (const name of fields) {
    if (name !== "hash" && !canonical.includes(name)) {
      throw new Error(`envelope field ${name} is in RecordedEventSchema but not in HashChain.canonicalEncoding`)
    }
    if (!line.includes(name)) throw new Error(`envelope field ${name} is in RecordedEventSchema but not in the NDJSON line`)
    if (sources.meanings[name] === undefined) throw new Error(`envelope field ${name} has no meaning in eventCatalog.ts`)
  }
  for (const name of [...line, ...Object.keys(sources.meanings)]) {
    if (!fields.includes(name)) throw new Error(`envelope field ${name} is not in RecordedEventSchema`)
  }
  if (!sameList(line, [...canonical, "hash"])) {
    throw new Error(`the NDJSON line writes ${line.join(", ")}; the canonical encoding is ${canonical.join(", ")} then hash`)
  }
  const rows = line.map((name) => {
    const ast = (sources.schema.fields[name] as unknown as { readonly ast: Ast }).ast
    return `| \`${name}\` | ${envelopeType(name, ast)} | ${sources.meanings[name]} |`
  })
  const array = canonical.join(", ")
  return [
    "## The envelope",
    "",
    "One row per field of `Event.RecordedEventSchema`, in the order an NDJSON line writes them (derived",
    "from the schema and checked against `HashChain.canonicalEncoding` by the docs test).",
    "",
    "| field | type | meaning |",
    "|---|---|---|",
    ...rows,
    "",
    "The canonical encoding (`HashChain.canonicalEncoding`) is the JSON array",
    "",
    `    [${array}]`,
    "",
    "with `data` and `actor` in canonical JSON (object keys sorted, no whitespace). An NDJSON export is",
    "one envelope per line in global order, fields in that order followed by `hash`; `kho log verify`",
    "recomputes every hash and reports the first position where the chain breaks."
  ].join("\n")
}
