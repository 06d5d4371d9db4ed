/**
 * A `Notifier` that POSTs each message as JSON to an HTTP endpoint per channel — a gateway the
 * deploying agency runs in front of its Zalo OA / SMS brandname provider, so Kho holds no provider
 * credentials.
 *
 * The request: `POST <endpoint>`, `Content-Type: application/json; charset=utf-8`,
 * `Idempotency-Key: <notification id>`, body {@link Body}. The gateway must answer 2xx only once it
 * has accepted the message, and should drop a second request with a key it already accepted (Kho
 * sends a message again only after a crash between the gateway's answer and Kho's record of it).
 *
 * Failures, typed as `NotifierError`: a timeout, a connection error, a 5xx, a 408 or a 429 are
 * retryable (retried here a few times with exponential backoff, then reported retryable so the
 * outbox tries again later); any other status (4xx, 3xx) is refused for good and never retried.
 *
 * @since 0.1.0
 */
import * as Notification from "@kho/core/Notification"
import { Config, Duration, Effect, Layer, Option, Result, Schedule, Schema } from "effect"

const { Notifier, NotifierError } = Notification

/**
 * The JSON body of a request: the message as the outbox built it.
 *
 * @since 0.1.0
 */
export const Body = Notification.Message

/**
 * The header carrying the notification id.
 *
 * @since 0.1.0
 */
export const idempotencyKeyHeader = "Idempotency-Key"

/**
 * Options of the webhook notifier.
 *
 * @since 0.1.0
 */
export interface Options {
  /** Where each channel's messages go; a channel without an endpoint fails `Unsupported`. */
  readonly endpoints: Partial<Readonly<Record<Notification.Channel, string | URL>>>
  /** Per request, body included (default 10 seconds). */
  readonly timeout?: Duration.Input
  /** Retries of a retryable failure within one send (default 2). */
  readonly retries?: number
  /** First backoff between those retries, doubling each time (default 200 ms). */
  readonly retryBase?: Duration.Input
  /** Extra headers (e.g. the gateway's `Authorization`); never a provider's credentials. */
  readonly headers?: Readonly<Record<string, string>>
}

const ProviderAnswer = Schema.fromJsonString(Schema.Struct({ id: Schema.optional(Schema.String) }))
const decodeAnswer = Schema.decodeUnknownResult(ProviderAnswer)

/** What fetch can end with, before it becomes a `NotifierError`. */
type Outcome =
  | { readonly _tag: "Answered"; readonly status: number; readonly body: string }
  | { readonly _tag: "TimedOut" }
  | { readonly _tag: "Unreachable"; readonly cause: unknown }

const post = (
  url: URL,
  message: Notification.Message,
  timeoutMillis: number,
  headers: Readonly<Record<string, string>>
): Effect.Effect<Outcome> =>
  Effect.promise(async (interrupted): Promise<Outcome> => {
    const timeout = AbortSignal.timeout(timeoutMillis)
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json; charset=utf-8",
          [idempotencyKeyHeader]: message.id
        },
        body: JSON.stringify(message),
        signal: AbortSignal.any([interrupted, timeout]),
        redirect: "manual"
      })
      return { _tag: "Answered", status: response.status, body: await response.text() }
    } catch (cause) {
      return timeout.aborted ? { _tag: "TimedOut" } : { _tag: "Unreachable", cause }
    }
  })

