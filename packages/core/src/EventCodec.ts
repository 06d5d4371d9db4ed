/**
 * Between domain events and the log: encoding goes through the event schema and stamps the current
 * schema version; decoding upcasts the stored JSON to the current version, then decodes it through
 * the schema. Nothing in Kho reads or writes event `data` any other way.
 *
 * The stored `data` is exactly the schema's JSON encoding of the event, `_tag` included; the
 * envelope's `type` repeats that `_tag`. The registry is `Upcaster.CurrentRegistry`, which holds
 * Kho's own upcasters (`Upcaster.kho`) unless a program provides another.
 *
 * @since 0.1.0
 */
import { Effect, Result, Schema } from "effect"
import type { EventMetadata, NewEvent, RecordedEvent } from "./Event.ts"
import * as Upcaster from "./Upcaster.ts"

/**
 * A stored event could not be turned back into a domain event (unknown or newer version, a missing
 * upcaster, data not matching the schema). The log is not changed; fix the software or the registry.
 *
 * @since 0.1.0
 */
export class EventDecodeError extends Schema.TaggedError<EventDecodeError>()("EventDecodeError", {
  streamId: Schema.String,
  globalPosition: Schema.Number,
  type: Schema.String,
  schemaVersion: Schema.Number,
  message: Schema.String
}) {}

/**
 * A decider produced an event its own schema cannot encode: a bug in the decider, nothing was appended.
 *
 * @since 0.1.0
 */
export class EventEncodeError extends Schema.TaggedError<EventEncodeError>()("EventEncodeError", {
  type: Schema.String,
  message: Schema.String
}) {}

/**
 * Any tagged event: the codec only needs the `_tag` to name what failed.
 *
 * @since 0.1.0
 */
export type AnyEvent = { readonly _tag: string }

const decoders = new WeakMap<object, (input: unknown) => Result.Result<unknown, Schema.SchemaError>>()
const encoders = new WeakMap<object, (input: unknown) => Result.Result<unknown, Schema.SchemaError>>()

const decoderOf = <Event>(schema: Schema.Codec<Event, any>) => {
  let decode = decoders.get(schema)
  if (decode === undefined) {
    decode = Schema.decodeUnknownResult(schema) as (input: unknown) => Result.Result<unknown, Schema.SchemaError>
    decoders.set(schema, decode)
  }
  return decode as (input: unknown) => Result.Result<Event, Schema.SchemaError>
}

const encoderOf = (schema: Schema.Codec<any, any>) => {
  let encode = encoders.get(schema)
  if (encode === undefined) {
    encode = Schema.encodeUnknownResult(schema) as (input: unknown) => Result.Result<unknown, Schema.SchemaError>
    encoders.set(schema, encode)
  }
  return encode
}

/**
 * A synchronous decoder for hot loops (folding a stream, replaying a log): upcast, then decode.
 *
 * @since 0.1.0
 */
export const decoder = <Event extends AnyEvent>(
  schema: Schema.Codec<Event, any>,
  registry: Upcaster.Registry
): (event: RecordedEvent) => Result.Result<Event, EventDecodeError> => {
  const decode = decoderOf(schema)
  const fail = (event: RecordedEvent, message: string) =>
    Result.fail(
      new EventDecodeError({
        streamId: event.streamId,
        globalPosition: event.globalPosition,
        type: event.type,
        schemaVersion: event.schemaVersion,
        message: `event ${event.globalPosition} (${event.type} v${event.schemaVersion} in ${event.streamId}): ${message}`
      })
    )
  return (event) => {
    const upcast = Upcaster.upcast(registry, event.type, event.schemaVersion, event.data)
    if (Result.isFailure(upcast)) return fail(event, upcast.failure)
    const decoded = decode(upcast.success)
    if (Result.isFailure(decoded)) return fail(event, `its data does not match the schema: ${decoded.failure.message}`)
    if (decoded.success._tag !== event.type) {
      return fail(event, `its data is a ${decoded.success._tag}, but the envelope says ${event.type}`)
    }
    return Result.succeed(decoded.success)
  }
}

/**
 * Decodes one recorded event with the registry in use ({@link Upcaster.CurrentRegistry}).
 *
 * @since 0.1.0
 */
export const decode = <Event extends AnyEvent>(
  schema: Schema.Codec<Event, any>,
  event: RecordedEvent
): Effect.Effect<Event, EventDecodeError> =>
  Effect.flatMap(Effect.service(Upcaster.CurrentRegistry), (registry) => Effect.fromResult(decoder(schema, registry)(event)))

/**
 * Encodes domain events into events ready to append, at the current version of their type.
 *
 * @since 0.1.0
 */
export const encode = <Event extends AnyEvent>(
  schema: Schema.Codec<Event, any>,
  events: ReadonlyArray<Event>,
  metadata: EventMetadata
): Effect.Effect<Array<NewEvent>, EventEncodeError> =>
  Effect.flatMap(Effect.service(Upcaster.CurrentRegistry), (registry) => {
    const encode = encoderOf(schema)
    const out: Array<NewEvent> = []
    for (const event of events) {
      const encoded = encode(event)
      if (Result.isFailure(encoded)) {
        return Effect.fail(
          new EventEncodeError({
            type: event._tag,
            message: `the decider produced a ${event._tag} its schema cannot encode: ${encoded.failure.message}`
          })
        )
      }
      out.push({
        type: event._tag,
        schemaVersion: Upcaster.currentVersion(registry, event._tag),
        data: encoded.success,
        metadata
      })
    }
    return Effect.succeed(out)
  })
