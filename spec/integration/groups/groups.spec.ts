import { expect } from 'chai'
import { isBasicError } from '../../../streams/errors.js'
import { nextEvent, until, type TestClient } from '../../helpers/client.js'
import { manualClock } from '../../platform/clock.js'
import { record, useSession } from '../presence/session.js'

type Ids = { id: string; groupId: string }
type Failure = { error: { code: string | number; message: string; error: { code: string | number; message: string } }; id?: string; groupId?: string }
type InvitationPayload = { invitation: { id: string; groupId: string; name: string; participants: { address: string; status: string; isAdmin: boolean }[] } }

/** Alice's group "Team" with `invitees` invited; resolves once each invitee has the invitation. */
const team = async (alice: TestClient, invitees: TestClient[]): Promise<string> => {
  const invited = invitees.map((invitee) => nextEvent<InvitationPayload>(invitee, 'group:invitation_received'))
  const created = nextEvent<Ids>(alice, 'group:new')
  alice.groups.create({ name: 'Team', subject: 'Weekly sync', participants: invitees.map((invitee) => invitee.tokens.identity) })
  const { id } = await created
  await Promise.all(invited)
  return id
}
/** The next group:change of `member` about the group `id`. */
const changeOf = (member: TestClient, id: string): Promise<Ids> => nextEvent<Ids>(member, 'group:change', (payload) => payload.id === id)
const expectFailure = (failure: Failure, code: string | number): void => {
  expect(isBasicError(failure.error)).to.equal(true)
  expect(failure.error.code).to.equal(code)
  expect(failure.error.error.code, 'params.error.error.code').to.equal(code)
  expect(failure.error.error.message).to.equal(failure.error.message)
}

