import type { BasicError } from '../errors.js'
import type { MediaOptions } from '../media/constraints.js'
import type { TrackObject } from '../media/state.js'
import type { Step, Store } from '../store.js'

// Types only (and their constants): the bottom floor of streams/call, it imports nothing from call/.

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
export type Bandwidth = { readonly audio: number; readonly video: number }

/** The bandwidth of a call whose application set none (kbps). */
export const defaultBandwidth: Bandwidth = { audio: 5000, video: 5000 }

/** The states of a call's media connection (the ICE connection states, refined by `connectionState`). */
export type MediaConnectionState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed'

export type RemoteParticipant = { readonly displayNumber: string | undefined; readonly displayName: string | undefined }

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
export type RemoteOperation = 'hold' | 'unhold' | 'startMusicOnHold' | 'addMedia' | 'stopMusicOnHold' | 'removeMedia' | 'noChange' | 'unknown'

/** A call that is (being) joined into another: one of its legs (join.ts). */
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

/** A call as the core keeps it: the CallObject plus what only the core needs. */
export interface CallRecord extends CallObject {
  readonly operation: CallOperation | undefined
  /** Id of the local WebRTC session (the `id` of `call:newTrack` / `call:trackEnded`). */
  readonly webrtcSessionId: string
  /** A call (being) joined into another: it lives on as a leg of that call, the public sees `shown`. */
  readonly joinedInto?: JoinedInto
  /** A joined call (`call.join`): its legs. */
  readonly joint?: Joint
}

/** Every call of this client, in creation order. */
export interface CallsState {
  readonly calls: Readonly<Record<string, CallRecord>>
}

/** The hold flags and state before a change (`call:stateChange.previous`). */
export type CallSnapshot = Readonly<Pick<CallObject, 'state' | 'localHold' | 'remoteHold'>>

/** Why a call changed, when the platform or an operation says so (`call:stateChange.transition`). */
export type Transition = { readonly prevState?: CallState; readonly statusCode?: number; readonly reasonText?: string }

/** Operations refused on a joined call or on a call joined into one (each with its own failure output). */
export type JointRefusable = CallOperation | 'stats' | 'dtmf' | 'join'

// ── Events: facts, in the past tense; a request (`…Requested`) is accepted (its effect runs) or refused (an error output, no change).

/** A fact about one call; several types with the same fields make one fact each. */
type Fact<T extends string, Fields = object> = T extends string ? { readonly type: T; readonly callId: string } & Readonly<Fields> : never

/** The events of the call's own life: made or invited, answered, ended. */
export type LifeEvent =
  | Fact<'callMade', { webrtcSessionId: string; from: string | undefined; to: string; remoteParticipant: RemoteParticipant; bandwidth: Bandwidth; mediaConstraints: MediaOptions }>
  | Fact<'sessionCreated', { sessionId: string }>
  | Fact<'callFailed', { error: BasicError; at: number }>
  | Fact<'ringingReported'>
  | Fact<'remoteAnswered', { at: number }>
  | Fact<
      'callInvited',
      { webrtcSessionId: string; sessionId: string; from: string | undefined; to: string | undefined; remoteParticipant: RemoteParticipant; isSlowStart: boolean; remoteTracks: readonly string[] }
    >
  | Fact<'answerRequested', { mediaConstraints: MediaOptions; bandwidth: Bandwidth }>
  | Fact<'answered', { at: number }>
  | Fact<'rejectRequested'>
  | Fact<'rejected', { at: number }>
  | Fact<'ignored', { at: number }>
  | Fact<'endRequested'>
  | Fact<'ended', { at: number; error?: BasicError | undefined }>
  | Fact<'operationFailed', { operation: CallOperation; error: BasicError }>
  | Fact<'remoteEnded', { at: number; transition?: Transition }>
  | Fact<'remoteCancelled', { at: number }>
  | Fact<'notificationRejected', { error: BasicError }>
  | Fact<'trackAdded' | 'trackRemoved', { trackId: string; local: boolean }>
  | Fact<'statsRequested', { trackId: string | undefined }>
  | Fact<'statsReported', { trackId: string | undefined; result: RTCStatsReport | undefined; error?: BasicError | undefined }>

