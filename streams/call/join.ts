import { BasicError, errorCodes } from '../errors.js'
import { entryOf } from '../record.js'
import { callStates } from './model.js'
import type { CallEvent, CallObject, CallOutput, CallRecord, CallsReducer, CallsState, CallsStep, EventOf, JoinedInto, Transition } from './model.js'
import { callPart, finish, holdChange, invalidState, isAnswered, isTerminal, liveCall, newCall, pairRefusal, put, refused, stateChanged, trackOutputs, unchanged, unknownCall } from './steps.js'

// `call.join` (api-reference; protocol/calls.md §11): the platform has no join request, so this client does it (join-effects.ts). Both locally held calls
// come off hold audio-only, and a WebAudio bridge sends each remote party the local microphone mixed with the other one. The app sees ONE new joined
// call (audio-only, remote tracks = both parties) while both calls end with "Join Successful" (9906). Their sessions live on as its legs: their records
// stay (notifications, audits, re-offers keep working on them), the public sees `joinedInto.shown` (their state at the join, then `Ended`), and their
// outputs fold into the joined call's. A failed join leaves both calls as they were (held again) minus video, with "Join Failed" (-2) and `call:join { error }`.

/** The transition of both calls once joined (calls.md §11). */
export const joinSucceeded: Transition = { statusCode: 9906, reasonText: 'Join Successful' }
/** The transition of both calls when the join failed. */
export const joinFailed: Transition = { statusCode: -2, reasonText: 'Join Failed' }

const withoutJoin = ({ joinedInto: _joinedInto, ...call }: CallRecord): CallRecord => call

/** An operation refused on a joined call or one of its legs: its failure output (with the track or tones the event names). */
function refuseJoint(state: CallsState, event: EventOf['jointRefused']): CallsStep {
  if (event.operation === 'join') return { state, outputs: [{ type: 'joinReported', callId: event.callId, error: event.error }] }
  return refused(state, event.callId, event.operation, event.error, event)
}

/** Both calls become legs: the join's pending marker (nothing public changes yet). */
function requestJoin(state: CallsState, event: EventOf['joinRequested']): CallsStep {
  const error = pairRefusal(state, event.callId, event.otherCallId, 'join')
  if (error !== undefined) return { state, outputs: [{ type: 'joinReported', callId: event.callId, error }] }
  // Two different calls that exist: `pairRefusal` checked them.
  const legs = [event.callId, event.otherCallId].map((id) => entryOf(state.calls, id) as CallRecord)
  const next = legs.reduce((sofar, call) => put(sofar, { ...call, joinedInto: { into: event.joinedId, shown: callPart(call), ready: false, error: undefined } }), state)
  return { state: next, outputs: [] }
}

/** The legs are bridged: both calls end for the public, the joined call appears. */
function completeJoin(state: CallsState, event: EventOf['joined']): CallsStep {
  const legs = [event.callId, event.otherCallId].map((id) => entryOf(state.calls, id))
  const joining = (call: CallRecord | undefined): call is CallRecord & { joinedInto: JoinedInto } =>
    call !== undefined && call.joinedInto?.into === event.joinedId && call.joinedInto.shown.state !== callStates.ENDED && !isTerminal(call.state)
  if (!legs.every(joining) || entryOf(state.calls, event.joinedId) !== undefined) return unchanged(state)
  let next = state
  const outputs: CallOutput[] = []
  for (const leg of legs) {
    const { shown } = leg.joinedInto
    outputs.push(...trackOutputs('trackEnded', leg, shown.localTracks, shown.remoteTracks), stateChanged(shown, { transition: joinSucceeded }))
    const ended: CallObject = { ...shown, state: callStates.ENDED, localTracks: [], remoteTracks: [], startTime: shown.startTime ?? event.at, endTime: event.at }
    next = put(next, {
      ...leg,
      localTracks: [],
      remoteTracks: leg.remoteTracks.filter((trackId) => event.remoteTracks.includes(trackId)),
      joinedInto: { ...leg.joinedInto, shown: ended, ready: true, error: undefined },
    })
  }
  const [firstLeg] = legs as [CallRecord, CallRecord]
  const joined = newCall({
    id: event.joinedId,
    direction: 'outgoing',
    state: callStates.CONNECTED,
    webrtcSessionId: event.webrtcSessionId,
    localTracks: [...event.localTracks],
    remoteTracks: [...event.remoteTracks],
    from: firstLeg.direction === 'outgoing' ? firstLeg.from : firstLeg.to,
    bandwidth: firstLeg.bandwidth,
    startTime: event.at,
    mediaConstraints: { audio: true },
    // Its media travels over the legs' peer connections: it starts as the first leg's.
    mediaConnectionState: firstLeg.mediaConnectionState,
    joint: { legs: [event.callId, event.otherCallId], pending: [], error: undefined },
  })
  next = put(next, joined)
  outputs.push({ type: 'joinReported', callId: joined.id, error: undefined }, ...trackOutputs('trackAdded', joined, joined.localTracks, joined.remoteTracks))
  return { state: next, outputs }
}

