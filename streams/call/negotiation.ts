import { Subscription, timer, type Observable, type SchedulerLike } from 'rxjs'

/** A task of a call's negotiation queue: subscribing runs it; it is done when it completes (or errors). */
export type NegotiationTask = () => Observable<unknown>

/** One call's renegotiations, one at a time (protocol/calls.md §7, §8); see createNegotiation. */
export type Negotiation = ReturnType<typeof createNegotiation>

/**
 * A call's negotiation queue, one task at a time: remote re-offers jump ahead of queued local operations; after a glare, local operations wait until
 * a remote re-offer was handled (then the retry goes first) or `wait` ms passed (then `giveUp` runs and the queue moves on).
 *
 * const negotiation = createNegotiation((error) => logger.error('A renegotiation failed', error), scheduler)
 * negotiation.local(() => hold$)
 */
export function createNegotiation(onError: (error: unknown) => void, scheduler: SchedulerLike) {
  const locals: NegotiationTask[] = []
  const remotes: NegotiationTask[] = []
  let running: Subscription | undefined
  let waiting: { readonly retry: NegotiationTask; readonly timer: Subscription } | undefined
  let disposed = false
  const enqueue = (queue: NegotiationTask[]) => (task: NegotiationTask) => {
    if (disposed) return
    queue.push(task)
    pump()
  }

  const pump = (): void => {
    // A task that finishes synchronously starts the next one from its `done`.
    while (running === undefined && !disposed) {
      const remote = remotes.length > 0
      const task = remote ? remotes.shift() : waiting === undefined ? locals.shift() : undefined
      if (task === undefined) return
      // Called once: complete and error exclude each other, and the catch below runs only when there is no subscription.
      const done = (): void => {
        if (remote && waiting !== undefined) {
          locals.unshift(waiting.retry)
          waiting.timer.unsubscribe()
          waiting = undefined
        }
        if (running === current) {
          running = undefined
          pump()
        }
      }
      const current = new Subscription()
      running = current
      try {
        current.add(task().subscribe({ complete: done, error: (error: unknown) => (onError(error), done()) }))
      } catch (error) {
        onError(error)
        done()
      }
    }
  }

  return {
    /** Queues a local operation (hold, unhold, add / remove media, replace track). */
    local: enqueue(locals),
    /** Queues the handling of a remote re-offer; it runs before any queued local operation. */
    remote: enqueue(remotes),
    /** After a glare: `retry` runs once a remote re-offer was handled, before other local operations; else `giveUp` after `wait` ms. */
    retryAfterRemote: (retry: NegotiationTask, giveUp: () => void, wait: number): void => {
      if (disposed) return
      waiting?.timer.unsubscribe()
      const entry = {
        retry,
        timer: timer(wait, scheduler).subscribe(() => {
          if (waiting !== entry) return
          waiting = undefined
          giveUp()
          pump()
        }),
      }
      waiting = entry
    },
    /** Stops the running task and drops the queued ones. */
    dispose: (): void => {
      disposed = true
      locals.length = 0
      remotes.length = 0
      waiting?.timer.unsubscribe()
      waiting = undefined
      running?.unsubscribe()
      running = undefined
    },
  }
}
