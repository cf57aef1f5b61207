import { BasicError, errorCodes } from '../errors.js'
import { entryOf } from '../record.js'
import { callStates, type CallEvent, type CallOperation, type CallOutput, type CallRecord, type CallsState, type CallsStep, type EventOf } from './model.js'
import { awaitsAnswer, failureOf, finish, holdChange, invalidState, isAnswered, isTerminal, newCall, put, refused, snapshot, stateChanged, trackOutput, trackOutputs, unchanged, unknownCall } from './steps.js'

export const initialCallsState: CallsState = { calls: {} }

type Creation = 'callMade' | 'callInvited'
type Handler<K extends keyof EventOf> = (state: CallsState, call: CallRecord, event: EventOf[K]) => CallsStep
/** One handler per event of an existing call: the compiler checks that none is missing. */
type Handlers = { readonly [K in Exclude<keyof EventOf, Creation>]: Handler<K> }

const update = (state: CallsState, call: CallRecord, changes: Partial<CallRecord>, ...outputs: CallOutput[]): CallsStep => ({ state: put(state, { ...call, ...changes }), outputs })
const say = (state: CallsState, ...outputs: CallOutput[]): CallsStep => ({ state, outputs })

/** A request the call takes with `changes` (the operation it starts), or refuses with `error`. */
const request = (state: CallsState, call: CallRecord, event: CallEvent, error: BasicError | undefined, changes: Partial<CallRecord>): CallsStep =>
  error === undefined ? update(state, call, changes) : refuse(state, event, error)

/** The call still waits for the outcome of `operation` (a late or foreign outcome changes nothing). */
const settling = (call: CallRecord, operation: CallOperation): boolean => call.operation === operation && !isTerminal(call.state)

/** A fact that only applies to a call that has not ended. */
const live =
  <K extends keyof EventOf>(handle: Handler<K>): Handler<K> =>
  (state, call, event) =>
    isTerminal(call.state) ? unchanged(state) : handle(state, call, event)

const connect = (state: CallsState, call: CallRecord, at: number): CallsStep =>
  update(state, call, { state: callStates.CONNECTED, operation: undefined, localHold: false, remoteHold: false, startTime: at }, stateChanged(call))

/** An operation in flight failed: the call is free again, the failure goes out as the operation reports it. */
const failed = (state: CallsState, call: CallRecord, operation: CallOperation, error: BasicError): CallsStep =>
  update(state, call, { operation: undefined }, failureOf(call.id, snapshot(call), operation, error))

/** A refused request: nothing changes, the error goes out as the failure of the operation asked for. */
function refuse(state: CallsState, event: CallEvent, error: BasicError): CallsStep {
  switch (event.type) {
    case 'statsRequested':
      return refused(state, event.callId, 'stats', error, { trackId: event.trackId })
    case 'dtmfRequested':
      return refused(state, event.callId, 'dtmf', error, { tones: event.tones })
    case 'reofferRequested':
      return refused(state, event.callId, event.operation, error)
    case 'replaceRequested':
      return refused(state, event.callId, 'replaceTrack', error)
    default:
      return refused(state, event.callId, 'end', error)
  }
}

const isRingingIncoming = (call: CallRecord): boolean => call.direction === 'incoming' && call.state === callStates.RINGING
const notRinging = (call: CallRecord, operation: string): BasicError | undefined =>
  isRingingIncoming(call) && call.operation === undefined ? undefined : invalidState(call, operation, 'an incoming call in state Ringing')
/** Reject and ignore also abandon an answer in progress (the call is still Ringing, as the reference has it). */
const notRefusable = (call: CallRecord, operation: string): BasicError | undefined =>
  call.operation === 'answer' && isRingingIncoming(call) ? undefined : notRinging(call, operation)
const invalidParam = (message: string): BasicError => new BasicError(errorCodes.call.INVALID_PARAM, message)

