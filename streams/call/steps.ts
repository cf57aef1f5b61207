import { BasicError, errorCodes } from '../errors.js'
import { entryOf } from '../record.js'
import {
  callStates,
  defaultBandwidth,
  type CallObject,
  type CallOutput,
  type CallRecord,
  type CallSnapshot,
  type CallState,
  type CallsState,
  type CallsStep,
  type EventOf,
  type JointRefusable,
} from './model.js'

// The pieces every layer of the call machine builds its steps from (state.ts, transfer.ts, join.ts).

/** True when a call can no longer change (`Ended` or `Cancelled`). */
export const isTerminal = (state: CallState): boolean => state === callStates.ENDED || state === callStates.CANCELLED

export const isAnswered = (call: CallRecord): boolean => call.state === callStates.CONNECTED || call.state === callStates.ON_HOLD

/** The far end's answer is awaited: an outgoing call not answered yet, or a slow-start incoming call we answered with an offer. */
export const awaitsAnswer = (call: CallRecord): boolean =>
  (call.direction === 'outgoing' && (call.state === callStates.INITIATED || call.state === callStates.RINGING)) ||
  (call.direction === 'incoming' && call.state === callStates.RINGING && call.isSlowStart === true && call.operation === 'answer')

/** A record without what only the machine keeps (the CallObject it is, receivers and all). */
export function callPart(record: CallRecord): CallObject {
  const { operation: _operation, webrtcSessionId: _webrtcSessionId, joinedInto: _joinedInto, joint: _joint, ...call } = record
  return call
}

/**
 * The CallObject view of a record (the documented getters, `calls$`): as the original SDK, a call On Hold lists no remote track (its receivers get
 * nothing) and leaving hold announces them again (`holdChange`). The record keeps them, so they still end with the call.
 */
export function toCallObject(record: CallRecord): CallObject {
  const call = record.joinedInto?.shown ?? callPart(record)
  return call.state === callStates.ON_HOLD && call.remoteTracks.length > 0 ? { ...call, remoteTracks: [] } : call
}

/** The call if it exists and has not ended. */
export const liveCall = (state: CallsState, callId: string): CallRecord | undefined => {
  const call = entryOf(state.calls, callId)
  return call === undefined || isTerminal(call.state) ? undefined : call
}

/** The live call that owns a platform session id (notifications name sessions, not calls). */
export function callBySession(state: CallsState, sessionId: string): CallRecord | undefined {
  return Object.values(state.calls).find((call) => call.wrtcsSessionId === sessionId && !isTerminal(call.state))
}

/** A new call record: what every call starts with, then what this one has (`call`). */
export const newCall = ({ id, direction, state, webrtcSessionId, ...call }: Pick<CallRecord, 'id' | 'direction' | 'state' | 'webrtcSessionId'> & Partial<CallRecord>): CallRecord => ({
  id,
  direction,
  state,
  localHold: false,
  remoteHold: false,
  localTracks: [],
  remoteTracks: [],
  remoteParticipant: { displayNumber: undefined, displayName: undefined },
  from: undefined,
  to: undefined,
  bandwidth: defaultBandwidth,
  startTime: undefined,
  endTime: undefined,
  mediaConstraints: undefined,
  wrtcsSessionId: undefined,
  isSlowStart: undefined,
  operation: undefined,
  webrtcSessionId,
  mediaConnectionState: 'new',
  ...call,
})

export const snapshot = ({ state, localHold, remoteHold }: CallSnapshot): CallSnapshot => ({ state, localHold, remoteHold })

export const unchanged = (state: CallsState): CallsStep => ({ state, outputs: [] })

export const put = (state: CallsState, call: CallRecord): CallsState => ({ calls: { ...state.calls, [call.id]: call } })

/** Why a call changed (as `call:stateChange` says): the platform's transition, or the error of an operation. */
type Why = Partial<Pick<Extract<CallOutput, { type: 'stateChanged' }>, 'transition' | 'error'>>

/** `call:stateChange` of a call, from the state it had (`call`; a leg of a joined call: the one it shows). */
export const stateChanged = (call: CallObject, why: Why = {}): CallOutput => ({
  type: 'stateChanged',
  callId: call.id,
  previous: snapshot(call),
  transition: why.transition,
  error: why.error,
})

type TrackChange = 'trackAdded' | 'trackEnded'

/** A track of a call started or ended (`call:newTrack` / `call:trackEnded`). */
export const trackOutput = (type: TrackChange, call: CallRecord, trackId: string, local: boolean): CallOutput => ({ type, callId: call.id, trackId, local, webrtcSessionId: call.webrtcSessionId })

/** The track outputs of a call: its local tracks, then its remote ones. */
export const trackOutputs = (type: TrackChange, call: CallRecord, local: readonly string[], remote: readonly string[]): CallOutput[] => [
  ...local.map((trackId) => trackOutput(type, call, trackId, true)),
  ...remote.map((trackId) => trackOutput(type, call, trackId, false)),
]

