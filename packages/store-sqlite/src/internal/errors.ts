/**
 * Maps node:sqlite failures to `EventStoreError` reasons (SQLite primary result codes), with a
 * message that says what to do and keeps SQLite's own words.
 */
import { EventStoreError } from "@kho/core/EventStore"
import { Predicate } from "effect"

const primaryCode = (cause: unknown): number | undefined =>
  Predicate.hasProperty(cause, "errcode") && Predicate.isNumber(cause.errcode) ? cause.errcode & 0xff : undefined

/** The tables the store alone writes: a constraint failing on them means someone else wrote them. */
const storeTables = /\bkho_(events|commands|checkpoints|schema_migrations|outbox)\b/

const constraintAdvice = (detail: string): string =>
  storeTables.test(detail)
    ? "the store checks this itself before writing, so another writer bypassed the store (wrote the kho_ tables with plain SQL, " +
      "or through SqliteDatabase.connection) or the file was edited by hand; stop those writes, check the log (`kho log export --db FILE`, then " +
      "`kho log verify`) and restore the file from a backup if it is broken"
    : "a read model's write broke one of its own table's constraints: check the values its handler writes"

/** What to check for a failure to read or write the file, by SQLite result code. */
const ioAdvice = (code: number | undefined): string => {
  switch (code) {
    case 14: // SQLITE_CANTOPEN
      return "check that the path is right, that its directory exists and that this process may read and write there"
    case 8: // SQLITE_READONLY
    case 3: // SQLITE_PERM
    case 23: // SQLITE_AUTH
      return "the file, its -wal/-shm files or its directory are read-only for this process: check their owner and " +
        "permissions, and that the file system is not mounted read-only"
    case 13: // SQLITE_FULL
      return "the disk (or the file system's quota) is full: free space, the WAL needs room to grow, then retry"
    case 1: // SQLITE_ERROR: a statement SQLite refused (no such table, syntax)
      return "SQLite refused the statement: if it names a kho_ table, the file's schema was changed by hand (restore it " +
        "from a backup); otherwise check the read model's SQL"
    case undefined:
      return "not a SQLite error: code run by the store threw it (a read model's handler, or a closed connection); " +
        "any transaction it was in was rolled back"
    default:
      return "check that the path exists and is writable by this process, that the disk is not full, and the system " +
        "log for disk errors"
  }
}

export const toEventStoreError = (cause: unknown, doing: string): EventStoreError => {
  if (cause instanceof EventStoreError) return cause
  const detail = cause instanceof Error ? cause.message : String(cause)
  const code = primaryCode(cause)
  switch (code) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
      return new EventStoreError({
        reason: "Busy",
        message: `${doing}: the database stayed locked by another process past the busy timeout (${detail}); retry, or raise busyTimeout`,
        retryable: true,
        cause
      })
    case 19: // SQLITE_CONSTRAINT
      return new EventStoreError({
        reason: "Constraint",
        message: `${doing}: ${detail}; ${constraintAdvice(detail)}`,
        retryable: false,
        cause
      })
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
      return new EventStoreError({
        reason: "Corrupted",
        message: `${doing}: the database file is damaged or not a SQLite file (${detail}); restore it from a backup or an NDJSON export`,
        retryable: false,
        cause
      })
    default:
      return new EventStoreError({ reason: "Io", message: `${doing}: ${detail}; ${ioAdvice(code)}`, retryable: false, cause })
  }
}