/** Why a re-offer may not start now (protocol/calls.md §7), or undefined. */
function reofferRefusal(call: CallRecord, event: EventOf['reofferRequested']): BasicError | undefined {
  const busy = call.operation !== undefined
  switch (event.operation) {
    case 'hold':
      return !isAnswered(call) || call.localHold !== false || busy ? invalidState(call, 'hold', 'an answered call that is not locally held') : undefined
    case 'unhold':
      return !isAnswered(call) || call.localHold !== true || busy ? invalidState(call, 'unhold', 'a locally held call') : undefined
    case 'addMedia':
      return call.state !== callStates.CONNECTED || busy ? invalidState(call, 'add media to', 'a Connected call') : undefined
    // A held call restarts its media too, and stays held.
    case 'mediaRestart':
      return !isAnswered(call) || busy ? invalidState(call, 'restart the media of', 'an answered call with no operation in progress') : undefined
    case 'removeMedia': {
      if (call.state !== callStates.CONNECTED || busy) return invalidState(call, 'remove media from', 'a Connected call')
      const trackIds = event.trackIds ?? []
      const foreign = trackIds.filter((trackId) => !call.localTracks.includes(trackId))
      if (trackIds.length === 0) return invalidParam('removeMedia needs a non-empty array of track ids.')
      return foreign.length > 0 ? invalidParam(`Not local tracks of call ${call.id}: ${foreign.join(', ')}.`) : undefined
    }
  }
}

/** Our re-offer was answered: the call takes what it asked for. */
function reoffered(state: CallsState, call: CallRecord, event: EventOf['reofferAnswered']): CallsStep {
  const settled = { operation: undefined, bandwidth: event.bandwidth ?? call.bandwidth }
  const trackIds = event.trackIds ?? []
  switch (event.operation) {
    case 'hold':
    case 'unhold':
      return holdChange(state, { ...call, ...settled }, event.operation === 'hold', call.remoteHold)
    case 'addMedia':
      return update(state, call, settled, { type: 'newMedia', callId: call.id, trackIds, mediaId: event.mediaId, error: undefined })
    case 'removeMedia':
      return update(state, call, settled, { type: 'removedMedia', callId: call.id, trackIds, error: undefined })
    case 'mediaRestart':
      return update(state, call, settled, { type: 'mediaRestarted', callId: call.id })
  }
}

/** We answered the far end's re-offer: its hold changes the call; others are reported as they are. */
function remoteReoffered(state: CallsState, call: CallRecord, event: EventOf['remoteOfferAnswered']): CallsStep {
  if (!isAnswered(call)) return unchanged(state)
  switch (event.operation) {
    case 'hold':
    case 'unhold':
      return holdChange(state, call, call.localHold, event.operation === 'hold')
    case 'noChange':
    case 'unknown':
      return say(state, stateChanged(call))
    default:
      return unchanged(state)
  }
}

/** A track of the call started (`added`) or ended: its list changes once, and the call says so. */
function tracked(state: CallsState, call: CallRecord, event: EventOf['trackAdded'] | EventOf['trackRemoved'], added: boolean): CallsStep {
  const list = event.local ? call.localTracks : call.remoteTracks
  if (list.includes(event.trackId) === added || (added && isTerminal(call.state))) return unchanged(state)
  const next = added ? [...list, event.trackId] : list.filter((id) => id !== event.trackId)
  // A remote track that arrives while the call is held is announced when the hold ends (holdChange).
  if (added && !event.local && call.state === callStates.ON_HOLD) return update(state, call, { remoteTracks: next })
  const output = trackOutput(added ? 'trackAdded' : 'trackEnded', call, event.trackId, event.local)
  return update(state, call, event.local ? { localTracks: next } : { remoteTracks: next }, output)
}

