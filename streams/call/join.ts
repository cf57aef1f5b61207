import * as E from 'fp-ts/Either'
import { EMPTY, Observable, Subscription, asapScheduler, catchError, defer, filter, first, from, map, observeOn, of, switchMap, tap, throwError } from 'rxjs'
import { BasicError, errorCodes, isBasicError, shown } from '../errors.js'
import { checkMediaOptions } from '../media/constraints.js'
import { createAudioBridge, type AudioBridge } from './bridge.js'
import type { CallContext } from './context.js'
import type { CallCommands } from './feature.js'
import {
  callStates,
  failureOf,
  finish,
  heldState,
  invalidState,
  isTerminal,
  put,
  refusalOf,
  snapshot,
  toCallObject,
  unknownCall,
  type CallEvent,
  type CallObject,
  type CallOperation,
  type CallOutput,
  type CallRecord,
  type CallSnapshot,
  type CallsState,
  type CallsStep,
  type Transition,
} from './state.js'
import { entryOf } from '../record.js'

// `call.join` (api-reference; protocol/calls.md §11): the platform has no join request, so this
// client does it. Both calls are locally held; they are taken off hold audio-only (their video
// m-lines stopped), and a WebAudio bridge (bridge.ts) sends each remote party the local
// microphone mixed with the other remote party. The application sees ONE new joined call
// (audio-only, its remote tracks = both remote parties) while the two calls end with
// "Join Successful" (9906). The two platform sessions live on as the joined call's legs: their
// records stay in the state (notifications, audits and re-offers keep working on them) but the
// public sees what they were (`joinedInto.shown`: their state when the join started, then
// `Ended`), and their outputs are folded into the joined call's. A join that fails leaves both
// calls as they were (held again), minus their video, with "Join Failed" (-2) and `call:join { error }`.

/** The transition of both calls once joined (calls.md §11). */
export const joinSucceeded: Transition = { statusCode: 9906, reasonText: 'Join Successful' }
/** The transition of both calls when the join failed. */
export const joinFailed: Transition = { statusCode: -2, reasonText: 'Join Failed' }

/** A call that is (being) joined into another: one of its legs. */
export interface JoinedInto {
  /** The joined call's id. */
  readonly into: string
  /** What getters and events show of this call meanwhile: itself when the join started, then `Ended`. */
  readonly shown: CallObject
  /** While joining: this leg is off hold and can be bridged. */
  readonly ready: boolean
  /** While joining: why the join cannot go on. */
  readonly error: BasicError | undefined
}

/** What a joined call has that others do not. */
export interface Joint {
  /** Its legs (the calls joined), in bridge order. */
  readonly legs: readonly string[]
  /** The legs a hold / unhold of the joined call still waits for. */
  readonly pending: readonly string[]
  /** The first error a leg reported during that hold / unhold. */
  readonly error: BasicError | undefined
}

/** Operations refused on a joined call or on a call joined into one (each with its own failure output). */
export type JointRefusable = CallOperation | 'stats' | 'dtmf' | 'join'

export type JoinEvent =
  | { readonly type: 'joinRequested'; readonly callId: string; readonly otherCallId: string; readonly joinedId: string }
  | {
      readonly type: 'joined'
      readonly callId: string
      readonly otherCallId: string
      readonly joinedId: string
      readonly webrtcSessionId: string
      readonly localTracks: readonly string[]
      readonly remoteTracks: readonly string[]
      readonly at: number
    }
  | { readonly type: 'joinFailed'; readonly callId: string; readonly otherCallId: string; readonly error: BasicError }
  | { readonly type: 'jointHoldRequested'; readonly callId: string; readonly operation: 'hold' | 'unhold' }
  | {
      readonly type: 'jointRefused'
      readonly callId: string
      readonly operation: JointRefusable
      readonly error: BasicError
      readonly trackId?: string
      readonly tones?: string
    }

/** `call:join`: the joined call exists (its id), or the join failed (the first call's id and the error). */
export type JoinOutput = { readonly type: 'joinReported'; readonly callId: string; readonly error: BasicError | undefined }

type Reducer = (state: CallsState, event: CallEvent) => CallsStep

const isAnswered = (call: CallRecord): boolean => call.state === callStates.CONNECTED || call.state === callStates.ON_HOLD

