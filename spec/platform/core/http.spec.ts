import { expect } from 'chai'
import * as t from 'io-ts'
import { request as httpRequest } from 'node:http'
import type { PlatformFeature } from '../../../platform/context.js'
import { jsonBodyLimit } from '../../../platform/index.js'
import { ChatPostBody } from '../../../streams/messaging/codecs.js'
import { startTestPlatform, usePlatform, type LoginTokens } from '../../helpers/platform.js'
import { auth, exceptionOf, json } from './wire.js'

/** A module exercising the router as a feature module would. */
const echo: PlatformFeature = (ctx) => {
  const base = '/cpaas/echo/:version/:userId'
  ctx.route('GET', `${base}/things/:thing`, {}, (r) => ({ status: 200, body: { params: r.params, version: r.version, user: r.user.userId } }))
  ctx.route('GET', `${base}/things/special`, {}, () => ({ status: 200, body: { literal: true } }))
  ctx.route('POST', `${base}/typed`, { body: t.type({ thing: t.type({ name: t.string, count: t.number }) }) }, (r) => ({ status: 201, body: r.body }))
  // One URL, two bodies told apart by their top-level key (a chat message or a typing indicator, messaging.md §2).
  ctx.route('POST', `${base}/either`, { body: ChatPostBody }, () => ({ status: 204 }))
  ctx.route('POST', `${base}/upload`, { raw: true }, (r) => ({ status: 201, body: { size: r.rawBody.length } }))
  ctx.route('GET', `${base}/boom`, {}, () => {
    throw new Error('handler bug')
  })
  ctx.route('GET', `${base}/boom-async`, {}, async () => Promise.reject(new Error('async handler bug')))
  ctx.route('GET', `${base}/file`, {}, () => ({ status: 200, body: Buffer.from('PNGDATA'), contentType: 'image/png' }))
  ctx.route('GET', `${base}/bare-error`, {}, () => ({ status: 409 }))
  ctx.route('GET', `${base}/no-content`, {}, () => ({ status: 204, body: { ignored: true } }))
  ctx.route('GET', '/cpaas/echo/:version/public', { public: true }, (r) => ({ status: 200, body: { user: r.user.userId } }))
}

