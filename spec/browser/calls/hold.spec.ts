import { expect } from 'chai'
import { useHarness, type UserPage } from '../harness.js'
import { connectedPair, flagsOf, inboundRising, ringingPair } from './steps.js'

/** No inbound stream of the call rises (Chromium may also drop the stats entry of a receiver that is inactive). */
const stopped = async (user: UserPage, callId: string): Promise<boolean> => !Object.values(await inboundRising(user, callId, false)).includes(true)

const allRising = (kinds: string[], value: boolean) => Object.fromEntries(kinds.map((kind) => [kind, value]))

describe('calls in Chromium: hold and unhold (protocol/calls.md §7–§9)', function () {
  this.timeout(90000)
  const harness = useHarness()

  it('hold stops media both ways (getStats on both sides), both sides see On Hold with the right flags; unhold resumes it', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true, video: true })
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal(allRising(['audio', 'video'], true))

    await alice.run((client, id) => client.call.hold(id), callerCall)
    const held = await alice.waitFor('call:stateChange', { callId: callerCall, previous: { state: 'Connected', localHold: false, remoteHold: false } })
    expect(held.payload.error).to.equal(undefined)
    expect(await flagsOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
    const remotelyHeld = await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'Connected', localHold: false, remoteHold: false } })
    expect(remotelyHeld.payload.error).to.equal(undefined)
    expect(await flagsOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })
    expect(await stopped(alice, callerCall)).to.equal(true)
    expect(await stopped(bob, calleeCall)).to.equal(true)

    await alice.run((client, id) => client.call.unhold(id), callerCall)
    await alice.waitFor('call:stateChange', { callId: callerCall, previous: { state: 'On Hold', localHold: true, remoteHold: false } })
    expect(await flagsOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'On Hold', localHold: false, remoteHold: true } })
    expect(await flagsOf(bob, calleeCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('both parties hold: dual hold; the call stays On Hold, without media, until both have unheld', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true, video: true })
    await alice.run((client, id) => client.call.hold(id), callerCall)
    await bob.until((client, id) => client.call.getById(id)?.remoteHold === true, calleeCall)
    await bob.run((client, id) => client.call.hold(id), calleeCall)
    await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'On Hold', localHold: false, remoteHold: true } })
    await alice.waitFor('call:stateChange', { callId: callerCall, previous: { state: 'On Hold', localHold: true, remoteHold: false } })
    expect(await flagsOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: true })
    expect(await flagsOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: true })

    await alice.run((client, id) => client.call.unhold(id), callerCall)
    await alice.waitFor('call:stateChange', { callId: callerCall, previous: { state: 'On Hold', localHold: true, remoteHold: true } })
    await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'On Hold', localHold: true, remoteHold: true } })
    expect(await flagsOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })
    expect(await flagsOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
    expect(await stopped(alice, callerCall)).to.equal(true)
    expect(await stopped(bob, calleeCall)).to.equal(true)

    await bob.run((client, id) => client.call.unhold(id), calleeCall)
    await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'On Hold', localHold: true, remoteHold: false } })
    await alice.waitFor('call:stateChange', { callId: callerCall, previous: { state: 'On Hold', localHold: false, remoteHold: true } })
    expect(await flagsOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await flagsOf(bob, calleeCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('refuses hold and unhold in the wrong state (call:6) or for an unknown call (call:7), changing nothing and sending nothing', async () => {
    const { bob, calleeCall } = await ringingPair(harness())
    await bob.run((client, id) => client.call.hold(id), calleeCall)
    const ringing = await bob.waitFor('call:stateChange', { callId: calleeCall, error: { code: 'call:6' } })
    expect(ringing.payload.previous).to.deep.equal({ state: 'Ringing', localHold: undefined, remoteHold: undefined })
    await bob.run((client, id) => client.call.answer(id, { audio: true }), calleeCall)
    await bob.until((client, id) => client.call.getById(id)?.state === 'Connected', calleeCall)

    await bob.run((client, id) => client.call.unhold(id), calleeCall)
    const notHeld = await bob.waitFor('call:stateChange', { callId: calleeCall, error: { code: 'call:6' } }, { after: ringing.index })
    expect(notHeld.payload.previous).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    await bob.run((client, id) => client.call.hold(id), calleeCall)
    await bob.until((client, id) => client.call.getById(id)?.localHold === true, calleeCall)
    await bob.run((client, id) => client.call.hold(id), calleeCall)
    const heldTwice = await bob.waitFor('call:stateChange', { callId: calleeCall, error: { code: 'call:6' } }, { after: notHeld.index })
    expect(heldTwice.payload.previous).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
    await bob.run((client) => client.call.hold('no-such-call'))
    expect((await bob.waitFor('call:stateChange', { callId: 'no-such-call' })).payload.error).to.deep.include({ code: 'call:7' })
    expect(await flagsOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
    expect(await bob.run((_client, _arg, { peers }) => peers.at(-1)?.signalingState)).to.equal('stable')
  })

  it('a slow-start re-offer whose reply the platform refuses: the call keeps its peer connection and its media both ways, and says why', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true, video: true })
    const sessionId = await alice.run((client, id) => client.call.getById(id)?.wrtcsSessionId ?? '', callerCall)
    const bobSession = await bob.run((client, id) => client.call.getById(id)?.wrtcsSessionId ?? '', calleeCall)
    await harness().platform.admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/${bob.tokens.userId}/sessions/${bobSession}/answer`, status: 503, count: 1 })
    const peersBefore = await bob.run((_client, _arg, { peers }) => peers.length)
    const tracksBefore = await bob.run((client, id) => client.call.getById(id)?.remoteTracks ?? [], calleeCall)
    const lastBob = (await bob.events()).length - 1

    // What a gateway does (its re-INVITE without SDP): Bob offers on a new peer connection, and the platform refuses his reply.
    const asked = await harness().platform.fetchAs(alice.tokens, 'PUT', `/cpaas/webrtcsignaling/v1/${alice.tokens.userId}/sessions/${sessionId}/update`, { wrtcsOffer: { clientCorrelator: 'gateway' } })
    expect(asked.status).to.equal(204)
    const refused = await bob.waitFor('call:stateChange', { callId: calleeCall }, { after: lastBob })
    expect(refused.payload).to.deep.include({ previous: { state: 'Connected', localHold: false, remoteHold: false } })
    expect(refused.payload.error).to.deep.include({ name: 'BasicError' })
    // The new connection is closed; the one before it is the call's again, open, with the remote tracks it had.
    expect(await bob.run((_client, from, { peers }) => peers.slice(from).map((peer) => peer.signalingState), peersBefore - 1)).to.deep.equal(['stable', 'closed'])
    expect(await flagsOf(bob, calleeCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await bob.run((client, id) => client.call.getById(id)?.remoteTracks ?? [], calleeCall)).to.deep.equal(tracksBefore)
    expect((await bob.events('call:trackEnded')).filter((event) => event.index > lastBob)).to.deep.equal([])
    expect(await bob.until((client, id) => ['connected', 'completed'].includes(client.call.getById(id)?.mediaConnectionState ?? ''), calleeCall)).to.equal(true)
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(await flagsOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
  })

  it('slow-start re-offers (an offer-less update from the far end): new peer connections on both sides, media flows again; while held it stays held', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true, video: true })
    const sessionId = await alice.run((client, id) => client.call.getById(id)?.wrtcsSessionId ?? '', callerCall)
    const peersBefore = await bob.run((_client, _arg, { peers }) => peers.length)
    const tracksBefore = await bob.run((client, id) => client.call.getById(id)?.remoteTracks ?? [], calleeCall)
    const askForOffer = async (): Promise<void> => {
      // What a gateway does (its re-INVITE without SDP): the local platform relays it as `offer: {}`.
      const response = await harness().platform.fetchAs(alice.tokens, 'PUT', `/cpaas/webrtcsignaling/v1/${alice.tokens.userId}/sessions/${sessionId}/update`, { wrtcsOffer: { clientCorrelator: 'gateway' } })
      expect(response.status).to.equal(204)
    }

    const lastBob = (await bob.events()).length - 1
    const lastAlice = (await alice.events()).length - 1
    await askForOffer()
    // Bob offered on a new peer connection; Alice's connection is recreated too (a new o= line, §8.1 step 3).
    const bobUpdated = await bob.waitFor('call:stateChange', { callId: calleeCall }, { after: lastBob })
    expect(bobUpdated.payload).to.deep.include({ error: undefined, previous: { state: 'Connected', localHold: false, remoteHold: false } })
    const aliceUpdated = await alice.waitFor('call:stateChange', { callId: callerCall }, { after: lastAlice })
    expect(aliceUpdated.payload.error).to.equal(undefined)
    expect(await bob.run((_client, _arg, { peers }) => [peers.length, peers.at(-2)?.signalingState])).to.deep.equal([peersBefore + 1, 'closed'])
    expect(await flagsOf(bob, calleeCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await flagsOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    const tracksAfter = await bob.until((client, id) => ((client.call.getById(id)?.remoteTracks.length ?? 0) === 2 ? client.call.getById(id)?.remoteTracks : false), calleeCall)
    expect(tracksAfter.filter((trackId) => tracksBefore.includes(trackId))).to.deep.equal([])
    const ended = (await bob.events('call:trackEnded')).filter((event) => event.payload.callId === calleeCall && event.payload.local === false)
    expect(ended.map((event) => event.payload.trackId).sort()).to.deep.equal([...tracksBefore].sort())
    await bob.expectMediaFlowing(calleeCall)
    await alice.expectMediaFlowing(callerCall)

    await alice.run((client, id) => client.call.hold(id), callerCall)
    await bob.until((client, id) => client.call.getById(id)?.remoteHold === true, calleeCall)
    const beforeHeld = (await bob.events()).length - 1
    await askForOffer()
    await bob.waitFor('call:stateChange', { callId: calleeCall }, { after: beforeHeld })
    expect(await bob.run((_client, _arg, { peers }) => peers.length)).to.equal(peersBefore + 2)
    expect(await flagsOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })
    expect(await flagsOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
    // The new connection has received nothing at all: no inbound stream has any bytes, or rising ones.
    expect(await stopped(bob, calleeCall)).to.equal(true)

    await alice.run((client, id) => client.call.unhold(id), callerCall)
    await bob.until((client, id) => client.call.getById(id)?.state === 'Connected', calleeCall)
    await alice.until((client, id) => client.call.getById(id)?.state === 'Connected', callerCall)
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })
})