/** The snapshot the public knows of a call (`call:stateChange.previous`). */
const publicSnapshot = (call: CallRecord): CallSnapshot => {
  const shown = call.joinedInto?.shown
  return shown === undefined ? snapshot(call) : { state: shown.state, localHold: shown.localHold, remoteHold: shown.remoteHold }
}

const withoutJoin = (call: CallRecord): CallRecord => {
  const { joinedInto: _joinedInto, ...rest } = call
  return rest
}

const trackOutputs = (type: 'trackAdded' | 'trackEnded', call: Pick<CallRecord, 'id' | 'webrtcSessionId'>, local: readonly string[], remote: readonly string[]): CallOutput[] => [
  ...local.map((trackId): CallOutput => ({ type, callId: call.id, trackId, local: true, webrtcSessionId: call.webrtcSessionId })),
  ...remote.map((trackId): CallOutput => ({ type, callId: call.id, trackId, local: false, webrtcSessionId: call.webrtcSessionId })),
]

/** Why two calls cannot be joined now, or undefined. */
function joinRefusal(state: CallsState, callId: string, otherCallId: string): BasicError | undefined {
  if (callId === otherCallId) return new BasicError(errorCodes.call.INVALID_PARAM, `A join needs two different calls; both ids are "${callId}".`)
  for (const id of [callId, otherCallId]) {
    const call = entryOf(state.calls, id)
    if (call === undefined) return unknownCall(id)
    if (call.joint !== undefined) return new BasicError(errorCodes.call.NOT_SUPPORTED, `Call ${id} is a joined call; it cannot be joined again.`)
    const joinable = isAnswered(call) && call.localHold === true && call.operation === undefined && call.wrtcsSessionId !== undefined && call.joinedInto === undefined
    if (!joinable) return invalidState(call, 'join', 'a locally held call with no operation in progress')
  }
  return undefined
}

/** The failure output of an operation refused on a joined call or one of its legs (as the joined call shows it). */
function refusalOutput(state: CallsState, event: Extract<JoinEvent, { type: 'jointRefused' }>): CallOutput {
  const { callId, error } = event
  if (event.operation === 'join') return { type: 'joinReported', callId, error }
  const call = entryOf(state.calls, callId)
  const previous = call === undefined ? undefined : publicSnapshot(call)
  return failureOf(callId, previous, event.operation, error, { trackId: event.trackId, tones: event.tones })
}

/** Both calls become legs: the join's pending marker (nothing public changes yet). */
function requestJoin(state: CallsState, event: Extract<JoinEvent, { type: 'joinRequested' }>): CallsStep {
  const error = joinRefusal(state, event.callId, event.otherCallId)
  if (error !== undefined) return { state, outputs: [{ type: 'joinReported', callId: event.callId, error }] }
  let next = state
  for (const id of [event.callId, event.otherCallId]) {
    const call = entryOf(next.calls, id) as CallRecord
    next = put(next, { ...call, joinedInto: { into: event.joinedId, shown: toCallObject(call), ready: false, error: undefined } })
  }
  return { state: next, outputs: [] }
}

/** The legs are bridged: both calls end for the public, the joined call appears. */
function completeJoin(state: CallsState, event: Extract<JoinEvent, { type: 'joined' }>): CallsStep {
  const legs = [event.callId, event.otherCallId].map((id) => entryOf(state.calls, id))
  const joining = (call: CallRecord | undefined): call is CallRecord & { joinedInto: JoinedInto } =>
    call !== undefined && call.joinedInto?.into === event.joinedId && call.joinedInto.shown.state !== callStates.ENDED && !isTerminal(call.state)
  if (!legs.every(joining) || entryOf(state.calls, event.joinedId) !== undefined) return { state, outputs: [] }
  let next = state
  const outputs: CallOutput[] = []
  for (const leg of legs) {
    const { shown } = leg.joinedInto
    outputs.push(...trackOutputs('trackEnded', leg, shown.localTracks, shown.remoteTracks), {
      type: 'stateChanged',
      callId: leg.id,
      previous: publicSnapshot(leg),
      transition: joinSucceeded,
      error: undefined,
    })
    const ended: CallObject = { ...shown, state: callStates.ENDED, localTracks: [], remoteTracks: [], startTime: shown.startTime ?? event.at, endTime: event.at }
    next = put(next, {
      ...leg,
      localTracks: [],
      remoteTracks: leg.remoteTracks.filter((trackId) => event.remoteTracks.includes(trackId)),
      joinedInto: { ...leg.joinedInto, shown: ended, ready: true, error: undefined },
    })
  }
  const [firstLeg] = legs as [CallRecord, CallRecord]
  const joined: CallRecord = {
    id: event.joinedId,
    direction: 'outgoing',
    state: callStates.CONNECTED,
    localHold: false,
    remoteHold: false,
    localTracks: [...event.localTracks],
    remoteTracks: [...event.remoteTracks],
    remoteParticipant: { displayNumber: undefined, displayName: undefined },
    from: firstLeg.direction === 'outgoing' ? firstLeg.from : firstLeg.to,
    to: undefined,
    bandwidth: firstLeg.bandwidth,
    startTime: event.at,
    endTime: undefined,
    mediaConstraints: { audio: true },
    wrtcsSessionId: undefined,
    isSlowStart: undefined,
    operation: undefined,
    webrtcSessionId: event.webrtcSessionId,
    // Its media travels over the legs' peer connections: it starts as the first leg's.
    mediaConnectionState: firstLeg.mediaConnectionState,
    joint: { legs: [event.callId, event.otherCallId], pending: [], error: undefined },
  }
  next = put(next, joined)
  outputs.push({ type: 'joinReported', callId: joined.id, error: undefined }, ...trackOutputs('trackAdded', joined, joined.localTracks, joined.remoteTracks))
  return { state: next, outputs }
}

