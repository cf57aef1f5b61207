import { expect } from 'chai'
import type { PlatformContext, PlatformFeature } from '../../../platform/context.js'
import { until } from '../../helpers/client.js'
import { startTestPlatform, usePlatform, type LoginTokens } from '../../helpers/platform.js'
import { manualClock } from '../clock.js'
import { connect, createChannel, exceptionOf, refusedUpgrade, subscribe } from './wire.js'

let context: PlatformContext | undefined
const capture: PlatformFeature = (ctx) => {
  context = ctx
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('platform core: the admin API (faults on purpose)', () => {
  const platform = usePlatform({ features: [capture], serverConnCheckInterval: 0.1 })
  let alice: LoginTokens
  let bob: LoginTokens
  before(async () => {
    alice = await platform().login('alice@example.com')
    bob = await platform().login('bob@example.com')
  })
  afterEach(async () => {
    await platform().admin.clearFaults()
  })
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${platform().url}/_admin/${path}`, { method, headers: { Authorization: `Bearer ${platform().adminSecret}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })

  describe('sockets', () => {
    it("drops one user's sockets with a chosen close code; other users keep theirs; the channel survives for a reconnect", async () => {
      const channel = await createChannel(platform(), alice)
      await subscribe(platform(), alice, 'chat', channel)
      const a = await connect(platform(), channel, alice.accessToken)
      const b = await connect(platform(), await createChannel(platform(), bob), bob.accessToken)
      const response = await admin('POST', 'sockets/drop', { userId: 'alice@example.com', code: 4001, reason: 'spec drop' })
      expect(response.status).to.equal(200)
      expect(await response.json()).to.deep.equal({ dropped: 1 })
      expect(await a.closed).to.deep.equal({ code: 4001, reason: 'spec drop' })
      expect(await b.barrier()).to.deep.equal([])
      context!.notify('alice@example.com', 'chat', { chatMessageNotification: { n: 'while away' } })
      const again = await connect(platform(), channel, alice.accessToken)
      expect(await again.barrier()).to.have.length(1)
      await Promise.all([again.close(), b.close()])
    })

    it('closes with 1001 when no code is given', async () => {
      const socket = await connect(platform(), await createChannel(platform(), alice), alice.accessToken)
      expect((await admin('POST', 'sockets/drop', { userId: 'alice@example.com' })).status).to.equal(200)
      expect((await socket.closed).code).to.equal(1001)
    })

    it('drops every socket, and terminates without a close frame (the client sees 1006)', async () => {
      const a = await connect(platform(), await createChannel(platform(), alice), alice.accessToken)
      const b = await connect(platform(), await createChannel(platform(), bob), bob.accessToken)
      expect(await platform().admin.dropSockets({ terminate: true })).to.be.at.least(2)
      expect((await a.closed).code).to.equal(1006)
      expect((await b.closed).code).to.equal(1006)
    })

    it('refuses an invalid close code and an unknown user with 400', async () => {
      expect((await admin('POST', 'sockets/drop', { code: 1006 })).status).to.equal(400)
      expect((await admin('POST', 'sockets/drop', { code: 999 })).status).to.equal(400)
      expect((await admin('POST', 'sockets/drop', { code: 5000 })).status).to.equal(400)
      const unknown = await admin('POST', 'sockets/drop', { userId: 'mallory@example.com' })
      expect(unknown.status).to.equal(400)
      expect((await exceptionOf(unknown)).variables[0]).to.contain('mallory')
    })

    it('sends a raw frame, even invalid JSON, to the user’s sockets', async () => {
      const a = await connect(platform(), await createChannel(platform(), alice), alice.accessToken)
      const response = await admin('POST', 'send', { userId: 'alice@example.com', data: '{"broken": ' })
      expect(await response.json()).to.deep.equal({ sent: 1 })
      expect(await a.next()).to.equal('{"broken": ')
      expect(await platform().admin.send('alice@example.com', 'null')).to.equal(1)
      expect(await a.next()).to.equal('null')
      await a.close()
    })

    it('delivers a notification through the normal path (service filter, id added)', async () => {
      const channel = await createChannel(platform(), alice)
      await subscribe(platform(), alice, 'smsinbound', channel)
      const a = await connect(platform(), channel, alice.accessToken)
      expect((await admin('POST', 'notify', { userId: 'alice@example.com', service: 'chat', frame: { chatMessageNotification: {} } })).status).to.equal(204)
      expect((await admin('POST', 'notify', { userId: 'alice@example.com', service: 'smsinbound', frame: { inboundSMSMessageNotification: { a: 1 } } })).status).to.equal(204)
      const frames = await a.barrier()
      expect(frames).to.have.length(1)
      expect(JSON.parse(frames[0]!)).to.have.nested.property('inboundSMSMessageNotification.id')
      await a.close()
    })
  })

  describe('connectivity checks', () => {
    it("stops answering one user's connCheck and resumes; other users are still answered", async () => {
      const a = await connect(platform(), await createChannel(platform(), alice), alice.accessToken)
      const b = await connect(platform(), await createChannel(platform(), bob), bob.accessToken)
      expect((await admin('POST', 'connectivity/stop', { userId: 'alice@example.com' })).status).to.equal(204)
      a.send({ connCheck: { interval: 30 } })
      expect(await b.barrier()).to.deep.equal([])
      await pause(100)
      expect(a.unread()).to.deep.equal([])
      expect((await admin('POST', 'connectivity/resume', { userId: 'alice@example.com' })).status).to.equal(204)
      expect(await a.barrier()).to.deep.equal([])
      await Promise.all([a.close(), b.close()])
    })

    it('stops for everyone (no body), and stops sending server connChecks without terminating the socket', async () => {
      const server = await connect(platform(), await createChannel(platform(), alice, { 'x-connCheckRole': 'server' }), alice.accessToken)
      expect(await server.nextJson()).to.deep.equal({ connCheck: { interval: 0.1 } })
      server.send({ connAck: {} })
      expect((await admin('POST', 'connectivity/stop')).status).to.equal(204)
      const seen = server.frames.length
      await pause(500)
      expect(server.frames.length - seen).to.be.at.most(1)
      expect(server.ws.readyState).to.equal(server.ws.OPEN)
      await platform().admin.resumeConnectivity()
      const next = server.frames.length
      await pause(250)
      expect(server.frames.slice(next).filter((f) => f.includes('connCheck')).length).to.be.at.least(1)
      await server.close()
    })
  })

  describe('HTTP faults', () => {
    it('fails the next N requests of a prefix with a status and the error body, then serves normally', async () => {
      const path = '/cpaas/notificationchannel/v1/alice@example.com/channels'
      expect((await admin('POST', 'fail', { prefix: '/cpaas/notificationchannel/', count: 2, status: 503 })).status).to.equal(204)
      for (let i = 0; i < 2; i++) {
        const response = await platform().fetchAs(alice, 'GET', path)
        expect(response.status).to.equal(503)
        expect(response.headers.get('content-type')).to.equal('application/json')
        expect(response.headers.get('access-control-allow-origin')).to.equal('*')
        expect((await exceptionOf(response)).messageId).to.equal('SVC0001')
      }
      expect((await platform().fetchAs(alice, 'GET', path)).status).to.equal(200)
    })

    it('fails with a chosen body, and leaves other prefixes and the admin API alone', async () => {
      await platform().admin.fail({ prefix: '/cpaas/chat/', status: 400, body: { requestError: { serviceException: { messageId: 'SVC0099', text: 'x', variables: [] } } } })
      expect((await platform().fetchAs(alice, 'GET', '/cpaas/notificationchannel/v1/alice@example.com/channels')).status).to.equal(200)
      expect((await admin('GET', 'state')).status).to.equal(200)
      const failed = await platform().fetchAs(alice, 'GET', '/cpaas/chat/v1/alice@example.com/subscriptions/x')
      expect(failed.status).to.equal(400)
      expect((await exceptionOf(failed)).messageId).to.equal('SVC0099')
    })

    it('never fails the admin API itself, even under a fault armed for every path', async () => {
      await platform().admin.fail({ prefix: '/', count: 1 })
      expect((await admin('GET', 'state')).status).to.equal(200)
      expect((await platform().fetchAs(alice, 'GET', '/cpaas/notificationchannel/v1/alice@example.com/channels')).status).to.equal(500)
    })

    it('fails only CPaaS requests when no prefix is given', async () => {
      expect((await admin('POST', 'fail', {})).status).to.equal(204)
      expect((await fetch(`${platform().url}/not-cpaas`)).status).to.equal(404)
      expect((await platform().fetchAs(alice, 'GET', '/cpaas/notificationchannel/v1/alice@example.com/channels')).status).to.equal(500)
    })

    it('fails with a connection reset', async () => {
      await admin('POST', 'fail', { prefix: '/cpaas/', reset: true })
      let error: unknown
      try {
        await platform().fetchAs(alice, 'GET', '/cpaas/notificationchannel/v1/alice@example.com/channels')
      } catch (caught) {
        error = caught
      }
      expect(error).to.be.instanceOf(TypeError)
      expect((await platform().fetchAs(alice, 'GET', '/cpaas/notificationchannel/v1/alice@example.com/channels')).status).to.equal(200)
    })

    it('fails WebSocket upgrades too (status or reset)', async () => {
      const channel = await createChannel(platform(), alice)
      await platform().admin.fail({ prefix: '/cpaas/notificationchannel/', status: 503 })
      expect((await refusedUpgrade(`${platform().wsUrl}${channel.channelData.channelURL}?access_token=${alice.accessToken}`)).status).to.equal(503)
      await platform().admin.fail({ prefix: '/cpaas/notificationchannel/', reset: true })
      let failed = false
      await connect(platform(), channel, alice.accessToken).catch(() => (failed = true))
      expect(failed).to.equal(true)
      const socket = await connect(platform(), channel, alice.accessToken)
      await socket.close()
    })

    it('clears every fault with DELETE /_admin/faults', async () => {
      await platform().admin.fail({ prefix: '/cpaas/', count: 5 })
      await platform().admin.delay(1000)
      await platform().admin.stopConnectivity()
      expect((await admin('DELETE', 'faults')).status).to.equal(204)
      const state = (await (await admin('GET', 'state')).json()) as { faults: unknown }
      expect(state.faults).to.deep.equal({ delays: [], failures: [], connectivityPaused: [] })
      expect((await platform().fetchAs(alice, 'GET', '/cpaas/notificationchannel/v1/alice@example.com/channels')).status).to.equal(200)
    })
  })

  describe('state', () => {
    it('summarises channels, sockets and subscriptions per user', async () => {
      const channel = await createChannel(platform(), bob, { 'x-connCheckRole': 'client', channelLifetime: 900 })
      await subscribe(platform(), bob, 'call', channel)
      const socket = await connect(platform(), channel, bob.accessToken)
      const state = (await (await admin('GET', 'state')).json()) as {
        channels: number
        sockets: number
        subscriptions: number
        users: Record<string, { channels: { id: string; role: string; lifetime: number; sockets: number; queued: number; subscriptions: { service: string }[] }[] }>
      }
      const mine = state.users['bob@example.com']!.channels.find((c) => c.id === channel.callbackURL)!
      expect(mine).to.deep.include({ role: 'client', lifetime: 900, sockets: 1, queued: 0 })
      expect(mine.subscriptions.map((s) => s.service)).to.deep.equal(['call'])
      expect(state.sockets).to.be.at.least(1)
      expect(state.channels).to.be.at.least(1)
      expect(state.subscriptions).to.be.at.least(1)
      await socket.close()
    })

    it('mints tokens, expired ones included', async () => {
      const response = await admin('POST', 'tokens', { userId: 'dave@example.com', lifetime: -1 })
      const tokens = (await response.json()) as { access_token: string }
      const refused = await fetch(`${platform().url}/cpaas/notificationchannel/v1/dave@example.com/channels`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })
      expect(refused.status).to.equal(401)
    })

    it('refuses to mint tokens for an unknown user with 400', async () => {
      const response = await admin('POST', 'tokens', { userId: 'mallory@example.com' })
      expect(response.status).to.equal(400)
      expect((await exceptionOf(response)).variables[0]).to.contain('mallory')
    })

    it('mints tokens of the asked lifetime and says so in expires_in', async () => {
      const response = await admin('POST', 'tokens', { userId: 'dave@example.com', lifetime: 120 })
      const tokens = (await response.json()) as { access_token: string; expires_in: number }
      expect(tokens.expires_in).to.equal(120)
      const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString('utf8')) as { iat: number; exp: number }
      expect(claims.exp - claims.iat).to.equal(120)
    })
  })

  describe('restart', () => {
    it('closes every socket (1012), listens again on the same port and keeps channels, subscriptions and tokens', async () => {
      const channel = await createChannel(platform(), alice)
      await subscribe(platform(), alice, 'chat', channel)
      const socket = await connect(platform(), channel, alice.accessToken)
      const port = platform().port
      const restarting = platform().restart({ downtime: 200 })
      expect((await socket.closed).code).to.equal(1012)
      await pause(50)
      let down = false
      await admin('GET', 'state').catch(() => (down = true))
      expect(down).to.equal(true)
      context!.notify('alice@example.com', 'chat', { chatMessageNotification: { n: 'during restart' } })
      await restarting
      expect(platform().port).to.equal(port)
      const again = await connect(platform(), channel, alice.accessToken)
      expect(await again.barrier()).to.have.length(1)
      await again.close()
    })

    it('restarts through POST /_admin/restart (202 first)', async () => {
      const restarts = () => platform().logs.filter((line) => line.includes('listening again')).length
      const before = restarts()
      const response = await admin('POST', 'restart', {})
      expect(response.status).to.equal(202)
      expect(await response.json()).to.deep.equal({ restarting: true })
      for (let i = 0; i < 50; i++) {
        await pause(40)
        const state = await admin('GET', 'state').catch(() => undefined)
        if (state?.status === 200 && restarts() === before + 1) return
      }
      throw new Error('the platform did not come back')
    })
  })

  it('is absent (404) when started with admin: false', async () => {
    const closed = await startTestPlatform({ admin: false })
    try {
      expect((await fetch(`${closed.url}/_admin/state`)).status).to.equal(404)
      const sms = await fetch(`${closed.url}/_admin/sms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ from: '+15557770000', to: 'carol@example.com', text: 'x' }) })
      expect(sms.status).to.equal(404)
      expect(await closed.admin.dropSockets()).to.equal(0)
    } finally {
      await closed.stop()
    }
  })
})

describe('platform core: the admin API’s delay fault, on the platform’s clock', () => {
  // The delay waits on the platform's clock: a request is held until the spec moves it, not for wall-clock time.
  const clock = manualClock()
  const platform = usePlatform({ clock, logRequests: true })
  let alice: LoginTokens
  before(async () => {
    alice = await platform().login('alice@example.com')
  })
  afterEach(async () => {
    await platform().admin.clearFaults()
  })

  it('holds requests under a path prefix until the clock has moved N ms; other paths are served meanwhile; 0 removes the delay', async () => {
    const channels = '/cpaas/notificationchannel/v1/alice@example.com/channels'
    await platform().admin.delay(300, '/cpaas/notificationchannel/')
    const timers = clock.pending()
    let answered = false
    const held = platform()
      .fetchAs(alice, 'GET', channels)
      .then((response) => {
        answered = true
        return response
      })
    await until(() => clock.pending() > timers, 'the delayed request waiting on the platform’s clock')
    expect((await platform().fetchAs(alice, 'GET', '/cpaas/chat/v1/alice@example.com/subscriptions/none')).status).to.equal(404)
    clock.advance(299)
    expect((await platform().fetchAs(alice, 'GET', '/cpaas/chat/v1/alice@example.com/subscriptions/none')).status).to.equal(404)
    expect(answered).to.equal(false)
    clock.advance(1)
    expect((await held).status).to.equal(200)
    await platform().admin.delay(0, '/cpaas/notificationchannel/')
    expect((await platform().fetchAs(alice, 'GET', channels)).status).to.equal(200)
    expect(clock.pending()).to.equal(timers)
  })

  it('settles a held request whose client gave up meanwhile: released, it is logged as gone and not served', async () => {
    const channels = '/cpaas/notificationchannel/v1/alice@example.com/channels'
    const before = (await platform().admin.state()).users['alice@example.com']?.channels.length ?? 0
    await platform().admin.delay(300, '/cpaas/notificationchannel/')
    const timers = clock.pending()
    const giveUp = new AbortController()
    const body = JSON.stringify({ notificationChannel: { channelData: { 'x-channelType': 'websockets' }, clientCorrelator: 'gone', applicationTag: 'spec' } })
    const held = fetch(`${platform().url}${channels}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice.accessToken}`, 'Content-Type': 'application/json' },
      body,
      signal: giveUp.signal,
    }).catch(() => 'gave up')
    await until(() => clock.pending() > timers, 'the delayed request waiting on the platform’s clock')
    giveUp.abort()
    expect(await held).to.equal('gave up')
    // The connection's close reaches the platform over TCP, which no clock can move: give it a moment before the release.
    await pause(100)
    clock.advance(300)
    await until(() => platform().logs.some((line) => line === `POST ${channels}: the client went away mid-body`), 'the gone request logged')
    expect((await platform().admin.state()).users['alice@example.com']?.channels.length ?? 0).to.equal(before)
  })
})
