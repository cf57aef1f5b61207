import type { AnswerOptions, MakeOptions, MediaChangeOptions } from '../../streams/call/commands.js'
import type { CallFeature } from '../../streams/call/feature.js'
import { unmeasured, type QualityState } from '../../streams/call/quality/store.js'
import type { CallQuality } from '../../streams/call/quality/warnings.js'
import { callStates, type CallObject as CoreCallObject, type CallRecord } from '../../streams/call/model.js'
import { toCallObject } from '../../streams/call/steps.js'
import { errorCodes, shown } from '../../streams/errors.js'
import type { MediaOptions } from '../../streams/media/constraints.js'
import { callEvents$ } from './call-events.js'
import { argument, Id, lookupId } from './arguments.js'
import type { Namespace } from '../namespace.js'
import { entryOf } from '../../streams/record.js'

export type { MediaConnectionState } from '../../streams/call/model.js'
export type { CallQuality, QualityWarningName } from '../../streams/call/quality/warnings.js'
export type { QualityThresholds } from '../../streams/config/quality.js'

export type { QualityWarning, MediaConnectionChange } from './call-events.js'
export type { PeerConfig } from '../../streams/config/peer.js'

/** A call as `call.getAll` / `call.getById` return it: the core's CallObject plus the original SDK's two extra keys. */
export interface CallObject extends Omit<CoreCallObject, 'bandwidth'> {
  /** The received-bandwidth limits in kbps; unset on an incoming call until it is answered, as in the original SDK. */
  readonly bandwidth: CoreCallObject['bandwidth'] | undefined
  /** True for an outgoing call (the original SDK's key; `direction` says the same). */
  readonly isCaller: boolean
  /** The SDK's id of the call's WebRTC session (also the `id` of `call:newTrack` / `call:trackEnded`). */
  readonly webrtcSessionId: string
  /**
   * The call's quality from its latest one-second stats sample (figures undefined until the media connects): `mos` as the ITU-T
   * G.107 E-model estimates it, `rttMs`, `jitterMs`, inbound-audio `packetLossPercent`, the active `warnings` (see `call:qualityWarning`).
   */
  readonly quality: CallQuality
}

/** The call states, with the original SDK's `EARLY_MEDIA` (which no CPaaS call reaches). */
const documentedStates = { ...callStates, EARLY_MEDIA: 'Early Media' } as const

/** An incoming call nobody answered yet has no media constraints: its bandwidth is not chosen. */
const unanswered = (record: CallRecord): boolean => record.direction === 'incoming' && record.mediaConstraints === undefined

const documented = (record: CallRecord, quality: QualityState): CallObject => {
  const call = toCallObject(record)
  return {
    ...call,
    bandwidth: unanswered(record) ? undefined : call.bandwidth,
    isCaller: record.direction === 'outgoing',
    webrtcSessionId: record.webrtcSessionId,
    quality: entryOf(quality, record.id)?.quality ?? unmeasured,
  }
}
export type { MediaOptions, MediaConstraint } from '../../streams/media/constraints.js'
export type { AnswerOptions, BandwidthControls, MakeOptions, MediaChangeOptions } from '../../streams/call/commands.js'

