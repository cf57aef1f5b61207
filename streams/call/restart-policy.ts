import { EMPTY, Observable, catchError, concat, defer, exhaustMap, filter, ignoreElements, map, merge, of, race, share, switchMap, take, takeWhile, throwError, timeout, timer, type SchedulerLike } from 'rxjs'
import { asBasicError, BasicError, errorCodes } from '../errors.js'
import type { RestartPolicy } from '../config/media-restart.js'
import { timerWait } from '../environment.js'
import type { MediaConnectionState } from './model.js'

// A call restarts its media by itself when its media connection failed, stayed disconnected past a grace period, or the browser came back online.

/** What the policy watches: the call's media connection state, and the browser's `online` event. */
export type RestartSignal = { readonly type: 'state'; readonly state: MediaConnectionState } | { readonly type: 'online' }

type RestartReason = 'failed' | 'disconnected' | 'online'

/** What the policy did: each attempt begun, then the media back, or the error it gave up with. */
export type RestartOutcome =
  | { readonly type: 'restarting'; readonly attempt: number; readonly reason: RestartReason }
  | { readonly type: 'restarted'; readonly attempt: number }
  | { readonly type: 'gaveUp'; readonly attempts: number; readonly error: BasicError }

const healthy = (state: MediaConnectionState): boolean => state === 'connected' || state === 'completed'

/**
 * The automatic restarts of one call's media: `restart()` (an ICE restart, complete once the answer is applied) runs when a reason arises, and
 * succeeds once the media connection is connected again within `policy.timeout`; a reason arising meanwhile joins the attempt. Attempts back off;
 * after `policy.attempts` failures it emits `gaveUp` and completes: the call is the app's to end or retry by hand.
 *
 * automaticRestarts(signals$, () => renegotiate({ iceRestart: true }), policy, scheduler).subscribe(report)
 */
export function automaticRestarts(signals$: Observable<RestartSignal>, restart: () => Observable<unknown>, policy: RestartPolicy, scheduler: SchedulerLike): Observable<RestartOutcome> {
  if (!policy.enabled) return EMPTY
  return new Observable<RestartOutcome>((subscriber) => {
    let latest: MediaConnectionState = 'new'
    const signals = signals$.pipe(share())
    const states$ = signals.pipe(
      filter((signal): signal is Extract<RestartSignal, { type: 'state' }> => signal.type === 'state'),
      map((signal) => (latest = signal.state)),
      share(),
    )
    const backAgain$ = defer(() => (healthy(latest) ? of(latest) : states$.pipe(filter(healthy), take(1))))

    const reasons$: Observable<RestartReason> = merge(
      states$.pipe(
        switchMap((state) => (state === 'failed' ? of<RestartReason>('failed') : state === 'disconnected' ? timer(timerWait(policy.gracePeriod), scheduler).pipe(map((): RestartReason => 'disconnected')) : EMPTY)),
      ),
      signals.pipe(
        filter((signal) => signal.type === 'online' && latest !== 'new' && latest !== 'closed'),
        map((): RestartReason => 'online'),
      ),
    )

    const attempt = (): Observable<unknown> =>
      concat(defer(restart).pipe(ignoreElements()), backAgain$).pipe(
        take(1),
        timeout({ first: timerWait(policy.timeout), scheduler, with: () => throwError(() => new BasicError(errorCodes.call.GENERIC_ERROR, `The media did not come back within ${policy.timeout / 1000} s of a restart`)) }),
      )

    const delayBefore = (next: number): number => timerWait(Math.min(policy.delay * 2 ** (next - 2), policy.maxDelay))

    const episode = (reason: RestartReason, number = 1): Observable<RestartOutcome> =>
      concat(
        of<RestartOutcome>({ type: 'restarting', attempt: number, reason }),
        attempt().pipe(
          map((): RestartOutcome => ({ type: 'restarted', attempt: number })),
          catchError((error: unknown) =>
            number >= policy.attempts
              ? of<RestartOutcome>({ type: 'gaveUp', attempts: number, error: asBasicError(error, errorCodes.call.GENERIC_ERROR) })
              : // Media that comes back by itself while waiting ends the episode too.
                race(timer(delayBefore(number + 1), scheduler).pipe(switchMap(() => episode(reason, number + 1))), backAgain$.pipe(map((): RestartOutcome => ({ type: 'restarted', attempt: number })))),
          ),
        ),
      )

    return reasons$
      .pipe(
        exhaustMap((reason) => episode(reason)),
        takeWhile((outcome) => outcome.type !== 'gaveUp', true),
      )
      .subscribe(subscriber)
  })
}
