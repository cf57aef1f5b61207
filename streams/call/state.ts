import { BasicError, errorCodes } from '../errors.js'
import type { MediaOptions } from '../media/constraints.js'
import type { TrackObject } from '../media/state.js'
import type { JoinEvent, JoinOutput, JoinedInto, Joint } from './join.js'
import type { MediaConnectionEvent, MediaConnectionOutput, MediaConnectionState } from './media-connection.js'
import type { MediaRestartGaveUp, MediaRestartOutput } from './media-restart.js'
import type { TransferEvent } from './transfer.js'
import { entryOf } from '../record.js'

/** The states a call can be in (`call.states`: constant → exact wire-visible value). */
export const callStates = {
  INITIATING: 'Initiating',
  INITIATED: 'Initiated',
  RINGING: 'Ringing',
  CANCELLED: 'Cancelled',
  CONNECTED: 'Connected',
  ON_HOLD: 'On Hold',
  ENDED: 'Ended',
} as const

export type CallState = (typeof callStates)[keyof typeof callStates]
export type CallDirection = 'outgoing' | 'incoming'

/** Received-bandwidth limits in kbps (api-reference BandwidthControls); every call has both. */
export interface Bandwidth {
  readonly audio: number
  readonly video: number
}

export interface RemoteParticipant {
  readonly displayNumber: string | undefined
  readonly displayName: string | undefined
}

/** What `call.getById` returns (api-reference CallObject, protocol/calls.md §15). */
export interface CallObject {
  readonly id: string
  readonly direction: CallDirection
  readonly state: CallState
  /** Unset (undefined) on an incoming call until it is answered. */
  readonly localHold: boolean | undefined
  readonly remoteHold: boolean | undefined
  readonly localTracks: readonly string[]
  readonly remoteTracks: readonly string[]
  readonly remoteParticipant: RemoteParticipant
  readonly from: string | undefined
  readonly to: string | undefined
  readonly bandwidth: Bandwidth
  readonly startTime: number | undefined
  readonly endTime: number | undefined
  readonly mediaConstraints: MediaOptions | undefined
  /** The platform's session id (internal but visible, as in the reference). */
  readonly wrtcsSessionId: string | undefined
  readonly isSlowStart: boolean | undefined
  /** The state of the call's media connection (its peer connection's transport): `new` until it has one. */
  readonly mediaConnectionState: MediaConnectionState
}

/** The local operations that renegotiate with a re-offer (`PUT .../update`, protocol/calls.md §7). */
export type ReofferOperation = 'hold' | 'unhold' | 'addMedia' | 'removeMedia' | 'mediaRestart'

/** An operation of this SDK in flight on a call; a second one is refused until it settles. */
export type CallOperation = 'answer' | 'reject' | 'end' | ReofferOperation | 'replaceTrack' | 'transfer'

/** What a remote re-offer did, inferred by comparing SDPs (protocol/calls.md §9.2). */
export type RemoteOperation =
  | 'hold'
  | 'unhold'
  | 'startMusicOnHold'
  | 'addMedia'
  | 'stopMusicOnHold'
  | 'removeMedia'
  | 'noChange'
  | 'unknown'

/** A call as the core keeps it: the CallObject plus what only the core needs. */
export interface CallRecord extends CallObject {
  readonly operation: CallOperation | undefined
  /** Id of the local WebRTC session (the `id` of `call:newTrack` / `call:trackEnded`). */
  readonly webrtcSessionId: string
  /** A call (being) joined into another: it lives on as a leg of that call, the public sees `shown` (join.ts). */
  readonly joinedInto?: JoinedInto
  /** A joined call (`call.join`): its legs (join.ts). */
  readonly joint?: Joint
}

/** Every call of this client, in creation order. */
export interface CallsState {
  readonly calls: Readonly<Record<string, CallRecord>>
}

export const initialCallsState: CallsState = { calls: {} }

/** The hold flags and state before a change (`call:stateChange.previous`). */
export interface CallSnapshot {
  readonly state: CallState
  readonly localHold: boolean | undefined
  readonly remoteHold: boolean | undefined
}

/** Why a call changed, when the platform or an operation says so (`call:stateChange.transition`). */
export interface Transition {
  readonly prevState?: CallState
  readonly statusCode?: number
  readonly reasonText?: string
}

