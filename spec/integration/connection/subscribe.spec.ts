import { expect } from 'chai'
import { WebSocket } from 'ws'
import { create } from '../../../lib/index.js'
import type { EventName } from '../../../lib/events.js'
import type { WebSocketConstructor } from '../../../streams/environment.js'
import { isBasicError } from '../../../streams/errors.js'
import { allServices, createTestClient, nextEvent, testConfig, useDisposedAfterEach, type TestClient } from '../../helpers/client.js'
import { usePlatformPerTest, type TestPlatform } from '../../helpers/platform.js'
import { noUnhandledErrors } from './unhandled.js'

// The documented client against the local platform over real HTTP and a real WebSocket.

/** Retries `check` until it passes (or fails after `timeout` ms). */
async function eventually(check: () => Promise<void> | void, timeout = 3000): Promise<void> {
  const until = Date.now() + timeout
  for (;;) {
    try {
      await check()
      return
    } catch (error) {
      if (Date.now() > until) throw error
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}

interface Sent {
  readonly method: string
  readonly url: string
  readonly body: string | undefined
  /** The JSON the platform answered with. */
  answer?: unknown
}

/** A logged-in client (no subscription yet) whose HTTP requests, socket URLs and events are recorded. */
async function recordedClient(platform: TestPlatform, userId: string) {
  const tokens = await platform.login(userId)
  const sent: Sent[] = []
  const sockets: string[] = []
  const events: Array<[EventName, unknown]> = []
  class RecordedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      sockets.push(url)
      super(url, protocols)
    }
  }
  const client = create(testConfig(platform, userId), {
    WebSocket: RecordedWebSocket as unknown as WebSocketConstructor,
    fetch: async (input, init) => {
      const request: Sent = { method: init?.method ?? 'GET', url: String(input), body: typeof init?.body === 'string' ? init.body : undefined }
      sent.push(request)
      const response = await fetch(input, init)
      request.answer = await response
        .clone()
        .json()
        .catch(() => undefined)
      return response
    },
  })
  client.subscribe((type, [payload]) => events.push([type, payload]))
  client.setTokens({ accessToken: tokens.accessToken, idToken: tokens.idToken })
  await nextEvent(client, 'auth:change').catch(() => undefined)
  return { client, tokens, sent, sockets, events }
}

/** Subscribes and resolves at the final `subscription:change`. */
async function subscribe(client: TestClient | ReturnType<typeof create>, services: string[]): Promise<void> {
  const done = nextEvent(client, 'subscription:change', () => !client.services.getSubscriptions().isPending)
  client.services.subscribe(services)
  await done
}

