import type { ClockTimer, PlatformClock } from './clock.js'

/** Timeouts one module owns: each forgets itself when it fires, and `clear` stops the rest when the module stops. */
export interface Timeouts {
  /** Runs `work` after `ms` on the module's clock; the timer never keeps the process alive. */
  later(ms: number, work: () => void): ClockTimer
  cancel(timer: ClockTimer | undefined): void
  clear(): void
}

export function timeouts(clock: PlatformClock): Timeouts {
  const pending = new Set<ClockTimer>()
  return {
    later(ms, work) {
      const timer = clock.later(ms, () => {
        pending.delete(timer)
        work()
      })
      pending.add(timer)
      return timer
    },
    cancel(timer) {
      if (timer === undefined) return
      timer.cancel()
      pending.delete(timer)
    },
    clear() {
      for (const timer of pending) timer.cancel()
      pending.clear()
    },
  }
}
