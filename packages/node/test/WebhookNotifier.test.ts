import * as Checkpoint from "@kho/core/Checkpoint"
import * as EventStore from "@kho/core/EventStore"
import * as Notification from "@kho/core/Notification"
import * as NotificationOutbox from "@kho/core/NotificationOutbox"
import * as RecipientDirectory from "@kho/core/RecipientDirectory"
import * as WebhookNotifier from "../src/WebhookNotifier.ts"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, Schema } from "effect"
import { closedPort, type Received, startServer } from "./utils/notifierServer.ts"
import { number, ownerId, submitAndReceive } from "./utils/notifierDossier.ts"

const message: Notification.Message = {
  id: "ntf-42-zalo-0123456789abcdef",
  channel: "Zalo",
  kind: "Received",
  to: "8000000000",
  dossierNumber: "000.00.16.H08-240320-0001",
  text: "Hồ sơ 000.00.16.H08-240320-0001 đã được tiếp nhận."
}

const fast = { retries: 2, retryBase: "1 millis", timeout: "2 seconds" } as const

const decodeBody = Schema.decodeUnknownSync(Schema.fromJsonString(WebhookNotifier.Body))

describe("WebhookNotifier", () => {
  it.live("retries a 5xx, then succeeds; every attempt carries the JSON message and the same idempotency key", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* startServer((_, i) => i < 2 ? { status: 503 } : { status: 202, body: `{"id":"zalo-msg-7"}` })
      const notifier = WebhookNotifier.make({ ...fast, endpoints: { Zalo: server.url } })
      const receipt = yield* notifier.send(message)
      assert.deepStrictEqual(receipt, { id: message.id, providerReference: "zalo-msg-7" })
      assert.strictEqual(server.received.length, 3)
      for (const request of server.received) {
        assert.strictEqual(request.method, "POST")
        assert.strictEqual(request.path, "/notify")
        assert.strictEqual(request.headers["idempotency-key"], message.id)
        assert.match(String(request.headers["content-type"]), /^application\/json/)
        assert.deepStrictEqual(decodeBody(request.body), message)
      }
    })))

  it.live("does not retry a 4xx: the message is refused for good", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* startServer(() => ({ status: 400, body: `{"error":"số điện thoại không hợp lệ"}` }))
      const notifier = WebhookNotifier.make({ ...fast, endpoints: { Zalo: server.url } })
      const error = yield* Effect.flip(notifier.send(message))
      assert.strictEqual(error.reason, "Rejected")
      assert.strictEqual(error.status, 400)
      assert.isFalse(error.retryable)
      assert.include(error.message, "số điện thoại không hợp lệ")
      assert.strictEqual(server.received.length, 1)
    })))

  it.live("retries a 429 and reports it retryable when it persists", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* startServer(() => ({ status: 429 }))
      const notifier = WebhookNotifier.make({ ...fast, endpoints: { Zalo: server.url } })
      const error = yield* Effect.flip(notifier.send(message))
      assert.strictEqual(error.reason, "Throttled")
      assert.isTrue(error.retryable)
      assert.strictEqual(server.received.length, 3)
    })))

  it.live("times out on a gateway that does not answer, and says the failure is retryable", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* startServer(() => "hang")
      const notifier = WebhookNotifier.make({ endpoints: { Zalo: server.url }, timeout: "100 millis", retries: 1, retryBase: "1 millis" })
      const error = yield* Effect.flip(notifier.send(message))
      assert.strictEqual(error.reason, "Timeout")
      assert.isTrue(error.retryable)
      assert.strictEqual(server.received.length, 2)
    })))

  it.live("reports a refused connection as a retryable Connection error, after retrying", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const notifier = WebhookNotifier.make({ ...fast, endpoints: { Zalo: `http://127.0.0.1:${port}/notify` } })
      const error = yield* Effect.flip(notifier.send(message))
      assert.strictEqual(error.reason, "Connection")
      assert.isTrue(error.retryable)
      assert.include(error.message, "ECONNREFUSED")
    }))

  it.live("refuses a channel without an endpoint without any request", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* startServer(() => ({ status: 200 }))
      const notifier = WebhookNotifier.make({ ...fast, endpoints: { Zalo: server.url } })
      const error = yield* Effect.flip(notifier.send({ ...message, channel: "Sms", to: "0912345678" }))
      assert.strictEqual(error.reason, "Unsupported")
      assert.isFalse(error.retryable)
      assert.strictEqual(server.received.length, 0)
    })))

  it.live("aborts the request when the send is interrupted", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* startServer(() => "hang")
      const notifier = WebhookNotifier.make({ endpoints: { Zalo: server.url }, timeout: "1 minute" })
      const fiber = yield* Effect.forkChild(notifier.send(message))
      while (server.received.length === 0) yield* Effect.sleep("5 millis")
      yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.hasInterrupts(yield* Fiber.await(fiber)))
      for (let i = 0; i < 200 && server.abandoned.length === 0; i++) yield* Effect.sleep("5 millis")
      assert.deepStrictEqual(server.abandoned, [0], "the gateway saw the client give up")
    })))
})

