import type { MediaOptions } from '../media/constraints.js'
import { defaultBandwidth, type Bandwidth } from './model.js'

/** Received-bandwidth limits in kbps (api-reference BandwidthControls); a missing value is 5000. */
export interface BandwidthControls {
  /** Audio bandwidth in kbps. */
  readonly audio?: number
  /** Video bandwidth in kbps. */
  readonly video?: number
}

/** The options of `call.make`. */
export interface MakeOptions {
  /** Limits for the media received from the remote participant. */
  readonly bandwidth?: BandwidthControls
  /** The name the callee sees (sent as `tParticipantName`). */
  readonly displayName?: string
}

/** The options of `call.answer`. */
export type AnswerOptions = Pick<MakeOptions, 'bandwidth'>

/** The options of `call.addMedia` and `call.removeMedia`. */
export interface MediaChangeOptions {
  /** New limits for the media received from the remote participant (kinds left out keep their value). */
  readonly bandwidth?: BandwidthControls
}

/** The media options as a call records them (an app may pass anything). */
export const constraintsOf = (media: MediaOptions): MediaOptions => (typeof media === 'object' && media !== null ? media : {})

/**
 * `options.bandwidth` over `current`: each kind given replaces the current one (5000 when an app passed no positive number); kinds left out keep theirs.
 *
 * bandwidthOf({ bandwidth: { video: 500 } }) // { audio: 5000, video: 500 }
 */
export function bandwidthOf(options: AnswerOptions | undefined, current: Bandwidth = defaultBandwidth): Bandwidth {
  const given = options?.bandwidth
  if (typeof given !== 'object' || given === null) return current
  const kbps = (kind: keyof Bandwidth, value: unknown): number =>
    !(kind in given) ? current[kind] : typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : defaultBandwidth[kind]
  return { audio: kbps('audio', given.audio), video: kbps('video', given.video) }
}

/** The call feature's commands: each returns at once; its outcome reaches the state and `events$`. */
export interface CallCommands {
  /** Places a call; returns its id at once. Outcome: `callStarted`, or `stateChanged` with an error (call `Ended`). */
  readonly make: (destination: string, media: MediaOptions, options?: MakeOptions) => string
  /** Answers an incoming ringing call. Outcome: `stateChanged` (Connected, or the error). */
  readonly answer: (callId: string, media: MediaOptions, options?: AnswerOptions) => void
  /** Rejects an incoming ringing call (the caller is told). */
  readonly reject: (callId: string) => void
  /** Ends an incoming ringing call locally only (the caller keeps ringing). */
  readonly ignore: (callId: string) => void
  /** Ends a call in any state but a terminal one (before the answer: cancels it). */
  readonly end: (callId: string) => void
  /** Reports the call's (or one track's) RTCStatsReport in `statsReceived`. */
  readonly getStats: (callId: string, trackId?: string) => void
  /** Holds a call (state `On Hold`, `localHold`); outcome in `stateChanged`. */
  readonly hold: (callId: string) => void
  /** Takes a call off local hold; outcome in `stateChanged`. */
  readonly unhold: (callId: string) => void
  /** Adds audio and/or video to a Connected call; outcome in `newMedia` (and `trackAdded` for each track). */
  readonly addMedia: (callId: string, media: MediaOptions, options?: MediaChangeOptions) => void
  /** Removes local tracks from a Connected call; outcome in `removedMedia` (and `trackEnded` for each track). */
  readonly removeMedia: (callId: string, trackIds: readonly string[], options?: MediaChangeOptions) => void
  /** Replaces a local track with a new one of the same kind, without renegotiation; outcome in `trackReplaced`. */
  readonly replaceTrack: (callId: string, trackId: string, media?: MediaOptions) => void
  /** Sends DTMF tones (out-of-band where negotiated, else in-band); outcome in `dtmfSent` (no public event). */
  readonly sendDtmf: (callId: string, tones: string, duration?: number, intertoneGap?: number) => void
  /** Restarts the media of an answered call (an ICE restart with fresh TURN credentials); outcome in `mediaRestarted`. */
  readonly mediaRestart: (callId: string) => void
  /** Transfers the remote party of one locally held call to the remote party of another; both calls end with "Transfer Successful". */
  readonly consultativeTransfer: (callId: string, otherCallId: string) => void
  /** Joins two locally held calls into one new audio-only call; outcome in `joinReported`. */
  readonly join: (callId: string, otherCallId: string) => void
}
