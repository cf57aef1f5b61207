import * as E from 'fp-ts/Either'
import { Subscription, type Observable } from 'rxjs'
import type { AuthUser } from '../connection/link.js'
import { select, storeFeature, type Feature, type FeatureDeps } from '../feature.js'
import { createStore, echoing } from '../store.js'
import { authReducer, initialAuthState, type AuthEvent, type AuthState } from './state.js'
import { userFromTokens, type Tokens } from './tokens.js'

export type AuthDeps = Pick<FeatureDeps, 'logs'>

export interface AuthCommands {
  /** Sets the tokens: a valid pair gives `tokensSet` (later REST calls use it, and the WebSocket when it reconnects), anything else `tokensRejected`. */
  readonly setTokens: (params: Tokens) => void
}

export interface AuthFeature extends Feature<AuthState, AuthEvent, AuthCommands> {
  /** Hot; the same as `state$`. */
  readonly auth$: Observable<AuthState>
  /** Hot; the current user, undefined until valid tokens are set. */
  readonly user$: Observable<AuthUser | undefined>
  readonly user: () => AuthUser | undefined
  readonly dispose: () => void
}

/** Authentication: the tokens the application obtained, and the user its id token names. */
export function createAuth({ logs }: AuthDeps): AuthFeature {
  const logger = logs.logger('auth')
  const store = createStore(initialAuthState, echoing(authReducer), logger)

  // The app may pass anything: userFromTokens checks it.
  const setTokens = (params: Tokens): void => {
    const user = userFromTokens(params)
    if (E.isRight(user)) return void store.dispatch({ type: 'tokensSet', user: user.right })
    logger.warn(user.left.message)
    store.dispatch({ type: 'tokensRejected', error: user.left })
  }

  const { current, ...parts } = storeFeature(store, new Subscription())
  return { ...parts, auth$: store.state$, commands: { setTokens }, user$: select(store.state$, (state) => state.user), user: () => current().user }
}
