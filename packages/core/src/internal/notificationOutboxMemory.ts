/** The in-memory outbox state: a `Map` by notification id, in insertion order. */
import { Effect, Option } from "effect"
import type { EventStoreError } from "../EventStore.ts"

/** The fields the memory store needs; the full entry type lives in `NotificationOutbox`. */
interface EntryLike {
  readonly id: string
  readonly status: string
  readonly attempts: number
}

/** The operations of the outbox state port, over any entry type. */
export interface MemoryOutbox<Entry extends EntryLike> {
  readonly record: (entries: ReadonlyArray<Entry>) => Effect.Effect<ReadonlyArray<Entry>, EventStoreError>
  readonly get: (id: string) => Effect.Effect<Option.Option<Entry>, EventStoreError>
  readonly transition: (
    expected: Pick<Entry, "id" | "status" | "attempts">,
    next: Entry
  ) => Effect.Effect<boolean, EventStoreError>
  readonly list: (
    options?: { readonly status?: Entry["status"]; readonly limit?: number }
  ) => Effect.Effect<ReadonlyArray<Entry>, EventStoreError>
}

export const make = <Entry extends EntryLike>(): MemoryOutbox<Entry> => {
  const entries = new Map<string, Entry>()
  return {
    record: (batch) =>
      Effect.sync(() => {
        const inserted: Array<Entry> = []
        for (const entry of batch) {
          if (entries.has(entry.id)) continue
          const frozen = Object.freeze({ ...entry })
          entries.set(entry.id, frozen)
          inserted.push(frozen)
        }
        return inserted
      }),
    get: (id) => Effect.sync(() => Option.fromNullishOr(entries.get(id))),
    transition: (expected, next) =>
      Effect.sync(() => {
        const current = entries.get(expected.id)
        if (
          current === undefined || next.id !== expected.id || current.status !== expected.status ||
          current.attempts !== expected.attempts
        ) return false
        entries.set(expected.id, Object.freeze({ ...next }))
        return true
      }),
    list: (options) =>
      Effect.sync(() => {
        const out: Array<Entry> = []
        const limit = options?.limit ?? Number.POSITIVE_INFINITY
        for (const entry of entries.values()) {
          if (out.length >= limit) break
          if (options?.status === undefined || entry.status === options.status) out.push(entry)
        }
        return out
      })
  }
}
