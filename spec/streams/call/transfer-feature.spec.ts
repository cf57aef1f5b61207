import { expect } from 'chai'
import type { CallRecord } from '../../../streams/call/model.js'
import type { Environment } from '../../../streams/environment.js'
import type { TestStreams } from '../../helpers/client.js'
import { usePlatform } from '../../helpers/platform.js'
import { manualClock } from '../../platform/clock.js'
import { connect, eventually, next, recordingWebrtc, useCallCores } from './node-webrtc.js'

// Consultative transfer and the join's refusals, the call feature in Node over the local platform
// (real HTTP and WebSocket) with a real WebRTC stack (@roamhq/wrtc, media sources without content).
// Media content is checked in Chromium (spec/browser/calls/transfer.spec.ts, join.spec.ts).

/** Every peer connection each user's SDK created, newest last. */
const peers = new Map<string, RTCPeerConnection[]>()
const webrtc = (userId: string): Partial<Environment> => {
  const own: RTCPeerConnection[] = []
  peers.set(userId, own)
  return recordingWebrtc(own, { AudioContext: undefined })
}

const callOf = (streams: TestStreams, callId: string): CallRecord | undefined => streams.call.current().calls[callId]

async function hold(user: TestStreams, callId: string): Promise<void> {
  user.call.commands.hold(callId)
  await eventually(() => callOf(user, callId)?.localHold === true && callOf(user, callId)?.operation === undefined, `call ${callId} held`)
}

