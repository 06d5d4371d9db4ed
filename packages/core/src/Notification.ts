/**
 * Citizen notifications: the message model, its Vietnamese texts, and the `Notifier` port through
 * which a message leaves Kho on one of two channels, Zalo or SMS.
 *
 * A notifier delivers what it is given and dedupes nothing: deduplication belongs to the outbox
 * (`NotificationOutbox`), which sends each notification id once, and to the provider, which gets the
 * id as an idempotency key (the only protection against a crash after the provider accepted a
 * message and before Kho recorded it). Adapters: {@link layerMemory} / {@link layerTest} here, a
 * console / NDJSON file sink and an HTTP webhook in `@kho/node`.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Effect, Layer, Schema } from "effect"

/**
 * The channels a citizen is notified on.
 *
 * @since 0.1.0
 */
export const Channel = Schema.Literals(["Zalo", "Sms"])

/**
 * @since 0.1.0
 */
export type Channel = typeof Channel.Type

/**
 * What happened to the dossier. `Submitted` is sent when the submitted dossier gets its number
 * (the number is what the citizen needs); `Rejected` is sent too, although the issue did not list
 * it: a citizen whose dossier is refused must hear of it.
 *
 * @since 0.1.0
 */
export const Kind = Schema.Literals(["Submitted", "Received", "SupplementRequested", "Rejected", "ResultIssued", "PaperResultIssued"])

/**
 * @since 0.1.0
 */
export type Kind = typeof Kind.Type

/**
 * A message handed to a {@link Notifier}: `id` is stable across retries and replays (send it to
 * the provider as the idempotency key), `to` is the phone number or Zalo id resolved at send time.
 *
 * @since 0.1.0
 */
export const Message = Schema.Struct({
  id: Schema.NonEmptyString,
  channel: Channel,
  kind: Kind,
  to: Schema.NonEmptyString,
  dossierNumber: Schema.NonEmptyString,
  text: Schema.NonEmptyString
})

/**
 * @since 0.1.0
 */
export type Message = typeof Message.Type

/**
 * What a notifier returns once the provider accepted the message.
 *
 * @since 0.1.0
 */
export interface Receipt {
  readonly id: string
  /** The provider's own reference for the message, when it gives one. */
  readonly providerReference: string | null
}

/**
 * A send failed. `retryable` is the adapter's verdict: a timeout, a lost connection or a 5xx may
 * succeed later; a refused message (4xx, unknown recipient, channel not configured) will not, and
 * the outbox marks it failed at once.
 *
 * @since 0.1.0
 */
export class NotifierError extends Schema.TaggedError<NotifierError>()("NotifierError", {
  notificationId: Schema.String,
  channel: Channel,
  reason: Schema.Literals(["Timeout", "Connection", "ServerError", "Throttled", "Rejected", "Unsupported", "Io"]),
  retryable: Schema.Boolean,
  message: Schema.String,
  status: Schema.optional(Schema.Number),
  cause: Schema.optional(Schema.Defect())
}) {}

/**
 * The notifier port.
 *
 * Gotcha: `send` may be interrupted (a relay shutting down); an adapter must then not report
 * success, and whether the provider got the message is unknown — which is why the id travels as an
 * idempotency key.
 *
 * @since 0.1.0
 */
export class Notifier extends Context.Service<Notifier, {
  /** Delivers one message on its channel. */
  readonly send: (message: Message) => Effect.Effect<Receipt, NotifierError>
}>()("@kho/core/Notifier") {}

// -----------------------------------------------------------------------------------------------
// Texts
// -----------------------------------------------------------------------------------------------

/**
 * What a text is made of: the facts of the dossier event, never contact data.
 *
 * @since 0.1.0
 */
export interface Facts {
  readonly kind: Kind
  readonly dossierNumber: string
  /** The officer's reason (supplements, rejection); ignored for other kinds. */
  readonly reason?: string | null | undefined
}

/** Keeps an officer's free text on one line and without a trailing full stop (the template adds one). */
const clean = (reason: string | null | undefined): string => {
  const oneLine = (reason ?? "").replace(/\s+/g, " ").trim().replace(/[.;:,\s]+$/u, "")
  return oneLine.length === 0 ? "(không nêu lý do)" : oneLine
}

