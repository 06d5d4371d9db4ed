/**
 * Dossier numbers, gap-free per agency per day: `{agency}-{yyMMdd}-{NNNN}`.
 *
 * Each agency-day has a numbering stream, `DossierNumbering-{agency}-{yyMMdd}`, with one event per
 * number; the stream's version IS the sequence. An allocation reads the stream, decides
 * `sequence = version + 1` and appends with that exact expected version: of two allocations racing
 * for the same sequence, the event store lets exactly one through and the other reloads and takes
 * the next one. Nothing is reserved and then abandoned, so there are no gaps; nothing is appended
 * twice at one version, so there are no duplicates.
 *
 * An allocation is idempotent per dossier: its command id is derived from the dossier id, and the
 * stream remembers which dossier holds which number, so a retried submission gets the same number.
 *
 * ```ts
 * const number = yield* DossierNumbering.allocate({ agencyCode, day: "2024-03-20", dossierId }, metadata)
 * // "000.20.33.H08-240320-0001"
 * ```
 *
 * @since 0.1.0
 */
import { Effect, Option, Result, Schema } from "effect"
import * as AgencyCode from "./AgencyCode.ts"
import * as CommandHandler from "./CommandHandler.ts"
import type { Decider } from "./Decider.ts"
import { streamId } from "./Decider.ts"
import type { EventMetadata } from "./Event.ts"
import * as EventCodec from "./EventCodec.ts"
import { EventStore, type EventStoreError } from "./EventStore.ts"
import * as DossierNumber from "./DossierNumber.ts"
import { parseIsoDate } from "./internal/calendar.ts"
import * as Upcaster from "./Upcaster.ts"

/**
 * The largest daily sequence: the number has four digits.
 *
 * @since 0.1.0
 */
export const MAX_SEQUENCE = 9999

/**
 * Asks for the next number of an agency on a day, for a dossier.
 *
 * @since 0.1.0
 */
export const AllocateNumber = Schema.TaggedStruct("AllocateNumber", {
  agencyCode: Schema.String,
  /** The day of submission in Vietnam, `YYYY-MM-DD`. */
  day: Schema.String,
  dossierId: Schema.String
})

/**
 * @since 0.1.0
 */
export type Command = typeof AllocateNumber.Type

/**
 * A number was allocated; its stream version equals `sequence`.
 *
 * @since 0.1.0
 */
export const NumberAllocated = Schema.TaggedStruct("DossierNumberAllocated", {
  agencyCode: Schema.String,
  day: Schema.String,
  sequence: Schema.Int,
  number: Schema.String,
  dossierId: Schema.String
})

/**
 * @since 0.1.0
 */
export type Event = typeof NumberAllocated.Type

/**
 * The agency code or the day cannot make a dossier number.
 *
 * @since 0.1.0
 */
export class InvalidNumbering extends Schema.TaggedError<InvalidNumbering>()("InvalidNumbering", {
  agencyCode: Schema.String,
  day: Schema.String,
  message: Schema.String
}) {}

/**
 * All 9 999 numbers of the agency-day are taken.
 *
 * @since 0.1.0
 */
export class NumbersExhausted extends Schema.TaggedError<NumbersExhausted>()("NumbersExhausted", {
  agencyCode: Schema.String,
  day: Schema.String,
  message: Schema.String
}) {}

/**
 * Every error of numbering's `decide`.
 *
 * @since 0.1.0
 */
export type NumberingError = InvalidNumbering | NumbersExhausted

/**
 * A numbering stream's state: how many numbers were allocated, and to which dossiers.
 *
 * @since 0.1.0
 */
export interface State {
  readonly sequence: number
  readonly byDossier: ReadonlyMap<string, string>
}

/**
 * An agency-day before its first number.
 *
 * @since 0.1.0
 */
export const initialState: State = { sequence: 0, byDossier: new Map() }

/**
 * Folds an allocation.
 *
 * @since 0.1.0
 */
export const evolve = (state: State, event: Event): State => ({
  sequence: event.sequence,
  byDossier: new Map(state.byDossier).set(event.dossierId, event.number)
})

/**
 * Allocates the next sequence, or nothing when the dossier already holds a number of this stream.
 *
 * @since 0.1.0
 */
