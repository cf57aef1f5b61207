import { expect } from 'chai'
import { asyncScheduler, concatMap, timer } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { deadlineIn } from '../../../streams/subscription/deadline.js'

describe('streams/subscription/deadline', () => {
  it('passes subscription.timeout seconds after it was set, for a step subscribed later too', () => {
    const scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected)
    })
    scheduler.run(({ expectObservable }) => {
      const deadline = deadlineIn(2, scheduler)
      expectObservable(deadline.passed$).toBe('2000ms (0|)', { 0: 0 })
      // A step subscribed 500 ms later: still 2 s after the deadline was set.
      expectObservable(timer(500, scheduler).pipe(concatMap(() => deadline.passed$))).toBe('2000ms (0|)', { 0: 0 })
    })
  })

  it('waits at most 2^31 − 1 ms: a longer subscription.timeout on the host timers would pass at once', async () => {
    // Host timers, not virtual time: only they fire a longer timer at once.
    let passed = false
    const running = deadlineIn(3e6, asyncScheduler).passed$.subscribe(() => (passed = true))
    await new Promise((resolve) => setTimeout(resolve, 30))
    running.unsubscribe()
    expect(passed).to.equal(false)
  })
})
