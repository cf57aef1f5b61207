import type { AuthUser } from '../connection/link.js'
import type { BasicError } from '../errors.js'

export interface AuthState {
  /** Undefined until `setTokens` got a valid pair. */
  readonly user: AuthUser | undefined
}

export type AuthEvent =
  /** `setTokens` decoded a valid pair: later requests use this user and access token. */
  | { readonly type: 'tokensSet'; readonly user: AuthUser }
  /** `setTokens` got something it cannot use; the state is unchanged. */
  | { readonly type: 'tokensRejected'; readonly error: BasicError }

export const initialAuthState: AuthState = { user: undefined }

export const authReducer = (state: AuthState, event: AuthEvent): AuthState => {
  switch (event.type) {
    case 'tokensSet':
      return { user: event.user }
    case 'tokensRejected':
      return state
  }
}
