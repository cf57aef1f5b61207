import { expect } from 'chai'
import { map, switchMap, throwError, timer, type Observable } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { BasicError, errorCodes } from '../../../streams/errors.js'
import { automaticRestarts, type RestartOutcome, type RestartSignal } from '../../../streams/call/restart-policy.js'
import { defaultRestartPolicy, type RestartPolicy } from '../../../streams/config/media-restart.js'

// The automatic media restart policy in virtual time: signals are the call's media connection
// states (f failed, d disconnected, c connected, C completed, k checking, x closed) and the browser's online event (o).

const signals: Record<string, RestartSignal> = {
  f: { type: 'state', state: 'failed' },
  d: { type: 'state', state: 'disconnected' },
  c: { type: 'state', state: 'connected' },
  k: { type: 'state', state: 'checking' },
  C: { type: 'state', state: 'completed' },
  x: { type: 'state', state: 'closed' },
  o: { type: 'online' },
}
const policy: RestartPolicy = { enabled: true, gracePeriod: 100, attempts: 3, delay: 1000, maxDelay: 1500, timeout: 500 }
/** Outcomes as plain values (a BasicError compares by its code and message). */
const plain = (outcome: RestartOutcome) => (outcome.type === 'gaveUp' ? { ...outcome, error: { code: outcome.error.code, message: outcome.error.message } } : outcome)
const refused = () => timer(10).pipe(switchMap(() => throwError(() => new BasicError(errorCodes.call.GENERIC_ERROR, 'the far end refused the offer'))))

describe('automatic media restart policy (streams/call/restart-policy.ts)', () => {
  let scheduler: TestScheduler
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => void expect(actual).to.deep.equal(expected))
  })

  const run = (marbles: string, restart: () => Observable<unknown>, expected: string, values: Record<string, unknown>, options: RestartPolicy = policy) =>
    scheduler.run(({ hot, expectObservable }) => {
      const outcomes$ = automaticRestarts(hot(marbles, signals), restart, options, scheduler).pipe(map(plain))
      expectObservable(outcomes$).toBe(expected, values)
    })

  it('restarts at once when the media connection fails, and is done when it is connected again', () => {
    run('10ms f 69ms c', () => timer(50), '10ms a 69ms b', { a: { type: 'restarting', attempt: 1, reason: 'failed' }, b: { type: 'restarted', attempt: 1 } })
  })

  it('waits out the grace period of a disconnection: a short one is left alone, a long one restarts', () => {
    run('10ms d 49ms c 49ms d 189ms c', () => timer(10), '210ms a 89ms b', { a: { type: 'restarting', attempt: 1, reason: 'disconnected' }, b: { type: 'restarted', attempt: 1 } })
  })

  it('restarts when the browser is back online during a call, done as soon as the renegotiation is if the media stayed up', () => {
    run('10ms c 19ms o', () => timer(20), '30ms a 19ms b', { a: { type: 'restarting', attempt: 1, reason: 'online' }, b: { type: 'restarted', attempt: 1 } })
  })

  it('ignores online before the call has media', () => {
    run('10ms o', () => timer(20), '', {})
  })

  it('ignores online once the media connection is closed', () => {
    run('10ms c 9ms x 9ms o', () => timer(20), '', {})
  })

  it('takes a completed media connection as back, as a connected one', () => {
    run('10ms f 69ms C', () => timer(50), '10ms a 69ms b', { a: { type: 'restarting', attempt: 1, reason: 'failed' }, b: { type: 'restarted', attempt: 1 } })
  })

  it('backs off between failed attempts (doubling, capped) and gives up after the last one, leaving the call to the app', () => {
    run('10ms f', refused, '10ms a 1009ms b 1509ms c 9ms (g|)', {
      a: { type: 'restarting', attempt: 1, reason: 'failed' },
      b: { type: 'restarting', attempt: 2, reason: 'failed' },
      c: { type: 'restarting', attempt: 3, reason: 'failed' },
      g: { type: 'gaveUp', attempts: 3, error: { code: errorCodes.call.GENERIC_ERROR, message: 'the far end refused the offer' } },
    })
  })

  it('counts an attempt whose media does not come back in time as failed', () => {
    run('10ms f', () => timer(10), '10ms a 499ms (g|)', {
      a: { type: 'restarting', attempt: 1, reason: 'failed' },
      g: { type: 'gaveUp', attempts: 1, error: { code: errorCodes.call.GENERIC_ERROR, message: 'The media did not come back within 0.5 s of a restart' } },
    }, { ...policy, attempts: 1 })
  })

  it('gives up with call:2 when the restart fails with something other than a BasicError', () => {
    run('10ms f', () => throwError(() => new Error('no peer')), '10ms (ag|)', {
      a: { type: 'restarting', attempt: 1, reason: 'failed' },
      g: { type: 'gaveUp', attempts: 1, error: { code: errorCodes.call.GENERIC_ERROR, message: 'no peer' } },
    }, { ...policy, attempts: 1 })
  })

  it('stops backing off when the media comes back by itself', () => {
    run('10ms f 199ms c', refused, '10ms a 199ms b', { a: { type: 'restarting', attempt: 1, reason: 'failed' }, b: { type: 'restarted', attempt: 1 } })
  })

  it('a failure during an attempt joins it instead of starting another', () => {
    run('10ms f 9ms k 9ms f 49ms c', () => timer(50), '10ms a 69ms b', { a: { type: 'restarting', attempt: 1, reason: 'failed' }, b: { type: 'restarted', attempt: 1 } })
  })

  it('does nothing when turned off', () => {
    run('10ms f', () => timer(10), '|', {}, { ...defaultRestartPolicy, enabled: false })
  })

  it('waits at most 2^31 − 1 ms however long the configured times: the host timers would fire a longer wait at once', () => {
    // Virtual time keeps any wait; what the host would be asked for is what the policy schedules, recorded here.
    const waits: number[] = []
    const recording = { now: () => scheduler.now(), schedule: (...args: Parameters<TestScheduler['schedule']>) => (waits.push(args[1] ?? 0), scheduler.schedule(...args)) }
    const longest = 2 ** 31 - 1
    const long: RestartPolicy = { enabled: true, gracePeriod: 3e9, attempts: 2, delay: 3e9, maxDelay: 3e9, timeout: 3e9 }
    scheduler.run(({ hot, expectObservable }) => {
      const failing = () => throwError(() => new BasicError(errorCodes.call.GENERIC_ERROR, 'the far end refused the offer'))
      const outcomes$ = automaticRestarts(hot('10ms d 10ms c 10ms f', signals), failing, long, recording).pipe(map(plain))
      const error = { code: errorCodes.call.GENERIC_ERROR, message: 'the far end refused the offer' }
      expectObservable(outcomes$).toBe(`32ms a ${longest - 1}ms (bc|)`, {
        a: { type: 'restarting', attempt: 1, reason: 'failed' },
        b: { type: 'restarting', attempt: 2, reason: 'failed' },
        c: { type: 'gaveUp', attempts: 2, error },
      })
    })
    expect(waits.filter((wait) => wait > 0)).to.include(longest)
    expect(Math.max(...waits)).to.equal(longest)
  })
})
