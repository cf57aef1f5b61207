import { expect } from 'chai'
import { BasicError } from '../../../streams/errors.js'
import { groupsReducer, initialGroupsState, toGroup, type Group, type GroupEvent, type GroupsState } from '../../../streams/groups/state.js'

const wire = {
  resourceURL: '/cpaas/chat/v1/owner@example.com/group/g1',
  'x-name': 'Team',
  subject: 'Weekly sync',
  'x-image': 'https://example.com/team.png',
  'x-type': 'closed',
  participant: [
    { address: 'owner@example.com', 'x-isAdmin': true, status: 'Connected', resourceURL: '/cpaas/chat/v1/owner@example.com/group/g1/participants/owner@example.com' },
    { address: 'bob@example.com', 'x-isAdmin': false, status: 'Invited', resourceURL: '/x', 'x-extra': 1 },
  ],
}
const team: Group = toGroup(wire)
const reduce = (events: GroupEvent[], from: GroupsState = initialGroupsState): GroupsState => events.reduce(groupsReducer, from)

describe('groups reducer', () => {
  it('reads a wire group into the SDK form: id from resourceURL, isAdmin, no resourceURL or x-type', () => {
    expect(team).to.deep.equal({
      id: 'g1',
      name: 'Team',
      subject: 'Weekly sync',
      image: 'https://example.com/team.png',
      participants: [
        { address: 'owner@example.com', status: 'Connected', isAdmin: true },
        { address: 'bob@example.com', status: 'Invited', isAdmin: false, 'x-extra': 1 },
      ],
    })
  })

  it('reads the group id as the last non-empty segment of resourceURL', () => {
    expect(toGroup({ ...wire, resourceURL: '/cpaas/chat/v1/owner@example.com/group/g1/' }).id).to.equal('g1')
  })

  it('gives a participant without x-isAdmin no isAdmin field', () => {
    expect(toGroup({ resourceURL: '/group/g2', participant: [{ address: 'carol@example.com', status: 'Invited' }] }).participants).to.deep.equal([
      { address: 'carol@example.com', status: 'Invited' },
    ])
  })

  it('adds a created group once', () => {
    const state = reduce([{ type: 'groupCreated', group: team }, { type: 'groupCreated', group: team }])
    expect(state.groups).to.deep.equal([team])
  })

  it('replaces every group with a fetched list', () => {
    const other = { ...team, id: 'g2' }
    const state = reduce([{ type: 'groupCreated', group: team }, { type: 'groupsFetched', groups: [other] }])
    expect(state.groups).to.deep.equal([other])
  })

  it('stores an invitation once per group and turns it into a group when accepted', () => {
    const invitation = { id: 'g1', name: 'Team', participants: team.participants }
    const invited = reduce([{ type: 'invitationReceived', invitation }, { type: 'invitationReceived', invitation }])
    expect(invited.invitations).to.deep.equal([invitation])
    const joined = groupsReducer(invited, { type: 'invitationAccepted', group: team })
    expect(joined).to.deep.equal({ groups: [team], invitations: [] })
  })

  it('drops the group and its invitation on reject, leave and delete', () => {
    const invitation = { id: 'g1', name: 'Team', participants: [] }
    for (const event of [
      { type: 'invitationRejected', groupId: 'g1' },
      { type: 'groupLeft', groupId: 'g1' },
      { type: 'groupDeleted', groupId: 'g1', group: team },
    ] satisfies GroupEvent[]) {
      const state = reduce([{ type: 'groupCreated', group: team }, { type: 'invitationReceived', invitation }, event])
      expect(state, event.type).to.deep.equal({ groups: [], invitations: [] })
    }
  })

  it('appends an added participant and removes one by address', () => {
    const carol = { address: 'carol@example.com', status: 'Invited', isAdmin: false }
    const added = reduce([{ type: 'groupCreated', group: team }, { type: 'participantAdded', groupId: 'g1', participant: carol }])
    expect(added.groups[0]?.participants.at(-1)).to.deep.equal(carol)
    const removed = groupsReducer(added, { type: 'participantRemoved', groupId: 'g1', address: 'bob@example.com' })
    expect(removed.groups[0]?.participants.map((p) => p.address)).to.deep.equal(['owner@example.com', 'carol@example.com'])
  })

  it('replaces a participant from a status notification and moves it to the end', () => {
    const state = reduce([
      { type: 'groupCreated', group: team },
      { type: 'participantStatusChanged', groupId: 'g1', participant: { address: 'owner@example.com', status: 'Connected', isAdmin: true } },
      { type: 'participantStatusChanged', groupId: 'g1', participant: { address: 'bob@example.com', status: 'Connected', isAdmin: false } },
    ])
    expect(state.groups[0]?.participants).to.deep.equal([
      { address: 'owner@example.com', status: 'Connected', isAdmin: true },
      { address: 'bob@example.com', status: 'Connected', isAdmin: false },
    ])
  })

  it('ignores participant changes of an unknown group', () => {
    const state = reduce([{ type: 'groupCreated', group: team }])
    expect(groupsReducer(state, { type: 'participantStatusChanged', groupId: 'nope', participant: { address: 'x' } })).to.equal(state)
    expect(groupsReducer(state, { type: 'participantAdded', groupId: 'nope', participant: { address: 'x' } })).to.equal(state)
  })

  it('removes a group and any invitation to it on SessionEnded and on SessionCancelled', () => {
    const invitation = { id: 'g1', name: 'Team', participants: [] }
    const start = reduce([{ type: 'groupCreated', group: team }, { type: 'invitationReceived', invitation }])
    expect(groupsReducer(start, { type: 'groupEnded', groupId: 'g1', eventType: 'SessionEnded' })).to.deep.equal({ groups: [], invitations: [] })
    expect(groupsReducer(start, { type: 'groupEnded', groupId: 'g1', eventType: 'SessionCancelled' })).to.deep.equal({ groups: [], invitations: [] })
  })

  it('changes nothing on a failure or for an unknown group', () => {
    const state = reduce([{ type: 'groupCreated', group: team }])
    expect(groupsReducer(state, { type: 'groupFailed', operation: 'leave', error: new BasicError('groups:3', 'x'), groupId: 'g1' })).to.equal(state)
    expect(groupsReducer(state, { type: 'groupLeft', groupId: 'nope' })).to.equal(state)
  })
})
