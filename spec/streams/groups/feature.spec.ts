import { expect } from 'chai'
import type { Subject } from 'rxjs'
import { createConfig } from '../../../streams/config/feature.js'
import type { InboundNotification } from '../../../streams/connection/link.js'
import { createEnvironment } from '../../../streams/environment.js'
import { createGroups, type GroupsFeature } from '../../../streams/groups/feature.js'
import type { GroupEvent } from '../../../streams/groups/state.js'
import { recordedFeature, streamsCompletedByDispose } from '../features.js'
import { createLogs } from '../../../streams/logs/feature.js'
import { captureConsole } from '../logs/capture.js'
import { aliceUser, quietCore, recordingLink, type RecordingLink } from '../presence/link.js'

/** Groups for Alice (username alice) whose tokens claim `identity`, on a recording link. */
const groupsAs = (identity: string | undefined) =>
  recordedFeature((link) => createGroups({ ...quietCore(), link }), { ...recordingLink(), user: () => ({ ...aliceUser, username: 'alice', identity }) })

/** The body that creates group `name`: `owner` first, as its administrator, then the other participants. */
const creation = (name: string, owner: string, ...others: string[]) => ({
  groupChatSessionInformation: {
    participant: [{ address: owner, 'x-isAdmin': true }, ...others.map((address) => ({ address, 'x-isAdmin': false }))],
    'x-name': name,
  },
})

