/**
 * Maps node:sqlite failures to `EventStoreError` reasons (SQLite primary result codes).
 */
import { EventStoreError } from "@kho/core/EventStore"
import { Predicate } from "effect"

const primaryCode = (cause: unknown): number | undefined =>
  Predicate.hasProperty(cause, "errcode") && Predicate.isNumber(cause.errcode) ? cause.errcode & 0xff : undefined

export const toEventStoreError = (cause: unknown, doing: string): EventStoreError => {
  if (cause instanceof EventStoreError) return cause
  const detail = cause instanceof Error ? cause.message : String(cause)
  switch (primaryCode(cause)) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
      return new EventStoreError({
        reason: "Busy",
        message: `${doing}: the database stayed locked by another process past the busy timeout (${detail}); retry, or raise busyTimeout`,
        retryable: true,
        cause
      })
    case 19: // SQLITE_CONSTRAINT
      return new EventStoreError({ reason: "Constraint", message: `${doing}: ${detail}`, retryable: false, cause })
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
      return new EventStoreError({
        reason: "Corrupted",
        message: `${doing}: the database file is damaged or not a SQLite file (${detail}); restore it from a backup or an NDJSON export`,
        retryable: false,
        cause
      })
    default:
      return new EventStoreError({ reason: "Io", message: `${doing}: ${detail}`, retryable: false, cause })
  }
}
