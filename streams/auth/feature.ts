import * as E from 'fp-ts/Either'
import { BehaviorSubject, Subject, distinctUntilChanged, map, type Observable } from 'rxjs'
import type { AuthUser } from '../connection/link.js'
import type { Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import { authReducer, initialAuthState, type AuthEvent, type AuthState } from './state.js'
import { userFromTokens } from './tokens.js'

export interface AuthDeps {
  readonly logs: Logs
}

export interface AuthCommands {
  /**
   * Sets the tokens: a valid pair gives `tokensSet` (later REST calls use the new access token;
   * an open WebSocket keeps the one it was opened with), anything else `tokensRejected`.
   */
  readonly setTokens: (params: unknown) => void
}

export interface AuthFeature extends Feature<AuthState, AuthEvent, AuthCommands> {
  /** Hot; the same as `state$`. */
  readonly auth$: Observable<AuthState>
  /** Hot; the current user, undefined until valid tokens are set. */
  readonly user$: Observable<AuthUser | undefined>
  /** The current user, synchronously. */
  readonly user: () => AuthUser | undefined
  readonly dispose: () => void
}

/** Authentication: the tokens the application obtained, and the user its id token names. */
export function createAuth({ logs }: AuthDeps): AuthFeature {
  const logger = logs.logger('auth')
  const state = new BehaviorSubject<AuthState>(initialAuthState)
  const events = new Subject<AuthEvent>()

  const dispatch = (event: AuthEvent): void => {
    const previous = state.getValue()
    const next = authReducer(previous, event)
    logger.action(event, previous, next)
    if (next !== previous) state.next(next)
    events.next(event)
  }

  const setTokens = (params: unknown): void => {
    const user = userFromTokens(params)
    if (E.isLeft(user)) {
      logger.warn(user.left.message)
      dispatch({ type: 'tokensRejected', error: user.left })
    } else dispatch({ type: 'tokensSet', user: user.right })
  }

  const state$ = state.asObservable()
  return {
    state$,
    auth$: state$,
    events$: events.asObservable(),
    commands: { setTokens },
    user$: state$.pipe(
      map((current) => current.user),
      distinctUntilChanged(),
    ),
    user: () => state.getValue().user,
    dispose: () => {
      state.complete()
      events.complete()
    },
  }
}
