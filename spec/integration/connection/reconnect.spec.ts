import { expect } from 'chai'
import { WebSocket } from 'ws'
import type { EventName } from '../../../lib/events.js'
import type { UserConfig } from '../../../streams/config/state.js'
import type { Environment, WebSocketConstructor } from '../../../streams/environment.js'
import { isBasicError } from '../../../streams/errors.js'
import { virtualClock } from '../../helpers/clock.js'
import { createTestClient, nextEvent, until, type TestClient } from '../../helpers/client.js'
import { startTestPlatform, type TestPlatform } from '../../helpers/platform.js'
import type { PlatformOptions } from '../../../platform/index.js'
import { manualClock } from '../../platform/clock.js'
import { noUnhandledErrors } from './unhandled.js'

// Faults of the real platform (sockets dropped, pings unanswered, restarts, refused upgrades)
// and how the SDK recovers, over real HTTP and WebSocket. Where a spec is about connectivity
// checks, the SDK's timers run on a virtual clock and the platform's connChecks on a manual one;
// elsewhere the reconnect delay is a short real one (50 ms).

const fastReconnect: UserConfig = { connectivity: { reconnectDelay: 50, reconnectLimit: 0 } }

/** Records the names of a client's events from now on. */
const recordEvents = (client: TestClient): EventName[] => {
  const names: EventName[] = []
  client.subscribe((type) => names.push(type))
  return names
}

/** Sends a chat notification to `userId` and resolves when the client received it. */
async function notificationArrives(platform: TestPlatform, client: TestClient, userId: string, text: string): Promise<void> {
  const received = nextEvent<{ payload: Record<string, unknown> }>(client, 'notification:received', ({ payload }) => JSON.stringify(payload).includes(text))
  await platform.admin.notify(userId, 'chat', { chatMessageNotification: { chatMessage: { text, 'x-type': 'outbound' } } })
  await received
}

/** What a client's WebSockets did: one entry per socket opened, and every text frame sent and received. */
interface SocketLog {
  readonly opened: string[]
  readonly sent: string[]
  readonly received: string[]
}

/** ws's WebSocket, recording into `log` (the SDK's own control frames are otherwise invisible). */
const recordingSockets = (log: SocketLog): WebSocketConstructor =>
  class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols)
      log.opened.push(url)
      this.on('message', (data: Buffer) => log.received.push(data.toString()))
    }

    override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
      log.sent.push(String(data))
      Reflect.apply(super.send, this, [data, ...rest])
    }
  } as unknown as WebSocketConstructor

/** The frames of `frames` that are `{"<name>":…}` control frames. */
const count = (frames: readonly string[], name: 'connCheck' | 'connAck'): number => frames.filter((frame) => frame.startsWith(`{"${name}"`)).length

/** The id of the client's channel on the platform (from its socket path). */
const channelIdOf = (client: TestClient): string | undefined => /\/channels\/([^/]+)\//.exec(client.connection.getSocketState('cpaas')?.channelURL ?? '')?.[1]

