import { expect } from 'chai'
import { useHarness } from '../harness.js'
import { connect, connectedPair, keepLocalTracks, keptTrackStates, openPair, peerClosed } from './steps.js'

describe('calls in Chromium: answered calls with media both ways', function () {
  this.timeout(60000)
  const harness = useHarness()

  it('an audio call: call:start, call:receive, Connected on both sides with every CallObject field, audio flowing both ways', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true })

    const started = await alice.waitFor('call:start', { callId: callerCall })
    expect(started.payload).to.deep.equal({ callId: callerCall, error: undefined })
    const received = await bob.waitFor('call:receive', { callId: calleeCall })
    expect(received.payload).to.deep.equal({ callId: calleeCall, error: undefined })

    const aliceView = await alice.run((client, id) => client.call.getById(id), callerCall)
    expect(aliceView).to.include({ id: callerCall, direction: 'outgoing', state: 'Connected', localHold: false, remoteHold: false, from: 'alice@example.com', to: 'sip:bob@example.com' })
    expect(aliceView?.remoteParticipant).to.deep.equal({ displayNumber: 'bob@example.com', displayName: undefined })
    expect(aliceView?.bandwidth).to.deep.equal({ audio: 5000, video: 5000 })
    expect(aliceView?.localTracks).to.have.length(1)
    expect(aliceView?.remoteTracks).to.have.length(1)
    expect(aliceView?.startTime).to.be.a('number')
    expect(aliceView?.endTime).to.equal(undefined)
    expect(aliceView?.wrtcsSessionId).to.be.a('string')

    const bobView = await bob.run((client, id) => client.call.getById(id), calleeCall)
    expect(bobView).to.include({ direction: 'incoming', state: 'Connected', localHold: false, remoteHold: false, from: 'alice@example.com', to: 'bob@example.com', isSlowStart: false })
    expect(bobView?.remoteParticipant).to.deep.equal({ displayNumber: 'alice@example.com', displayName: 'Alice Archer' })

    const states = (await alice.events('call:stateChange')).filter((event) => event.payload.callId === callerCall)
    expect(states.map((event) => event.payload.previous)).to.deep.equal([
      { state: 'Initiated', localHold: false, remoteHold: false },
      { state: 'Ringing', localHold: false, remoteHold: false },
    ])
    const bobStates = (await bob.events('call:stateChange')).filter((event) => event.payload.callId === calleeCall)
    expect(bobStates.map((event) => event.payload.previous)).to.deep.equal([{ state: 'Ringing', localHold: undefined, remoteHold: undefined }])

    const aliceRtp = await alice.expectMediaFlowing(callerCall)
    const bobRtp = await bob.expectMediaFlowing(calleeCall)
    expect(aliceRtp.inbound.map((stream) => stream.kind)).to.deep.equal(['audio'])
    expect(bobRtp.inbound.map((stream) => stream.kind)).to.deep.equal(['audio'])
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('a video call: audio and video tracks on both sides, each receiving rising bytes; call:newTrack for each', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true, video: true })
    for (const [user, callId] of [[alice, callerCall], [bob, calleeCall]] as const) {
      const call = await user.run((client, id) => client.call.getById(id), callId)
      expect(call?.localTracks, user.userId).to.have.length(2)
      expect(call?.remoteTracks, user.userId).to.have.length(2)
      const kinds = await user.run((client, ids) => ids.map((id) => client.media.getTrackById(id)?.kind).sort(), call?.remoteTracks ?? [])
      expect(kinds).to.deep.equal(['audio', 'video'])
      const newTracks = (await user.events('call:newTrack')).filter((event) => event.payload.callId === callId)
      expect(newTracks.map((event) => [event.payload.local, event.payload.trackId]).sort()).to.deep.equal(
        [...(call?.localTracks ?? []).map((id) => [true, id]), ...(call?.remoteTracks ?? []).map((id) => [false, id])].sort(),
      )
      expect(newTracks.every((event) => typeof event.payload.id === 'string')).to.equal(true)
      const rtp = await user.expectMediaFlowing(callId)
      expect(rtp.inbound.map((stream) => stream.kind).sort()).to.deep.equal(['audio', 'video'])
      expect(rtp.inbound.every((stream) => stream.bytes > 0)).to.equal(true)
    }
  })

  for (const ender of ['caller', 'callee'] as const) {
    it(`ended by the ${ender}: both calls Ended, the other side told with transition.prevState, local media stopped on both`, async () => {
      const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true, video: true })
      expect(await keepLocalTracks(alice)).to.equal(2)
      expect(await keepLocalTracks(bob)).to.equal(2)
      const [by, byCall, other, otherCall] = ender === 'caller' ? [alice, callerCall, bob, calleeCall] : [bob, calleeCall, alice, callerCall]
      const localTracks = await by.run((client, id) => client.call.getById(id)?.localTracks ?? [], byCall)

      await by.run((client, id) => client.call.end(id), byCall)
      const mine = await by.waitFor('call:stateChange', { callId: byCall, previous: { state: 'Connected', localHold: false, remoteHold: false } })
      expect(mine.payload.error).to.equal(undefined)
      const theirs = await other.waitFor('call:stateChange', { callId: otherCall, transition: { prevState: 'Connected' } })
      expect(theirs.payload.previous).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })

      for (const [user, callId] of [[by, byCall], [other, otherCall]] as const) {
        const call = await user.run((client, id) => client.call.getById(id), callId)
        expect(call?.state, user.userId).to.equal('Ended')
        expect(call?.endTime, user.userId).to.be.a('number')
        expect(await keptTrackStates(user), user.userId).to.deep.equal(['ended', 'ended'])
        expect(await peerClosed(user), user.userId).to.equal(true)
      }
      const ended = (await by.events('call:trackEnded')).filter((event) => event.payload.callId === byCall && event.payload.local === true)
      expect(ended.map((event) => event.payload.trackId).sort()).to.deep.equal([...localTracks].sort())
      expect(await by.run((client, ids) => ids.map((id) => client.media.getTrackById(id)?.state), localTracks)).to.deep.equal(['ended', 'ended'])
      const again = await by.run(async (client, id) => {
        client.call.end(id)
        return id
      }, byCall)
      const refused = await by.waitFor('call:stateChange', { callId: again, error: { name: 'BasicError', code: 'call:6' } })
      expect(refused.payload.previous).to.deep.include({ state: 'Ended' })
    })
  }

  it('two calls in a row between the same pages both connect with media', async () => {
    const { alice, bob } = await openPair(harness())
    for (let round = 0; round < 2; round += 1) {
      const { callerCall, calleeCall } = await connect(alice, bob, { audio: true })
      await alice.expectMediaFlowing(callerCall)
      await bob.expectMediaFlowing(calleeCall)
      await alice.run((client, id) => client.call.end(id), callerCall)
      await bob.until((client, id) => client.call.getById(id)?.state === 'Ended', calleeCall)
    }
    expect(await alice.run((client) => client.call.getAll().map((call) => call.state))).to.deep.equal(['Ended', 'Ended'])
    expect(await bob.run((client) => client.call.getAll().map((call) => call.direction))).to.deep.equal(['incoming', 'incoming'])
  })
})