/** Mid-call operations (protocol/calls.md §7, §8, §13). */
export type MidCallEvent =
  | Fact<'reofferRequested', { operation: ReofferOperation; trackIds?: readonly string[] }>
  /** addMedia / removeMedia: the tracks added or removed, their media id, the call's new bandwidth. */
  | Fact<'reofferAnswered', { operation: ReofferOperation; trackIds?: readonly string[]; mediaId?: string; bandwidth?: Bandwidth }>
  | Fact<'reofferFailed', { operation: ReofferOperation; error: BasicError }>
  | Fact<'remoteOfferAnswered', { operation: RemoteOperation }>
  | Fact<'remoteOfferFailed', { operation: RemoteOperation; error: BasicError }>
  | Fact<'replaceRequested', { trackId: string }>
  | Fact<'trackReplaced', { oldTrack: TrackObject | undefined; oldTrackId: string; newTrackId: string }>
  | Fact<'replaceFailed', { trackId: string; error: BasicError }>
  | Fact<'dtmfRequested', { tones: string }>
  | Fact<'dtmfSent', { tones: string; inBand: boolean; error?: BasicError | undefined }>
  /** The automatic media restarts of a call gave up (media-restart.ts); `error` says why, once more. */
  | Fact<'mediaRestartGaveUp', { error: BasicError }>

/** Consultative transfer (protocol/calls.md §11), reduced around the machine by `withTransfers`. */
type TransferEvent = Fact<'transferRequested', { otherCallId: string }> | Fact<'transferFailed', { otherCallId: string; error: BasicError }>

/** Joined calls, reduced around the machine by `withJoins`. */
type JoinEvent =
  | Fact<'joinRequested', { otherCallId: string; joinedId: string }>
  | Fact<'joined', { otherCallId: string; joinedId: string; webrtcSessionId: string; localTracks: readonly string[]; remoteTracks: readonly string[]; at: number }>
  | Fact<'joinFailed', { otherCallId: string; error: BasicError }>
  | Fact<'jointHoldRequested', { operation: 'hold' | 'unhold' }>
  | Fact<'jointRefused', { operation: JointRefusable; error: BasicError; trackId?: string; tones?: string }>

/** The peer connection's media state changed (a fact, from its state change events). */
export type MediaConnectionEvent = Fact<'mediaConnectionChanged', { state: MediaConnectionState }>

export type CallEvent = LifeEvent | MidCallEvent | TransferEvent | JoinEvent | MediaConnectionEvent

/** Each event by its type (`EventOf['joined']`). */
export type EventOf = { [E in CallEvent as E['type']]: E }

/** What the outside world learns from a step: the core events behind `call:*` public events. */
export type CallOutput =
  | Fact<'callStarted'>
  | Fact<'callReceived'>
  | Fact<'stateChanged', { previous: CallSnapshot | undefined; transition: Transition | undefined; error: BasicError | undefined }>
  | Fact<'trackAdded' | 'trackEnded', { trackId: string; local: boolean; webrtcSessionId: string }>
  | Fact<'statsReceived', { trackId: string | undefined; result: RTCStatsReport | undefined; error: BasicError | undefined }>
  | Fact<'newMedia', { trackIds: readonly string[]; mediaId: string | undefined; error: BasicError | undefined }>
  | Fact<'removedMedia', { trackIds: readonly string[]; error: BasicError | undefined }>
  | Fact<'trackReplaced', { newTrackId: string | undefined; oldTrack: TrackObject | undefined; error: BasicError | undefined }>
  /** DTMF tones went out (or could not): no public event (protocol/events.md §6), for `streams` users and the log. */
  | Fact<'dtmfSent', { tones: string; inBand: boolean; error: BasicError | undefined }>
  /** `call:join`: the joined call exists (its id), or the join failed (the first call's id and the error). */
  | Fact<'joinReported', { error: BasicError | undefined }>
  /** `call:mediaConnectionChange`: the call's media connection changed from `previous.state`. */
  | Fact<'mediaConnectionChanged', { previous: { readonly state: MediaConnectionState } }>
  /** `call:mediaRestart`: a restart of the call's media succeeded, or failed with `error`. */
  | Fact<'mediaRestarted', { error?: BasicError }>

/** One step of the machine: the next state and what it tells the world (in order). */
export type CallsStep = Step<CallsState, CallOutput>

/** A call machine, or a layer around one (`withTransfers`, `withJoins`): pure and total. */
export type CallsReducer = (state: CallsState, event: CallEvent) => CallsStep

export type CallsStore = Store<CallsState, CallEvent, CallOutput>
