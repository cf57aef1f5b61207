import * as t from 'io-ts'
import type { PlatformContext, PlatformReply } from '../context.js'
import { coreOf } from '../core.js'
import type { TokenSet } from '../tokens.js'

/** Form fields of `POST /cpaas/auth/v1/token` (`application/x-www-form-urlencoded`, JSON also accepted). */
const TokenRequest = t.partial({
  grant_type: t.string,
  client_id: t.string,
  client_secret: t.string,
  username: t.string,
  password: t.string,
  scope: t.string,
  refresh_token: t.string,
})

/** An OAuth error with a CPaaS `requestError` alongside, so both kinds of client read it. */
const oauthError = (status: number, error: string, description: string): PlatformReply => ({
  status,
  body: {
    error,
    error_description: description,
    requestError: { policyException: { messageId: 'POL0401', text: 'Authentication failed: %1', variables: [description] } },
  },
  headers: { 'Cache-Control': 'no-store' },
})

const grant = (tokens: TokenSet, scope: string): PlatformReply => ({
  status: 200,
  body: {
    access_token: tokens.accessToken,
    id_token: tokens.idToken,
    refresh_token: tokens.refreshToken,
    expires_in: tokens.expiresIn,
    refresh_expires_in: tokens.expiresIn * 24,
    token_type: 'Bearer',
    scope,
  },
  headers: { 'Cache-Control': 'no-store' },
})

/** Accounts and tokens: the token endpoint (password and refresh grants). */
export function accountsFeature(ctx: PlatformContext): void {
  const core = coreOf(ctx)
  ctx.route('POST', '/cpaas/auth/:version/token', { public: true, body: TokenRequest }, ({ body }) => {
    const scope = body.scope ?? 'openid'
    switch (body.grant_type) {
      case 'password': {
        if (body.username === undefined || body.password === undefined) return oauthError(400, 'invalid_request', 'username and password are required')
        const account = ctx.accounts.find(body.username)
        if (account === undefined || account.password !== body.password) return oauthError(401, 'invalid_grant', 'Invalid user credentials')
        return grant(core.tokens.issue(account), scope)
      }
      case 'refresh_token': {
        if (body.refresh_token === undefined) return oauthError(400, 'invalid_request', 'refresh_token is required')
        const claims = core.tokens.verify(body.refresh_token, 'refresh')
        if (typeof claims === 'string') return oauthError(401, 'invalid_grant', `Invalid refresh token (${claims})`)
        const account = core.accounts.byUserId(claims.sub)
        if (account === undefined) return oauthError(401, 'invalid_grant', 'Invalid refresh token (unknown user)')
        return grant(core.tokens.issue(account), scope)
      }
      case undefined:
        return oauthError(400, 'invalid_request', 'grant_type is required')
      default:
        return oauthError(400, 'unsupported_grant_type', `grant_type ${body.grant_type} is not supported (use password or refresh_token)`)
    }
  })
}
