/**
 * A clock the journey moves by hand: every command happens at the time the script says (Vietnam
 * time, +07:00), so the output and the log are the same on every run. Sleeping is delegated to the
 * real clock, so anything that waits (a subscriber's poll) still waits.
 */
import { Clock, Effect } from "effect"

/** Vietnam has no daylight saving time: always UTC+7. */
const VN_OFFSET_MS = 7 * 3_600_000

/** Milliseconds of a Vietnam wall-clock time written `YYYY-MM-DD HH:mm`. */
export const vietnamTime = (local: string): number => Date.parse(`${local.replace(" ", "T")}:00.000Z`) - VN_OFFSET_MS

/** `dd/MM/yyyy HH:mm` in Vietnam time, as the portal prints it. */
export const formatVietnam = (instant: string | number): string => {
  const iso = new Date((typeof instant === "number" ? instant : Date.parse(instant)) + VN_OFFSET_MS).toISOString()
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`
}

/** A clock and the handle that moves it. */
export interface ScriptedClock {
  readonly clock: Clock.Clock
  /** Moves the clock to a Vietnam wall-clock time (`YYYY-MM-DD HH:mm`). */
  readonly set: (local: string) => void
  /** The current time, in milliseconds. */
  readonly now: () => number
}

/** A scripted clock starting at `start` (Vietnam time); `real` does the sleeping. */
export const make = (start: string, real: Clock.Clock): ScriptedClock => {
  let now = vietnamTime(start)
  const nanos = () => BigInt(now) * 1_000_000n
  return {
    clock: {
      currentTimeMillisUnsafe: () => now,
      currentTimeMillis: Effect.sync(() => now),
      currentTimeNanosUnsafe: nanos,
      currentTimeNanos: Effect.sync(nanos),
      monotonicTimeNanosUnsafe: () => real.monotonicTimeNanosUnsafe(),
      monotonicTimeNanos: real.monotonicTimeNanos,
      sleep: (duration) => real.sleep(duration)
    },
    set: (local) => {
      now = vietnamTime(local)
    },
    now: () => now
  }
}