// ── Events: facts, in the past tense. Requests (`…Requested`) are checked against the state
// ── and either accepted (the effect then runs) or refused (an error output, nothing changes).

export type CallEvent =
  | {
      readonly type: 'callMade'
      readonly callId: string
      readonly webrtcSessionId: string
      readonly from: string | undefined
      readonly to: string
      readonly remoteParticipant: RemoteParticipant
      readonly bandwidth: Bandwidth
      readonly mediaConstraints: MediaOptions
    }
  | { readonly type: 'sessionCreated'; readonly callId: string; readonly sessionId: string }
  | { readonly type: 'callFailed'; readonly callId: string; readonly error: BasicError; readonly at: number }
  | { readonly type: 'ringingReported'; readonly callId: string }
  | { readonly type: 'remoteAnswered'; readonly callId: string; readonly at: number }
  | {
      readonly type: 'callInvited'
      readonly callId: string
      readonly webrtcSessionId: string
      readonly sessionId: string
      readonly from: string | undefined
      readonly to: string | undefined
      readonly remoteParticipant: RemoteParticipant
      readonly isSlowStart: boolean
      readonly remoteTracks: readonly string[]
    }
  | { readonly type: 'answerRequested'; readonly callId: string; readonly mediaConstraints: MediaOptions; readonly bandwidth: Bandwidth }
  | { readonly type: 'answered'; readonly callId: string; readonly at: number }
  | { readonly type: 'rejectRequested'; readonly callId: string }
  | { readonly type: 'rejected'; readonly callId: string; readonly at: number }
  | { readonly type: 'ignored'; readonly callId: string; readonly at: number }
  | { readonly type: 'endRequested'; readonly callId: string }
  | { readonly type: 'ended'; readonly callId: string; readonly at: number; readonly error?: BasicError }
  | { readonly type: 'operationFailed'; readonly callId: string; readonly operation: CallOperation; readonly error: BasicError }
  | { readonly type: 'remoteEnded'; readonly callId: string; readonly at: number; readonly transition?: Transition }
  | { readonly type: 'remoteCancelled'; readonly callId: string; readonly at: number }
  | { readonly type: 'notificationRejected'; readonly callId: string; readonly error: BasicError }
  | { readonly type: 'trackAdded'; readonly callId: string; readonly trackId: string; readonly local: boolean }
  | { readonly type: 'trackRemoved'; readonly callId: string; readonly trackId: string; readonly local: boolean }
  | { readonly type: 'statsRequested'; readonly callId: string; readonly trackId: string | undefined }
  | {
      readonly type: 'statsReported'
      readonly callId: string
      readonly trackId: string | undefined
      readonly result: RTCStatsReport | undefined
      readonly error?: BasicError
    }
  // Mid-call operations (protocol/calls.md §7, §8, §13)
  | { readonly type: 'reofferRequested'; readonly callId: string; readonly operation: ReofferOperation; readonly trackIds?: readonly string[] }
  | {
      readonly type: 'reofferAnswered'
      readonly callId: string
      readonly operation: ReofferOperation
      /** addMedia / removeMedia: the tracks added or removed, their media id, the call's new bandwidth. */
      readonly trackIds?: readonly string[]
      readonly mediaId?: string
      readonly bandwidth?: Bandwidth
    }
  | { readonly type: 'reofferFailed'; readonly callId: string; readonly operation: ReofferOperation; readonly error: BasicError }
  | { readonly type: 'remoteOfferAnswered'; readonly callId: string; readonly operation: RemoteOperation }
  | { readonly type: 'remoteOfferFailed'; readonly callId: string; readonly operation: RemoteOperation; readonly error: BasicError }
  | { readonly type: 'replaceRequested'; readonly callId: string; readonly trackId: string }
  | { readonly type: 'trackReplaced'; readonly callId: string; readonly oldTrack: TrackObject | undefined; readonly oldTrackId: string; readonly newTrackId: string }
  | { readonly type: 'replaceFailed'; readonly callId: string; readonly trackId: string; readonly error: BasicError }
  | { readonly type: 'dtmfRequested'; readonly callId: string; readonly tones: string }
  | { readonly type: 'dtmfSent'; readonly callId: string; readonly tones: string; readonly inBand: boolean; readonly error?: BasicError }
  // Transfer and join (protocol/calls.md §11): reduced around this machine (transfer.ts, join.ts)
  | TransferEvent
  | JoinEvent
  // The peer connection's media state (media-connection.ts `withMediaConnection`)
  | MediaConnectionEvent
  | MediaRestartGaveUp

