// Virtual time for app tests: one clock for the local platform's timers (`startPlatform({ clock })`)
// and the SDK's (`environment: { scheduler: clock.scheduler }`), moved by hand with `advance`.
// HTTP, WebSocket and WebRTC keep running in real time; only timers wait for the clock.
import { VirtualTimeScheduler } from 'rxjs'
import type { ClockTimer, PlatformClock } from '../platform/clock.js'

/** A clock that moves only on `advance`: give it to `startPlatform({ clock })`, and its `scheduler` to the clients. */
export interface TestClock extends PlatformClock {
  /** The SDK's clock and timers on this clock (its `now()` is the clock's): `environment: { scheduler: clock.scheduler }` of a client or of `create`. */
  readonly scheduler: VirtualTimeScheduler
  /** Moves time `ms` forward, firing every timer that falls due on the way (the platform's and the SDK's), in due order; throws a `RangeError` for a negative or non-finite `ms`. */
  advance(ms: number): void
  /** Timers set and not yet fired or cancelled. */
  pending(): number
}

/** How a test clock starts. */
export interface TestClockOptions {
  /** What `now()` reads before any `advance`, in ms since the epoch; default the wall clock, to the whole second. */
  readonly start?: number
  /** Share this scheduler (e.g. one a test made for an SDK already) instead of a new one; its `now()` stays its own (the frame). */
  readonly scheduler?: VirtualTimeScheduler
}

/**
 * A clock that tests move by hand: the platform's ring timeout, typing idle, token and channel expiry, and the SDK's pings,
 * reconnect waits and request timeouts fire when the test says, not after real minutes.
 *
 * const clock = createTestClock()
 * const platform = await startPlatform({ clock })
 * const ann = await createTestClient(platform, 'ann@example.com', { environment: { scheduler: clock.scheduler } })
 * clock.advance(60_000)
 */
export function createTestClock(options: TestClockOptions = {}): TestClock {
  const start = options.start ?? Math.floor(Date.now() / 1000) * 1000
  const scheduler = options.scheduler ?? new VirtualTimeScheduler()
  const now = (): number => start + scheduler.frame
  // The SDK reads the time from its scheduler (message and call timestamps); one given may already be in use, so keeps its own.
  if (options.scheduler === undefined) scheduler.now = now
  return {
    scheduler,
    now,
    later(ms, work): ClockTimer {
      const action = scheduler.schedule(work, Math.max(ms, 0))
      return { cancel: () => action.unsubscribe() }
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(${ms}): time moves forward by a finite number of ms`)
      const target = scheduler.frame + ms
      scheduler.maxFrames = target
      scheduler.flush()
      scheduler.frame = target
    },
    pending: () => scheduler.actions.length,
  }
}