/** The join cannot be completed: both calls are themselves again (tracks lost meanwhile end), with the error. */
function failJoin(state: CallsState, event: Extract<JoinEvent, { type: 'joinFailed' }>): CallsStep {
  let next = state
  const outputs: CallOutput[] = []
  for (const id of [event.callId, event.otherCallId]) {
    const call = entryOf(next.calls, id)
    const shown = call?.joinedInto?.shown
    if (call === undefined || shown === undefined || shown.state === callStates.ENDED) continue
    const lost = (shown: readonly string[], now: readonly string[]): string[] => shown.filter((trackId) => !now.includes(trackId))
    outputs.push(...trackOutputs('trackEnded', call, lost(shown.localTracks, call.localTracks), lost(shown.remoteTracks, call.remoteTracks)), {
      type: 'stateChanged',
      callId: id,
      previous: publicSnapshot(call),
      transition: joinFailed,
      error: event.error,
    })
    next = put(next, withoutJoin(call))
  }
  outputs.push({ type: 'joinReported', callId: event.callId, error: event.error })
  return { state: next, outputs }
}

/** Hold / unhold of a joined call: it waits for the legs that need the change. */
function requestJointHold(state: CallsState, event: Extract<JoinEvent, { type: 'jointHoldRequested' }>): CallsStep {
  const joined = entryOf(state.calls, event.callId)
  const refuse = (error: BasicError): CallsStep => ({
    state,
    outputs: [{ type: 'stateChanged', callId: event.callId, previous: joined === undefined ? undefined : snapshot(joined), transition: undefined, error }],
  })
  if (joined?.joint === undefined) return refuse(unknownCall(event.callId))
  const hold = event.operation === 'hold'
  if (!isAnswered(joined) || joined.operation !== undefined || joined.localHold === hold)
    return refuse(invalidState(joined, event.operation, hold ? 'an answered call that is not locally held' : 'a locally held call'))
  const pending = joined.joint.legs.filter((id) => {
    const leg = entryOf(state.calls, id)
    return leg !== undefined && !isTerminal(leg.state) && leg.localHold !== hold
  })
  return { state: put(state, { ...joined, operation: event.operation, joint: { ...joined.joint, pending, error: undefined } }), outputs: [] }
}

