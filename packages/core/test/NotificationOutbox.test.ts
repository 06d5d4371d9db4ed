import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Option, Stream } from "effect"
import { TestClock } from "effect/testing"
import { CheckpointStore } from "../src/Checkpoint.ts"
import { EventStore, ExpectedVersion } from "../src/EventStore.ts"
import * as Notification from "../src/Notification.ts"
import * as NotificationOutbox from "../src/NotificationOutbox.ts"
import * as Projection from "../src/Projection.ts"
import * as RecipientDirectory from "../src/RecipientDirectory.ts"
import { directoryOf, drive, fastRetry, numberOf, ownerOf, stores } from "./utils/notificationFixtures.ts"

const base = (notifier: Layer.Layer<Notification.Notifier | Notification.Deliveries>, directory = directoryOf(4)) =>
  Layer.mergeAll(stores, notifier, directory)

const deliveredIds = Effect.gen(function*() {
  const deliveries = yield* Notification.Deliveries
  return (yield* deliveries.delivered).map((d) => d.message.id)
})

const outbox = Effect.flatMap(Effect.service(NotificationOutbox.OutboxStore), (store) => store.list())

/** How many times each id was delivered. */
const countById = (ids: ReadonlyArray<string>): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
  return counts
}

const log = Effect.flatMap(Effect.service(EventStore), (store) => Stream.runCollect(store.readAll()))

