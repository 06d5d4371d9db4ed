/**
 * Where a notification finds its recipient: owner id → phone number and Zalo id.
 *
 * Contact data never goes into events (an event log is kept for ever and exported to auditors) nor
 * into the notification outbox: the relay looks the owner up at send time, so a changed phone
 * number is used from the next message on, and erasing a contact erases it everywhere.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import type { Channel } from "./Notification.ts"

/**
 * A Vietnamese mobile number, `0xxxxxxxxx` or `+84xxxxxxxxx` (prefixes 3, 5, 7, 8, 9).
 *
 * @since 0.1.0
 */
export const Phone = Schema.String.check(Schema.isPattern(/^(0|\+84)[35789]\d{8}$/))

/**
 * A Zalo user id as an Official Account sees it (digits).
 *
 * @since 0.1.0
 */
export const ZaloId = Schema.String.check(Schema.isPattern(/^\d{1,32}$/))

/**
 * How to reach an owner; `null` where the owner gave no such address (that channel is skipped).
 *
 * @since 0.1.0
 */
export const Contact = Schema.Struct({
  phone: Schema.NullOr(Phone),
  zaloId: Schema.NullOr(ZaloId)
})

/**
 * @since 0.1.0
 */
export type Contact = typeof Contact.Type

/**
 * The address of `contact` on `channel`, or `null` when it has none.
 *
 * @since 0.1.0
 */
export const addressOf = (contact: Contact, channel: Channel): string | null =>
  channel === "Sms" ? contact.phone : contact.zaloId

/**
 * The directory could not answer (down, timed out). `retryable` tells the relay whether to try
 * again later; the notification stays pending meanwhile.
 *
 * @since 0.1.0
 */
export class RecipientDirectoryError extends Schema.TaggedError<RecipientDirectoryError>()("RecipientDirectoryError", {
  ownerId: Schema.String,
  retryable: Schema.Boolean,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect())
}) {}

/**
 * The recipient directory port (a citizen registry, the portal's account database…).
 *
 * @since 0.1.0
 */
export class RecipientDirectory extends Context.Service<RecipientDirectory, {
  /** The owner's contact, or none when the directory does not know the owner. */
  readonly contactOf: (ownerId: string) => Effect.Effect<Option.Option<Contact>, RecipientDirectoryError>
}>()("@kho/core/RecipientDirectory") {}

/**
 * A fixed directory, for tests and examples. Contacts are decoded (a malformed phone number fails
 * the layer, not a send much later).
 *
 * @since 0.1.0
 */
export const layerMemory = (
  contacts: Iterable<readonly [ownerId: string, contact: Contact]>
): Layer.Layer<RecipientDirectory, Schema.SchemaError> =>
  Layer.effect(
    RecipientDirectory,
    Effect.gen(function*() {
      const decode = Schema.decodeUnknownEffect(Contact)
      const byOwner = new Map<string, Contact>()
      for (const [ownerId, contact] of contacts) byOwner.set(ownerId, yield* decode(contact))
      return RecipientDirectory.of({
        contactOf: (ownerId) => Effect.sync(() => Option.fromNullishOr(byOwner.get(ownerId)))
      })
    })
  )