/** What the outside world learns from a step: the core events behind `call:*` public events. */
export type CallOutput =
  | { readonly type: 'callStarted'; readonly callId: string }
  | { readonly type: 'callReceived'; readonly callId: string }
  | {
      readonly type: 'stateChanged'
      readonly callId: string
      readonly previous: CallSnapshot | undefined
      readonly transition: Transition | undefined
      readonly error: BasicError | undefined
    }
  | { readonly type: 'trackAdded'; readonly callId: string; readonly trackId: string; readonly local: boolean; readonly webrtcSessionId: string }
  | { readonly type: 'trackEnded'; readonly callId: string; readonly trackId: string; readonly local: boolean; readonly webrtcSessionId: string }
  | {
      readonly type: 'statsReceived'
      readonly callId: string
      readonly trackId: string | undefined
      readonly result: RTCStatsReport | undefined
      readonly error: BasicError | undefined
    }
  | { readonly type: 'newMedia'; readonly callId: string; readonly trackIds: readonly string[]; readonly mediaId: string | undefined; readonly error: BasicError | undefined }
  | { readonly type: 'removedMedia'; readonly callId: string; readonly trackIds: readonly string[]; readonly error: BasicError | undefined }
  | {
      readonly type: 'trackReplaced'
      readonly callId: string
      readonly newTrackId: string | undefined
      readonly oldTrack: TrackObject | undefined
      readonly error: BasicError | undefined
    }
  /** DTMF tones went out (or could not): no public event (protocol/events.md §6), for `streams` users and the log. */
  | { readonly type: 'dtmfSent'; readonly callId: string; readonly tones: string; readonly inBand: boolean; readonly error: BasicError | undefined }
  | JoinOutput
  | MediaConnectionOutput
  | MediaRestartOutput

/** One step of the machine: the next state and what it tells the world (in order). */
export interface CallsStep {
  readonly state: CallsState
  readonly outputs: readonly CallOutput[]
}

const terminal: readonly CallState[] = [callStates.ENDED, callStates.CANCELLED]

/** True when a call can no longer change (`Ended` or `Cancelled`). */
export const isTerminal = (state: CallState): boolean => terminal.includes(state)

/** The CallObject view of a record (what the documented getters return). */
export function toCallObject(record: CallRecord): CallObject {
  if (record.joinedInto !== undefined) return record.joinedInto.shown
  const { operation: _operation, webrtcSessionId: _webrtcSessionId, joinedInto: _joinedInto, joint: _joint, ...call } = record
  return call
}

/** The live call that owns a platform session id (notifications name sessions, not calls). */
export function callBySession(state: CallsState, sessionId: string): CallRecord | undefined {
  return Object.values(state.calls).find((call) => call.wrtcsSessionId === sessionId && !isTerminal(call.state))
}

export const snapshot = (call: CallRecord): CallSnapshot => ({ state: call.state, localHold: call.localHold, remoteHold: call.remoteHold })
const snapshotOf = (call: CallRecord | undefined): CallSnapshot | undefined => (call === undefined ? undefined : snapshot(call))

const unchanged = (state: CallsState): CallsStep => ({ state, outputs: [] })

export const put = (state: CallsState, call: CallRecord): CallsState => ({ calls: { ...state.calls, [call.id]: call } })

const stateChanged = (call: CallRecord, extra: { transition?: Transition; error?: BasicError } = {}): CallOutput => ({
  type: 'stateChanged',
  callId: call.id,
  previous: snapshot(call),
  transition: extra.transition,
  error: extra.error,
})

/**
 * The event that reports the failure of a local operation (the documented API has one per
 * operation); `previous` is what `call:stateChange` reports as the state before.
 */
