// Wire fuzz: every notification kind of protocol/notifications.md, sent malformed (a required
// field of the wrong type) to a logged-in client through the platform's admin API. Each frame
// must change no state, crash nothing, and be reported by exactly one error event.
import { expect } from 'chai'
import type { Client } from '../../lib/index.js'
import { createTestClient, nextEvent, type TestClient } from '../../testing/clients.js'
import { startPlatform, type TestPlatform } from '../../testing/platform.js'
import { watchUncaught } from './api-calls.js'

type Json = Record<string, unknown>

const session = (userId: string) => [{ rel: 'webrtcSession', href: `/cpaas/webrtcsignaling/v1/${userId}/sessions/fuzz-session` }]
const group = (userId: string) => [{ rel: 'groupChatSessionInformation', href: `/cpaas/chat/v1/${userId}/group/fuzz-group` }]
const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n'
const participant = { address: 'alice@example.com', status: 'Connected', 'x-isAdmin': true }

/** A well-formed body of each kind (notifications.md §4–8), for the user `me`. */
const templates = (me: string): Record<string, Json> => ({
  wrtcsSessionInvitationNotification: { originatorAddress: 'alice@example.com', originatorName: 'Alice', offer: { sdp }, link: session(me) },
  wrtcsAcceptanceNotification: { answer: { sdp }, link: session(me) },
  wrtcsAnswerNotification: { answer: { sdp }, link: session(me) },
  wrtcsOfferNotification: { offer: { sdp }, link: session(me) },
  wrtcsEventNotification: { eventType: 'SessionEnded', link: session(me) },
  chatMessageNotification: {
    dateTime: 1_700_000_000_000,
    chatMessage: { senderAddress: 'alice@example.com', 'x-destinationAddress': me, text: 'hi', 'x-type': 'inbound', dateTime: 1_700_000_000_000 },
    link: [{ rel: 'chatMessage', href: `/cpaas/chat/v1/${me}/oneToOne/alice@example.com/adhoc/messages/fuzz-message` }],
  },
  inboundSMSMessageNotification: {
    dateTime: 1_700_000_000_000,
    inboundSMSMessage: { dateTime: 1_700_000_000_000, destinationAddress: '+15550001111', message: 'hi', messageId: 'fuzz-sms', senderAddress: '+15552223333' },
  },
  deliveryInfoNotification: { deliveryInfo: { address: '+15552223333', deliveryStatus: 'DeliveredToTerminal', messageId: 'fuzz-sms' } },
  presenceNotification: {
    presentityUserId: 'alice@example.com',
    presence: { person: { 'overriding-willingness': { overridingWillingnessValue: 'Open' }, activities: { activityValue: 'ActivitiesAvailable' } } },
  },
  groupChatSessionInvitationNotification: { 'x-name': 'Fuzz', subject: 'fuzz', participant: [participant], link: group(me) },
  chatParticipantStatusNotification: { 'x-name': 'Fuzz', participant: [participant], link: group(me) },
  chatEventNotification: { eventType: 'SessionEnded', link: group(me) },
})

/** What a required field holds: the values of the wrong type a malformed frame puts there differ. */
type Field = 'string' | 'object' | 'array' | 'sdp' | 'session link'

/** The required fields of each kind (dotted paths into the body) that a malformed frame gets wrong. */
const required: Record<string, Readonly<Record<string, Field>>> = {
  wrtcsSessionInvitationNotification: { offer: 'object', 'offer.sdp': 'sdp', link: 'array', 'link.0.href': 'session link' },
  wrtcsAcceptanceNotification: { answer: 'object', 'answer.sdp': 'sdp', link: 'array', 'link.0.href': 'session link' },
  wrtcsAnswerNotification: { answer: 'object', 'answer.sdp': 'sdp', link: 'array' },
  wrtcsOfferNotification: { offer: 'object', 'offer.sdp': 'sdp', link: 'array' },
  wrtcsEventNotification: { eventType: 'string', link: 'array', 'link.0.href': 'session link' },
  chatMessageNotification: { chatMessage: 'object', 'chatMessage.senderAddress': 'string', 'chatMessage.text': 'string', link: 'array', 'link.0.href': 'string' },
  inboundSMSMessageNotification: { inboundSMSMessage: 'object', 'inboundSMSMessage.message': 'string', 'inboundSMSMessage.senderAddress': 'string' },
  deliveryInfoNotification: { deliveryInfo: 'object', 'deliveryInfo.address': 'string', 'deliveryInfo.messageId': 'string' },
  presenceNotification: { presentityUserId: 'string', presence: 'object', 'presence.person': 'object', 'presence.person.activities': 'object' },
  groupChatSessionInvitationNotification: { participant: 'array', 'participant.0': 'object', link: 'array', 'link.0.href': 'string' },
  chatParticipantStatusNotification: { participant: 'array', 'participant.0': 'object', link: 'array' },
  chatEventNotification: { eventType: 'string', link: 'array', 'link.0.href': 'string' },
}

