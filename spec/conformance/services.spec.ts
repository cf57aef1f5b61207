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