describe('integration: groups', () => {
  const session = useSession()
  const chat = { services: ['chat'] }
  const members = (users: string[]) => Promise.all(users.map((user) => session.client(user, chat)))

  const accept = async (member: TestClient, id: string): Promise<void> => {
    const changed = changeOf(member, id)
    member.groups.acceptInvitation(id)
    await changed
  }
  /** Alice's group "Team" with Bob, who accepted his invitation. */
  const aliceAndBobInTeam = async (): Promise<{ alice: TestClient; bob: TestClient; id: string }> => {
    const [alice, bob] = await members(['alice@example.com', 'bob@example.com'])
    const id = await team(alice, [bob])
    await accept(bob, id)
    return { alice, bob, id }
  }
  it('runs a full invitation round trip: create, invitations, accept, reject, every member kept in step', async () => {
    const [alice, bob, carol] = await members(['alice@example.com', 'bob@example.com', 'carol@example.com'])
    const bobInvited = nextEvent<InvitationPayload>(bob, 'group:invitation_received')
    const carolInvited = nextEvent<InvitationPayload>(carol, 'group:invitation_received')
    const created = nextEvent<Ids>(alice, 'group:new')
    alice.groups.create({
      name: 'Team',
      subject: 'Weekly sync',
      image: 'https://example.com/team.png',
      type: 'closed',
      participants: ['bob@example.com', { address: 'carol@example.com' }],
    })
    const { id, groupId } = await created
    expect(groupId).to.equal(id)
    expect(alice.groups.get(id)).to.deep.equal({
      id,
      name: 'Team',
      subject: 'Weekly sync',
      image: 'https://example.com/team.png',
      participants: [
        { address: 'alice@example.com', status: 'Connected', isAdmin: true },
        { address: 'bob@example.com', status: 'Invited', isAdmin: false },
        { address: 'carol@example.com', status: 'Invited', isAdmin: false },
      ],
    })
    expect(alice.groups.getParticipants(id)?.map((participant) => participant.address)).to.deep.equal(['alice@example.com', 'bob@example.com', 'carol@example.com'])

    const { invitation } = await bobInvited
    expect(invitation).to.deep.include({ id, groupId: id, name: 'Team' })
    expect(invitation.participants.map((p) => p.address)).to.deep.equal(['alice@example.com', 'bob@example.com', 'carol@example.com'])
    expect(bob.groups.getInvitations()).to.deep.equal([{ id, name: 'Team', participants: invitation.participants }])
    await carolInvited

    const aliceSawBob = nextEvent<Ids>(alice, 'group:change')
    await accept(bob, id)
    expect(bob.groups.getInvitations()).to.deep.equal([])
    expect(bob.groups.get(id)?.participants.find((p) => p.address === 'bob@example.com')).to.deep.equal({ address: 'bob@example.com', status: 'Connected', isAdmin: false })
    expect(await aliceSawBob).to.deep.equal({ id, groupId: id })
    expect(alice.groups.get(id)?.participants.find((p) => p.address === 'bob@example.com')?.status).to.equal('Connected')

    const aliceSawCarol = nextEvent<Ids>(alice, 'group:change')
    const bobSawCarol = nextEvent<Ids>(bob, 'group:change')
    const carolRejected = nextEvent<Ids>(carol, 'group:change')
    carol.groups.rejectInvitation(id)
    expect(await carolRejected).to.deep.equal({ id, groupId: id })
    expect(carol.groups.getInvitations()).to.deep.equal([])
    expect(carol.groups.get(id)).to.equal(undefined)
    await Promise.all([aliceSawCarol, bobSawCarol])
    for (const member of [alice, bob]) expect(member.groups.get(id)?.participants.at(-1)).to.deep.include({ address: 'carol@example.com', status: 'Disconnected' })
  })

  it('fetches the groups the user is a member of (group:refresh), replacing what was known', async () => {
    const { id } = await aliceAndBobInTeam()
    const again = await session.client('bob@example.com', chat)
    expect(again.groups.getAll()).to.deep.equal([])
    const refreshed = nextEvent(again, 'group:refresh')
    again.groups.fetch()
    expect(await refreshed).to.deep.equal({})
    expect(again.groups.getAll().map((group) => [group.id, group.name])).to.deep.equal([[id, 'Team']])
  })

  it('leaves the administration to the administrator: others get a 403 policy error in the operation event', async () => {
    const { alice, bob, id } = await aliceAndBobInTeam()
    const events = record(bob)

    const added = nextEvent<Failure>(bob, 'group:change', (payload) => payload.error !== undefined)
    bob.groups.addParticipant(id, 'dave@example.com')
    expectFailure(await added, 'POL0001')
    const removed = nextEvent<Failure>(bob, 'group:change', (payload) => payload.error !== undefined)
    bob.groups.removeParticipant(id, 'alice@example.com')
    expectFailure(await removed, 'POL0001')
    expect(bob.groups.get(id)?.participants).to.have.length(2)
    expect(events.of('group:change').filter((payload) => (payload as Failure).error !== undefined)).to.have.length(2)

    const left = nextEvent<Failure>(alice, 'group:change', (payload) => payload.error !== undefined)
    alice.groups.leave(id)
    expectFailure(await left, 'POL0001')
    expect(alice.groups.get(id)).not.to.equal(undefined)
  })

  it('lets a member who deletes the group only leave it: the group stays for the others (messaging.md §8)', async () => {
    const [alice, bob, carol] = await members(['alice@example.com', 'bob@example.com', 'carol@example.com'])
    const id = await team(alice, [bob, carol])
    await accept(bob, id)
    await accept(carol, id)

    const aliceSaw = changeOf(alice, id)
    const deleted = nextEvent<{ error?: unknown; group?: { id: string } }>(bob, 'group:delete')
    bob.groups.delete(id)
    const outcome = await deleted
    expect(outcome.error).to.equal(undefined)
    expect(outcome.group?.id).to.equal(id)
    expect(bob.groups.get(id)).to.equal(undefined)
    await aliceSaw
    expect(alice.groups.get(id)?.participants.find((p) => p.address === 'bob@example.com')).to.deep.include({ status: 'Disconnected' })
    expect(alice.groups.get(id)?.participants.find((p) => p.address === 'carol@example.com')).to.deep.include({ status: 'Connected' })
  })

  it('adds a participant: group:change for the members, an invitation for the new one', async () => {
    const [alice, bob, dave] = await members(['alice@example.com', 'bob@example.com', 'dave@example.com'])
    const id = await team(alice, [bob])
    await accept(bob, id)
    const daveInvited = nextEvent<InvitationPayload>(dave, 'group:invitation_received')
    const bobSaw = changeOf(bob, id)
    const aliceDone = changeOf(alice, id)
    alice.groups.addParticipant(id, 'dave@example.com')
    expect(await aliceDone).to.deep.equal({ id, groupId: id })
    expect(alice.groups.get(id)?.participants.at(-1)).to.deep.equal({ address: 'dave@example.com', status: 'Invited', isAdmin: false })
    expect((await daveInvited).invitation.id).to.equal(id)
    await bobSaw
    expect(bob.groups.getParticipants(id)?.map((participant) => participant.address)).to.include('dave@example.com')
  })

  it('removes a participant: they lose the group, the administrator drops them', async () => {
    const { alice, bob, id } = await aliceAndBobInTeam()
    const bobLost = changeOf(bob, id)
    const aliceDone = changeOf(alice, id)
    alice.groups.removeParticipant(id, 'bob@example.com')
    await aliceDone
    expect(alice.groups.getParticipants(id)?.map((participant) => participant.address)).to.deep.equal(['alice@example.com'])
    await bobLost
    expect(bob.groups.get(id)).to.equal(undefined)
  })

  it('lets a member leave: group:change, the group is gone for them, Disconnected for the others', async () => {
    const { alice, bob, id } = await aliceAndBobInTeam()
    const aliceSaw = changeOf(alice, id)
    const left = changeOf(bob, id)
    bob.groups.leave(id)
    expect(await left).to.deep.equal({ id, groupId: id })
    expect(bob.groups.getAll()).to.deep.equal([])
    await aliceSaw
    expect(alice.groups.get(id)?.participants.at(-1)).to.deep.include({ address: 'bob@example.com', status: 'Disconnected' })
  })

  it('deletes a group: group:delete with the group as it was; members and invitees get group:change and lose it', async () => {
    const [alice, bob, dave] = await members(['alice@example.com', 'bob@example.com', 'dave@example.com'])
    const id = await team(alice, [bob, dave])
    await accept(bob, id)
    const before = alice.groups.get(id)
    const bobLost = changeOf(bob, id)
    const daveLost = changeOf(dave, id)
    const deleted = nextEvent<{ group: unknown }>(alice, 'group:delete')
    alice.groups.delete(id)
    expect(await deleted).to.deep.equal({ group: before })
    expect(alice.groups.getAll()).to.deep.equal([])
    await Promise.all([bobLost, daveLost])
    expect(bob.groups.get(id)).to.equal(undefined)
    expect(dave.groups.getInvitations()).to.deep.equal([])
  })

  it('sends its requests one after another: a participant removed right after being added is removed', async () => {
    const [alice, bob] = await members(['alice@example.com', 'bob@example.com'])
    const id = await team(alice, [bob])
    const events = record(alice)
    const participants = `/cpaas/chat/v1/alice@example.com/group/${id}/participants`
    // The add is slow on its way; the remove, sent right after it, would overtake it if sent at once.
    await session.platform().admin.delay(300, participants)
    await session.platform().admin.delay(1, `${participants}/carol@example.com`)
    alice.groups.addParticipant(id, 'carol@example.com')
    alice.groups.removeParticipant(id, 'carol@example.com')
    await until(() => events.of('group:change').length === 2, 'both requests answered')
    expect(events.of('group:change').filter((payload: Failure) => payload.error !== undefined).map((payload: Failure) => payload.error.code)).to.deep.equal([])
    expect(alice.groups.getParticipants(id)?.map((participant) => participant.address)).to.deep.equal(['alice@example.com', 'bob@example.com'])
  })

  it('reports a missing name or group id with groups:3, readable as params.error.code and params.error.error.code', async () => {
    const alice = await session.client('alice@example.com', chat)
    const failed = nextEvent<Failure>(alice, 'group:new')
    alice.groups.create({ subject: 'no name' } as unknown as { name: string })
    expectFailure(await failed, 'groups:3')
    const missingId = nextEvent<Failure>(alice, 'group:change')
    alice.groups.leave(undefined as unknown as string)
    expectFailure(await missingId, 'groups:3')
  })

  it('surfaces platform failures in the operation events: 5xx on fetch, 404 for an unknown group, a reset on create', async () => {
    const alice = await session.client('alice@example.com', chat)
    const platform = session.platform()
    await platform.admin.fail({ prefix: '/cpaas/chat/v1/alice@example.com/group', status: 500 })
    const refresh = nextEvent<Failure>(alice, 'group:refresh')
    alice.groups.fetch()
    expectFailure(await refresh, 'SVC0001')

    const unknown = nextEvent<Failure>(alice, 'group:change')
    alice.groups.acceptInvitation('no-such-group')
    const failure = await unknown
    expectFailure(failure, 'SVC0004')
    expect(failure).to.deep.include({ id: 'no-such-group', groupId: 'no-such-group' })

    await platform.admin.fail({ prefix: '/cpaas/chat/v1/alice@example.com/group', reset: true })
    const reset = nextEvent<Failure>(alice, 'group:new')
    alice.groups.create({ name: 'Team' })
    expect(isBasicError((await reset).error)).to.equal(true)
    expect(alice.groups.getAll()).to.deep.equal([])
  })

  it('reports a malformed group notification as group:error', async () => {
    const alice = await session.client('alice@example.com', chat)
    const failed = nextEvent<Failure>(alice, 'group:error')
    await session.platform().admin.notify('alice@example.com', 'chat', { chatParticipantStatusNotification: { participant: [], link: [] } })
    expect(isBasicError((await failed).error)).to.equal(true)
  })

  it("never lets an app's writes to what the getters and events give change the SDK's groups or invitations", async () => {
    const [alice, bob, carol] = await members(['alice@example.com', 'bob@example.com', 'carol@example.com'])
    const carolInvited = nextEvent<InvitationPayload>(carol, 'group:invitation_received')
    const id = await team(alice, [bob, carol])
    await accept(bob, id)
    const group = structuredClone(alice.groups.get(id))
    const invitations = structuredClone(carol.groups.getInvitations())
    expect(invitations).to.have.length(1)

    // As a JavaScript app sees them: no readonly.
    type Writable = { name: string; subject: string; participants: { address: string; status?: string; isAdmin?: boolean }[] }
    const got = alice.groups.get(id) as unknown as Writable
    got.name = 'Renamed'
    got.participants[0]!.status = 'Disconnected'
    got.participants.pop()
    const [listed] = alice.groups.getAll() as unknown as Writable[]
    listed!.subject = 'Changed'
    listed!.participants.push({ address: 'mallory@example.com' })
    ;(alice.groups.getParticipants(id)![1] as { isAdmin: boolean }).isAdmin = true
    const [invitation] = carol.groups.getInvitations() as unknown as Writable[]
    invitation!.name = 'Renamed'
    invitation!.participants.length = 0
    ;(await carolInvited).invitation.participants.push({ address: 'mallory@example.com', status: 'Connected', isAdmin: true })

    expect(alice.groups.get(id)).to.deep.equal(group)
    expect(alice.groups.getAll()).to.deep.equal([group])
    expect(carol.groups.getInvitations()).to.deep.equal(invitations)
  })

  it('checks the arguments of the getters', async () => {
    const alice = await session.client('alice@example.com', { services: [] })
    expect(alice.groups.get('unknown')).to.equal(undefined)
    expect(alice.groups.getParticipants('unknown')).to.equal(undefined)
    expect(() => alice.groups.get(5 as unknown as string)).to.throw().with.property('code', 'BAD_INPUT')
    expect(() => alice.groups.getParticipants({} as unknown as string)).to.throw().with.property('code', 'BAD_INPUT')
  })
})