/** The documented `call` namespace (api-reference, Calls). */
export interface CallApi {
  /**
   * Possible states of a call: `INITIATING`, `INITIATED`, `RINGING`, `CANCELLED`, `CONNECTED`, `ON_HOLD`, `ENDED` (values `'Initiating'` … `'Ended'`).
   *
   * client.on('call:stateChange', ({ callId }) => client.call.getById(callId).state === client.call.states.CONNECTED && render(callId))
   */
  readonly states: typeof documentedStates
  /**
   * Starts an outgoing call to a user id (`name@domain`, or `name` in the user's own domain) or a phone number; returns its id at once.
   * `call:start` follows once the platform has the call; a failure (bad destination `call:7`, media `call:4`, the platform's error)
   * gives `call:stateChange` with `error` and the call `Ended`.
   *
   * const callId = client.call.make('bob@example.com', { audio: true, video: true }, { bandwidth: { video: 500 } })
   * @throws BasicError `call:7` when `destination` is not a string (the reference throws too).
   */
  make(destination: string, media: MediaOptions, options?: MakeOptions): string
  /**
   * Answers an incoming call in state `Ringing`: `call:stateChange` follows (state `Connected`, or the error with the state unchanged).
   * A call in another state gives `call:stateChange` with error `call:6`; an unknown id `call:7`.
   *
   * client.on('call:receive', ({ callId }) => client.call.answer(callId, { audio: true }))
   * @throws BasicError `call:7` when `callId` is not a string (the reference throws too).
   */
  answer(callId: string, media: MediaOptions, options?: AnswerOptions): void
  /**
   * Rejects an incoming call in state `Ringing`: it ends, and the caller is told. An answer of it still in progress is abandoned (its media stops).
   *
   * client.call.reject(callId)
   */
  reject(callId: string): void
  /**
   * Ignores an incoming call in state `Ringing`: it ends here only; the caller keeps ringing. An answer of it still in progress is abandoned (its
   * media stops); if its request already went out, the call is ended on the platform too.
   *
   * client.call.ignore(callId)
   */
  ignore(callId: string): void
  /**
   * Ends a call (before the answer, cancels it): local media stops (`call:trackEnded` for each track), then `call:stateChange` with
   * the call `Ended`, also if the platform could not be told (the error is in the event). An ended call gives error `call:6`.
   *
   * client.call.end(callId)
   */
  end(callId: string): void
  /**
   * Every call of this session, in creation order.
   *
   * const connected = client.call.getAll().filter((call) => call.state === client.call.states.CONNECTED)
   */
  getAll(): CallObject[]
  /**
   * The call with this id, or undefined.
   *
   * const { state, remoteTracks } = client.call.getById(callId)
   * @throws BasicError `BAD_INPUT` when `callId` is neither a string nor undefined (undefined gives undefined, as in the original SDK).
   */
  getById(callId: string): CallObject | undefined
  /**
   * Reports low-level statistics of a call (or of one of its tracks) in `call:statsReceived` (`{ callId, trackId, result: RTCStatsReport, error }`).
   *
   * client.on('call:statsReceived', ({ result }) => result.forEach((stat) => stat.type === 'inbound-rtp' && show(stat.bytesReceived)))
   * client.call.getStats(callId)
   */
  getStats(callId: string, trackId?: string): void
  /**
   * Puts a call on hold (media stops both ways); a call not answered or already locally held gives `call:stateChange` with error `call:6`.
   * When the far end answered, `call:stateChange` follows with `localHold: true` and state `On Hold`; the remote participant gets it with
   * `remoteHold: true`. A call held by both stays `On Hold` until both unhold. A failure leaves the call as it was and gives `call:stateChange` with the error.
   *
   * client.call.hold(callId)
   */
  hold(callId: string): void
  /**
   * Takes a locally held call off hold (else error `call:6`): `call:stateChange` follows with `localHold: false`, and state
   * `Connected`, or still `On Hold` while the far end holds too.
   *
   * client.call.unhold(callId)
   */
  unhold(callId: string): void
  /**
   * Adds new media (from the given sources) to a `Connected` call: `call:newTrack` for each new local track here and each new remote
   * track on the far end, then `call:newMedia { local: true, tracks, mediaId }`. A call in another state gives `call:newMedia` with
   * error `call:6`; bad media options `call:7`; no media `call:4`. A failure leaves the call as it was.
   *
   * client.call.addMedia(callId, { video: true, videoOptions: { height: { ideal: 720 } } })
   */
  addMedia(callId: string, media?: MediaOptions, options?: MediaChangeOptions): void
  /**
   * Removes local tracks (a non-empty array of the call's local track ids, else error `call:7`) from a `Connected` call: they stop,
   * `call:trackEnded` for each here and for the matching remote tracks on the far end, then `call:removedMedia { local: true, tracks }`.
   *
   * client.call.removeMedia(callId, call.localTracks.filter((id) => client.media.getTrackById(id).kind === 'video'))
   */
  removeMedia(callId: string, tracks: readonly string[], options?: MediaChangeOptions): void
  /**
   * Replaces a local track of a `Connected` call with a new track of the same kind (another device, other constraints), without
   * renegotiation: the far end notices nothing. `call:trackReplaced { callId, newTrackId, oldTrack }` follows (here only); the old
   * track stops. A track that is not the call's gives error `call:7`; media of another kind `call:4`.
   *
   * client.call.replaceTrack(callId, videoTrack.id, { video: true, videoOptions: { deviceId: { exact: cameraId } } })
   * @throws BasicError `call:7` when `callId` or `trackId` is not a string (the reference throws too).
   */
  replaceTrack(callId: string, trackId: string, media?: MediaOptions): void
  /**
   * Restarts the media of a `Connected` or `On Hold` call: an ICE restart with fresh TURN credentials, renegotiated with the far
   * end, which follows by itself; a held call stays held. `call:mediaRestart { callId }` follows, with `error` when it failed (the
   * call is unchanged). Calls also restart by themselves when their media fails (config `call.automaticMediaRestart`).
   *
   * client.on('call:mediaConnectionChange', ({ callId }) => client.call.getById(callId).mediaConnectionState === 'failed' && client.call.mediaRestart(callId))
   */
  mediaRestart(callId: string): void
  /**
   * Sends DTMF tones on a `Connected` (or `Ringing`) call: out-of-band (RTP telephone-event) where the call negotiated it, otherwise
   * mixed in-band into the outgoing audio. `tone` is one or more of `0-9 * # ,` (`,` pauses 2 s); `duration` is the milliseconds of
   * each tone (40–6000, default 100), `intertoneGap` the milliseconds between tones (at least 30, default 70). As in the reference,
   * no event follows, not even on error: errors (`call:7` bad tones, `call:6` wrong state) go to the log.
   *
   * client.call.sendDTMF(callId, '1234#', 120, 80)
   */
  sendDTMF(callId: string, tone: string, duration?: number, intertoneGap?: number): void
  /**
   * Consultative (warm) transfer: connects the remote participants of two locally held calls to each other, after having spoken to both
   * (else `call:stateChange` with error `call:6`; an unknown id `call:7`). The platform takes them off hold; both calls here end with
   * `call:stateChange`, state `Ended`, `transition: { statusCode: 9905, reasonText: 'Transfer Successful' }`. If the platform refuses,
   * both stay held and get `call:stateChange` with the error and `transition: { statusCode: -1, reasonText: 'Transfer Failed' }`.
   *
   * client.call.hold(withCustomer)   // then, once held, call the colleague and talk
   * client.call.hold(withColleague)
   * client.call.consultativeTransfer(withCustomer, withColleague)
   */
  consultativeTransfer(callId: string, otherCallId: string): void
  /**
   * Joins two locally held calls into one audio-only call: each remote participant hears the local user and the other; the local user
   * hears both (render the joined call's remote tracks). The platform has no conference: this client mixes the audio (WebAudio), so it
   * works on any platform but needs an `AudioContext` (else `call:join` with error `call:5`). On success the two calls end
   * (`call:stateChange`, state `Ended`, `transition: { statusCode: 9906, reasonText: 'Join Successful' }`) and `call:join { callId }`
   * names the new joined call. Calls not both locally held give `call:join` with error `call:6` (unknown ids `call:7`); a join that
   * fails later gives `call:join { callId, error }` and `call:stateChange` with `transition: { statusCode: -2, reasonText: 'Join Failed' }`,
   * both calls held again (without their video). On the joined call, `hold`, `unhold` and `end` act on both remote participants, muting
   * its microphone mutes it for both, and `replaceTrack` changes the microphone; media cannot be added or removed (`call:5`).
   *
   * client.on('call:join', ({ callId, error }) => error || client.media.renderTracks(client.call.getById(callId).remoteTracks, '#remote'))
   * client.call.join(withBob, withCarol)
   */
  join(callId: string, otherCallId: string): void
}

