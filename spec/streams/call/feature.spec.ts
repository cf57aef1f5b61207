import { expect } from 'chai'
import type { CallOutput, CallState } from '../../../streams/call/model.js'
import type { TestStreams } from '../../helpers/client.js'
import { usePlatform } from '../../helpers/platform.js'
import { aliceCallsBob, connect, eventually, next, recordingWebrtc, ring, useCallCores, virtualClock } from './node-webrtc.js'

// The call feature in Node, over the local platform (real HTTP and WebSocket) with a real WebRTC
// stack (@roamhq/wrtc). The "devices" are wrtc's media sources: the SDK's getUserMedia comes from
// the environment, as it would for a bot. Media content is not checked here (Chromium specs do).

/** Every peer connection the SDK created, in order (recorded through the environment). */
const peers: RTCPeerConnection[] = []

const stateOf = (streams: TestStreams, callId: string): CallState | undefined => streams.call.current().calls[callId]?.state


describe('call feature in Node over the local platform (streams/call/feature.ts)', function () {
  this.timeout(20000)
  const platform = usePlatform({ logRequests: true })
  const core = useCallCores(platform, () => recordingWebrtc(peers))

  it('make → answer → end: states on both sides, tracks in the media feature, local media stopped and peers closed', async () => {
    const { alice, bob, callerCall, calleeCall } = await aliceCallsBob(core)
    const call = alice.call.current().calls[callerCall]
    expect(call?.localTracks).to.have.length(1)
    const localTrack = alice.media.track(call?.localTracks[0] ?? '')
    expect(localTrack?.readyState).to.equal('live')
    expect(alice.media.current().tracks[call?.localTracks[0] ?? '']).to.include({ kind: 'audio', state: 'live' })

    const remoteEnded = next(bob, 'stateChanged', calleeCall)
    alice.call.commands.end(callerCall)
    expect((await remoteEnded).transition).to.deep.equal({ prevState: 'Connected' })
    await eventually(() => stateOf(alice, callerCall) === 'Ended', 'alice Ended')
    expect(localTrack?.readyState).to.equal('ended')
    expect(alice.media.current().tracks[call?.localTracks[0] ?? '']).to.include({ state: 'ended', disabled: true })
    expect(stateOf(bob, calleeCall)).to.equal('Ended')
  })

  it('a call rejected on one of the callee’s devices: that device Ended, the other stops ringing (Cancelled), the caller Ended', async () => {
    const alice = await core('alice@example.com')
    // Two devices of bob, each naming itself with its own clientCorrelator (its channel, its ringing report).
    const desk = await core('bob@example.com', {}, { authentication: { clientCorrelator: 'bob-desk' } })
    const phone = await core('bob@example.com', {}, { authentication: { clientCorrelator: 'bob-phone' } })
    const received = [next(desk, 'callReceived'), next(phone, 'callReceived')]
    const reports = () => platform().logs.filter((line) => /^PUT \S+\/sessions\/\S+\/status 200 /.test(line)).length
    const before = reports()
    const callerCall = alice.call.commands.make('bob@example.com', { audio: true })
    const [deskCall, phoneCall] = (await Promise.all(received)).map((event) => event.callId) as [string, string]
    await eventually(() => reports() === before + 2, 'both devices reported ringing')
    desk.call.commands.reject(deskCall)
    await eventually(() => stateOf(phone, phoneCall) === 'Cancelled', 'the phone stopped ringing')
    await eventually(() => stateOf(desk, deskCall) === 'Ended' && stateOf(alice, callerCall) === 'Ended', 'the desk and alice Ended')
  })

  it('a local track its source ends (a device unplugged) leaves the call with trackEnded, the call going on', async () => {
    const { alice, callerCall } = await aliceCallsBob(core)
    const trackId = alice.call.current().calls[callerCall]?.localTracks[0] ?? ''
    const outputs: CallOutput[] = []
    const recording = alice.call.events$.subscribe((output) => outputs.push(output))
    // Stand-in for unplugging the microphone, which a test machine cannot do: the browser's event for a track its source ended.
    alice.media.track(trackId)?.dispatchEvent(new Event('ended'))
    await eventually(() => alice.media.current().tracks[trackId]?.state === 'ended', 'the track ended')
    recording.unsubscribe()
    expect(outputs.filter((output) => output.type === 'trackEnded')).to.deep.equal([
      { type: 'trackEnded', callId: callerCall, trackId, local: true, webrtcSessionId: alice.call.current().calls[callerCall]?.webrtcSessionId },
    ])
    expect(alice.call.current().calls[callerCall]).to.include({ state: 'Connected' })
    expect(alice.call.current().calls[callerCall]?.localTracks).to.deep.equal([])
  })

  it('dispose closes the peer connections and stops the local media of live calls', async () => {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    const created = peers.length
    const { callerCall } = await connect(alice, bob)
    const alicePeer = peers[created]
    expect(alicePeer?.signalingState).to.equal('stable')
    const track = alice.media.track(alice.call.current().calls[callerCall]?.localTracks[0] ?? '')
    let completed = false
    alice.call.state$.subscribe({ complete: () => (completed = true) })
    alice.dispose()
    expect(track?.readyState).to.equal('ended')
    expect(alicePeer?.signalingState).to.equal('closed')
    expect(completed).to.equal(true)
  })

  it('audits a connected call every 25 s and ends it (9909) once the platform no longer knows its session', async () => {
    const { clock, advance, timerSet } = virtualClock()
    /** Audit requests of Alice the platform answered (one log line per response). */
    const statusPuts = (): number => platform().logs.filter((line) => /^PUT \S+alice@example\.com\/sessions\/[^/]+\/status \d{3} /.test(line)).length
    /** Audit requests Alice's SDK started: it calls fetch as soon as a round's timer fires. */
    const started: string[] = []
    const recordingFetch: typeof fetch = (input, init) => {
      started.push(`${init?.method ?? 'GET'} ${String(input)}`)
      return fetch(input, init)
    }
    const auditsStarted = (): number => started.filter((request) => /^PUT \S+alice@example\.com\/sessions\/[^/]+\/status$/.test(request)).length
    const alice = await core('alice@example.com', { scheduler: clock, fetch: recordingFetch })
    const bob = await core('bob@example.com')
    const { callerCall } = await connect(alice, bob)
    const before = statusPuts()

    /** Waits until the SDK has set its next audit round for `ms` from now (its previous round's reply was handled). */
    const roundSet = (ms: number) => timerSet(ms, `an audit round in ${ms} ms`)

    await roundSet(25_000)
    const audits = auditsStarted()
    advance(24_999)
    expect(auditsStarted()).to.equal(audits)
    advance(1)
    expect(auditsStarted()).to.equal(audits + 1)
    await eventually(() => statusPuts() === before + 1, 'the first audit')
    await roundSet(25_000)
    expect(stateOf(alice, callerCall)).to.equal('Connected')

    // A failed round is retried after 5 s instead of 25 s.
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/`, status: 503 })
    advance(25_000)
    await eventually(() => statusPuts() === before + 2, 'the second audit')
    await roundSet(5_000)
    advance(5_000)
    await eventually(() => statusPuts() === before + 3, 'the retry')
    await roundSet(25_000)
    expect(stateOf(alice, callerCall)).to.equal('Connected')

    // The platform restarts and forgets the call: the next audit gets Closed and ends it.
    await platform().restart({ fresh: true })
    const ended = next(alice, 'stateChanged', callerCall)
    advance(25_000)
    const change = await ended
    expect(change.transition).to.deep.equal({ prevState: 'Connected', statusCode: 9909, reasonText: 'Call has ended due to call audit failure.' })
    expect(stateOf(alice, callerCall)).to.equal('Ended')
  })
})

describe('call feature: notifications that do not fit (streams/call/feature.ts)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const core = useCallCores(platform, () => recordingWebrtc(peers))

  /** Alice calls Bob, who lets it ring; returns Alice's call and its platform session. */
  async function ringing() {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    const { callerCall: callId, calleeCall } = await ring(alice, bob)
    const sessionId = alice.call.current().calls[callId]?.wrtcsSessionId ?? ''
    const href = `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionId}`
    return { alice, bob, callId, calleeCall, href }
  }

  it('a malformed notification for a live call: call:stateChange with an error, nothing changed', async () => {
    const { alice, callId, href } = await ringing()
    const before = alice.call.current().calls[callId]
    const reported = next(alice, 'stateChanged', callId)
    await platform().admin.notify('alice@example.com', 'call', { wrtcsAcceptanceNotification: { answer: { sdp: 42 }, link: [{ href }] } })
    const change = await reported
    expect(change.error?.code).to.equal('call:2')
    expect(change.previous).to.deep.equal({ state: 'Ringing', localHold: false, remoteHold: false })
    expect(alice.call.current().calls[callId]).to.equal(before)
  })

  it('notifications for unknown sessions and unknown event types change nothing', async () => {
    const { alice, callId } = await ringing()
    const before = alice.call.current()
    await platform().admin.notify('alice@example.com', 'call', { wrtcsEventNotification: { eventType: 'SessionEnded', link: [{ href: '/cpaas/webrtcsignaling/v1/alice@example.com/sessions/unknown' }] } })
    await platform().admin.notify('alice@example.com', 'call', {
      wrtcsEventNotification: { eventType: 'SessionProgress', link: [{ href: `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${before.calls[callId]?.wrtcsSessionId}` }] },
    })
    // Barrier: a notification the feature does act on, sent after those.
    const ended = next(alice, 'stateChanged', callId)
    alice.call.commands.end(callId)
    await ended
    expect(Object.keys(alice.call.current().calls)).to.deep.equal([callId])
  })

  it('an answer that cannot be applied ends the call with the error and ends the session on the platform', async () => {
    const { alice, bob, callId, calleeCall, href } = await ringing()
    const failed = next(alice, 'stateChanged', callId)
    const told = next(bob, 'stateChanged', calleeCall)
    await platform().admin.notify('alice@example.com', 'call', { wrtcsAcceptanceNotification: { answer: { sdp: 'not an sdp' }, link: [{ href }] } })
    const change = await failed
    expect(change.error?.code).to.equal('call:2')
    expect(stateOf(alice, callId)).to.equal('Ended')
    expect((await told).previous?.state).to.equal('Ringing')
    expect(stateOf(bob, calleeCall)).to.equal('Cancelled')
  })
})
