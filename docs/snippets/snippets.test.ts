import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { DocumentStore, DocumentStoreService, EventStore, Ndjson } from "@kho/core"
import { Effect, Result, Stream } from "effect"
import * as Auditor from "./auditor.ts"
import * as Concepts from "./concepts.ts"
import * as GettingStarted from "./getting-started.ts"
import * as Security from "./security.ts"

// The samples of the docs are typechecked (docs/snippets/tsconfig.json); these run them, so a sample
// that compiles but no longer does what its page says fails here.
const inStore = <A, E>(effect: Effect.Effect<A, E, GettingStarted.Services>) =>
  Effect.provide(effect, GettingStarted.services)

describe("docs samples", () => {
  it.effect("getting started: the upload is accepted and the search finds it", () =>
    inStore(Effect.gen(function*() {
      const { events, found } = yield* GettingStarted.uploadAndSearch
      assert.deepStrictEqual(events.map((e) => e._tag), ["DocumentUploaded"])
      assert.deepStrictEqual(found, ["Giấy khai sinh"])
    })))

  it.effect("concepts: decide, handle, envelope, matching and KPIs on the uploaded store", () =>
    inStore(Effect.gen(function*() {
      const { events } = yield* GettingStarted.uploadAndSearch
      assert.isTrue(Concepts.hideTwice(events))
      const hidden = yield* Concepts.hide
      assert.deepStrictEqual(hidden.events.map((e) => e._tag), ["DocumentHidden"])
      assert.isTrue((yield* Concepts.hide).alreadyAppended)
      yield* Concepts.printLog
      const store = yield* DocumentStoreService.DocumentStoreService
      const documents = DocumentStore.documents(yield* store.load("052090000495", { actor: { _tag: "Citizen", personalId: "052090000495" } }))
      const answer = Concepts.marriageStatus(documents)
      assert.match(answer, /^upload or scan \(khai-sinh-1: /)
      const report = yield* Concepts.appendixI
      assert.isTrue(Result.isSuccess(report))
      const head = yield* (yield* EventStore.EventStore).head
      if (Result.isSuccess(report)) assert.strictEqual(report.success.computedFrom.position, head.position)
    })))

  it.effect("security: a stranger may not read a citizen's file, and the owner may", () =>
    inStore(Effect.gen(function*() {
      yield* GettingStarted.uploadAndSearch
      const refused = yield* Security.strangerReads
      assert.strictEqual(refused._tag, "DocumentStoreForbidden")
      const bytes = yield* Security.ownerReads
      assert.isAbove(bytes.length, 0)
    })))

  it.effect("auditor: an intact export verifies and names its head; an altered one names where it broke", () =>
    inStore(Effect.gen(function*() {
      yield* GettingStarted.uploadAndSearch
      const store = yield* EventStore.EventStore
      const head = yield* store.head
      const path = join(mkdtempSync(join(tmpdir(), "kho-docs-")), "log.ndjson")
      writeFileSync(path, (yield* Stream.runCollect(Ndjson.encode(store.readAll()))).join(""))
      assert.deepStrictEqual(yield* Auditor.audit(path), { position: head.position, headHash: head.hash })
      writeFileSync(path, readFileSync(path, "utf8").replace("Giấy khai sinh", "Giấy khai tử"))
      assert.match(String(yield* Auditor.audit(path)), /^broken at position 1: /)
    })))
})
