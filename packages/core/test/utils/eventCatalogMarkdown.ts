/**
 * Renders `docs/events.md` from the event schemas themselves, so the catalog cannot drift:
 * `scripts/events-doc.ts` writes it and `test/EventCatalog.test.ts` fails when the committed file differs.
 * Field types come from each schema's JSON Schema; descriptions from the JSDoc above each event.
 */
import { readFileSync } from "node:fs"
import { Schema } from "effect"

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

/** The Markdown of the event catalog. */
export const render = (root: string, entries: ReadonlyArray<CatalogEntry>, envelope: string): string => {
  const lines: Array<string> = [
    "# Event catalog",
    "",
    "Generated from the event schemas by `node scripts/events-doc.ts`; a test fails when this file and the",
    "schemas disagree. Every event is stored in the envelope below; the tables describe its `data`, the",
    "JSON encoding (through `effect/Schema`) of the domain event, whose `_tag` is also the envelope's `type`.",
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