export const failureOf = (
  callId: string,
  previous: CallSnapshot | undefined,
  operation: CallOperation | 'stats' | 'dtmf',
  error: BasicError,
  detail: { trackId?: string; tones?: string } = {},
): CallOutput => {
  switch (operation) {
    case 'stats':
      return { type: 'statsReceived', callId, trackId: detail.trackId, result: undefined, error }
    case 'addMedia':
      return { type: 'newMedia', callId, trackIds: [], mediaId: undefined, error }
    case 'removeMedia':
      return { type: 'removedMedia', callId, trackIds: [], error }
    case 'replaceTrack':
      return { type: 'trackReplaced', callId, newTrackId: undefined, oldTrack: undefined, error }
    case 'dtmf':
      return { type: 'dtmfSent', callId, tones: detail.tones ?? '', inBand: false, error }
    case 'mediaRestart':
      return { type: 'mediaRestarted', callId, error }
    default:
      return { type: 'stateChanged', callId, previous, transition: undefined, error }
  }
}

const operationOf = (event: CallEvent): CallOperation | 'stats' | 'dtmf' | undefined => {
  switch (event.type) {
    case 'statsRequested':
      return 'stats'
    case 'reofferRequested':
      return event.operation
    case 'replaceRequested':
      return 'replaceTrack'
    case 'dtmfRequested':
      return 'dtmf'
    default:
      return undefined
  }
}

/** A refused request: nothing changes, the error goes out through the call's events. */
const refused = (state: CallsState, event: CallEvent, error: BasicError): CallsStep => {
  const detail = event.type === 'statsRequested' ? { trackId: event.trackId } : event.type === 'dtmfRequested' ? { tones: event.tones } : {}
  return { state, outputs: [failureOf(event.callId, snapshotOf(entryOf(state.calls, event.callId)), operationOf(event) ?? 'end', error, detail)] }
}

export const unknownCall = (callId: string): BasicError =>
  new BasicError(errorCodes.call.INVALID_PARAM, `No call with id "${callId}".`)

export const invalidState = (call: CallRecord, operation: string, expected: string): BasicError =>
  new BasicError(
    errorCodes.call.INVALID_STATE,
    `Cannot ${operation} call ${call.id}: it is ${call.direction} in state ${call.state}${call.operation === undefined ? '' : ` (${call.operation} in progress)`}; expected ${expected}.`,
  )

const isRingingIncoming = (call: CallRecord): boolean => call.direction === 'incoming' && call.state === callStates.RINGING

const isAnswered = (call: CallRecord): boolean => call.state === callStates.CONNECTED || call.state === callStates.ON_HOLD

/** `On Hold` while either side holds, else `Connected` (protocol/calls.md §9.3). */
export const heldState = (localHold: boolean | undefined, remoteHold: boolean | undefined): CallState =>
  localHold === true || remoteHold === true ? callStates.ON_HOLD : callStates.CONNECTED

/** Why a re-offer may not start now (protocol/calls.md §7), or undefined. */
function reofferRefusal(call: CallRecord, event: Extract<CallEvent, { type: 'reofferRequested' }>): BasicError | undefined {
  const busy = call.operation !== undefined
  switch (event.operation) {
    case 'hold':
      return !isAnswered(call) || call.localHold !== false || busy ? invalidState(call, 'hold', 'an answered call that is not locally held') : undefined
    case 'unhold':
      return !isAnswered(call) || call.localHold !== true || busy ? invalidState(call, 'unhold', 'a locally held call') : undefined
    case 'addMedia':
      return call.state !== callStates.CONNECTED || busy ? invalidState(call, 'add media to', 'a Connected call') : undefined
    case 'removeMedia': {
      if (call.state !== callStates.CONNECTED || busy) return invalidState(call, 'remove media from', 'a Connected call')
      const trackIds = event.trackIds ?? []
      const foreign = trackIds.filter((trackId) => !call.localTracks.includes(trackId))
      if (trackIds.length === 0 || foreign.length > 0)
        return new BasicError(
          errorCodes.call.INVALID_PARAM,
          trackIds.length === 0 ? 'removeMedia needs a non-empty array of track ids.' : `Not local tracks of call ${call.id}: ${foreign.join(', ')}.`,
        )
      return undefined
    }
  }
}

/** The outputs that end every track of a call (call end); the lists empty. */
const endTracks = (call: CallRecord): CallOutput[] => [
  ...call.localTracks.map((trackId): CallOutput => ({ type: 'trackEnded', callId: call.id, trackId, local: true, webrtcSessionId: call.webrtcSessionId })),
  ...call.remoteTracks.map((trackId): CallOutput => ({ type: 'trackEnded', callId: call.id, trackId, local: false, webrtcSessionId: call.webrtcSessionId })),
]