describe('integration: groups, a request held on the platform\'s clock', () => {
  // A delayed request is held until the spec moves the platform's clock (nothing here waits on its other timers).
  const clock = manualClock(Math.floor(Date.now() / 1000) * 1000)
  const session = useSession({ clock })
  const members = (users: string[]) => Promise.all(users.map((user) => session.client(user, { services: ['chat'] })))

  it('drops the invitation of a group deleted between the accept and the read of the group that follows it', async () => {
    const [alice, bob] = await members(['alice@example.com', 'bob@example.com'])
    const id = await team(alice, [bob])
    const platform = session.platform()
    // The accept is held a moment (1 ms, its own rule); the read of the group after it is held until Alice has deleted the group.
    await platform.admin.delay(1, `/cpaas/chat/v1/bob@example.com/group/${id}/participants`)
    await platform.admin.delay(2000, `/cpaas/chat/v1/bob@example.com/group/${id}`)
    const aliceSawBob = changeOf(alice, id)
    const bobEnded = changeOf(bob, id)
    const bobFailed = nextEvent<Failure>(bob, 'group:change', (payload) => payload.error !== undefined)
    const timers = clock.pending()
    bob.groups.acceptInvitation(id)
    await until(() => clock.pending() > timers, 'the accept held on the platform')
    clock.advance(1)
    await aliceSawBob
    await until(() => clock.pending() > timers, 'the read of the group held on the platform')
    const deleted = nextEvent(alice, 'group:delete')
    alice.groups.delete(id)
    await deleted
    await bobEnded
    clock.advance(2000)
    expectFailure(await bobFailed, 'SVC0004')
    expect(bob.groups.getInvitations()).to.deep.equal([])
    expect(bob.groups.getAll()).to.deep.equal([])
  })
})
