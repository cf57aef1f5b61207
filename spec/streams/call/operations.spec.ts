import { expect } from 'chai'
import wrtc from '@roamhq/wrtc'
import { glareWait, reofferAnswerTimeout } from '../../../streams/call/operations/reoffer.js'
import type { Environment } from '../../../streams/environment.js'
import type { TestStreams } from '../../helpers/client.js'
import { usePlatform } from '../../helpers/platform.js'
import { manualClock } from '../../platform/clock.js'
import { aliceCallsBob, connect, eventually, next, nodeDevices, recordingWebrtc, useCallCores, virtualClock } from './node-webrtc.js'

// Mid-call operations of the call feature in Node, over the local platform (real HTTP and
// WebSocket) with a real WebRTC stack (@roamhq/wrtc): the failure paths a browser spec cannot
// reach in reasonable time (a far end that never answers, a glare whose retry is refused too),
// with the waits in virtual time. Media is checked in Chromium (spec/browser/calls/).

/** Every peer connection each user's SDK created, newest last. */
const peers = new Map<string, RTCPeerConnection[]>()
const webrtc = (userId: string): Partial<Environment> => {
  const own: RTCPeerConnection[] = []
  peers.set(userId, own)
  return recordingWebrtc(own)
}
const peerOf = (userId: string): RTCPeerConnection | undefined => peers.get(userId)?.at(-1)

const sessionOf = (streams: TestStreams, callId: string): string => streams.call.current().calls[callId]?.wrtcsSessionId ?? ''

const flagsOf = (streams: TestStreams, callId: string) => {
  const call = streams.call.current().calls[callId]
  return { state: call?.state, localHold: call?.localHold, remoteHold: call?.remoteHold, operation: call?.operation }
}

/** A stand-in for WebAudio whose mix is a wrtc track, so that the real sender takes it (wrtc has no AudioContext). */
function mixingContext(): { mixed: MediaStreamTrack; AudioContext: typeof AudioContext } {
  const mixed = new wrtc.nonstandard.RTCAudioSource().createTrack() as unknown as MediaStreamTrack
  class MixingContext {
    readonly currentTime = 0
    resume = async () => undefined
    close = async () => undefined
    createMediaStreamDestination = () => ({ stream: { getAudioTracks: () => [mixed] } })
    createMediaStreamSource = () => ({ connect: () => undefined, disconnect: () => undefined })
  }
  return { mixed, AudioContext: MixingContext as unknown as typeof AudioContext }
}

