import { expect } from 'chai'
import { filter, firstValueFrom, timeout } from 'rxjs'
import { createTestClient, createTestClock, createTestStreams, nextEvent, startPlatform, type TestClient, type TestPlatform, type TestStreams } from '../../testing/index.js'
import { until } from '../helpers/client.js'

// Each fault as an app's test would use it, observed through a real client. Real delays are
// short (reconnect 50 ms, ping interval 150 ms): the SDK's own timers must run.
const fastReconnect = { connectivity: { reconnectDelay: 50, reconnectLimit: 0 } }

describe('testing kit: faults', function () {
  this.timeout(20000)
  let platform: TestPlatform
  const owned: Array<TestClient | TestStreams> = []
  const client = async (userId: string, config = {}): Promise<TestClient> => {
    const made = await createTestClient(platform, userId, { services: ['chat'], config: { ...fastReconnect, ...config } })
    owned.push(made)
    return made
  }
  const streams = async (userId: string): Promise<TestStreams> => {
    const made = await createTestStreams(platform, userId, { services: ['presence'] })
    owned.push(made)
    return made
  }
  const socketState = (made: TestClient) => made.connection.getSocketState('cpaas')

  beforeEach(async () => {
    platform = await startPlatform()
  })
  afterEach(async () => {
    for (const made of owned.splice(0)) made.dispose()
    await platform.stop()
  })

  it('dropSockets(user) closes that user’s socket only; the client reconnects', async () => {
    const alice = await client('alice@example.com')
    const bob = await client('bob@example.com')
    const lost = nextEvent(alice, 'ws:change', () => socketState(alice)?.connected === false)
    const back = nextEvent(alice, 'ws:change', () => socketState(alice)?.connected === true)
    const bobChanged: unknown[] = []
    bob.on('ws:change', (payload) => bobChanged.push(payload))
    expect(await platform.faults.dropSockets('alice@example.com')).to.equal(1)
    await lost
    await back
    expect(bobChanged).to.deep.equal([])
    expect(await platform.faults.dropSockets()).to.equal(2)
  })

  it('dropSockets(user, { terminate: true }) cuts the connection without a close frame', async () => {
    const alice = await client('alice@example.com')
    const back = nextEvent(alice, 'ws:change', () => socketState(alice)?.connected === true)
    expect(await platform.faults.dropSockets('alice@example.com', { terminate: true })).to.equal(1)
    await back
  })

  it('stopAnsweringPings leaves the socket open but silent until the client notices; resumeAnsweringPings lets it reconnect', async () => {
    const alice = await client('alice@example.com', { connectivity: { ...fastReconnect.connectivity, checkConnectivity: true, method: 'pingPong', pingInterval: 150, maxMissedPings: 2 } })
    const lost = nextEvent(alice, 'ws:change', () => socketState(alice)?.connected === false)
    await platform.faults.stopAnsweringPings('alice@example.com')
    expect((await platform.admin.state()).faults.connectivityPaused).to.deep.equal(['alice@example.com'])
    await lost
    const back = nextEvent(alice, 'ws:change', () => socketState(alice)?.connected === true)
    await platform.faults.resumeAnsweringPings('alice@example.com')
    await back
  })

  it('failNext(prefix) fails the next request under it, then requests succeed again', async () => {
    const alice = await streams('alice@example.com')
    await platform.faults.failNext('/cpaas/presence/', { status: 503 })
    const failed = firstValueFrom(alice.presence.events$.pipe(filter((event) => event.type === 'presenceFailed' || event.type === 'selfPresenceUpdated'), timeout(5000)))
    alice.presence.commands.update('Open', 'Available')
    const first = await failed
    expect(first.type).to.equal('presenceFailed')
    const updated = firstValueFrom(alice.presence.events$.pipe(filter((event) => event.type === 'selfPresenceUpdated'), timeout(5000)))
    alice.presence.commands.update('Open', 'Busy')
    await updated
    expect(alice.presence.current().self).to.include({ status: 'Open', activity: 'Busy' })
  })

  it('failNext with count fails that many requests, so a login can be refused', async () => {
    await platform.faults.failNext('/cpaas/notificationchannel/', { count: 1, status: 500 })
    await createTestClient(platform, 'alice@example.com', { services: ['chat'] }).then(
      (made) => {
        made.dispose()
        expect.fail('subscribed although the channel request failed')
      },
      (error: Error) => expect(error.message).not.to.equal(''),
    )
    const alice = await client('alice@example.com')
    expect(alice.services.getSubscriptions().subscribed).to.deep.equal(['chat'])
  })

  it('failNext under a channel’s WebSocket path refuses its upgrades (with a status, then a reset) until the rules are used up; then the client gets back in', async () => {
    const alice = await client('alice@example.com')
    const [channel] = (await platform.admin.state()).users['alice@example.com']?.channels ?? []
    const socketPath = `/cpaas/notificationchannel/v1/alice@example.com/channels/${channel?.id}/websocket`
    await platform.faults.failNext(socketPath, { count: 2, status: 503 })
    await platform.faults.failNext(socketPath, { reset: true })
    const back = nextEvent(alice, 'ws:change', () => socketState(alice)?.connected === true)
    await platform.faults.dropSockets('alice@example.com')
    await back
    expect((await platform.admin.state()).faults.failures).to.deep.equal([])
  })

  it('delay(ms, prefix) holds requests under the prefix until the platform’s clock has moved ms; delay(0) removes it', async () => {
    // On a test clock, as an app's test would hold a request: it goes through when the test advances, not after real time.
    await platform.stop()
    const clock = createTestClock()
    platform = await startPlatform({ clock })
    const tokens = await platform.tokens('alice@example.com')
    const get = () => fetch(`${platform.url}/cpaas/notificationchannel/v1/alice@example.com/channels`, { headers: { Authorization: `Bearer ${tokens.accessToken}` } })
    await platform.faults.delay(300, '/cpaas/notificationchannel/')
    expect((await platform.admin.state()).faults.delays).to.deep.equal([{ prefix: '/cpaas/notificationchannel/', ms: 300 }])
    const timers = clock.pending()
    const held = get()
    await until(() => clock.pending() > timers, 'the request held')
    clock.advance(300)
    expect((await held).status).to.equal(200)
    await platform.faults.delay(0, '/cpaas/notificationchannel/')
    expect((await platform.admin.state()).faults.delays).to.deep.equal([])
    expect((await get()).status).to.equal(200)
  })

  it('delay(ms, prefix, { answer: true }) serves the request at once and holds its answer: what the request causes comes first', async () => {
    const alice = await client('alice@example.com')
    const bob = await client('bob@example.com')
    const sends = '/cpaas/chat/v1/alice@example.com/oneToOne/'
    await platform.faults.delay(300, sends, { answer: true })
    expect((await platform.admin.state()).faults.delays).to.deep.equal([{ prefix: sends, ms: 300, answer: true }])
    const order: string[] = []
    const received = nextEvent(bob, 'conversations:change').then(() => order.push('bob received it'))
    const answered = nextEvent<{ messageId?: string }>(alice, 'messages:change', (change) => change.messageId !== undefined).then(() => order.push('alice had the answer'))
    const started = Date.now()
    alice.conversation.create('bob@example.com').createMessage('held').send()
    await Promise.all([received, answered])
    expect(order).to.deep.equal(['bob received it', 'alice had the answer'])
    expect(Date.now() - started).to.be.at.least(290)
  })

  it('clear() removes every delay, armed failure and connectivity pause', async () => {
    await platform.faults.delay(1000)
    await platform.faults.failNext('/cpaas/', { count: 5 })
    await platform.faults.stopAnsweringPings()
    await platform.faults.clear()
    expect((await platform.admin.state()).faults).to.deep.equal({ delays: [], failures: [], connectivityPaused: [] })
    const alice = await client('alice@example.com')
    expect(alice.services.getSubscriptions().subscribed).to.deep.equal(['chat'])
  })

  it('refuses a fault it cannot apply with an error that says why, and arms nothing', async () => {
    const refusal = (promise: Promise<unknown>): Promise<string> => promise.then(() => 'applied', (error: Error) => error.message)
    expect(await refusal(platform.faults.failNext('/cpaas/', { status: 42 }))).to.equal('status must be an HTTP status 100..599, not 42')
    expect(await refusal(platform.faults.failNext('/cpaas/', { count: 1.5 }))).to.equal('count must be a whole number of requests, not 1.5')
    expect(await refusal(platform.faults.failNext('/cpaas/', { count: -1 }))).to.equal('count must be a whole number of requests, not -1')
    expect(await refusal(platform.faults.delay(-5))).to.equal('ms must be a finite number ≥ 0, not -5')
    expect(await refusal(platform.faults.delay(Number.NaN))).to.equal('ms must be a finite number ≥ 0, not NaN')
    const alice = await client('alice@example.com')
    expect(await refusal(platform.faults.dropSockets('alice@example.com', { reason: 'é'.repeat(62) }))).to.equal('a close reason is at most 123 bytes, not 124')
    expect(socketState(alice)?.connected).to.equal(true)
    expect((await platform.admin.state()).faults).to.deep.equal({ delays: [], failures: [], connectivityPaused: [] })
    // The HTTP admin API answers them with a 400, as it does other input it cannot apply.
    const posted = await fetch(`${platform.url}/_admin/fail`, { method: 'POST', headers: { Authorization: `Bearer ${platform.adminSecret}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 42 }) })
    expect(posted.status).to.equal(400)
  })

  it('restart() closes every connection and listens again on the same port; clients reconnect', async () => {
    const alice = await client('alice@example.com')
    const { port } = platform
    const back = nextEvent(alice, 'ws:change', () => socketState(alice)?.connected === true)
    await platform.faults.restart({ downtime: 100 })
    await back
    expect(platform.port).to.equal(port)
  })

  it('restart(): a login right after it succeeds, though the connections kept alive before it were closed', async () => {
    // Each round reuses the connection the login before it kept alive: the restart has closed it, unseen yet.
    for (let round = 0; round < 5; round++) {
      await platform.tokens('alice@example.com')
      await platform.faults.restart()
      expect((await platform.tokens('alice@example.com')).userId, `round ${round}`).to.equal('alice@example.com')
    }
  })
})
