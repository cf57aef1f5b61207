import { expect } from 'chai'
import { TestScheduler } from 'rxjs/testing'
import { Observable, defer, throwError, timer } from 'rxjs'
import { createNegotiation, type Negotiation, type NegotiationTask } from '../../../streams/call/negotiation.js'

// The negotiation queue of a call in virtual time: tasks are timers that record when they ran.

describe('negotiation queue (streams/call/negotiation.ts)', () => {
  let scheduler: TestScheduler
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => void expect(actual).to.deep.equal(expected))
  })

  interface Queue {
    readonly negotiation: Negotiation
    /** A task that logs `<name>@<start time>` and takes `ms` of virtual time. */
    readonly task: (name: string, ms: number) => NegotiationTask
    readonly log: string[]
  }

  /** Runs `steps` on a new queue in virtual time until nothing is left; returns what its tasks logged. */
  const logOf = (steps: (queue: Queue) => void, onError: (error: unknown) => void = () => undefined): string[] => {
    const log: string[] = []
    const task = (name: string, ms: number) => () =>
      defer(() => {
        log.push(`${name}@${scheduler.now()}`)
        return timer(ms, scheduler)
      })
    scheduler.run(({ flush }) => {
      steps({ negotiation: createNegotiation(onError, scheduler), task, log })
      flush()
    })
    return log
  }

  it('runs local operations one at a time, in order', () => {
    const log = logOf(({ negotiation, task }) => {
      negotiation.local(task('hold', 10))
      negotiation.local(task('addMedia', 5))
      negotiation.local(task('unhold', 1))
    })
    expect(log).to.deep.equal(['hold@0', 'addMedia@10', 'unhold@15'])
  })

  it('a remote re-offer goes before the local operations still queued (not before the running one)', () => {
    const log = logOf(({ negotiation, task }) => {
      negotiation.local(task('hold', 10))
      negotiation.local(task('addMedia', 10))
      scheduler.schedule(() => negotiation.remote(task('remote', 3)), 2)
    })
    expect(log).to.deep.equal(['hold@0', 'remote@10', 'addMedia@13'])
  })

  it('after glare, local operations wait for the remote re-offer; then the retry goes first', () => {
    let gaveUp = false
    const log = logOf(({ negotiation, task, log }) => {
      negotiation.local(() =>
        defer(() => {
          log.push(`hold@${scheduler.now()}`)
          negotiation.retryAfterRemote(task('hold retry', 4), () => (gaveUp = true), 1000)
          return timer(5, scheduler)
        }),
      )
      negotiation.local(task('addMedia', 1))
      scheduler.schedule(() => negotiation.remote(task('remote', 3)), 50)
    })
    expect(log).to.deep.equal(['hold@0', 'remote@50', 'hold retry@53', 'addMedia@57'])
    expect(gaveUp).to.equal(false)
  })

  it('when no remote re-offer comes, the retry gives up once the wait (from the glare) is over, and the queue moves on', () => {
    const log = logOf(({ negotiation, task, log }) => {
      negotiation.local(() =>
        defer(() => {
          negotiation.retryAfterRemote(task('retry', 1), () => log.push(`gave up@${scheduler.now()}`), 100)
          return timer(5, scheduler)
        }),
      )
      negotiation.local(task('next', 1))
    })
    expect(log).to.deep.equal(['gave up@100', 'next@100'])
  })

  it('a failing task is reported and the next one runs; a task that finishes at once does not stall the queue', () => {
    const errors: unknown[] = []
    const log = logOf(({ negotiation, task }) => {
      negotiation.local(() => throwError(() => new Error('offer failed')))
      negotiation.local(() => new Observable<never>((subscriber) => subscriber.complete()))
      negotiation.local(task('after', 1))
    }, (error) => errors.push(error))
    expect(log).to.deep.equal(['after@0'])
    expect(errors.map((error) => (error as Error).message)).to.deep.equal(['offer failed'])
  })

  it('a task that throws instead of returning its observable is reported once and the next one runs', () => {
    const errors: unknown[] = []
    const log = logOf(({ negotiation, task }) => {
      negotiation.local(() => {
        throw new Error('no peer')
      })
      negotiation.local(task('after', 1))
    }, (error) => errors.push(error))
    expect(log).to.deep.equal(['after@0'])
    expect(errors.map((error) => (error as Error).message)).to.deep.equal(['no peer'])
  })

  it('dispose stops the running task and drops the queue', () => {
    let unsubscribed = false
    const log = logOf(({ negotiation, task }) => {
      negotiation.local(() => new Observable(() => () => (unsubscribed = true)))
      negotiation.local(task('queued', 1))
      negotiation.dispose()
      negotiation.local(task('late', 1))
      negotiation.remote(task('remote', 1))
    })
    expect(unsubscribed).to.equal(true)
    expect(log).to.deep.equal([])
  })
})
