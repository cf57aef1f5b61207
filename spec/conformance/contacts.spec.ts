import { conformanceSuite } from './harness.js'
import { asAlice } from './steps.js'

conformanceSuite('conformance: contacts', (scenario) => {
  scenario('add, get, getAll, update, fetch, refresh, remove', {
    name: 'contacts',
    justified: [
      { path: 'alice.events.contacts', reason: 'Recommendation (protocol/events.md §10): after add kandy-rx emits the documented contacts:new <contact> then contacts:change {}; the original emits contacts:change twice (the contact, then {})' },
    ],
    run: asAlice({ services: [] }, async (alice) => {
      const contact = { primaryContact: 'bob@example.com', contactId: 'bob', firstName: 'Bob', lastName: 'Baker', email: 'bob@example.com', buddy: true }
      await alice.step('getAll before', (client) => client.contacts.getAll())
      await alice.step('add', (client, value) => client.contacts.add(value), contact)
      await alice.quiet()
      await alice.step('get', (client) => client.contacts.get('bob'))
      await alice.step('getAll', (client) => client.contacts.getAll())
      await alice.step('update', (client, value) => client.contacts.update({ ...value, firstName: 'Robert', mobilePhoneNumber: '+15551230000' }), contact)
      await alice.quiet()
      await alice.step('get updated', (client) => client.contacts.get('bob'))
      await alice.step('fetch', (client) => client.contacts.fetch('bob'))
      await alice.quiet()
      await alice.step('refresh', (client) => client.contacts.refresh())
      await alice.quiet()
      await alice.step('getAll refreshed', (client) => client.contacts.getAll())
      await alice.step('remove', (client) => client.contacts.remove('bob'))
      await alice.quiet()
      await alice.step('getAll after remove', (client) => client.contacts.getAll())
      await alice.step('get removed', (client) => client.contacts.get('bob'))
    }),
  })

  scenario('bad input: fetch an unknown contact', {
    name: 'contacts bad input',
    run: asAlice({ services: [] }, async (alice) => {
      await alice.step('get(undefined)', (client) => (client.contacts.get as (id: unknown) => unknown)(undefined))
      await alice.step('fetch(unknown)', (client) => client.contacts.fetch('nobody'))
      await alice.quiet()
      await alice.step('remove(unknown)', (client) => client.contacts.remove('nobody'))
      await alice.quiet()
    }),
  })
})
