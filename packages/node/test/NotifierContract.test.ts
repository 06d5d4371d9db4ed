/**
 * One contract for every `Notifier`: the in-memory one of core, the NDJSON file sink and the
 * webhook (against a local gateway). What the sink received is read back the sink's own way.
 */
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as Notification from "@kho/core/Notification"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Context, Effect, Layer, Schema } from "effect"
import type { Scope } from "effect"
import * as ConsoleNotifier from "../src/ConsoleNotifier.ts"
import * as WebhookNotifier from "../src/WebhookNotifier.ts"
import { startServer } from "./utils/notifierServer.ts"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "kho-notifier-contract-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

interface Subject {
  readonly notifier: Notification.Notifier["Service"]
  /** The messages the sink holds, in arrival order. */
  readonly received: Effect.Effect<ReadonlyArray<Notification.Message>>
}

const decodeBody = Schema.decodeUnknownSync(Schema.fromJsonString(WebhookNotifier.Body))

const adapters: ReadonlyArray<readonly [string, Effect.Effect<Subject, never, Scope.Scope>]> = [
  ["Notification.layerMemory", Effect.gen(function*() {
    const context = yield* Layer.build(Notification.layerMemory)
    const deliveries = Context.get(context, Notification.Deliveries)
    return {
      notifier: Context.get(context, Notification.Notifier),
      received: Effect.map(deliveries.delivered, (all) => all.map((d) => d.message))
    }
  })],
  ["ConsoleNotifier.layerFile", Effect.gen(function*() {
    const file = path.join(root, `${Math.random().toString(36).slice(2)}.ndjson`)
    const notifier = yield* Effect.orDie(ConsoleNotifier.makeFile(file))
    return {
      notifier,
      received: Effect.orDie(Effect.map(ConsoleNotifier.readFile(file), (lines) => lines.map(({ at: _at, ...message }) => message)))
    }
  })],
  ["WebhookNotifier", Effect.gen(function*() {
    const server = yield* startServer(() => ({ status: 200 }))
    return {
      notifier: WebhookNotifier.make({ endpoints: { Zalo: server.url, Sms: server.url }, retries: 0 }),
      received: Effect.sync(() => server.received.map((r) => decodeBody(r.body)))
    }
  })]
]

const messages: ReadonlyArray<Notification.Message> = Notification.Kind.literals.flatMap((kind, i) =>
  Notification.Channel.literals.map((channel) => ({
    id: `ntf-${i + 1}-${channel.toLowerCase()}-${"0123456789abcdef"}`,
    channel,
    kind,
    to: channel === "Sms" ? "0912345678" : "8000000000",
    dossierNumber: "000.00.16.H08-240320-0001",
    text: Notification.render({ kind, dossierNumber: "000.00.16.H08-240320-0001", reason: "Thiếu Giấy xác nhận tình trạng hôn nhân" })
  }))
)

for (const [name, setup] of adapters) {
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