export const decide = (command: Command, state: State): Result.Result<ReadonlyArray<Event>, NumberingError> => {
  if (state.byDossier.has(command.dossierId)) return Result.succeed([])
  const sequence = state.sequence + 1
  if (sequence > MAX_SEQUENCE) {
    return Result.fail(
      new NumbersExhausted({
        agencyCode: command.agencyCode,
        day: command.day,
        message: `${command.agencyCode} has used all ${MAX_SEQUENCE} dossier numbers of ${command.day}`
      })
    )
  }
  const formatted = DossierNumber.format({
    agencyCode: AgencyCode.AgencyCode.make(command.agencyCode),
    receivedOn: command.day,
    sequence
  })
  if (Result.isFailure(formatted)) {
    return Result.fail(
      new InvalidNumbering({ agencyCode: command.agencyCode, day: command.day, message: formatted.failure.message })
    )
  }
  return Result.succeed([{
    _tag: "DossierNumberAllocated",
    agencyCode: command.agencyCode,
    day: command.day,
    sequence,
    number: formatted.success,
    dossierId: command.dossierId
  }])
}

/**
 * The numbering decider; its aggregate id is {@link keyOf}.
 *
 * @since 0.1.0
 */
export const decider: Decider<State, Command, Event, NumberingError> = {
  name: "DossierNumbering",
  initialState,
  decide,
  evolve,
  eventSchema: NumberAllocated
}

const yyMMdd = (day: string): string => `${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}`

/**
 * The aggregate id of an agency-day: `000.20.33.H08-240320`.
 *
 * @since 0.1.0
 */
export const keyOf = (agencyCode: string, day: string): string => `${agencyCode}-${yyMMdd(day)}`

/**
 * The stream of an agency-day: `DossierNumbering-000.20.33.H08-240320`.
 *
 * @since 0.1.0
 */
export const streamIdOf = (agencyCode: string, day: string): string => streamId(decider, keyOf(agencyCode, day))

/**
 * The command id of a dossier's allocation: the same dossier never takes two numbers.
 *
 * @since 0.1.0
 */
export const commandIdOf = (dossierId: string): string => `DossierNumbering:${dossierId}`

const problem = (agencyCode: string, day: string): InvalidNumbering | null => {
  const agency = AgencyCode.problem(agencyCode)
  if (agency !== undefined) return new InvalidNumbering({ agencyCode, day, message: agency })
  const parsed = parseIsoDate(day)
  if (parsed === null || parsed.year < 2000 || parsed.year > 2099) {
    return new InvalidNumbering({ agencyCode, day, message: `a numbering day is a real day of 2000–2099 (YYYY-MM-DD); got ${day}` })
  }
  return null
}

/**
 * Allocates the dossier's number for the agency-day. Retries on every concurrency conflict — each
 * conflict means another allocation of the same stream succeeded, so this always makes progress —
 * without sleeping (so it also runs under `TestClock`).
 *
 * `metadata.commandId` is ignored: the command id is {@link commandIdOf} the dossier.
 *
 * @since 0.1.0
 */
export const allocate = Effect.fn("DossierNumbering.allocate")(function*(
  input: { readonly agencyCode: string; readonly day: string; readonly dossierId: string },
  metadata: EventMetadata
) {
  const bad = problem(input.agencyCode, input.day)
  if (bad !== null) return yield* bad
  const outcome = yield* CommandHandler.handle(
    decider,
    keyOf(input.agencyCode, input.day),
    { _tag: "AllocateNumber", ...input },
    { ...metadata, commandId: commandIdOf(input.dossierId) },
    { maxAttempts: MAX_SEQUENCE + 1, backoffMillis: 0 }
  )
  const number = outcome.state.byDossier.get(input.dossierId)
  // the decider either allocated or found the dossier's number: it is in the state
  return DossierNumber.DossierNumber.make(number!)
})

/**
 * The dossier that holds `number`, if it was allocated: reads the one event at the number's version.
 *
 * @since 0.1.0
 */
export const resolve = (
  number: DossierNumber.DossierNumber
): Effect.Effect<Option.Option<string>, EventStoreError | EventCodec.EventDecodeError, EventStore> =>
  Effect.gen(function*() {
    const parts = DossierNumber.decode(number)
    const store = yield* EventStore
    const registry = yield* Effect.service(Upcaster.CurrentRegistry)
    const recorded = yield* store.readStream(streamIdOf(parts.agencyCode, parts.receivedOn), {
      fromVersion: parts.sequence,
      toVersion: parts.sequence
    })
    const first = recorded[0]
    if (first === undefined) return Option.none()
    const event = yield* Effect.fromResult(EventCodec.decoder(NumberAllocated, registry)(first))
    return event.number === number ? Option.some(event.dossierId) : Option.none()
  })
