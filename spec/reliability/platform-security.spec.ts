import { expect } from 'chai'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'
import { chromiumFlags } from '../fixtures/chromium.js'
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js'

// The admin API and the CORS / Host rules as an attacker's page meets them in real Chromium:
// a page from another loopback origin (its own little server on 127.0.0.2) tries what a
// malicious site would, and a name the browser resolves to the platform's address plays the
// DNS-rebinding page. The platform logs every request, so the spec sees what reached it.

const rebindingName = 'rebind.example'

// `__name`: tsx keeps function names with it, so functions sent from here may call it.
const foreignPage =
  '<!doctype html><html><head><meta charset="utf-8"><title>elsewhere</title><link rel="icon" href="data:,"></head><body><script>window.__name = (target) => target</script></body></html>'

/** A tiny server for the foreign origin: one blank page. */
function startForeignOrigin(): Promise<{ readonly origin: string; readonly server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    response.end(foreignPage)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.2', () => resolve({ origin: `http://127.0.0.2:${(server.address() as AddressInfo).port}`, server })))
}

/** What a page's fetch gave: the status and body when the page could read them, or the error. */
type PageFetch = { readonly read: true; readonly status: number; readonly body: string } | { readonly read: false; readonly error: string }

const pageFetch = (page: Page, url: string, init: { method?: string; headers?: Record<string, string>; body?: string; mode?: 'cors' | 'no-cors' }): Promise<PageFetch> =>
  page.evaluate(
    async ([target, options]) => {
      try {
        const response = await fetch(target, options)
        return { read: true as const, status: response.status, body: await response.text() }
      } catch (error) {
        return { read: false as const, error: String(error) }
      }
    },
    [url, init] as const,
  )

