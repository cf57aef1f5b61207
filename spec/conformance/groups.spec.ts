import { conformanceSuite, justify, type PageClient } from './harness.js'
import { asAlice, asAliceAndBob } from './steps.js'

const groupIds = "Recommendation (protocol/events.md §9): kandy-rx also sets groupId (the same value as id), which the vendor's tutorials read"
const rawNotification =
  'notification:received is undocumented and carries the frame as received (protocol/events.md §4, notifications.md); the original hands its group handler\'s in-place rewrite of chatParticipantStatusNotification (participants with isAdmin instead of participant with x-isAdmin and resourceURL). A page reads groups through the group events and getters, which agree'

conformanceSuite('conformance: groups (participants, invitations)', (scenario) => {
  scenario('create with a participant, invitation, accept, participants, add, remove, leave, delete', {
    name: 'groups',
    justified: [
      ...justify(['alice.events.group', 'bob.events.group'], groupIds),
      ...justify(['alice.events.notification', 'bob.events.notification'], rawNotification),
    ],
    run: asAliceAndBob({ services: ['chat'] }, async (alice, bob) => {
      await alice.step('getAll before', (client) => client.groups.getAll())
      await alice.step('create', (client) => client.groups.create({ name: 'Team', subject: 'Planning', participants: [{ address: 'bob@example.com' }], type: 'Closed' }))
      await alice.quiet()
      const groupId = await alice.run((client) => (client.groups.getAll() as Array<{ id: string }>)[0]!.id)
      await alice.step('get', (client, id) => client.groups.get(id), groupId)
      await alice.step('getAll', (client) => client.groups.getAll())
      await alice.step('getParticipants', (client, id) => client.groups.getParticipants(id), groupId)
      await bob.quiet()
      await bob.step('getInvitations', (client) => client.groups.getInvitations())
      await bob.step('acceptInvitation', (client, id) => client.groups.acceptInvitation(id), groupId)
      await bob.quiet()
      await bob.step('get after accept', (client, id) => client.groups.get(id), groupId)
      await alice.until((client, id) => (client.groups.getParticipants(id) as unknown as Array<{ status: string }>).filter((participant) => participant.status === 'Connected').length === 2, groupId)
      await alice.step('getParticipants joined', (client, id) => client.groups.getParticipants(id), groupId)
      await alice.step('addParticipant', (client, id) => client.groups.addParticipant(id, 'carol@example.com'), groupId)
      await alice.until((client, id) => JSON.stringify(client.groups.getParticipants(id)).includes('carol'), groupId)
      await alice.step('getParticipants with carol', (client, id) => client.groups.getParticipants(id), groupId)
      await alice.step('removeParticipant', (client, id) => client.groups.removeParticipant(id, 'carol@example.com'), groupId)
      await alice.until((client, id) => !JSON.stringify(client.groups.getParticipants(id)).includes('carol'), groupId)
      await bob.step('leave', (client, id) => client.groups.leave(id), groupId)
      await bob.quiet()
      await bob.settle(500)
      await alice.step('getParticipants after leave', (client, id) => client.groups.getParticipants(id), groupId)
      await alice.step('delete', (client, id) => client.groups.delete(id), groupId)
      await alice.quiet()
      await alice.step('getAll after delete', (client) => client.groups.getAll())
    }),
  })

  scenario('fetch and rejectInvitation', {
    name: 'groups fetch and reject',
    justified: [
      ...justify(['alice.events.group', 'bob.events.group'], groupIds),
      { path: 'alice.events.notification', reason: rawNotification },
    ],
    run: asAliceAndBob({ services: ['chat'] }, async (alice, bob) => {
      await alice.step('create', (client) => client.groups.create({ name: 'Other', participants: [{ address: 'bob@example.com' }], type: 'Closed' }))
      await alice.quiet()
      await bob.quiet()
      const groupId = await alice.run((client) => (client.groups.getAll() as Array<{ id: string }>)[0]!.id)
      await bob.step('rejectInvitation', (client, id) => client.groups.rejectInvitation(id), groupId)
      await bob.quiet()
      await bob.step('getInvitations after reject', (client) => client.groups.getInvitations())
      await alice.step('fetch', (client) => client.groups.fetch())
      await alice.quiet()
      await alice.step('getAll fetched', (client) => client.groups.getAll())
    }),
  })

  scenario('membership changed by other members: accept, add, leave, remove, as each member sees it', {
    name: 'groups other members',
    justified: [
      ...justify(['alice.events.group', 'bob.events.group', 'carol.events.group'], groupIds),
      ...justify(['alice.events.notification', 'bob.events.notification', 'carol.events.notification'], rawNotification),
    ],
    run: async ({ open }) => {
      const [alice, bob, carol] = [await open('alice@example.com', { services: ['chat'] }), await open('bob@example.com', { services: ['chat'] }), await open('carol@example.com', { services: ['chat'] })]
      await alice.step('create', (client) => client.groups.create({ name: 'Team', participants: [{ address: 'bob@example.com' }, { address: 'carol@example.com' }], type: 'Closed' }))
      await alice.quiet()
      await bob.quiet()
      await carol.quiet()
      const groupId = await alice.run((client) => (client.groups.getAll() as Array<{ id: string }>)[0]!.id)
      // Serialised into the page: no closure over the count, which comes as an argument.
      const connected = (client: PageClient, { id, count }: { id: string; count: number }) =>
        ((client.groups.getParticipants(id) ?? []) as unknown as Array<{ status: string }>).filter((participant) => participant.status === 'Connected').length === count
      await bob.step('accept', (client, id) => client.groups.acceptInvitation(id), groupId)
      await alice.until(connected, { id: groupId, count: 2 })
      await carol.step('getInvitations', (client) => client.groups.getInvitations())
      await carol.step('accept', (client, id) => client.groups.acceptInvitation(id), groupId)
      await alice.until(connected, { id: groupId, count: 3 })
      await bob.until(connected, { id: groupId, count: 3 })
      await carol.quiet()
      await bob.step('getParticipants all connected', (client, id) => client.groups.getParticipants(id), groupId)
      await carol.step('getParticipants all connected', (client, id) => client.groups.getParticipants(id), groupId)
      await alice.step('addParticipant', (client, id) => client.groups.addParticipant(id, 'dave@example.com'), groupId)
      await bob.until((client, id) => JSON.stringify(client.groups.getParticipants(id)).includes('dave'), groupId)
      await carol.until((client, id) => JSON.stringify(client.groups.getParticipants(id)).includes('dave'), groupId)
      await bob.step('getParticipants dave invited', (client, id) => client.groups.getParticipants(id), groupId)
      await carol.step('leave', (client, id) => client.groups.leave(id), groupId)
      await alice.until(connected, { id: groupId, count: 2 })
      await bob.until(connected, { id: groupId, count: 2 })
      await carol.quiet()
      await carol.step('getAll after leave', (client) => client.groups.getAll())
      await bob.step('getParticipants carol left', (client, id) => client.groups.getParticipants(id), groupId)
      await alice.step('removeParticipant bob', (client, id) => client.groups.removeParticipant(id, 'bob@example.com'), groupId)
      await alice.quiet()
      await bob.quiet()
      await bob.step('getAll removed', (client) => client.groups.getAll())
      await alice.step('getParticipants bob removed', (client, id) => client.groups.getParticipants(id), groupId)
    },
  })

  scenario('bad input: get an unknown group, delete an unknown group', {
    name: 'groups bad input',
    justified: [
      { path: 'alice.events.group.group:delete', reason: 'Recommendation (protocol/events.md §9): kandy-rx puts the BasicError itself in error (the original nests it in error.error; kandy-rx also carries that copy) and names the group (id, groupId)' },
    ],
    run: asAlice({ services: ['chat'] }, async (alice) => {
      await alice.step('get(unknown)', (client) => client.groups.get('no-such-group'))
      await alice.step('getParticipants(unknown)', (client) => client.groups.getParticipants('no-such-group'))
      await alice.step('get(undefined)', (client) => (client.groups.get as (id: unknown) => unknown)(undefined))
      await alice.step('getParticipants(undefined)', (client) => (client.groups.getParticipants as (id: unknown) => unknown)(undefined))
      await alice.step('delete(unknown)', (client) => client.groups.delete('no-such-group'))
      await alice.quiet()
    }),
  })
})
