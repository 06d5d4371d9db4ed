/**
 * A `Notifier` for development and demos: every message becomes one line, on the console
 * ({@link layer}, with the recipient's address masked) or appended to an NDJSON file
 * ({@link layerFile}, one JSON object a line, full address — treat the file as personal data).
 * Nothing leaves the machine; no provider credentials are needed.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import * as Notification from "@kho/core/Notification"
import { Clock, Console, DateTime, Effect, Layer, Schema } from "effect"

const { Notifier, NotifierError } = Notification

/**
 * One line of the NDJSON file: the message and when it was written.
 *
 * @since 0.1.0
 */
export const Line = Schema.Struct({
  ...Notification.Message.fields,
  at: Schema.String
})

/**
 * @since 0.1.0
 */
export type Line = typeof Line.Type

/**
 * Hides the middle of an address for logs: `0912345678` → `091*****78`.
 *
 * @since 0.1.0
 */
export const mask = (address: string): string =>
  address.length <= 5 ? "*".repeat(address.length) : `${address.slice(0, 3)}${"*".repeat(address.length - 5)}${address.slice(-2)}`

/**
 * The console line of a message: `[Sms → 091*****78] Hồ sơ … đã được tiếp nhận. (ntf-…)`.
 *
 * @since 0.1.0
 */
export const format = (message: Notification.Message): string =>
  `[${message.channel} → ${mask(message.to)}] ${message.text} (${message.id})`

/**
 * The notification file cannot be prepared or read (permissions, a file where a directory should be).
 *
 * @since 0.1.0
 */
export class NotificationFileError extends Schema.TaggedError<NotificationFileError>()("NotificationFileError", {
  file: Schema.String,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect())
}) {}

const nowIso = Effect.map(Clock.currentTimeMillis, (millis) => DateTime.formatIso(DateTime.makeUnsafe(millis)))

/**
 * Prints each message with Effect's `Console` (so tests can capture it).
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<Notification.Notifier> = Layer.succeed(
  Notifier,
  Notifier.of({
    send: (message) => Effect.as(Console.log(format(message)), { id: message.id, providerReference: null })
  })
)

const encodeLine = Schema.encodeSync(Schema.fromJsonString(Line))

/**
 * Builds a notifier appending to the NDJSON file `file` (its directory is created). Each message
 * is one `appendFile` of one line, so concurrent sends do not interleave within a line.
 *
 * @since 0.1.0
 */
export const makeFile = (file: string): Effect.Effect<Notification.Notifier["Service"], NotificationFileError> =>
  Effect.gen(function*() {
    yield* Effect.tryPromise({
      try: () => fs.mkdir(path.dirname(file), { recursive: true }),
      catch: (cause) =>
        new NotificationFileError({ file, message: `cannot create the directory of the notification file ${file}`, cause })
    })
    return Notifier.of({
      send: (message) =>
        Effect.gen(function*() {
          const line = encodeLine({ ...message, at: yield* nowIso })
          yield* Effect.tryPromise({
            try: () => fs.appendFile(file, `${line}\n`, { encoding: "utf8" }),
            catch: (cause) =>
              new NotifierError({
                notificationId: message.id,
                channel: message.channel,
                reason: "Io",
                retryable: true,
                message: `cannot append notification ${message.id} to ${file}`,
                cause
              })
          })
          return { id: message.id, providerReference: null }
        })
    })
  })

/**
 * Appends each message to the NDJSON file `file`.
 *
 * @since 0.1.0
 */
export const layerFile = (file: string): Layer.Layer<Notification.Notifier, NotificationFileError> =>
  Layer.effect(Notifier, makeFile(file))

const decodeLine = Schema.decodeUnknownEffect(Schema.fromJsonString(Line))

/**
 * Reads back the lines of an NDJSON notification file (empty when it does not exist yet).
 *
 * @since 0.1.0
 */
export const readFile = (file: string): Effect.Effect<ReadonlyArray<Line>, NotificationFileError | Schema.SchemaError> =>
  Effect.gen(function*() {
    const text = yield* Effect.tryPromise({
      try: () => fs.readFile(file, "utf8").catch((cause: unknown) => isNotFound(cause) ? "" : Promise.reject(cause)),
      catch: (cause) => new NotificationFileError({ file, message: `cannot read the notification file ${file}`, cause })
    })
    const lines = text.split("\n").filter((line) => line.length > 0)
    return yield* Effect.forEach(lines, (line) => decodeLine(line))
  })

const isNotFound = (cause: unknown): boolean =>
  typeof cause === "object" && cause !== null && "code" in cause && cause.code === "ENOENT"
