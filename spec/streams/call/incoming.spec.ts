import { expect } from 'chai'
import { Subscription, type Observable } from 'rxjs'
import type { CallOutput } from '../../../streams/call/model.js'
import type { TestStreams } from '../../helpers/client.js'
import { usePlatform } from '../../helpers/platform.js'
import { manualClock } from '../../platform/clock.js'
import { eventually, next, nodeDevices, recordingWebrtc, ring, useCallCores } from './node-webrtc.js'

// Answering and refusing an incoming call (streams/call/incoming.ts), in Node over the local platform with wrtc.

describe('incoming call answered or refused (streams/call/incoming.ts)', function () {
  this.timeout(20000)
  // The platform's clock moves only when a spec says: a delayed request is held until then (nothing here waits on its other timers).
  const clock = manualClock(Math.floor(Date.now() / 1000) * 1000)
  const platform = usePlatform({ clock })
  const peers: RTCPeerConnection[] = []
  const core = useCallCores(platform, (userId) => recordingWebrtc(userId === 'bob@example.com' ? peers : []))
  afterEach(() => platform().admin.clearFaults())
  afterEach(() => void peers.splice(0))
  let watching = new Subscription()
  afterEach(() => {
    watching.unsubscribe()
    watching = new Subscription()
  })

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

  /** The states a user's call goes through from now on (read at each call:stateChange). */
  const statesOf = (user: TestStreams, callId: string): string[] => {
    const states: string[] = []
    watching.add(
      (user.call.events$ as Observable<CallOutput>).subscribe((output) => {
        if (output.type === 'stateChanged' && output.callId === callId) states.push(user.call.current().calls[callId]?.state ?? '')
      }),
    )
    return states
  }

  it('reject right after answer: the answer is abandoned before its request, the call ends from Ringing, and the caller is told (never connected)', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringing()
    const aliceStates = statesOf(alice, callerCall)
    const ended = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.answer(calleeCall, { audio: true })
    bob.call.commands.reject(calleeCall)
    const change = await ended
    expect(change.error).to.equal(undefined)
    expect(change.previous?.state).to.equal('Ringing')
    expect(bob.call.current().calls[calleeCall]).to.include({ state: 'Ended', operation: undefined })
    expect(peers.map((peer) => peer.signalingState)).to.deep.equal(['closed'])
    await eventually(() => alice.call.current().calls[callerCall]?.state === 'Ended', 'alice told')
    expect(aliceStates).to.deep.equal(['Ended'])
  })

  it('a reject the platform refuses while the answer waits for media: call:stateChange with its error, the late media stopped, the call Ringing and free; answering again connects', async () => {
    // A device that answers when the spec says (as one behind a permission prompt); wrtc's sources answer at once.
    const acquired: MediaStreamTrack[] = []
    let grant = (): void => undefined
    const slowDevices = {
      ...nodeDevices(),
      getUserMedia: (constraints: MediaStreamConstraints) =>
        new Promise<MediaStream>((resolve) => {
          grant = () =>
            void nodeDevices()
              .getUserMedia(constraints)
              .then((stream) => {
                acquired.push(...stream.getTracks())
                resolve(stream)
              })
        }),
    } as unknown as MediaDevices
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com', { mediaDevices: slowDevices })
    const { callerCall, calleeCall } = await ring(alice, bob)
    const sessionId = bob.call.current().calls[calleeCall]?.wrtcsSessionId ?? ''
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/bob@example.com/sessions/${sessionId}`, status: 503, count: 1 })
    bob.call.commands.answer(calleeCall, { audio: true })
    const failed = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.reject(calleeCall)
    expect((await failed).error?.code).to.equal('SVC0001')
    expect(bob.call.current().calls[calleeCall]).to.include({ state: 'Ringing', operation: undefined })
    grant()
    await eventually(() => acquired[0]?.readyState === 'ended', 'the abandoned answer’s media stopped')
    expect(bob.call.current().calls[calleeCall]?.localTracks).to.deep.equal([])
    expect(alice.call.current().calls[callerCall]?.state).to.equal('Ringing')

    bob.call.commands.answer(calleeCall, { audio: true })
    grant()
    const connected = (user: TestStreams, callId: string): boolean => user.call.current().calls[callId]?.state === 'Connected'
    await eventually(() => connected(alice, callerCall) && connected(bob, calleeCall), 'both Connected')
    expect(bob.call.current().calls[calleeCall]?.localTracks).to.deep.equal([acquired[1]?.id])
  })

  it('ignore while the answer request is at the platform: the call ends here, and its session there (the caller is not left connected to nobody)', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringing()
    const aliceStates = statesOf(alice, callerCall)
    const sessionId = bob.call.current().calls[calleeCall]?.wrtcsSessionId ?? ''
    const answer = `/cpaas/webrtcsignaling/v1/bob@example.com/sessions/${sessionId}/answer`
    await platform().admin.delay(1500, answer)
    const timers = clock.pending()
    bob.call.commands.answer(calleeCall, { audio: true })
    await eventually(() => clock.pending() > timers, 'the answer request held on the platform')
    const ended = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.ignore(calleeCall)
    expect((await ended).error).to.equal(undefined)
    expect(bob.call.current().calls[calleeCall]?.state).to.equal('Ended')
    await eventually(() => alice.call.current().calls[callerCall]?.state === 'Ended', 'alice told')
    // The hold ends after the session ended there: the caller still never connects.
    clock.advance(1500)
    // Ignore abandoned the request (the platform never serves it); were it served, its answer would be in a round trip later.
    await platform().admin.state()
    expect(aliceStates).to.deep.equal(['Ended'])
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
