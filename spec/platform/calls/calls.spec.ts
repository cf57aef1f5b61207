import { expect } from 'chai'
import { callsFeature, callsFeatureWith } from '../../../platform/features/calls.js'
import { usePlatform, type LoginTokens, type TestPlatform } from '../../helpers/platform.js'
import { manualClock } from '../clock.js'
import { connect, createChannel, exceptionOf, subscribe, type SocketClient } from '../core/wire.js'

// The calls module driven with plain fetch and ws clients (no SDK): protocol/calls.md §16 and
// the fan-out matrix of notifications.md §9.

interface Party {
  readonly tokens: LoginTokens
  readonly socket: SocketClient
  /** A request on this user's `/cpaas/webrtcsignaling/v1/<userId>` subtree. */
  readonly api: (method: string, path: string, body?: unknown) => Promise<Response>
}

type Frame = Record<string, Record<string, unknown>>

const offerSdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n'
const answerSdp = offerSdp.replace('o=- 1 2', 'o=- 7 2')

/** A user on one device: a channel (created with the device's `clientCorrelator`) subscribed to `call`, and its socket. */
async function party(platform: TestPlatform, userId: string, subscribed = true, device = 'spec-device'): Promise<Party> {
  const tokens = await platform.login(userId)
  const channel = await createChannel(platform, tokens, { clientCorrelator: device })
  if (subscribed) await subscribe(platform, tokens, 'call', channel)
  const socket = await connect(platform, channel, tokens.accessToken)
  const api = (method: string, path: string, body?: unknown) => platform.fetchAs(tokens, method, `/cpaas/webrtcsignaling/v1/${tokens.userId}${path}`, body)
  return { tokens, socket, api }
}

const sessionOf = (href: unknown): string => String(href).split('sessions/')[1] ?? ''

async function createSession(caller: Party, address: string, sdp: string | null = offerSdp, name?: string): Promise<{ response: Response; sessionId: string }> {
  const response = await caller.api('POST', '/sessions', {
    wrtcsSession: { clientCorrelator: 'cc', tParticipantAddress: address, offer: sdp === null ? {} : { sdp }, ...(name === undefined ? {} : { tParticipantName: name }) },
  })
  if (response.status !== 201) return { response, sessionId: '' }
  const body = (await response.json()) as { wrtcsSession: { resourceURL: string } }
  return { response, sessionId: sessionOf(body.wrtcsSession.resourceURL) }
}

const linkOf = (notification: Record<string, unknown>): string => ((notification.link as Array<{ href: string }>)[0] ?? { href: '' }).href

/** Places a call alice → bob and returns both session ids and the invitation. */
async function placeCall(alice: Party, bob: Party, address = 'sip:bob@example.com') {
  const { sessionId: callerSession } = await createSession(alice, address)
  const frame = await bob.socket.nextJson()
  const invitation = frame.wrtcsSessionInvitationNotification!
  return { callerSession, calleeSession: sessionOf(linkOf(invitation)), invitation }
}

async function answered(alice: Party, bob: Party) {
  const call = await placeCall(alice, bob)
  expect((await bob.api('PUT', `/sessions/${call.calleeSession}/answer`, { wrtcsAnswer: { clientCorrelator: 'cc', sdp: answerSdp } })).status).to.equal(204)
  expect(Object.keys(await alice.socket.nextJson())).to.deep.equal(['wrtcsAcceptanceNotification'])
  return call
}

/** An audit of `session` by `who` (calls.md §12): the status the platform answers. */
async function audit(who: Party, session: string): Promise<string> {
  const response = await who.api('PUT', `/sessions/${session}/status`, { wrtcsSessionStatus: { clientCorrelator: 'cc', status: 'Connected' } })
  expect(response.status).to.equal(200)
  return ((await response.json()) as { wrtcsSessionStatus: { status: string } }).wrtcsSessionStatus.status
}

