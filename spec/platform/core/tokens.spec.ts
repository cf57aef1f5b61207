import { expect } from 'chai'
import { coreOf } from '../../../platform/core.js'
import { usePlatform } from '../../helpers/platform.js'

const decode = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>

describe('platform core: the token endpoint', () => {
  const platform = usePlatform()
  const post = (fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') =>
    fetch(`${platform().url}/cpaas/auth/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body: contentType.includes('json') ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
    })
  const password = { grant_type: 'password', client_id: 'spec', username: 'alice@example.com', password: 'password', scope: 'openid' }

  it('grants access, id and refresh tokens for a seeded user with the password grant', async () => {
    const response = await post(password)
    expect(response.status).to.equal(200)
    expect(response.headers.get('content-type')).to.contain('application/json')
    const body = (await response.json()) as Record<string, unknown>
    expect(body).to.include({ token_type: 'Bearer', scope: 'openid', expires_in: 3600, refresh_expires_in: 86400 })
    expect(response.headers.get('cache-control')).to.equal('no-store')
    for (const key of ['access_token', 'id_token', 'refresh_token']) expect(body[key]).to.be.a('string').and.match(/^[\w-]+\.[\w-]+\.[\w-]+$/)
  })

  it('puts what the SDK reads in the id token: preferred_username, services-identity, names, email, iat/exp', async () => {
    const body = (await (await post(password)).json()) as { id_token: string }
    const claims = decode(body.id_token)
    expect(claims).to.include({
      preferred_username: 'alice@example.com',
      'services-identity': 'alice@example.com',
      given_name: 'Alice',
      family_name: 'Archer',
      email: 'alice@example.com',
      sub: 'alice@example.com',
    })
    expect(claims.exp).to.equal((claims.iat as number) + 3600)
    const header = JSON.parse(Buffer.from(body.id_token.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>
    expect(header).to.deep.equal({ alg: 'HS256', typ: 'JWT' })
  })

  it('accepts the login by phone number too, and a JSON body', async () => {
    const response = await post({ ...password, username: '+15551230002' }, 'application/json')
    expect(response.status).to.equal(200)
    const claims = decode(((await response.json()) as { id_token: string }).id_token)
    expect(claims.preferred_username).to.equal('bob@example.com')
  })

  it('grants fresh tokens for a refresh token, which then work on the REST API', async () => {
    const first = (await (await post(password)).json()) as { refresh_token: string }
    const response = await post({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: 'spec' })
    expect(response.status).to.equal(200)
    const body = (await response.json()) as { access_token: string }
    const channels = await fetch(`${platform().url}/cpaas/notificationchannel/v1/alice@example.com/channels`, { headers: { Authorization: `Bearer ${body.access_token}` } })
    expect(channels.status).to.equal(200)
  })

  it('echoes the scope asked for', async () => {
    const body = (await (await post({ ...password, scope: 'openid profile' })).json()) as { scope: string }
    expect(body.scope).to.equal('openid profile')
  })

  it('refuses a wrong password and an unknown user with 401 invalid_grant and a requestError, never cached', async () => {
    for (const fields of [{ ...password, password: 'nope' }, { ...password, username: 'mallory@example.com' }]) {
      const response = await post(fields)
      expect(response.status).to.equal(401)
      expect(response.headers.get('cache-control')).to.equal('no-store')
      expect(response.headers.get('content-type')).to.contain('application/json')
      const body = (await response.json()) as { error: string; requestError: { policyException: { messageId: string; variables: string[] } } }
      expect(body.error).to.equal('invalid_grant')
      expect(body.requestError.policyException.messageId).to.equal('POL0401')
      expect(body.requestError.policyException.variables).to.have.length(1)
    }
  })

  it('refuses an access token used as a refresh token, and a forged refresh token', async () => {
    const first = (await (await post(password)).json()) as { access_token: string; refresh_token: string }
    const [head, payload] = first.refresh_token.split('.')
    for (const refresh of [first.access_token, `${head}.${payload}.AAAA`]) {
      const response = await post({ grant_type: 'refresh_token', refresh_token: refresh })
      expect(response.status).to.equal(401)
      expect(((await response.json()) as { error: string }).error).to.equal('invalid_grant')
    }
  })

  it('refuses a validly signed refresh token of a user that does not exist', async () => {
    const now = Math.floor(Date.now() / 1000)
    const refresh = coreOf(platform().context).tokens.sign({ sub: 'mallory@example.com', typ: 'refresh', iat: now, exp: now + 60 })
    const response = await post({ grant_type: 'refresh_token', refresh_token: refresh })
    expect(response.status).to.equal(401)
    expect(((await response.json()) as { error_description: string }).error_description).to.contain('unknown user')
  })

  it('answers 400 for a missing grant type, missing fields and an unsupported grant', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ username: 'alice@example.com', password: 'password' }, 'invalid_request'],
      [{ grant_type: 'password', username: 'alice@example.com' }, 'invalid_request'],
      [{ grant_type: 'refresh_token' }, 'invalid_request'],
      [{ grant_type: 'authorization_code', code: 'x' }, 'unsupported_grant_type'],
    ]
    for (const [fields, error] of cases) {
      const response = await post(fields)
      expect(response.status, JSON.stringify(fields)).to.equal(400)
      expect(((await response.json()) as { error: string }).error).to.equal(error)
    }
  })

  it('mints tokens in-process that the REST API accepts (RunningPlatform.tokens)', async () => {
    const tokens = await platform().tokens('carol@example.com')
    expect(decode(tokens.idToken).preferred_username).to.equal('carol@example.com')
    const response = await fetch(`${platform().url}/cpaas/notificationchannel/v1/carol@example.com/channels`, { headers: { Authorization: `Bearer ${tokens.accessToken}` } })
    expect(response.status).to.equal(200)
  })
})
