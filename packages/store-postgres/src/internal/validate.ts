/**
 * What an adapter refuses at the door, as the in-memory reference store does (docs/adr/0016):
 * an empty stream id or type, a schema version below 1, and `data`/`actor` that are not plain JSON.
 * Why plain JSON: the hash covers the canonical JSON of `data`; a `Date` or class instance would be
 * hashed one way and stored (and re-read) another, breaking the chain.
 */
import type { NewEvent } from "@kho/core/Event"

const jsonProblem = (value: unknown, path: string): string | undefined => {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot represent`
    case "object": {
      if (value === null) return undefined
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = jsonProblem(value[i], `${path}[${i}]`)
          if (problem !== undefined) return problem
        }
        return undefined
      }
      const proto: unknown = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) {
        return `${path} is not a plain object (${Object.prototype.toString.call(value)}): encode it through its Schema first`
      }
      for (const key in value) {
        const v = (value as Record<string, unknown>)[key]
        if (v === undefined) continue
        const problem = jsonProblem(v, `${path}.${key}`)
        if (problem !== undefined) return problem
      }
      return undefined
    }
    default:
      return `${path} is ${value === undefined ? "undefined" : `a ${typeof value}`}, which JSON cannot represent`
  }
}

/** Why the append is refused, or undefined when every event is acceptable. */
export const appendProblem = (streamId: string, events: ReadonlyArray<NewEvent>): string | undefined => {
  if (streamId.length === 0) return "cannot append to an empty stream id"
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!
    if (event.type.length === 0) return `event ${i} appended to ${streamId} has an empty type`
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      return `event ${i} (${event.type}) appended to ${streamId} has schema version ${event.schemaVersion}; versions start at 1`
    }
    const problem = jsonProblem(event.data, "data") ?? jsonProblem(event.metadata.actor, "actor")
    if (problem !== undefined) return `event ${i} (${event.type}) appended to ${streamId}: ${problem}`
  }
  return undefined
}