/** A call moved to a terminal state: tracks end first, then the state change. */
export const finish = (
  state: CallsState,
  call: CallRecord,
  to: typeof callStates.ENDED | typeof callStates.CANCELLED,
  at: number,
  extra: { transition?: Transition; error?: BasicError } = {},
): CallsStep => {
  const next: CallRecord = {
    ...call,
    state: to,
    operation: undefined,
    localTracks: [],
    remoteTracks: [],
    startTime: to === callStates.ENDED ? (call.startTime ?? at) : call.startTime,
    endTime: to === callStates.ENDED ? at : call.endTime,
  }
  return { state: put(state, next), outputs: [...endTracks(call), stateChanged(call, extra)] }
}

const connect = (state: CallsState, call: CallRecord, at: number): CallsStep => ({
  state: put(state, { ...call, state: callStates.CONNECTED, operation: undefined, localHold: false, remoteHold: false, startTime: at }),
  outputs: [stateChanged(call)],
})

/**
 * The call state machine (protocol/calls.md §15): pure and total. A request that the current
 * state does not allow is refused: the state is returned unchanged with an error output
 * (`call:7` unknown call, `call:6` wrong state). Facts that no longer apply (a notification for
 * an ended call, a late reply) change nothing and say nothing.
 */
export function callsReducer(state: CallsState, event: CallEvent): CallsStep {
  const call = entryOf(state.calls, event.callId)

  if (event.type === 'callMade' || event.type === 'callInvited') {
    if (call !== undefined) return unchanged(state)
    const incoming = event.type === 'callInvited'
    const record: CallRecord = {
      id: event.callId,
      direction: incoming ? 'incoming' : 'outgoing',
      state: incoming ? callStates.RINGING : callStates.INITIATING,
      localHold: incoming ? undefined : false,
      remoteHold: incoming ? undefined : false,
      localTracks: [],
      remoteTracks: incoming ? [...event.remoteTracks] : [],
      remoteParticipant: event.remoteParticipant,
      from: event.from,
      to: event.to,
      bandwidth: incoming ? { audio: 5000, video: 5000 } : event.bandwidth,
      startTime: undefined,
      endTime: undefined,
      mediaConstraints: incoming ? undefined : event.mediaConstraints,
      wrtcsSessionId: incoming ? event.sessionId : undefined,
      isSlowStart: incoming ? event.isSlowStart : undefined,
      operation: undefined,
      webrtcSessionId: event.webrtcSessionId,
      mediaConnectionState: 'new',
    }
    const outputs: CallOutput[] = incoming
      ? [
          { type: 'callReceived', callId: record.id },
          ...record.remoteTracks.map(
            (trackId): CallOutput => ({ type: 'trackAdded', callId: record.id, trackId, local: false, webrtcSessionId: record.webrtcSessionId }),
          ),
        ]
      : []
    return { state: put(state, record), outputs }
  }

  if (call === undefined) {
    const isRequest = event.type.endsWith('Requested') || event.type === 'ignored'
    return isRequest ? refused(state, event, unknownCall(event.callId)) : unchanged(state)
  }

  switch (event.type) {
    case 'sessionCreated':
      if (call.state !== callStates.INITIATING) return unchanged(state)
      return {
        state: put(state, { ...call, state: callStates.INITIATED, wrtcsSessionId: event.sessionId }),
        outputs: [{ type: 'callStarted', callId: call.id }],
      }

    case 'callFailed':
      if (isTerminal(call.state)) return unchanged(state)
      return finish(state, call, callStates.ENDED, event.at, { error: event.error })

    case 'ringingReported':
      if (call.direction !== 'outgoing' || call.state !== callStates.INITIATED) return unchanged(state)
      return { state: put(state, { ...call, state: callStates.RINGING }), outputs: [stateChanged(call)] }

    case 'remoteAnswered': {
      const outgoing = call.direction === 'outgoing' && (call.state === callStates.INITIATED || call.state === callStates.RINGING)
      const slowStart = isRingingIncoming(call) && call.isSlowStart === true && call.operation === 'answer'
      if (!outgoing && !slowStart) return unchanged(state)
      return connect(state, call, event.at)
    }

    case 'answerRequested':
      if (call.direction !== 'incoming' || call.state !== callStates.RINGING || call.operation !== undefined)
        return refused(state, event, invalidState(call, 'answer', 'an incoming call in state Ringing'))
      return {
        state: put(state, { ...call, operation: 'answer', mediaConstraints: event.mediaConstraints, bandwidth: event.bandwidth }),
        outputs: [],
      }

    case 'answered':
      if (call.operation !== 'answer' || !isRingingIncoming(call)) return unchanged(state)
      return connect(state, call, event.at)

    case 'rejectRequested':
      if (!isRingingIncoming(call) || call.operation !== undefined)
        return refused(state, event, invalidState(call, 'reject', 'an incoming call in state Ringing'))
      return { state: put(state, { ...call, operation: 'reject' }), outputs: [] }

    case 'rejected':
      if (call.operation !== 'reject' || isTerminal(call.state)) return unchanged(state)
      return finish(state, call, callStates.ENDED, event.at)

    case 'ignored':
      if (!isRingingIncoming(call) || call.operation !== undefined)
        return refused(state, event, invalidState(call, 'ignore', 'an incoming call in state Ringing'))
      return finish(state, call, callStates.ENDED, event.at)

    case 'endRequested':
      if (isTerminal(call.state) || call.operation === 'end')
        return refused(state, event, invalidState(call, 'end', 'a call that has not ended'))
      return { state: put(state, { ...call, operation: 'end' }), outputs: [] }

    case 'ended':
      if (call.operation !== 'end' || isTerminal(call.state)) return unchanged(state)
      return finish(state, call, callStates.ENDED, event.at, { error: event.error })

    case 'operationFailed':
      if (call.operation !== event.operation || isTerminal(call.state)) return unchanged(state)
      return { state: put(state, { ...call, operation: undefined }), outputs: [stateChanged(call, { error: event.error })] }

    case 'remoteEnded':
      if (isTerminal(call.state)) return unchanged(state)
      return finish(state, call, callStates.ENDED, event.at, { transition: { prevState: call.state, ...event.transition } })

    case 'remoteCancelled':
      if (isTerminal(call.state)) return unchanged(state)
      return finish(state, call, callStates.CANCELLED, event.at)

    case 'notificationRejected':
      if (isTerminal(call.state)) return unchanged(state)
      return { state, outputs: [stateChanged(call, { error: event.error })] }

    case 'trackAdded': {
      const list = event.local ? call.localTracks : call.remoteTracks
      if (isTerminal(call.state) || list.includes(event.trackId)) return unchanged(state)
      const next = event.local ? { ...call, localTracks: [...list, event.trackId] } : { ...call, remoteTracks: [...list, event.trackId] }
      return {
        state: put(state, next),
        outputs: [{ type: 'trackAdded', callId: call.id, trackId: event.trackId, local: event.local, webrtcSessionId: call.webrtcSessionId }],
      }
    }

    case 'trackRemoved': {
      const list = event.local ? call.localTracks : call.remoteTracks
      if (!list.includes(event.trackId)) return unchanged(state)
      const rest = list.filter((id) => id !== event.trackId)
      const next = event.local ? { ...call, localTracks: rest } : { ...call, remoteTracks: rest }
      return {
        state: put(state, next),
        outputs: [{ type: 'trackEnded', callId: call.id, trackId: event.trackId, local: event.local, webrtcSessionId: call.webrtcSessionId }],
      }
    }

    case 'reofferRequested': {
      const refusal = reofferRefusal(call, event)
      if (refusal !== undefined) return refused(state, event, refusal)
      return { state: put(state, { ...call, operation: event.operation }), outputs: [] }
    }

    case 'reofferAnswered': {
      if (call.operation !== event.operation || isTerminal(call.state)) return unchanged(state)
      const settled: CallRecord = { ...call, operation: undefined, bandwidth: event.bandwidth ?? call.bandwidth }
      switch (event.operation) {
        case 'hold':
        case 'unhold': {
          const localHold = event.operation === 'hold'
          return { state: put(state, { ...settled, localHold, state: heldState(localHold, call.remoteHold) }), outputs: [stateChanged(call)] }
        }
        case 'addMedia':
          return { state: put(state, settled), outputs: [{ type: 'newMedia', callId: call.id, trackIds: event.trackIds ?? [], mediaId: event.mediaId, error: undefined }] }
        case 'removeMedia':
          return { state: put(state, settled), outputs: [{ type: 'removedMedia', callId: call.id, trackIds: event.trackIds ?? [], error: undefined }] }
      }
      return unchanged(state)
    }

    case 'reofferFailed':
      if (call.operation !== event.operation || isTerminal(call.state)) return unchanged(state)
      return { state: put(state, { ...call, operation: undefined }), outputs: [failureOf(call.id, snapshot(call), event.operation, event.error)] }

    case 'remoteOfferAnswered': {
      if (!isAnswered(call)) return unchanged(state)
      switch (event.operation) {
        case 'hold':
        case 'unhold': {
          const remoteHold = event.operation === 'hold'
          return { state: put(state, { ...call, remoteHold, state: heldState(call.localHold, remoteHold) }), outputs: [stateChanged(call)] }
        }
        case 'noChange':
        case 'unknown':
          return { state, outputs: [stateChanged(call)] }
        default:
          return unchanged(state)
      }
    }

    case 'remoteOfferFailed':
      if (isTerminal(call.state)) return unchanged(state)
      return { state, outputs: [stateChanged(call, { error: event.error })] }

    case 'replaceRequested':
      if (call.state !== callStates.CONNECTED || call.operation !== undefined) return refused(state, event, invalidState(call, 'replace a track of', 'a Connected call'))
      if (!call.localTracks.includes(event.trackId))
        return refused(state, event, new BasicError(errorCodes.call.INVALID_PARAM, `Track "${event.trackId}" is not a local track of call ${call.id}.`))
      return { state: put(state, { ...call, operation: 'replaceTrack' }), outputs: [] }

    case 'trackReplaced': {
      if (call.operation !== 'replaceTrack' || isTerminal(call.state)) return unchanged(state)
      const localTracks = call.localTracks.map((trackId) => (trackId === event.oldTrackId ? event.newTrackId : trackId))
      return {
        state: put(state, { ...call, operation: undefined, localTracks }),
        outputs: [{ type: 'trackReplaced', callId: call.id, newTrackId: event.newTrackId, oldTrack: event.oldTrack, error: undefined }],
      }
    }

    case 'replaceFailed':
      if (call.operation !== 'replaceTrack' || isTerminal(call.state)) return unchanged(state)
      return { state: put(state, { ...call, operation: undefined }), outputs: [failureOf(call.id, snapshot(call), 'replaceTrack', event.error)] }

    case 'dtmfRequested':
      if (call.state !== callStates.CONNECTED && call.state !== callStates.RINGING)
        return refused(state, event, invalidState(call, 'send DTMF on', 'a Connected or Ringing call'))
      return unchanged(state)

    case 'dtmfSent':
      return { state, outputs: [{ type: 'dtmfSent', callId: call.id, tones: event.tones, inBand: event.inBand, error: event.error }] }

    case 'statsRequested':
      if (isTerminal(call.state)) return refused(state, event, invalidState(call, 'get the stats of', 'a call that has not ended'))
      if (event.trackId !== undefined && !call.localTracks.includes(event.trackId) && !call.remoteTracks.includes(event.trackId))
        return refused(state, event, new BasicError(errorCodes.call.INVALID_PARAM, `Track "${event.trackId}" is not a track of call ${call.id}.`))
      return unchanged(state)

    case 'statsReported':
      return {
        state,
        outputs: [{ type: 'statsReceived', callId: call.id, trackId: event.trackId, result: event.result, error: event.error }],
      }

    // Reduced around this machine: transfer.ts `withTransfers`, join.ts `withJoins`.
    case 'transferRequested':
    case 'transferFailed':
    case 'joinRequested':
    case 'joined':
    case 'joinFailed':
    case 'jointHoldRequested':
    case 'jointRefused':
    case 'mediaConnectionChanged':
    case 'mediaRestartGaveUp':
      return unchanged(state)
  }
}

/** For a request event (`…Requested`, `ignored`): the error if the machine refused it, else undefined. */
export function refusalOf(step: CallsStep): BasicError | undefined {
  const [first] = step.outputs
  return first === undefined ||
    first.type === 'callStarted' ||
    first.type === 'callReceived' ||
    first.type === 'trackAdded' ||
    first.type === 'trackEnded' ||
    first.type === 'mediaConnectionChanged'
    ? undefined
    : first.error
}