describe('groups feature: arguments', () => {
  let link: RecordingLink, groups: GroupsFeature, events: GroupEvent[]
  beforeEach(() => {
    ;({ link, feature: groups, events } = recordedFeature((link) => createGroups({ ...quietCore(), link })))
  })
  afterEach(() => groups.dispose())

  const failure = () => {
    const last = events.at(-1)
    return last?.type === 'groupFailed' ? last : undefined
  }

  it('needs a group name: groups:3 and nothing sent', () => {
    for (const params of [undefined, {}, { name: '' }, { subject: 'x' }]) {
      groups.commands.create(params as never) // bad input, as an app without types may pass it
      expect(failure()?.error.code, JSON.stringify(params)).to.equal('groups:3')
      expect(failure()?.operation).to.equal('create')
    }
    expect(link.requests).to.deep.equal([])
  })

  it('rejects parameters of the wrong type with BAD_INPUT', () => {
    for (const params of [{ name: 5 }, { name: 'T', participants: 'bob' }, { name: 'T', participants: [3] }, { name: 'T', participants: [''] }, { name: 'T', participants: [{ address: '' }] }, { name: 'T', subject: {} }, { name: 'T', image: 1 }, { name: 'T', type: true }]) {
      groups.commands.create(params as never) // bad input, as an app without types may pass it
      expect(failure()?.error.code, JSON.stringify(params)).to.equal('BAD_INPUT')
    }
    expect(link.requests).to.deep.equal([])
  })

  it('creates with the owner first as administrator, participants as strings or { address }, optional fields only when given', () => {
    groups.commands.create({ name: 'Team', participants: ['bob@example.com', { address: 'carol@example.com' }, 'alice@example.com', 'bob@example.com'] })
    expect(link.requests[0]).to.include({ method: 'POST', path: '/cpaas/chat/v1/alice@example.com/group', operation: 'Create group' })
    expect(link.requests[0]?.body).to.deep.equal({
      groupChatSessionInformation: {
        participant: [
          { address: 'alice@example.com', 'x-isAdmin': true },
          { address: 'bob@example.com', 'x-isAdmin': false },
          { address: 'carol@example.com', 'x-isAdmin': false },
        ],
        'x-name': 'Team',
      },
    })
    groups.commands.create({ name: 'Team', subject: 'S', image: 'https://example.com/i.png', type: 'closed' })
    expect(link.requests[1]?.body).to.deep.equal({
      groupChatSessionInformation: {
        participant: [{ address: 'alice@example.com', 'x-isAdmin': true }],
        subject: 'S',
        'x-image': 'https://example.com/i.png',
        'x-name': 'Team',
        'x-type': 'closed',
      },
    })
  })

  it('needs a group id (and a participant) for every group operation: groups:3, in the operation\'s event', () => {
    const operations = ['leave', 'acceptInvitation', 'rejectInvitation', 'delete'] as const
    for (const operation of operations) {
      groups.commands[operation](undefined as never) // bad input, as an app without types may pass it
      expect(failure()).to.deep.include({ operation })
      expect(failure()?.error.code).to.equal('groups:3')
      groups.commands[operation](7 as never)
      expect(failure()?.error.code).to.equal('BAD_INPUT')
    }
    groups.commands.addParticipant('g1', undefined as never) // bad input, as an app without types may pass it
    expect(failure()).to.deep.include({ operation: 'addParticipant', groupId: 'g1' })
    expect(failure()?.error.code).to.equal('groups:3')
    groups.commands.removeParticipant(undefined as never, 'bob@example.com')
    expect(failure()?.error.code).to.equal('groups:3')
    expect(link.requests).to.deep.equal([])
  })

  it('uses the own identity for leave, accept and reject', () => {
    groups.commands.leave('g1')
    groups.commands.acceptInvitation('g2')
    groups.commands.rejectInvitation('g3')
    groups.commands.removeParticipant('g4', 'bob@example.com')
    groups.commands.addParticipant('g5', 'carol@example.com')
    groups.commands.delete('g6')
    expect(link.requests.map((request) => `${request.method} ${request.path} ${request.operation}`)).to.deep.equal([
      'DELETE /cpaas/chat/v1/alice@example.com/group/g1/participants/alice@example.com Leave group',
      'PUT /cpaas/chat/v1/alice@example.com/group/g2/participants/alice@example.com/status Accept Invitation',
      'DELETE /cpaas/chat/v1/alice@example.com/group/g3/participants/alice@example.com Reject Invitation',
      'DELETE /cpaas/chat/v1/alice@example.com/group/g4/participants/bob@example.com Remove participant',
      'POST /cpaas/chat/v1/alice@example.com/group/g5/participants Add Participant',
      'DELETE /cpaas/chat/v1/alice@example.com/group/g6 Delete Group',
    ])
    expect(link.requests[1]?.body).to.deep.equal({ participantSessionStatus: { status: 'Connected' } })
    expect(link.requests[4]?.body).to.deep.equal({ participantInformation: { address: 'carol@example.com', 'x-isAdmin': false } })
  })

  it('addresses the user by the identity claim in the body and participants, by the username in the path, and by the username without a claim', () => {
    const { link: claimed, feature: withClaim } = groupsAs('alice@example.com')
    withClaim.commands.create({ name: 'Team', participants: ['alice@example.com', 'alice', 'bob@example.com'] })
    withClaim.commands.leave('g1')
    withClaim.commands.acceptInvitation('g2')
    withClaim.commands.rejectInvitation('g3')
    expect(claimed.requests.map((request) => request.path)).to.deep.equal([
      '/cpaas/chat/v1/alice/group',
      '/cpaas/chat/v1/alice/group/g1/participants/alice@example.com',
      '/cpaas/chat/v1/alice/group/g2/participants/alice@example.com/status',
      '/cpaas/chat/v1/alice/group/g3/participants/alice@example.com',
    ])
    expect(claimed.requests[0]?.body).to.deep.equal(creation('Team', 'alice@example.com', 'alice', 'bob@example.com'))
    withClaim.dispose()
    const { link: unclaimed, feature: withoutClaim } = groupsAs(undefined)
    withoutClaim.commands.create({ name: 'Team', participants: ['alice', 'bob@example.com'] })
    withoutClaim.commands.leave('g1')
    expect(unclaimed.requests.map((request) => request.path)).to.deep.equal(['/cpaas/chat/v1/alice/group', '/cpaas/chat/v1/alice/group/g1/participants/alice'])
    expect(unclaimed.requests[0]?.body).to.deep.equal(creation('Team', 'alice', 'bob@example.com'))
    withoutClaim.dispose()
  })

  it('warns of an ignored group event and of malformed notifications (no participant, no group link), which it also reports', () => {
    const captured = captureConsole()
    const config = createConfig({ logs: { logLevel: 'warn' } })
    const { link: noticed, feature: logged, events: seen } = recordedFeature((link) => createGroups({ config, logs: createLogs(config, createEnvironment({ console: captured.console })), link }))
    const notify = (kind: string, body: Record<string, unknown>): void => (noticed.notifications$ as Subject<InboundNotification>).next({ kind, id: `n-${kind}`, body, frame: {} })
    notify('chatEventNotification', { eventType: 'SessionRenamed', link: [{ rel: 'groupChatSessionInformation', href: '/cpaas/chat/v1/alice/group/g1' }] })
    notify('chatParticipantStatusNotification', { participant: [], link: [{ rel: 'groupChatSessionInformation', href: '/cpaas/chat/v1/alice/group/g1' }] })
    notify('chatParticipantStatusNotification', { participant: [{ address: 'bob@example.com', status: 'Connected' }], link: [] })
    const malformed = ['warn', '[kandy-rx:groups] Dropped a malformed chatParticipantStatusNotification', 'n-chatParticipantStatusNotification']
    expect(captured.calls.map(({ method, args }) => [method, ...args])).to.deep.equal([['warn', '[kandy-rx:groups] Ignored a group event of type SessionRenamed'], malformed, malformed])
    const failed = ['groupFailed', 'notification', 'BAD_INPUT']
    expect(seen.map((event) => (event.type === 'groupFailed' ? [event.type, event.operation, event.error.code] : event.type))).to.deep.equal([failed, failed])
    logged.dispose()
  })

  it('completes its streams on dispose', () => {
    expect(streamsCompletedByDispose(groups)).to.equal(2)
  })
})
