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
