import { conformanceSuite } from './harness.js'
import { asAlice, asAliceAndBob } from './steps.js'

conformanceSuite('conformance: presence', (scenario) => {
  scenario('update, getSelf, statuses and activities', {
    name: 'presence self',
    run: asAlice({ services: ['presence'] }, async (alice) => {
      await alice.step('statuses', (client) => client.presence.statuses)
      await alice.step('activities', (client) => client.presence.activities)
      await alice.step('getSelf before', (client) => client.presence.getSelf())
      await alice.step('update', (client) => client.presence.update(client.presence.statuses.OPEN, client.presence.activities.AVAILABLE))
      await alice.quiet()
      await alice.step('getSelf', (client) => client.presence.getSelf())
      await alice.step('update other', (client) => client.presence.update(client.presence.statuses.OPEN, client.presence.activities.ACTIVITIES_OTHER, 'in a meeting'))
      await alice.quiet()
      await alice.step('getSelf other', (client) => client.presence.getSelf())
    }),
  })

  scenario('subscribe, fetch, get (one id and a list), getAll, presence:change, unsubscribe', {
    name: 'presence of others',
    justified: [
      { path: 'bob.events.presence', reason: 'Recommendation (protocol/presence-groups-users.md §1.3): a finished presence.fetch emits presence:change per fetched user; the original emits nothing, so its pages poll presence.get (which works the same on kandy-rx). Both emit presence:change for the notification that follows presence.subscribe' },
    ],
    run: asAliceAndBob({ services: ['presence'] }, async (alice, bob) => {
      await alice.step('update', (client) => client.presence.update(client.presence.statuses.OPEN, client.presence.activities.AVAILABLE))
      await alice.quiet()
      await bob.step('get before', (client) => client.presence.get('alice@example.com'))
      await bob.step('subscribe', (client) => client.presence.subscribe('alice@example.com'))
      await bob.step('fetch', (client) => client.presence.fetch('alice@example.com'))
      await bob.quiet()
      await bob.step('get one', (client) => client.presence.get('alice@example.com'))
      await bob.step('get list', (client) => client.presence.get(['alice@example.com']))
      await bob.step('getAll', (client) => client.presence.getAll())
      await alice.step('update busy', (client) => client.presence.update(client.presence.statuses.OPEN, client.presence.activities.BUSY))
      await bob.quiet()
      await bob.step('get busy', (client) => client.presence.get('alice@example.com'))
      await bob.step('unsubscribe', (client) => client.presence.unsubscribe(['alice@example.com']))
      await bob.settle(500)
      await alice.step('update lunch', (client) => client.presence.update(client.presence.statuses.OPEN, client.presence.activities.LUNCH))
      await alice.quiet()
      await bob.settle(500)
      await bob.step('get after unsubscribe', (client) => client.presence.get('alice@example.com'))
    }),
  })

  scenario('update in flight, a note with another activity, an empty note', {
    name: 'presence update notes',
    run: asAliceAndBob({ services: ['presence'] }, async (alice, bob) => {
      await bob.step('subscribe', (client) => client.presence.subscribe('alice@example.com'))
      await bob.quiet()
      await alice.step('getSelf while the first update is under way', (client) => {
        client.presence.update(client.presence.statuses.OPEN, client.presence.activities.AVAILABLE)
        return client.presence.getSelf()
      })
      await alice.quiet()
      await bob.quiet()
      await alice.step('getSelf while another update is under way', (client) => {
        client.presence.update(client.presence.statuses.OPEN, client.presence.activities.LUNCH)
        return client.presence.getSelf()
      })
      await alice.quiet()
      await bob.quiet()
      await alice.step('update busy with a note', (client) => client.presence.update(client.presence.statuses.OPEN, client.presence.activities.BUSY, 'back at three'))
      await alice.quiet()
      await bob.quiet()
      await alice.step('getSelf busy', (client) => client.presence.getSelf())
      await bob.step('get busy', (client) => client.presence.get('alice@example.com'))
      await alice.step('update other with an empty note', (client) => client.presence.update(client.presence.statuses.OPEN, client.presence.activities.ACTIVITIES_OTHER, ''))
      await alice.quiet()
      await bob.quiet()
      await alice.step('getSelf other', (client) => client.presence.getSelf())
      await bob.step('get other', (client) => client.presence.get('alice@example.com'))
    }),
  })

  scenario('bad input: update with an unknown status', {
    name: 'presence bad input',
    run: asAlice({ services: ['presence'] }, async (alice) => {
      await alice.step('update(unknown)', (client) => (client.presence.update as (status: string, activity: string) => void)('sleeping', 'dreaming'))
      await alice.settle(1000)
      await alice.step('getSelf', (client) => client.presence.getSelf())
      await alice.step('get(undefined)', (client) => (client.presence.get as (user: unknown) => unknown)(undefined))
    }),
  })
})