describe('platform calls module (platform/features/calls.ts)', function () {
  this.timeout(10000)
  // The module's own timings on a clock only the tests move: calls left ringing by one test never time out into the next one.
  const clock = manualClock()
  const platform = usePlatform({ features: [callsFeature], clock })
  let alice: Party
  let bob: Party

  beforeEach(async () => {
    alice = await party(platform(), 'alice@example.com')
    bob = await party(platform(), 'bob@example.com')
  })
  afterEach(async () => {
    await alice.socket.close()
    await bob.socket.close()
  })

  it('serves TURN credentials in the required wrtcsTurnCredentials body', async () => {
    const response = await alice.api('POST', '/turn', { wrtcsTurnCredentials: { clientCorrelator: 'cc' } })
    expect(response.status).to.equal(200)
    const body = (await response.json()) as { wrtcsTurnCredentials: { username: string; password: string } }
    expect(body.wrtcsTurnCredentials.username).to.be.a('string').and.not.equal('')
    expect(body.wrtcsTurnCredentials.password).to.be.a('string').and.not.equal('')
    expect((await alice.api('POST', '/turn', { nope: 1 })).status).to.equal(400)
  })

  it('creates a session (201, resourceURL) and invites the callee with the offer verbatim, under its own session id', async () => {
    const { response, sessionId } = await createSession(alice, 'sip:bob@example.com')
    expect(response.status).to.equal(201)
    expect(sessionId).to.match(/^[a-z0-9-]+$/)
    const frame = await bob.socket.nextJson()
    expect(Object.keys(frame)).to.deep.equal(['wrtcsSessionInvitationNotification'])
    const invitation = frame.wrtcsSessionInvitationNotification!
    expect(invitation.id).to.be.a('string')
    expect(invitation.offer).to.deep.equal({ sdp: offerSdp })
    expect(invitation.originatorAddress).to.equal('alice@example.com')
    expect(invitation.originatorName).to.equal('Alice Archer')
    const href = linkOf(invitation)
    expect(href).to.match(/^\/cpaas\/webrtcsignaling\/v1\/bob@example\.com\/sessions\/[a-z0-9-]+$/)
    expect(sessionOf(href)).to.not.equal(sessionId)
    expect(alice.socket.unread()).to.deep.equal([])
  })

  it('answers the create with the address and offer it was given', async () => {
    const response = await alice.api('POST', '/sessions', { wrtcsSession: { tParticipantAddress: 'sip:bob@example.com', offer: { sdp: offerSdp } } })
    const body = (await response.json()) as { wrtcsSession: Record<string, unknown> }
    expect(body.wrtcsSession).to.include({ tParticipantAddress: 'sip:bob@example.com' })
    expect(body.wrtcsSession.offer).to.deep.equal({ sdp: offerSdp })
  })

  it('passes the caller display name and reaches a callee by phone number', async () => {
    await createSession(alice, 'sip:+15551230002@example.com', offerSdp, 'Ali')
    const invitation = (await bob.socket.nextJson()).wrtcsSessionInvitationNotification!
    expect(invitation.originatorName).to.equal('Ali')
  })

  it('relays ringing to the caller and answers the status PUT with Ringing', async () => {
    const { callerSession, calleeSession } = await placeCall(alice, bob)
    const response = await bob.api('PUT', `/sessions/${calleeSession}/status`, { wrtcsSessionStatus: { clientCorrelator: 'cc', status: 'Ringing' } })
    expect(response.status).to.equal(200)
    expect(await response.json()).to.deep.equal({ wrtcsSessionStatus: { status: 'Ringing' } })
    const event = (await alice.socket.nextJson()).wrtcsEventNotification!
    expect(event.eventType).to.equal('Ringing')
    expect(sessionOf(linkOf(event))).to.equal(callerSession)
  })

  it('relays Ringing only from the callee of a ringing call', async () => {
    const { callerSession, calleeSession } = await placeCall(alice, bob)
    const ringing = { wrtcsSessionStatus: { clientCorrelator: 'cc', status: 'Ringing' } }
    expect((await alice.api('PUT', `/sessions/${callerSession}/status`, ringing)).status).to.equal(200)
    expect(await alice.socket.barrier()).to.deep.equal([])
    expect(await bob.socket.barrier()).to.deep.equal([])
    expect((await bob.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(204)
    expect(Object.keys(await alice.socket.nextJson())).to.deep.equal(['wrtcsAcceptanceNotification'])
    expect((await bob.api('PUT', `/sessions/${calleeSession}/status`, ringing)).status).to.equal(200)
    expect(await alice.socket.barrier()).to.deep.equal([])
  })

  it('never lets the caller answer its own invitation, nor a party answer its own re-offer', async () => {
    const { callerSession, calleeSession } = await placeCall(alice, bob)
    expect((await alice.api('PUT', `/sessions/${callerSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(400)
    expect(await bob.socket.barrier()).to.deep.equal([])
    expect((await bob.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(204)
    expect(Object.keys(await alice.socket.nextJson())).to.deep.equal(['wrtcsAcceptanceNotification'])
    expect((await alice.api('PUT', `/sessions/${callerSession}/update`, { wrtcsOffer: { sdp: offerSdp } })).status).to.equal(204)
    expect(Object.keys(await bob.socket.nextJson())).to.deep.equal(['wrtcsOfferNotification'])
    expect((await alice.api('PUT', `/sessions/${callerSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(400)
    expect(await bob.socket.barrier()).to.deep.equal([])
  })

  it('relays the first answer to the caller as wrtcsAcceptanceNotification, SDP verbatim', async () => {
    const { callerSession, calleeSession } = await placeCall(alice, bob)
    expect((await bob.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { clientCorrelator: 'cc', sdp: answerSdp } })).status).to.equal(204)
    const acceptance = (await alice.socket.nextJson()).wrtcsAcceptanceNotification!
    expect(acceptance.answer).to.deep.equal({ sdp: answerSdp })
    expect(sessionOf(linkOf(acceptance))).to.equal(callerSession)
  })

  it('relays re-offers both ways (update → wrtcsOfferNotification, answer → wrtcsAnswerNotification) and refuses a second offer in flight', async () => {
    const { callerSession, calleeSession } = await answered(alice, bob)
    const held = offerSdp.replace('m=audio', 'a=inactive\r\nm=audio')
    expect((await alice.api('PUT', `/sessions/${callerSession}/update`, { wrtcsOffer: { clientCorrelator: 'cc', sdp: held } })).status).to.equal(204)
    const offer = (await bob.socket.nextJson()).wrtcsOfferNotification!
    expect(offer.offer).to.deep.equal({ sdp: held })
    expect(sessionOf(linkOf(offer))).to.equal(calleeSession)

    const glare = await bob.api('PUT', `/sessions/${calleeSession}/update`, { wrtcsOffer: { sdp: offerSdp } })
    expect(glare.status).to.equal(409)
    expect((await exceptionOf(glare)).variables[0]).to.contain('491')

    expect((await bob.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(204)
    const answer = (await alice.socket.nextJson()).wrtcsAnswerNotification!
    expect(answer.answer).to.deep.equal({ sdp: answerSdp })

    expect((await bob.api('PUT', `/sessions/${calleeSession}/update`, { wrtcsOffer: { sdp: offerSdp } })).status).to.equal(204)
    expect(Object.keys(await alice.socket.nextJson())).to.deep.equal(['wrtcsOfferNotification'])
    expect((await alice.api('PUT', `/sessions/${callerSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(204)
    expect(Object.keys(await bob.socket.nextJson())).to.deep.equal(['wrtcsAnswerNotification'])

    const stray = await alice.api('PUT', `/sessions/${callerSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })
    expect(stray.status).to.equal(400)
  })

  it('an offer-less update asks the other party for an offer (slow-start re-offer), relays it back as a re-offer, and its answer as wrtcsAnswerNotification', async () => {
    const { callerSession, calleeSession } = await answered(alice, bob)
    expect((await alice.api('PUT', `/sessions/${callerSession}/update`, { wrtcsOffer: { clientCorrelator: 'cc' } })).status).to.equal(204)
    const request = (await bob.socket.nextJson()).wrtcsOfferNotification!
    expect([request.offer, sessionOf(linkOf(request))]).to.deep.equal([{}, calleeSession])
    expect((await alice.api('PUT', `/sessions/${callerSession}/update`, { wrtcsOffer: { sdp: offerSdp } })).status, 'an offer is pending').to.equal(409)

    expect((await bob.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { sdp: offerSdp } })).status).to.equal(204)
    const offer = (await alice.socket.nextJson()).wrtcsOfferNotification!
    expect([offer.offer, sessionOf(linkOf(offer))]).to.deep.equal([{ sdp: offerSdp }, callerSession])
    expect((await alice.api('PUT', `/sessions/${callerSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(204)
    const answer = (await bob.socket.nextJson()).wrtcsAnswerNotification!
    expect([answer.answer, sessionOf(linkOf(answer))]).to.deep.equal([{ sdp: answerSdp }, calleeSession])
    expect((await bob.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status, 'nothing left to answer').to.equal(400)
    expect(alice.socket.unread()).to.deep.equal([])
  })

  it('refuses a re-offer before the call is answered', async () => {
    const { callerSession } = await placeCall(alice, bob)
    expect((await alice.api('PUT', `/sessions/${callerSession}/update`, { wrtcsOffer: { sdp: offerSdp } })).status).to.equal(400)
  })

  it('reject: the callee DELETE before answering ends the caller session (SessionEnded)', async () => {
    const { callerSession, calleeSession } = await placeCall(alice, bob)
    expect((await bob.api('DELETE', `/sessions/${calleeSession}`)).status).to.equal(204)
    const event = (await alice.socket.nextJson()).wrtcsEventNotification!
    expect([event.eventType, sessionOf(linkOf(event))]).to.deep.equal(['SessionEnded', callerSession])
  })

  it('cancel: the caller DELETE before the answer sends Cancelled to the callee', async () => {
    const { callerSession, calleeSession } = await placeCall(alice, bob)
    expect((await alice.api('DELETE', `/sessions/${callerSession}`)).status).to.equal(204)
    const event = (await bob.socket.nextJson()).wrtcsEventNotification!
    expect([event.eventType, sessionOf(linkOf(event))]).to.deep.equal(['Cancelled', calleeSession])
    expect((await bob.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(404)
  })

  for (const ender of ['caller', 'callee'] as const) {
    it(`end after answer by the ${ender}: the other party gets SessionEnded; a second DELETE still answers 204`, async () => {
      const { callerSession, calleeSession } = await answered(alice, bob)
      const [by, to, session] = ender === 'caller' ? [alice, bob, callerSession] : [bob, alice, calleeSession]
      expect((await by.api('DELETE', `/sessions/${session}`)).status).to.equal(204)
      expect((await to.socket.nextJson()).wrtcsEventNotification!.eventType).to.equal('SessionEnded')
      expect((await by.api('DELETE', `/sessions/${session}`)).status).to.equal(204)
      expect(await to.socket.barrier()).to.deep.equal([])
    })
  }

  it('audits: Connected while the session lives, Closed once it ended or for an unknown session (200)', async () => {
    const { callerSession, calleeSession } = await answered(alice, bob)
    expect(await audit(alice, callerSession)).to.equal('Connected')
    expect(await audit(bob, calleeSession)).to.equal('Connected')
    await alice.api('DELETE', `/sessions/${callerSession}`)
    expect(await audit(bob, calleeSession)).to.equal('Closed')
    expect(await audit(alice, 'no-such-session')).to.equal('Closed')
  })

  it('a user cannot act on another user’s session', async () => {
    const { callerSession } = await placeCall(alice, bob)
    expect((await bob.api('DELETE', `/sessions/${callerSession}`)).status).to.equal(404)
    expect((await bob.api('PUT', `/sessions/${callerSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(404)
    expect(await alice.socket.barrier()).to.deep.equal([])
  })

  it('a call to a user or number that does not exist fails with 404 SVC0004 naming the address', async () => {
    for (const address of ['sip:nobody@example.com', 'sip:+15559999999@example.com']) {
      const { response } = await createSession(alice, address)
      expect(response.status, address).to.equal(404)
      const exception = await exceptionOf(response)
      expect([exception.kind, exception.messageId, exception.variables[0]]).to.deep.equal(['serviceException', 'SVC0004', address])
    }
  })

  it('a callee with no call subscription: 201, then after 1 s SessionEnded 480 Temporarily Unavailable to the caller', async () => {
    const carol = await party(platform(), 'carol@example.com', false)
    try {
      const { response, sessionId } = await createSession(alice, 'sip:carol@example.com')
      expect(response.status).to.equal(201)
      clock.advance(999)
      expect(await alice.socket.barrier()).to.deep.equal([])
      clock.advance(1)
      const event = (await alice.socket.nextJson()).wrtcsEventNotification!
      expect(event).to.include({ eventType: 'SessionEnded', statusCode: 480, reasonText: 'Temporarily Unavailable' })
      expect(sessionOf(linkOf(event))).to.equal(sessionId)
      expect(await carol.socket.barrier()).to.deep.equal([])
      const audit = await alice.api('PUT', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Connected' } })
      expect(await audit.json()).to.deep.equal({ wrtcsSessionStatus: { status: 'Closed' } })
    } finally {
      await carol.socket.close()
    }
  })

  it('slow start: an offer-less invitation; the callee offers with PUT answer, the caller answers, the callee gets the acceptance', async () => {
    const { sessionId: callerSession } = await createSession(alice, 'sip:bob@example.com', null)
    const invitation = (await bob.socket.nextJson()).wrtcsSessionInvitationNotification!
    expect(invitation.offer).to.deep.equal({})
    const calleeSession = sessionOf(linkOf(invitation))
    expect((await bob.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { sdp: offerSdp } })).status).to.equal(204)
    const offer = (await alice.socket.nextJson()).wrtcsOfferNotification!
    expect([offer.offer, sessionOf(linkOf(offer))]).to.deep.equal([{ sdp: offerSdp }, callerSession])
    expect((await alice.api('PUT', `/sessions/${callerSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(204)
    const acceptance = (await bob.socket.nextJson()).wrtcsAcceptanceNotification!
    expect(acceptance.answer).to.deep.equal({ sdp: answerSdp })
  })

  it('refuses malformed bodies with 400 SVC0002', async () => {
    const { callerSession } = await placeCall(alice, bob)
    const bad: Array<[string, string, unknown]> = [
      ['POST', '/sessions', { wrtcsSession: { offer: { sdp: offerSdp } } }],
      ['POST', '/sessions', { wrtcsSession: { tParticipantAddress: 'sip:bob@example.com', offer: { sdp: 5 } } }],
      ['PUT', `/sessions/${callerSession}/status`, { wrtcsSessionStatus: { status: 'Dancing' } }],
      ['PUT', `/sessions/${callerSession}/answer`, { wrtcsAnswer: {} }],
      ['PUT', `/sessions/${callerSession}/update`, { wrtcsOffer: { sdp: 1 } }],
    ]
    for (const [method, path, body] of bad) {
      const response = await alice.api(method, path, body)
      expect(response.status, `${method} ${path}`).to.equal(400)
      expect((await exceptionOf(response)).messageId).to.equal('SVC0002')
    }
  })

  it('delivers call notifications to every channel of the callee subscribed to call', async () => {
    const second = await party(platform(), 'bob@example.com')
    try {
      await createSession(alice, 'sip:bob@example.com')
      const frames: Frame[] = [await bob.socket.nextJson(), await second.socket.nextJson()]
      expect(frames.map((frame) => Object.keys(frame)[0])).to.deep.equal(['wrtcsSessionInvitationNotification', 'wrtcsSessionInvitationNotification'])
    } finally {
      await second.socket.close()
    }
  })
})

describe('platform calls module: ring timeout', function () {
  this.timeout(10000)
  // The calls module's own timings (60 s ring timeout), on a clock the specs move.
  const clock = manualClock()
  const platform = usePlatform({ features: [callsFeature], clock })

  /** Alice and Bob, each on a device of their own for one spec: their sockets close after it. */
  async function withParties(work: (alice: Party, bob: Party) => Promise<void>): Promise<void> {
    const alice = await party(platform(), 'alice@example.com')
    const bob = await party(platform(), 'bob@example.com')
    try {
      await work(alice, bob)
    } finally {
      await alice.socket.close()
      await bob.socket.close()
    }
  }

  /** Nothing reached either party: the call is still up. Alice then hangs up, so that their silence ends nothing in the next spec. */
  async function stillUpThenHungUp(alice: Party, bob: Party, callerSession: string): Promise<void> {
    expect(await alice.socket.barrier()).to.deep.equal([])
    expect(await bob.socket.barrier()).to.deep.equal([])
    expect((await alice.api('DELETE', `/sessions/${callerSession}`)).status).to.equal(204)
  }

  it('an unanswered call rings for 60 s by default, not a millisecond less: then SessionEnded 408 to the caller, Cancelled to the callee', () =>
    withParties(async (alice, bob) => {
      const { callerSession } = await placeCall(alice, bob)
      clock.advance(59_999)
      expect(await alice.socket.barrier()).to.deep.equal([])
      expect(await bob.socket.barrier()).to.deep.equal([])
      clock.advance(1)
      const caller = (await alice.socket.nextJson()).wrtcsEventNotification!
      const callee = (await bob.socket.nextJson()).wrtcsEventNotification!
      expect([caller.eventType, caller.statusCode, callee.eventType]).to.deep.equal(['SessionEnded', 408, 'Cancelled'])
      expect((await alice.api('DELETE', `/sessions/${callerSession}`)).status).to.equal(204)
    }))

  it('an answered call whose parties audit never times out', () =>
    withParties(async (alice, bob) => {
      const { callerSession, calleeSession } = await answered(alice, bob)
      // Ten minutes of audits every 25 s, as clients send them (calls.md §12).
      for (let round = 0; round < 24; round++) {
        clock.advance(25_000)
        expect(await audit(alice, callerSession)).to.equal('Connected')
        expect(await audit(bob, calleeSession)).to.equal('Connected')
      }
      await stillUpThenHungUp(alice, bob, callerSession)
    }))

  it('a party silent for 2 minutes (no audit, no request) is gone: both get SessionEnded 408 and the call ends', () =>
    withParties(async (alice, bob) => {
      const { callerSession, calleeSession } = await answered(alice, bob)
      // Alice audits, Bob's page is gone: his silence counts from the answer.
      clock.advance(100_000)
      expect(await audit(alice, callerSession)).to.equal('Connected')
      clock.advance(19_999)
      expect(await alice.socket.barrier()).to.deep.equal([])
      clock.advance(1)
      const ended = { eventType: 'SessionEnded', statusCode: 408, reasonText: 'Session audit timed out' }
      expect((await alice.socket.nextJson()).wrtcsEventNotification).to.deep.include(ended)
      expect((await bob.socket.nextJson()).wrtcsEventNotification).to.deep.include(ended)
      expect(await audit(alice, callerSession)).to.equal('Closed')
      expect(await audit(bob, calleeSession)).to.equal('Closed')
      expect((await alice.api('DELETE', `/sessions/${callerSession}`)).status).to.equal(204)
      expect(await bob.socket.barrier()).to.deep.equal([])
    }))

  it('a re-offer or an answer counts as hearing from the party, as an audit does', () =>
    withParties(async (alice, bob) => {
      const { callerSession, calleeSession } = await answered(alice, bob)
      // Bob's re-offer is all he sends in the first 2 minutes, Alice's answer all she sends in the next.
      clock.advance(110_000)
      expect(await audit(alice, callerSession)).to.equal('Connected')
      expect((await bob.api('PUT', `/sessions/${calleeSession}/update`, { wrtcsOffer: { sdp: offerSdp } })).status).to.equal(204)
      expect(Object.keys(await alice.socket.nextJson())).to.deep.equal(['wrtcsOfferNotification'])
      clock.advance(110_000)
      expect((await alice.api('PUT', `/sessions/${callerSession}/answer`, { wrtcsAnswer: { sdp: answerSdp } })).status).to.equal(204)
      expect(Object.keys(await bob.socket.nextJson())).to.deep.equal(['wrtcsAnswerNotification'])
      expect(await audit(bob, calleeSession)).to.equal('Connected')
      clock.advance(110_000)
      expect(await audit(alice, callerSession)).to.equal('Connected')
      expect(await audit(bob, calleeSession)).to.equal('Connected')
      await stillUpThenHungUp(alice, bob, callerSession)
    }))
})

describe('platform calls module: users whose identity is not their userId', function () {
  this.timeout(10000)
  const user = (userId: string, identity: string, phoneNumber: string) => ({ userId, identity, password: 'password', firstName: 'Ann', lastName: 'Other', email: `${userId}@mail.example.com`, phoneNumber })
  const platform = usePlatform({ users: [user('u-1001', 'ann@example.com', '+15550001001'), user('u-1002', 'ben@example.com', '+15550001002')], features: [callsFeatureWith({ ringTimeout: 60_000 })] })

  it('sends the caller identity as originatorAddress (notifications.md §4.1 recommendation), not the userId', async () => {
    const ann = await party(platform(), 'u-1001')
    const ben = await party(platform(), 'u-1002')
    try {
      const { invitation } = await placeCall(ann, ben, 'sip:ben@example.com')
      expect(invitation.originatorAddress).to.equal('ann@example.com')
    } finally {
      await ann.socket.close()
      await ben.socket.close()
    }
  })
})

describe('platform calls module: a callee on several devices', function () {
  this.timeout(10000)
  // Each case ends the call it made: no ring timeout is left to fire, so the wall clock is enough.
  const platform = usePlatform({ features: [callsFeature] })
  let alice: Party
  let desk: Party
  let phone: Party

  beforeEach(async () => {
    alice = await party(platform(), 'alice@example.com')
    desk = await party(platform(), 'bob@example.com', true, 'bob-desk')
    phone = await party(platform(), 'bob@example.com', true, 'bob-phone')
  })
  afterEach(async () => {
    await Promise.all([alice, desk, phone].map((user) => user.socket.close()))
  })

  /** Alice calls bob: both of bob's devices ring with the same session; returns the ids. */
  async function ringBoth() {
    const { sessionId: callerSession } = await createSession(alice, 'sip:bob@example.com')
    const rang = [await desk.socket.nextJson(), await phone.socket.nextJson()].map((frame) => linkOf(frame.wrtcsSessionInvitationNotification!))
    expect(rang[0]).to.equal(rang[1])
    return { callerSession, calleeSession: sessionOf(rang[0]) }
  }

  it('answered on one device: the others get Cancelled, and the call’s later notifications reach the answering device alone', async () => {
    const { callerSession, calleeSession } = await ringBoth()
    expect((await phone.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { clientCorrelator: 'bob-phone', sdp: answerSdp } })).status).to.equal(204)
    expect(Object.keys(await alice.socket.nextJson())).to.deep.equal(['wrtcsAcceptanceNotification'])
    const elsewhere = (await desk.socket.nextJson()).wrtcsEventNotification!
    expect([elsewhere.eventType, sessionOf(linkOf(elsewhere))]).to.deep.equal(['Cancelled', calleeSession])
    expect(await phone.socket.barrier()).to.deep.equal([])

    expect((await alice.api('PUT', `/sessions/${callerSession}/update`, { wrtcsOffer: { sdp: offerSdp } })).status).to.equal(204)
    expect(Object.keys(await phone.socket.nextJson())).to.deep.equal(['wrtcsOfferNotification'])
    expect((await phone.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { clientCorrelator: 'bob-phone', sdp: answerSdp } })).status).to.equal(204)
    expect(Object.keys(await alice.socket.nextJson())).to.deep.equal(['wrtcsAnswerNotification'])
    expect((await alice.api('DELETE', `/sessions/${callerSession}`)).status).to.equal(204)
    expect((await phone.socket.nextJson()).wrtcsEventNotification!.eventType).to.equal('SessionEnded')
    expect(await desk.socket.barrier()).to.deep.equal([])
  })

  /** A device reports ringing (`PUT …/status`), as the SDK does on an invitation; its token is its own login's. */
  const ringing = (device: Party, calleeSession: string, clientCorrelator: string) =>
    device.api('PUT', `/sessions/${calleeSession}/status`, { wrtcsSessionStatus: { clientCorrelator, status: 'Ringing' } })

  it('rejected on one device: the caller gets SessionEnded, the others get Cancelled, the rejecting device nothing', async () => {
    const { callerSession, calleeSession } = await ringBoth()
    for (const [device, correlator] of [[desk, 'bob-desk'], [phone, 'bob-phone']] as const) expect((await ringing(device, calleeSession, correlator)).status).to.equal(200)
    expect((await alice.socket.barrier()).map((frame) => (JSON.parse(frame) as Frame).wrtcsEventNotification!.eventType)).to.deep.equal(['Ringing', 'Ringing'])
    expect((await phone.api('DELETE', `/sessions/${calleeSession}`)).status).to.equal(204)
    const ended = (await alice.socket.nextJson()).wrtcsEventNotification!
    expect([ended.eventType, sessionOf(linkOf(ended))]).to.deep.equal(['SessionEnded', callerSession])
    const elsewhere = (await desk.socket.nextJson()).wrtcsEventNotification!
    expect([elsewhere.eventType, sessionOf(linkOf(elsewhere))]).to.deep.equal(['Cancelled', calleeSession])
    expect(await phone.socket.barrier()).to.deep.equal([])
    expect(await desk.socket.barrier()).to.deep.equal([])
  })

  it('a reject whose device is unknown (it never reported ringing, or two devices rang with one token) cancels no device', async () => {
    const first = await ringBoth()
    expect((await ringing(desk, first.calleeSession, 'bob-desk')).status).to.equal(200)
    expect((await phone.api('DELETE', `/sessions/${first.calleeSession}`)).status).to.equal(204)
    // One token reported for both devices: which one rejects cannot be told.
    const second = await ringBoth()
    for (const correlator of ['bob-desk', 'bob-phone']) expect((await ringing(phone, second.calleeSession, correlator)).status).to.equal(200)
    expect((await phone.api('DELETE', `/sessions/${second.calleeSession}`)).status).to.equal(204)
    expect((await alice.socket.barrier()).map((frame) => (JSON.parse(frame) as Frame).wrtcsEventNotification!.eventType)).to.deep.equal(['Ringing', 'SessionEnded', 'Ringing', 'Ringing', 'SessionEnded'])
    expect(await desk.socket.barrier()).to.deep.equal([])
    expect(await phone.socket.barrier()).to.deep.equal([])
  })

  it('an answer that names no device of the callee (or none at all) keeps every device informed, and cancels none', async () => {
    for (const clientCorrelator of ['another-app', undefined]) {
      const { callerSession, calleeSession } = await ringBoth()
      expect((await phone.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { clientCorrelator, sdp: answerSdp } })).status).to.equal(204)
      expect(Object.keys(await alice.socket.nextJson())).to.deep.equal(['wrtcsAcceptanceNotification'])
      expect(await desk.socket.barrier()).to.deep.equal([])
      expect((await alice.api('DELETE', `/sessions/${callerSession}`)).status).to.equal(204)
      for (const device of [desk, phone]) expect((await device.socket.nextJson()).wrtcsEventNotification!.eventType).to.equal('SessionEnded')
    }
  })
})
