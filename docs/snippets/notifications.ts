/**
 * The samples of docs/notifications.md: wiring the notification relay into a service.
 */
import { Checkpoint, EventStore, NotificationOutbox, RecipientDirectory } from "@kho/core"
import { ConsoleNotifier, WebhookNotifier } from "@kho/node"
import { Effect, Layer } from "effect"

// #region layers
// What the relay needs: the log, a checkpoint store, the outbox state, a notifier, a directory.
export const relayLayer = Layer.mergeAll(
  EventStore.layerMemory, // the SQLite or PostgreSQL store in production
  Checkpoint.layerMemory,
  NotificationOutbox.layerMemory,
  WebhookNotifier.layer({
    endpoints: { Zalo: "http://127.0.0.1:8080/zalo", Sms: "http://127.0.0.1:8080/sms" },
    timeout: "10 seconds"
  }),
  RecipientDirectory.layerMemory([["052090000495", { phone: "0912345678", zaloId: "8000000000" }]])
)

// In development, write the messages to a file instead of calling a gateway.
export const devNotifier = ConsoleNotifier.layerFile("var/notifications.ndjson")
// #endregion layers

// #region run
export const service = Effect.gen(function*() {
  // Follows the log for ever; interrupting it (the scope closing) is a clean stop.
  yield* Effect.forkScoped(
    NotificationOutbox.run({ channels: ["Zalo", "Sms"], startFrom: "head" })
  )
  // … the rest of the service …
})
// #endregion run

// #region drain
// Once, to completion (a cron job, a test): record up to the head, send what is pending.
export const once = Effect.map(
  NotificationOutbox.drain(),
  (summary) => `${summary.sent} sent, ${summary.failed} failed, ${summary.skipped} skipped`
)

// After a provider outage longer than the retry policy: send the failed ones again.
export const afterOutage = NotificationOutbox.requeueFailed()
// #endregion drain