/** The join cannot be completed: both calls are themselves again (tracks lost meanwhile end), with the error. */
function failJoin(state: CallsState, event: EventOf['joinFailed']): CallsStep {
  let next = state
  const outputs: CallOutput[] = []
  for (const id of [event.callId, event.otherCallId]) {
    const call = entryOf(next.calls, id)
    const shown = call?.joinedInto?.shown
    if (call === undefined || shown === undefined || shown.state === callStates.ENDED) continue
    const lost = (shown: readonly string[], now: readonly string[]): string[] => shown.filter((trackId) => !now.includes(trackId))
    const tracks = trackOutputs('trackEnded', call, lost(shown.localTracks, call.localTracks), lost(shown.remoteTracks, call.remoteTracks))
    outputs.push(...tracks, stateChanged(shown, { transition: joinFailed, error: event.error }))
    next = put(next, withoutJoin(call))
  }
  outputs.push({ type: 'joinReported', callId: event.callId, error: event.error })
  return { state: next, outputs }
}

/** Hold / unhold of a joined call: it waits for the legs that need the change. */
function requestJointHold(state: CallsState, event: EventOf['jointHoldRequested']): CallsStep {
  const joined = entryOf(state.calls, event.callId)
  const refuse = (error: BasicError): CallsStep => refused(state, event.callId, event.operation, error)
  if (joined?.joint === undefined) return refuse(unknownCall(event.callId))
  const hold = event.operation === 'hold'
  if (!isAnswered(joined) || joined.operation !== undefined || joined.localHold === hold)
    return refuse(invalidState(joined, event.operation, hold ? 'an answered call that is not locally held' : 'a locally held call'))
  const pending = joined.joint.legs.flatMap((id) => liveCall(state, id) ?? []).filter((leg) => leg.localHold !== hold).map((leg) => leg.id)
  return { state: put(state, { ...joined, operation: event.operation, joint: { ...joined.joint, pending, error: undefined } }), outputs: [] }
}

/** A joined call after a change of its legs: its flags follow theirs; it ends with the last of them. */
function followLegs(state: CallsState, joinedId: string, errors: ReadonlyMap<string, BasicError>): CallsStep {
  const joined = entryOf(state.calls, joinedId)
  const joint = joined?.joint
  if (joined === undefined || joint === undefined || isTerminal(joined.state) || joined.operation === 'end') return unchanged(state)
  const legs = joint.legs.flatMap((id) => entryOf(state.calls, id) ?? [])
  const live = legs.filter((leg) => !isTerminal(leg.state))
  if (live.length === 0) {
    const at = Math.max(...legs.map((leg) => leg.endTime ?? 0))
    return finish(state, joined, callStates.ENDED, at, { transition: { prevState: joined.state } })
  }
  const localHold = live.every((leg) => leg.localHold === true)
  const remoteHold = live.every((leg) => leg.remoteHold === true)
  if (joined.operation === 'hold' || joined.operation === 'unhold') {
    const target = joined.operation === 'hold'
    const error = joint.error ?? joint.pending.flatMap((id) => errors.get(id) ?? [])[0]
    const pending = joint.pending.filter((id) => {
      const leg = liveCall(state, id)
      return leg !== undefined && !errors.has(id) && !(leg.operation === undefined && leg.localHold === target)
    })
    if (pending.length > 0) return { state: put(state, { ...joined, joint: { ...joint, pending, error } }), outputs: [] }
    return holdChange(state, { ...joined, operation: undefined, joint: { ...joint, pending: [], error: undefined } }, localHold, remoteHold, { error })
  }
  if (localHold === joined.localHold && remoteHold === joined.remoteHold) return unchanged(state)
  return holdChange(state, joined, localHold, remoteHold)
}

/** After the base machine's step: legs' outputs stay inside (remote tracks become the joined call's), joining legs record ready / failed, joined calls follow. */
function foldLegs(event: CallEvent, step: CallsStep): CallsStep {
  const legOf = (state: CallsState, callId: string): JoinedInto | undefined => entryOf(state.calls, callId)?.joinedInto
  const touched = new Set([event.callId, ...step.outputs.map((output) => output.callId)].filter((id) => legOf(step.state, id) !== undefined))
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
 * The call machine with joined calls (pure and total, like the machine it wraps): reduces the join's events and folds the legs' outputs into the joined call's.
 *
 * const reduce = withJoins(withTransfers(callsReducer))
 */
export const withJoins =
  (reducer: CallsReducer): CallsReducer =>
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
        return refuseJoint(state, event)
      default:
        return foldLegs(event, reducer(state, event))
    }
  }