const handlers: Handlers = {
  // The call's own life: made or invited, answered, ended, its tracks, its statistics.
  sessionCreated: (state, call, event) =>
    call.state !== callStates.INITIATING
      ? unchanged(state)
      : update(state, call, { state: callStates.INITIATED, wrtcsSessionId: event.sessionId }, { type: 'callStarted', callId: call.id }),
  callFailed: live((state, call, event) => finish(state, call, callStates.ENDED, event.at, { error: event.error })),
  ringingReported: (state, call) =>
    call.direction !== 'outgoing' || call.state !== callStates.INITIATED ? unchanged(state) : update(state, call, { state: callStates.RINGING }, stateChanged(call)),
  remoteAnswered: (state, call, event) => (awaitsAnswer(call) ? connect(state, call, event.at) : unchanged(state)),
  answerRequested: (state, call, event) =>
    request(state, call, event, notRinging(call, 'answer'), { operation: 'answer', mediaConstraints: event.mediaConstraints, bandwidth: event.bandwidth }),
  answered: (state, call, event) => (call.operation === 'answer' && isRingingIncoming(call) ? connect(state, call, event.at) : unchanged(state)),
  rejectRequested: (state, call, event) => request(state, call, event, notRefusable(call, 'reject'), { operation: 'reject' }),
  rejected: (state, call, event) => (settling(call, 'reject') ? finish(state, call, callStates.ENDED, event.at) : unchanged(state)),
  ignored: (state, call, event) => {
    const error = notRefusable(call, 'ignore')
    return error === undefined ? finish(state, call, callStates.ENDED, event.at) : refuse(state, event, error)
  },
  endRequested: (state, call, event) =>
    isTerminal(call.state) || call.operation === 'end'
      ? refuse(state, event, invalidState(call, 'end', 'a call that has not ended'))
      : update(state, call, { operation: 'end' }),
  ended: (state, call, event) => (settling(call, 'end') ? finish(state, call, callStates.ENDED, event.at, { error: event.error }) : unchanged(state)),
  operationFailed: (state, call, event) =>
    settling(call, event.operation) ? update(state, call, { operation: undefined }, stateChanged(call, { error: event.error })) : unchanged(state),
  remoteEnded: live((state, call, event) => finish(state, call, callStates.ENDED, event.at, { transition: { prevState: call.state, ...event.transition } })),
  remoteCancelled: live((state, call, event) => finish(state, call, callStates.CANCELLED, event.at)),
  notificationRejected: live((state, call, event) => say(state, stateChanged(call, { error: event.error }))),
  trackAdded: (state, call, event) => tracked(state, call, event, true),
  trackRemoved: (state, call, event) => tracked(state, call, event, false),
  statsRequested: (state, call, event) => {
    if (isTerminal(call.state)) return refuse(state, event, invalidState(call, 'get the stats of', 'a call that has not ended'))
    const { trackId } = event
    if (trackId !== undefined && !call.localTracks.includes(trackId) && !call.remoteTracks.includes(trackId))
      return refuse(state, event, invalidParam(`Track "${trackId}" is not a track of call ${call.id}.`))
    return unchanged(state)
  },
  statsReported: (state, call, event) => say(state, { type: 'statsReceived', callId: call.id, trackId: event.trackId, result: event.result, error: event.error }),

  // Mid-call operations (protocol/calls.md §7, §8, §13).
  reofferRequested: (state, call, event) => request(state, call, event, reofferRefusal(call, event), { operation: event.operation }),
  reofferAnswered: (state, call, event) => (settling(call, event.operation) ? reoffered(state, call, event) : unchanged(state)),
  reofferFailed: (state, call, event) => (settling(call, event.operation) ? failed(state, call, event.operation, event.error) : unchanged(state)),
  remoteOfferAnswered: remoteReoffered,
  remoteOfferFailed: live((state, call, event) => say(state, stateChanged(call, { error: event.error }))),
  replaceRequested: (state, call, event) => {
    if (call.state !== callStates.CONNECTED || call.operation !== undefined) return refuse(state, event, invalidState(call, 'replace a track of', 'a Connected call'))
    if (!call.localTracks.includes(event.trackId)) return refuse(state, event, invalidParam(`Track "${event.trackId}" is not a local track of call ${call.id}.`))
    return update(state, call, { operation: 'replaceTrack' })
  },
  trackReplaced: (state, call, event) => {
    if (!settling(call, 'replaceTrack')) return unchanged(state)
    const localTracks = call.localTracks.map((trackId) => (trackId === event.oldTrackId ? event.newTrackId : trackId))
    const output: CallOutput = { type: 'trackReplaced', callId: call.id, newTrackId: event.newTrackId, oldTrack: event.oldTrack, error: undefined }
    // The old track left the call: call:trackEnded first, as the original SDK says it.
    return update(state, call, { operation: undefined, localTracks }, trackOutput('trackEnded', call, event.oldTrackId, true), output)
  },
  replaceFailed: (state, call, event) => (settling(call, 'replaceTrack') ? failed(state, call, 'replaceTrack', event.error) : unchanged(state)),
  dtmfRequested: (state, call, event) =>
    call.state === callStates.CONNECTED || call.state === callStates.RINGING
      ? unchanged(state)
      : refuse(state, event, invalidState(call, 'send DTMF on', 'a Connected or Ringing call')),
  dtmfSent: (state, call, event) => say(state, { type: 'dtmfSent', callId: call.id, tones: event.tones, inBand: event.inBand, error: event.error }),
  // The automatic restarts gave up (media-restart.ts): said once more, with why.
  mediaRestartGaveUp: (state, call, event) => say(state, { type: 'mediaRestarted', callId: call.id, error: event.error }),
  // Reduced around this machine: transfer.ts `withTransfers`, join.ts `withJoins`, media-connection.ts `withMediaConnection`.
  transferRequested: unchanged,
  transferFailed: unchanged,
  joinRequested: unchanged,
  joined: unchanged,
  joinFailed: unchanged,
  jointHoldRequested: unchanged,
  jointRefused: unchanged,
  mediaConnectionChanged: unchanged,
}

