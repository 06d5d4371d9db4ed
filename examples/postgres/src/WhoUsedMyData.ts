/**
 * The "who used my data" read model on PostgreSQL, run by `PgProjectionWorker`: each batch of
 * events and the checkpoint commit in one transaction, on the connection that holds the
 * projection's advisory lock. Besides the access log (`store_access`), it records which worker
 * projected each event and how many times (`projected_events`), so the example can show that every
 * event was projected exactly once although two workers run.
 */
import * as AccessLog from "@kho/core/AccessLog"
import * as DocumentStore from "@kho/core/DocumentStore"
import * as EventCodec from "@kho/core/EventCodec"
import type { EventStoreError } from "@kho/core/EventStore"
import * as Upcaster from "@kho/core/Upcaster"
import type { PgProjectionWorker } from "@kho/store-postgres"
import { Effect, Result } from "effect"

/** The projection's name: its checkpoint and its lock. */
export const NAME = "who-used-my-data"

/** The read model's tables (in the store's schema: the pool's search_path). */
export const ddl: ReadonlyArray<string> = [
  `CREATE TABLE projected_events (
     position bigint PRIMARY KEY, type text NOT NULL, worker text NOT NULL, times int NOT NULL)`,
  `CREATE TABLE store_access (
     position bigint PRIMARY KEY, owner_id text NOT NULL, at text NOT NULL, kind text NOT NULL, who text NOT NULL,
     procedure text NOT NULL, channel text, found int, dossier_number text, document_id text)`
]

const storePrefix = `${DocumentStore.decider.name}-`

/** The worker named `worker`; `onOwnership` is called once it owns the projection. */
export const worker = (
  worker: string,
  onOwnership: (checkpoint: number) => Effect.Effect<void>
): PgProjectionWorker.Options<EventCodec.EventDecodeError | EventStoreError> => ({
  name: NAME,
  batchSize: 10,
  retryInterval: 50,
  onOwnership,
  handle: (events, tx) =>
    Effect.gen(function*() {
      yield* tx.query(
        `INSERT INTO projected_events (position, type, worker, times)
         SELECT p, t, $3, 1 FROM unnest($1::bigint[], $2::text[]) AS u(p, t)
         ON CONFLICT (position) DO UPDATE SET times = projected_events.times + 1`,
        [events.map((e) => e.globalPosition), events.map((e) => e.type), worker]
      )
      const decode = EventCodec.decoder(DocumentStore.decider.eventSchema, yield* Effect.service(Upcaster.CurrentRegistry))
      for (const recorded of events) {
        if (!recorded.streamId.startsWith(storePrefix)) continue
        if (recorded.type !== "StoreAccessed" && recorded.type !== "DocumentUsed") continue
        const decoded = decode(recorded)
        if (Result.isFailure(decoded)) return yield* Effect.fail(decoded.failure)
        // the same lines as the core's AccessLog, written to a table
        const entry = AccessLog.entryOf(decoded.success, recorded)
        if (entry === null) continue
        yield* tx.query(
          `INSERT INTO store_access (position, owner_id, at, kind, who, procedure, channel, found, dossier_number, document_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            entry.position,
            entry.ownerId,
            entry.at,
            entry.kind,
            entry.who,
            entry.procedure,
            entry.channel,
            entry.found,
            entry.dossierNumber,
            entry.documentId
          ]
        )
      }
    })
})