/** Values of the wrong type for each kind of field (an SDP that is no SDP, a session link without a session). */
const wrongValues: Readonly<Record<Field, readonly unknown[]>> = {
  string: [null, 5, [], { nested: true }],
  object: [null, 5, 'x', []],
  array: [null, 5, 'x', { nested: true }],
  sdp: [null, 5, 'x'],
  'session link': [null, 5, 'x', '/cpaas/webrtcsignaling/v1/sessions/'],
}

const withField = (body: Json, path: string, value: unknown): Json => {
  const copy = JSON.parse(JSON.stringify(body)) as Json
  const keys = path.split('.')
  let at: Record<string, unknown> = copy
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>
  at[keys.at(-1) as string] = value
  return copy
}

/** Every value a malformed frame must leave alone, as JSON. */
const snapshot = (client: Client): string =>
  JSON.stringify({
    calls: client.call.getAll(),
    conversations: client.conversation.getAll().map((conversation) => ({ destination: conversation.destination, type: conversation.type, messages: conversation.getMessages() })),
    presence: client.presence.getAll(),
    groups: client.groups.getAll(),
    invitations: client.groups.getInvitations(),
  })

const errorEvents = ['notifications:error', 'call:error', 'messages:error', 'presence:error', 'group:error', 'group:change', 'contacts:error'] as const

describe('wire fuzz: malformed notifications', function () {
  this.timeout(120_000)
  let platform: TestPlatform
  let bob: TestClient
  const reports: Array<{ type: string; payload: unknown }> = []

  before(async () => {
    platform = await startPlatform({ users: ['alice@example.com', 'bob@example.com'] })
    bob = await createTestClient(platform, 'bob@example.com')
    for (const type of errorEvents) bob.on(type, (payload) => reports.push({ type, payload }))
    bob.on('call:stateChange', (payload) => {
      if ((payload as { error?: unknown }).error !== undefined) reports.push({ type: 'call:stateChange', payload })
    })
  })

  after(async () => {
    bob?.dispose()
    await platform?.stop()
  })

  it('reports every malformed frame of every kind once, changes no state and crashes nothing', async () => {
    const uncaught = watchUncaught()
    const bodies = templates(bob.tokens.userId)
    const outcomes: string[] = []
    let sequence = 0
    try {
      for (const [kind, fields] of Object.entries(required)) {
        for (const [path, field] of Object.entries(fields)) {
          for (const value of wrongValues[field]) {
            const before = snapshot(bob)
            const reported = reports.length
            sequence += 1
            const frame = { [kind]: { ...withField(bodies[kind] as Json, path, value), id: `fuzz-${sequence}` } }
            expect(await platform.admin.send('bob@example.com', JSON.stringify(frame))).to.be.at.least(1)
            // Frames are handled in arrival order: once a later frame of an unknown kind is received, this one was handled.
            const barrier = `barrier-${sequence}`
            const passed = nextEvent<{ payload: Json }>(bob, 'notification:received', ({ payload }) => (payload.fuzzBarrier as Json | undefined)?.id === barrier)
            await platform.admin.send('bob@example.com', JSON.stringify({ fuzzBarrier: { id: barrier } }))
            await passed
            await new Promise((resolve) => setTimeout(resolve, 5))
            const seen = reports.slice(reported).map(({ type }) => type)
            const changed = snapshot(bob) !== before
            if (seen.length !== 1 || changed || uncaught.seen.length > 0)
              outcomes.push(`${kind}.${path} = ${JSON.stringify(value)}: ${seen.length} error events [${seen.join(', ')}]${changed ? ', state changed' : ''}${uncaught.seen.length > 0 ? `, uncaught ${String(uncaught.seen[0])}` : ''}`)
            uncaught.seen.length = 0
          }
        }
      }
    } finally {
      uncaught.stop()
    }
    expect(outcomes).to.deep.equal([])
    expect(sequence).to.equal(Object.values(required).flatMap((fields) => Object.values(fields).map((field) => wrongValues[field].length)).reduce((a, b) => a + b))
  })
})