describe('call feature in Node over the local platform: consultative transfer; join refused or failed before mixing (streams/call/transfer.ts, join.ts)', function () {
  this.timeout(30000)
  // The platform's clock moves only when a spec says: a delayed request is held until then (nothing here waits on its other timers).
  const clock = manualClock(Math.floor(Date.now() / 1000) * 1000)
  const platform = usePlatform({ logRequests: true, clock })
  const core = useCallCores(platform, webrtc)
  afterEach(() => platform().admin.clearFaults())

  /** alice talks to bob (she called) and carol (who called her); both calls held by alice. */
  async function consultation(aliceEnvironment: Partial<Environment> = {}) {
    const alice = await core('alice@example.com', aliceEnvironment)
    const bob = await core('bob@example.com')
    const carol = await core('carol@example.com')
    const withBob = await connect(alice, bob)
    const withCarol = await connect(carol, alice)
    await hold(alice, withBob.callerCall)
    await hold(alice, withCarol.calleeCall)
    return { alice, bob, carol, withBob, withCarol }
  }

  it('sends PUT …/transfer naming the other session and its far end; both calls end (9905); the far ends are re-connected', async () => {
    const { alice, bob, carol, withBob, withCarol } = await consultation()
    const bobPeers = peers.get('bob@example.com')?.length ?? 0
    const carolPeers = peers.get('carol@example.com')?.length ?? 0
    /** The stream its local SDP sends the tracks in (`a=msid:<stream id> <track id>`; `-` for none). */
    const sentStream = (peer: RTCPeerConnection | undefined) => /^a=msid:(\S+) /m.exec(peer?.localDescription?.sdp ?? '')?.[1]
    const bobStream = sentStream(peers.get('bob@example.com')?.at(-1))
    expect(bobStream).to.be.a('string').and.not.equal('-')
    const sessions = [callOf(alice, withBob.callerCall)?.wrtcsSessionId, callOf(alice, withCarol.calleeCall)?.wrtcsSessionId]
    const endings = [next(alice, 'stateChanged', withBob.callerCall), next(alice, 'stateChanged', withCarol.calleeCall)]
    alice.call.commands.consultativeTransfer(withBob.callerCall, withCarol.calleeCall)
    for (const ending of endings) expect((await ending).transition).to.deep.equal({ statusCode: 9905, reasonText: 'Transfer Successful' })
    expect(platform().logs.some((line) => line.includes(`call transfer by alice@example.com: bob@example.com (`) && line.includes('carol@example.com ('))).to.equal(true)
    expect(sessions.every((session) => typeof session === 'string')).to.equal(true)
    expect([callOf(alice, withBob.callerCall)?.state, callOf(alice, withCarol.calleeCall)?.state]).to.deep.equal(['Ended', 'Ended'])

    await eventually(() => callOf(bob, withBob.calleeCall)?.state === 'Connected' && callOf(carol, withCarol.callerCall)?.state === 'Connected', 'bob and carol Connected')
    expect(callOf(bob, withBob.calleeCall)).to.include({ localHold: false, remoteHold: false })
    expect(callOf(carol, withCarol.callerCall)).to.include({ localHold: false, remoteHold: false })
    // Each far end got a new peer connection (the far end changed), and the two connect to each other.
    const bobPeer = peers.get('bob@example.com')?.[bobPeers]
    const carolPeer = peers.get('carol@example.com')?.[carolPeers]
    await eventually(() => bobPeer?.iceConnectionState === 'connected' || bobPeer?.iceConnectionState === 'completed', 'bob’s new peer connected')
    await eventually(() => carolPeer?.iceConnectionState === 'connected' || carolPeer?.iceConnectionState === 'completed', 'carol’s new peer connected')
    // Bob's microphone moved to the new peer connection in his local stream.
    expect(sentStream(bobPeer)).to.equal(bobStream)
  })

  it('a transfer the platform refuses leaves both calls held: the error and "Transfer Failed" (-1); they can be unheld', async () => {
    const { alice, withBob, withCarol } = await consultation()
    const sessionId = callOf(alice, withBob.callerCall)?.wrtcsSessionId ?? ''
    // The platform refuses this one request (its fault injection: a 503 with an error body).
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionId}/transfer`, status: 503, count: 1 })
    const failures = [next(alice, 'stateChanged', withBob.callerCall), next(alice, 'stateChanged', withCarol.calleeCall)]
    alice.call.commands.consultativeTransfer(withBob.callerCall, withCarol.calleeCall)
    for (const failure of failures) {
      const change = await failure
      expect(change.transition).to.deep.equal({ statusCode: -1, reasonText: 'Transfer Failed' })
      expect(change.error?.code).to.equal('SVC0001')
    }
    expect(callOf(alice, withBob.callerCall)).to.include({ state: 'On Hold', localHold: true, operation: undefined })
    alice.call.commands.unhold(withBob.callerCall)
    await eventually(() => callOf(alice, withBob.callerCall)?.state === 'Connected', 'unheld after the failure')
  })

  it('a transfer waiting behind a re-offer, whose other call ends meanwhile: it fails ("Transfer Failed") and frees the call left', async () => {
    const { alice, bob, carol, withBob, withCarol } = await consultation()
    const transfers = () => platform().logs.filter((line) => /^PUT \S+\/transfer \d{3} /.test(line)).length
    const before = transfers()
    const sessionId = callOf(alice, withBob.callerCall)?.wrtcsSessionId ?? ''
    // Alice's answer to Bob's re-offer is held up on the platform until its clock moves: her transfer waits in the call's negotiation queue.
    await platform().admin.delay(1500, `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionId}/answer`)
    const originOf = (sdp: string | undefined) => /^o=.*$/m.exec(sdp ?? '')?.[0]
    const alicePeer = peers.get('alice@example.com')?.[0]
    const answered = originOf(alicePeer?.remoteDescription?.sdp)
    const timers = clock.pending()
    bob.call.commands.hold(withBob.calleeCall)
    await eventually(() => originOf(alicePeer?.remoteDescription?.sdp) !== answered, 'alice answering bob’s hold')
    await eventually(() => clock.pending() > timers, 'alice’s answer held on the platform')
    const failed = next(alice, 'stateChanged', withBob.callerCall, (change) => change.error !== undefined)
    alice.call.commands.consultativeTransfer(withBob.callerCall, withCarol.calleeCall)
    carol.call.commands.end(withCarol.callerCall)
    await eventually(() => callOf(alice, withCarol.calleeCall)?.state === 'Ended', 'carol’s call ended')
    // The answer goes through now; the transfer behind it finds carol's call gone.
    clock.advance(1500)
    const change = await failed
    expect(change.transition).to.deep.equal({ statusCode: -1, reasonText: 'Transfer Failed' })
    expect(change.error?.code).to.equal('call:6')
    await eventually(() => callOf(alice, withBob.callerCall)?.remoteHold === true, 'bob’s hold applied')
    expect(callOf(alice, withBob.callerCall)).to.include({ state: 'On Hold', localHold: true, operation: undefined })
    expect(transfers()).to.equal(before)
  })

  it('refuses calls that are not both locally held (call:6) and unknown ids (call:7) before any request', async () => {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    const carol = await core('carol@example.com')
    const withBob = await connect(alice, bob)
    const withCarol = await connect(alice, carol)
    await hold(alice, withBob.callerCall)
    const transfers = () => platform().logs.filter((line) => /^PUT \S+\/transfer \d{3} /.test(line)).length
    const before = transfers()
    const notHeld = next(alice, 'stateChanged', withBob.callerCall)
    alice.call.commands.consultativeTransfer(withBob.callerCall, withCarol.callerCall)
    expect((await notHeld).error?.code).to.equal('call:6')
    const unknown = next(alice, 'stateChanged', 'nope')
    alice.call.commands.consultativeTransfer('nope', withBob.callerCall)
    expect((await unknown).error?.code).to.equal('call:7')
    expect(transfers()).to.equal(before)
    expect(callOf(alice, withBob.callerCall)?.operation).to.equal(undefined)
  })

  it('a second transfer while one is in flight is refused (call:6) and sends nothing', async () => {
    const { alice, withBob, withCarol } = await consultation()
    const transfers = () => platform().logs.filter((line) => /^PUT \S+\/transfer \d{3} /.test(line)).length
    const before = transfers()
    const refused = next(alice, 'stateChanged', withCarol.calleeCall, (change) => change.error !== undefined)
    const endings = [withBob.callerCall, withCarol.calleeCall].map((id) => next(alice, 'stateChanged', id, (change) => change.transition?.statusCode === 9905))
    alice.call.commands.consultativeTransfer(withBob.callerCall, withCarol.calleeCall)
    alice.call.commands.consultativeTransfer(withCarol.calleeCall, withBob.callerCall)
    expect((await refused).error?.code).to.equal('call:6')
    await Promise.all(endings)
    expect(transfers()).to.equal(before + 1)
  })

  it('join without WebAudio (Node): call:join with call:5, both calls untouched', async () => {
    const { alice, withBob, withCarol } = await consultation()
    const reported = next(alice, 'joinReported')
    alice.call.commands.join(withBob.callerCall, withCarol.calleeCall)
    const { callId, error } = await reported
    expect(callId).to.equal(withBob.callerCall)
    expect(error?.code).to.equal('call:5')
    expect(error?.message).to.contain('AudioContext')
    expect(callOf(alice, withBob.callerCall)).to.include({ state: 'On Hold', localHold: true, operation: undefined })
    expect(callOf(alice, withBob.callerCall)?.joinedInto).to.equal(undefined)
  })

  it('a call being joined refuses the app’s operations (call:6, "being joined")', async () => {
    // Node has no WebAudio: a constructor that fails stands in for it, so the join goes on until it would mix.
    class Unmixed {
      constructor() {
        throw new Error('no mixing in Node')
      }
    }
    const { alice, withBob, withCarol } = await consultation({ AudioContext: Unmixed as unknown as typeof AudioContext })
    const refused = next(alice, 'stateChanged', withBob.callerCall, (change) => change.error !== undefined)
    alice.call.commands.join(withBob.callerCall, withCarol.calleeCall)
    alice.call.commands.unhold(withBob.callerCall)
    const { error, previous } = await refused
    expect(error?.code).to.equal('call:6')
    expect(error?.message).to.equal(`Call ${withBob.callerCall} is being joined with another call.`)
    expect(previous).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
  })

  it('a join whose unhold the platform refuses: call:join with the error, "Join Failed" (-2) on both calls, both held again', async () => {
    // Node has no WebAudio. This join fails before any mixing, so a constructor that must never run stands in for it.
    class NeverMixed {
      constructor() {
        throw new Error('the failed join must not start mixing')
      }
    }
    const { alice, bob, withBob, withCarol } = await consultation({ AudioContext: NeverMixed as unknown as typeof AudioContext })
    const sessionId = callOf(alice, withBob.callerCall)?.wrtcsSessionId ?? ''
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionId}/update`, status: 503, count: 1 })
    const reported = next(alice, 'joinReported')
    const failures = [next(alice, 'stateChanged', withBob.callerCall), next(alice, 'stateChanged', withCarol.calleeCall)]
    alice.call.commands.join(withBob.callerCall, withCarol.calleeCall)
    const { callId, error } = await reported
    expect([callId, error?.code]).to.deep.equal([withBob.callerCall, 'SVC0001'])
    for (const failure of failures) expect((await failure).transition).to.deep.equal({ statusCode: -2, reasonText: 'Join Failed' })
    await eventually(
      () => [withBob.callerCall, withCarol.calleeCall].every((id) => callOf(alice, id)?.localHold === true && callOf(alice, id)?.operation === undefined),
      'both calls held again',
    )
    expect(callOf(alice, withCarol.calleeCall)).to.include({ state: 'On Hold' })
    expect(callOf(alice, withCarol.calleeCall)?.joinedInto).to.equal(undefined)
    expect(callOf(bob, withBob.calleeCall)).to.include({ state: 'On Hold', remoteHold: true })
    expect(Object.keys(alice.call.current().calls)).to.have.length(2)
  })
})
