import { conformanceSuite } from './harness.js'
import { asAlice } from './steps.js'

conformanceSuite('conformance: users (directory)', (scenario) => {
  scenario('fetch, fetchSelfInfo, get, getAll, search', {
    name: 'users',
    run: asAlice({ services: [] }, async (alice) => {
      await alice.step('getAll before', (client) => client.user.getAll())
      await alice.step('fetch', (client) => client.user.fetch('bob@example.com'))
      await alice.quiet()
      await alice.step('get', (client) => client.user.get('bob@example.com'))
      await alice.step('fetchSelfInfo', (client) => client.user.fetchSelfInfo())
      await alice.quiet()
      await alice.step('get self', (client) => client.user.get('alice@example.com'))
      await alice.step('search', (client) => client.user.search({ firstName: 'Carol' }))
      await alice.quiet()
      await alice.step('getAll', (client) => client.user.getAll())
      await alice.step('search none', (client) => client.user.search({ lastName: 'Nobody-here' }))
      await alice.quiet()
    }),
  })

  scenario('search with options: sortBy, order, max (a page), userId sent as userName, phoneNumber', {
    name: 'users search options',
    justified: [
      { path: 'alice.events.directory.directory:change[0][0].next', reason: 'Recommendation (protocol/presence-groups-users.md §4.2): kandy-rx adds the paging token of a page that is not the last' },
    ],
    run: asAlice({ services: [] }, async (alice) => {
      await alice.step('search a page', (client) => client.user.search({ name: 'a' }, { sortBy: 'lastName', order: 'desc', max: 2 }))
      await alice.quiet()
      await alice.step('getAll after a page', (client) => client.user.getAll())
      await alice.step('search by userId', (client) => client.user.search({ userId: 'carol' }, { sortBy: 'firstName', order: 'asc' }))
      await alice.quiet()
      await alice.step('search by phoneNumber', (client) => client.user.search({ phoneNumber: '+15551230004' }))
      await alice.quiet()
      await alice.step('get dave', (client) => client.user.get('dave@example.com'))
    }),
  })

  scenario('bad input: fetch an unknown user', {
    name: 'users bad input',
    run: asAlice({ services: [] }, async (alice) => {
      await alice.step('fetch(unknown)', (client) => client.user.fetch('nobody@example.com'))
      await alice.settle(1500)
      await alice.step('get(unknown)', (client) => client.user.get('nobody@example.com'))
      await alice.step('get(undefined)', (client) => (client.user.get as (id: unknown) => unknown)(undefined))
    }),
  })
})