describe('integration: connection, subscription and authentication', () => {
  noUnhandledErrors()
  const clients = useDisposedAfterEach<{ dispose(): void }>()
  // A platform per test, so that its counts of channels, sockets and subscriptions are this test's.
  const platform = usePlatformPerTest()

  it('logs in with the token endpoint and reports the user from the id token', async () => {
    const alice = await createTestClient(platform(), 'alice@example.com', { services: [] })
    clients.push(alice)
    expect(alice.getUserInfo()).to.deep.equal({
      username: alice.tokens.userId,
      token: alice.tokens.accessToken,
      accessToken: alice.tokens.accessToken,
      identity: 'alice@example.com',
    })
  })

  it('subscribes every service over one channel and one socket, with the exact wire requests', async () => {
    const { client, tokens, sent, sockets, events } = await recordedClient(platform(), 'alice@example.com')
    clients.push(client)
    await subscribe(client, ['call', 'Chat', 'smsinbound', 'presence'])

    expect(client.services.getSubscriptions()).to.deep.include({ isPending: false })
    expect(client.services.getSubscriptions().subscribed).to.have.members([...allServices])
    expect(client.services.getSubscriptions().available).to.have.members([...allServices])
    const state = await platform().admin.state()
    expect([state.channels, state.sockets, state.subscriptions]).to.deep.equal([1, 1, 4])

    const base = platform().url
    const correlator = client.getConfig().authentication.clientCorrelator
    expect(correlator).to.be.a('string').and.not.equal('')
    const channel = sent.find((request) => request.url.endsWith('/channels'))
    expect(channel).to.deep.include({
      method: 'POST',
      url: `${base}/cpaas/notificationchannel/v1/${tokens.userId}/channels`,
      body: `{"notificationChannel":{"channelLifetime":3600,"channelType":"Websockets","clientCorrelator":"${correlator}","x-connCheckRole":"client"}}`,
    })
    const socketState = client.connection.getSocketState('cpaas')
    expect(sockets).to.deep.equal([`ws://127.0.0.1:${platform().port}${socketState?.channelURL}?access_token=${encodeURIComponent(tokens.accessToken)}`])
    const { callbackURL } = (channel?.answer as { notificationChannel: { callbackURL: string } }).notificationChannel
    const body = (path: string): unknown => JSON.parse(sent.find((request) => request.url === `${base}${path}`)?.body ?? 'null')
    const reference = { callbackReference: { notifyURL: callbackURL }, clientCorrelator: correlator }
    expect(body(`/cpaas/webrtcsignaling/v1/${tokens.userId}/subscriptions`)).to.deep.equal({ wrtcsNotificationSubscription: reference })
    expect(body(`/cpaas/chat/v1/${tokens.userId}/subscriptions`)).to.deep.equal({ chatNotificationSubscription: reference })
    expect(body(`/cpaas/smsmessaging/v1/${tokens.userId}/inbound/subscriptions`)).to.deep.equal({ subscription: reference })
    expect(body(`/cpaas/webrtcsignaling/v1/${tokens.userId}/turn`)).to.deep.equal({ wrtcsTurnCredentials: { clientCorrelator: correlator } })
    const presence = sent.find((request) => request.url.includes('/presenceListSubscriptions/'))
    expect(JSON.parse(presence?.body ?? 'null')).to.deep.equal({ presenceListSubscription: { ...reference, duration: 86400 } })

    const names = events.map(([type]) => type).filter((type) => type !== 'auth:change')
    expect(names).to.deep.equal(['subscription:change', 'ws:change', 'ws:change', 'subscription:change'])
    expect(events.find(([type]) => type === 'ws:change')?.[1]).to.deep.equal({ platform: 'cpaas' })
    expect(socketState).to.deep.include({ platform: 'cpaas', connected: true, pinging: true, reconnecting: false })
  })

  it('delivers a notification from a real action, once, as notification:received', async () => {
    const alice = await createTestClient(platform(), 'alice@example.com', { services: ['chat'] })
    const bob = await createTestClient(platform(), 'bob@example.com', { services: [] })
    clients.push(alice, bob)
    const received = nextEvent<{ payload: Record<string, unknown> }>(alice, 'notification:received', ({ payload }) => 'chatMessageNotification' in payload)
    const response = await platform().fetchAs(bob.tokens, 'POST', `/cpaas/chat/v1/${bob.tokens.userId}/oneToOne/alice@example.com/adhoc/messages`, {
      chatMessage: { text: 'hello' },
    })
    expect(response.status).to.be.within(200, 299)
    const { payload } = await received
    expect(JSON.stringify(payload)).to.contain('hello')
  })

  it('drops a notification whose id it has already seen', async () => {
    const alice = await createTestClient(platform(), 'alice@example.com', { services: ['chat'] })
    clients.push(alice)
    const ids: string[] = []
    alice.on('notification:received', (payload) => ids.push(Object.values((payload as { payload: Record<string, { id: string }> }).payload)[0]?.id ?? '?'))
    const frame = (id: string) => JSON.stringify({ chatMessageNotification: { id, chatMessage: { 'x-type': 'outbound' } } })
    for (const id of ['n1', 'n2', 'n1', 'n3', 'n2']) await platform().admin.send('alice@example.com', frame(id))
    await eventually(() => {
      expect(ids).to.deep.equal(['n1', 'n2', 'n3'])
    })
  })

  it('unsubscribes only the named services; the last one closes the socket and deletes the channel', async () => {
    const alice = await createTestClient(platform(), 'alice@example.com')
    clients.push(alice)
    const wsChanges: unknown[] = []
    alice.on('ws:change', (payload) => wsChanges.push(payload))

    const first = nextEvent(alice, 'subscription:change', () => !alice.services.getSubscriptions().isPending)
    alice.services.unsubscribe(['CHAT', 'presence'])
    await first
    expect(alice.services.getSubscriptions().subscribed).to.have.members(['call', 'smsinbound'])
    expect((await platform().admin.state()).subscriptions).to.equal(2)
    expect(alice.connection.getSocketState('cpaas')?.connected).to.equal(true)

    const last = nextEvent(alice, 'subscription:change', () => !alice.services.getSubscriptions().isPending)
    alice.services.unsubscribe(['call', 'smsinbound'])
    await last
    expect(alice.services.getSubscriptions().subscribed).to.deep.equal([])
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ connected: false, channelURL: undefined })
    expect(wsChanges).to.deep.equal([{ platform: 'cpaas' }])
    await eventually(async () => {
      const state = await platform().admin.state()
      expect([state.channels, state.sockets, state.subscriptions]).to.deep.equal([0, 0, 0])
    })

    await subscribe(alice, ['chat'])
    expect(alice.services.getSubscriptions().subscribed).to.deep.equal(['chat'])
    expect((await platform().admin.state()).channels).to.equal(1)
  })

  it('reports bad requests as subscription:error with a BAD_INPUT BasicError', async () => {
    const alice = await createTestClient(platform(), 'alice@example.com', { services: [] })
    clients.push(alice)
    for (const [services, type] of [[[], undefined], [['voicemail'], undefined], [['chat'], 'push']] as const) {
      const failed = nextEvent<{ error: unknown }>(alice, 'subscription:error')
      alice.services.subscribe([...services], type)
      const { error } = await failed
      expect(isBasicError(error) && error.code).to.equal('BAD_INPUT')
    }
    const none = nextEvent<{ error: unknown }>(alice, 'subscription:error')
    alice.services.unsubscribe(['chat'])
    expect(isBasicError((await none).error) && (await none).error).to.deep.include({ code: 'BAD_INPUT' })
    expect((await platform().admin.state()).channels).to.equal(0)
  })

  it('checks the arguments of the connection namespace', async () => {
    const alice = await createTestClient(platform(), 'alice@example.com', { services: [] })
    clients.push(alice)
    // As the original SDK: a platform without a socket (the default 'link') gives an Error, returned.
    for (const state of [alice.connection.getSocketState(), alice.connection.getSocketState('link')]) {
      expect(state).to.be.an.instanceOf(Error).with.property('message', 'No sockets are up. Have you attempted to connect?')
    }
    expect(() => alice.connection.getSocketState(5 as unknown as string)).to.throw().with.property('code', 'BAD_INPUT')
    expect(() => alice.connection.enableConnectivityChecking('yes' as unknown as boolean)).to.throw().with.property('code', 'BAD_INPUT')
    alice.connection.enableConnectivityChecking(true)
    expect(alice.connection.getSocketState('cpaas')).to.deep.include({ checkConnectivity: true, pinging: false })
  })

  it('closes its socket when disposed', async () => {
    const alice = await createTestClient(platform(), 'alice@example.com', { services: ['call'] })
    expect((await platform().admin.state()).sockets).to.equal(1)
    alice.dispose()
    await eventually(async () => {
      expect((await platform().admin.state()).sockets).to.equal(0)
    })
  })
})
