import { expect } from 'chai'
import { asyncScheduler, map, of, throwError, type Observable } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { refreshBefore, type RefreshOutcome } from '../../../streams/subscription/refresh.js'

// Marble specs in virtual time: each refresh attempt is a cold Observable the spec chooses;
// the output shows "ok<attempt>/<granted s>" or "failed<attempt>".

const label = (outcome: RefreshOutcome): string => (outcome.ok ? `ok${outcome.attemptNum}/${outcome.lifetime}` : `failed${outcome.attemptNum}`)

describe('streams/subscription/refresh', () => {
  let scheduler: TestScheduler
  beforeEach(
    () =>
      (scheduler = new TestScheduler((actual, expected) => {
        expect(actual).to.deep.equal(expected)
      })),
  )

  it('refreshes at half the lifetime, then at half of each granted lifetime', () => {
    const calls: number[] = []
    scheduler.run(({ cold, expectObservable }) => {
      const refresh = (): Observable<number> => {
        calls.push(scheduler.now())
        return cold('100ms (g|)', { g: calls.length === 1 ? 600 : 3600 })
      }
      // 3600 s → first at 1800 s (answered 100 ms later, 600 s granted) → next 300 s later → then every 1800 s.
      expectObservable(refreshBefore(3600, refresh, scheduler).pipe(map(label)), '^ 4000s !').toBe('1800100ms a 300099ms b 1800099ms c', {
        a: 'ok1/600',
        b: 'ok1/3600',
        c: 'ok1/3600',
      })
    })
    expect(calls).to.deep.equal([1800000, 2100100, 3900200])
  })

  it('retries a failed refresh at half of the time left, counting attempts', () => {
    const calls: number[] = []
    scheduler.run(({ cold, expectObservable }) => {
      const refresh = (attemptNum: number): Observable<number> => {
        calls.push(scheduler.now())
        return attemptNum < 3 ? cold('#', undefined, new Error('401')) : cold('(g|)', { g: 100 })
      }
      // 100 s: fails at 50 s, at 75 s (half of the 50 s left), succeeds at 87.5 s; the next cycle starts again at attempt 1, +50 s.
      expectObservable(refreshBefore(100, refresh, scheduler).pipe(map(label)), '^ 140s !').toBe('50s a 24999ms b 12499ms c 49999ms d', {
        a: 'failed1',
        b: 'failed2',
        c: 'ok3/100',
        d: 'failed1',
      })
    })
    expect(calls).to.deep.equal([50000, 75000, 87500, 137500])
  })

  it('gives up when less than the minimum is left before expiry', () => {
    scheduler.run(({ expectObservable }) => {
      const refresh = (): Observable<number> => throwError(() => new Error('down'))
      // 8 s: attempts at 4, 6, 7 and 7.5 s (each at half of what is left); then 0.5 s is left, under the 1 s minimum.
      expectObservable(refreshBefore(8, refresh, scheduler).pipe(map(label))).toBe('4s a 1999ms b 999ms c 499ms (d|)', {
        a: 'failed1',
        b: 'failed2',
        c: 'failed3',
        d: 'failed4',
      })
    })
  })

  it('stops after a fatal error (the resource is gone)', () => {
    scheduler.run(({ expectObservable }) => {
      const gone = new Error('404')
      const result$ = refreshBefore(60, () => throwError(() => gone), scheduler, { fatal: (error) => error === gone }).pipe(map(label))
      expectObservable(result$).toBe('30s (a|)', { a: 'failed1' })
    })
  })

  it('never refreshes a resource without a lifetime', () => {
    scheduler.run(({ expectObservable }) => {
      expectObservable(refreshBefore(0, () => throwError(() => new Error('never called')), scheduler)).toBe('|')
    })
  })

  it('waits at most 2^31 − 1 ms before a refresh: a longer lifetime granted would refresh at once on the host timers, again and again', async () => {
    // Host timers, not virtual time: only they fire a longer timer at once.
    let refreshes = 0
    const refresh = (): Observable<number> => {
      refreshes += 1
      return of(1e7)
    }
    const running = refreshBefore(1e7, refresh, asyncScheduler).subscribe()
    await new Promise((resolve) => setTimeout(resolve, 30))
    running.unsubscribe()
    expect(refreshes).to.equal(0)
  })
})
