import { expect } from 'chai'
import * as t from 'io-ts'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { VirtualTimeScheduler, firstValueFrom, lastValueFrom } from 'rxjs'
import { createConfig } from '../../../streams/config/feature.js'
import type { AuthUser } from '../../../streams/connection/link.js'
import { createRequest, httpStatusOf, pathSegment, queryString } from '../../../streams/connection/request.js'
import { createEnvironment } from '../../../streams/environment.js'
import { BasicError } from '../../../streams/errors.js'

// A real HTTP server on 127.0.0.1 answers each path the way a test needs; the SDK's request
// layer talks to it over real HTTP with the host's fetch.

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

type Route = (request: IncomingMessage, response: ServerResponse) => void

const json = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'Content-Type': 'application/json' })
  response.end(JSON.stringify(body))
}

const user = (accessToken: string): AuthUser => ({ username: 'alice@example.com', identity: 'alice@example.com', domain: 'example.com', accessToken, idToken: 'id' })

describe('streams/connection/request', () => {
  let server: Server
  let port: number
  let seen: Seen[]
  let routes: Record<string, Route>
  let closedEarly: Promise<void>
  let onClosedEarly: () => void

  before(async () => {
    server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString()))
      request.on('end', () => {
        seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body })
        const route = routes[(request.url ?? '').split('?')[0] ?? '']
        if (route === undefined) json(response, 404, {})
        else route(request, response)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  beforeEach(() => {
    seen = []
    routes = {}
    closedEarly = new Promise((resolve) => (onClosedEarly = resolve))
  })

  const make = (options: { token?: string | undefined; timeout?: number; base?: string } = {}) => {
    const config = createConfig({ authentication: { server: { base: options.base ?? '127.0.0.1', protocol: 'http', port } } })
    let current = 'token' in options ? (options.token === undefined ? undefined : user(options.token)) : user('access-1')
    const request = createRequest({ config, environment: createEnvironment(), user: () => current, ...(options.timeout !== undefined ? { timeout: options.timeout } : {}) })
    return { request, setUser: (next: AuthUser | undefined) => (current = next) }
  }

  const failure = async (promise: Promise<unknown>): Promise<BasicError> => {
    try {
      await promise
    } catch (error) {
      expect(error).to.be.instanceOf(BasicError)
      return error as BasicError
    }
    throw new Error('expected the request to fail')
  }

  it('sends the bearer token and the JSON headers on every method, to the explicit port', async () => {
    routes['/cpaas/x/v1/alice@example.com/things'] = (_request, response) => {
      response.writeHead(204)
      response.end()
    }
    const { request } = make()
    for (const method of ['GET', 'DELETE', 'POST', 'PUT'] as const) {
      await lastValueFrom(request({ method, path: '/cpaas/x/v1/alice@example.com/things', operation: 'Thing', ...(method === 'POST' || method === 'PUT' ? { body: { a: 1, b: undefined } } : {}) }), { defaultValue: undefined })
    }
    expect(seen.map((entry) => entry.method)).to.deep.equal(['GET', 'DELETE', 'POST', 'PUT'])
    for (const entry of seen) {
      expect(entry.url).to.equal('/cpaas/x/v1/alice@example.com/things')
      expect(entry.headers['authorization']).to.equal('Bearer access-1')
      expect(entry.headers['accept']).to.equal('application/json')
      expect(entry.headers['content-type']).to.equal('application/json')
      expect(entry.headers['host']).to.equal(`127.0.0.1:${port}`)
    }
    expect(seen[2]?.body).to.equal('{"a":1}')
    expect(seen[0]?.body).to.equal('')
  })

  it('lets the host set the multipart Content-Type of a form upload', async () => {
    routes['/upload'] = (_request, response) => json(response, 201, { ok: true })
    const form = new FormData()
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt')
    await lastValueFrom(make().request({ method: 'POST', path: '/upload', form, operation: 'Upload' }), { defaultValue: undefined })
    expect(seen[0]?.headers['content-type']).to.match(/^multipart\/form-data; boundary=/)
    expect(seen[0]?.body).to.contain('hello')
  })

  it('writes an id as one path segment: @, + and : raw as the reference sends them, ? # % / escaped', () => {
    expect(pathSegment('sip:+15551230000@example.com')).to.equal('sip:+15551230000@example.com')
    expect(pathSegment('who?#100%/x y')).to.equal('who%3F%23100%25%2Fx%20y')
  })

  it('builds query strings with sorted keys, strict percent-encoding, and no undefined values', async () => {
    expect(queryString({ userName: "bob o'neil (x)*!", max: 10, order: 'asc', skip: undefined })).to.equal(
      '?max=10&order=asc&userName=bob%20o%27neil%20%28x%29%2A%21',
    )
    expect(queryString({ skip: undefined })).to.equal('')
    routes['/search'] = (_request, response) => json(response, 200, {})
    await lastValueFrom(make().request({ method: 'GET', path: '/search', query: { b: 'x+y@z', a: true }, operation: 'Search' }), { defaultValue: undefined })
    expect(seen[0]?.url).to.equal('/search?a=true&b=x%2By%40z')
  })

  it('decodes a JSON body with the operation codec; 204 and non-JSON bodies read as {}', async () => {
    routes['/thing'] = (_request, response) => json(response, 200, { thing: { id: 'a1', extra: 1 } })
    routes['/empty'] = (_request, response) => {
      response.writeHead(204)
      response.end()
    }
    routes['/text'] = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' })
      response.end('not json')
    }
    const { request } = make()
    const Thing = t.type({ thing: t.type({ id: t.string }) })
    expect(await firstValueFrom(request({ method: 'GET', path: '/thing', operation: 'Thing', response: Thing }))).to.deep.equal({ thing: { id: 'a1', extra: 1 } })
    const Anything = t.UnknownRecord
    expect(await firstValueFrom(request({ method: 'DELETE', path: '/empty', operation: 'Thing', response: Anything }))).to.deep.equal({})
    expect(await firstValueFrom(request({ method: 'GET', path: '/text', operation: 'Thing', response: Anything }))).to.deep.equal({})
  })

  it('reports a serviceException or policyException by its messageId with the placeholders filled (operations without a fixed code)', async () => {
    routes['/svc'] = (_request, response) =>
      json(response, 400, { requestError: { serviceException: { messageId: 'SVC0002', text: 'Invalid input value for message part %1', variables: ['body'] } } })
    routes['/pol'] = (_request, response) =>
      json(response, 403, { requestError: { policyException: { messageId: 'POL0001', text: 'A policy error occurred. Error code is %1', variables: ['42'] } } })
    const { request } = make()
    const svc = await failure(firstValueFrom(request({ method: 'POST', path: '/svc', operation: 'Create group' })))
    expect(svc.code).to.equal('SVC0002')
    expect(svc.message).to.equal('Invalid input value for message part body')
    const pol = await failure(firstValueFrom(request({ method: 'POST', path: '/pol', operation: 'Create group' })))
    expect(pol.toJSON()).to.deep.equal({ name: 'BasicError', code: 'POL0001', message: 'A policy error occurred. Error code is 42' })
    expect([httpStatusOf(svc), httpStatusOf(pol)]).to.deep.equal([400, 403])
  })

  it('keeps the fixed code of operations that have one, with the platform messageId and text in the message', async () => {
    routes['/svc'] = (_request, response) =>
      json(response, 503, { requestError: { serviceException: { messageId: 'SVC0001', text: 'A service error occurred. Error code is %1', variables: ['503'] } } })
    const error = await failure(firstValueFrom(make().request({ method: 'POST', path: '/svc', operation: 'Create notification channel', fixedCode: 'subscription:2' })))
    expect(error.toJSON()).to.deep.equal({
      name: 'BasicError',
      code: 'subscription:2',
      message: 'Create notification channel request failed: A service error occurred. Error code is 503 (SVC0001)',
    })
    expect(httpStatusOf(error)).to.equal(503)
  })

  it('reports other failures by HTTP status, or by the fixed code of operations that have one', async () => {
    routes['/gone'] = (_request, response) => json(response, 404, { something: 'else' })
    routes['/boom'] = (_request, response) => {
      response.writeHead(503, 'Service Unavailable', { 'Content-Type': 'text/html' })
      response.end('<html/>')
    }
    const { request } = make()
    const gone = await failure(firstValueFrom(request({ method: 'GET', path: '/gone', operation: 'Fetch groups' })))
    expect(gone.code).to.equal(404)
    expect(gone.message).to.equal('Fetch groups request failed: Not Found')
    const boom = await failure(firstValueFrom(request({ method: 'POST', path: '/boom', operation: 'Create notification channel', fixedCode: 'subscription:2' })))
    expect(boom.code).to.equal('subscription:2')
    expect(boom.message).to.equal('Create notification channel request failed: Service Unavailable')
    expect([httpStatusOf(gone), httpStatusOf(boom)]).to.deep.equal([404, 503])
  })

  it('reports a network failure by the error name, and unparsable JSON as SyntaxError', async () => {
    routes['/broken'] = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' })
      response.end('{"half":')
    }
    const broken = await failure(firstValueFrom(make().request({ method: 'GET', path: '/broken', operation: 'Fetch groups' })))
    expect(broken.code).to.equal('SyntaxError')
    expect(broken.message).to.match(/^Fetch groups request failed: /)

    const dead = createServer()
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve))
    const deadPort = (dead.address() as AddressInfo).port
    await new Promise<void>((resolve) => dead.close(() => resolve()))
    const config = createConfig({ authentication: { server: { base: '127.0.0.1', protocol: 'http', port: deadPort } } })
    const request = createRequest({ config, environment: createEnvironment(), user: () => user('t') })
    const refused = await failure(firstValueFrom(request({ method: 'GET', path: '/x', operation: 'Fetch groups' })))
    expect(refused.code).to.equal('TypeError')
    expect(refused.message).to.match(/^Fetch groups request failed: fetch failed.*ECONNREFUSED/)
    expect(httpStatusOf(refused)).to.equal(undefined)
  })

  it('reports a body that fails the codec with the path of the mismatch and no payload', async () => {
    routes['/channel'] = (_request, response) => json(response, 201, { notificationChannel: { callbackURL: 'secret-value', resourceURL: 5 } })
    const Channel = t.type({ notificationChannel: t.type({ callbackURL: t.string, resourceURL: t.string }) })
    const error = await failure(firstValueFrom(make().request({ method: 'POST', path: '/channel', operation: 'Thing', response: Channel })))
    expect(error.code).to.equal('INVALID_RESPONSE')
    expect(error.message).to.equal('Thing request failed: unexpected response body (notificationChannel.resourceURL: expected string, got number)')
    expect(error.message).not.to.contain('secret-value')
  })

  it('aborts the HTTP request when the subscriber unsubscribes', async () => {
    routes['/slow'] = (request) => request.socket.once('close', onClosedEarly)
    const subscription = make().request({ method: 'GET', path: '/slow', operation: 'Slow' }).subscribe({ error: () => expect.fail('no error after unsubscribe') })
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    subscription.unsubscribe()
    await closedEarly
  })

  it('fails with TimeoutError when no response comes in time', async () => {
    routes['/slow'] = (request) => request.socket.once('close', onClosedEarly)
    const error = await failure(firstValueFrom(make({ timeout: 100 }).request({ method: 'GET', path: '/slow', operation: 'Slow' })))
    expect(error.code).to.equal('TimeoutError')
    expect(error.message).to.equal('Slow request failed: no response within 100 ms')
    await closedEarly
  })

  it('times out on the environment scheduler', () => {
    const scheduler = new VirtualTimeScheduler()
    const config = createConfig({ authentication: { server: { base: '127.0.0.1', protocol: 'http', port } } })
    const environment = createEnvironment({ scheduler, fetch: () => new Promise<Response>(() => undefined) })
    const errors: unknown[] = []
    createRequest({ config, environment, user: () => user('t'), timeout: 5000 })({ method: 'GET', path: '/never', operation: 'Slow' }).subscribe({ error: (error: unknown) => errors.push(error) })
    scheduler.flush()
    expect(errors).to.have.length(1)
    expect(errors[0]).to.have.property('code', 'TimeoutError')
    expect(scheduler.now()).to.equal(5000)
  })

  it('uses the token current when each request starts, and fails without one', async () => {
    routes['/me'] = (_request, response) => json(response, 200, {})
    const { request, setUser } = make()
    const me$ = request({ method: 'GET', path: '/me', operation: 'Me' })
    await lastValueFrom(me$, { defaultValue: undefined })
    setUser(user('access-2'))
    await lastValueFrom(me$, { defaultValue: undefined })
    expect(seen.map((entry) => entry.headers['authorization'])).to.deep.equal(['Bearer access-1', 'Bearer access-2'])
    setUser(undefined)
    const error = await failure(firstValueFrom(me$))
    expect(error.code).to.equal('authentication:1')
    expect(seen).to.have.length(2)
  })
})
