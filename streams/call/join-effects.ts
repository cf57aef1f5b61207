import { EMPTY, Subscription, asapScheduler, catchError, defer, filter, first, from, map, observeOn, of, switchMap, tap, throwError, type Observable } from 'rxjs'
import { BasicError, errorCodes, shown } from '../errors.js'
import { entryOf } from '../record.js'
import { createAudioBridge, type AudioBridge, type BridgeEnvironment } from './bridge.js'
import { asCallError } from './engine.js'
import { jointRouting, type Joined, type JoinEngine, type Joints } from './joined-calls.js'
import { isTerminal } from './steps.js'

// Joining two calls (rules in join.ts, protocol/calls.md §11): both legs come off hold audio-only, a WebAudio bridge (bridge.ts) goes between them.

/** A call's transceivers of `kind` (a stopped one is gone once its m-line is negotiated away; stopping it again changes nothing). */
const transceiversOf = (runtimes: JoinEngine['runtimes'], callId: string, kind: 'audio' | 'video'): RTCRtpTransceiver[] =>
  (runtimes.runtime(callId).peer?.connection.getTransceivers() ?? []).filter((transceiver) => transceiver.receiver.track.kind === kind)

type Pair = readonly [string, string]

const notSupported = (message: string): BasicError => new BasicError(errorCodes.call.NOT_SUPPORTED, message)
const changed = (callId: string, otherCallId: string): BasicError =>
  new BasicError(errorCodes.call.INVALID_STATE, `Calls ${callId} and ${otherCallId} changed while they were being joined.`)

/** Stops a call's video for good before it is taken off hold: its m-lines are rejected in the unhold offer. */
function audioOnly({ runtimes }: JoinEngine, callId: string): void {
  for (const transceiver of transceiversOf(runtimes, callId, 'video')) {
    const local = transceiver.sender.track
    const remote = transceiver.receiver.track.id
    transceiver.stop()
    if (local !== null) {
      runtimes.runtime(callId).localStream?.removeTrack(local)
      runtimes.endTracks(callId, [local.id], true)
    }
    runtimes.endTracks(callId, [remote], false)
  }
}

/** The microphone of the joined call: the first leg's that sends one, else one of its own (video-only calls). */
const microphoneOf = ({ media }: JoinEngine, microphones: readonly MediaStreamTrack[]): Observable<MediaStreamTrack> =>
  microphones[0] !== undefined
    ? of(microphones[0])
    : media.commands.userMedia({ audio: true }).pipe(
        map((stream) => {
          media.commands.addMedia(stream.id, true, stream.getAudioTracks())
          return stream.getAudioTracks()[0] as MediaStreamTrack
        }),
      )

/** The legs send the mix over their audio `transceivers` (which sent `microphones` before): the joined call appears, and ending it (its release) ends its legs. */
function appear({ engine, joints, running }: Joints, joinedId: string, joined: Joined, transceivers: readonly RTCRtpTransceiver[], microphones: readonly MediaStreamTrack[]): void {
  const { store, runtimes, media, environment } = engine
  const [callId, otherCallId] = joined.legs
  for (const id of joined.legs) runtimes.runtime(id).localStream?.removeTrack(joined.microphone)
  media.commands.endTracks(microphones.filter((track) => track !== joined.microphone).map((track) => track.id), true)
  const remoteTracks = transceivers.map((transceiver) => transceiver.receiver.track.id)
  const step = store.dispatch({ type: 'joined', callId, otherCallId, joinedId, webrtcSessionId: environment.randomId(), localTracks: [joined.microphone.id], remoteTracks, at: engine.now() })
  if (entryOf(step.state.calls, joinedId) === undefined) throw changed(callId, otherCallId)
  joints.set(joinedId, joined)
  const joinedRuntime = runtimes.runtime(joinedId)
  joinedRuntime.effects.add(() => {
    // Not closed twice: dispose closes every bridge, then releases every call.
    joints.get(joinedId)?.bridge.close()
    joints.delete(joinedId)
    // On dispose, calls are released locally only (as every call of a disposed client).
    if (!running.closed) for (const id of joined.legs) if (store.isLive(id)) engine.legs.end(id)
  })
}

