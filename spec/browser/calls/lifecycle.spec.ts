import { expect } from 'chai'
import { until } from '../../helpers/client.js'
import { manualClock } from '../../platform/clock.js'
import { useHarness } from '../harness.js'
import { keepLocalTracks, keptTrackStates, openPair, peerClosed, ring, ringingPair, stateOf } from './steps.js'

describe('calls in Chromium: calls that do not connect', function () {
  this.timeout(60000)
  const harness = useHarness()

  it('rejected: the callee’s call ends, the caller gets Ended with transition.prevState Ringing and its media stopped', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringingPair(harness(), { audio: true, video: true })
    expect(await keepLocalTracks(alice)).to.equal(2)
    await bob.run((client, id) => client.call.reject(id), calleeCall)
    const mine = await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'Ringing' } })
    expect(mine.payload.error).to.equal(undefined)
    expect(await stateOf(bob, calleeCall)).to.equal('Ended')
    const theirs = await alice.waitFor('call:stateChange', { callId: callerCall, transition: { prevState: 'Ringing' } })
    expect(theirs.payload.error).to.equal(undefined)
    expect(await stateOf(alice, callerCall)).to.equal('Ended')
    expect(await keptTrackStates(alice)).to.deep.equal(['ended', 'ended'])
    expect(await peerClosed(alice)).to.equal(true)
    expect(await peerClosed(bob)).to.equal(true)
  })

  it('ignored: the callee’s call ends locally; the caller is not told and keeps ringing', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringingPair(harness())
    await bob.run((client, id) => client.call.ignore(id), calleeCall)
    await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'Ringing' } })
    expect(await stateOf(bob, calleeCall)).to.equal('Ended')
    expect(await peerClosed(bob)).to.equal(true)
    // Barrier: anything bob's side had sent alice's way arrives before this invitation from bob.
    await bob.run((client) => client.call.make('alice@example.com', { audio: true }))
    await alice.waitFor('call:receive')
    expect(await stateOf(alice, callerCall)).to.equal('Ringing')
    expect((await alice.events('call:stateChange')).filter((event) => event.payload.callId === callerCall)).to.have.length(1)
    expect((await bob.events('call:stateChange')).filter((event) => event.payload.callId === calleeCall)).to.have.length(1)
  })

  it('cancelled before the answer: the caller’s call is Ended, the callee’s Cancelled (no endTime)', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringingPair(harness(), { audio: true })
    expect(await keepLocalTracks(alice)).to.equal(1)
    await alice.run((client, id) => client.call.end(id), callerCall)
    const cancelled = await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'Ringing' } })
    expect(cancelled.payload.error).to.equal(undefined)
    const bobCall = await bob.run((client, id) => client.call.getById(id), calleeCall)
    expect(bobCall?.state).to.equal('Cancelled')
    expect(bobCall?.endTime).to.equal(undefined)
    const aliceCall = await alice.run((client, id) => client.call.getById(id), callerCall)
    expect(aliceCall?.state).to.equal('Ended')
    expect(aliceCall?.startTime).to.equal(aliceCall?.endTime)
    expect(await keptTrackStates(alice)).to.deep.equal(['ended'])
    // Answering a cancelled call is refused and changes nothing.
    await bob.run((client, id) => client.call.answer(id, { audio: true }), calleeCall)
    const refused = await bob.waitFor('call:stateChange', { callId: calleeCall, error: { code: 'call:6' } })
    expect(refused.payload.previous).to.deep.include({ state: 'Cancelled' })
  })

  it('callee offline (no call subscription): call:start, then Ended with 480 in the transition, media released', async () => {
    const alice = await harness().open('alice@example.com')
    await harness().open('carol@example.com', { services: ['chat'] })
    const callId = await alice.run((client) => client.call.make('carol@example.com', { audio: true }))
    await alice.waitFor('call:start', { callId })
    const ended = await alice.waitFor('call:stateChange', { callId, transition: { prevState: 'Initiated', statusCode: 480 } })
    expect(ended.payload.transition).to.deep.equal({ prevState: 'Initiated', statusCode: 480, reasonText: 'Temporarily Unavailable' })
    expect(await stateOf(alice, callId)).to.equal('Ended')
    expect(await peerClosed(alice)).to.equal(true)
    const localTracks = (await alice.events('call:newTrack')).filter((event) => event.payload.callId === callId).map((event) => String(event.payload.trackId))
    expect(await alice.run((client, ids) => ids.map((id) => client.media.getTrackById(id)?.state), localTracks)).to.deep.equal(['ended'])
  })

  it('unknown destination: no call:start; Ended with the platform’s error (SVC0004); media released', async () => {
    const alice = await harness().open('alice@example.com')
    const callId = await alice.run((client) => client.call.make('nobody@example.com', { audio: true }))
    const failed = await alice.waitFor('call:stateChange', { callId, previous: { state: 'Initiating' } })
    expect(failed.payload.error).to.deep.include({ name: 'BasicError', code: 'SVC0004' })
    expect(String((failed.payload.error as { message: string }).message)).to.contain('sip:nobody@example.com')
    expect(await stateOf(alice, callId)).to.equal('Ended')
    expect(await alice.events('call:start')).to.deep.equal([])
    expect(await peerClosed(alice)).to.equal(true)
  })

  it('bad arguments and refused operations reach the call’s events as BasicErrors and change nothing', async () => {
    const { alice, bob } = await openPair(harness())
    const empty = await alice.run((client) => client.call.make('   ', { audio: true }))
    expect((await alice.waitFor('call:stateChange', { callId: empty })).payload.error).to.deep.include({ code: 'call:7' })
    const noMedia = await alice.run((client) => client.call.make('bob@example.com', { audio: false, video: false }))
    expect((await alice.waitFor('call:stateChange', { callId: noMedia })).payload.error).to.deep.include({ code: 'call:7' })
    await alice.run((client) => client.call.answer('no-such-call', { audio: true }))
    expect((await alice.waitFor('call:stateChange', { callId: 'no-such-call' })).payload.error).to.deep.include({ code: 'call:7' })
    expect(await alice.run((client) => client.call.getById('no-such-call'))).to.equal(undefined)

    const { callerCall, calleeCall } = await ring(alice, bob)
    const before = await alice.run((client, id) => client.call.getById(id), callerCall)
    for (const operation of ['answer', 'reject', 'ignore'] as const) {
      const after = (await alice.events()).length - 1
      await alice.run((client, { id, op }) => (op === 'answer' ? client.call.answer(id, { audio: true }) : client.call[op](id)), { id: callerCall, op: operation })
      const refused = await alice.waitFor('call:stateChange', { callId: callerCall }, { after })
      expect(refused.payload.error, operation).to.deep.include({ code: 'call:6' })
      expect(refused.payload.previous, operation).to.deep.equal({ state: 'Ringing', localHold: false, remoteHold: false })
    }
    expect(await alice.run((client, id) => client.call.getById(id), callerCall)).to.deep.equal(before)
    expect(await stateOf(bob, calleeCall)).to.equal('Ringing')
  })

  it('media that cannot be had (no such camera): make ends with call:4; a failed answer leaves the call Ringing, and a second answer connects', async () => {
    const { alice, bob } = await openPair(harness())
    const noCamera = { audio: true, video: true, videoOptions: { deviceId: { exact: 'no-such-camera' } } }
    const failedCall = await alice.run((client, media) => client.call.make('bob@example.com', media), noCamera)
    const failed = await alice.waitFor('call:stateChange', { callId: failedCall, previous: { state: 'Initiating' } })
    expect(failed.payload.error).to.deep.include({ code: 'call:4' })
    expect(await stateOf(alice, failedCall)).to.equal('Ended')

    const { callerCall, calleeCall } = await ring(alice, bob, { audio: true })
    await bob.run((client, { id, media }) => client.call.answer(id, media), { id: calleeCall, media: noCamera })
    const refused = await bob.waitFor('call:stateChange', { callId: calleeCall, error: { code: 'call:4' } })
    expect(refused.payload.previous).to.deep.include({ state: 'Ringing' })
    expect(await stateOf(bob, calleeCall)).to.equal('Ringing')
    expect(await stateOf(alice, callerCall)).to.equal('Ringing')
    await bob.run((client, id) => client.call.answer(id, { audio: true }), calleeCall)
    await alice.until((client, id) => client.call.getById(id)?.state === 'Connected', callerCall)
    await alice.expectMediaFlowing(callerCall)
  })

  it('an answer the platform refuses leaves the call Ringing; a second answer connects with media both ways', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringingPair(harness(), { audio: true, video: true })
    const sessionId = await bob.run((client, id) => client.call.getById(id)?.wrtcsSessionId ?? '', calleeCall)
    await harness().platform.admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/${bob.tokens.userId}/sessions/${sessionId}/answer`, count: 1, status: 503 })
    await bob.run((client, id) => client.call.answer(id, { audio: true, video: true }), calleeCall)
    await bob.waitFor('call:stateChange', { callId: calleeCall, error: { name: 'BasicError' } })
    expect(await stateOf(bob, calleeCall)).to.equal('Ringing')
    await bob.run((client, id) => client.call.answer(id, { audio: true, video: true }), calleeCall)
    await alice.until((client, id) => client.call.getById(id)?.state === 'Connected', callerCall)
    await bob.until((client, id) => client.call.getById(id)?.state === 'Connected', calleeCall)
    await alice.expectMediaFlowing(callerCall)
    await bob.expectMediaFlowing(calleeCall)
  })

  it('sdpSemantics plan-b is refused with call:5 before anything is sent', async () => {
    const alice = await harness().open('alice@example.com', { config: { call: { sdpSemantics: 'plan-b' } } })
    const callId = await alice.run((client) => client.call.make('bob@example.com', { audio: true }))
    const failed = await alice.waitFor('call:stateChange', { callId })
    expect(failed.payload.error).to.deep.include({ code: 'call:5' })
    expect(String((failed.payload.error as { message: string }).message)).to.contain('plan-b')
    expect(await alice.run((_client, _arg, { peers }) => peers.length)).to.equal(0)
  })
})

describe('calls in Chromium: an answer held at the platform', function () {
  this.timeout(60000)
  // The platform's clock moves only when the spec says (a delayed request is held until then); the pages run on real time.
  const clock = manualClock(Math.floor(Date.now() / 1000) * 1000)
  const harness = useHarness({ clock })

  it('rejected while its answer request is held at the platform: the answer is abandoned, its media stopped, and the caller’s call ends without connecting', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringingPair(harness(), { audio: true, video: true })
    const sessionId = await bob.run((client, id) => client.call.getById(id)?.wrtcsSessionId ?? '', calleeCall)
    await harness().platform.admin.delay(2000, `/cpaas/webrtcsignaling/v1/${bob.tokens.userId}/sessions/${sessionId}/answer`)
    const timers = clock.pending()
    await bob.run((client, id) => client.call.answer(id, { audio: true, video: true }), calleeCall)
    await until(() => clock.pending() > timers, 'the answer request held on the platform')
    expect(await keepLocalTracks(bob)).to.equal(2)
    await bob.run((client, id) => client.call.reject(id), calleeCall)
    const mine = await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'Ringing' } })
    expect(mine.payload.error).to.equal(undefined)
    expect(await stateOf(bob, calleeCall)).to.equal('Ended')
    expect(await keptTrackStates(bob)).to.deep.equal(['ended', 'ended'])
    expect(await peerClosed(bob)).to.equal(true)
    const theirs = await alice.waitFor('call:stateChange', { callId: callerCall, transition: { prevState: 'Ringing' } })
    expect(theirs.payload.error).to.equal(undefined)
    // The hold ends after the session ended there: the caller still never connects.
    clock.advance(2000)
    // Reject abandoned the request (the platform never serves it); were it served, its answer would be in a round trip later.
    await harness().platform.admin.state()
    expect(await stateOf(alice, callerCall)).to.equal('Ended')
    expect((await alice.events('call:stateChange')).filter((event) => event.payload.callId === callerCall)).to.have.length(2)
    expect((await bob.events('call:stateChange')).filter((event) => event.payload.callId === calleeCall)).to.have.length(1)
  })
})
