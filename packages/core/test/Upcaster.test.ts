import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Result, Schema } from "effect"
import * as CommandHandler from "../src/CommandHandler.ts"
import type { Decider } from "../src/Decider.ts"
import * as EventCodec from "../src/EventCodec.ts"
import { EventStore, ExpectedVersion, layerMemory } from "../src/EventStore.ts"
import * as Checkpoint from "../src/Checkpoint.ts"
import * as Projection from "../src/Projection.ts"
import * as Upcaster from "../src/Upcaster.ts"
import { metadata } from "./utils/Counter.ts"

// The mechanism, on a HYPOTHETICAL toy schema defined here (not Kho's DocumentUploaded, which never
// had this shape): v1 had a bare `fileSize`; v2 has `file: { size, mediaType }`. The real change of a
// real Kho event (DocumentSuperseded v1 → v2, ADR 0112) is tested in DocumentStoreEvolution.test.ts.
class DocumentUploaded extends Schema.TaggedClass<DocumentUploaded>()("DocumentUploaded", {
  documentId: Schema.String,
  name: Schema.String,
  file: Schema.Struct({ size: Schema.Number, mediaType: Schema.String })
}) {}

const DocumentUploadedV1 = Schema.Struct({
  _tag: Schema.Literal("DocumentUploaded"),
  documentId: Schema.String,
  name: Schema.String,
  fileSize: Schema.Number
})

const fileSizeToFile = Upcaster.make({
  type: "DocumentUploaded",
  fromVersion: 1,
  from: DocumentUploadedV1,
  // every v1 upload was a PDF: the only format the portal accepted before v2
  upcast: ({ fileSize, ...rest }) => ({ ...rest, file: { size: fileSize, mediaType: "application/pdf" } })
})

const registry = Upcaster.registry([fileSizeToFile])

type Upload = { readonly _tag: "Upload"; readonly documentId: string; readonly size: number; readonly mediaType: string }

const documents: Decider<ReadonlyArray<DocumentUploaded>, Upload, DocumentUploaded, never> = {
  name: "Documents",
  initialState: [],
  decide: (command) =>
    Result.succeed([
      new DocumentUploaded({
        documentId: command.documentId,
        name: `${command.documentId}.pdf`,
        file: { size: command.size, mediaType: command.mediaType }
      })
    ]),
  evolve: (state, event) => [...state, event],
  eventSchema: DocumentUploaded
}

/** What version-1 software wrote, before `file` existed. */
const appendV1 = (documentId: string, fileSize: number) =>
  Effect.flatMap(Effect.service(EventStore), (store) =>
    store.append("Documents-052090000495", [{
      type: "DocumentUploaded",
      schemaVersion: 1,
      data: { _tag: "DocumentUploaded", documentId, name: `${documentId}.pdf`, fileSize },
      metadata: metadata(`v1-${documentId}`)
    }], { expectedVersion: ExpectedVersion.any }))

