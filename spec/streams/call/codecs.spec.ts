import { expect } from 'chai'
import { isRight } from 'fp-ts/Either'
import type * as t from 'io-ts'
import {
  AnswerNotification,
  AnswerRequest,
  CreateSessionRequest,
  CreateSessionResponse,
  EventNotification,
  OfferNotification,
  OfferRequest,
  SessionInvitationNotification,
  SessionStatusRequest,
  SessionStatusResponse,
  TransferRequest,
  decodeCallNotification,
  isCallNotificationKind,
  linkedSessionId,
  notifiedSessionId,
  sessionIdOf,
} from '../../../streams/call/codecs.js'

const accepts = (codec: t.Decoder<unknown, unknown>, value: unknown): boolean => isRight(codec.decode(value))

const link = [{ rel: 'webrtcSession', href: '/cpaas/webrtcsignaling/v1/bob@example.com/sessions/abc-123' }]

describe('call wire codecs (streams/call/codecs.ts)', () => {
  it('create session: the request of calls.md §3.2, with or without a display name; a slow-start offer {}', () => {
    const body = { wrtcsSession: { clientCorrelator: 'cc', tParticipantAddress: 'sip:bob@example.com', offer: { sdp: 'v=0' } } }
    expect(accepts(CreateSessionRequest, body)).to.equal(true)
    expect(accepts(CreateSessionRequest, { wrtcsSession: { ...body.wrtcsSession, tParticipantName: 'Alice' } })).to.equal(true)
    expect(accepts(CreateSessionRequest, { wrtcsSession: { ...body.wrtcsSession, offer: {} } })).to.equal(true)
    expect(accepts(CreateSessionRequest, { wrtcsSession: { clientCorrelator: 'cc', offer: { sdp: 'v=0' } } })).to.equal(false)
    expect(accepts(CreateSessionRequest, { wrtcsSession: { tParticipantAddress: 'x', offer: { sdp: 42 } } })).to.equal(false)
    expect(accepts(CreateSessionRequest, { wrtcsSession: { tParticipantAddress: 'x' } })).to.equal(false)
  })

  it('create session response: resourceURL is required', () => {
    expect(accepts(CreateSessionResponse, { wrtcsSession: { resourceURL: '/cpaas/webrtcsignaling/v1/a/sessions/s1', offer: { sdp: 'v=0' } } })).to.equal(true)
    expect(accepts(CreateSessionResponse, { wrtcsSession: {} })).to.equal(false)
    expect(accepts(CreateSessionResponse, {})).to.equal(false)
  })

  it('status: Ringing and Connected are the statuses a party reports; the response may say Closed', () => {
    expect(accepts(SessionStatusRequest, { wrtcsSessionStatus: { clientCorrelator: 'cc', status: 'Ringing' } })).to.equal(true)
    expect(accepts(SessionStatusRequest, { wrtcsSessionStatus: { status: 'Connected' } })).to.equal(true)
    expect(accepts(SessionStatusRequest, { wrtcsSessionStatus: { status: 'Dancing' } })).to.equal(false)
    expect(accepts(SessionStatusResponse, { wrtcsSessionStatus: { status: 'Closed' } })).to.equal(true)
    expect(accepts(SessionStatusResponse, {})).to.equal(false)
  })

  it('answer, update and transfer bodies', () => {
    expect(accepts(AnswerRequest, { wrtcsAnswer: { clientCorrelator: 'cc', sdp: 'v=0' } })).to.equal(true)
    expect(accepts(AnswerRequest, { wrtcsAnswer: { clientCorrelator: 'cc' } })).to.equal(false)
    expect(accepts(OfferRequest, { wrtcsOffer: { clientCorrelator: 'cc', sdp: 'v=0' } })).to.equal(true)
    expect(accepts(OfferRequest, { wrtcsOffer: { sdp: null } })).to.equal(false)
    expect(accepts(TransferRequest, { wrtcsTransfer: { address: 'sip:carol@example.com', sessionId: 's2' } })).to.equal(true)
    expect(accepts(TransferRequest, { wrtcsTransfer: { sessionId: 's2' } })).to.equal(false)
  })

  it('invitation: offer object required (empty for slow start), originator fields optional', () => {
    const invitation = { id: 'n1', originatorAddress: 'alice@example.com', originatorName: 'Alice', offer: { sdp: 'v=0' }, link }
    expect(accepts(SessionInvitationNotification, invitation)).to.equal(true)
    expect(accepts(SessionInvitationNotification, { id: 'n1', offer: {}, link })).to.equal(true)
    expect(accepts(SessionInvitationNotification, { id: 'n1', link })).to.equal(false)
    expect(accepts(SessionInvitationNotification, { id: 'n1', offer: {} })).to.equal(false)
  })

  it('acceptance / answer notifications need answer.sdp; offer notifications an offer object; events an eventType', () => {
    expect(accepts(AnswerNotification, { id: 'n', answer: { sdp: 'v=0' }, link })).to.equal(true)
    expect(accepts(AnswerNotification, { id: 'n', answer: {}, link })).to.equal(false)
    expect(accepts(OfferNotification, { id: 'n', offer: {}, link })).to.equal(true)
    expect(accepts(OfferNotification, { id: 'n', link })).to.equal(false)
    expect(accepts(EventNotification, { id: 'n', eventType: 'SessionEnded', link })).to.equal(true)
    expect(accepts(EventNotification, { id: 'n', eventType: 'SessionEnded', link, reasonText: 'Busy', statusCode: 486 })).to.equal(true)
    expect(accepts(EventNotification, { id: 'n', link })).to.equal(false)
  })

  it('session ids come from the text after sessions/ of link[0].href or resourceURL', () => {
    expect(notifiedSessionId(link)).to.equal('abc-123')
    expect(notifiedSessionId([])).to.equal(undefined)
    expect(sessionIdOf('https://h:443/cpaas/webrtcsignaling/v1/u/sessions/s-9')).to.equal('s-9')
    expect(sessionIdOf('/cpaas/webrtcsignaling/v1/u/turn')).to.equal(undefined)
  })

  it('knows the five call notification kinds', () => {
    for (const kind of ['wrtcsSessionInvitationNotification', 'wrtcsAcceptanceNotification', 'wrtcsAnswerNotification', 'wrtcsOfferNotification', 'wrtcsEventNotification'])
      expect(isCallNotificationKind(kind), kind).to.equal(true)
    expect(isCallNotificationKind('chatMessageNotification')).to.equal(false)
    expect(isCallNotificationKind('toString')).to.equal(false)
  })

  it('decodes a call notification into its tagged form, and names the session of one that does not decode', () => {
    const decoded = decodeCallNotification('wrtcsEventNotification', { id: 'n1', link, eventType: 'Ringing' })
    expect(isRight(decoded) && decoded.right.kind === 'wrtcsEventNotification' && decoded.right.body.eventType).to.equal('Ringing')
    expect(isRight(decodeCallNotification('wrtcsAnswerNotification', { id: 'n2', link, answer: {} }))).to.equal(false)
    expect(linkedSessionId({ link, answer: 42 })).to.equal('abc-123')
    expect(linkedSessionId({ link: 'nope' })).to.equal(undefined)
  })
})
