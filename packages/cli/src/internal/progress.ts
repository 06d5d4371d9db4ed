/**
 * The progress bar of long replays, on stderr only (stdout stays clean for results and `--json`):
 * redrawn in place on a terminal (at most 10 times a second), or one plain line every 2 seconds
 * when forced with `--progress` into a file or pipe. Off by default when stderr is not a terminal.
 */
import { performance } from "node:perf_hooks"

/** What the reading loop reports; both calls are cheap enough for every chunk and every batch. */
export interface Progress {
  readonly bytes: (n: number) => void
  readonly events: (n: number) => void
  /** Draws the final state and ends the line. */
  readonly done: () => void
}

/** A progress that draws nothing. */
export const none: Progress = { bytes: () => {}, events: () => {}, done: () => {} }

const WIDTH = 24

const group = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, " ")

/**
 * A progress bar over `total` bytes, written with `write` (e.g. `process.stderr.write`). `tty` decides
 * between redrawing one line and printing lines.
 */
export const make = (options: {
  readonly label: string
  readonly total: number
  readonly tty: boolean
  readonly write: (text: string) => void
  readonly now?: () => number
}): Progress => {
  const now = options.now ?? (() => performance.now())
  const started = now()
  const interval = options.tty ? 100 : 2000
  let bytes = 0
  let events = 0
  let last = -Infinity
  const line = (): string => {
    const fraction = options.total > 0 ? Math.min(1, bytes / options.total) : 1
    const filled = Math.round(fraction * WIDTH)
    const seconds = Math.max((now() - started) / 1000, 1e-3)
    return `${options.label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${Math.floor(fraction * 100)}% ` +
      `${group(events)} events, ${group(events / seconds)} events/s`
  }
  const draw = (force: boolean) => {
    const t = now()
    if (!force && t - last < interval) return
    last = t
    options.write(options.tty ? `\r${line()}\x1b[K` : `${line()}\n`)
  }
  return {
    bytes: (n) => {
      bytes += n
      draw(false)
    },
    events: (n) => {
      events += n
      draw(false)
    },
    done: () => {
      draw(true)
      if (options.tty) options.write("\n")
    }
  }
}
