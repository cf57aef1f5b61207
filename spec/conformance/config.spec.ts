import { conformanceSuite, justify } from './harness.js'
import { asAlice } from './steps.js'

// The original's members the documented API lacks, and the documented key it leaves out.
const undocumented = 'not in the documented API (seed/api-reference.md, the 4.8 API kandy-rx implements); the original ships it undocumented'
const enableGrouping = 'documented by the reference (logs.enableGrouping, default true); the original leaves it out of getConfig()'

conformanceSuite('conformance: configuration and the client surface', (scenario) => {
  scenario('the client has the same members and namespace functions', {
    name: 'surface',
    justified: [
      ...justify(
        ['call.directTransfer', 'call.forward', 'connect', 'disconnect', 'disconnectReasons', 'getCapabilities', 'getConnection', 'getServices', 'getVersion', 'notification', 'services.resubscribe', 'state', 'subscriptionStates', 'updateConnection', 'updateToken'].map((member) => `alice.steps.members.${member}`),
        undocumented,
      ),
      { path: 'alice.steps.members.dispose', reason: 'kandy-rx addition: ends every stream, timer, socket and peer connection of the client (DESIGN.md principle 8)' },
      { path: 'alice.steps.members.destroy', reason: 'kandy-rx addition: the same as dispose' },
      { path: 'alice.steps.members.messaging', reason: 'kandy-rx addition: the reference calls the namespace Messaging; client.messaging is an alias of client.conversation' },
    ],
    run: asAlice({}, async (alice) => {
      await alice.step('members', (client) =>
        Object.fromEntries(
          Object.keys(client)
            .sort()
            .map((key) => {
              const member = client[key]
              const inside = typeof member === 'object' && member !== null ? Object.fromEntries(Object.keys(member).map((name) => [name, typeof (member as Record<string, unknown>)[name]])) : undefined
              return [key, inside ?? typeof member]
            }),
        ),
      )
      await alice.step('logger.levels', (client) => (client as unknown as { logger: { levels: unknown } }).logger.levels)
      await alice.step('getBrowserDetails', (client) => client.getBrowserDetails())
    }),
  })

  scenario('getConfig returns the configuration with every default filled in', {
    name: 'getConfig',
    justified: [
      { path: 'alice.steps.getConfig.connectivity.method.type', reason: '4.9 change (KAA-2007): the original 4.9 checks with pingPong; kandy-rx keeps the 4.8 default keepAlive (protocol/channel-and-subscriptions.md §4), which the platform serves the same way' },
      { path: 'alice.steps.getConfig.logs.enableGrouping', reason: enableGrouping },
    ],
    run: asAlice({}, async (alice) => {
      await alice.step('getConfig', (client) => client.getConfig())
    }),
  })

  scenario('updateConfig merges objects, replaces values, and getConfig shows the result', {
    name: 'updateConfig',
    justified: [
      ...justify(['alice.steps.getConfig.logs.enableGrouping', 'alice.steps.getConfig again.enableGrouping'], enableGrouping),
    ],
    run: asAlice({}, async (alice) => {
      await alice.step('updateConfig', (client) => client.updateConfig({ logs: { logLevel: 'error' }, call: { iceServers: [{ urls: 'stun:127.0.0.1:3478' }] } }))
      await alice.step('getConfig', (client) => {
        const { logs, call } = client.getConfig()
        return { logs, call }
      })
      await alice.step('updateConfig(nothing)', (client) => client.updateConfig({}))
      await alice.step('getConfig again', (client) => client.getConfig().logs)
    }),
  })

  scenario('bad input: updateConfig with a non-object, on() with an unknown event', {
    name: 'config bad input',
    justified: [
      { path: 'alice.steps.updateConfig(string)', reason: 'bad input: the original ignores it silently; kandy-rx throws a BasicError BAD_INPUT (public API misuse gives a BasicError)' },
      { path: 'alice.steps.on(unknown event)', reason: 'bad input: the reference documents "Throws Error: Invalid event type", which kandy-rx does; the original 4.9 accepts any name' },
    ],
    run: asAlice({}, async (alice) => {
      await alice.step('updateConfig(string)', (client) => (client.updateConfig as (value: unknown) => unknown)('nope'))
      await alice.step('on(unknown event)', (client) => (client.on as (type: string, listener: () => void) => void)('no:such-event', () => undefined))
      await alice.step('subscribe(not a function)', (client) => (client.subscribe as (listener: unknown) => void)('nope'))
    }),
  })
})
