import { conformanceSuite } from './harness.js'
import { asAlice } from './steps.js'

conformanceSuite('conformance: services (subscribe, unsubscribe, getSubscriptions) and connection', (scenario) => {
  scenario('subscribes to every service, unsubscribes one, then all (the socket closes)', {
    name: 'services',
    run: asAlice({}, async (alice) => {
      await alice.step('getSubscriptions before', (client) => client.services.getSubscriptions())
      await alice.step('getSocketState before', (client) => client.connection.getSocketState())
      await alice.step('subscribe', (client) => client.services.subscribe(['call', 'chat', 'smsinbound', 'presence'], 'websocket'))
      await alice.until((client) => client.services.getSubscriptions().subscribed.length === 4 && !client.services.getSubscriptions().isPending)
      await alice.settle()
      // Sorted: services finish subscribing in any order, in both SDKs.
      await alice.step('getSubscriptions subscribed', (client) => ({ ...client.services.getSubscriptions(), subscribed: [...client.services.getSubscriptions().subscribed].sort() }))
      await alice.step('getSocketState open', (client) => client.connection.getSocketState())
      await alice.step('unsubscribe chat', (client) => client.services.unsubscribe(['chat']))
      await alice.until((client) => !client.services.getSubscriptions().subscribed.includes('chat') && !client.services.getSubscriptions().isPending)
      await alice.settle()
      await alice.step('getSubscriptions without chat', (client) => ({ ...client.services.getSubscriptions(), subscribed: [...client.services.getSubscriptions().subscribed].sort() }))
      await alice.step('unsubscribe all', (client) => client.services.unsubscribe(['call', 'smsinbound', 'presence']))
      await alice.until((client) => client.services.getSubscriptions().subscribed.length === 0 && !client.services.getSubscriptions().isPending)
      await alice.settle(500)
      await alice.step('getSubscriptions none', (client) => client.services.getSubscriptions())
      await alice.step('getSocketState closed', (client) => client.connection.getSocketState())
    }),
  })

  scenario('connection.enableConnectivityChecking is silent both ways; getSocketState(\'link\') is an Error', {
    name: 'enableConnectivityChecking',
    run: asAlice({ services: ['chat'] }, async (alice) => {
      await alice.step('disable', (client) => client.connection.enableConnectivityChecking(false))
      await alice.step('enable', (client) => client.connection.enableConnectivityChecking(true))
      await alice.settle()
      await alice.step('getSocketState', (client) => client.connection.getSocketState('link'))
    }),
  })

  scenario('reconnection that gives up drops every service with subscription:change { reason: LOST_CONNECTION }', {
    name: 'reconnection gives up',
    justified: [
      { path: 'alice.events.subscription.order', reason: 'kandy-rx adds subscription:error after the subscription:change when reconnection gives up (the known addition; channel §5 lists none)' },
      { path: 'alice.events.subscription.subscription:error', reason: 'as above: the subscription:error kandy-rx adds when reconnection gives up' },
    ],
    // keepAlive every 100 ms: the original notices the dropped socket at its next ping.
    run: async ({ open, platform }) => {
      const alice = await open('alice@example.com', { services: ['chat'], config: { connectivity: { method: 'keepAlive', pingInterval: 100, reconnectDelay: 50, reconnectLimit: 2 } } })
      await platform.admin.fail({ prefix: '/cpaas/notificationchannel/v1/alice@example.com/channels/', count: 100, status: 503 })
      await platform.admin.dropSockets({ userId: 'alice@example.com' })
      await alice.until((client) => client.services.getSubscriptions().subscribed.length === 0)
      await alice.settle(500)
      await alice.step('getSubscriptions after giving up', (client) => client.services.getSubscriptions())
    },
  })

  scenario('autoReconnect off: a first WebSocket attempt that fails is tried again, and the subscription succeeds', {
    name: 'autoReconnect off, first attempt refused',
    run: async ({ open, platform }) => {
      const alice = await open('alice@example.com', { config: { connectivity: { autoReconnect: false, reconnectDelay: 50, reconnectLimit: 3 } } })
      await platform.admin.fail({ prefix: '/cpaas/notificationchannel/v1/alice@example.com/channels/', count: 1, status: 503 })
      await alice.step('subscribe', (client) => client.services.subscribe(['chat']))
      await alice.until((client) => !client.services.getSubscriptions().isPending)
      await alice.settle(500)
      await alice.step('getSubscriptions', (client) => client.services.getSubscriptions())
      await alice.step('connected', (client) => (client.connection.getSocketState('cpaas') as { connected?: boolean }).connected)
    },
  })

  scenario('bad input: unknown services, unsubscribing what is not subscribed', {
    name: 'services bad input',
    justified: [
      { path: 'alice.events.subscription', reason: 'bad input: for no valid service the original still runs a request (subscription:change at its start and end) before subscription:error; kandy-rx checks first and reports subscription:error BAD_INPUT alone' },
      { path: 'alice.events.ws', reason: 'bad input: the original creates a notification channel and opens its WebSocket (ws:change twice) for a subscription that has no valid service and ends in subscription:error; kandy-rx refuses the input before any request, so no socket opens for nothing' },
    ],
    run: asAlice({}, async (alice) => {
      await alice.step('subscribe(unknown)', (client) => client.services.subscribe(['nothing']))
      await alice.settle(1000)
      await alice.step('unsubscribe(not subscribed)', (client) => client.services.unsubscribe(['chat']))
      await alice.settle(1000)
      await alice.step('getSubscriptions', (client) => client.services.getSubscriptions())
    }),
  })
})
