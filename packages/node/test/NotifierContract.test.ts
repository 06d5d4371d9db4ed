/**
 * The Notifier contract of `@kho/testing` on the NDJSON file sink and the webhook (against a local gateway).
 */
import { afterAll } from "@effect/vitest"
import * as NotifierContract from "@kho/testing/NotifierContract"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Schema } from "effect"
import * as ConsoleNotifier from "../src/ConsoleNotifier.ts"
import * as WebhookNotifier from "../src/WebhookNotifier.ts"
import { startServer } from "./utils/notifierServer.ts"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "kho-notifier-contract-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const decodeBody = Schema.decodeUnknownSync(Schema.fromJsonString(WebhookNotifier.Body))

NotifierContract.run("ConsoleNotifier.layerFile", Effect.gen(function*() {
  const file = path.join(root, `${Math.random().toString(36).slice(2)}.ndjson`)
  const notifier = yield* Effect.orDie(ConsoleNotifier.makeFile(file))
  return {
    notifier,
    received: Effect.orDie(Effect.map(ConsoleNotifier.readFile(file), (lines) => lines.map(({ at: _at, ...message }) => message)))
  }
}))

NotifierContract.run("WebhookNotifier", Effect.gen(function*() {
  const server = yield* startServer(() => ({ status: 200 }))
  return {
    notifier: WebhookNotifier.make({ endpoints: { Zalo: server.url, Sms: server.url }, retries: 0 }),
    received: Effect.sync(() => server.received.map((r) => decodeBody(r.body)))
  }
}))
