import { timerWait } from '../streams/environment.js'

/** A timer set on a `PlatformClock`; `cancel` is a no-op once it has fired. */
export interface ClockTimer {
  cancel(): void
}

/**
 * Where the platform reads the time and sets its timers (typing idle, ring timeout, channel
 * expiry, token expiry, queued-notification age, connChecks, the delay fault, the call audit timeout). `startPlatform({ clock })` takes
 * another one so that specs can move time themselves; the default is `systemClock`.
 */
export interface PlatformClock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Runs `work` once, `ms` from now; the timer never keeps the process alive. */
  later(ms: number, work: () => void): ClockTimer
}

/** The wall clock and Node's timers. */
export const systemClock: PlatformClock = {
  now: () => Date.now(),
  later(ms, work) {
    // Node fires longer timeouts at once (with a warning); a channel may ask for a longer lifetime.
    const timer = setTimeout(work, timerWait(ms))
    timer.unref()
    return { cancel: () => clearTimeout(timer) }
  },
}