describe("Upcaster", () => {
  it("derives each type's current version from its steps", () => {
    assert.strictEqual(Upcaster.currentVersion(registry, "DocumentUploaded"), 2)
    assert.strictEqual(Upcaster.currentVersion(registry, "DocumentHidden"), 1)
    assert.strictEqual(Upcaster.currentVersion(Upcaster.empty, "DocumentUploaded"), 1)
  })

  it("refuses a registry with a missing or duplicated step", () => {
    const step = (fromVersion: number) => Upcaster.make({ type: "T", fromVersion, from: Schema.Unknown, upcast: (x) => x })
    expect(() => Upcaster.registry([step(1), step(3)])).toThrow("no upcaster from version 2 to 3")
    expect(() => Upcaster.registry([step(1), step(1)])).toThrow("two upcasters")
    expect(() => Upcaster.registry([step(0)])).toThrow("versions start at 1")
    assert.strictEqual(Upcaster.currentVersion(Upcaster.registry([step(2), step(1)]), "T"), 3)
  })

  it("keeps a step's description; Kho's built-in steps each have one and make up the default registry", () => {
    expect(fileSizeToFile.description).toBeUndefined()
    const described = Upcaster.make({ type: "T", fromVersion: 1, from: Schema.Unknown, upcast: (x) => x, description: "d" })
    expect(described.description).toBe("d")
    expect(Upcaster.builtIn.length).toBeGreaterThan(0)
    for (const step of Upcaster.builtIn) expect(step.description).toMatch(/\S/)
    expect(Upcaster.kho).toEqual(Upcaster.registry(Upcaster.builtIn))
  })

  it.effect("a provided registry keeps Kho's own steps, and may not replace them", () =>
    Effect.gen(function*() {
      // an application registers its own events only: DocumentSuperseded must stay at version 2
      const provided = yield* Effect.service(Upcaster.CurrentRegistry).pipe(Effect.provide(Upcaster.layer(registry)))
      assert.strictEqual(Upcaster.currentVersion(provided, "DocumentSuperseded"), 2)
      assert.strictEqual(Upcaster.currentVersion(provided, "DocumentUploaded"), 2)
      const empty = yield* Effect.service(Upcaster.CurrentRegistry).pipe(Effect.provide(Upcaster.layer(Upcaster.empty)))
      assert.strictEqual(Upcaster.currentVersion(empty, "DocumentSuperseded"), 2)
      // extending Kho's type past its last version keeps Kho's steps first: allowed
      const v2ToV3 = Upcaster.make({ type: "DocumentSuperseded", fromVersion: 2, from: Schema.Unknown, upcast: (x) => x })
      const extended = yield* Effect.service(Upcaster.CurrentRegistry).pipe(
        Effect.provide(Upcaster.layer(Upcaster.registry([...Upcaster.builtIn, v2ToV3])))
      )
      assert.strictEqual(Upcaster.currentVersion(extended, "DocumentSuperseded"), 3)
      const replacement = Upcaster.make({ type: "DocumentSuperseded", fromVersion: 1, from: Schema.Unknown, upcast: (x) => x })
      expect(() => Upcaster.layer(Upcaster.registry([replacement]))).toThrow("replaces Kho's own upcasters of DocumentSuperseded")
    }))

  it("upcasts stored JSON step by step and explains what it cannot read", () => {
    const v1 = { _tag: "DocumentUploaded", documentId: "d1", name: "d1.pdf", fileSize: 10 }
    assert.deepStrictEqual(
      Upcaster.upcast(registry, "DocumentUploaded", 1, v1),
      Result.succeed({ _tag: "DocumentUploaded", documentId: "d1", name: "d1.pdf", file: { size: 10, mediaType: "application/pdf" } })
    )
    const v2 = { _tag: "DocumentUploaded", documentId: "d1", name: "d1.pdf", file: { size: 1, mediaType: "image/png" } }
    assert.deepStrictEqual(Upcaster.upcast(registry, "DocumentUploaded", 2, v2), Result.succeed(v2))
    const newer = Upcaster.upcast(registry, "DocumentUploaded", 3, v2)
    expect(Result.isFailure(newer) && newer.failure).toContain("version 3 is unknown to this software, which reads versions 1 to 2")
    const notV1 = Upcaster.upcast(registry, "DocumentUploaded", 1, v2)
    expect(Result.isFailure(notV1) && notV1.failure).toContain("does not have the version 1 shape")
  })

  it.effect("reads a log mixing v1 and v2 events and writes new events at v2", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* appendV1("d1", 1000)
      yield* appendV1("d2", 2000)
      const outcome = yield* CommandHandler.handle(
        documents,
        "052090000495",
        { _tag: "Upload", documentId: "d3", size: 3000, mediaType: "image/jpeg" },
        metadata("c3")
      )
      yield* appendV1("d4", 4000) // an old replica still writing v1
      const recorded = yield* store.readStream("Documents-052090000495")
      assert.deepStrictEqual(recorded.map((e) => e.schemaVersion), [1, 1, 2, 1])
      assert.deepStrictEqual(recorded[2]!.data, {
        _tag: "DocumentUploaded",
        documentId: "d3",
        name: "d3.pdf",
        file: { size: 3000, mediaType: "image/jpeg" }
      })
      // the fold saw the v1 events upcast
      assert.deepStrictEqual(outcome.state.map((d) => d.file), [
        { size: 1000, mediaType: "application/pdf" },
        { size: 2000, mediaType: "application/pdf" },
        { size: 3000, mediaType: "image/jpeg" }
      ])
      // a decoded projection reads every version
      const sizes: Array<string> = []
      const projection = Projection.makeDecoded({
        name: "sizes",
        schema: DocumentUploaded,
        eventTypes: ["DocumentUploaded"],
        handle: (event, recorded) => {
          sizes.push(`${event.documentId}@v${recorded.schemaVersion}:${event.file.size}:${event.file.mediaType}`)
        }
      })
      yield* Projection.catchUp(projection)
      assert.deepStrictEqual(sizes, [
        "d1@v1:1000:application/pdf",
        "d2@v1:2000:application/pdf",
        "d3@v2:3000:image/jpeg",
        "d4@v1:4000:application/pdf"
      ])
    }).pipe(Effect.provide(Layer.mergeAll(layerMemory, Checkpoint.layerMemory, Upcaster.layer(registry)))))

  it.effect("without the registry, v1 events fail to decode with a message naming the event", () =>
    Effect.gen(function*() {
      yield* appendV1("d1", 1000)
      const error = yield* Effect.flip(CommandHandler.handle(
        documents,
        "052090000495",
        { _tag: "Upload", documentId: "d2", size: 1, mediaType: "application/pdf" },
        metadata("c2")
      ))
      assert.strictEqual(error._tag, "EventDecodeError")
      expect(error.message).toContain("event 1 (DocumentUploaded v1 in Documents-052090000495)")
    }).pipe(Effect.provide(layerMemory)))

  it.effect("EventCodec refuses data whose _tag disagrees with the envelope", () =>
    Effect.gen(function*() {
      const store = yield* EventStore
      yield* store.append("x", [{
        type: "DocumentHidden",
        schemaVersion: 2,
        data: { _tag: "DocumentUploaded", documentId: "d", name: "n", file: { size: 1, mediaType: "m" } },
        metadata: metadata("c")
      }], { expectedVersion: ExpectedVersion.any })
      const [recorded] = yield* store.readStream("x")
      const decoded = EventCodec.decoder(DocumentUploaded, Upcaster.registry([]))({ ...recorded!, schemaVersion: 1 })
      expect(Result.isFailure(decoded) && decoded.failure.message).toContain("the envelope says DocumentHidden")
    }).pipe(Effect.provide(layerMemory)))
})
