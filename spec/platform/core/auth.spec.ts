import { expect } from 'chai'
import { createHmac } from 'node:crypto'
import { coreOf } from '../../../platform/core.js'
import { usePlatform, type LoginTokens } from '../../helpers/platform.js'
import { manualClock } from '../clock.js'
import { exceptionOf } from './wire.js'

describe('platform core: bearer authentication', () => {
  // Tokens are issued and checked on this clock: expiry is tested to the millisecond.
  const clock = manualClock()
  const platform = usePlatform({ clock })
  let alice: LoginTokens
  before(async () => {
    alice = await platform().login('alice@example.com')
  })
  const channels = (user = 'alice@example.com') => `${platform().url}/cpaas/notificationchannel/v1/${user}/channels`
  const get = (authorization: string | undefined, user?: string) =>
    fetch(channels(user), { headers: authorization === undefined ? {} : { Authorization: authorization } })

  const expect401 = async (response: Response, reason: RegExp) => {
    expect(response.status).to.equal(401)
    expect(response.headers.get('content-type')).to.equal('application/json')
    expect(response.headers.get('www-authenticate')).to.contain('Bearer')
    const exception = await exceptionOf(response)
    expect(exception.kind).to.equal('policyException')
    expect(exception.messageId).to.equal('POL0401')
    expect(exception.text).to.contain('%1')
    expect(exception.variables[0]).to.match(reason)
  }

  it('accepts a valid token on its own user path', async () => {
    expect((await get(`Bearer ${alice.accessToken}`)).status).to.equal(200)
  })

  it('answers 401 without a token, or with an empty Authorization header', async () => {
    await expect401(await get(undefined), /missing/)
    await expect401(await get(' '), /missing/)
  })

  it('answers 401 for a malformed Authorization header or token', async () => {
    await expect401(await get(`Basic ${Buffer.from('alice:password').toString('base64')}`), /malformed/)
    await expect401(await get('Bearer'), /malformed/)
    await expect401(await get('Bearer not-a-jwt'), /malformed/)
    await expect401(await get('Bearer a.b.c'), /malformed/)
    await expect401(await get(`Bearer ${alice.accessToken}.x`), /malformed/)
  })

  it('answers 401 for a forged token: changed claims, or signed with another secret', async () => {
    const [head, , signature] = alice.accessToken.split('.') as [string, string, string]
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'bob@example.com', typ: 'access', iat: 1, exp: 9999999999 })).toString('base64url')
    await expect401(await get(`Bearer ${head}.${forgedPayload}.${signature}`, 'bob@example.com'), /bad signature/)
    const otherSecret = createHmac('sha256', 'not-the-secret').update(`${head}.${forgedPayload}`).digest('base64url')
    await expect401(await get(`Bearer ${head}.${forgedPayload}.${otherSecret}`, 'bob@example.com'), /bad signature/)
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')
    await expect401(await get(`Bearer ${none}.${forgedPayload}.`, 'bob@example.com'), /bad signature/)
  })

  it('answers 401 for an expired token', async () => {
    const expired = await platform().tokens('alice@example.com', { lifetime: -5 })
    await expect401(await get(`Bearer ${expired.accessToken}`), /expired/)
  })

  it('accepts a token until the millisecond before its exp, and refuses it from exp on', async () => {
    clock.advance(1_000 - (clock.now() % 1_000))
    const tokens = await platform().tokens('alice@example.com', { lifetime: 60 })
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }
    expect(claims.exp * 1000).to.equal(clock.now() + 60_000)
    clock.advance(59_999)
    expect((await get(`Bearer ${tokens.accessToken}`)).status).to.equal(200)
    clock.advance(1)
    await expect401(await get(`Bearer ${tokens.accessToken}`), /expired/)
  })

  it('counts a token lifetime from the whole second it was issued in (iat is in seconds)', async () => {
    clock.advance(1_000 - (clock.now() % 1_000) + 999)
    const tokens = await platform().tokens('alice@example.com', { lifetime: 60 })
    clock.advance(59_000)
    expect((await get(`Bearer ${tokens.accessToken}`)).status).to.equal(200)
    clock.advance(1)
    await expect401(await get(`Bearer ${tokens.accessToken}`), /expired/)
  })

  it('answers 401 for a validly signed token whose subject is another address of the user, not its userId', async () => {
    const now = Math.floor(clock.now() / 1000)
    const byPhone = coreOf(platform().context).tokens.sign({ sub: platform().users[0]!.phoneNumber, typ: 'access', iat: now, exp: now + 60 })
    await expect401(await get(`Bearer ${byPhone}`), /unknown user/)
  })

  it('answers 401 malformed for a signed token whose subject is not a string', async () => {
    const now = Math.floor(clock.now() / 1000)
    const numeric = coreOf(platform().context).tokens.sign({ sub: 42 as unknown as string, typ: 'access', iat: now, exp: now + 60 })
    await expect401(await get(`Bearer ${numeric}`), /malformed/)
  })

  it('answers 401 for an id token or refresh token used as the access token', async () => {
    await expect401(await get(`Bearer ${alice.idToken}`), /wrong token type/)
    await expect401(await get(`Bearer ${alice.refreshToken}`), /wrong token type/)
  })

  it("answers 403 policyException when the token's user is not the path's user", async () => {
    const response = await get(`Bearer ${alice.accessToken}`, 'bob@example.com')
    expect(response.status).to.equal(403)
    expect(response.headers.get('content-type')).to.equal('application/json')
    const exception = await exceptionOf(response)
    expect(exception.kind).to.equal('policyException')
    expect(exception.messageId).to.equal('POL0001')
    expect(exception.variables[0]).to.contain('bob@example.com')
  })

  it('matches the user segment raw or percent-encoded', async () => {
    expect((await get(`Bearer ${alice.accessToken}`, 'alice%40example.com')).status).to.equal(200)
  })

  it('treats any version segment as v1', async () => {
    const response = await fetch(`${platform().url}/cpaas/notificationchannel/v2/alice@example.com/channels`, { headers: { Authorization: `Bearer ${alice.accessToken}` } })
    expect(response.status).to.equal(200)
  })
})
