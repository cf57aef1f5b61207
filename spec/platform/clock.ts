// A clock the platform specs move by hand (`startPlatform({ clock })`): the platform's own timers
// (typing idle, ring timeout, channel expiry, token expiry, queue age, connChecks) fire only when a
// spec advances it; requests and sockets stay real. It runs on the same virtual clock as an SDK's
// (spec/helpers/clock.ts), so one spec can move both.
import type { VirtualTimeScheduler } from 'rxjs'
import type { ClockTimer, PlatformClock } from '../../platform/clock.js'
import { virtualClock } from '../helpers/clock.js'

/** A `PlatformClock` whose time moves only on `advance`. */
export interface ManualClock extends PlatformClock {
  /** Moves time `ms` forward, firing every timer that falls due on the way, in due order (then in the order they were set). */
  advance(ms: number): void
  /** Timers set and not yet fired or cancelled. */
  pending(): number
}

/** A manual clock at `start` ms since the epoch (default 2026-01-01T00:00:00Z, a whole second), on the virtual clock `virtual` (default a new one). */
export function manualClock(start = Date.UTC(2026, 0, 1), virtual = virtualClock()): ManualClock {
  const scheduler: VirtualTimeScheduler = virtual.clock
  return {
    now: () => start + scheduler.frame,
    later(ms, work): ClockTimer {
      const action = scheduler.schedule(work, Math.max(ms, 0))
      return { cancel: () => action.unsubscribe() }
    },
    advance: virtual.advance,
    pending: () => scheduler.actions.length,
  }
}