describe("WebhookNotifier under the outbox", () => {
  /**
   * A gateway that delivers a message the first time it sees its idempotency key and only
   * acknowledges (without delivering) a key it already saw; it never answers the very first request.
   */
  const gateway = () => {
    const delivered: Array<string> = []
    const reply = (request: Received, index: number) => {
      const key = String(request.headers["idempotency-key"])
      if (!delivered.includes(key)) delivered.push(key)
      return index === 0 ? "hang" as const : { status: 200 }
    }
    return { delivered, reply }
  }

  const stores = Layer.mergeAll(
    EventStore.layerMemory,
    Checkpoint.layerMemory,
    NotificationOutbox.layerMemory,
    RecipientDirectory.layerMemory([[ownerId, { phone: "0912345678", zaloId: "8000000000" }]]).pipe(Layer.orDie)
  )

  it.live("a relay killed while the gateway has not answered: the resend carries the same key, and the gateway delivers once", () =>
    Effect.scoped(Effect.gen(function*() {
      const { delivered, reply } = gateway()
      const server = yield* startServer(reply)
      const notifier = WebhookNotifier.layer({ ...fast, endpoints: { Sms: server.url }, timeout: "1 minute" })
      yield* Effect.gen(function*() {
        yield* submitAndReceive("hs-1")
        const relay = yield* Effect.forkChild(
          NotificationOutbox.run({ channels: ["Sms"], concurrency: 1, retry: { base: "1 millis", jitter: false } })
        )
        while (server.received.length === 0) yield* Effect.sleep("5 millis")
        yield* Fiber.interrupt(relay)

        const summary = yield* NotificationOutbox.drain({ channels: ["Sms"], retry: { base: "1 millis", jitter: false } })
        assert.strictEqual(summary.sent, 2)
        const keys = server.received.map((r) => String(r.headers["idempotency-key"]))
        assert.strictEqual(keys.length, 3, "the first message was sent twice, the second once")
        assert.strictEqual(keys[0], keys[1])
        assert.strictEqual(delivered.length, 2)
        assert.deepStrictEqual(
          server.received.slice(1).map((r) => decodeBody(r.body).text),
          [
            `Hồ sơ ${number} đã được nộp thành công và đang chờ cơ quan giải quyết tiếp nhận.`,
            `Hồ sơ ${number} đã được tiếp nhận.`
          ]
        )
        const entries = yield* (yield* NotificationOutbox.OutboxStore).list()
        assert.deepStrictEqual(entries.map((e) => [e.status, e.attempts]), [["Sent", 2], ["Sent", 1]])
      }).pipe(Effect.provide(Layer.mergeAll(stores, notifier)))
    })))
})
