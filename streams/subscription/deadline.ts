import { Observable, defer, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs'
import { timerWait } from '../environment.js'
import { BasicError, type ErrorCode } from '../errors.js'

/** The moment a subscription request gives up: `subscription.timeout` seconds after it was made. */
export interface Deadline {
  readonly passed$: Observable<unknown>
  readonly seconds: number
}

export function deadlineIn(seconds: number, scheduler: SchedulerLike): Deadline {
  const at = scheduler.now() + seconds * 1000
  // From each subscription until then (at once once it has passed), within the timers' range.
  return { seconds, passed$: defer(() => timer(timerWait(at - scheduler.now()), scheduler)) }
}

/**
 * Runs a step of a request until the deadline; past it, unsubscribes the step and fails with `code`, naming the step (`what`).
 *
 * requests.createChannel(context).pipe(before(deadline, 'Create notification channel', codes.CPAAS_WSREQUEST_FAIL))
 */
export const before =
  <T>(deadline: Deadline, what: string, code: ErrorCode): MonoTypeOperatorFunction<T> =>
  (source) =>
    new Observable<T>((subscriber) => {
      // Both end with the subscriber: when it errors, completes or is unsubscribed.
      subscriber.add(deadline.passed$.subscribe(() => subscriber.error(new BasicError(code, `${what}: no answer within subscription.timeout (${deadline.seconds} s)`))))
      source.subscribe(subscriber)
    })