/** A joined call after a change of its legs: its flags follow theirs; it ends with the last of them. */
function followLegs(state: CallsState, joinedId: string, errors: ReadonlyMap<string, BasicError>): CallsStep {
  const joined = entryOf(state.calls, joinedId)
  const joint = joined?.joint
  if (joined === undefined || joint === undefined || isTerminal(joined.state) || joined.operation === 'end') return { state, outputs: [] }
  const legs = joint.legs.flatMap((id) => entryOf(state.calls, id) ?? [])
  const live = legs.filter((leg) => !isTerminal(leg.state))
  if (live.length === 0) {
    const at = Math.max(...legs.map((leg) => leg.endTime ?? 0))
    return finish(state, joined, callStates.ENDED, at, { transition: { prevState: joined.state } })
  }
  const localHold = live.every((leg) => leg.localHold === true)
  const remoteHold = live.every((leg) => leg.remoteHold === true)
  const settled = (next: CallRecord, error?: BasicError): CallsStep => ({
    state: put(state, next),
    outputs: [{ type: 'stateChanged', callId: joined.id, previous: snapshot(joined), transition: undefined, error }],
  })
  if (joined.operation === 'hold' || joined.operation === 'unhold') {
    const target = joined.operation === 'hold'
    const error = joint.error ?? joint.pending.flatMap((id) => errors.get(id) ?? [])[0]
    const pending = joint.pending.filter((id) => {
      const leg = entryOf(state.calls, id)
      return leg !== undefined && !isTerminal(leg.state) && !errors.has(id) && !(leg.operation === undefined && leg.localHold === target)
    })
    if (pending.length > 0) return { state: put(state, { ...joined, joint: { ...joint, pending, error } }), outputs: [] }
    return settled({ ...joined, operation: undefined, localHold, remoteHold, state: heldState(localHold, remoteHold), joint: { ...joint, pending: [], error: undefined } }, error)
  }
  if (localHold === joined.localHold && remoteHold === joined.remoteHold) return { state, outputs: [] }
  return settled({ ...joined, localHold, remoteHold, state: heldState(localHold, remoteHold) })
}

/**
 * After the base machine's step: the outputs of legs stay inside (their remote tracks become
 * the joined call's), joining legs record whether they are ready or failed, and joined calls
 * follow their legs.
 */
function foldLegs(event: CallEvent, step: CallsStep): CallsStep {
  const legOf = (state: CallsState, callId: string): JoinedInto | undefined => entryOf(state.calls, callId)?.joinedInto
  const touched = new Set<string>(legOf(step.state, event.callId) === undefined ? [] : [event.callId])
  for (const output of step.outputs) if (legOf(step.state, output.callId) !== undefined) touched.add(output.callId)
  if (touched.size === 0) return step

  let state = step.state
  const outputs: CallOutput[] = []
  const errors = new Map<string, BasicError>()
  for (const output of step.outputs) {
    const into = legOf(state, output.callId)
    if (into === undefined) {
      outputs.push(output)
      continue
    }
    if (output.type === 'stateChanged' && output.error !== undefined && !errors.has(output.callId)) errors.set(output.callId, output.error)
    const joined = entryOf(state.calls, into.into)
    if (joined?.joint === undefined || isTerminal(joined.state) || !(output.type === 'trackAdded' || output.type === 'trackEnded') || output.local) continue
    const has = joined.remoteTracks.includes(output.trackId)
    if (output.type === 'trackAdded' && !has) state = put(state, { ...joined, remoteTracks: [...joined.remoteTracks, output.trackId] })
    else if (output.type === 'trackEnded' && has) state = put(state, { ...joined, remoteTracks: joined.remoteTracks.filter((id) => id !== output.trackId) })
    else continue
    outputs.push({ ...output, callId: joined.id, webrtcSessionId: joined.webrtcSessionId })
  }

  const joinedIds = new Set<string>()
  for (const legId of touched) {
    const leg = entryOf(state.calls, legId) as CallRecord
    const into = leg.joinedInto as JoinedInto
    if (entryOf(state.calls, into.into)?.joint !== undefined) {
      joinedIds.add(into.into)
      continue
    }
    const ended = isTerminal(leg.state) ? new BasicError(errorCodes.call.INVALID_STATE, `Call ${legId} ended while it was being joined.`) : undefined
    const error = into.error ?? errors.get(legId) ?? ended
    const ready = !isTerminal(leg.state) && leg.operation === undefined && leg.localHold === false
    if (error !== into.error || ready !== into.ready) state = put(state, { ...leg, joinedInto: { ...into, ready, error } })
  }
  for (const joinedId of joinedIds) {
    const followed = followLegs(state, joinedId, errors)
    state = followed.state
    outputs.push(...followed.outputs)
  }
  return { state, outputs }
}

/**
 * The call machine with joined calls (pure and total, like the machine it wraps): it reduces
 * the join's own events and folds the legs' outputs into their joined call's.
 *
 * const reduce = withJoins(withTransfers(callsReducer))
 */
