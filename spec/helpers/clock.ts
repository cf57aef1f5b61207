// A virtual clock for an SDK under an integration spec (`environment.scheduler`): its timers
// (pings, reconnect waits, audits, request timeouts) fire only when the spec advances it, while
// HTTP, WebSocket and WebRTC keep running in real time.
//
//   const { clock, advance } = virtualClock()
//   const alice = await createTestClient(platform(), 'alice@example.com', { environment: { scheduler: clock } })
//   advance(30_000)
import type { VirtualTimeScheduler } from 'rxjs'
import { createTestClock } from '../../testing/clock.js'
import { until } from './client.js'

/** A virtual clock for one user's SDK: `advance` runs it forward (real I/O keeps running in real time). */
export function virtualClock(): { clock: VirtualTimeScheduler; advance: (ms: number) => void; timerSet: (ms: number, what?: string) => Promise<void> } {
  const { scheduler: clock, advance } = createTestClock()
  /** Waits until the SDK has set a timer for `ms` from now. */
  const timerSet = (ms: number, what = `a ${ms} ms timer`) => until(() => clock.actions.some((action) => action.delay === clock.frame + ms), what, 8000, 10)
  return { clock, advance, timerSet }
}
