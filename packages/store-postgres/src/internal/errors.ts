/**
 * Maps `pg` failures to `EventStoreError` reasons by SQLSTATE (and socket error codes), and says
 * which are worth retrying: deadlocks and serialization failures (the transaction was rolled back),
 * lost or refused connections, too many connections.
 */
import { EventStoreError } from "@kho/core/EventStore"
import { Predicate } from "effect"

const codeOf = (cause: unknown): string | undefined =>
  Predicate.hasProperty(cause, "code") && Predicate.isString(cause.code) ? cause.code : undefined

const connectionCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "57P01", "57P02", "57P03"])

export const toEventStoreError = (cause: unknown, doing: string): EventStoreError => {
  if (cause instanceof EventStoreError) return cause
  const detail = cause instanceof Error ? cause.message : String(cause)
  const code = codeOf(cause)
  if (code === "40P01" || code === "40001") {
    return new EventStoreError({ reason: "Deadlock", message: `${doing}: ${detail} (rolled back; safe to retry)`, retryable: true, cause })
  }
  if (code !== undefined && code.startsWith("23")) {
    return new EventStoreError({ reason: "Constraint", message: `${doing}: ${detail}`, retryable: false, cause })
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
    return new EventStoreError({ reason: "Corrupted", message: `${doing}: ${detail}`, retryable: false, cause })
  }
  return new EventStoreError({ reason: "Io", message: `${doing}: ${detail}`, retryable: false, cause })
}
