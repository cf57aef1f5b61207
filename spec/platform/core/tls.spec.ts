import { expect } from 'chai'
import { request } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { generate } from 'selfsigned'
import { WebSocket } from 'ws'
import { startTestPlatform, type TestPlatform } from '../../helpers/platform.js'

/** GET over HTTPS with node:https (fetch cannot be told to trust one certificate). */
function get(url: string, options: { ca?: string; rejectUnauthorized?: boolean; headers?: Record<string, string> }): Promise<{ status: number; body: string; certificate: ReturnType<TLSSocket['getPeerCertificate']> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (response) => {
      let body = ''
      const certificate = (response.socket as TLSSocket).getPeerCertificate()
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, certificate }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('platform core: HTTPS and WSS', () => {
  let platform: TestPlatform | undefined
  afterEach(async () => {
    await platform?.stop()
    platform = undefined
  })

  it('serves HTTPS and WSS with a self-signed certificate generated at start (tls: true)', async () => {
    platform = await startTestPlatform({ tls: true })
    expect(platform.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(platform.wsUrl).to.match(/^wss:\/\//)
    const state = await get(`${platform.url}/_admin/state`, { rejectUnauthorized: false, headers: { Authorization: `Bearer ${platform.adminSecret}` } })
    expect(state.status).to.equal(200)
    expect(state.certificate.subjectaltname).to.contain('IP Address:127.0.0.1')
    let refused = false
    await get(`${platform.url}/_admin/state`, {}).catch(() => (refused = true))
    expect(refused, 'an untrusted self-signed certificate is refused by default').to.equal(true)

    const alice = await platform.tokens('alice@example.com')
    const created = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${platform!.url}/cpaas/notificationchannel/v1/alice@example.com/channels`,
        { method: 'POST', rejectUnauthorized: false, headers: { Authorization: `Bearer ${alice.accessToken}`, 'Content-Type': 'application/json' } },
        (response) => {
          let body = ''
          response.on('data', (chunk: Buffer) => (body += chunk.toString()))
          response.on('end', () => resolve(body))
        },
      )
      req.on('error', reject)
      req.end(JSON.stringify({ notificationChannel: { channelType: 'Websockets' } }))
    })
    const channelURL = (JSON.parse(created) as { notificationChannel: { channelData: { channelURL: string } } }).notificationChannel.channelData.channelURL
    const ws = new WebSocket(`${platform.wsUrl}${channelURL}?access_token=${alice.accessToken}`, { rejectUnauthorized: false })
    const answer = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ connCheck: { interval: 30 } })))
      ws.on('message', (data) => resolve(data.toString()))
      ws.on('error', reject)
    })
    expect(answer).to.equal('{"connAck":{}}')
    ws.close()
  })

  it('serves a given certificate and key, which a client trusting that certificate verifies', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    })
    platform = await startTestPlatform({ tls: { cert: pems.cert, key: pems.private } })
    const state = await get(`${platform.url}/_admin/state`, { ca: pems.cert, headers: { Authorization: `Bearer ${platform.adminSecret}` } })
    expect(state.status).to.equal(200)
  })
})
