import { EMPTY, catchError, distinctUntilChanged, exhaustMap, filter, ignoreElements, map, merge, switchMap, tap, type Observable } from 'rxjs'
import type { ConnectionFeature } from '../connection/feature.js'
import { httpStatusOf } from '../connection/request.js'
import { asBasicError, errorCodes } from '../errors.js'
import { refreshBefore } from './refresh.js'
import * as requests from './requests.js'
import type { Channel, SubscriptionEvent, SubscriptionState } from './state.js'
import type { OperationDeps } from './steps.js'

type KeepingDeps = Pick<OperationDeps, 'link' | 'config' | 'scheduler' | 'logger' | 'current'> & {
  readonly connectionEvents$: ConnectionFeature['events$']
  readonly state$: Observable<SubscriptionState>
  readonly dispatch: (event: SubscriptionEvent) => void
  /** Queues the re-creation of a channel the platform lost. */
  readonly replace: (lost: Channel) => void
}

const isGone = (error: unknown): boolean => httpStatusOf(error) === 404

/**
 * Keeps the channel of `state$` alive: refreshed at half its lifetime (Recommendation §7, reported as `auth:resub`) and asked about while
 * the socket cannot reconnect; a channel the platform no longer knows is replaced. Subscribe to run it.
 *
 * running.add(keepChannel({ ...deps, state$: store.state$, current: store.current, dispatch, replace }).subscribe())
 */
export function keepChannel(deps: KeepingDeps): Observable<never> {
  const { link, logger } = deps
  const context = (user = link.user()) => (user === undefined ? undefined : { link, user, config: deps.config.current() })

  const refreshed$ = deps.state$.pipe(
    map((current) => current.channel),
    distinctUntilChanged((a, b) => a?.id === b?.id),
    switchMap((channel) => {
      const first = context()
      if (channel === undefined || first === undefined) return EMPTY
      return refreshBefore(channel.lifetime, () => requests.refreshChannel(context() ?? first, channel), deps.scheduler, { fatal: isGone }).pipe(
        tap((outcome) => {
          if (outcome.ok) return deps.dispatch({ type: 'channelRefreshed', attemptNum: outcome.attemptNum, lifetime: outcome.lifetime })
          const error = asBasicError(outcome.error, errorCodes.subscription.CPAAS_WSREFRESH_FAIL, 'Refresh notification channel')
          logger.warn(`Channel refresh failed: ${error.message}`)
          deps.dispatch({ type: 'channelRefreshFailed', attemptNum: outcome.attemptNum, error })
          if (isGone(outcome.error)) deps.replace(channel)
        }),
      )
    }),
  )

  const checked$ = deps.connectionEvents$.pipe(
    filter((event) => event.type === 'attemptFailed'),
    exhaustMap(() => {
      const { channel } = deps.current()
      const at = context()
      if (channel === undefined || at === undefined) return EMPTY
      return requests.refreshChannel(at, channel).pipe(
        catchError((error: unknown) => {
          if (isGone(error)) deps.replace(channel)
          return EMPTY
        }),
      )
    }),
  )
  return merge(refreshed$, checked$).pipe(ignoreElements())
}
