import { expect } from 'chai'
import { TestScheduler } from 'rxjs/testing'
import { Observable, defer, throwError, timer } from 'rxjs'
import { createNegotiation } from '../../../streams/call/negotiation.js'

// The negotiation queue of a call in virtual time: tasks are timers that record when they ran.

describe('negotiation queue (streams/call/negotiation.ts)', () => {
  let scheduler: TestScheduler
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => void expect(actual).to.deep.equal(expected))
  })

  /** A task that logs `<name>@<start time>` and takes `ms` of virtual time. */
  const task = (log: string[], name: string, ms: number) => () =>
    defer(() => {
      log.push(`${name}@${scheduler.now()}`)
      return timer(ms, scheduler)
    })

  it('runs local operations one at a time, in order', () => {
    scheduler.run(({ flush }) => {
      const log: string[] = []
      const negotiation = createNegotiation(() => undefined, scheduler)
      negotiation.local(task(log, 'hold', 10))
      negotiation.local(task(log, 'addMedia', 5))
      negotiation.local(task(log, 'unhold', 1))
      flush()
      expect(log).to.deep.equal(['hold@0', 'addMedia@10', 'unhold@15'])
    })
  })

  it('a remote re-offer goes before the local operations still queued (not before the running one)', () => {
    scheduler.run(({ flush }) => {
      const log: string[] = []
      const negotiation = createNegotiation(() => undefined, scheduler)
      negotiation.local(task(log, 'hold', 10))
      negotiation.local(task(log, 'addMedia', 10))
      scheduler.schedule(() => negotiation.remote(task(log, 'remote', 3)), 2)
      flush()
      expect(log).to.deep.equal(['hold@0', 'remote@10', 'addMedia@13'])
    })
  })

  it('after glare, local operations wait for the remote re-offer; then the retry goes first', () => {
    scheduler.run(({ flush }) => {
      const log: string[] = []
      const negotiation = createNegotiation(() => undefined, scheduler)
      let gaveUp = false
      negotiation.local(() =>
        defer(() => {
          log.push(`hold@${scheduler.now()}`)
          negotiation.retryAfterRemote(task(log, 'hold retry', 4), () => (gaveUp = true), 1000)
          return timer(5, scheduler)
        }),
      )
      negotiation.local(task(log, 'addMedia', 1))
      scheduler.schedule(() => negotiation.remote(task(log, 'remote', 3)), 50)
      flush()
      expect(log).to.deep.equal(['hold@0', 'remote@50', 'hold retry@53', 'addMedia@57'])
      expect(gaveUp).to.equal(false)
    })
  })

  it('when no remote re-offer comes, the retry gives up once the wait (from the glare) is over, and the queue moves on', () => {
    scheduler.run(({ flush }) => {
      const log: string[] = []
      const negotiation = createNegotiation(() => undefined, scheduler)
      negotiation.local(() =>
        defer(() => {
          negotiation.retryAfterRemote(task(log, 'retry', 1), () => log.push(`gave up@${scheduler.now()}`), 100)
          return timer(5, scheduler)
        }),
      )
      negotiation.local(task(log, 'next', 1))
      flush()
      expect(log).to.deep.equal(['gave up@100', 'next@100'])
    })
  })

  it('a failing task is reported and the next one runs; a task that finishes at once does not stall the queue', () => {
    scheduler.run(({ flush }) => {
      const log: string[] = []
      const errors: unknown[] = []
      const negotiation = createNegotiation((error) => errors.push(error), scheduler)
      negotiation.local(() => throwError(() => new Error('offer failed')))
      negotiation.local(() => new Observable<never>((subscriber) => subscriber.complete()))
      negotiation.local(task(log, 'after', 1))
      flush()
      expect(log).to.deep.equal(['after@0'])
      expect(errors.map((error) => (error as Error).message)).to.deep.equal(['offer failed'])
    })
  })

  it('dispose stops the running task and drops the queue', () => {
    scheduler.run(({ flush }) => {
      const log: string[] = []
      let unsubscribed = false
      const negotiation = createNegotiation(() => undefined, scheduler)
      negotiation.local(() => new Observable(() => () => (unsubscribed = true)))
      negotiation.local(task(log, 'queued', 1))
      negotiation.dispose()
      negotiation.local(task(log, 'late', 1))
      negotiation.remote(task(log, 'remote', 1))
      flush()
      expect(unsubscribed).to.equal(true)
      expect(log).to.deep.equal([])
    })
  })
})
