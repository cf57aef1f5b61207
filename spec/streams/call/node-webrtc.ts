// What the call feature's Node specs share: the SDK over the local platform (real HTTP and
// WebSocket) with a real WebRTC stack (@roamhq/wrtc). The "devices" are wrtc's media sources
// (no content: media is checked in Chromium), and every peer connection the SDK makes is recorded.
import wrtc from '@roamhq/wrtc'
import { filter, firstValueFrom, type Observable } from 'rxjs'
import type { CallOutput } from '../../../streams/call/model.js'
import type { UserConfig } from '../../../streams/config/state.js'
import type { Environment } from '../../../streams/environment.js'
import { createTestStreams, until, type TestStreams } from '../../helpers/client.js'
import type { TestPlatform } from '../../helpers/platform.js'

export { virtualClock } from '../../helpers/clock.js'

/** A media device for Node: getUserMedia answers with tracks of wrtc's audio / video sources. */
export const nodeDevices = (): MediaDevices =>
  ({
    getUserMedia: async (constraints: MediaStreamConstraints) => {
      const tracks: MediaStreamTrack[] = []
      if (constraints.audio) tracks.push(new wrtc.nonstandard.RTCAudioSource().createTrack() as unknown as MediaStreamTrack)
      if (constraints.video) tracks.push(new wrtc.nonstandard.RTCVideoSource().createTrack() as unknown as MediaStreamTrack)
      return new wrtc.MediaStream(tracks as never) as unknown as MediaStream
    },
    enumerateDevices: async () => [],
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }) as unknown as MediaDevices

/** The WebRTC members of an environment for Node; every peer connection the SDK creates is pushed onto `record`. */
export function recordingWebrtc(record: RTCPeerConnection[], extra: Partial<Environment> = {}): Partial<Environment> {
  class RecordedPeerConnection extends (wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection) {
    constructor(configuration?: RTCConfiguration) {
      super(configuration)
      record.push(this)
    }
  }
  return { RTCPeerConnection: RecordedPeerConnection, MediaStream: wrtc.MediaStream as unknown as typeof MediaStream, mediaDevices: nodeDevices(), ...extra }
}

/**
 * Mocha hooks for the enclosing describe: `core(userId, extra, config)` starts a user's reactive core with
 * the call service on the platform, on `webrtc(userId)` (by default wrtc, its peer connections unrecorded)
 * with `extra` over it, and disposes it after the test.
 */
export function useCallCores(
  platform: () => TestPlatform,
  webrtc: (userId: string) => Partial<Environment> = () => recordingWebrtc([]),
): (userId: string, extra?: Partial<Environment>, config?: UserConfig) => Promise<TestStreams> {
  const cores: TestStreams[] = []
  afterEach(() => {
    for (const streams of cores.splice(0)) streams.dispose()
  })
  return async (userId, extra = {}, config = {}) => {
    const streams = await createTestStreams(platform(), userId, { services: ['call'], config, environment: { ...webrtc(userId), ...extra } })
    cores.push(streams)
    return streams
  }
}

/** The next output of `type` (for `callId`, when given) that satisfies `where`. */
export const next = <T extends CallOutput['type']>(
  streams: TestStreams,
  type: T,
  callId?: string,
  where: (output: Extract<CallOutput, { type: T }>) => boolean = () => true,
): Promise<Extract<CallOutput, { type: T }>> =>
  firstValueFrom(
    (streams.call.events$ as Observable<CallOutput>).pipe(
      filter(
        (output): output is Extract<CallOutput, { type: T }> =>
          output.type === type && (callId === undefined || output.callId === callId) && where(output as Extract<CallOutput, { type: T }>),
      ),
    ),
  )

/** Waits until a condition holds: real network I/O and WebRTC run in real time, whatever the SDK's scheduler. */
export const eventually = (condition: () => boolean, what: string, timeout = 8000): Promise<void> => until(condition, what, timeout, 10)

/** Alice and Bob, each on a core `core` makes with no extras, in an audio call Alice placed and Bob answered. */
export async function aliceCallsBob(
  core: (userId: string) => Promise<TestStreams>,
): Promise<{ readonly alice: TestStreams; readonly bob: TestStreams; readonly callerCall: string; readonly calleeCall: string }> {
  const alice = await core('alice@example.com')
  const bob = await core('bob@example.com')
  return { alice, bob, ...(await connect(alice, bob)) }
}

/** Places an audio call from `caller` to `callee` and lets it ring; resolves when the caller's call is Ringing. */
export async function ring(caller: TestStreams, callee: TestStreams): Promise<{ readonly callerCall: string; readonly calleeCall: string }> {
  const received = next(callee, 'callReceived')
  const callerCall = caller.call.commands.make(callee.tokens.identity, { audio: true })
  const calleeCall = (await received).callId
  await eventually(() => caller.call.current().calls[callerCall]?.state === 'Ringing', `${caller.tokens.identity} Ringing`)
  return { callerCall, calleeCall }
}

/** Places an audio call from `caller` to `callee` and answers it; resolves when both are Connected. */
export async function connect(caller: TestStreams, callee: TestStreams): Promise<{ readonly callerCall: string; readonly calleeCall: string }> {
  const received = next(callee, 'callReceived')
  const callerCall = caller.call.commands.make(callee.tokens.identity, { audio: true })
  const calleeCall = (await received).callId
  callee.call.commands.answer(calleeCall, { audio: true })
  const connected = (streams: TestStreams, callId: string): boolean => streams.call.current().calls[callId]?.state === 'Connected'
  await eventually(() => connected(caller, callerCall) && connected(callee, calleeCall), 'both Connected')
  return { callerCall, calleeCall }
}