describe('integration: connection faults and recovery', () => {
  noUnhandledErrors()
  let running: TestPlatform | undefined
  const clients: TestClient[] = []
  const platform = (): TestPlatform => {
    if (running === undefined) throw new Error('no platform')
    return running
  }
  const start = async (options: PlatformOptions = {}): Promise<TestPlatform> => {
    running = await startTestPlatform(options)
    return running
  }
  const client = async (userId: string, config: UserConfig = fastReconnect, services: string[] = ['chat'], environment: Partial<Environment> = {}): Promise<TestClient> => {
    const made = await createTestClient(platform(), userId, { services, config, environment })
    clients.push(made)
    return made
  }
  /** Alice, her SDK's timers on a virtual clock that `advance` runs, her sockets recorded. */
  const clockedClient = async (config: UserConfig) => {
    const { clock, advance } = virtualClock()
    const sockets: SocketLog = { opened: [], sent: [], received: [] }
    const alice = await client('alice@example.com', config, ['chat'], { scheduler: clock, WebSocket: recordingSockets(sockets) })
    return { alice, advance, sockets }
  }
  afterEach(async () => {
    for (const made of clients.splice(0)) made.dispose()
    await running?.stop()
    running = undefined
  })

  it('reconnects to the same channel when the platform drops the socket, and later notifications arrive', async () => {
    await start()
    const alice = await client('alice@example.com')
    const channel = channelIdOf(alice)
    const events = recordEvents(alice)
    const opened = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    expect(await platform().admin.dropSockets({ userId: 'alice@example.com' })).to.equal(1)
    await opened
    // Lost, reconnection cycle started, opened again.
    expect(events.filter((name) => name === 'ws:change')).to.have.length(3)
    expect(channelIdOf(alice)).to.equal(channel)
    await notificationArrives(platform(), alice, 'alice@example.com', 'after the drop')
    expect(alice.services.getSubscriptions().subscribed).to.deep.equal(['chat'])
  })

  it('reconnects after the TCP connection is cut without a close frame', async () => {
    await start()
    const alice = await client('alice@example.com')
    const opened = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    await platform().admin.dropSockets({ userId: 'alice@example.com', terminate: true })
    await opened
    await notificationArrives(platform(), alice, 'alice@example.com', 'after the cut')
  })

  it('notices unanswered pings exactly pingInterval × maxMissedPings after the last connAck (pingPong) and reconnects', async () => {
    await start()
    const pingPong: UserConfig = { connectivity: { ...fastReconnect.connectivity, checkConnectivity: true, method: 'pingPong', pingInterval: 200, maxMissedPings: 3 } }
    const { alice, advance, sockets } = await clockedClient(pingPong)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ pinging: true, method: { type: 'pingPong', responsibleParty: 'client' } })
    // Answered pings keep the socket up: five of them, at 0 to 800 ms, longer than the 600 ms limit.
    for (let ping = 1; ping <= 5; ping++) {
      advance(ping === 1 ? 0 : 200)
      expect(count(sockets.sent, 'connCheck')).to.equal(ping)
      await until(() => count(sockets.received, 'connAck') === ping, `the connAck of ping ${ping}`)
    }
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, reconnecting: false })

    // The last connAck came at 800 ms: pings at 1000 and 1200 go unanswered, the one due at 1400 finds 600 ms of silence.
    await platform().admin.stopConnectivity('alice@example.com')
    advance(599)
    expect(count(sockets.sent, 'connCheck')).to.equal(7)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, reconnecting: false })
    advance(1)
    expect(count(sockets.sent, 'connCheck')).to.equal(7)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: false, reconnecting: true })

    const reopened = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    await platform().admin.resumeConnectivity('alice@example.com')
    await reopened
    expect(sockets.opened).to.have.length(2)
    await notificationArrives(platform(), alice, 'alice@example.com', 'after the pings')
  })

  it('reconnects with the tokens setTokens gave since, after the first access token expired', async () => {
    // Today's time, so that the SDK takes the platform's tokens as current.
    const platformClock = manualClock(Math.floor(Date.now() / 1000) * 1000)
    await start({ clock: platformClock, tokenLifetime: 60 })
    const alice = await client('alice@example.com')
    platformClock.advance(50_000)
    const refreshed = await platform().tokens('alice@example.com')
    alice.setTokens({ accessToken: refreshed.accessToken, idToken: refreshed.idToken })
    // The first token has expired: the platform refuses an upgrade that carries it (401).
    platformClock.advance(20_000)
    const reopened = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    await platform().admin.dropSockets({ userId: 'alice@example.com' })
    await reopened
    await notificationArrives(platform(), alice, 'alice@example.com', 'after the token refresh')
  })

  it('answers the platform connChecks when the server is responsible, and notices exactly interval × maxMissedPings after they stop', async () => {
    const platformClock = manualClock()
    await start({ clock: platformClock, serverConnCheckInterval: 30 })
    const serverChecks: UserConfig = { connectivity: { ...fastReconnect.connectivity, checkConnectivity: true, method: { type: 'keepAlive', responsibleParty: 'server' }, maxMissedPings: 3 } }
    const { alice, advance, sockets } = await clockedClient(serverChecks)
    const events = recordEvents(alice)
    // The platform terminates a socket that leaves 3 of its connChecks unanswered: it sends a 5th only to a socket that answered.
    for (let check = 1; check <= 5; check++) {
      platformClock.advance(30_000)
      await until(() => count(sockets.sent, 'connAck') === check, `the connAck of connCheck ${check}`)
      expect(count(sockets.received, 'connCheck')).to.equal(check)
    }
    expect(events).not.to.include('ws:change')
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, reconnecting: false, method: { type: 'keepAlive', responsibleParty: 'server' } })

    // The last connCheck promised 30 s: silence is tolerated for 3 × 30 s on the SDK's clock.
    await platform().admin.stopConnectivity('alice@example.com')
    platformClock.advance(30_000)
    advance(89_999)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, reconnecting: false })
    advance(1)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: false, reconnecting: true })
    const reopened = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    await platform().admin.resumeConnectivity('alice@example.com')
    await reopened
    expect(sockets.opened).to.have.length(2)
  })

  it('keeps the socket when the platform promises a connCheck interval beyond the timers\' range, instead of declaring it lost at once', async () => {
    await start()
    // Real timers, not the virtual clock: a host timer past 2^31 − 1 ms fires at once, which a virtual clock would not show.
    const sockets: SocketLog = { opened: [], sent: [], received: [] }
    const serverChecks: UserConfig = { connectivity: { ...fastReconnect.connectivity, checkConnectivity: true, method: { type: 'keepAlive', responsibleParty: 'server' } } }
    const alice = await client('alice@example.com', serverChecks, ['chat'], { WebSocket: recordingSockets(sockets) })
    const events = recordEvents(alice)
    // 10^7 s × 3 missed checks: 3 × 10^10 ms.
    await platform().admin.send('alice@example.com', JSON.stringify({ connCheck: { interval: 1e7 } }))
    await until(() => count(sockets.sent, 'connAck') === 1, 'the connAck')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(events).not.to.include('ws:change')
    expect(sockets.opened).to.have.length(1)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, reconnecting: false })
  })

  it('tolerates at least one missed check when maxMissedPings is 0, instead of reopening the socket in a loop', async () => {
    await start()
    const serverChecks: UserConfig = { connectivity: { ...fastReconnect.connectivity, checkConnectivity: true, method: { type: 'keepAlive', responsibleParty: 'server' }, maxMissedPings: 0 } }
    const { alice, advance, sockets } = await clockedClient(serverChecks)
    // Before the platform's first connCheck the SDK waits one 120 s interval, not zero.
    advance(0)
    advance(119_999)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, reconnecting: false })
    expect(sockets.opened).to.have.length(1)
    advance(1)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: false, reconnecting: true })
  })

  it('switches connectivity checking on and off at run time', async () => {
    await start()
    const { alice, advance, sockets } = await clockedClient({ connectivity: { ...fastReconnect.connectivity, checkConnectivity: false, method: 'pingPong', pingInterval: 100, maxMissedPings: 2 } })
    await platform().admin.stopConnectivity('alice@example.com')
    // Checking is off (as configured): no pings, so none goes unanswered.
    advance(10_000)
    expect(sockets.sent).to.deep.equal([])
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, pinging: false })
    alice.connection.enableConnectivityChecking(true)
    // Pings at once and at 100 ms go unanswered; the one due at 200 ms finds the connection lost.
    advance(199)
    expect(count(sockets.sent, 'connCheck')).to.equal(2)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, pinging: true })
    advance(1)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: false, reconnecting: true })
    alice.connection.enableConnectivityChecking(false)
    await nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    advance(10_000)
    expect(count(sockets.sent, 'connCheck')).to.equal(2)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, pinging: false, checkConnectivity: false })
  })

  it('keeps checking as enableConnectivityChecking set it when updateConfig changes other settings', async () => {
    await start()
    const { alice, advance, sockets } = await clockedClient({ connectivity: { ...fastReconnect.connectivity, checkConnectivity: false, method: 'pingPong', pingInterval: 100 } })
    alice.connection.enableConnectivityChecking(true)
    advance(0)
    expect(count(sockets.sent, 'connCheck')).to.equal(1)
    // A setting that has nothing to do with checking: the run-time switch stays as the app set it.
    alice.updateConfig({ logs: { logLevel: 'silent' }, connectivity: { reconnectDelay: 60 } })
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ checkConnectivity: true, pinging: true })
    advance(200)
    expect(count(sockets.sent, 'connCheck')).to.equal(3)

    alice.connection.enableConnectivityChecking(false)
    alice.updateConfig({ logs: { logLevel: 'silent' } })
    advance(1000)
    expect(count(sockets.sent, 'connCheck')).to.equal(3)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ checkConnectivity: false, pinging: false })
    // Checking switched in the configuration itself still applies.
    alice.updateConfig({ connectivity: { checkConnectivity: true } })
    advance(0)
    expect(count(sockets.sent, 'connCheck')).to.equal(4)
  })

  it('recovers when the platform restarts with its state kept', async () => {
    await start()
    const alice = await client('alice@example.com')
    const channel = channelIdOf(alice)
    const opened = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true && (alice.connection.getSocketState('cpaas')?.failedAttempts ?? 0) === 0)
    await platform().restart({ downtime: 300 })
    await opened
    expect(channelIdOf(alice)).to.equal(channel)
    await notificationArrives(platform(), alice, 'alice@example.com', 'after the restart')
  })

  it('creates a new channel and subscribes again when a restart lost the channel', async () => {
    await start()
    const alice = await client('alice@example.com', fastReconnect, ['call', 'chat', 'smsinbound', 'presence'])
    const channel = channelIdOf(alice)
    const replaced = nextEvent(alice, 'subscription:change', () => channelIdOf(alice) !== channel && alice.connection.getSocketState('cpaas')?.connected === true)
    await platform().restart({ fresh: true })
    await replaced
    expect(alice.services.getSubscriptions().subscribed).to.have.members(['call', 'chat', 'smsinbound', 'presence'])
    const state = await platform().admin.state()
    expect([state.channels, state.sockets, state.subscriptions]).to.deep.equal([1, 1, 4])
    await notificationArrives(platform(), alice, 'alice@example.com', 'on the new channel')
  })

  it('gives up after reconnectLimit failed attempts: subscription:change { reason: LOST_CONNECTION } and subscription:error, channel forgotten; a later subscribe starts afresh', async () => {
    await start()
    const alice = await client('alice@example.com', { connectivity: { reconnectDelay: 20, reconnectLimit: 3 } })
    const channelURL = alice.connection.getSocketState('cpaas')?.channelURL ?? ''
    // The platform refuses every upgrade on this channel (the channel itself still exists).
    await platform().admin.fail({ prefix: channelURL, count: 100, status: 503 })
    const changed = nextEvent<{ reason?: string }>(alice, 'subscription:change', () => alice.services.getSubscriptions().subscribed.length === 0)
    const failed = nextEvent<{ error: unknown }>(alice, 'subscription:error')
    await platform().admin.dropSockets({ userId: 'alice@example.com' })
    // The original SDK's reason for dropping every service.
    expect(await changed).to.deep.equal({ reason: 'LOST_CONNECTION' })
    const { error } = await failed
    expect(isBasicError(error) && error.code).to.equal('subscription:1')
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: false, reconnecting: false, channelURL: undefined })

    await platform().admin.clearFaults()
    const done = nextEvent(alice, 'subscription:change', () => !alice.services.getSubscriptions().isPending)
    alice.services.subscribe(['chat'])
    await done
    expect(alice.connection.getSocketState('cpaas')?.channelURL).not.to.equal(channelURL)
    await notificationArrives(platform(), alice, 'alice@example.com', 'after giving up')
  })

  it('fails only the subscribe that cannot wait for a reconnecting socket: the channel, its services and the reconnection stay', async () => {
    await start()
    const alice = await client('alice@example.com', { connectivity: { reconnectDelay: 50, reconnectLimit: 0 }, subscription: { timeout: 1 } })
    const channelURL = alice.connection.getSocketState('cpaas')?.channelURL ?? ''
    await platform().admin.fail({ prefix: channelURL, count: 1000, status: 503 })
    await platform().admin.dropSockets({ userId: 'alice@example.com' })
    await until(() => alice.connection.getSocketState('cpaas')?.reconnecting === true, 'the reconnection')
    const failed = nextEvent<{ error: unknown }>(alice, 'subscription:error')
    alice.services.subscribe(['call'])
    const { error } = await failed
    expect(isBasicError(error) && error.code).to.equal('subscription:1')
    expect(alice.services.getSubscriptions()).to.deep.include({ subscribed: ['chat'], isPending: false })
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ channelURL, reconnecting: true })

    const reopened = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    await platform().admin.clearFaults()
    await reopened
    expect(alice.connection.getSocketState('cpaas')?.channelURL).to.equal(channelURL)
    await notificationArrives(platform(), alice, 'alice@example.com', 'after the failed subscribe')
  })

  it('does not reconnect when autoReconnect is off', async () => {
    await start()
    const { alice, advance, sockets } = await clockedClient({ connectivity: { autoReconnect: false } })
    const lost = nextEvent(alice, 'ws:change')
    await platform().admin.dropSockets({ userId: 'alice@example.com' })
    await lost
    // The platform lets go of the dropped socket once its closing handshake is over.
    while ((await platform().admin.state()).sockets > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    // Well past any reconnect delay: no new socket was even created.
    advance(10 * 60_000)
    expect(sockets.opened).to.have.length(1)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: false, reconnecting: false })
  })

  it('reports a malformed frame as notifications:error and keeps the socket going', async () => {
    await start()
    const alice = await client('alice@example.com')
    const events = recordEvents(alice)
    const errors: unknown[] = []
    alice.on('notifications:error', (payload) => errors.push(payload))
    await platform().admin.send('alice@example.com', '{"truncated":')
    await platform().admin.send('alice@example.com', '{"chatMessageNotification":null}')
    await platform().admin.send('alice@example.com', '[1,2]')
    await notificationArrives(platform(), alice, 'alice@example.com', 'still here')
    expect(errors.map((payload) => (payload as { channel: string; error: { code: unknown } }).error.code)).to.deep.equal([
      'SyntaxError',
      'INVALID_NOTIFICATION',
      'INVALID_NOTIFICATION',
    ])
    expect((errors[0] as { channel: string }).channel).to.equal('websocket')
    expect(events).not.to.include('ws:change')
    expect(alice.connection.getSocketState('cpaas')?.connected).to.equal(true)
  })
})