export const withJoins =
  (reducer: Reducer): Reducer =>
  (state, event) => {
    switch (event.type) {
      case 'joinRequested':
        return requestJoin(state, event)
      case 'joined':
        return completeJoin(state, event)
      case 'joinFailed':
        return failJoin(state, event)
      case 'jointHoldRequested':
        return requestJointHold(state, event)
      case 'jointRefused':
        return { state, outputs: [refusalOutput(state, event)] }
      default:
        return foldLegs(event, reducer(state, event))
    }
  }

// ── The effects: joining, and the joined call's operations

export interface JoinCommands {
  /** Joins two locally held calls into one new audio-only call; outcome in `joinReported` (`call:join`). */
  readonly join: (callId: unknown, otherCallId: unknown) => void
}

export interface JoinDeps {
  readonly ctx: CallContext
  /** The feature's commands without the joined-call routing: what drives the legs. */
  readonly base: CallCommands
  /** Stops a call's media and effects (the feature's `release`). */
  readonly release: (callId: string) => void
  readonly state$: Observable<CallsState>
  readonly outputs$: Observable<CallOutput>
}

export interface Joins extends JoinCommands {
  /** The commands with joined calls and their legs routed here (`base` handles every other call). */
  readonly route: (commands: CallCommands) => CallCommands
  readonly dispose: () => void
}

/** A joined call's running parts. */
interface Joined {
  readonly legs: readonly string[]
  readonly bridge: AudioBridge
  microphone: MediaStreamTrack
}

const idOf = (value: unknown): string => shown(value)

const asBasicError = (error: unknown, code: string = errorCodes.call.GENERIC_ERROR): BasicError =>
  isBasicError(error) ? error : new BasicError(code, error instanceof Error ? error.message : String(error))

const isStopped = (transceiver: RTCRtpTransceiver): boolean =>
  (transceiver as { stopped?: boolean }).stopped === true || transceiver.currentDirection === 'stopped' || transceiver.direction === 'stopped'

const audioTransceiver = (connection: RTCPeerConnection): RTCRtpTransceiver | undefined =>
  connection.getTransceivers().find((transceiver) => !isStopped(transceiver) && transceiver.receiver.track.kind === 'audio')

