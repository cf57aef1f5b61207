import * as E from 'fp-ts/Either'
import { Observable, Subject, concatMap, type Subscription } from 'rxjs'
import type { AuthUser, PlatformLink } from './connection/link.js'
import { asBasicError, type BasicError } from './errors.js'
import { signedIn } from './guards.js'

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

/**
 * Runs outcomes (`settled` requests) one after another under `owner`: two requests in flight together may reach the platform swapped.
 *
 * const publish = inOrder(running)
 * publish(settled(publishPresence(link, scope, correlator, person), stored, (error) => fail('update', error)))
 */
export function inOrder(owner: Subscription): (outcome$: Observable<never>) => void {
  const queue = new Subject<Observable<never>>()
  owner.add(queue.pipe(concatMap((outcome$) => outcome$)).subscribe())
  return (outcome$) => queue.next(outcome$)
}

/**
 * Runs a feature's command requests as the signed-in user, under `owner` as `settler` does: each value becomes the event `done` makes of it,
 * dispatched; without a user nothing is sent and `failure` gets the error `signedIn` makes of `operation`, as it gets the request's.
 * `run` starts each request: at once by default, one after another with `inOrder(owner)`.
 *
 * const request = userRequests(running, link, dispatch)
 * request('Add Contact Request', (user) => requests.addContact(link, user.username, id, body), () => ({ type: 'contactAdded', contact }), (error) => fail('add', error))
 */
export const userRequests =
  <Event>(owner: Subscription, link: Pick<PlatformLink, 'user'>, dispatch: (event: Event) => void, run: (outcome$: Observable<never>) => void = (outcome$) => void owner.add(outcome$.subscribe())) =>
  <A>(operation: string, request$: (user: AuthUser) => Observable<A>, done: (value: A) => Event, failure: (error: BasicError) => void): void => {
    const user = signedIn(link, operation)
    if (E.isLeft(user)) return failure(user.left)
    run(settled(request$(user.right), (value) => dispatch(done(value)), failure))
  }
