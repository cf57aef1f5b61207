import wrtc from '@roamhq/wrtc'
import { expect } from 'chai'
import type { CallOutput, CallRecord } from '../../../streams/call/model.js'
import type { Environment } from '../../../streams/environment.js'
import type { TestStreams } from '../../helpers/client.js'
import { usePlatform } from '../../helpers/platform.js'
import { eventually, next, recordingWebrtc, useCallCores } from './node-webrtc.js'

// Joining two calls (streams/call/join-effects.ts) in Node over the local platform with wrtc. Node has no WebAudio: an audio context stands in whose
// mixes are silent wrtc tracks (what the mix sounds like is checked in Chromium, spec/browser/calls/join.spec.ts); the spec checks what the join does
// with the calls, their tracks and their peer connections.

/** The audio contexts made, newest last. */
const contexts: SilentAudioContext[] = []

/** An AudioContext whose destinations are silent wrtc audio tracks (`outputKind` 'video' makes each a video track, which an audio sender refuses). */
class SilentAudioContext {
  static outputKind: 'audio' | 'video' = 'audio'
  state: AudioContextState = 'running'
  constructor() {
    contexts.push(this)
  }
  createMediaStreamDestination() {
    const source = SilentAudioContext.outputKind === 'audio' ? new wrtc.nonstandard.RTCAudioSource() : new wrtc.nonstandard.RTCVideoSource()
    const track = source.createTrack()
    return { stream: { getAudioTracks: () => [track] } }
  }
  createMediaStreamSource() {
    return { connect: () => undefined, disconnect: () => undefined }
  }
  resume(): Promise<void> {
    return Promise.resolve()
  }
  close(): Promise<void> {
    this.state = 'closed'
    return Promise.resolve()
  }
}

const webrtc = (): Partial<Environment> => recordingWebrtc([], { AudioContext: SilentAudioContext as unknown as typeof AudioContext })

const callOf = (streams: TestStreams, callId: string): CallRecord | undefined => streams.call.current().calls[callId]

async function call(caller: TestStreams, callee: TestStreams, media: { audio: boolean; video?: boolean }): Promise<{ callerCall: string; calleeCall: string }> {
  const received = next(callee, 'callReceived')
  const callerCall = caller.call.commands.make(callee.tokens.identity, media)
  const calleeCall = (await received).callId
  callee.call.commands.answer(calleeCall, media)
  await eventually(() => callOf(caller, callerCall)?.state === 'Connected' && callOf(callee, calleeCall)?.state === 'Connected', 'both Connected')
  return { callerCall, calleeCall }
}

async function hold(user: TestStreams, callId: string): Promise<void> {
  user.call.commands.hold(callId)
  await eventually(() => callOf(user, callId)?.localHold === true && callOf(user, callId)?.operation === undefined, `call ${callId} held`)
}

