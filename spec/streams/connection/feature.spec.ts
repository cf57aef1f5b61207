import { expect } from 'chai'
import type { AddressInfo } from 'node:net'
import { filter, firstValueFrom, toArray, take, lastValueFrom, VirtualAction, VirtualTimeScheduler, type SchedulerLike } from 'rxjs'
import { WebSocket, WebSocketServer } from 'ws'
import { createAuth } from '../../../streams/auth/feature.js'
import { createConfig } from '../../../streams/config/feature.js'
import type { UserConfig } from '../../../streams/config/state.js'
import { createConnection, socketUrl } from '../../../streams/connection/feature.js'
import { baseUrl } from '../../../streams/connection/request.js'
import type { ConnectionEvent } from '../../../streams/connection/state.js'
import { createEnvironment, type WebSocketConstructor } from '../../../streams/environment.js'
import { BasicError } from '../../../streams/errors.js'
import { createLogs } from '../../../streams/logs/feature.js'

// The connection feature over a real WebSocket server on 127.0.0.1 (the platform's own
// behaviour is covered in spec/integration/connection/).

/** ws's WebSocket, each frame the client sends recorded in `sent`. */
const recording = (sent: unknown[]): WebSocketConstructor =>
  class extends WebSocket {
    override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
      sent.push(data)
      Reflect.apply(super.send, this, [data, ...rest])
    }
  } as unknown as WebSocketConstructor