describe("NotificationOutbox mapping", () => {
  it.effect("notifies a submitted dossier's owner of each step, once per channel, with ids derived from the event", () =>
    Effect.gen(function*() {
      yield* drive("hs-1", "ResultIssued", { ownerId: ownerOf(0), number: numberOf(1) })
      const summary = yield* NotificationOutbox.drain({ retry: fastRetry })
      const events = yield* log
      const triggers = events.filter((e) => ["DossierNumberAssigned", "DossierReceived", "ResultIssued"].includes(e.type))
      assert.strictEqual(triggers.length, 3)
      const expected = triggers.flatMap((e) => [
        NotificationOutbox.notificationId(e, "Zalo"),
        NotificationOutbox.notificationId(e, "Sms")
      ])
      assert.deepStrictEqual([...(yield* deliveredIds)].sort(), [...expected].sort())
      assert.strictEqual(summary.sent, 6)
      assert.strictEqual(summary.position, events.length)

      const delivered = yield* (yield* Notification.Deliveries).delivered
      const sms = delivered.filter((d) => d.message.channel === "Sms").map((d) => d.message)
      assert.deepStrictEqual(sms.map((m) => m.kind), ["Submitted", "Received", "ResultIssued"])
      assert.deepStrictEqual(new Set(sms.map((m) => m.to)), new Set(["0912345678"]))
      assert.strictEqual(sms[1]!.text, `Hồ sơ ${numberOf(1)} đã được tiếp nhận.`)
      const zalo = delivered.filter((d) => d.message.channel === "Zalo").map((d) => d.message)
      assert.deepStrictEqual(new Set(zalo.map((m) => m.to)), new Set(["8000000000"]))

      const entries = yield* outbox
      assert.isTrue(entries.every((e) => e.status === "Sent" && e.attempts === 1 && e.sentAt !== null))
    }).pipe(Effect.provide(base(Notification.layerMemory))))

  it.effect("never notifies for a dossier that was not submitted, nor for one submitted but not yet numbered", () =>
    Effect.gen(function*() {
      yield* drive("draft", "Draft", { ownerId: ownerOf(0), number: numberOf(1) })
      yield* drive("unnumbered", "SubmittedUnnumbered", { ownerId: ownerOf(1), number: numberOf(2) })
      const summary = yield* NotificationOutbox.drain({ retry: fastRetry })
      assert.isTrue(summary.position > 0)
      assert.deepStrictEqual(yield* deliveredIds, [])
      assert.deepStrictEqual(yield* outbox, [])
    }).pipe(Effect.provide(base(Notification.layerMemory))))

  it.effect("ignores a trigger event in a stream without a submission (a forged or broken log)", () =>
    Effect.gen(function*() {
      yield* drive("draft", "Draft", { ownerId: ownerOf(0), number: numberOf(1) })
      const store = yield* EventStore
      yield* store.append("Dossier-draft", [{
        type: "DossierReceived",
        schemaVersion: 1,
        data: {
          _tag: "DossierReceived",
          dossierId: "draft",
          at: "2024-03-20T03:00:00.000Z",
          number: numberOf(1),
          ownerId: ownerOf(0),
          agencyCode: "000.20.33.H08",
          procedure: "1.000894",
          officerId: "cb-001",
          components: []
        },
        metadata: { actor: { _tag: "System", component: "forger" }, commandId: "forged", correlationId: "forged", causationId: null }
      }], { expectedVersion: ExpectedVersion.any })
      yield* NotificationOutbox.drain({ retry: fastRetry })
      assert.deepStrictEqual(yield* deliveredIds, [])
    }).pipe(Effect.provide(base(Notification.layerMemory))))

  it.effect("sends the officer's reason with a request for supplements and a rejection", () =>
    Effect.gen(function*() {
      yield* drive("hs-1", "SupplementRequested", { ownerId: ownerOf(0), number: numberOf(1) })
      yield* drive("hs-2", "Rejected", { ownerId: ownerOf(1), number: numberOf(2) })
      yield* NotificationOutbox.drain({ retry: fastRetry, channels: ["Sms"] })
      const texts = (yield* (yield* Notification.Deliveries).delivered).map((d) => d.message.text)
      assert.include(texts, `Hồ sơ ${numberOf(1)} cần bổ sung: Giấy xác nhận tình trạng hôn nhân đã quá 6 tháng. Vui lòng bổ sung để hồ sơ tiếp tục được giải quyết.`)
      assert.include(texts, `Hồ sơ ${numberOf(2)} đã bị từ chối giải quyết. Lý do: Hồ sơ không thuộc thẩm quyền.`)
      assert.strictEqual(texts.length, 5)
    }).pipe(Effect.provide(base(Notification.layerMemory))))

  it.effect("skips a channel the owner has no address on, and an owner the directory does not know", () =>
    Effect.gen(function*() {
      yield* drive("hs-1", "Submitted", { ownerId: ownerOf(0), number: numberOf(1) })
      yield* drive("hs-2", "Submitted", { ownerId: "079201012345", number: numberOf(2) })
      const summary = yield* NotificationOutbox.drain({ retry: fastRetry })
      assert.strictEqual(summary.sent, 1)
      assert.strictEqual(summary.skipped, 3)
      const delivered = yield* (yield* Notification.Deliveries).delivered
      assert.deepStrictEqual(delivered.map((d) => [d.message.channel, d.message.to]), [["Sms", "0912345678"]])
      const skipped = (yield* outbox).filter((e) => e.status === "Skipped")
      assert.strictEqual(skipped.length, 3)
      assert.isTrue(skipped.every((e) => e.attempts === 0 && e.lastError !== null))
    }).pipe(Effect.provide(base(
      Notification.layerMemory,
      directoryOf(1, [[ownerOf(0), { phone: "0912345678", zaloId: null }]])
    ))))

  it.effect("startFrom head skips the history a new relay finds, then notifies what follows", () =>
    Effect.gen(function*() {
      yield* drive("old", "ResultIssued", { ownerId: ownerOf(0), number: numberOf(1) })
      const first = yield* NotificationOutbox.drain({ retry: fastRetry, startFrom: "head" })
      assert.strictEqual(first.sent, 0)
      yield* drive("new", "Submitted", { ownerId: ownerOf(1), number: numberOf(2) })
      const second = yield* NotificationOutbox.drain({ retry: fastRetry, startFrom: "head" })
      assert.strictEqual(second.sent, 2)
      const delivered = yield* (yield* Notification.Deliveries).delivered
      assert.deepStrictEqual(new Set(delivered.map((d) => d.message.dossierNumber)), new Set([numberOf(2)]))
    }).pipe(Effect.provide(base(Notification.layerMemory))))
})

let calls = 0

