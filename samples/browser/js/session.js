// Signing in: the platform's token endpoint (OAuth password grant), then an SDK client that uses
// the tokens. The page is served by the platform, so the platform is wherever the page came from.

/** The SDK's `authentication.server` for the platform this page came from (any port, http or https). */
export function serverOf(where = window.location) {
  const protocol = where.protocol === 'https:' ? 'https' : 'http'
  const port = where.port === '' ? (protocol === 'https' ? 443 : 80) : Number(where.port)
  return { base: where.hostname, protocol, port }
}

/** The platform's base URL, e.g. `http://127.0.0.1:8080`. */
export function baseUrlOf(server) {
  return `${server.protocol}://${server.base.includes(':') ? `[${server.base}]` : server.base}:${server.port}`
}

/** A random id for `clientCorrelator` (one per page, so the platform tells two tabs apart). */
function randomId() {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

/** Why a sign-in failed, in words for the person signing in. */
export class SignInError extends Error {}

/**
 * Asks the token endpoint for tokens: `grant` is `{ username, password }` (password grant) or
 * `{ refreshToken }` (refresh grant). Resolves `{ accessToken, idToken, refreshToken, expiresIn }`.
 */
export async function requestTokens(server, grant, clientId) {
  const form = grant.refreshToken === undefined
    ? { grant_type: 'password', client_id: clientId, username: grant.username, password: grant.password, scope: 'openid' }
    : { grant_type: 'refresh_token', client_id: clientId, refresh_token: grant.refreshToken }
  let response
  try {
    response = await fetch(`${baseUrlOf(server)}/cpaas/auth/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    })
  } catch {
    throw new SignInError(`Cannot reach the platform at ${baseUrlOf(server)}.`)
  }
  const body = await response.json().catch(() => ({}))
  if (response.status === 401 || body.error === 'invalid_grant') throw new SignInError('Wrong user or password.')
  if (!response.ok || typeof body.access_token !== 'string' || typeof body.id_token !== 'string')
    throw new SignInError(`The platform refused the sign-in (${response.status}${body.error_description ? `: ${body.error_description}` : ''}).`)
  return { accessToken: body.access_token, idToken: body.id_token, refreshToken: body.refresh_token, expiresIn: Number(body.expires_in) || 3600 }
}

/** The claims of a JWT (the id token says who signed in: names, phone number). */
export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
    const json = decodeURIComponent([...atob(payload)].map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''))
    return JSON.parse(json)
  } catch {
    return {}
  }
}

/**
 * The platform's TURN servers (`npm start` runs coturn when it is installed): the URLs that come
 * with the TURN credentials; the SDK fetches the credentials itself. `[]` (host candidates) otherwise.
 */
async function iceServersOf(server, accessToken, userId) {
  try {
    const response = await fetch(`${baseUrlOf(server)}/cpaas/webrtcsignaling/v1/${encodeURIComponent(userId)}/turn`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ wrtcsTurnCredentials: {} }),
    })
    const body = await response.json()
    const urls = body?.wrtcsTurnCredentials?.urls
    return Array.isArray(urls) ? urls.map((url) => ({ urls: url })) : []
  } catch {
    return []
  }
}

/**
 * Signs in and creates the client: tokens first (so a wrong password creates nothing), then
 * `Kandy.create`, `setTokens`. Tokens are refreshed before they expire. Returns
 * `{ client, claims, stop }`; `stop()` ends the refresh timer (the caller disposes the client).
 */
export async function signIn({ username, password }) {
  const server = serverOf()
  const clientId = `kandy-rx-browser-sample-${randomId()}`
  const tokens = await requestTokens(server, { username, password }, clientId)
  const iceServers = await iceServersOf(server, tokens.accessToken, claimsOf(tokens.idToken).preferred_username ?? username)
  const client = window.Kandy.create({
    authentication: { server, clientCorrelator: clientId },
    call: { iceServers },
    logs: { logLevel: 'warn' },
  })
  let refreshToken = tokens.refreshToken
  let timer
  const schedule = (seconds) => {
    timer = setTimeout(refresh, Math.max(30, seconds * 0.8) * 1000)
  }
  const refresh = async () => {
    try {
      const next = await requestTokens(server, { refreshToken }, clientId)
      refreshToken = next.refreshToken ?? refreshToken
      client.setTokens({ accessToken: next.accessToken, idToken: next.idToken })
      schedule(next.expiresIn)
    } catch {
      schedule(60)
    }
  }
  schedule(tokens.expiresIn)
  return { client, tokens, claims: claimsOf(tokens.idToken), stop: () => clearTimeout(timer) }
}
