import { expect } from 'chai'
import { callsFeatureWith } from '../../../platform/features/calls.js'
import { usePlatform, type LoginTokens, type TestPlatform } from '../../helpers/platform.js'
import { manualClock } from '../clock.js'
import { connect, createChannel, exceptionOf, subscribe, type SocketClient } from '../core/wire.js'

// Consultative transfer on the local platform (protocol/calls.md §11), driven with plain fetch and
// ws clients: SDPs are opaque strings relayed verbatim, so no media is needed.

interface Party {
  readonly tokens: LoginTokens
  readonly socket: SocketClient
  readonly api: (method: string, path: string, body?: unknown) => Promise<Response>
}

const sdp = (id: number): string => `v=0\r\no=- ${id} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n`
const held = (id: number): string => sdp(id).replace('m=audio', 'a=inactive\r\nm=audio')

async function party(platform: TestPlatform, userId: string): Promise<Party> {
  const tokens = await platform.login(userId)
  const channel = await createChannel(platform, tokens)
  await subscribe(platform, tokens, 'call', channel)
  const socket = await connect(platform, channel, tokens.accessToken)
  const api = (method: string, path: string, body?: unknown) => platform.fetchAs(tokens, method, `/cpaas/webrtcsignaling/v1/${tokens.userId}${path}`, body)
  return { tokens, socket, api }
}

const sessionOf = (notification: Record<string, unknown> | undefined): string =>
  String((notification?.link as Array<{ href: string }> | undefined)?.[0]?.href ?? '').split('sessions/')[1] ?? ''

/** A call from `caller` to `callee`, answered, then held by `holder` (a re-offer answered): the state a transfer starts from. */
async function heldCall(caller: Party, callee: Party, holder: 'caller' | 'callee') {
  const created = await caller.api('POST', '/sessions', { wrtcsSession: { tParticipantAddress: `sip:${callee.tokens.userId}`, offer: { sdp: sdp(1) } } })
  expect(created.status).to.equal(201)
  const callerSession = String(((await created.json()) as { wrtcsSession: { resourceURL: string } }).wrtcsSession.resourceURL).split('sessions/')[1] ?? ''
  const calleeSession = sessionOf((await callee.socket.nextJson()).wrtcsSessionInvitationNotification)
  expect((await callee.api('PUT', `/sessions/${calleeSession}/answer`, { wrtcsAnswer: { sdp: sdp(2) } })).status).to.equal(204)
  expect(Object.keys(await caller.socket.nextJson())).to.deep.equal(['wrtcsAcceptanceNotification'])
  const [by, other, bySession, otherSession] = holder === 'caller' ? [caller, callee, callerSession, calleeSession] : [callee, caller, calleeSession, callerSession]
  expect((await by.api('PUT', `/sessions/${bySession}/update`, { wrtcsOffer: { sdp: held(3) } })).status).to.equal(204)
  expect(Object.keys(await other.socket.nextJson())).to.deep.equal(['wrtcsOfferNotification'])
  expect((await other.api('PUT', `/sessions/${otherSession}/answer`, { wrtcsAnswer: { sdp: held(4) } })).status).to.equal(204)
  expect(Object.keys(await by.socket.nextJson())).to.deep.equal(['wrtcsAnswerNotification'])
  return { callerSession, calleeSession }
}

const transfer = (by: Party, sessionId: string, body: Record<string, unknown>) => by.api('PUT', `/sessions/${sessionId}/transfer`, { wrtcsTransfer: { clientCorrelator: 'cc', ...body } })

const audit = async (who: Party, session: string): Promise<string> => {
  const response = await who.api('PUT', `/sessions/${session}/status`, { wrtcsSessionStatus: { status: 'Connected' } })
  return ((await response.json()) as { wrtcsSessionStatus: { status: string } }).wrtcsSessionStatus.status
}