/** The documented `call` namespace over the call feature. */
export function callApi({ call }: { readonly call: CallFeature }): Namespace<CallApi> {
  const { commands } = call
  // Ids the reference takes as they are: anything else names no call (the outcome says so).
  const id = shown
  // Ids the reference throws for when they are not strings.
  const checked = (value: unknown, what: string): string => argument(Id, value, errorCodes.call.INVALID_PARAM, `call.${what}`)
  const api: CallApi = {
    states: documentedStates,
    make: (destination, media, options) => commands.make(checked(destination, 'make(destination)'), media, options),
    answer: (callId, media, options) => commands.answer(checked(callId, 'answer(callId)'), media, options),
    reject: (callId) => commands.reject(id(callId)),
    ignore: (callId) => commands.ignore(id(callId)),
    end: (callId) => commands.end(id(callId)),
    getAll: () => Object.values(call.current().calls).map((record) => documented(record, call.quality.current())),
    getById: (callId) => {
      const id = lookupId(callId, errorCodes.general.BAD_INPUT, 'call.getById: the call id must be a string')
      const found = id === undefined ? undefined : entryOf(call.current().calls, id)
      return found === undefined ? undefined : documented(found, call.quality.current())
    },
    mediaRestart: (callId) => commands.mediaRestart(id(callId)),
    getStats: (callId, trackId) => commands.getStats(id(callId), trackId === undefined || trackId === null ? undefined : id(trackId)),
    hold: (callId) => commands.hold(id(callId)),
    unhold: (callId) => commands.unhold(id(callId)),
    addMedia: (callId, media, options) => commands.addMedia(id(callId), media ?? {}, options),
    // Not a list: no track named, which the call refuses with call:7.
    removeMedia: (callId, tracks, options) => commands.removeMedia(id(callId), Array.isArray(tracks) ? tracks.map(id) : [], options),
    replaceTrack: (callId, trackId, media) => commands.replaceTrack(checked(callId, 'replaceTrack(callId)'), checked(trackId, 'replaceTrack(trackId)'), media ?? {}),
    sendDTMF: (callId, tone, duration, intertoneGap) => commands.sendDtmf(id(callId), tone, duration, intertoneGap),
    consultativeTransfer: (callId, otherCallId) => commands.consultativeTransfer(id(callId), id(otherCallId)),
    join: (callId, otherCallId) => commands.join(id(callId), id(otherCallId)),
  }
  return { api, events$: callEvents$(call) }
}
