import { expect } from 'chai'
import type { EventName } from '../../../lib/events.js'
import type { UserConfig } from '../../../streams/config/state.js'
import { isBasicError } from '../../../streams/errors.js'
import { createTestClient, nextEvent, type TestClient } from '../../helpers/client.js'
import { startTestPlatform, type TestPlatform } from '../../helpers/platform.js'
import type { PlatformOptions } from '../../../platform/index.js'
import { noUnhandledErrors } from './unhandled.js'

// Faults of the real platform (sockets dropped, pings unanswered, restarts, refused upgrades)
// and how the SDK recovers, over real HTTP and WebSocket. Short real delays only where the
// SDK's own timers must run (reconnect delay 50 ms, ping interval 200 ms).

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
  const client = async (userId: string, config: UserConfig = fastReconnect, services: string[] = ['chat']): Promise<TestClient> => {
    const made = await createTestClient(platform(), userId, { services, config })
    clients.push(made)
    return made
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

  it('notices unanswered pings within pingInterval × maxMissedPings (pingPong) and reconnects', async () => {
    await start()
    const pingPong: UserConfig = { connectivity: { ...fastReconnect.connectivity, checkConnectivity: true, method: 'pingPong', pingInterval: 200, maxMissedPings: 3 } }
    const alice = await client('alice@example.com', pingPong)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ pinging: true, method: { type: 'pingPong', responsibleParty: 'client' } })
    // Answered pings keep the socket up.
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, reconnecting: false })

    const lost = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === false)
    const stopped = Date.now()
    await platform().admin.stopConnectivity('alice@example.com')
    await lost
    const noticed = Date.now() - stopped
    // At least two intervals of silence, at most maxMissedPings + 1 intervals (plus scheduling slack).
    expect(noticed).to.be.at.least(400)
    expect(noticed).to.be.below(200 * 4 + 1500)

    const reopened = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    await platform().admin.resumeConnectivity('alice@example.com')
    await reopened
    await notificationArrives(platform(), alice, 'alice@example.com', 'after the pings')
  })

  it('answers the platform connChecks when the server is responsible, and notices when they stop', async () => {
    await start({ serverConnCheckInterval: 0.2 })
    const serverChecks: UserConfig = { connectivity: { ...fastReconnect.connectivity, checkConnectivity: true, method: { type: 'keepAlive', responsibleParty: 'server' }, maxMissedPings: 3 } }
    const alice = await client('alice@example.com', serverChecks)
    const events = recordEvents(alice)
    // The platform terminates a socket that leaves 3 of its connChecks unanswered (0.6 s here).
    await new Promise((resolve) => setTimeout(resolve, 900))
    expect(events).not.to.include('ws:change')
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, reconnecting: false, method: { type: 'keepAlive', responsibleParty: 'server' } })

    const lost = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === false)
    await platform().admin.stopConnectivity('alice@example.com')
    await lost
    const reopened = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    await platform().admin.resumeConnectivity('alice@example.com')
    await reopened
  })

  it('switches connectivity checking on and off at run time', async () => {
    await start()
    const alice = await client('alice@example.com', { connectivity: { ...fastReconnect.connectivity, checkConnectivity: false, method: 'pingPong', pingInterval: 100, maxMissedPings: 2 } })
    await platform().admin.stopConnectivity('alice@example.com')
    // Checking is off (as configured): unanswered pings go unnoticed.
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, pinging: false })
    const lost = nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === false)
    alice.connection.enableConnectivityChecking(true)
    await lost
    alice.connection.enableConnectivityChecking(false)
    await nextEvent(alice, 'ws:change', () => alice.connection.getSocketState('cpaas')?.connected === true)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: true, pinging: false, checkConnectivity: false })
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

  it('gives up after reconnectLimit failed attempts: subscription:change and subscription:error, channel forgotten; a later subscribe starts afresh', async () => {
    await start()
    const alice = await client('alice@example.com', { connectivity: { reconnectDelay: 20, reconnectLimit: 3 } })
    const channelURL = alice.connection.getSocketState('cpaas')?.channelURL ?? ''
    // The platform refuses every upgrade on this channel (the channel itself still exists).
    await platform().admin.fail({ prefix: channelURL, count: 100, status: 503 })
    const changed = nextEvent(alice, 'subscription:change', () => alice.services.getSubscriptions().subscribed.length === 0)
    const failed = nextEvent<{ error: unknown }>(alice, 'subscription:error')
    await platform().admin.dropSockets({ userId: 'alice@example.com' })
    await changed
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

  it('does not reconnect when autoReconnect is off', async () => {
    await start()
    const alice = await client('alice@example.com', { connectivity: { autoReconnect: false } })
    const lost = nextEvent(alice, 'ws:change')
    await platform().admin.dropSockets({ userId: 'alice@example.com' })
    await lost
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: false, reconnecting: false })
    expect((await platform().admin.state()).sockets).to.equal(0)
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
