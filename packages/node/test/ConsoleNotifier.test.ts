import { afterAll, assert, describe, it } from "@effect/vitest"
import * as Notification from "@kho/core/Notification"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Console, Effect } from "effect"
import * as ConsoleNotifier from "../src/ConsoleNotifier.ts"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "kho-notify-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const message: Notification.Message = {
  id: "ntf-7-sms-0123456789abcdef",
  channel: "Sms",
  kind: "SupplementRequested",
  to: "0912345678",
  dossierNumber: "000.00.16.H08-240320-0001",
  text: "Hồ sơ 000.00.16.H08-240320-0001 cần bổ sung: Giấy khai sinh. Vui lòng bổ sung để hồ sơ tiếp tục được giải quyết."
}

describe("ConsoleNotifier", () => {
  it("masks the middle of an address", () => {
    assert.strictEqual(ConsoleNotifier.mask("0912345678"), "091*****78")
    assert.strictEqual(ConsoleNotifier.mask("+84912345678"), "+84*******78")
    assert.strictEqual(ConsoleNotifier.mask("1234"), "****")
  })

  it.effect("prints one line per message, address masked", () => {
    const lines: Array<string> = []
    const console: Console.Console = { ...globalThis.console, log: (...args: ReadonlyArray<unknown>) => lines.push(args.join(" ")) }
    return Effect.gen(function*() {
      const notifier = yield* Notification.Notifier
      const receipt = yield* notifier.send(message)
      assert.strictEqual(receipt.id, message.id)
      assert.deepStrictEqual(lines, [`[Sms → 091*****78] ${message.text} (${message.id})`])
    }).pipe(Effect.provide(ConsoleNotifier.layer), Effect.provideService(Console.Console, console))
  })

  it.effect("appends one NDJSON line per send to a file in a directory it creates, duplicates included", () =>
    Effect.gen(function*() {
      const file = path.join(root, "nested", "dir", "notifications.ndjson")
      assert.deepStrictEqual(yield* ConsoleNotifier.readFile(file), [])
      const notifier = yield* ConsoleNotifier.makeFile(file)
      yield* notifier.send(message)
      yield* notifier.send({ ...message, id: "ntf-8-zalo-0123456789abcdef", channel: "Zalo", to: "8000000000" })
      yield* notifier.send(message)
      const lines = yield* ConsoleNotifier.readFile(file)
      assert.deepStrictEqual(lines.map((l) => l.id), [message.id, "ntf-8-zalo-0123456789abcdef", message.id])
      const { at, ...first } = lines[0]!
      assert.deepStrictEqual(first, message)
      assert.match(at, /^\d{4}-\d{2}-\d{2}T/)
      assert.strictEqual(fs.readFileSync(file, "utf8").split("\n").length, 4)
    }))

  it.effect("fails with a typed error when the directory cannot be created", () =>
    Effect.gen(function*() {
      const blocker = path.join(root, "a-file")
      fs.writeFileSync(blocker, "not a directory")
      const error = yield* Effect.flip(ConsoleNotifier.makeFile(path.join(blocker, "notifications.ndjson")))
      assert.strictEqual(error._tag, "NotificationFileError")
      assert.include(error.message, blocker)
    }))
})