const errorOf = (message: Notification.Message, url: URL, outcome: Outcome): Notification.NotifierError => {
  const base = { notificationId: message.id, channel: message.channel }
  const where = `${url.origin}${url.pathname}`
  switch (outcome._tag) {
    case "TimedOut":
      return new NotifierError({
        ...base,
        reason: "Timeout",
        retryable: true,
        message: `the ${message.channel} webhook ${where} did not answer in time; message ${message.id} will be retried`
      })
    case "Unreachable":
      return new NotifierError({
        ...base,
        reason: "Connection",
        retryable: true,
        message: `cannot reach the ${message.channel} webhook ${where}: ${describe(outcome.cause)}`,
        cause: outcome.cause
      })
    case "Answered": {
      const { status } = outcome
      const excerpt = outcome.body.slice(0, 200)
      if (status >= 500) {
        return new NotifierError({
          ...base,
          reason: "ServerError",
          retryable: true,
          status,
          message: `the ${message.channel} webhook ${where} failed with ${status}; message ${message.id} will be retried`
        })
      }
      if (status === 429 || status === 408) {
        return new NotifierError({
          ...base,
          reason: status === 429 ? "Throttled" : "Timeout",
          retryable: true,
          status,
          message: `the ${message.channel} webhook ${where} asked to slow down (${status}); message ${message.id} will be retried`
        })
      }
      return new NotifierError({
        ...base,
        reason: "Rejected",
        retryable: false,
        status,
        message: `the ${message.channel} webhook ${where} refused message ${message.id} with ${status}${
          excerpt.length > 0 ? `: ${excerpt}` : ""
        }; fix the message or the gateway, it will not be retried`
      })
    }
  }
}

const describe = (cause: unknown): string => {
  if (cause instanceof Error) {
    const inner = cause.cause
    const code = typeof inner === "object" && inner !== null && "code" in inner ? String(inner.code) : undefined
    return code === undefined ? cause.message : `${cause.message} (${code})`
  }
  return String(cause)
}

/**
 * Builds the notifier (endpoints are parsed here: a malformed URL is a defect at start-up, not a
 * failed send later).
 *
 * @since 0.1.0
 */
export const make = (options: Options): Notification.Notifier["Service"] => {
  const endpoints = new Map<Notification.Channel, URL>()
  for (const channel of Notification.Channel.literals) {
    const endpoint = options.endpoints[channel]
    if (endpoint !== undefined) endpoints.set(channel, new URL(endpoint))
  }
  const timeoutMillis = Duration.toMillis(Duration.fromInputUnsafe(options.timeout ?? "10 seconds"))
  const headers = options.headers ?? {}
  const retry = {
    schedule: Schedule.exponential(options.retryBase ?? "200 millis"),
    times: Math.max(0, options.retries ?? 2),
    while: (error: Notification.NotifierError) => error.retryable
  }
  return Notifier.of({
    send: (message) => {
      const url = endpoints.get(message.channel)
      if (url === undefined) {
        return Effect.fail(
          new NotifierError({
            notificationId: message.id,
            channel: message.channel,
            reason: "Unsupported",
            retryable: false,
            message: `no webhook endpoint is configured for ${message.channel}; message ${message.id} cannot be sent`
          })
        )
      }
      const once = Effect.flatMap(post(url, message, timeoutMillis, headers), (outcome) => {
        if (outcome._tag === "Answered" && outcome.status >= 200 && outcome.status < 300) {
          const answer = decodeAnswer(outcome.body)
          const reference = Result.isSuccess(answer) ? answer.success.id ?? null : null
          return Effect.succeed({ id: message.id, providerReference: reference })
        }
        return Effect.fail(errorOf(message, url, outcome))
      })
      return Effect.retry(once, retry)
    }
  })
}

/**
 * The webhook notifier as a layer.
 *
 * @since 0.1.0
 */
export const layer = (options: Options): Layer.Layer<Notification.Notifier> => Layer.sync(Notifier, () => make(options))

/**
 * The webhook notifier configured from the environment: `KHO_NOTIFY_ZALO_URL`, `KHO_NOTIFY_SMS_URL`
 * (either may be absent), `KHO_NOTIFY_TIMEOUT` (a duration, default 10 seconds).
 *
 * @since 0.1.0
 */
export const layerConfig: Layer.Layer<Notification.Notifier, Config.ConfigError> = Layer.effect(
  Notifier,
  Effect.gen(function*() {
    const zalo = yield* Config.option(Config.URL("KHO_NOTIFY_ZALO_URL"))
    const sms = yield* Config.option(Config.URL("KHO_NOTIFY_SMS_URL"))
    const timeout = yield* Config.Duration("KHO_NOTIFY_TIMEOUT").pipe(Config.withDefault(Duration.seconds(10)))
    return make({
      endpoints: {
        ...(Option.isSome(zalo) ? { Zalo: zalo.value } : {}),
        ...(Option.isSome(sms) ? { Sms: sms.value } : {})
      },
      timeout
    })
  })
)