/** Joining calls, and the operations of joined calls, over the call feature's context. */
export function createJoin({ ctx, base, release, state$, outputs$ }: JoinDeps): Joins {
  const { media, logger } = ctx
  const running = new Subscription()
  const joints = new Map<string, Joined>()
  let disposed = false

  const notSupported = (message: string): BasicError => new BasicError(errorCodes.call.NOT_SUPPORTED, message)

  /** Stops a call's video for good before it is taken off hold: its m-lines are rejected in the unhold offer. */
  const audioOnly = (callId: string): void => {
    const peer = ctx.runtime(callId).peer
    for (const transceiver of peer?.connection.getTransceivers() ?? []) {
      if (isStopped(transceiver) || transceiver.receiver.track.kind !== 'video') continue
      const local = transceiver.sender.track
      const remote = transceiver.receiver.track.id
      transceiver.stop()
      if (local !== null) {
        ctx.runtime(callId).localStream?.removeTrack(local)
        media.commands.endTracks([local.id], true)
        ctx.dispatch({ type: 'trackRemoved', callId, trackId: local.id, local: true })
      }
      media.commands.endTracks([remote], false)
      ctx.dispatch({ type: 'trackRemoved', callId, trackId: remote, local: false })
    }
  }

  /** Both legs are off hold: the bridge goes in, then the joined call appears. */
  const bridge = (callId: string, otherCallId: string, joinedId: string): Observable<unknown> =>
    defer(() => {
      const legs = [callId, otherCallId]
      const transceivers = legs.map((id) => {
        const found = ctx.runtime(id).peer
        const transceiver = found === undefined ? undefined : audioTransceiver(found.connection)
        if (transceiver === undefined) throw notSupported(`Call ${id} has no audio: only audio is joined.`)
        return transceiver
      })
      const microphones = transceivers.flatMap((transceiver) => (transceiver.sender.track === null ? [] : [transceiver.sender.track]))
      // Neither call sends audio (video-only calls): the joined call gets a microphone of its own.
      const microphone$ =
        microphones[0] !== undefined
          ? of(microphones[0])
          : media.commands.userMedia({ audio: true }).pipe(
              map((stream) => {
                media.commands.addMedia(stream.id, true, stream.getAudioTracks())
                return stream.getAudioTracks()[0] as MediaStreamTrack
              }),
            )
      return microphone$.pipe(
        switchMap((microphone) => {
          const environment = ctx.environment
          const mix = createAudioBridge({ AudioContext: environment.AudioContext as typeof AudioContext, MediaStream: environment.MediaStream as typeof MediaStream }, legs.length)
          mix.setLocal(microphone)
          transceivers.forEach((transceiver, index) => mix.setRemote(index, transceiver.receiver.track))
          return from(Promise.all(transceivers.map((transceiver, index) => transceiver.sender.replaceTrack(mix.output(index))))).pipe(
            map(() => {
              for (const id of legs) ctx.runtime(id).localStream?.removeTrack(microphone)
              const others = microphones.filter((track) => track !== microphone)
              media.commands.endTracks(others.map((track) => track.id), true)
              const step = ctx.dispatch({
                type: 'joined',
                callId,
                otherCallId,
                joinedId,
                webrtcSessionId: environment.randomId(),
                localTracks: [microphone.id],
                remoteTracks: transceivers.map((transceiver) => transceiver.receiver.track.id),
                at: ctx.now(),
              })
              if (entryOf(step.state.calls, joinedId) === undefined) {
                mix.close()
                throw new BasicError(errorCodes.call.INVALID_STATE, `Calls ${callId} and ${otherCallId} changed while they were being joined.`)
              }
              joints.set(joinedId, { legs, bridge: mix, microphone })
              const runtime = ctx.runtime(joinedId)
              runtime.localStream = new (environment.MediaStream as typeof MediaStream)([microphone])
              // Ending the joined call (release) ends its legs.
              runtime.effects.add(() => {
                const joined = joints.get(joinedId)
                joints.delete(joinedId)
                joined?.bridge.close()
                // On dispose, calls are released locally only (as every call of a disposed client).
                if (!disposed) for (const id of legs) if (ctx.isLive(id)) base.end(id)
              })
            }),
            catchError((error: unknown) => {
              mix.close()
              return throwError(() => error)
            }),
          )
        }),
      )
    })

  const join = (callId: unknown, otherCallId: unknown): void => {
    const id = idOf(callId)
    const otherId = idOf(otherCallId)
    const { AudioContext, MediaStream } = ctx.environment
    if (AudioContext === undefined || MediaStream === undefined) {
      ctx.dispatch({ type: 'jointRefused', callId: id, operation: 'join', error: notSupported('This environment has no AudioContext (WebAudio): calls cannot be joined here.') })
      return
    }
    const joinedId = ctx.environment.randomId()
    if (refusalOf(ctx.dispatch({ type: 'joinRequested', callId: id, otherCallId: otherId, joinedId })) !== undefined) return
    const legs = [id, otherId]
    const fail = (error: unknown): void => {
      const reason = asBasicError(error)
      logger.warn(`Calls ${id} and ${otherId}: join failed`, reason)
      ctx.dispatch({ type: 'joinFailed', callId: id, otherCallId: otherId, error: reason })
      // As they were: held (a leg taken off hold, or being taken off hold, is held again).
      for (const leg of legs) {
        const call = ctx.callOf(leg)
        if (ctx.isLive(leg) && (call?.localHold === false || call?.operation === 'unhold')) base.hold(leg)
      }
    }
    running.add(
      state$
        .pipe(
          map((state) => legs.map((leg) => entryOf(state.calls, leg)?.joinedInto)),
          first((marks) => marks.some((mark) => mark?.into !== joinedId || mark.error !== undefined) || marks.every((mark) => mark?.ready === true)),
          // Not from inside the dispatch that settled it: the join's own events come after that one's.
          observeOn(asapScheduler),
          switchMap((marks) => {
            const error = marks.find((mark) => mark?.error !== undefined)?.error
            if (marks.every((mark) => mark?.into === joinedId && mark.ready)) return bridge(id, otherId, joinedId)
            return throwError(() => error ?? new BasicError(errorCodes.call.INVALID_STATE, `Calls ${id} and ${otherId} changed while they were being joined.`))
          }),
          catchError((error: unknown) => {
            fail(error)
            return EMPTY
          }),
        )
        .subscribe(),
    )
    for (const leg of legs) audioOnly(leg)
    for (const leg of legs) base.unhold(leg)
  }

  // ── A joined call: remote tracks follow its legs; when its last leg ends, its media is released

  running.add(
    outputs$
      .pipe(
        filter((output) => joints.has(output.callId)),
        tap((output) => {
          const joined = joints.get(output.callId) as Joined
          const record = ctx.callOf(output.callId)
          if (output.type === 'trackAdded' && !output.local) {
            const track = media.track(output.trackId)
            const leg = joined.legs.findIndex((id) => ctx.callOf(id)?.remoteTracks.includes(output.trackId) === true)
            if (track?.kind === 'audio' && leg >= 0) joined.bridge.setRemote(leg, track)
          }
          if (output.type === 'stateChanged' && record !== undefined && isTerminal(record.state) && record.operation === undefined) {
            media.commands.endTracks([joined.microphone.id], true)
            release(output.callId)
          }
        }),
      )
      .subscribe(),
  )

  const jointHold = (callId: string, operation: 'hold' | 'unhold'): void => {
    if (refusalOf(ctx.dispatch({ type: 'jointHoldRequested', callId, operation })) !== undefined) return
    for (const leg of ctx.callOf(callId)?.joint?.pending ?? []) base[operation](leg)
  }

  /** Statistics of the joined call: a remote track's from its leg; otherwise every leg's in one report. */
  const jointStats = (callId: string, trackId: unknown): void => {
    const track = trackId === undefined || trackId === null ? undefined : shown(trackId)
    if (refusalOf(ctx.dispatch({ type: 'statsRequested', callId, trackId: track })) !== undefined) return
    const legs = (ctx.callOf(callId)?.joint?.legs ?? []).filter((id) => ctx.isLive(id))
    const report = (result: RTCStatsReport | undefined, error?: BasicError): void =>
      void ctx.dispatch({ type: 'statsReported', callId, trackId: track, result, ...(error === undefined ? {} : { error }) })
    const owner = track === undefined ? undefined : legs.find((id) => ctx.callOf(id)?.remoteTracks.includes(track) === true)
    const selector = owner === undefined || track === undefined ? undefined : media.track(track)
    const peers = (owner === undefined ? legs : [owner]).flatMap((id) => ctx.runtime(id).peer ?? [])
    if (peers.length === 0) return report(undefined, new BasicError(errorCodes.call.GENERIC_ERROR, `Joined call ${callId} has no live leg.`))
    running.add(
      from(Promise.all(peers.map((peer) => peer.connection.getStats(selector ?? null)))).subscribe({
        next: (reports) => {
          if (reports.length === 1) return report(reports[0])
          // One report for the whole call: the legs' statistics, an id taken twice prefixed with its leg.
          const merged = new Map<string, unknown>()
          reports.forEach((each, index) => each.forEach((stat: unknown, key: string) => merged.set(merged.has(key) ? `leg${index}-${key}` : key, stat)))
          report(merged as unknown as RTCStatsReport)
        },
        error: (error: unknown) => report(undefined, asBasicError(error)),
      }),
    )
  }

  /** Another microphone for the joined call: it feeds the bridge (no renegotiation, nothing for the far ends). */
  const jointReplaceTrack = (callId: string, trackId: unknown, mediaOptions: unknown): void => {
    const oldTrackId = idOf(trackId)
    if (refusalOf(ctx.dispatch({ type: 'replaceRequested', callId, trackId: oldTrackId })) !== undefined) return
    const fail = (error: unknown): void => void ctx.dispatch({ type: 'replaceFailed', callId, trackId: oldTrackId, error: asBasicError(error) })
    const checked = checkMediaOptions(mediaOptions ?? {})
    if (E.isLeft(checked)) return fail(checked.left)
    ctx.own(
      callId,
      media.commands.userMedia(checked.right).pipe(
        tap((stream) => {
          const replacement = stream.getTracks()[0]
          const joined = joints.get(callId)
          if (joined === undefined || replacement?.kind !== 'audio' || stream.getTracks().length !== 1) {
            stream.getTracks().forEach((each) => each.stop())
            throw new BasicError(errorCodes.call.USER_MEDIA_ERROR, 'The joined call is audio-only: its microphone can only be replaced by one audio track.')
          }
          joined.bridge.setLocal(replacement)
          const runtime = ctx.runtime(callId)
          runtime.localStream?.removeTrack(joined.microphone)
          runtime.localStream?.addTrack(replacement)
          joined.microphone = replacement
          media.commands.addMedia(stream.id, true, [replacement])
          media.commands.endTracks([oldTrackId], true)
          ctx.dispatch({ type: 'trackReplaced', callId, oldTrackId, newTrackId: replacement.id, oldTrack: entryOf(media.current().tracks, oldTrackId) })
        }),
        catchError((error: unknown) => {
          fail(error)
          return EMPTY
        }),
      ),
    )
  }

  const route = (commands: CallCommands): CallCommands => {
    /** A call joined into another (or being joined) only says that it has ended (or is busy). */
    const leg = (callId: unknown, operation: JointRefusable, detail: { trackId?: string; tones?: string } = {}): boolean => {
      const id = idOf(callId)
      const into = ctx.callOf(id)?.joinedInto
      if (into === undefined) return false
      const message =
        into.shown.state === callStates.ENDED ? `Call ${id} has ended: it was joined into call ${into.into}.` : `Call ${id} is being joined with another call.`
      ctx.dispatch({ type: 'jointRefused', callId: id, operation, error: new BasicError(errorCodes.call.INVALID_STATE, message), ...detail })
      return true
    }
    const joint = (callId: unknown): string | undefined => {
      const id = idOf(callId)
      return ctx.callOf(id)?.joint === undefined ? undefined : id
    }
    const audioOnlyRefusal = (callId: string, operation: JointRefusable, what: string): void =>
      void ctx.dispatch({ type: 'jointRefused', callId, operation, error: notSupported(`Call ${callId} is a joined call (audio only): ${what}.`) })
    return {
      ...commands,
      answer: (callId, mediaOptions, options) => void (leg(callId, 'answer') || commands.answer(callId, mediaOptions, options)),
      reject: (callId) => void (leg(callId, 'reject') || commands.reject(callId)),
      ignore: (callId) => void (leg(callId, 'end') || commands.ignore(callId)),
      end: (callId) => void (leg(callId, 'end') || commands.end(callId)),
      getStats: (callId, trackId) => {
        if (leg(callId, 'stats', { ...(trackId === undefined || trackId === null ? {} : { trackId: shown(trackId) }) })) return
        const id = joint(callId)
        if (id === undefined) commands.getStats(callId, trackId)
        else jointStats(id, trackId)
      },
      hold: (callId) => {
        if (leg(callId, 'hold')) return
        const id = joint(callId)
        if (id === undefined) commands.hold(callId)
        else jointHold(id, 'hold')
      },
      unhold: (callId) => {
        if (leg(callId, 'unhold')) return
        const id = joint(callId)
        if (id === undefined) commands.unhold(callId)
        else jointHold(id, 'unhold')
      },
      addMedia: (callId, mediaOptions, options) => {
        if (leg(callId, 'addMedia')) return
        const id = joint(callId)
        if (id === undefined) commands.addMedia(callId, mediaOptions, options)
        else audioOnlyRefusal(id, 'addMedia', 'media cannot be added to it')
      },
      removeMedia: (callId, trackIds, options) => {
        if (leg(callId, 'removeMedia')) return
        const id = joint(callId)
        if (id === undefined) commands.removeMedia(callId, trackIds, options)
        else audioOnlyRefusal(id, 'removeMedia', 'its microphone can be muted or replaced, not removed')
      },
      replaceTrack: (callId, trackId, mediaOptions) => {
        if (leg(callId, 'replaceTrack')) return
        const id = joint(callId)
        if (id === undefined) commands.replaceTrack(callId, trackId, mediaOptions)
        else jointReplaceTrack(id, trackId, mediaOptions)
      },
      sendDtmf: (callId, tone, duration, intertoneGap) => {
        if (leg(callId, 'dtmf', { tones: typeof tone === 'string' ? tone : '' })) return
        const id = joint(callId)
        if (id === undefined) commands.sendDtmf(callId, tone, duration, intertoneGap)
        else audioOnlyRefusal(id, 'dtmf', 'DTMF goes to one remote party; send it before joining')
      },
      consultativeTransfer: (callId, otherCallId) => void (leg(callId, 'transfer') || leg(otherCallId, 'transfer') || commands.consultativeTransfer(callId, otherCallId)),
      join: (callId, otherCallId) => void (leg(callId, 'join') || leg(otherCallId, 'join') || commands.join(callId, otherCallId)),
    }
  }

  return {
    join,
    route,
    dispose: () => {
      disposed = true
      running.unsubscribe()
      for (const joined of joints.values()) joined.bridge.close()
      joints.clear()
    },
  }
}