/** Both legs are off hold: the bridge goes in, then the joined call appears. */
const bridge = (joining: Joints, pair: Pair, joinedId: string): Observable<unknown> =>
  defer(() => {
    const transceivers = pair.map((id) => {
      const [transceiver] = transceiversOf(joining.engine.runtimes, id, 'audio')
      if (transceiver === undefined) throw notSupported(`Call ${id} has no audio: only audio is joined.`)
      return transceiver
    })
    const microphones = transceivers.flatMap((transceiver) => transceiver.sender.track ?? [])
    return microphoneOf(joining.engine, microphones).pipe(
      switchMap((microphone) => {
        // Both exist: `join` checked them.
        const mix: AudioBridge = createAudioBridge(joining.engine.environment as BridgeEnvironment, pair.length)
        mix.setLocal(microphone)
        transceivers.forEach((transceiver, index) => mix.setRemote(index, transceiver.receiver.track))
        const sent = Promise.all(transceivers.map((transceiver, index) => transceiver.sender.replaceTrack(mix.output(index))))
        return from(sent).pipe(
          map(() => appear(joining, joinedId, { legs: pair, bridge: mix, microphone }, transceivers, microphones)),
          tap({ error: () => mix.close() }),
        )
      }),
    )
  })

/** The join failed: both calls are themselves again, held (a leg taken, or being taken, off hold is held again). */
function fail({ store, legs, logger }: JoinEngine, pair: Pair, error: unknown): Observable<never> {
  const [callId, otherCallId] = pair
  const reason = asCallError(error)
  logger.warn(`Calls ${callId} and ${otherCallId}: join failed`, reason)
  store.dispatch({ type: 'joinFailed', callId, otherCallId, error: reason })
  for (const leg of pair) {
    const call = store.liveOf(leg)
    if (call?.localHold === false || call?.operation === 'unhold') legs.hold(leg)
  }
  return EMPTY
}

/** Joins two calls: marks them, takes them off hold audio-only, and bridges them once both are ready. */
function join(joining: Joints, pair: Pair): void {
  const { store, environment, legs } = joining.engine
  const [callId, otherCallId] = pair
  if (environment.AudioContext === undefined || environment.MediaStream === undefined) {
    const error = notSupported('This environment has no AudioContext (WebAudio): calls cannot be joined here.')
    return void store.dispatch({ type: 'jointRefused', callId, operation: 'join', error })
  }
  const joinedId = environment.randomId()
  if (store.request({ type: 'joinRequested', callId, otherCallId, joinedId }) === undefined) return
  const bridged = store.state$.pipe(
    map((state) => pair.map((leg) => entryOf(state.calls, leg)?.joinedInto)),
    first((marks) => marks.some((mark) => mark?.into !== joinedId || mark.error !== undefined) || marks.every((mark) => mark?.ready === true)),
    // Not from inside the dispatch that settled it: the join's own events come after that one's.
    observeOn(asapScheduler),
    switchMap((marks) => {
      if (marks.every((mark) => mark?.into === joinedId && mark.ready)) return bridge(joining, pair, joinedId)
      return throwError(() => marks.find((mark) => mark?.error !== undefined)?.error ?? changed(callId, otherCallId))
    }),
  )
  joining.running.add(bridged.pipe(catchError((error: unknown) => fail(joining.engine, pair, error))).subscribe())
  for (const leg of pair) audioOnly(joining.engine, leg)
  for (const leg of pair) legs.unhold(leg)
}

/** A joined call: remote tracks follow its legs; when its last leg ends, its media is released. */
const follow = ({ engine, joints }: Joints): Subscription =>
  engine.store.outputs$.pipe(filter((output) => joints.has(output.callId))).subscribe((output) => {
    const joined = joints.get(output.callId) as Joined
    if (output.type === 'trackAdded' && !output.local) {
      const track = engine.media.track(output.trackId)
      const leg = joined.legs.findIndex((id) => engine.store.callOf(id)?.remoteTracks.includes(output.trackId) === true)
      if (track?.kind === 'audio' && leg >= 0) joined.bridge.setRemote(leg, track)
    }
    const record = engine.store.callOf(output.callId)
    if (output.type === 'stateChanged' && record !== undefined && isTerminal(record.state) && record.operation === undefined) {
      engine.media.commands.endTracks([joined.microphone.id], true)
      engine.runtimes.release(output.callId)
    }
  })

/** Joining calls, and the operations of joined calls. */
export function createJoin(engine: JoinEngine) {
  const joining: Joints = { engine, joints: new Map(), running: new Subscription() }
  joining.running.add(follow(joining))
  return {
    // The documented API passes ids on unchecked: as text, whatever an app gave.
    join: (callId: string, otherCallId: string) => join(joining, [shown(callId), shown(otherCallId)]),
    route: jointRouting(joining),
    dispose: () => {
      joining.running.unsubscribe()
      for (const joined of joining.joints.values()) joined.bridge.close()
      joining.joints.clear()
    },
  }
}
