import { expect } from 'chai'
import { groupParticipants } from '../../../platform/features/groups.js'
import { usePlatform } from '../../helpers/platform.js'
import { exceptionOf, jsonRequest, received, subscribedUsers, useSockets, type Json, type Member } from '../core/wire.js'

describe('platform: groups', () => {
  const platform = usePlatform()
  const sockets = useSockets()
  const call = (who: Member, method: string, path: string, body?: unknown) => jsonRequest(platform(), who.tokens, method, `/cpaas/chat/v1/${who.tokens.userId}/group${path}`, body)

  /** Users with a channel subscribed to `chat`: group notifications arrive on their sockets. */
  let alice: Member, bob: Member, carol: Member, dave: Member
  before(async () => {
    ;[alice, bob, carol, dave] = await subscribedUsers(platform(), ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com'], ['chat'], sockets)
  })
  const drain = () => Promise.all([alice, bob, carol, dave].map(received))
  beforeEach(drain)

  /** Alice's new group 'Team' with `invitees` invited and `members` having accepted; every socket drained afterwards. */
  const team = async (invitees: Member[], members: Member[] = []): Promise<string> => {
    const created = await call(alice, 'POST', '', {
      groupChatSessionInformation: {
        participant: [alice, ...invitees, ...members].map((m) => ({ address: m.tokens.identity, 'x-isAdmin': m === alice })),
        'x-name': 'Team',
      },
    })
    expect(created.status).to.equal(201)
    const id: string = created.body.groupChatSessionInformation.resourceURL.split('/').pop()
    for (const m of members) await accept(m, id)
    await drain()
    return id
  }
  const accept = (m: Member, id: string) =>
    call(m, 'PUT', `/${id}/participants/${m.tokens.identity}/status`, { participantSessionStatus: { status: 'Connected' } })

  it('creates a group with the creator as Connected administrator and the invitees Invited, and invites them', async () => {
    const created = await call(alice, 'POST', '', {
      groupChatSessionInformation: {
        participant: [
          { address: 'alice@example.com', 'x-isAdmin': true },
          { address: 'bob@example.com', 'x-isAdmin': false },
          { address: 'carol@example.com', 'x-isAdmin': true },
        ],
        subject: 'Weekly sync',
        'x-image': 'https://example.com/team.png',
        'x-name': 'Team',
        'x-type': 'Closed',
      },
    })
    expect(created.status).to.equal(201)
    const group = created.body.groupChatSessionInformation
    const groupId: string = group.resourceURL.split('/').pop()
    expect(groupId).to.match(/^[a-z0-9-]+$/)
    expect(group.resourceURL).to.equal(`/cpaas/chat/v1/alice@example.com/group/${groupId}`)
    expect(group).to.deep.include({ 'x-name': 'Team', subject: 'Weekly sync', 'x-image': 'https://example.com/team.png', 'x-type': 'closed' })
    expect(group.participant.map((p: Json) => [p.address, p.status, p['x-isAdmin']])).to.deep.equal([
      ['alice@example.com', 'Connected', true],
      ['bob@example.com', 'Invited', false],
      ['carol@example.com', 'Invited', false],
    ])
    expect(group.participant[1].resourceURL).to.equal(`/cpaas/chat/v1/alice@example.com/group/${groupId}/participants/bob@example.com`)

    for (const invitee of [bob, carol]) {
      const [frame] = await received(invitee)
      const invitation = frame!.groupChatSessionInvitationNotification
      expect(invitation['x-name']).to.equal('Team')
      expect(invitation.subject).to.equal('Weekly sync')
      expect(invitation.link).to.deep.equal([{ rel: 'groupChatSessionInformation', href: `/cpaas/chat/v1/${invitee.tokens.userId}/group/${groupId}` }])
      expect(invitation.participant.map((p: Json) => p.address)).to.deep.equal(['alice@example.com', 'bob@example.com', 'carol@example.com'])
    }
    expect(await received(alice)).to.deep.equal([])
    expect(await received(dave)).to.deep.equal([])
  })

  it('requires a name and known participants', async () => {
    const noName = await call(alice, 'POST', '', { groupChatSessionInformation: { participant: [] } })
    expect(noName.status).to.equal(400)
    const unknown = await call(alice, 'POST', '', { groupChatSessionInformation: { participant: [{ address: 'nobody@example.com' }], 'x-name': 'X' } })
    expect(unknown.status).to.equal(404)
    const blank = await call(alice, 'POST', '', { groupChatSessionInformation: { participant: [], 'x-name': '  ' } })
    expect(blank.status).to.equal(400)
  })

  it('lists participants by their identity, whatever form the creator wrote', async () => {
    const created = await call(alice, 'POST', '', { groupChatSessionInformation: { participant: [{ address: 'BOB@example.com' }, { address: 'tel:+15551230003' }], 'x-name': 'Forms' } })
    expect(created.body.groupChatSessionInformation.participant.map((p: Json) => p.address)).to.deep.equal(['alice@example.com', 'bob@example.com', 'carol@example.com'])
    await drain()
  })

  it('hides the group from an invitee until they accept, then notifies the members', async () => {
    const groupId = await team([bob, carol])
    expect((await call(bob, 'GET', `/${groupId}`)).status).to.equal(404)
    const before = (await call(bob, 'GET', '')).body.groupChatSessionInformationList.groupChatSessionInformation
    expect(before.map((g: Json) => g.resourceURL)).not.to.include(`/cpaas/chat/v1/bob@example.com/group/${groupId}`)
    const accepted = await call(bob, 'PUT', `/${groupId}/participants/bob@example.com/status`, { participantSessionStatus: { status: 'Connected' } })
    expect(accepted.status).to.equal(200)
    const fetched = await call(bob, 'GET', `/${groupId}`)
    expect(fetched.status).to.equal(200)
    expect(fetched.body.groupChatSessionInformation.resourceURL).to.equal(`/cpaas/chat/v1/bob@example.com/group/${groupId}`)
    const listed = (await call(bob, 'GET', '')).body.groupChatSessionInformationList.groupChatSessionInformation
    expect(listed.map((g: Json) => g.resourceURL)).to.include(`/cpaas/chat/v1/bob@example.com/group/${groupId}`)

    const [status] = await received(alice)
    expect(status!.chatParticipantStatusNotification.participant).to.deep.equal([
      { address: 'bob@example.com', 'x-isAdmin': false, status: 'Connected', resourceURL: `/cpaas/chat/v1/alice@example.com/group/${groupId}/participants/bob@example.com` },
    ])
    expect(status!.chatParticipantStatusNotification.link[0].href).to.equal(`/cpaas/chat/v1/alice@example.com/group/${groupId}`)
    expect(await received(bob)).to.deep.equal([])
    expect(groupParticipants(platform().context, groupId)).to.deep.equal(['alice@example.com', 'bob@example.com'])
    expect(groupParticipants(platform().context, 'nope')).to.equal(undefined)
  })

  it('treats a non-administrator deleting the group as leaving it and forgetting its history (messaging.md §8)', async () => {
    const groupId = await team([carol], [bob])
    const sent = await platform().fetchAs(alice.tokens, 'POST', `/cpaas/chat/v1/alice@example.com/group/${groupId}/messages`, {
      chatMessage: { text: 'hello team' },
    })
    expect(sent.status).to.equal(201)
    const history = (who: Member) => platform().fetchAs(who.tokens, 'GET', `/cpaas/chat/v1/${who.tokens.userId}/group/${groupId}/messages`)
    expect(((await (await history(bob)).json()) as Json).chatMessageList?.chatMessage ?? []).to.have.length(1)
    await received(alice)

    expect((await call(bob, 'DELETE', `/${groupId}`)).status).to.equal(204)

    const participants = (await call(alice, 'GET', `/${groupId}`)).body.groupChatSessionInformation.participant as Json[]
    expect(participants.map((p) => p.address)).to.deep.equal(['alice@example.com', 'carol@example.com'])
    const [frame] = await received(alice)
    expect(frame!.chatParticipantStatusNotification.participant[0]).to.deep.include({ address: 'bob@example.com', status: 'Disconnected' })
    // Carol is only invited: status changes go to connected members.
    expect(await received(carol)).to.deep.equal([])
    expect(groupParticipants(platform().context, groupId)).to.not.include('bob@example.com')
    const after = await history(bob)
    const items = after.status === 200 ? (((await after.json()) as Json).chatMessageList?.chatMessage ?? []) : []
    expect(items).to.deep.equal([])
    expect(((await (await history(alice)).json()) as Json).chatMessageList.chatMessage).to.have.length(1)
  })

  it('lets only the participant accept for themselves', async () => {
    const groupId = await team([carol], [bob])
    const response = await call(bob, 'PUT', `/${groupId}/participants/carol@example.com/status`, { participantSessionStatus: { status: 'Connected' } })
    expect(response.status).to.equal(403)
  })

  it('enforces the administrator: others may not add or remove; the administrator may not leave', async () => {
    const groupId = await team([carol], [bob])
    const checks = [
      await call(bob, 'POST', `/${groupId}/participants`, { participantInformation: { address: 'dave@example.com', 'x-isAdmin': false } }),
      await call(bob, 'DELETE', `/${groupId}/participants/alice@example.com`),
      await call(alice, 'DELETE', `/${groupId}/participants/alice@example.com`),
    ]
    for (const { status, response } of checks) {
      expect(status).to.equal(403)
      expect(response.headers.get('content-type')).to.equal('application/json')
      expect((await exceptionOf(response)).kind).to.equal('policyException')
    }
    expect(await received(dave)).to.deep.equal([])
    expect((await call(alice, 'GET', `/${groupId}`)).body.groupChatSessionInformation.participant).to.have.length(3)
  })

  it('sends a rejection to the members as Disconnected', async () => {
    const groupId = await team([carol], [bob])
    expect((await call(carol, 'DELETE', `/${groupId}/participants/carol@example.com`)).status).to.equal(204)
    for (const who of [alice, bob]) {
      const [frame] = await received(who)
      expect(frame!.chatParticipantStatusNotification.participant[0]).to.deep.include({ address: 'carol@example.com', status: 'Disconnected' })
    }
    expect((await call(carol, 'DELETE', `/${groupId}/participants/carol@example.com`)).status).to.equal(404)
  })

  it('adds a participant: an invitation to them, an Invited status to the other members', async () => {
    const groupId = await team([], [bob])
    const added = await call(alice, 'POST', `/${groupId}/participants`, { participantInformation: { address: 'dave@example.com', 'x-isAdmin': false } })
    expect(added.status).to.equal(201)
    expect(added.body.participantInformation).to.deep.equal({
      address: 'dave@example.com',
      'x-isAdmin': false,
      status: 'Invited',
      resourceURL: `/cpaas/chat/v1/alice@example.com/group/${groupId}/participants/dave@example.com`,
    })
    expect((await received(dave))[0]).to.have.property('groupChatSessionInvitationNotification')
    expect((await received(bob))[0]!.chatParticipantStatusNotification.participant[0]).to.deep.include({ address: 'dave@example.com', status: 'Invited' })
    expect(await received(alice)).to.deep.equal([])
    const again = await call(alice, 'POST', `/${groupId}/participants`, { participantInformation: { address: 'dave@example.com' } })
    expect(again.status).to.equal(409)
  })

  it('removes a member: SessionEnded to them, Disconnected to the others', async () => {
    const groupId = await team([], [bob, carol])
    expect((await call(alice, 'DELETE', `/${groupId}/participants/bob@example.com`)).status).to.equal(204)
    expect((await received(bob))[0]!.chatEventNotification).to.deep.include({ eventType: 'SessionEnded' })
    expect((await received(carol))[0]!.chatParticipantStatusNotification.participant[0]).to.deep.include({ address: 'bob@example.com', status: 'Disconnected' })
    expect(await received(alice)).to.deep.equal([])
    expect((await call(bob, 'GET', `/${groupId}`)).status).to.equal(404)
    expect(groupParticipants(platform().context, groupId)).to.deep.equal(['alice@example.com', 'carol@example.com'])
    expect((await accept(bob, groupId)).status).to.equal(404)
  })

  it('answers 404 for removing someone who already left, and tells them nothing when the group is deleted', async () => {
    const groupId = await team([], [bob, carol])
    expect((await call(bob, 'DELETE', `/${groupId}/participants/bob@example.com`)).status).to.equal(204)
    await drain()
    expect((await call(alice, 'DELETE', `/${groupId}/participants/bob@example.com`)).status).to.equal(404)
    expect((await call(alice, 'DELETE', `/${groupId}`)).status).to.equal(204)
    expect(await received(bob)).to.deep.equal([])
    expect((await received(carol)).map((frame) => frame.chatEventNotification?.eventType)).to.deep.equal(['SessionEnded'])
  })

  it('accepts only the status Connected', async () => {
    const groupId = await team([bob])
    const refused = await call(bob, 'PUT', `/${groupId}/participants/bob@example.com/status`, { participantSessionStatus: { status: 'Disconnected' } })
    expect(refused.status).to.equal(400)
    expect((await exceptionOf(refused.response)).messageId).to.equal('SVC0002')
    expect((await call(bob, 'GET', `/${groupId}`)).status).to.equal(404)
  })

  it('lets a removed user be invited again', async () => {
    const groupId = await team([], [bob])
    await call(alice, 'DELETE', `/${groupId}/participants/bob@example.com`)
    expect((await call(alice, 'POST', `/${groupId}/participants`, { participantInformation: { address: 'bob@example.com' } })).status).to.equal(201)
    expect((await accept(bob, groupId)).status).to.equal(200)
    expect(groupParticipants(platform().context, groupId)).to.deep.equal(['alice@example.com', 'bob@example.com'])
  })

  it('deletes the group: SessionEnded to members, SessionCancelled to invitees', async () => {
    const groupId = await team([dave], [bob])

    expect((await call(alice, 'DELETE', `/${groupId}`)).status).to.equal(204)
    expect((await received(bob)).map((frame) => frame.chatEventNotification?.eventType)).to.deep.equal(['SessionEnded'])
    expect((await received(dave)).map((frame) => frame.chatEventNotification?.eventType)).to.deep.equal(['SessionCancelled'])
    expect(await received(alice)).to.deep.equal([])
    expect((await call(alice, 'GET', `/${groupId}`)).status).to.equal(404)
    expect(groupParticipants(platform().context, groupId)).to.equal(undefined)
  })

  it('answers 404 for operations on an unknown group', async () => {
    for (const [method, path, body] of [
      ['GET', '/nope', undefined],
      ['DELETE', '/nope', undefined],
      ['POST', '/nope/participants', { participantInformation: { address: 'bob@example.com' } }],
      ['DELETE', '/nope/participants/bob@example.com', undefined],
      ['PUT', '/nope/participants/alice@example.com/status', { participantSessionStatus: { status: 'Connected' } }],
    ] as const) {
      expect((await call(alice, method, path, body)).status, `${method} ${path}`).to.equal(404)
    }
  })
})
