import { useConformance } from './harness.js'

describe('conformance: users (directory)', function () {
  this.timeout(120000)
  const conformance = useConformance()

  it('fetch, fetchSelfInfo, get, getAll, search', () =>
    conformance().check({
      name: 'users',
      run: async ({ open }) => {
        const alice = await open('alice@example.com', { services: [] })
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
      },
    }))

  it('bad input: fetch an unknown user', () =>
    conformance().check({
      name: 'users bad input',
      run: async ({ open }) => {
        const alice = await open('alice@example.com', { services: [] })
        await alice.step('fetch(unknown)', (client) => client.user.fetch('nobody@example.com'))
        await alice.settle(1500)
        await alice.step('get(unknown)', (client) => client.user.get('nobody@example.com'))
      },
    }))
})
