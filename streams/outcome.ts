import type { Observable, Subscription } from 'rxjs'
import { asBasicError, type BasicError } from './errors.js'

/**
 * Runs the request of a command under `owner` (so disposing the feature cancels it) and reports
 * its outcome: each value to `success` (a request without a response body completes without a
 * value: `success` then gets `undefined`), or its error, as a `BasicError`, to `failure`.
 *
 * settle(running, requests.addContact(link, user, id, body), () => dispatch({ type: 'contactAdded', contact }), (error) => fail('add', error))
 */
export function settle<A>(owner: Subscription, request$: Observable<A>, success: (value: A) => void, failure: (error: BasicError) => void): void {
  let answered = false
  owner.add(
    request$.subscribe({
      next: (value) => {
        answered = true
        success(value)
      },
      error: (cause: unknown) => failure(asBasicError(cause)),
      complete: () => {
        if (!answered) success(undefined as A)
      },
    }),
  )
}

/** `settle` bound to one owner: how a feature runs the requests of its commands. */
export const settler =
  (owner: Subscription) =>
  <A>(request$: Observable<A>, success: (value: A) => void, failure: (error: BasicError) => void): void =>
    settle(owner, request$, success, failure)