/**
 * The Vietnamese text of a notification, e.g. "Hồ sơ 000.00.16.H08-240320-0001 đã được tiếp nhận.".
 * Deterministic: the outbox renders it once, from the event, so a retry sends the same words.
 *
 * @since 0.1.0
 */
export const render = (facts: Facts): string => {
  const n = facts.dossierNumber
  switch (facts.kind) {
    case "Submitted":
      return `Hồ sơ ${n} đã được nộp thành công và đang chờ cơ quan giải quyết tiếp nhận.`
    case "Received":
      return `Hồ sơ ${n} đã được tiếp nhận.`
    case "SupplementRequested":
      return `Hồ sơ ${n} cần bổ sung: ${clean(facts.reason)}. Vui lòng bổ sung để hồ sơ tiếp tục được giải quyết.`
    case "Rejected":
      return `Hồ sơ ${n} đã bị từ chối giải quyết. Lý do: ${clean(facts.reason)}.`
    case "ResultIssued":
      return `Hồ sơ ${n} đã có kết quả giải quyết. Kết quả điện tử đã được lưu vào kho dữ liệu của ông/bà.`
    case "PaperResultIssued":
      return `Hồ sơ ${n} đã có kết quả giải quyết. Kết quả bản giấy được trả theo hình thức nhận kết quả ông/bà đã chọn.`
  }
}

// -----------------------------------------------------------------------------------------------
// In-memory notifiers
// -----------------------------------------------------------------------------------------------

/**
 * One message a notifier accepted, and when (ISO-8601, from `Clock`).
 *
 * @since 0.1.0
 */
export interface Delivery {
  readonly message: Message
  readonly at: string
}

/**
 * What the in-memory notifiers saw: every accepted message (`delivered`, duplicates included — the
 * notifier dedupes nothing, so a test can count) and every call to `send` (`attempts`).
 *
 * @since 0.1.0
 */
export class Deliveries extends Context.Service<Deliveries, {
  readonly delivered: Effect.Effect<ReadonlyArray<Delivery>>
  readonly attempts: Effect.Effect<ReadonlyArray<Message>>
}>()("@kho/core/Notification/Deliveries") {}

/**
 * Decides how a scripted send goes: fail it, block it (`Effect.never`, to simulate a crash while
 * the provider has not answered), or let it through. `attempt` counts the sends of this message id
 * so far in this layer, from 1.
 *
 * @since 0.1.0
 */
export type Script = (message: Message, attempt: number) => Effect.Effect<void, NotifierError>

const makeRecording = (script: Script) =>
  Effect.sync(() => {
    const delivered: Array<Delivery> = []
    const attempts: Array<Message> = []
    const countById = new Map<string, number>()
    const notifier = Notifier.of({
      send: (message) =>
        Effect.gen(function*() {
          attempts.push(message)
          const attempt = (countById.get(message.id) ?? 0) + 1
          countById.set(message.id, attempt)
          yield* script(message, attempt)
          const at = DateTime.formatIso(DateTime.makeUnsafe(yield* Clock.currentTimeMillis))
          delivered.push({ message, at })
          return { id: message.id, providerReference: `memory-${delivered.length}` }
        })
    })
    const deliveries = Deliveries.of({
      delivered: Effect.sync(() => delivered.slice()),
      attempts: Effect.sync(() => attempts.slice())
    })
    return Context.make(Notifier, notifier).pipe(Context.add(Deliveries, deliveries))
  })

/**
 * A notifier that accepts every message and records it ({@link Deliveries}).
 *
 * @since 0.1.0
 */
export const layerMemory: Layer.Layer<Notifier | Deliveries> = Layer.effectContext(makeRecording(() => Effect.void))

/**
 * A recording notifier whose sends follow `script` (fail the first attempts, block one…).
 *
 * @since 0.1.0
 */
export const layerTest = (script: Script): Layer.Layer<Notifier | Deliveries> => Layer.effectContext(makeRecording(script))

/**
 * A retryable {@link NotifierError} for scripts ("the provider answered 503").
 *
 * @since 0.1.0
 */
export const unavailable = (message: Message): NotifierError =>
  new NotifierError({
    notificationId: message.id,
    channel: message.channel,
    reason: "ServerError",
    retryable: true,
    status: 503,
    message: `the ${message.channel} provider is unavailable (503); the message ${message.id} will be retried`
  })