describe('joining two calls in Node, WebAudio faked (streams/call/join-effects.ts)', function () {
  this.timeout(30000)
  const platform = usePlatform()
  const core = useCallCores(platform, webrtc)
  afterEach(() => {
    SilentAudioContext.outputKind = 'audio'
    contexts.length = 0
  })

  /** alice calls bob (audio and video) and carol (audio), holds both, and joins them; resolves with the joined call. */
  async function joined() {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    const carol = await core('carol@example.com')
    const withBob = await call(alice, bob, { audio: true, video: true })
    const withCarol = await call(alice, carol, { audio: true })
    await hold(alice, withBob.callerCall)
    await hold(alice, withCarol.callerCall)
    const before = { bob: callOf(alice, withBob.callerCall) as CallRecord, carol: callOf(alice, withCarol.callerCall) as CallRecord }
    const reported = next(alice, 'joinReported')
    const outputs: CallOutput[] = []
    const recording = alice.call.events$.subscribe((output) => outputs.push(output as CallOutput))
    const asked = Date.now()
    alice.call.commands.join(withBob.callerCall, withCarol.callerCall)
    const { callId: joinedId, error } = await reported
    recording.unsubscribe()
    return { alice, bob, carol, withBob, withCarol, before, joinedId, error, asked, outputs }
  }

  const trackState = (streams: TestStreams, trackId: string): string | undefined => streams.media.current().tracks[trackId]?.state

  it('the joined call appears with both legs’ remote audio and the first leg’s microphone; the other microphone and the video end', async () => {
    const { alice, withBob, withCarol, before, joinedId, error, asked, outputs } = await joined()
    expect(error).to.equal(undefined)
    const joinedCall = callOf(alice, joinedId) as CallRecord
    expect(joinedCall).to.include({ state: 'Connected' })
    // It starts when the mix went in (the clock of the client).
    expect(joinedCall.startTime).to.be.within(asked, Date.now())
    // The legs in the order the app named them: they end for the public in that order.
    expect(joinedCall.joint?.legs).to.deep.equal([withBob.callerCall, withCarol.callerCall])
    const ended = outputs.flatMap((output) => (output.type === 'stateChanged' && output.transition?.statusCode === 9906 ? [output.callId] : []))
    expect(ended).to.deep.equal([withBob.callerCall, withCarol.callerCall])
    const remoteAudio = (leg: CallRecord): string[] => leg.remoteTracks.filter((id) => alice.media.current().tracks[id]?.kind === 'audio')
    expect(joinedCall.remoteTracks).to.have.members([...remoteAudio(before.bob), ...remoteAudio(before.carol)])
    const [bobMicrophone, bobCamera] = before.bob.localTracks
    expect(joinedCall.localTracks).to.deep.equal([bobMicrophone])
    expect(trackState(alice, bobMicrophone ?? '')).to.equal('live')
    expect(trackState(alice, bobCamera ?? '')).to.equal('ended')
    expect(trackState(alice, before.carol.localTracks[0] ?? '')).to.equal('ended')
    const bobVideo = before.bob.remoteTracks.filter((id) => alice.media.current().tracks[id]?.kind === 'video')
    expect(bobVideo).to.have.length(1)
    expect(trackState(alice, bobVideo[0] ?? '')).to.equal('ended')
  })

  it('a leg that ends leaves the joined call’s microphone live; ending the joined call ends both far ends', async () => {
    const { alice, bob, carol, withBob, withCarol, joinedId } = await joined()
    const microphone = alice.media.track(callOf(alice, joinedId)?.localTracks[0] ?? '')
    bob.call.commands.end(withBob.calleeCall)
    await eventually(() => callOf(alice, withBob.callerCall)?.state === 'Ended', 'the bob leg ended')
    expect(microphone?.readyState).to.equal('live')
    expect(contexts.map((context) => context.state)).to.deep.equal(['running'])
    alice.call.commands.end(joinedId)
    await eventually(() => callOf(carol, withCarol.calleeCall)?.state === 'Ended', 'carol’s call ended')
    expect(callOf(alice, joinedId)?.state).to.equal('Ended')
    // The mix goes with the joined call: its audio context is closed.
    expect(contexts.map((context) => context.state)).to.deep.equal(['closed'])
  })

  it('both far ends hanging up end the joined call: its microphone stops and its mix closes', async () => {
    const { alice, bob, carol, withBob, withCarol, joinedId } = await joined()
    const microphoneId = callOf(alice, joinedId)?.localTracks[0] ?? ''
    const microphone = alice.media.track(microphoneId)
    bob.call.commands.end(withBob.calleeCall)
    carol.call.commands.end(withCarol.calleeCall)
    await eventually(() => callOf(alice, joinedId)?.state === 'Ended', 'the joined call ended')
    await eventually(() => microphone?.readyState === 'ended', 'the microphone stopped')
    expect(trackState(alice, microphoneId)).to.equal('ended')
    expect(contexts.map((context) => context.state)).to.deep.equal(['closed'])
  })

  it('legs on which alice sends no audio: the join takes a microphone of its own, a live track of the joined call', async () => {
    const alice = await core('alice@example.com')
    const legs: string[] = []
    for (const caller of [await core('bob@example.com'), await core('carol@example.com')]) {
      // They call with audio and video; she answers with video only: she hears them, and sends them no audio.
      const received = next(alice, 'callReceived')
      caller.call.commands.make(alice.tokens.identity, { audio: true, video: true })
      const callId = (await received).callId
      alice.call.commands.answer(callId, { audio: false, video: true })
      await eventually(() => callOf(alice, callId)?.state === 'Connected', 'answered')
      await hold(alice, callId)
      legs.push(callId)
    }
    const reported = next(alice, 'joinReported')
    alice.call.commands.join(legs[0] ?? '', legs[1] ?? '')
    const { callId: joinedId, error } = await reported
    expect(error).to.equal(undefined)
    const [microphone, ...others] = callOf(alice, joinedId)?.localTracks ?? []
    expect(others).to.deep.equal([])
    expect(alice.media.current().tracks[microphone ?? '']).to.include({ kind: 'audio', state: 'live' })
  })

  it('disposing the client closes the mix of its joined call', async () => {
    const { alice, joinedId, error } = await joined()
    expect(error).to.equal(undefined)
    expect(callOf(alice, joinedId)?.state).to.equal('Connected')
    expect(contexts.map((context) => context.state)).to.deep.equal(['running'])
    alice.dispose()
    expect(contexts.map((context) => context.state)).to.deep.equal(['closed'])
  })

  it('a mix the legs cannot send fails the join with the error and closes its audio context', async () => {
    SilentAudioContext.outputKind = 'video'
    const { alice, withBob, error } = await joined()
    expect(error).to.not.equal(undefined)
    expect(contexts.map((context) => context.state)).to.deep.equal(['closed'])
    await eventually(() => callOf(alice, withBob.callerCall)?.joinedInto === undefined, 'the join given up')
  })
})