/** alice → bob (alice holds) and carol → alice (alice holds): one outgoing and one incoming call of alice. */
async function consultation(alice: Party, bob: Party, carol: Party) {
  const withBob = await heldCall(alice, bob, 'caller')
  const withCarol = await heldCall(carol, alice, 'callee')
  return { aliceBob: withBob.callerSession, bob: withBob.calleeSession, aliceCarol: withCarol.calleeSession, carol: withCarol.callerSession }
}

/** Alice transfers Bob to Carol: Bob answers the offer-less re-offer with his offer, which reaches Carol (she owes the answer). */
async function transferredToCarol(alice: Party, bob: Party, carol: Party) {
  const sessions = await consultation(alice, bob, carol)
  await transfer(alice, sessions.aliceBob, { address: 'carol@example.com', sessionId: sessions.aliceCarol })
  expect((await alice.socket.barrier()).length).to.equal(2)
  await bob.socket.nextJson()
  await bob.api('PUT', `/sessions/${sessions.bob}/answer`, { wrtcsAnswer: { sdp: sdp(10) } })
  await carol.socket.nextJson()
  return sessions
}

describe('platform calls module: consultative transfer (platform/features/calls-transfer.ts)', function () {
  this.timeout(10000)
  const clock = manualClock()
  const platform = usePlatform({ features: [callsFeatureWith({ ringTimeout: 60_000, unreachableDelay: 50, endedRetention: 100 })], clock })
  let alice: Party
  let bob: Party
  let carol: Party

  beforeEach(async () => {
    ;[alice, bob, carol] = await Promise.all(['alice@example.com', 'bob@example.com', 'carol@example.com'].map((user) => party(platform(), user)))
  })
  afterEach(async () => {
    await Promise.all([alice, bob, carol].map((user) => user.socket.close()))
  })

  it('re-pairs the two remote parties: an offer-less re-offer to one, its offer to the other, the answer back; SDPs verbatim', async () => {
    const sessions = await consultation(alice, bob, carol)
    expect((await transfer(alice, sessions.aliceBob, { address: 'sip:carol@example.com', sessionId: sessions.aliceCarol })).status).to.equal(204)

    const reoffer = (await bob.socket.nextJson()).wrtcsOfferNotification
    expect(reoffer?.offer).to.deep.equal({})
    expect(sessionOf(reoffer)).to.equal(sessions.bob)

    expect((await bob.api('PUT', `/sessions/${sessions.bob}/answer`, { wrtcsAnswer: { clientCorrelator: 'cc', sdp: sdp(10) } })).status).to.equal(204)
    const offer = (await carol.socket.nextJson()).wrtcsOfferNotification
    expect(offer?.offer).to.deep.equal({ sdp: sdp(10) })
    expect(sessionOf(offer)).to.equal(sessions.carol)

    expect((await carol.api('PUT', `/sessions/${sessions.carol}/answer`, { wrtcsAnswer: { clientCorrelator: 'cc', sdp: sdp(11) } })).status).to.equal(204)
    const answer = (await bob.socket.nextJson()).wrtcsAnswerNotification
    expect(answer?.answer).to.deep.equal({ sdp: sdp(11) })
    expect(sessionOf(answer)).to.equal(sessions.bob)

    // Nothing else reached the remote parties: their sessions live on, paired with each other.
    expect(await bob.socket.barrier()).to.deep.equal([])
    expect(await carol.socket.barrier()).to.deep.equal([])
  })

  it('ends both sessions of the transferring user with SessionEnded 9905 "Transfer Successful"', async () => {
    const sessions = await consultation(alice, bob, carol)
    expect((await transfer(alice, sessions.aliceCarol, { address: 'sip:bob@example.com', sessionId: sessions.aliceBob })).status).to.equal(204)
    const ended = [(await alice.socket.nextJson()).wrtcsEventNotification, (await alice.socket.nextJson()).wrtcsEventNotification]
    expect(ended.map((event) => [event?.eventType, event?.statusCode, event?.reasonText])).to.deep.equal([
      ['SessionEnded', 9905, 'Transfer Successful'],
      ['SessionEnded', 9905, 'Transfer Successful'],
    ])
    expect(ended.map(sessionOf).sort()).to.deep.equal([sessions.aliceBob, sessions.aliceCarol].sort())
    expect(await alice.socket.barrier()).to.deep.equal([])
    // Here carol (the transferee of the session named in the path) offers first.
    expect((await carol.socket.nextJson()).wrtcsOfferNotification?.offer).to.deep.equal({})
    // The transferring user's sessions are gone: audits say Closed, a late DELETE still succeeds.
    expect(await audit(alice, sessions.aliceBob)).to.equal('Closed')
    expect(await audit(alice, sessions.aliceCarol)).to.equal('Closed')
    expect((await alice.api('DELETE', `/sessions/${sessions.aliceBob}`)).status).to.equal(204)
    expect(await bob.socket.barrier()).to.deep.equal([])
  })

  it('the new pairing lives on: audits Connected (also after the old calls are forgotten), re-offers both ways, DELETE ends the other party', async () => {
    const sessions = await transferredToCarol(alice, bob, carol)
    await carol.api('PUT', `/sessions/${sessions.carol}/answer`, { wrtcsAnswer: { sdp: sdp(11) } })
    await bob.socket.nextJson()

    // endedRetention is 100 ms here: alice's old calls are forgotten, the re-paired sessions are not.
    clock.advance(100)
    expect(await audit(bob, sessions.bob)).to.equal('Connected')
    expect(await audit(carol, sessions.carol)).to.equal('Connected')
    expect(await audit(alice, sessions.aliceBob)).to.equal('Closed')

    expect((await carol.api('PUT', `/sessions/${sessions.carol}/update`, { wrtcsOffer: { sdp: held(12) } })).status).to.equal(204)
    const offer = (await bob.socket.nextJson()).wrtcsOfferNotification
    expect([offer?.offer, sessionOf(offer)]).to.deep.equal([{ sdp: held(12) }, sessions.bob])
    expect((await bob.api('PUT', `/sessions/${sessions.bob}/answer`, { wrtcsAnswer: { sdp: held(13) } })).status).to.equal(204)
    expect((await carol.socket.nextJson()).wrtcsAnswerNotification?.answer).to.deep.equal({ sdp: held(13) })

    expect((await bob.api('DELETE', `/sessions/${sessions.bob}`)).status).to.equal(204)
    const ended = (await carol.socket.nextJson()).wrtcsEventNotification
    expect([ended?.eventType, sessionOf(ended)]).to.deep.equal(['SessionEnded', sessions.carol])
    expect(await alice.socket.barrier()).to.deep.equal([])
  })

  it('refuses a transfer it cannot do, telling nobody: unknown or foreign sessions 404, bad bodies 400, an offer in flight 409', async () => {
    const sessions = await consultation(alice, bob, carol)
    const expectRefused = async (response: Response, status: number, variable?: RegExp) => {
      expect(response.status).to.equal(status)
      const { messageId, variables } = await exceptionOf(response)
      expect(messageId).to.match(/^SVC/)
      if (variable !== undefined) expect(variables.join(' ')).to.match(variable)
    }
    await expectRefused(await transfer(alice, 'no-such-session', { address: 'sip:carol@example.com', sessionId: sessions.aliceCarol }), 404)
    await expectRefused(await transfer(alice, sessions.aliceBob, { address: 'sip:carol@example.com', sessionId: 'no-such-session' }), 404)
    // bob's session is not alice's to transfer, and alice cannot name carol's session either.
    await expectRefused(await transfer(bob, sessions.aliceBob, { address: 'sip:carol@example.com', sessionId: sessions.aliceCarol }), 404)
    await expectRefused(await transfer(alice, sessions.aliceBob, { address: 'sip:carol@example.com', sessionId: sessions.carol }), 404)
    await expectRefused(await transfer(alice, sessions.aliceBob, { address: 'sip:carol@example.com' }), 400, /consultative/)
    await expectRefused(await transfer(alice, sessions.aliceBob, { address: 'sip:bob@example.com', sessionId: sessions.aliceBob }), 400, /itself/)
    await expectRefused(await transfer(alice, sessions.aliceBob, { address: 'sip:dave@example.com', sessionId: sessions.aliceCarol }), 400, /not the remote party/)
    await expectRefused(await alice.api('PUT', `/sessions/${sessions.aliceBob}/transfer`, { wrtcsTransfer: { sessionId: sessions.aliceCarol } }), 400)
    await expectRefused(await alice.api('PUT', `/sessions/${sessions.aliceBob}/transfer`, { nope: {} }), 400)

    // An offer in flight on either call: 409 (SIP 491), as for a second re-offer.
    expect((await bob.api('PUT', `/sessions/${sessions.bob}/update`, { wrtcsOffer: { sdp: sdp(20) } })).status).to.equal(204)
    expect(Object.keys(await alice.socket.nextJson())).to.deep.equal(['wrtcsOfferNotification'])
    await expectRefused(await transfer(alice, sessions.aliceCarol, { address: 'sip:bob@example.com', sessionId: sessions.aliceBob }), 409, /491/)

    for (const user of [alice, bob, carol]) expect(await user.socket.barrier()).to.deep.equal([])
    expect(await audit(alice, sessions.aliceBob)).to.equal('Connected')
    expect(await audit(alice, sessions.aliceCarol)).to.equal('Connected')
  })

  it('refuses with 404 a transfer naming a call that has ended, either way round', async () => {
    const sessions = await consultation(alice, bob, carol)
    expect((await alice.api('DELETE', `/sessions/${sessions.aliceBob}`)).status).to.equal(204)
    expect((await transfer(alice, sessions.aliceBob, { address: 'sip:carol@example.com', sessionId: sessions.aliceCarol })).status).to.equal(404)
    expect((await transfer(alice, sessions.aliceCarol, { address: 'sip:bob@example.com', sessionId: sessions.aliceBob })).status).to.equal(404)
    expect(await audit(alice, sessions.aliceCarol)).to.equal('Connected')
  })

  it('refuses to transfer a call that is still ringing', async () => {
    const { callerSession } = await heldCall(alice, bob, 'caller')
    const created = await alice.api('POST', '/sessions', { wrtcsSession: { tParticipantAddress: 'sip:carol@example.com', offer: { sdp: sdp(30) } } })
    const ringing = String(((await created.json()) as { wrtcsSession: { resourceURL: string } }).wrtcsSession.resourceURL).split('sessions/')[1] ?? ''
    expect(Object.keys(await carol.socket.nextJson())).to.deep.equal(['wrtcsSessionInvitationNotification'])
    const response = await transfer(alice, callerSession, { address: 'sip:carol@example.com', sessionId: ringing })
    expect(response.status).to.equal(400)
    expect((await exceptionOf(response)).variables.join(' ')).to.match(/not answered/)
    expect(await bob.socket.barrier()).to.deep.equal([])
  })
})

describe('platform calls module: a transferred pair is audited as any call', function () {
  this.timeout(10000)
  const clock = manualClock()
  const platform = usePlatform({ features: [callsFeatureWith({ auditTimeout: 120_000 })], clock })

  it('ends the new pairing when one of its parties goes silent for the audit timeout', async () => {
    const [alice, bob, carol] = await Promise.all(['alice@example.com', 'bob@example.com', 'carol@example.com'].map((user) => party(platform(), user)))
    try {
      // Carol gets Bob's offer and is silent from then on (her page closed); Bob audits.
      const sessions = await transferredToCarol(alice, bob, carol)
      clock.advance(100_000)
      expect(await audit(bob, sessions.bob)).to.equal('Connected')
      clock.advance(20_000)
      for (const who of [bob, carol]) expect((await who.socket.nextJson()).wrtcsEventNotification).to.deep.include({ eventType: 'SessionEnded', statusCode: 408 })
      expect(await audit(bob, sessions.bob)).to.equal('Closed')
      expect(await alice.socket.barrier()).to.deep.equal([])
    } finally {
      await Promise.all([alice, bob, carol].map((user) => user.socket.close()))
    }
  })
})