/** A change of who holds an answered call (flags, state, `call:stateChange`); leaving On Hold first re-announces the remote tracks `toCallObject` hid. */
export function holdChange(state: CallsState, call: CallRecord, localHold: boolean | undefined, remoteHold: boolean | undefined, why: Why = {}): CallsStep {
  // `On Hold` while either side holds, else `Connected` (protocol/calls.md §9.3).
  const to = localHold === true || remoteHold === true ? callStates.ON_HOLD : callStates.CONNECTED
  const resumed = call.state === callStates.ON_HOLD && to !== callStates.ON_HOLD
  const outputs = [...(resumed ? trackOutputs('trackAdded', call, [], call.remoteTracks) : []), stateChanged(call, why)]
  return { state: put(state, { ...call, localHold, remoteHold, state: to }), outputs }
}

/** A call moved to a terminal state: tracks end first, then the state change. */
export function finish(state: CallsState, call: CallRecord, to: typeof callStates.ENDED | typeof callStates.CANCELLED, at: number, why: Why = {}): CallsStep {
  const times = to === callStates.ENDED ? { startTime: call.startTime ?? at, endTime: at } : {}
  const next: CallRecord = { ...call, state: to, operation: undefined, localTracks: [], remoteTracks: [], ...times }
  return { state: put(state, next), outputs: [...trackOutputs('trackEnded', call, call.localTracks, call.remoteTracks), stateChanged(call, why)] }
}

/** An operation whose failure has an output of its own. */
type Failing = Exclude<JointRefusable, 'join'>

/** What a failure output names besides the call: the track (stats), the tones (DTMF). */
export type FailureDetail = Partial<Pick<EventOf['jointRefused'], 'trackId' | 'tones'>>

/** The output reporting a local operation's failure (one per operation in the documented API); `previous`: `call:stateChange`'s state before. */
export function failureOf(callId: string, previous: CallSnapshot | undefined, operation: Failing, error: BasicError, detail: FailureDetail = {}): CallOutput {
  switch (operation) {
    case 'stats':
      return { type: 'statsReceived', callId, trackId: detail.trackId, result: undefined, error }
    case 'addMedia':
      return { type: 'newMedia', callId, trackIds: [], mediaId: undefined, error }
    case 'removeMedia':
      return { type: 'removedMedia', callId, trackIds: [], error }
    case 'replaceTrack':
      return { type: 'trackReplaced', callId, newTrackId: undefined, oldTrack: undefined, error }
    case 'mediaRestart':
      return { type: 'mediaRestarted', callId, error }
    case 'dtmf':
      return { type: 'dtmfSent', callId, tones: detail.tones ?? '', inBand: false, error }
    default:
      return { type: 'stateChanged', callId, previous, transition: undefined, error }
  }
}

/** A refused request: nothing changes, the error goes out as the operation's failure (from the state the public knows: a leg's is the call it shows). */
export const refused = (state: CallsState, callId: string, operation: Failing, error: BasicError, detail: FailureDetail = {}): CallsStep => {
  const call = entryOf(state.calls, callId)
  return { state, outputs: [failureOf(callId, call === undefined ? undefined : snapshot(call.joinedInto?.shown ?? call), operation, error, detail)] }
}

/** For a request event (`…Requested`, `ignored`): the error if the machine refused it, else undefined. */
export function refusalOf(step: CallsStep): BasicError | undefined {
  const [first] = step.outputs
  return first === undefined || !('error' in first) ? undefined : first.error
}

export const unknownCall = (callId: string): BasicError => new BasicError(errorCodes.call.INVALID_PARAM, `No call with id "${callId}".`)

export const invalidState = (call: CallRecord, operation: string, expected: string): BasicError => {
  const busy = call.operation === undefined ? '' : ` (${call.operation} in progress)`
  return new BasicError(errorCodes.call.INVALID_STATE, `Cannot ${operation} call ${call.id}: it is ${call.direction} in state ${call.state}${busy}; expected ${expected}.`)
}

/** Why two calls cannot be transferred or joined now (both must be locally held and idle), or undefined. */
export function pairRefusal(state: CallsState, callId: string, otherCallId: string, operation: 'join' | 'transfer'): BasicError | undefined {
  if (callId === otherCallId) return new BasicError(errorCodes.call.INVALID_PARAM, `A ${operation} needs two different calls; both ids are "${callId}".`)
  for (const id of [callId, otherCallId]) {
    const call = entryOf(state.calls, id)
    if (call === undefined) return unknownCall(id)
    if (operation === 'join' && call.joint !== undefined) return new BasicError(errorCodes.call.NOT_SUPPORTED, `Call ${id} is a joined call; it cannot be joined again.`)
    const held = isAnswered(call) && call.localHold === true && call.operation === undefined && call.wrtcsSessionId !== undefined && call.joinedInto === undefined
    if (!held) return invalidState(call, operation, 'a locally held call with no operation in progress')
  }
  return undefined
}
