// A clock the platform specs move by hand (`startPlatform({ clock })`): the platform's own timers
// (typing idle, ring timeout, channel expiry, token expiry, queue age, connChecks) fire only when a
// spec advances it; requests and sockets stay real. It can share the virtual clock of an SDK
// (spec/helpers/clock.ts), so that one spec moves both. The testing kit's `createTestClock` is it.
import { createTestClock, type TestClock } from '../../testing/clock.js'
import { virtualClock } from '../helpers/clock.js'

/** A `PlatformClock` whose time moves only on `advance`. */
export type ManualClock = TestClock

/** A manual clock at `start` ms since the epoch (default 2026-01-01T00:00:00Z, a whole second), on the virtual clock `virtual` (default a new one). */
export const manualClock = (start = Date.UTC(2026, 0, 1), virtual = virtualClock()): ManualClock => createTestClock({ start, scheduler: virtual.clock })
