import { Observable, type Subscription } from 'rxjs'
import { asBasicError, type BasicError } from './errors.js'

/**
 * The request of a command with its outcome reported: each value to `success` (a request
 * without a response body completes without a value: `success` then gets `undefined`), or its
 * error, as a `BasicError`, to `failure`. It never errors itself and emits nothing, so that it
 * can wait in a queue of requests (`mergeMap(outcome$ => outcome$, limit)`).
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
 * Runs the requests of a feature's commands under `owner` (so disposing the feature cancels
 * them) and reports each outcome as `settled` does.
 *
 * const run = settler(running)
 * run(requests.addContact(link, user, id, body), () => dispatch({ type: 'contactAdded', contact }), (error) => fail('add', error))
 */
export const settler =
  (owner: Subscription) =>
  <A>(request$: Observable<A>, success: (value: A) => void, failure: (error: BasicError) => void): void => {
    owner.add(settled(request$, success, failure).subscribe())
  }