const jwt = (payload: object): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`

describe('streams/connection/feature', () => {
  let server: WebSocketServer
  let port: number
  let upgrades: string[]
  let peers: WebSocket[]

  beforeEach(async () => {
    upgrades = []
    peers = []
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    server.on('connection', (socket, request) => {
      upgrades.push(request.url ?? '')
      peers.push(socket)
    })
    await new Promise((resolve) => server.once('listening', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterEach(async () => {
    for (const peer of peers) peer.terminate()
    await new Promise((resolve) => server.close(resolve))
  })

  /** A connection to the test server; `withoutWebSocket` gives it an environment with none, `scheduler` its timers' clock. */
  const make = (config: UserConfig = {}, withoutWebSocket = false, scheduler?: SchedulerLike) => {
    const configFeature = createConfig({ logs: { logLevel: 'silent' }, authentication: { server: { base: '127.0.0.1', protocol: 'http', port } }, ...config })
    const sent: unknown[] = []
    const environment = createEnvironment({ WebSocket: withoutWebSocket ? undefined : recording(sent), scheduler })
    const logs = createLogs(configFeature, environment)
    const auth = createAuth({ logs })
    auth.commands.setTokens({ accessToken: 'tok en/+=', idToken: jwt({ preferred_username: 'alice@example.com' }) })
    const connection = createConnection({ config: configFeature, environment, logs, auth })
    const events: ConnectionEvent['type'][] = []
    connection.events$.subscribe((event) => events.push(event.type))
    return { connection, auth, config: configFeature, events, sent }
  }

  it('builds ws: for http and wss: otherwise, with the token percent-encoded as access_token', () => {
    const server = { base: 'api.example.com', protocol: 'http', port: 8080, version: 'v1' } as const
    expect(socketUrl(baseUrl(server) ?? '', '/c/1/websocket', 'a b+/=')).to.equal('ws://api.example.com:8080/c/1/websocket?access_token=a%20b%2B%2F%3D')
    expect(socketUrl(baseUrl({ ...server, protocol: 'https', port: 443 }) ?? '', '/c/1?x=1', 't')).to.equal('wss://api.example.com:443/c/1?x=1&access_token=t')
  })

  it('opens one socket on the channel path with the current token, and connect to the same path again reuses it', async () => {
    const { connection, events } = make()
    await firstValueFrom(connection.commands.connect('/channels/c1/websocket'))
    await firstValueFrom(connection.commands.connect('/channels/c1/websocket'))
    expect(upgrades).to.deep.equal(['/channels/c1/websocket?access_token=tok%20en%2F%2B%3D'])
    expect(events).to.deep.equal(['connecting', 'opened'])
    expect(connection.current()).to.deep.include({ platform: 'cpaas', connected: true, channelURL: '/channels/c1/websocket', pinging: true })
    connection.dispose()
  })

  it('reconnects with the newest token, given by setTokens after the socket opened', async () => {
    const { connection, auth } = make({ connectivity: { reconnectDelay: 10 } })
    await firstValueFrom(connection.commands.connect('/channels/c1/websocket'))
    auth.commands.setTokens({ accessToken: 'newer', idToken: jwt({ preferred_username: 'alice@example.com' }) })
    const reopened = firstValueFrom(connection.events$.pipe(take(3), toArray()))
    peers[0]?.close(1001, 'going away')
    expect((await reopened).map((event) => event.type)).to.deep.equal(['lost', 'reconnecting', 'opened'])
    expect(upgrades).to.deep.equal(['/channels/c1/websocket?access_token=tok%20en%2F%2B%3D', '/channels/c1/websocket?access_token=newer'])
    connection.dispose()
  })

  it('sends keepAlive pings when checking is switched on by updateConfig, and stops when switched off', async () => {
    // The pings' timer runs on a virtual clock: each flush runs it 130 ms further.
    const clock = new VirtualTimeScheduler(VirtualAction, 130)
    const { connection, config, sent } = make({ connectivity: { pingInterval: 50 } }, false, clock)
    await firstValueFrom(connection.commands.connect('/channels/c1/websocket'))
    config.update({ connectivity: { checkConnectivity: true } })
    expect(connection.current()).to.deep.include({ checkConnectivity: true, pinging: true })
    clock.flush()
    // A ping at once, then at 50 and 100 ms.
    expect(sent).to.deep.equal(['{"message_type":"ping"}', '{"message_type":"ping"}', '{"message_type":"ping"}'])
    config.update({ connectivity: { checkConnectivity: false } })
    clock.maxFrames = 260
    clock.flush()
    expect(sent).to.have.length(3)
    expect(connection.current().pinging).to.equal(false)
    connection.dispose()
  })

  it('follows a new ping interval or method from updateConfig, and says nothing when other settings change', () => {
    const { connection, config, events } = make()
    config.update({ connectivity: { reconnectDelay: 10 } })
    expect(events).to.deep.equal([])
    config.update({ connectivity: { pingInterval: 1000 } })
    expect(connection.current().pingInterval).to.equal(1000)
    config.update({ connectivity: { method: { type: 'pingPong', responsibleParty: 'client' } } })
    expect(connection.current().method).to.deep.equal({ type: 'pingPong', responsibleParty: 'client' })
    expect(events).to.deep.equal(['settingsChanged', 'settingsChanged'])
    connection.dispose()
  })

  it('checks when enableConnectivityChecking(true) says so, even with checkConnectivity false in the config', async () => {
    // The pings' timer runs on a virtual clock: each flush runs it up to 100 ms.
    const clock = new VirtualTimeScheduler(VirtualAction, 100)
    const { connection, sent } = make({ connectivity: { pingInterval: 20, checkConnectivity: false } }, false, clock)
    await firstValueFrom(connection.commands.connect('/channels/c1/websocket'))
    clock.flush()
    expect(sent).to.deep.equal([])
    connection.commands.enableConnectivityChecking(true)
    clock.flush()
    // A ping at once, then one every 20 ms up to 100.
    expect(sent).to.deep.equal(Array.from({ length: 6 }, () => JSON.stringify({ message_type: 'ping' })))
    connection.dispose()
  })

  it('declares the connection lost only after maxMissedPings unanswered connChecks', async () => {
    // A connCheck every 30 ms that the peer never answers, on a virtual clock run up to 300 ms: lost at 150 ms with 5, still open with 100.
    const clock = new VirtualTimeScheduler(VirtualAction, 300)
    const pingPong = { method: { type: 'pingPong', responsibleParty: 'client' }, pingInterval: 30, autoReconnect: false } as const
    const patient = make({ connectivity: { ...pingPong, maxMissedPings: 100 } }, false, clock)
    await firstValueFrom(patient.connection.commands.connect('/channels/c1/websocket'))
    const impatient = make({ connectivity: { ...pingPong, maxMissedPings: 5 } }, false, clock)
    await firstValueFrom(impatient.connection.commands.connect('/channels/c2/websocket'))
    clock.flush()
    expect(impatient.events).to.deep.equal(['connecting', 'opened', 'lost'])
    expect(impatient.sent).to.have.length(5)
    expect(patient.events).to.deep.equal(['connecting', 'opened'])
    expect(patient.sent).to.have.length(11)
    patient.connection.dispose()
    impatient.connection.dispose()
  })

  it('reports the loss of an open socket it may not reconnect as lost, not as gave up', async () => {
    const { connection, events } = make({ connectivity: { autoReconnect: false } })
    await firstValueFrom(connection.commands.connect('/channels/c1/websocket'))
    const lost = firstValueFrom(connection.events$.pipe(filter((event) => event.type === 'lost' || event.type === 'gaveUp')))
    peers[0]?.close(1001, 'going away')
    expect(await lost).to.deep.include({ type: 'lost', reconnecting: false })
    expect(events).to.deep.equal(['connecting', 'opened', 'lost'])
    connection.dispose()
  })

  it('completes a second connect to a channel still opening only once it is open', async () => {
    const { connection } = make()
    const opened: boolean[] = []
    const first = firstValueFrom(connection.commands.connect('/channels/c1/websocket'))
    const second = firstValueFrom(connection.commands.connect('/channels/c1/websocket')).then(() => opened.push(connection.current().connected))
    await Promise.all([first, second])
    expect(opened).to.deep.equal([true])
    expect(upgrades).to.have.length(1)
    connection.dispose()
  })

  it('follows a new idCacheLength at run time', async () => {
    const { connection, config } = make({ notifications: { idCacheLength: 5 } })
    await firstValueFrom(connection.commands.connect('/channels/c1/websocket'))
    const ids: string[] = []
    connection.notifications$.subscribe((notification) => ids.push(notification.id))
    config.update({ notifications: { idCacheLength: 1 } })
    for (const id of ['a', 'b', 'a', 'a', 'end']) peers[0]?.send(JSON.stringify({ chatMessageNotification: { id } }))
    // The frames arrive in order: once the last one is through, so are the others.
    await firstValueFrom(connection.notifications$.pipe(filter((notification) => notification.id === 'end')))
    // With a window of one id, 'a' is new again after 'b', then a duplicate of itself.
    expect(ids).to.deep.equal(['a', 'b', 'a', 'end'])
    connection.dispose()
  })

  it('says clearly when the environment has no WebSocket', async () => {
    const { connection, events } = make({}, true)
    const error = await firstValueFrom(connection.commands.connect('/channels/c1/websocket')).catch((failure: unknown) => failure)
    expect(error).to.be.instanceOf(BasicError)
    expect((error as BasicError).code).to.equal('subscription:1')
    expect((error as BasicError).message).to.contain('no WebSocket in the environment')
    expect(events).to.deep.equal(['connecting', 'gaveUp'])
    connection.dispose()
  })

  it('closes the socket on disconnect and on dispose, completing its streams', async () => {
    const { connection, events } = make()
    await firstValueFrom(connection.commands.connect('/channels/c1/websocket'))
    const closed = new Promise((resolve) => peers[0]?.once('close', resolve))
    connection.commands.disconnect()
    await closed
    expect(events.slice(-1)).to.deep.equal(['closed'])
    expect(connection.current()).to.deep.include({ connected: false, channelURL: undefined })

    await firstValueFrom(connection.commands.connect('/channels/c2/websocket'))
    const closedAgain = new Promise((resolve) => peers[1]?.once('close', resolve))
    const completed = lastValueFrom(connection.state$.pipe(toArray()))
    connection.dispose()
    await closedAgain
    expect((await completed).length).to.be.greaterThan(0)
  })
})
