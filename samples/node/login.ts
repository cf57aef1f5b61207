// Logging in as an application does: the platform's token endpoint (password grant, then
// refresh grants), giving the `{ accessToken, idToken }` that `client.setTokens` takes.

/** A grant of the token endpoint. */
export interface Grant {
  readonly accessToken: string
  readonly idToken: string
  readonly refreshToken: string | undefined
  /** Seconds the access token lasts. */
  readonly expiresIn: number
}

const field = (body: Record<string, unknown>, name: string): string | undefined => (typeof body[name] === 'string' ? (body[name] as string) : undefined)

async function requestToken(server: string, form: Record<string, string>, fetcher: typeof fetch): Promise<Grant> {
  const response = await fetcher(new URL('/cpaas/auth/v1/token', server).toString(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  })
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
  const accessToken = field(body, 'access_token')
  const idToken = field(body, 'id_token')
  if (response.status !== 200 || accessToken === undefined || idToken === undefined) {
    const reason = field(body, 'error_description') ?? field(body, 'error') ?? `HTTP ${response.status}`
    throw new Error(`The token endpoint of ${server} refused the grant (${form.grant_type}): ${reason}`)
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600)
  return { accessToken, idToken, refreshToken: field(body, 'refresh_token'), expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600 }
}

/**
 * Logs in with a user's password (any address form: user id, email, phone number).
 *
 * const { accessToken, idToken } = await login('http://127.0.0.1:8080', 'echo@example.com', 'password')
 */
export function login(server: string, username: string, password: string, fetcher: typeof fetch = fetch): Promise<Grant> {
  return requestToken(server, { grant_type: 'password', client_id: 'kandy-rx-node', username, password, scope: 'openid' }, fetcher)
}

/** Trades a refresh token for new tokens. */
export function refresh(server: string, refreshToken: string, fetcher: typeof fetch = fetch): Promise<Grant> {
  return requestToken(server, { grant_type: 'refresh_token', client_id: 'kandy-rx-node', refresh_token: refreshToken }, fetcher)
}
