import { Observable, type Subscription } from 'rxjs'
import { asBasicError, type BasicError } from './errors.js'

/**
 * A command's request with its outcome reported: each value to `success` (`undefined` for a request without a body), its error as a BasicError to `failure`.
 * It never errors and emits nothing, so that it can wait in a queue of requests (`mergeMap(outcome$ => outcome$, limit)`).
 *
 * queue.next(settled(requests.watchUser(link, scope, listId, userId), () => dispatch({ type: 'userWatched', userId }), (error) => fail('subscribe', error)))
 */
export function settled<A>(request$: Observable<A>, success: (value: A) => void, failure: (error: BasicError) => void): Observable<never> {
  return new Observable<never>((subscriber) => {
    let answered = false
    return request$.subscribe({
      next: (value) => {
        answered = true
        success(value)
      },
      error: (cause: unknown) => {
        failure(asBasicError(cause))
        subscriber.complete()
      },
      complete: () => {
        if (!answered) success(undefined as A)
        subscriber.complete()
      },
    })
  })
}

/**
 * Runs a feature's command requests under `owner` (disposing the feature cancels them), reporting each outcome as `settled` does.
 *
 * const run = settler(running)
 * run(requests.addContact(link, user, id, body), () => dispatch({ type: 'contactAdded', contact }), (error) => fail('add', error))
 */
export const settler =
  (owner: Subscription) =>
  <A>(request$: Observable<A>, success: (value: A) => void, failure: (error: BasicError) => void): void => {
    owner.add(settled(request$, success, failure).subscribe())
  }
