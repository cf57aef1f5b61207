import { expect } from 'chai'
import { usePlatform } from '../../helpers/platform.js'
import { eventually, next, recordingWebrtc, ring, useCallCores } from './node-webrtc.js'

// Answering and refusing an incoming call (streams/call/incoming.ts), in Node over the local platform with wrtc.

describe('incoming call answered or refused (streams/call/incoming.ts)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const peers: RTCPeerConnection[] = []
  const core = useCallCores(platform, (userId) => recordingWebrtc(userId === 'bob@example.com' ? peers : []))
  afterEach(() => platform().admin.clearFaults())
  afterEach(() => void peers.splice(0))

  /** Alice calls Bob, whose call rings. */
  async function ringing() {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    return { alice, bob, ...(await ring(alice, bob)) }
  }

  it('reject: once the platform took the DELETE, the call ends (from Ringing, its peer closed), and the caller is told', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringing()
    const peer = peers.at(-1)
    const ended = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.reject(calleeCall)
    const change = await ended
    expect(change.previous?.state).to.equal('Ringing')
    expect(change.error).to.equal(undefined)
    expect(bob.call.current().calls[calleeCall]).to.include({ state: 'Ended', operation: undefined })
    expect(peer?.signalingState).to.equal('closed')
    await eventually(() => alice.call.current().calls[callerCall]?.state === 'Ended', 'alice told')
  })

  it('reject that the platform refuses: call:stateChange with its error, the call still Ringing and free to be answered', async () => {
    const { bob, calleeCall } = await ringing()
    const sessionId = bob.call.current().calls[calleeCall]?.wrtcsSessionId ?? ''
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/bob@example.com/sessions/${sessionId}`, status: 503, count: 1 })
    const failed = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.reject(calleeCall)
    const change = await failed
    expect(change.error?.code).to.equal('SVC0001')
    expect(change.previous?.state).to.equal('Ringing')
    expect(bob.call.current().calls[calleeCall]).to.include({ state: 'Ringing', operation: undefined })
  })

  it('an answer the platform refuses leaves the call Ringing, and answering again connects it', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringing()
    const sessionId = bob.call.current().calls[calleeCall]?.wrtcsSessionId ?? ''
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/bob@example.com/sessions/${sessionId}/answer`, status: 503, count: 1 })
    const failed = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.answer(calleeCall, { audio: true })
    expect((await failed).error?.code).to.equal('SVC0001')
    expect(bob.call.current().calls[calleeCall]).to.include({ state: 'Ringing', operation: undefined })
    // The peer keeps the answer the platform did not take (it may have met the caller's already): the next answer sends it again.
    expect(peers.map((peer) => peer.signalingState)).to.deep.equal(['stable'])
    expect(bob.call.current().calls[calleeCall]?.localTracks).to.deep.equal([])
    const again = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.answer(calleeCall, { audio: true })
    const change = await again
    expect(change.error).to.equal(undefined)
    expect(bob.call.current().calls[calleeCall]?.state).to.equal('Connected')
    await eventually(() => alice.call.current().calls[callerCall]?.state === 'Connected', 'alice connected')
    expect(bob.call.current().calls[calleeCall]?.localTracks).to.have.length(1)
    // The new microphone is on the sender the answer negotiated.
    expect(peers[0]?.getSenders().map((sender) => sender.track?.id)).to.deep.equal(bob.call.current().calls[calleeCall]?.localTracks)
    await eventually(() => ['connected', 'completed'].includes(peers.at(-1)?.iceConnectionState ?? ''), 'media connected', 8000)
  })

  it('a slow-start answer the platform refuses closes the peer it made; the call stays Ringing', async () => {
    const bob = await core('bob@example.com')
    const received = next(bob, 'callReceived')
    await platform().admin.notify('bob@example.com', 'call', {
      wrtcsSessionInvitationNotification: { offer: {}, link: [{ href: '/cpaas/webrtcsignaling/v1/bob@example.com/sessions/slow-1' }], originatorAddress: 'alice@example.com' },
    })
    const calleeCall = (await received).callId
    const failed = next(bob, 'stateChanged', calleeCall)
    // The platform knows no session slow-1: it refuses the answer.
    bob.call.commands.answer(calleeCall, { audio: true })
    expect((await failed).error).to.not.equal(undefined)
    expect(bob.call.current().calls[calleeCall]).to.include({ state: 'Ringing', operation: undefined, mediaConnectionState: 'new' })
    expect(peers.map((peer) => peer.signalingState)).to.deep.equal(['closed'])
  })
})
