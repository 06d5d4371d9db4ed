/**
 * The contract every `Notifier` adapter passes (the in-memory one of core, the NDJSON file sink and the
 * webhook of `@kho/node`): like the event-store and file-store contracts, one suite all adapters run.
 * What the sink received is read back the sink's own way.
 *
 * @since 0.1.0
 */
import { assert, describe, it } from "@effect/vitest"
import * as Notification from "@kho/core/Notification"
import { Effect } from "effect"
import type { Scope } from "effect"

/**
 * An adapter under test: the notifier, and how to read back what its sink received.
 *
 * @since 0.1.0
 */
export interface Subject {
  readonly notifier: Notification.Notifier["Service"]
  /** The messages the sink holds, in arrival order. */
  readonly received: Effect.Effect<ReadonlyArray<Notification.Message>>
}

/**
 * One message of every kind on both channels, with Vietnamese text.
 *
 * @since 0.1.0
 */
export const messages: ReadonlyArray<Notification.Message> = Notification.Kind.literals.flatMap((kind, i) =>
  Notification.Channel.literals.map((channel) => ({
    id: `ntf-${i + 1}-${channel.toLowerCase()}-${"0123456789abcdef"}`,
    channel,
    kind,
    to: channel === "Sms" ? "0912345678" : "8000000000",
    dossierNumber: "000.00.16.H08-240320-0001",
    text: Notification.render({ kind, dossierNumber: "000.00.16.H08-240320-0001", reason: "Thiếu Giấy xác nhận tình trạng hôn nhân" })
  }))
)

/**
 * Registers the contract for one adapter; `setup` builds a fresh subject for each case.
 *
 * @since 0.1.0
 */
export const run = (name: string, setup: Effect.Effect<Subject, never, Scope.Scope>): void => {
  describe(`Notifier contract: ${name}`, () => {
    it.live("delivers every kind on both channels with its id, address and Vietnamese text intact, in order", () =>
      Effect.scoped(Effect.gen(function*() {
        const { notifier, received } = yield* setup
        for (const message of messages) {
          const receipt = yield* notifier.send(message)
          assert.strictEqual(receipt.id, message.id)
        }
        assert.deepStrictEqual(yield* received, messages)
      })))

    it.live("delivers a message sent twice twice: deduplication is the outbox's job, not the notifier's", () =>
      Effect.scoped(Effect.gen(function*() {
        const { notifier, received } = yield* setup
        yield* notifier.send(messages[0]!)
        yield* notifier.send(messages[0]!)
        assert.deepStrictEqual(yield* received, [messages[0]!, messages[0]!])
      })))
  })
}
