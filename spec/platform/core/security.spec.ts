import { expect } from 'chai'
import { request, type IncomingHttpHeaders } from 'node:http'
import { WebSocket } from 'ws'
import { hostname } from 'node:os'
import { parseArguments } from '../../../platform/cli.js'
import { hostAllowed, ownHostNames, sameSecret } from '../../../platform/guard.js'
import { startTestPlatform, usePlatform, type LoginTokens } from '../../helpers/platform.js'
import { createChannel } from './wire.js'

interface RawReply {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** A request with node:http, which (unlike fetch) sends any Host header it is given, or none. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; noHost?: boolean } = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, setHost: options.noHost !== true }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** The status a WebSocket upgrade gets (101 when accepted). */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_request, response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    ws.once('error', () => undefined)
  })
}

describe('platform core: the perimeter (admin secret, JSON only, no CORS on admin, Host check)', () => {
  const platform = usePlatform()
  let alice: LoginTokens
  before(async () => {
    alice = await platform().login('alice@example.com')
  })
  const url = (path: string) => `${platform().url}${path}`
  const secret = () => ({ Authorization: `Bearer ${platform().adminSecret}` })
  const jsonBody = { 'Content-Type': 'application/json' }

  describe('the admin API', () => {
    it('has a random secret by default (43 base64url characters), different on every platform', async () => {
      const other = await startTestPlatform()
      try {
        expect(platform().adminSecret).to.match(/^[\w-]{43}$/)
        expect(other.adminSecret).to.match(/^[\w-]{43}$/).and.not.equal(platform().adminSecret)
      } finally {
        await other.stop()
      }
    })

    it('refuses every admin request without the secret or with a wrong one (401): no token minted, no restart, no injected SMS', async () => {
      const attempts: [string, string, unknown][] = [
        ['GET', '/_admin/state', undefined],
        ['POST', '/_admin/tokens', { userId: 'bob@example.com' }],
        ['POST', '/_admin/restart', {}],
        ['POST', '/_admin/sockets/drop', {}],
        ['POST', '/_admin/sms', { from: '+15557770000', to: 'bob@example.com', text: 'forged' }],
        ['DELETE', '/_admin/faults', undefined],
        ['POST', '/_admin/not-a-route', {}],
      ]
      for (const [method, path, body] of attempts) {
        for (const headers of [jsonBody, { ...jsonBody, Authorization: `Bearer ${alice.accessToken}` }, { ...jsonBody, 'X-Admin-Secret': 'wrong' }, { ...jsonBody, Authorization: 'Bearer wrong' }]) {
          const reply = await raw(url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
          expect(reply.status, `${method} ${path}`).to.equal(401)
          expect(reply.body).to.not.include('access_token')
          expect(JSON.parse(reply.body).requestError.policyException.messageId).to.equal('POL0401')
        }
      }
      expect(platform().logs.filter((line) => line.includes('restarting'))).to.deep.equal([])
    })

    it('accepts the secret as Authorization: Bearer or X-Admin-Secret', async () => {
      const bearer = await raw(url('/_admin/tokens'), { method: 'POST', headers: { ...jsonBody, ...secret() }, body: JSON.stringify({ userId: 'bob@example.com' }) })
      expect(bearer.status).to.equal(200)
      expect(JSON.parse(bearer.body).access_token).to.be.a('string')
      const header = await raw(url('/_admin/state'), { headers: { 'X-Admin-Secret': platform().adminSecret! } })
      expect(header.status).to.equal(200)
    })

    it('takes JSON only: a form body (what a page posts cross-site without a preflight) or any other type gets 415, even with the secret', async () => {
      const bodies: [string | undefined, string][] = [
        ['application/x-www-form-urlencoded', 'userId=bob%40example.com'],
        ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="userId"\r\n\r\nbob@example.com\r\n--x--\r\n'],
        ['text/plain', '{"userId":"bob@example.com"}'],
        ['application/vnd.api+json', '{"userId":"bob@example.com"}'],
        [undefined, '{"userId":"bob@example.com"}'],
      ]
      for (const [type, body] of bodies) {
        const reply = await raw(url('/_admin/tokens'), { method: 'POST', headers: { ...secret(), ...(type === undefined ? {} : { 'Content-Type': type }) }, body })
        expect(reply.status, type ?? 'no Content-Type').to.equal(415)
        expect(reply.body).to.not.include('access_token')
      }
    })

    it('answers no CORS: preflights are refused and no response carries Access-Control-Allow-Origin', async () => {
      const origin = { Origin: 'https://evil.example' }
      const preflight = await raw(url('/_admin/tokens'), {
        method: 'OPTIONS',
        headers: { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-admin-secret' },
      })
      expect(preflight.status).to.equal(403)
      const refused = await raw(url('/_admin/state'), { headers: origin })
      const served = await raw(url('/_admin/state'), { headers: { ...origin, ...secret() } })
      expect([refused.status, served.status]).to.deep.equal([401, 200])
      for (const reply of [preflight, refused, served]) {
        expect(reply.headers['access-control-allow-origin']).to.equal(undefined)
        expect(reply.headers['access-control-allow-methods']).to.equal(undefined)
      }
    })

    it('is set by adminSecret, --admin-secret or KANDY_ADMIN_SECRET; an empty one is refused', async () => {
      expect(parseArguments(['--admin-secret', 'from-flag'], {}).options.adminSecret).to.equal('from-flag')
      expect(parseArguments([], { KANDY_ADMIN_SECRET: 'from-env' }).options.adminSecret).to.equal('from-env')
      expect(parseArguments(['--admin-secret', 'flag-wins'], { KANDY_ADMIN_SECRET: 'from-env' }).options.adminSecret).to.equal('flag-wins')
      const chosen = await startTestPlatform({ adminSecret: 'a chosen secret' })
      try {
        expect((await raw(`${chosen.url}/_admin/state`, { headers: { 'X-Admin-Secret': 'a chosen secret' } })).status).to.equal(200)
        expect((await raw(`${chosen.url}/_admin/state`, { headers: { 'X-Admin-Secret': 'a chosen secre' } })).status).to.equal(401)
      } finally {
        await chosen.stop()
      }
      let refused: unknown
      await startTestPlatform({ adminSecret: ' ' }).catch((error: unknown) => (refused = error))
      expect(String(refused)).to.match(/adminSecret/)
    })
  })

  describe('the Host header (DNS rebinding)', () => {
    const foreign = ['attacker.example', 'attacker.example:80', 'evil.localhost', '127.0.0.1.nip.io', '10.0.0.1', '127.0.0.1:1']
    const own = () => [`127.0.0.1:${platform().port}`, `localhost:${platform().port}`, `LOCALHOST:${platform().port}`, `[::1]:${platform().port}`]

    it("refuses a foreign Host (403) on CPaaS routes, the token endpoint, static files and the admin API, even with valid credentials", async () => {
      for (const host of [...foreign, `attacker.example:${platform().port}`]) {
        const requests = [
          raw(url('/cpaas/notificationchannel/v1/alice@example.com/channels'), { headers: { Host: host, Authorization: `Bearer ${alice.accessToken}` } }),
          raw(url('/cpaas/auth/v1/token'), {
            method: 'POST',
            headers: { Host: host, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=password&client_id=x&username=alice@example.com&password=password&scope=openid',
          }),
          raw(url('/'), { headers: { Host: host } }),
          raw(url('/_admin/tokens'), { method: 'POST', headers: { Host: host, ...jsonBody, ...secret() }, body: JSON.stringify({ userId: 'bob@example.com' }) }),
        ]
        for (const reply of await Promise.all(requests)) {
          expect(reply.status, host).to.equal(403)
          expect(reply.body).to.not.include('access_token')
        }
      }
      expect((await raw(url('/cpaas/auth/v1/token'), { noHost: true, method: 'POST' })).status).to.be.oneOf([400, 403])
    })

    it('refuses a WebSocket upgrade with a foreign Host, and accepts the same one with its own', async () => {
      const channel = await createChannel(platform(), alice)
      const socketUrl = `${platform().wsUrl}${channel.channelData.channelURL}?access_token=${alice.accessToken}`
      for (const host of foreign) expect(await upgradeStatus(socketUrl, { Host: host }), host).to.equal(403)
      expect(await upgradeStatus(socketUrl, { Host: `localhost:${platform().port}` })).to.equal(101)
    })

    it('answers to its own names: the bound address, localhost, 127.0.0.1 and [::1] with its port', async () => {
      for (const host of own()) {
        const reply = await raw(url('/cpaas/notificationchannel/v1/alice@example.com/channels'), { headers: { Host: host, Authorization: `Bearer ${alice.accessToken}` } })
        expect(reply.status, host).to.equal(200)
      }
    })
  })

  describe('the Host rule and the secret comparison, in isolation', () => {
    it('parses Host headers strictly: its names with its port, or without one on the default port', () => {
      const names = ownHostNames('127.0.0.1')
      for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', 'LocalHost:8080']) expect(hostAllowed(host, names, 8080, 80), host).to.equal(true)
      expect(hostAllowed('localhost', names, 80, 80)).to.equal(true)
      for (const host of [undefined, '', 'localhost', 'localhost:', 'localhost:80', 'localhost:99999', '[::1', '::1:8080', 'user@localhost:8080', 'localhost:8080/x', 'localhost.:8080', 'a b:8080', '127.0.0.2:8080']) {
        expect(hostAllowed(host, names, 8080, 80), String(host)).to.equal(false)
      }
    })

    it('answers to the bound name, and on every interface (0.0.0.0) to the machine’s own addresses and name as well', () => {
      expect(hostAllowed('127.0.0.2:9000', ownHostNames('127.0.0.2'), 9000, 80)).to.equal(true)
      expect(hostAllowed('[::1]:9000', ownHostNames('::1'), 9000, 80)).to.equal(true)
      const everywhere = ownHostNames('0.0.0.0')
      expect(hostAllowed(`${hostname()}:9000`, everywhere, 9000, 80)).to.equal(true)
      expect(hostAllowed('attacker.example:9000', everywhere, 9000, 80)).to.equal(false)
    })

    it('compares secrets whole, whatever their lengths', () => {
      expect(sameSecret('s3cret', 's3cret')).to.equal(true)
      for (const given of ['s3cre', 's3cret ', 'S3cret', '', 's3cret\0']) expect(sameSecret(given, 's3cret'), JSON.stringify(given)).to.equal(false)
    })
  })

  describe('CORS of the CPaaS routes', () => {
    it('lets a browser app on any origin call with a bearer token (Allow-Origin *), never with credentials and never echoing the Origin', async () => {
      const origin = 'https://app.example'
      const preflight = await raw(url('/cpaas/notificationchannel/v1/alice@example.com/channels'), {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
      })
      const call = await raw(url('/cpaas/notificationchannel/v1/alice@example.com/channels'), { headers: { Origin: origin, Authorization: `Bearer ${alice.accessToken}` } })
      expect([preflight.status, call.status]).to.deep.equal([204, 200])
      for (const reply of [preflight, call]) {
        expect(reply.headers['access-control-allow-origin']).to.equal('*')
        expect(reply.headers['access-control-allow-credentials']).to.equal(undefined)
        expect(JSON.stringify(reply.headers)).to.not.include(origin)
      }
    })
  })
})