describe("NotificationOutbox retries", () => {
  it.effect("retries a retryable failure with exponential backoff, then sends once", () => {
    const failTwice: Notification.Script = (message, attempt) =>
      attempt <= 2 ? Effect.fail(Notification.unavailable(message)) : Effect.void
    return Effect.gen(function*() {
      yield* drive("hs-1", "Submitted", { ownerId: ownerOf(0), number: numberOf(1) })
      const deliveries = yield* Notification.Deliveries
      const fiber = yield* Effect.forkChild(
        NotificationOutbox.drain({ channels: ["Sms"], retry: { base: "2 seconds", factor: 2, jitter: false } })
      )
      const attempts = Effect.map(deliveries.attempts, (a) => a.length)
      yield* TestClock.adjust("0 millis")
      assert.strictEqual(yield* attempts, 1)
      yield* TestClock.adjust("1999 millis")
      assert.strictEqual(yield* attempts, 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* attempts, 2)
      yield* TestClock.adjust("3999 millis")
      assert.strictEqual(yield* attempts, 2, "the second delay is twice the first")
      yield* TestClock.adjust("1 millis")
      const summary = yield* Fiber.join(fiber)
      assert.strictEqual(summary.sent, 1)
      assert.strictEqual(yield* attempts, 3)
      assert.strictEqual((yield* deliveries.delivered).length, 1)
      const [entry] = yield* outbox
      assert.strictEqual(entry!.status, "Sent")
      assert.strictEqual(entry!.attempts, 3)
      assert.isNull(entry!.lastError)
    }).pipe(Effect.provide(base(Notification.layerTest(failTwice))))
  })

  it.effect("gives up after maxAttempts, keeps the attempts and the last error, and requeueFailed sends it later", () => {
    let down = true
    const outage: Notification.Script = (message) => down ? Effect.fail(Notification.unavailable(message)) : Effect.void
    return Effect.gen(function*() {
      yield* drive("hs-1", "Submitted", { ownerId: ownerOf(0), number: numberOf(1) })
      const summary = yield* NotificationOutbox.drain({ channels: ["Zalo"], retry: { ...fastRetry, maxAttempts: 3 } })
      assert.strictEqual(summary.failed, 1)
      const [failed] = yield* outbox
      assert.strictEqual(failed!.status, "Failed")
      assert.strictEqual(failed!.attempts, 3)
      assert.include(failed!.lastError!, "503")
      assert.deepStrictEqual(yield* deliveredIds, [])

      down = false
      assert.strictEqual((yield* NotificationOutbox.drain({ channels: ["Zalo"], retry: fastRetry })).sent, 0, "a failed entry stays failed")
      assert.deepStrictEqual(yield* NotificationOutbox.requeueFailed(), [failed!.id])
      const again = yield* NotificationOutbox.drain({ channels: ["Zalo"], retry: fastRetry })
      assert.strictEqual(again.sent, 1)
      assert.deepStrictEqual(yield* deliveredIds, [failed!.id])
    }).pipe(Effect.provide(base(Notification.layerTest(outage))))
  })

  it.effect("does not retry a refused message", () => {
    const refuse: Notification.Script = (message) =>
      Effect.fail(
        new Notification.NotifierError({
          notificationId: message.id,
          channel: message.channel,
          reason: "Rejected",
          retryable: false,
          status: 400,
          message: "the provider refused the message (400)"
        })
      )
    return Effect.gen(function*() {
      yield* drive("hs-1", "Submitted", { ownerId: ownerOf(0), number: numberOf(1) })
      const summary = yield* NotificationOutbox.drain({ channels: ["Sms"], retry: fastRetry })
      assert.strictEqual(summary.failed, 1)
      assert.strictEqual((yield* (yield* Notification.Deliveries).attempts).length, 1)
      const [entry] = yield* outbox
      assert.strictEqual(entry!.status, "Failed")
      assert.strictEqual(entry!.lastError, "the provider refused the message (400)")
    }).pipe(Effect.provide(base(Notification.layerTest(refuse))))
  })

  it.effect("retries a directory that is down, and fails a notification the directory keeps refusing", () =>
    Effect.gen(function*() {
      yield* drive("hs-1", "Submitted", { ownerId: ownerOf(0), number: numberOf(1) })
      const summary = yield* NotificationOutbox.drain({ channels: ["Sms"], retry: { ...fastRetry, maxAttempts: 4 } })
      assert.strictEqual(summary.failed, 1)
      assert.strictEqual(calls, 4)
      assert.deepStrictEqual(yield* deliveredIds, [])
    }).pipe(Effect.provide(base(
      Notification.layerMemory,
      Layer.succeed(RecipientDirectory.RecipientDirectory, {
        contactOf: (ownerId) =>
          Effect.suspend(() => {
            calls++
            return Effect.fail(new RecipientDirectory.RecipientDirectoryError({ ownerId, retryable: true, message: "directory down" }))
          })
      })
    ))))

  it.effect("dispatching the same id several times at once, or again later, sends it once", () =>
    Effect.gen(function*() {
      yield* drive("hs-1", "Submitted", { ownerId: ownerOf(0), number: numberOf(1) })
      yield* Projection.catchUp(NotificationOutbox.projection({ channels: ["Sms"] }))
      const [entry] = yield* outbox
      const outcomes = yield* Effect.all(
        [NotificationOutbox.dispatch(entry!.id), NotificationOutbox.dispatch(entry!.id), NotificationOutbox.dispatch(entry!.id)],
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual([...outcomes].sort(), ["AlreadyDone", "AlreadyDone", "Sent"])
      assert.deepStrictEqual(yield* deliveredIds, [entry!.id])
      // Later, by hand: a sent id is never sent again.
      assert.strictEqual(yield* NotificationOutbox.dispatch(entry!.id), "AlreadyDone")
      assert.strictEqual(yield* NotificationOutbox.dispatch("ntf-unknown"), "AlreadyDone")
      assert.deepStrictEqual(yield* deliveredIds, [entry!.id])
    }).pipe(Effect.provide(base(Notification.layerTest(() => Effect.yieldNow)))))
})

describe("NotificationOutbox crash between append and send", () => {
  /**
   * The first send of every message never returns (the provider has not answered when the process
   * dies); later sends succeed. `started` completes once `expected` sends are hanging.
   */
  const hangFirst = (started: Deferred.Deferred<void>, expected: number) => {
    let hanging = 0
    const script: Notification.Script = (_, attempt) =>
      attempt > 1 ? Effect.void : Effect.suspend(() => {
        hanging++
        return Effect.andThen(hanging === expected ? Deferred.succeed(started, undefined) : Effect.void, Effect.never)
      })
    return script
  }

  it.effect("a relay killed while sending loses nothing: a new relay sends each notification exactly once", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      const layer = base(Notification.layerTest(hangFirst(started, 2)))
      yield* Effect.gen(function*() {
        const relay = yield* Effect.forkChild(NotificationOutbox.run({ retry: fastRetry }))
        // The event is appended while the relay is running…
        yield* drive("hs-1", "Submitted", { ownerId: ownerOf(0), number: numberOf(1) })
        yield* Deferred.await(started)
        // …and the relay dies before the provider acknowledged anything.
        yield* Fiber.interrupt(relay)
        assert.deepStrictEqual(yield* deliveredIds, [])
        const interrupted = yield* outbox
        assert.strictEqual(interrupted.length, 2)
        assert.isTrue(interrupted.every((e) => e.status === "Pending" && e.attempts === 1))

        // A new relay on the same log, checkpoint and outbox state.
        const restarted = yield* Effect.forkChild(NotificationOutbox.run({ retry: fastRetry }))
        for (let i = 0; i < 1000 && (yield* deliveredIds).length < 2; i++) yield* Effect.yieldNow
        yield* Fiber.interrupt(restarted)
        const ids = yield* deliveredIds
        assert.deepStrictEqual([...countById(ids).values()], [1, 1])
        assert.deepStrictEqual(new Set(ids), new Set(interrupted.map((e) => e.id)))

        // A replay from an older checkpoint (here: from zero) sends nothing again.
        yield* (yield* CheckpointStore).reset("notifications")
        const replay = yield* NotificationOutbox.drain({ retry: fastRetry })
        assert.strictEqual(replay.sent, 0)
        assert.strictEqual((yield* deliveredIds).length, 2)
        assert.isTrue((yield* outbox).every((e) => e.status === "Sent" && e.attempts === 2))
      }).pipe(Effect.provide(layer))
    }))

  it.effect("a relay killed during a retry backoff resumes and sends once", () => {
    const failFirst: Notification.Script = (message, attempt) =>
      attempt === 1 ? Effect.fail(Notification.unavailable(message)) : Effect.void
    return Effect.gen(function*() {
      yield* drive("hs-1", "Received", { ownerId: ownerOf(0), number: numberOf(1) })
      const relay = yield* Effect.forkChild(NotificationOutbox.drain({ channels: ["Sms"], retry: { base: "1 hour", jitter: false } }))
      yield* TestClock.adjust("1 minute")
      const deliveries = yield* Notification.Deliveries
      assert.strictEqual((yield* deliveries.attempts).length, 2, "both first attempts failed; the relay waits")
      yield* Fiber.interrupt(relay)
      assert.deepStrictEqual(yield* deliveredIds, [])

      const summary = yield* NotificationOutbox.drain({ channels: ["Sms"], retry: fastRetry })
      assert.strictEqual(summary.sent, 2)
      assert.deepStrictEqual([...countById(yield* deliveredIds).values()], [1, 1])
    }).pipe(Effect.provide(base(Notification.layerTest(failFirst))))
  })

  it.effect("a crash after recording and before any send: the next relay sends from the outbox state", () =>
    Effect.gen(function*() {
      yield* drive("hs-1", "ResultIssued", { ownerId: ownerOf(0), number: numberOf(1) })
      // Only the recording stage ran, and the checkpoint moved past every event.
      yield* Projection.catchUp(NotificationOutbox.projection())
      const head = (yield* (yield* EventStore).head).position
      assert.strictEqual(yield* (yield* CheckpointStore).load("notifications"), head)
      assert.strictEqual((yield* outbox).length, 6)
      assert.deepStrictEqual(yield* deliveredIds, [])

      const summary = yield* NotificationOutbox.drain({ retry: fastRetry })
      assert.strictEqual(summary.sent, 6)
      assert.isTrue([...countById(yield* deliveredIds).values()].every((n) => n === 1))
      assert.isTrue(Option.isSome(yield* (yield* NotificationOutbox.OutboxStore).get((yield* outbox)[0]!.id)))
    }).pipe(Effect.provide(base(Notification.layerMemory))))
})
