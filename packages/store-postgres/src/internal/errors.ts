/**
 * Maps `pg` failures to `EventStoreError` reasons by SQLSTATE (and socket error codes), and says
 * which are worth retrying: deadlocks and serialization failures (the transaction was rolled back),
 * lost or refused connections, too many connections. Every message keeps PostgreSQL's own text and
 * adds what a person should do about it.
 */
import { EventStoreError } from "@kho/core/EventStore"
import { Predicate } from "effect"

const codeOf = (cause: unknown): string | undefined =>
  Predicate.hasProperty(cause, "code") && Predicate.isString(cause.code) ? cause.code : undefined

const fieldOf = (cause: unknown, field: "table" | "constraint"): string | undefined =>
  Predicate.hasProperty(cause, field) && Predicate.isString(cause[field]) ? cause[field] : undefined

/** What to do about a constraint PostgreSQL enforced: Kho's own tables versus a read model's. */
const constraintAdvice = (cause: unknown): string => {
  const table = fieldOf(cause, "table")
  const constraint = fieldOf(cause, "constraint")
  const where = table === undefined ? "" : ` (table ${table}${constraint === undefined ? "" : `, constraint ${constraint}`})`
  if (table?.startsWith("kho_") === true && table !== "kho_outbox") {
    return `${where}; Kho's appends and imports check this under the head lock before writing, so another writer ` +
      "bypassed kho_append or the schema was changed by hand: find and stop that writer, and verify the log's hash chain " +
      "(an NDJSON export) before appending again"
  }
  return `${where}; the row breaks a constraint of its table: if this is a read model, check the projection ` +
    "handler's SQL against the table's keys and checks"
}

/** What to do about a failure no other reason covers, by SQLSTATE class. */
const ioAdvice = (code: string | undefined): string => {
  if (code === "42501") {
    return "the role lacks a privilege: grant it. Opening a read-write store creates its schema when missing (CREATE " +
      "on the database, or have an admin run CREATE SCHEMA <schema> AUTHORIZATION <role>) and its tables (CREATE on " +
      "the schema: on PostgreSQL ≥ 15 `public` gives it only to the database owner unless granted)"
  }
  if (code === "42P01" || code === "42883" || code === "42703") {
    return "a table, column or function is missing: if it is Kho's (kho_*), the schema was dropped or changed by hand or " +
      "is older than this package (open a read-write store on the primary to migrate it); if it is a read model's, " +
      "create it before the projection runs"
  }
  if (code === "42P05" || code === "26000") {
    return "a named prepared statement of this connection is missing or already there: a connection pooler in " +
      "transaction mode is switching the server connection under it (PgBouncer before 1.21, or max_prepared_statements " +
      "= 0): use session pooling or a direct connection (docs/scaling.md, Managed PostgreSQL)"
  }
  if (code === "3D000") return "the database named in the URL does not exist: create it or fix the URL"
  if (code === "28P01" || code === "28000") return "the server refused the login: check the user and password in the URL and pg_hba.conf"
  return "check that the server is reachable at the URL given and that the URL names the right database and role; " +
    "the server's log has the details"
}

const connectionCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "57P01", "57P02", "57P03"])

export const toEventStoreError = (cause: unknown, doing: string): EventStoreError => {
  if (cause instanceof EventStoreError) return cause
  const detail = cause instanceof Error ? cause.message : String(cause)
  const code = codeOf(cause)
  if (code === "40P01" || code === "40001") {
    return new EventStoreError({ reason: "Deadlock", message: `${doing}: ${detail} (rolled back; safe to retry)`, retryable: true, cause })
  }
  if (code !== undefined && code.startsWith("23")) {
    return new EventStoreError({ reason: "Constraint", message: `${doing}: ${detail}${constraintAdvice(cause)}`, retryable: false, cause })
  }
  // read_only_sql_transaction: a hot standby, default_transaction_read_only, or a readOnly store
  if (code === "25006") {
    return new EventStoreError({
      reason: "InvalidArgument",
      message: `${doing}: ${detail}; this server or connection refuses writes (a hot standby, ` +
        "default_transaction_read_only, or a store opened with readOnly: true): write through a read-write store on " +
        "the primary's URL; to only read from a standby, open the store there with readOnly: true",
      retryable: false,
      cause
    })
  }
  if (/unsupported startup parameter/i.test(detail)) {
    return new EventStoreError({
      reason: "InvalidArgument",
      message: `${doing}: ${detail}; a connection pooler (PgBouncer) refused the \`options\` startup parameter that sets ` +
        "the schema's search_path: connect directly, or add `options` to its ignore_startup_parameters and set the " +
        "role's search_path on the server (ALTER ROLE … IN DATABASE … SET search_path = <schema>; docs/scaling.md)",
      retryable: false,
      cause
    })
  }
  if (code === "53300" || code === "55P03") {
    return new EventStoreError({
      reason: "Busy",
      message: `${doing}: ${detail}; the server is saturated, retry later or lower the pool size`,
      retryable: true,
      cause
    })
  }
  if (
    (code !== undefined && (code.startsWith("08") || connectionCodes.has(code))) ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(detail)
  ) {
    return new EventStoreError({
      reason: "Connection",
      message: `${doing}: lost or could not open the connection to PostgreSQL (${detail}); check the server and the URL`,
      retryable: true,
      cause
    })
  }
  if (code === "XX001" || code === "XX002") {
    return new EventStoreError({
      reason: "Corrupted",
      message: `${doing}: ${detail}; PostgreSQL found a damaged page: restore from a backup or a replica, and check the disk`,
      retryable: false,
      cause
    })
  }
  return new EventStoreError({ reason: "Io", message: `${doing}: ${detail}; ${ioAdvice(code)}`, retryable: false, cause })
}
