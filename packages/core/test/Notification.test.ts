import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option } from "effect"
import * as Notification from "../src/Notification.ts"
import * as RecipientDirectory from "../src/RecipientDirectory.ts"

const number = "000.00.16.H08-240320-0001"

const message = (overrides: Partial<Notification.Message> = {}): Notification.Message => ({
  id: "ntf-7-sms-0123456789abcdef",
  channel: "Sms",
  kind: "Received",
  to: "0912345678",
  dossierNumber: number,
  text: Notification.render({ kind: "Received", dossierNumber: number }),
  ...overrides
})

describe("Notification.render", () => {
  it("writes each kind in Vietnamese, naming the dossier number", () => {
    assert.strictEqual(
      Notification.render({ kind: "Received", dossierNumber: number }),
      "Hồ sơ 000.00.16.H08-240320-0001 đã được tiếp nhận."
    )
    assert.strictEqual(
      Notification.render({ kind: "Submitted", dossierNumber: number }),
      "Hồ sơ 000.00.16.H08-240320-0001 đã được nộp thành công và đang chờ cơ quan giải quyết tiếp nhận."
    )
    assert.strictEqual(
      Notification.render({ kind: "ResultIssued", dossierNumber: number }),
      "Hồ sơ 000.00.16.H08-240320-0001 đã có kết quả giải quyết. Kết quả điện tử đã được lưu vào kho dữ liệu của ông/bà."
    )
    assert.strictEqual(
      Notification.render({ kind: "PaperResultIssued", dossierNumber: number }),
      "Hồ sơ 000.00.16.H08-240320-0001 đã có kết quả giải quyết. Kết quả bản giấy được trả theo hình thức nhận kết quả ông/bà đã chọn."
    )
    for (const kind of Notification.Kind.literals) {
      assert.include(Notification.render({ kind, dossierNumber: number, reason: "x" }), `Hồ sơ ${number} `)
    }
  })

  it("keeps the officer's reason on one line, without doubling the full stop", () => {
    assert.strictEqual(
      Notification.render({ kind: "SupplementRequested", dossierNumber: number, reason: "  Thiếu bản sao\n  giấy khai sinh. " }),
      `Hồ sơ ${number} cần bổ sung: Thiếu bản sao giấy khai sinh. Vui lòng bổ sung để hồ sơ tiếp tục được giải quyết.`
    )
    assert.strictEqual(
      Notification.render({ kind: "Rejected", dossierNumber: number, reason: "   " }),
      `Hồ sơ ${number} đã bị từ chối giải quyết. Lý do: (không nêu lý do).`
    )
  })
})

describe("Notification.layerMemory and layerTest", () => {
  it.effect("records every accepted message, duplicates included (the notifier dedupes nothing)", () =>
    Effect.gen(function*() {
      const notifier = yield* Notification.Notifier
      const receipt = yield* notifier.send(message())
      yield* notifier.send(message())
      assert.strictEqual(receipt.id, message().id)
      const deliveries = yield* Notification.Deliveries
      assert.deepStrictEqual((yield* deliveries.delivered).map((d) => d.message), [message(), message()])
      assert.strictEqual((yield* deliveries.attempts).length, 2)
    }).pipe(Effect.provide(Notification.layerMemory)))

  it.effect("layerTest counts attempts per id and records only the sends the script lets through", () => {
    const seen: Array<[string, number]> = []
    const script: Notification.Script = (m, attempt) => {
      seen.push([m.id, attempt])
      return attempt === 1 ? Effect.fail(Notification.unavailable(m)) : Effect.void
    }
    return Effect.gen(function*() {
      const notifier = yield* Notification.Notifier
      const first = yield* Effect.exit(notifier.send(message()))
      assert.isTrue(Exit.isFailure(first))
      yield* notifier.send(message())
      yield* Effect.exit(notifier.send(message({ id: "other", channel: "Zalo", to: "8000000000" })))
      assert.deepStrictEqual(seen, [[message().id, 1], [message().id, 2], ["other", 1]])
      const deliveries = yield* Notification.Deliveries
      assert.deepStrictEqual((yield* deliveries.delivered).map((d) => d.message.id), [message().id])
      assert.strictEqual((yield* deliveries.attempts).length, 3)
    }).pipe(Effect.provide(Notification.layerTest(script)))
  })

  it("unavailable is retryable and says which message", () => {
    const error = Notification.unavailable(message())
    assert.isTrue(error.retryable)
    assert.strictEqual(error.reason, "ServerError")
    assert.include(error.message, message().id)
  })
})

describe("RecipientDirectory", () => {
  it.effect("finds an owner's contact and picks the address of a channel", () =>
    Effect.gen(function*() {
      const directory = yield* RecipientDirectory.RecipientDirectory
      const contact = yield* directory.contactOf("052090000495")
      assert.isTrue(Option.isSome(contact))
      const found = Option.getOrThrow(contact)
      assert.strictEqual(RecipientDirectory.addressOf(found, "Sms"), "+84912345678")
      assert.isNull(RecipientDirectory.addressOf(found, "Zalo"))
      assert.isTrue(Option.isNone(yield* directory.contactOf("079201012345")))
    }).pipe(Effect.provide(RecipientDirectory.layerMemory([["052090000495", { phone: "+84912345678", zaloId: null }]]))))

  it.effect("refuses a malformed phone number when the layer is built", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Effect.provide(
          Effect.service(RecipientDirectory.RecipientDirectory),
          RecipientDirectory.layerMemory([["052090000495", { phone: "12345", zaloId: null }]])
        )
      )
      assert.isTrue(Exit.isFailure(exit))
    }))

  it.effect("layers compose: a directory and a notifier side by side", () =>
    Effect.gen(function*() {
      const directory = yield* RecipientDirectory.RecipientDirectory
      const contact = Option.getOrThrow(yield* directory.contactOf("052090000495"))
      const to = RecipientDirectory.addressOf(contact, "Zalo")
      assert.strictEqual(to, "1234567890")
      yield* (yield* Notification.Notifier).send(message({ channel: "Zalo", to: to! }))
      assert.strictEqual((yield* (yield* Notification.Deliveries).delivered)[0]!.message.to, "1234567890")
    }).pipe(Effect.provide(Layer.mergeAll(
      Notification.layerMemory,
      RecipientDirectory.layerMemory([["052090000495", { phone: null, zaloId: "1234567890" }]])
    ))))
})
