import { map } from 'rxjs'
import type { AuthFeature } from '../../streams/auth/feature.js'
import type { AuthEvent } from '../../streams/auth/state.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'

/** What `getUserInfo()` returns (every key undefined before valid tokens are set). */
export interface UserInfo {
  /** The user id (`preferred_username` of the id token): not meant to be displayed. */
  readonly username: string | undefined
  /** The current access token. */
  readonly token: string | undefined
  /** The same as `token` (the wire protocol's name). */
  readonly accessToken: string | undefined
  /** The user's public address (`services-identity`, `name@domain`). */
  readonly identity: string | undefined
}

/** The documented authentication functions, directly on the client (api-reference, Authentication). */
export interface AuthApi {
  /**
   * Sets the tokens (from the platform's authentication API) used for every request to the platform: the access token authorises,
   * the id token says who the user is. `auth:change` follows; tokens that cannot be used (not a JWT, missing claims, wrong types)
   * give `auth:error` with a `BasicError` and change nothing. Later requests use the new access token, and so does the WebSocket when it reconnects (an open one keeps its own).
   *
   * client.setTokens({ accessToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...', idToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...' })
   */
  setTokens(params: { accessToken: string; idToken: string }): void
  /**
   * Retrieves information about the current user: `username`, `token` (also as `accessToken`) and `identity`.
   *
   * const { username, token } = client.getUserInfo()
   */
  getUserInfo(): UserInfo
}

/** The documented events of the auth feature (`protocol/events.md` §2, Recommendation). */
const authPublicEvent = (event: AuthEvent): PublicEvent =>
  event.type === 'tokensSet' ? { type: 'auth:change', payload: {} } : { type: 'auth:error', payload: { error: event.error } }

/** `setTokens` and `getUserInfo` over the auth feature. */
export function authApi({ auth }: { readonly auth: AuthFeature }): Namespace<AuthApi> {
  return {
    api: {
      setTokens: (params) => auth.commands.setTokens(params),
      getUserInfo: () => {
        const user = auth.user()
        return { username: user?.username, token: user?.accessToken, accessToken: user?.accessToken, identity: user?.identity }
      },
    },
    events$: auth.events$.pipe(map(authPublicEvent)),
  }
}