describe('reliability: the platform from a foreign origin in real Chromium (admin secret, JSON only, CORS, Host)', function () {
  this.timeout(60000)
  let platform: TestPlatform
  let browser: Browser
  let foreign: { readonly origin: string; readonly server: Server }
  let page: Page

  before(async () => {
    platform = await startTestPlatform({ logRequests: true })
    foreign = await startForeignOrigin()
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumFlags, `--host-resolver-rules=MAP ${rebindingName} 127.0.0.1`] })
  })
  after(async () => {
    await browser?.close()
    foreign?.server.close()
    await platform?.stop()
  })
  beforeEach(async () => {
    page = await browser.newPage()
    await page.goto(`${foreign.origin}/`)
  })
  afterEach(async () => {
    await page.close()
  })

  const requestsTo = (path: string): string[] => platform.logs.filter((line) => line.startsWith(`POST ${path} `) || line.startsWith(`OPTIONS ${path} `) || line.startsWith(`GET ${path} `))
  const seen = async (path: string, count: number): Promise<string[]> => {
    while (requestsTo(path).length < count) await new Promise((resolve) => setTimeout(resolve, 20))
    return requestsTo(path)
  }

  it('a cross-site form POST to /_admin/tokens or /_admin/restart (urlencoded, multipart, text/plain) reaches the platform and is refused: no token, no restart', async () => {
    const before = requestsTo('/_admin/tokens').length + requestsTo('/_admin/restart').length
    await page.evaluate(
      ([base]) => {
        const post = (path: string, enctype: string, fields: Record<string, string>, index: number): void => {
          const frame = document.createElement('iframe')
          frame.name = `target-${index}`
          document.body.append(frame)
          const form = document.createElement('form')
          Object.assign(form, { method: 'POST', action: `${base}${path}`, enctype, target: frame.name })
          for (const [name, value] of Object.entries(fields)) form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }))
          document.body.append(form)
          form.submit()
        }
        post('/_admin/tokens', 'application/x-www-form-urlencoded', { userId: 'bob@example.com' }, 0)
        post('/_admin/tokens', 'multipart/form-data', { userId: 'bob@example.com' }, 1)
        // The classic trick: a text/plain form whose body reads as JSON.
        post('/_admin/tokens', 'text/plain', { '{"userId":"bob@example.com","x":"': '"}' }, 2)
        post('/_admin/restart', 'application/x-www-form-urlencoded', { downtime: '0' }, 3)
      },
      [platform.url] as const,
    )
    const lines = [...(await seen('/_admin/tokens', 3)), ...(await seen('/_admin/restart', 1))].slice(before)
    expect(lines).to.have.length(4)
    for (const line of lines) expect(line).to.match(/^POST \/_admin\/(tokens|restart) 401 /)
    expect(platform.logs.filter((line) => line.includes('restarting'))).to.deep.equal([])
  })

  it('a fetch with JSON (even with the right secret) is stopped at its preflight; a simple GET gets a 401 the page cannot read', async () => {
    const before = requestsTo('/_admin/tokens').length
    const body = JSON.stringify({ userId: 'bob@example.com' })
    const withSecret = await pageFetch(page, `${platform.url}/_admin/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${platform.adminSecret}` }, body })
    const guessed = await pageFetch(page, `${platform.url}/_admin/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Admin-Secret': 'guess' }, body })
    expect(withSecret.read).to.equal(false)
    expect(guessed.read).to.equal(false)
    const lines = (await seen('/_admin/tokens', before + 2)).slice(before)
    expect(lines.every((line) => /^OPTIONS \/_admin\/tokens 403 /.test(line)), lines.join('\n')).to.equal(true)

    const state = await pageFetch(page, `${platform.url}/_admin/state`, {})
    expect(state.read).to.equal(false)
    const opaque = await pageFetch(page, `${platform.url}/_admin/state`, { mode: 'no-cors' })
    expect(opaque).to.deep.equal({ read: true, status: 0, body: '' })
    expect(platform.logs.filter((line) => line.startsWith('GET /_admin/state ')).every((line) => / 401 /.test(line))).to.equal(true)
  })

  it('a browser app on that origin still uses the CPaaS API: logs in and reads its channels with a bearer token', async () => {
    const login = await pageFetch(page, `${platform.url}/cpaas/auth/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=foreign-app&username=alice@example.com&password=password&scope=openid',
    })
    expect(login.read && login.status).to.equal(200)
    const accessToken = (JSON.parse(login.read ? login.body : '{}') as { access_token: string }).access_token
    const channels = await pageFetch(page, `${platform.url}/cpaas/notificationchannel/v1/alice@example.com/channels`, { headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' } })
    expect(channels.read && channels.status).to.equal(200)
  })

  it('a DNS-rebinding page (a foreign name resolved to 127.0.0.1) gets 403 for the page, the token endpoint and the admin API', async () => {
    const rebound = `http://${rebindingName}:${platform.port}`
    const response = await page.goto(`${rebound}/`)
    expect(response?.status()).to.equal(403)
    const token = await pageFetch(page, `${rebound}/cpaas/auth/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&client_id=x&username=alice@example.com&password=password&scope=openid',
    })
    const admin = await pageFetch(page, `${rebound}/_admin/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Admin-Secret': platform.adminSecret! }, body: '{"userId":"bob@example.com"}' })
    expect(token.read && token.status).to.equal(403)
    expect(admin.read && admin.status).to.equal(403)
    expect(JSON.stringify([token, admin])).to.not.include('access_token')
  })

  it('Node requests with a foreign Host are refused the same way, with the right credentials', async () => {
    const status = (path: string, headers: Record<string, string>): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(`${platform.url}${path}`, { headers }, (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end()
      })
    const alice = await platform.login('alice@example.com')
    for (const host of [`${rebindingName}:${platform.port}`, 'attacker.example', `127.0.0.1:${platform.port + 1}`]) {
      expect(await status('/_admin/state', { Host: host, 'X-Admin-Secret': platform.adminSecret! }), host).to.equal(403)
      expect(await status('/cpaas/notificationchannel/v1/alice@example.com/channels', { Host: host, Authorization: `Bearer ${alice.accessToken}` }), host).to.equal(403)
    }
    expect(await status('/_admin/state', { 'X-Admin-Secret': platform.adminSecret! })).to.equal(200)
  })
})
