import { EMPTY, asyncScheduler, catchError, concat, concatMap, defer, map, of, take, timer, type Observable, type SchedulerLike } from 'rxjs'
import { timerWait } from '../environment.js'

/** One refresh attempt's outcome; `attemptNum` counts attempts since the last success (from 1). */
export type RefreshOutcome =
  | { readonly ok: true; readonly attemptNum: number; readonly lifetime: number }
  | { readonly ok: false; readonly attemptNum: number; readonly error: unknown }

interface RefreshOptions {
  /** Errors after which no further attempt is made (e.g. the resource is gone). */
  readonly fatal?: (error: unknown) => boolean
}

/** No attempt is made with less than this left before expiry (ms). */
const minimum = 1000

/**
 * Keeps a resource with a lifetime (seconds) alive, emitting each attempt's outcome: refreshes at half of it, at half the granted lifetime after
 * a success, at half the time left after a failure, until less than `minimum` (1 s) is left or the error is `fatal`.
 *
 * refreshBefore(3600, (attemptNum) => refreshChannel(context, channel), scheduler) // at 1800 s, then every 1800 s
 */
export function refreshBefore(
  lifetime: number,
  refresh: (attemptNum: number) => Observable<number>,
  scheduler: SchedulerLike = asyncScheduler,
  options: RefreshOptions = {},
): Observable<RefreshOutcome> {
  const cycle = (expiresAt: number, attemptNum: number): Observable<RefreshOutcome> =>
    defer(() => {
      const left = expiresAt - scheduler.now()
      if (left < minimum) return EMPTY
      // A lifetime past the timers' range is refreshed early rather than at once, again and again.
      return timer(timerWait(left / 2), scheduler).pipe(
        concatMap(() =>
          refresh(attemptNum).pipe(
            take(1),
            map((granted): RefreshOutcome => ({ ok: true, attemptNum, lifetime: granted })),
            catchError((error: unknown) => of<RefreshOutcome>({ ok: false, attemptNum, error })),
          ),
        ),
        concatMap((outcome) => {
          if (outcome.ok) return concat(of(outcome), outcome.lifetime > 0 ? cycle(scheduler.now() + outcome.lifetime * 1000, 1) : EMPTY)
          return concat(of(outcome), options.fatal?.(outcome.error) === true ? EMPTY : cycle(expiresAt, attemptNum + 1))
        }),
      )
    })
  return lifetime > 0 ? defer(() => cycle(scheduler.now() + lifetime * 1000, 1)) : EMPTY
}