/** A new call, outgoing (`callMade`) or incoming (`callInvited`); an id taken twice changes nothing. */
function created(state: CallsState, event: EventOf[Creation]): CallsStep {
  if (entryOf(state.calls, event.callId) !== undefined) return unchanged(state)
  const { callId: id, webrtcSessionId, remoteParticipant, from, to } = event
  const known = { id, webrtcSessionId, remoteParticipant, from, to }
  if (event.type === 'callMade')
    return say(put(state, newCall({ ...known, direction: 'outgoing', state: callStates.INITIATING, bandwidth: event.bandwidth, mediaConstraints: event.mediaConstraints })))
  const { sessionId: wrtcsSessionId, isSlowStart } = event
  const call = newCall({ ...known, direction: 'incoming', state: callStates.RINGING, localHold: undefined, remoteHold: undefined, wrtcsSessionId, isSlowStart, remoteTracks: [...event.remoteTracks] })
  return say(put(state, call), { type: 'callReceived', callId: id }, ...trackOutputs('trackAdded', call, [], call.remoteTracks))
}

const handle = <K extends Exclude<keyof EventOf, Creation>>(type: K, event: EventOf[K], state: CallsState, call: CallRecord): CallsStep =>
  handlers[type](state, call, event)

/**
 * The call state machine (protocol/calls.md §15), pure and total: a request the state does not allow is refused, the state unchanged, with an error
 * output (`call:7` unknown call, `call:6` wrong state). Facts that no longer apply (an ended call's notification, a late reply) change nothing, say nothing.
 */
export function callsReducer(state: CallsState, event: CallEvent): CallsStep {
  if (event.type === 'callMade' || event.type === 'callInvited') return created(state, event)
  const call = entryOf(state.calls, event.callId)
  if (call !== undefined) return handle(event.type, event, state, call)
  const isRequest = event.type.endsWith('Requested') || event.type === 'ignored'
  return isRequest ? refuse(state, event, unknownCall(event.callId)) : unchanged(state)
}
