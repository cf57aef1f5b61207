import { expect } from 'chai'
import { Observable, asyncScheduler, catchError, defer, map, of, take, throwError, toArray } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { defaultConfig } from '../../../streams/config/state.js'
import { ReconnectLimitReached, reconnect, reconnectPolicy, type ReconnectPolicy, type Reconnecting } from '../../../streams/connection/reconnect.js'

// Marble specs in virtual time: a source is one connection attempt ('o' = opened, '#' = failed
// or lost); the operator's output shows each announced attempt as "r<attempt>/<delay>".

const policy = (values: Partial<ReconnectPolicy> = {}): ReconnectPolicy => ({ ...reconnectPolicy(defaultConfig.connectivity), ...values })

const label = (value: string | Reconnecting): string => (typeof value === 'string' ? value : `r${value.attempt}/${value.delay}`)

/** Replaces the final error with a value naming it, so marbles can show it. */
const ending = (source$: Observable<string | Reconnecting>): Observable<string> =>
  source$.pipe(
    map(label),
    catchError((error: unknown) => of(error instanceof ReconnectLimitReached ? `gave up after ${error.attempts}` : `error: ${(error as Error).message}`)),
  )

describe('streams/connection/reconnect', () => {
  let scheduler: TestScheduler
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected)
    })))

  it('backs off reconnectDelay × reconnectTimeMultiplier^(n−1) and gives up after reconnectLimit failed attempts', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const socket$ = cold<string>('#')
      const result$ = ending(socket$.pipe(reconnect(policy({ delay: 5000, multiplier: 2, limit: 4 }), scheduler)))
      expectObservable(result$).toBe('a 4999ms b 9999ms c 19999ms (g|)', { a: 'r2/5000', b: 'r3/10000', c: 'r4/20000', g: 'gave up after 4' })
      expectSubscriptions(socket$.subscriptions).toBe(['(^!)', '5000ms (^!)', '15000ms (^!)', '35000ms (^!)'])
    })
  })

  const attemptsUntilGivingUp = [
    {
      title: 'with the defaults makes 5 attempts 5 s apart (about 20 s in total)',
      policy: reconnectPolicy(defaultConfig.connectivity),
      marbles: 'a 4999ms b 4999ms c 4999ms d 4999ms (g|)',
      values: { a: 'r2/5000', b: 'r3/5000', c: 'r4/5000', d: 'r5/5000', g: 'gave up after 5' },
    },
    {
      title: 'caps each wait at reconnectTimeLimit',
      policy: policy({ delay: 1000, multiplier: 10, maxDelay: 30000, limit: 5 }),
      marbles: 'a 999ms b 9999ms c 29999ms d 29999ms (g|)',
      values: { a: 'r2/1000', b: 'r3/10000', c: 'r4/30000', d: 'r5/30000', g: 'gave up after 5' },
    },
  ]
  for (const { title, policy, marbles, values } of attemptsUntilGivingUp) {
    it(title, () => {
      scheduler.run(({ cold, expectObservable }) => {
        expectObservable(ending(cold<string>('#').pipe(reconnect(policy, scheduler)))).toBe(marbles, values)
      })
    })
  }

  it('never gives up with reconnectLimit 0', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const result$ = cold<string>('#').pipe(reconnect(policy({ delay: 10, multiplier: 1, limit: 0 }), scheduler), take(200), map(label), toArray())
      const expected = Array.from({ length: 200 }, (_, index) => `r${index + 2}/10`)
      expectObservable(result$).toBe('1990ms (v|)', { v: expected })
    })
  })

  it('retries a lost connection at once as attempt 1, and counts failures afresh from there', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const attempts = [cold<string>('o 9ms #'), cold<string>('#'), cold<string>('#'), cold<string>('o')]
      let index = 0
      const socket$ = defer(() => attempts[index++] ?? cold<string>('#'))
      const result$ = ending(socket$.pipe(reconnect(policy({ delay: 100, multiplier: 3, limit: 5 }), scheduler, (value) => value === 'o')))
      expectObservable(result$).toBe('o 9ms (ab) 96ms c 299ms o', { o: 'o', a: 'r1/0', b: 'r2/100', c: 'r3/300' })
    })
  })

  it('resets the failure count after every successful open', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // Opens then drops, forever: never more than one failure in a row, so limit 1 is never reached.
      const result$ = ending(cold<string>('o 9ms #').pipe(reconnect(policy({ limit: 1 }), scheduler, (value) => value === 'o'), take(6)))
      expectObservable(result$).toBe('o 9ms (ao) 6ms (ao) 6ms (a|)', { o: 'o', a: 'r1/0' })
    })
  })

  it('resets a failure count carried from before the open, so the next run of failures starts again at attempt 2', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // One failure before the open; after the open and its loss, two more failures stay within limit 3 only if the count restarted.
      const attempts = [cold<string>('#'), cold<string>('o 9ms #'), cold<string>('#'), cold<string>('#'), cold<string>('o')]
      let index = 0
      const socket$ = defer(() => attempts[index++] ?? cold<string>('#'))
      const result$ = ending(socket$.pipe(reconnect(policy({ delay: 100, multiplier: 1, limit: 3 }), scheduler, (value) => value === 'o')))
      expectObservable(result$).toBe('a 99ms o 9ms (bc) 96ms d 99ms o', { o: 'o', a: 'r2/100', b: 'r1/0', c: 'r2/100', d: 'r3/100' })
    })
  })

  it('completes when the connection completes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(ending(cold<string>('o 9ms |').pipe(reconnect(policy(), scheduler)))).toBe('o 9ms |', { o: 'o' })
    })
  })

  it('announces each attempt with the error that ended the previous one, and gives up naming the attempts and the last error', () => {
    const lost = new Error('lost')
    const refused = new Error('refused')
    const attempts = [
      [of('o'), lost],
      [undefined, refused],
    ] as const
    let index = 0
    const socket$ = defer(() => {
      const [opened$, error] = attempts[Math.min(index++, 1)]
      return new Observable<string>((subscriber) => {
        opened$?.subscribe((value) => subscriber.next(value))
        subscriber.error(error)
      })
    })
    const seen: unknown[] = []
    scheduler.run(() => {
      socket$.pipe(reconnect(policy({ limit: 2 }), scheduler, (value) => value === 'o')).subscribe({
        next: (value) => seen.push(typeof value === 'string' ? value : { attempt: value.attempt, error: value.error }),
        error: (error: unknown) => seen.push(error),
      })
    })
    expect(seen.slice(0, 3)).to.deep.equal(['o', { attempt: 1, error: lost }, { attempt: 2, error: refused }])
    const gaveUp = seen[3] as ReconnectLimitReached
    expect(gaveUp).to.be.instanceOf(ReconnectLimitReached)
    expect([gaveUp.attempts, gaveUp.lastError, gaveUp.message]).to.deep.equal([2, refused, 'gave up after 2 failed attempts (refused)'])
    expect(new ReconnectLimitReached(1, new Error('')).message).to.equal('gave up after 1 failed attempt')
  })

  it('lets an error through at once when autoReconnect is false', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const socket$ = cold<string>('o 9ms #', undefined, new Error('lost'))
      expectObservable(ending(socket$.pipe(reconnect(policy({ autoReconnect: false }), scheduler)))).toBe('o 9ms (e|)', { o: 'o', e: 'error: lost' })
      expectSubscriptions(socket$.subscriptions).toBe('^ 9ms !')
    })
  })

  it('still makes the attempts to open a connection when autoReconnect is false, as the original SDK: only a lost one is not reopened', () => {
    scheduler.run(({ cold, expectObservable }) => {
      let attempts = 0
      const socket$ = defer(() => (++attempts < 3 ? cold<string>('#') : cold<string>('o 9ms #', undefined, new Error('lost'))))
      const result$ = ending(socket$.pipe(reconnect(policy({ autoReconnect: false, delay: 100, limit: 5 }), scheduler, (value) => value === 'o')))
      expectObservable(result$).toBe('a 99ms b 99ms o 9ms (e|)', { a: 'r2/100', b: 'r3/100', o: 'o', e: 'error: lost' })
    })
  })

  it('reads the policy at each decision, so configuration updates apply to the next wait', () => {
    scheduler.run(({ cold, expectObservable }) => {
      let current = policy({ delay: 100, limit: 3 })
      const socket$ = cold<string>('#')
      const result$ = ending(
        socket$.pipe(
          reconnect(() => current, scheduler),
          map((value) => {
            current = policy({ delay: 700, limit: 3 })
            return value
          }),
        ),
      )
      expectObservable(result$).toBe('a 99ms b 699ms (g|)', { a: 'r2/100', b: 'r3/700', g: 'gave up after 3' })
    })
  })

  it('cancels a pending attempt when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const socket$ = cold<string>('#')
      expectObservable(ending(socket$.pipe(reconnect(policy({ delay: 1000 }), scheduler))), '^ 1500ms !').toBe('a 999ms b', { a: 'r2/1000', b: 'r3/1000' })
      expectSubscriptions(socket$.subscriptions).toBe(['(^!)', '1000ms (^!)'])
    })
  })

  it('waits at most 2^31 − 1 ms between attempts: a longer wait on the host timers would retry at once, in a loop', async () => {
    // Host timers, not virtual time: only they fire a longer timer at once.
    let attempts = 0
    const socket$ = defer(() => {
      attempts += 1
      return throwError(() => new Error('refused'))
    })
    const running = socket$.pipe(reconnect(policy({ delay: 3e9, maxDelay: 1e12, limit: 0 }), asyncScheduler)).subscribe({ error: () => undefined })
    await new Promise((resolve) => setTimeout(resolve, 30))
    running.unsubscribe()
    expect(attempts).to.equal(1)
  })
})