describe('mid-call operations in Node over the local platform (streams/call/operations/)', function () {
  this.timeout(20000)
  // The platform's clock moves only when a spec says: a delayed request is held until then (nothing here waits on its other timers).
  const clock = manualClock(Math.floor(Date.now() / 1000) * 1000)
  const platform = usePlatform({ clock })
  const core = useCallCores(platform, webrtc)
  afterEach(() => platform().admin.clearFaults())

  /** Alice, on a virtual clock, in a connected call with Bob. */
  const callOnVirtualClock = async () => {
    const { clock, advance, timerSet } = virtualClock()
    const alice = await core('alice@example.com', { scheduler: clock })
    const bob = await core('bob@example.com')
    return { advance, timerSet, alice, bob, ...(await connect(alice, bob)) }
  }

  it('hold and unhold: the transceivers go inactive and back; both sides see the flags', async () => {
    const { alice, bob, callerCall, calleeCall } = await aliceCallsBob(core)
    const remotelyHeld = next(bob, 'stateChanged', calleeCall)
    alice.call.commands.hold(callerCall)
    await remotelyHeld
    await eventually(() => flagsOf(alice, callerCall).localHold === true, 'alice held')
    expect(flagsOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false, operation: undefined })
    expect(flagsOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true, operation: undefined })
    expect(peerOf('alice@example.com')?.getTransceivers().map((transceiver) => transceiver.currentDirection)).to.deep.equal(['inactive'])

    const remotelyUnheld = next(bob, 'stateChanged', calleeCall)
    alice.call.commands.unhold(callerCall)
    await remotelyUnheld
    await eventually(() => flagsOf(alice, callerCall).state === 'Connected', 'alice unheld')
    expect(flagsOf(bob, calleeCall)).to.deep.include({ state: 'Connected', remoteHold: false })
    expect(peerOf('alice@example.com')?.getTransceivers().map((transceiver) => transceiver.currentDirection)).to.deep.equal(['sendrecv'])
  })

  it('a far end that cannot answer: it reports its error, its media as before; our hold fails after the answer timeout, rolled back, the call as it was', async () => {
    const { advance, timerSet, alice, bob, callerCall, calleeCall } = await callOnVirtualClock()
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/bob@example.com/sessions/${sessionOf(bob, calleeCall)}/answer`, status: 500 })

    const bobFailed = next(bob, 'stateChanged', calleeCall)
    alice.call.commands.hold(callerCall)
    expect((await bobFailed).error?.name).to.equal('BasicError')
    expect(flagsOf(bob, calleeCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false, operation: undefined })
    expect(peerOf('bob@example.com')?.signalingState).to.equal('stable')
    // Bob's answer never reached Alice: his peer is back to the negotiation both know, not the hold he could not answer.
    expect(peerOf('bob@example.com')?.getTransceivers().map((transceiver) => transceiver.currentDirection)).to.deep.equal(['sendrecv'])

    await timerSet(reofferAnswerTimeout)
    expect(flagsOf(alice, callerCall).operation).to.equal('hold')
    const aliceFailed = next(alice, 'stateChanged', callerCall)
    advance(reofferAnswerTimeout)
    const failure = await aliceFailed
    expect(failure.error).to.deep.include({ code: 'call:2' })
    expect(failure.previous).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(flagsOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false, operation: undefined })
    await eventually(() => peerOf('alice@example.com')?.signalingState === 'stable', 'alice rolled back')
    expect(peerOf('alice@example.com')?.getTransceivers().map((transceiver) => transceiver.direction)).to.deep.equal(['sendrecv'])
    expect(peerOf('alice@example.com')?.getTransceivers().map((transceiver) => transceiver.currentDirection)).to.deep.equal(['sendrecv'])
  })

  it('a call that ends while its slow-start re-offer waits: the new peer connection and the one it replaced both close', async () => {
    const { alice, bob, callerCall, calleeCall } = await aliceCallsBob(core)
    await platform().admin.delay(3000, `/cpaas/webrtcsignaling/v1/bob@example.com/sessions/${sessionOf(bob, calleeCall)}/answer`)
    const timers = clock.pending()
    // What a gateway does (its re-INVITE without SDP): Bob offers on a new peer connection; his reply is held at the platform.
    const asked = await platform().fetchAs(alice.tokens, 'PUT', `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionOf(alice, callerCall)}/update`, {
      wrtcsOffer: { clientCorrelator: 'gateway' },
    })
    expect(asked.status).to.equal(204)
    await eventually(() => peers.get('bob@example.com')?.length === 2, 'bob offering on a new peer connection')
    await eventually(() => clock.pending() > timers, 'bob’s reply held on the platform')
    const ended = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.end(calleeCall)
    await ended
    await eventually(() => peers.get('bob@example.com')?.every((peer) => peer.signalingState === 'closed') === true, 'both closed')
    // The reply goes on only now, to a call that ended.
    clock.advance(3000)
  })

  it('glare whose retry is refused again: the error is reported, our hold flags unchanged, the far end’s hold applied', async () => {
    const { advance, timerSet, alice, bob, callerCall, calleeCall } = await callOnVirtualClock()
    // Two 409s, as if each of Alice's offers met one of Bob's.
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionOf(alice, callerCall)}/update`, status: 409, count: 2 })

    alice.call.commands.hold(callerCall)
    await timerSet(glareWait)
    expect(flagsOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false, operation: 'hold' })
    expect(peerOf('alice@example.com')?.signalingState).to.equal('stable')

    // Bob's offer arrives; Alice answers it, then retries her hold once, which is refused too.
    const failed = next(alice, 'stateChanged', callerCall, (output) => output.error !== undefined)
    bob.call.commands.hold(calleeCall)
    const failure = await failed
    expect(failure.error).to.deep.include({ name: 'BasicError' })
    expect(failure.previous).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })
    expect(flagsOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true, operation: undefined })
    await eventually(() => flagsOf(bob, calleeCall).localHold === true, 'bob held')
    expect(flagsOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false, operation: undefined })
    advance(glareWait)

    // The next try goes through: dual hold on both sides.
    alice.call.commands.hold(callerCall)
    await eventually(() => flagsOf(alice, callerCall).localHold === true && flagsOf(bob, calleeCall).remoteHold === true, 'dual hold')
    expect(flagsOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: true, operation: undefined })
  })

  it('a glare with no remote offer: the operation gives up after the wait, with the 409 error', async () => {
    const { advance, timerSet, alice, callerCall } = await callOnVirtualClock()
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionOf(alice, callerCall)}/update`, status: 409 })
    const failed = next(alice, 'newMedia', callerCall)
    alice.call.commands.addMedia(callerCall, { video: true })
    await timerSet(glareWait)
    advance(glareWait)
    expect((await failed).error).to.deep.include({ name: 'BasicError' })
    expect(flagsOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false, operation: undefined })
    expect(alice.call.current().calls[callerCall]?.localTracks).to.have.length(1)
  })

  it('new media whose re-offer fails is taken off again (its transceiver a spare, inactive, without track); the next new media of its kind reuses it, sending and receiving', async () => {
    const { alice, callerCall } = await aliceCallsBob(core)
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionOf(alice, callerCall)}/update`, status: 500, count: 1 })
    const failed = next(alice, 'newMedia', callerCall)
    alice.call.commands.addMedia(callerCall, { video: true })
    expect((await failed).error).to.deep.include({ name: 'BasicError' })
    await eventually(() => peerOf('alice@example.com')?.signalingState === 'stable', 'alice rolled back')
    const transceivers = () => peerOf('alice@example.com')?.getTransceivers().map(({ direction, sender }) => [direction, sender.track?.kind ?? null])
    expect(transceivers()).to.deep.equal([
      ['sendrecv', 'audio'],
      ['inactive', null],
    ])
    expect(alice.call.current().calls[callerCall]?.localTracks).to.have.length(1)

    const added = next(alice, 'newMedia', callerCall)
    alice.call.commands.addMedia(callerCall, { video: true })
    expect((await added).error).to.equal(undefined)
    expect(transceivers()).to.deep.equal([
      ['sendrecv', 'audio'],
      ['sendrecv', 'video'],
    ])
    expect(alice.call.current().calls[callerCall]?.localTracks).to.have.length(2)
    // Each track is sent in its media's stream (`a=msid:<stream id> <track id>`), the new video in the new one.
    const sentStreams = [...(peerOf('alice@example.com')?.localDescription?.sdp ?? '').matchAll(/^a=msid:(\S+) /gm)].map((line) => line[1])
    expect(sentStreams).to.have.length(2)
    expect(sentStreams).to.not.include('-')
    expect(new Set(sentStreams).size).to.equal(2)
  })

  it('removed media whose re-offer fails is put back: the track is sent again, sending and receiving, still the call’s and live', async () => {
    const { alice, callerCall } = await aliceCallsBob(core)
    const [microphone] = alice.call.current().calls[callerCall]?.localTracks ?? []
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionOf(alice, callerCall)}/update`, status: 500, count: 1 })
    const failed = next(alice, 'removedMedia', callerCall)
    alice.call.commands.removeMedia(callerCall, [microphone ?? ''])
    expect((await failed).error).to.deep.include({ name: 'BasicError' })
    await eventually(() => peerOf('alice@example.com')?.signalingState === 'stable', 'alice rolled back')
    const transceivers = () => peerOf('alice@example.com')?.getTransceivers().map(({ direction, sender }) => [direction, sender.track?.id ?? null])
    await eventually(() => transceivers()?.[0]?.[1] === microphone, 'the microphone sent again')
    expect(transceivers()).to.deep.equal([['sendrecv', microphone]])
    expect(alice.call.current().calls[callerCall]?.localTracks).to.deep.equal([microphone])
    expect(alice.media.current().tracks[microphone ?? '']?.state).to.equal('live')
  })

  it('the far end removes its video: our remote video track ends, the remote audio track stays', async () => {
    const { alice, bob, callerCall, calleeCall } = await aliceCallsBob(core)
    const remoteTracks = () => alice.call.current().calls[callerCall]?.remoteTracks ?? []
    const audio = remoteTracks()
    expect(audio).to.have.length(1)
    bob.call.commands.addMedia(calleeCall, { video: true })
    await eventually(() => remoteTracks().length === 2, 'alice receives bob’s video')
    const video = remoteTracks().find((trackId) => !audio.includes(trackId)) ?? ''
    const bobVideo = bob.call.current().calls[calleeCall]?.localTracks.at(-1) ?? ''
    bob.call.commands.removeMedia(calleeCall, [bobVideo])
    await eventually(() => !remoteTracks().includes(video), 'alice’s remote video ended')
    expect(remoteTracks()).to.deep.equal(audio)
  })

  it('replaceTrack with media of another kind, or of more than one track, is refused with call:4 naming the track and the kinds, that media stopped; the call keeps its track', async () => {
    const acquired: MediaStream[] = []
    const devices = nodeDevices()
    const recordingDevices = {
      ...devices,
      getUserMedia: async (constraints: MediaStreamConstraints) => {
        const stream = await devices.getUserMedia(constraints)
        acquired.push(stream)
        return stream
      },
    } as unknown as MediaDevices
    const alice = await core('alice@example.com', { mediaDevices: recordingDevices })
    const bob = await core('bob@example.com')
    const { callerCall } = await connect(alice, bob)
    const [microphone] = alice.call.current().calls[callerCall]?.localTracks ?? []
    const replaced = next(alice, 'trackReplaced', callerCall)
    alice.call.commands.replaceTrack(callerCall, microphone ?? '', { video: true })
    const { error } = await replaced
    expect(error).to.deep.include({
      code: 'call:4',
      message: `Track ${microphone} is audio: the replacement must be one audio track (media asked for video).`,
    })
    expect(acquired.at(-1)?.getTracks().map((track) => [track.kind, track.readyState])).to.deep.equal([['video', 'ended']])
    expect(alice.call.current().calls[callerCall]?.localTracks).to.deep.equal([microphone])
    expect(peerOf('alice@example.com')?.getSenders().map((sender) => sender.track?.id)).to.deep.equal([microphone])

    // Media with the right kind and one more track is refused too: a call sends one track per sender.
    const both = next(alice, 'trackReplaced', callerCall)
    alice.call.commands.replaceTrack(callerCall, microphone ?? '', { audio: true, video: true })
    expect((await both).error).to.deep.include({
      code: 'call:4',
      message: `Track ${microphone} is audio: the replacement must be one audio track (media asked for audio and video).`,
    })
    expect(acquired.at(-1)?.getTracks().map((track) => [track.kind, track.readyState])).to.deep.equal([
      ['audio', 'ended'],
      ['video', 'ended'],
    ])
    expect(alice.call.current().calls[callerCall]?.localTracks).to.deep.equal([microphone])
    expect(peerOf('alice@example.com')?.getSenders().map((sender) => sender.track?.id)).to.deep.equal([microphone])
  })

  it('sendDtmf out-of-band where telephone-event was negotiated: insertDTMF(tones, duration, gap) on the audio sender; dtmfSent says inBand false, with a throw as its error', async () => {
    // Node's WebRTC has no RTCDTMFSender: a stand-in on each sender of alice's peer connection.
    const inserted: unknown[][] = []
    let refuse = false
    const dtmf = {
      canInsertDTMF: true,
      insertDTMF: (...args: unknown[]) => {
        if (refuse) throw new Error('InvalidStateError')
        inserted.push(args)
      },
    }
    class WithDtmfSender extends (wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection) {
      override getSenders(): RTCRtpSender[] {
        return super.getSenders().map((sender) => Object.assign(sender, { dtmf }))
      }
    }
    const alice = await core('alice@example.com', { RTCPeerConnection: WithDtmfSender })
    const bob = await core('bob@example.com')
    const { callerCall } = await connect(alice, bob)
    const sent = next(alice, 'dtmfSent', callerCall)
    alice.call.commands.sendDtmf(callerCall, '1#', 200, 50)
    expect(await sent).to.deep.include({ tones: '1#', inBand: false, error: undefined })
    expect(inserted).to.deep.equal([['1#', 200, 50]])
    refuse = true
    const refused = next(alice, 'dtmfSent', callerCall)
    alice.call.commands.sendDtmf(callerCall, '2')
    const outcome = await refused
    expect(outcome).to.deep.include({ tones: '2', inBand: false })
    expect(outcome.error).to.include({ code: 'call:2', message: 'InvalidStateError' })
  })

  it('sendDtmf in-band without a DTMF sender: the mix on the audio sender for the sequence and its tail, then the microphone back; dtmfSent says inBand true', async () => {
    // A pause only, so no tone has to end.
    const { mixed, AudioContext } = mixingContext()
    const { clock, advance, timerSet } = virtualClock()
    const alice = await core('alice@example.com', { scheduler: clock, AudioContext })
    const bob = await core('bob@example.com')
    const { callerCall } = await connect(alice, bob)
    const audioSender = () => peerOf('alice@example.com')?.getSenders().find((sender) => sender.track?.kind === 'audio')
    const microphone = audioSender()?.track?.id
    const sent = next(alice, 'dtmfSent', callerCall)
    alice.call.commands.sendDtmf(callerCall, ',')
    await timerSet(2000, 'the pause')
    expect(audioSender()?.track?.id).to.equal(mixed.id)
    advance(2000)
    await timerSet(250, 'the tail')
    advance(250)
    expect(await sent).to.deep.include({ tones: ',', inBand: true, error: undefined })
    expect(audioSender()?.track?.id).to.equal(microphone)
    expect(mixed.readyState).to.equal('ended')
  })

  it('sendDtmf plays on the audio sender when the video sender comes first (audio added to a video call)', async () => {
    // A pause only.
    const { mixed, AudioContext } = mixingContext()
    const { clock, advance, timerSet } = virtualClock()
    const alice = await core('alice@example.com', { scheduler: clock, AudioContext })
    const bob = await core('bob@example.com')
    const received = next(bob, 'callReceived')
    const callerCall = alice.call.commands.make(bob.tokens.identity, { video: true })
    bob.call.commands.answer((await received).callId, { video: true })
    await eventually(() => alice.call.current().calls[callerCall]?.state === 'Connected', 'alice Connected')
    const added = next(alice, 'newMedia', callerCall)
    alice.call.commands.addMedia(callerCall, { audio: true })
    expect((await added).error).to.equal(undefined)
    expect(peerOf('alice@example.com')?.getSenders().map((sender) => sender.track?.kind)).to.deep.equal(['video', 'audio'])
    const sent = next(alice, 'dtmfSent', callerCall)
    alice.call.commands.sendDtmf(callerCall, ',')
    await timerSet(2000, 'the pause')
    expect(peerOf('alice@example.com')?.getSenders().map((sender) => sender.track?.id)).to.include(mixed.id)
    advance(2000)
    await timerSet(250, 'the tail')
    advance(250)
    expect(await sent).to.deep.include({ tones: ',', inBand: true, error: undefined })
  })

  it('operations on an ended call are refused at once with call:6; sendDtmf reports in dtmfSent only', async () => {
    const alice = await core('alice@example.com', { AudioContext: undefined })
    const bob = await core('bob@example.com')
    const { callerCall } = await connect(alice, bob)
    // Node's WebRTC has no DTMF sender, and here no WebAudio for in-band tones: a reported error, nothing thrown.
    const sent = next(alice, 'dtmfSent', callerCall)
    alice.call.commands.sendDtmf(callerCall, '1#')
    const outcome = await sent
    expect(outcome).to.deep.include({ tones: '1#', inBand: true })
    expect(outcome.error?.code).to.equal('call:2')
    const badTone = next(alice, 'dtmfSent', callerCall)
    alice.call.commands.sendDtmf(callerCall, 'E')
    expect((await badTone).error?.code).to.equal('call:7')

    alice.call.commands.end(callerCall)
    await eventually(() => flagsOf(alice, callerCall).state === 'Ended', 'ended')
    const refusals = [next(alice, 'stateChanged', callerCall), next(alice, 'newMedia', callerCall), next(alice, 'trackReplaced', callerCall), next(alice, 'dtmfSent', callerCall)]
    alice.call.commands.hold(callerCall)
    alice.call.commands.addMedia(callerCall, { video: true })
    alice.call.commands.replaceTrack(callerCall, 'x', { audio: true })
    alice.call.commands.sendDtmf(callerCall, '1')
    const errors = (await Promise.all(refusals)).map((output) => (output as { error?: { code: unknown } }).error?.code)
    expect(errors).to.deep.equal(['call:6', 'call:6', 'call:6', 'call:6'])
  })
})