describe('platform core: HTTP, routing, CORS and malformed requests', () => {
  const platform = usePlatform({ features: [echo] })
  let alice: LoginTokens
  before(async () => {
    alice = await platform().login('alice@example.com')
  })
  const url = (path: string) => `${platform().url}${path}`

  describe('routing', () => {
    it('matches raw @, + and : in path segments as they are, and never turns + into a space', async () => {
      const response = await fetch(url('/cpaas/echo/v1/alice@example.com/things/+15551230000:x@y'), { headers: auth(alice) })
      expect(response.status).to.equal(200)
      expect(await response.json()).to.deep.equal({ params: { version: 'v1', userId: 'alice@example.com', thing: '+15551230000:x@y' }, version: 'v1', user: 'alice@example.com' })
    })

    it('accepts the percent-encoded forms (%40, %2B, %3A) and decodes them', async () => {
      const response = await fetch(url('/cpaas/echo/v1/alice%40example.com/things/%2B1555%3Ax'), { headers: auth(alice) })
      expect(((await response.json()) as { params: Record<string, string> }).params.thing).to.equal('+1555:x')
    })

    it('passes any version segment through as an alias of v1', async () => {
      const response = await fetch(url('/cpaas/echo/v7/alice@example.com/things/a'), { headers: auth(alice) })
      expect(((await response.json()) as { version: string }).version).to.equal('v7')
    })

    it('prefers a literal segment over a parameter', async () => {
      const response = await fetch(url('/cpaas/echo/v1/alice@example.com/things/special'), { headers: auth(alice) })
      expect(await response.json()).to.deep.equal({ literal: true })
    })

    it('tolerates one trailing slash', async () => {
      expect((await fetch(url('/cpaas/echo/v1/alice@example.com/things/a/'), { headers: auth(alice) })).status).to.equal(200)
    })

    it('never takes an empty segment as a parameter', async () => {
      expect((await fetch(url('/cpaas/echo/v1/alice@example.com/things//'), { headers: auth(alice) })).status).to.equal(404)
    })

    it('matches literal segments case-sensitively', async () => {
      expect((await fetch(url('/cpaas/ECHO/v1/alice@example.com/things/a'), { headers: auth(alice) })).status).to.equal(404)
    })

    it('refuses to start with a module that registers the same route twice', async () => {
      const twice: PlatformFeature = (ctx) => {
        ctx.route('GET', '/cpaas/twice/:version/:userId', {}, () => ({ status: 204 }))
        ctx.route('GET', '/cpaas/twice/:v/:user', {}, () => ({ status: 204 }))
      }
      let failure: unknown
      await startTestPlatform({ features: [twice] }).then((started) => started.stop(), (error: unknown) => (failure = error))
      expect(String(failure)).to.match(/registered twice/)
    })

    it('serves public routes without a token', async () => {
      const response = await fetch(url('/cpaas/echo/v1/public'))
      expect(await response.json()).to.deep.equal({ user: '' })
    })

    it("tells a public route the token's user when a valid token comes along, and ignores an invalid one", async () => {
      const withToken = await fetch(url('/cpaas/echo/v1/public'), { headers: auth(alice) })
      expect(await withToken.json()).to.deep.equal({ user: 'alice@example.com' })
      const withGarbage = await fetch(url('/cpaas/echo/v1/public'), { headers: { Authorization: 'Bearer garbage' } })
      expect(withGarbage.status).to.equal(200)
      expect(await withGarbage.json()).to.deep.equal({ user: '' })
    })

    it('answers 404 with an error body for an unknown path', async () => {
      const response = await fetch(url('/cpaas/nothing/v1/alice@example.com/here'), { headers: auth(alice) })
      expect(response.status).to.equal(404)
      expect(response.headers.get('content-type')).to.equal('application/json')
      expect((await exceptionOf(response)).messageId).to.equal('SVC0004')
    })

    it('answers 405 with an error body and Allow for a known path with the wrong method', async () => {
      const response = await fetch(url('/cpaas/echo/v1/alice@example.com/typed'), { method: 'PUT', headers: auth(alice), body: '{}' })
      expect(response.status).to.equal(405)
      expect(response.headers.get('allow')).to.equal('POST, OPTIONS')
      expect((await exceptionOf(response)).kind).to.equal('serviceException')
    })

    it('sends a 204 with no body and no Content-Type, whatever body the module gave', async () => {
      const response = await fetch(url('/cpaas/echo/v1/alice@example.com/no-content'), { headers: auth(alice) })
      expect(response.status).to.equal(204)
      expect(response.headers.get('content-type')).to.equal(null)
      expect(response.headers.get('content-length')).to.equal(null)
      expect(await response.text()).to.equal('')
    })

    it("gives a module's error reply without a body the platform's JSON error body", async () => {
      const response = await fetch(url('/cpaas/echo/v1/alice@example.com/bare-error'), { headers: auth(alice) })
      expect(response.status).to.equal(409)
      expect(response.headers.get('content-type')).to.equal('application/json')
      const exception = await exceptionOf(response)
      expect(exception.kind).to.equal('serviceException')
      expect(exception.messageId).to.equal('SVC0001')
      expect(exception.variables).to.deep.equal(['409'])
    })

    it('sends Buffer bodies with their content type', async () => {
      const response = await fetch(url('/cpaas/echo/v1/alice@example.com/file'), { headers: auth(alice) })
      expect(response.headers.get('content-type')).to.equal('image/png')
      expect(response.headers.get('access-control-allow-origin')).to.equal('*')
      expect(await response.text()).to.equal('PNGDATA')
    })
  })

  describe('CORS', () => {
    it('answers OPTIONS on every path with 204 and the Access-Control-Allow-* headers', async () => {
      for (const path of ['/cpaas/echo/v1/alice@example.com/typed', '/cpaas/unknown/path', '/']) {
        const response = await fetch(url(path), {
          method: 'OPTIONS',
          headers: { Origin: 'http://localhost:4200', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
        })
        expect(response.status, path).to.equal(204)
        expect(response.headers.get('access-control-allow-origin')).to.equal('*')
        expect(response.headers.get('access-control-allow-credentials')).to.equal(null)
        expect(response.headers.get('access-control-allow-methods')).to.equal('GET, POST, PUT, DELETE, OPTIONS')
        expect(response.headers.get('access-control-allow-headers')).to.equal('Authorization, Content-Type, Accept')
      }
    })

    it('adds Access-Control-Allow-Origin: * to successes and errors, never reflecting the Origin', async () => {
      const origin = { Origin: 'http://app.example:3000' }
      const ok = await fetch(url('/cpaas/echo/v1/alice@example.com/things/a'), { headers: { ...auth(alice), ...origin } })
      const unauthorised = await fetch(url('/cpaas/echo/v1/alice@example.com/things/a'), { headers: origin })
      const missing = await fetch(url('/nope'), { headers: origin })
      for (const response of [ok, unauthorised, missing]) {
        expect(response.headers.get('access-control-allow-origin')).to.equal('*')
        expect(response.headers.get('access-control-allow-credentials')).to.equal(null)
      }
      expect((await fetch(url('/nope'))).headers.get('access-control-allow-origin')).to.equal('*')
    })
  })

  describe('bodies', () => {
    const typed = (body: string, headers: Record<string, string> = auth(alice)) => fetch(url('/cpaas/echo/v1/alice@example.com/typed'), { method: 'POST', headers, body })

    it('decodes a valid JSON body with the route codec', async () => {
      const response = await typed(JSON.stringify({ thing: { name: 'a', count: 2 } }))
      expect(response.status).to.equal(201)
      expect(await response.json()).to.deep.equal({ thing: { name: 'a', count: 2 } })
    })

    it('answers 400 SVC0002 naming the failing field for wrong types and missing fields', async () => {
      const cases: [unknown, string][] = [
        [{ thing: { name: 'a', count: 'two' } }, 'thing.count'],
        [{ thing: { count: 2 } }, 'thing.name'],
        [{}, 'thing'],
        [[1, 2], 'body'],
        ['text', 'body'],
      ]
      for (const [body, field] of cases) {
        const response = await typed(JSON.stringify(body))
        expect(response.status, JSON.stringify(body)).to.equal(400)
        const exception = await exceptionOf(response)
        expect(exception).to.include({ kind: 'serviceException', messageId: 'SVC0002', text: 'Invalid input value for message part %1' })
        expect(exception.variables).to.deep.equal([field])
      }
    })

    it('names the failing field of the body form the client sent when a route takes one of several forms', async () => {
      const cases: [unknown, string][] = [
        [{ isComposing: { state: 'typing' } }, 'isComposing.state'],
        [{ isComposing: { state: 'active', lastactive: '2020-01-01' } }, 'isComposing.lastactive'],
        [{ chatMessage: { text: 5 } }, 'chatMessage.text'],
        [{}, 'chatMessage'],
      ]
      for (const [body, field] of cases) {
        const response = await fetch(url('/cpaas/echo/v1/alice@example.com/either'), { method: 'POST', headers: auth(alice), body: JSON.stringify(body) })
        expect(response.status, JSON.stringify(body)).to.equal(400)
        expect((await exceptionOf(response)).variables, JSON.stringify(body)).to.deep.equal([field])
      }
    })

    it('answers 400 for a missing body and for invalid JSON', async () => {
      expect((await typed('')).status).to.equal(400)
      const response = await typed('{"thing": {')
      expect(response.status).to.equal(400)
      expect((await exceptionOf(response)).variables[0]).to.contain('not valid JSON')
    })

    it('answers 415 for an unsupported content type', async () => {
      const response = await typed('thing=1', { Authorization: `Bearer ${alice.accessToken}`, 'Content-Type': 'text/plain' })
      expect(response.status).to.equal(415)
      expect((await exceptionOf(response)).messageId).to.equal('SVC0002')
    })

    it(`answers 413 for a JSON body over ${jsonBodyLimit} bytes, and keeps serving`, async () => {
      const response = await typed(JSON.stringify({ thing: { name: 'x'.repeat(jsonBodyLimit), count: 1 } }))
      expect(response.status).to.equal(413)
      expect((await exceptionOf(response)).variables[0]).to.contain(String(jsonBodyLimit))
      expect((await typed(JSON.stringify({ thing: { name: 'a', count: 1 } }))).status).to.equal(201)
    })

    it('cuts the connection at once on a request declaring a body over 64 MiB, without waiting for the body', async () => {
      const answer = await new Promise<string>((resolve) => {
        const request = httpRequest(url('/cpaas/echo/v1/alice@example.com/upload'), { method: 'POST', headers: { ...auth(alice), 'Content-Length': String(100 * 1024 * 1024) } })
        request.on('response', (response) => {
          response.resume()
          resolve(String(response.statusCode))
        })
        request.on('error', (error) => resolve(error.message))
        request.flushHeaders()
      })
      expect(answer).to.match(/socket hang up|ECONNRESET/)
    })

    it('accepts a raw (upload) body larger than the JSON limit', async () => {
      const response = await fetch(url('/cpaas/echo/v1/alice@example.com/upload'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${alice.accessToken}`, 'Content-Type': 'multipart/form-data; boundary=x' },
        body: Buffer.alloc(jsonBodyLimit * 2, 1),
      })
      expect(await response.json()).to.deep.equal({ size: jsonBodyLimit * 2 })
    })

    it('answers 400 for malformed percent-encoding in the path', async () => {
      const response = await fetch(url('/cpaas/echo/v1/alice@example.com/things/%E0%A4%A'), { headers: auth(alice) })
      expect(response.status).to.equal(400)
    })
  })

  describe('robustness', () => {
    it('turns a throwing or rejecting handler into a 500 with an error body and a log line', async () => {
      for (const path of ['boom', 'boom-async']) {
        const response = await fetch(url(`/cpaas/echo/v1/alice@example.com/${path}`), { headers: auth(alice) })
        expect(response.status).to.equal(500)
        expect(response.headers.get('content-type')).to.equal('application/json')
        const exception = await exceptionOf(response)
        expect(exception.messageId).to.equal('SVC1000')
        expect(platform().logs.some((line) => line.includes(exception.variables[0]!) && line.includes('handler bug'))).to.equal(true)
      }
    })

    it('survives a batch of malformed requests and still answers correctly', async () => {
      const batch: Promise<Response>[] = [
        fetch(url('/cpaas/echo/v1/alice@example.com/typed'), { method: 'POST', headers: auth(alice), body: '\u0000\u0001' }),
        fetch(url('/cpaas/echo/v1/alice@example.com/typed'), { method: 'POST', headers: auth(alice), body: 'null' }),
        fetch(url('/cpaas/echo/v1/alice@example.com/typed'), { method: 'DELETE', headers: auth(alice) }),
        fetch(url('/cpaas/echo/v1/alice@example.com/typed'), { method: 'PATCH', headers: auth(alice), body: '{}' }),
        fetch(url('/cpaas/echo/v1/bob@example.com/typed'), { method: 'POST', headers: auth(alice), body: '{}' }),
        fetch(url('/cpaas/echo/v1/alice@example.com/typed'), { method: 'POST', headers: { ...json, Authorization: 'Bearer x.y.z' }, body: '{}' }),
        fetch(url('/%'), {}),
        fetch(url('/cpaas/' + 'a/'.repeat(500)), { headers: auth(alice) }),
      ]
      const statuses = (await Promise.all(batch)).map((response) => response.status)
      for (const status of statuses) expect(status).to.be.within(400, 499)
      const rawStatus = await new Promise<number>((resolve) => {
        // Claims a longer body than it sends, then gives up: the connection closes mid-body.
        const request = httpRequest(url('/cpaas/echo/v1/alice@example.com/typed'), { method: 'POST', headers: { ...auth(alice), 'Content-Length': '100' } }, (response) => resolve(response.statusCode ?? 0))
        request.on('error', () => resolve(-1))
        request.write('{"thing":')
        setTimeout(() => request.destroy(), 50)
      })
      expect(rawStatus).to.equal(-1)
      expect((await fetch(url('/cpaas/echo/v1/alice@example.com/things/a'), { headers: auth(alice) })).status).to.equal(200)
    })

    it('takes a client that hangs up mid-body as such: no handler failure, no 500, one quiet line with --verbose', async () => {
      const verbose = await startTestPlatform({ features: [echo], logRequests: true })
      try {
        const tokens = await verbose.login('alice@example.com')
        for (let i = 0; i < 3; i++) {
          const request = httpRequest(`${verbose.url}/cpaas/echo/v1/alice@example.com/typed`, { method: 'POST', headers: { ...auth(tokens), 'Content-Length': '100' } })
          request.on('error', () => undefined)
          request.write('{"thing":')
          setTimeout(() => request.destroy(), 50)
        }
        const failures = () => verbose.logs.filter((line) => / failed|500|Error/.test(line))
        const quiet = () => verbose.logs.filter((line) => line.includes('went away mid-body'))
        while (quiet().length + failures().length < 3) await new Promise((resolve) => setTimeout(resolve, 20))
        expect(failures()).to.deep.equal([])
        expect(quiet()).to.have.length(3)
      } finally {
        await verbose.stop()
      }
    })
  })
})
