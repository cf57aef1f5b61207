// A clock the platform specs move by hand (`startPlatform({ clock })`): the platform's own timers
// (typing idle, ring timeout, channel expiry, token expiry, queue age, connChecks) fire only when a
// spec advances it; requests and sockets stay real.
import type { ClockTimer, PlatformClock } from '../../platform/clock.js'

/** A `PlatformClock` whose time moves only on `advance`. */
export interface ManualClock extends PlatformClock {
  /** Moves time `ms` forward, firing every timer that falls due on the way, in due order (then in the order they were set). */
  advance(ms: number): void
  /** Timers set and not yet fired or cancelled. */
  pending(): number
}

interface Scheduled {
  readonly due: number
  readonly order: number
  readonly work: () => void
}

/** A manual clock at `start` ms since the epoch (default 2026-01-01T00:00:00Z, a whole second). */
export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start
  let order = 0
  const timers: Scheduled[] = []
  const nextDue = (until: number): Scheduled | undefined => {
    let next: Scheduled | undefined
    for (const timer of timers) {
      if (timer.due > until) continue
      if (next === undefined || timer.due < next.due || (timer.due === next.due && timer.order < next.order)) next = timer
    }
    return next
  }
  return {
    now: () => now,
    later(ms, work): ClockTimer {
      const timer: Scheduled = { due: now + Math.max(ms, 0), order: order++, work }
      timers.push(timer)
      return {
        cancel: () => {
          const index = timers.indexOf(timer)
          if (index >= 0) timers.splice(index, 1)
        },
      }
    },
    advance(ms) {
      const until = now + ms
      for (let next = nextDue(until); next !== undefined; next = nextDue(until)) {
        timers.splice(timers.indexOf(next), 1)
        now = next.due
        next.work()
      }
      now = until
    },
    pending: () => timers.length,
  }
}
