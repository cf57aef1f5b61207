import * as E from 'fp-ts/Either'
import { EMPTY, Subscription, catchError, from, tap, type Observable } from 'rxjs'
import { BasicError, errorCodes, shown } from '../errors.js'
import { checkMediaOptions, type MediaOptions } from '../media/constraints.js'
import type { AudioBridge } from './bridge.js'
import type { CallCommands } from './commands.js'
import { asCallError, type CallEngine } from './engine.js'
import { callStates, type JointRefusable } from './model.js'
import type { FailureDetail } from './steps.js'
import type { CallStore } from './store.js'

// The operations of joined calls (join-effects.ts makes them) and of their legs, routed here before the feature's commands: a leg only says that it
// has ended (or is being joined); a joined call holds and unholds its legs, reports their statistics and feeds its bridge.

/** A joined call's running parts. */
export interface Joined {
  readonly legs: readonly [string, string]
  readonly bridge: AudioBridge
  microphone: MediaStreamTrack
}

/** What joins run over: the engine's parts, and the feature's commands that drive a leg (a leg is an ordinary call of its own). */
export interface JoinEngine extends Pick<CallEngine, 'store' | 'runtimes' | 'media' | 'environment' | 'now' | 'logger'> {
  readonly legs: Pick<CallCommands, 'hold' | 'unhold' | 'end'>
}

/** What joined calls run over: the engine, the joined calls, the subscriptions of joins (closed on dispose). */
export interface Joints {
  readonly engine: JoinEngine
  readonly joints: Map<string, Joined>
  readonly running: Subscription
}

/** A call joined into another (or being joined) refuses, saying that it has ended (or is busy); true if it did. */
function refusedByLeg(store: CallStore, callId: string, operation: JointRefusable, detail: FailureDetail = {}): boolean {
  const into = store.callOf(callId)?.joinedInto
  if (into === undefined) return false
  const message = into.shown.state === callStates.ENDED ? `Call ${callId} has ended: it was joined into call ${into.into}.` : `Call ${callId} is being joined with another call.`
  store.dispatch({ type: 'jointRefused', callId, operation, error: new BasicError(errorCodes.call.INVALID_STATE, message), ...detail })
  return true
}

const audioOnly = (store: CallStore, operation: JointRefusable, what: string) => (callId: string) => {
  const error = new BasicError(errorCodes.call.NOT_SUPPORTED, `Call ${callId} is a joined call (audio only): ${what}.`)
  store.dispatch({ type: 'jointRefused', callId, operation, error })
}

/** Hold / unhold of a joined call: each leg that needs the change gets it. */
const jointHold = ({ store, legs }: JoinEngine, operation: 'hold' | 'unhold') => (callId: string) => {
  for (const leg of store.request({ type: 'jointHoldRequested', callId, operation })?.joint?.pending ?? []) legs[operation](leg)
}

/** One report for the whole call: the legs' statistics, an id taken twice prefixed with its leg. */
function merged(reports: readonly RTCStatsReport[]): RTCStatsReport {
  if (reports.length === 1) return reports[0] as RTCStatsReport
  const all = new Map<string, unknown>()
  reports.forEach((each, index) => each.forEach((stat: unknown, key: string) => all.set(all.has(key) ? `leg${index}-${key}` : key, stat)))
  return all as unknown as RTCStatsReport
}

/** Statistics of the joined call: a remote track's from its leg; otherwise every leg's in one report. */
function jointStats({ engine, running }: Joints, callId: string, trackId?: string): void {
  const { store, runtimes, media } = engine
  const track = trackId === undefined || trackId === null ? undefined : shown(trackId)
  const joined = store.request({ type: 'statsRequested', callId, trackId: track })
  if (joined === undefined) return
  const live = (joined.joint?.legs ?? []).filter(store.isLive)
  const report = (result: RTCStatsReport | undefined, error?: BasicError): void => void store.dispatch({ type: 'statsReported', callId, trackId: track, result, error })
  const owner = track === undefined ? undefined : live.find((id) => store.callOf(id)?.remoteTracks.includes(track) === true)
  const selector = owner === undefined || track === undefined ? undefined : media.track(track)
  const peers = (owner === undefined ? live : [owner]).flatMap((id) => runtimes.runtime(id).peer ?? [])
  if (peers.length === 0) return report(undefined, new BasicError(errorCodes.call.GENERIC_ERROR, `Joined call ${callId} has no live leg.`))
  const reports = Promise.all(peers.map((peer) => peer.connection.getStats(selector ?? null)))
  running.add(from(reports).subscribe({ next: (each) => report(merged(each)), error: (error: unknown) => report(undefined, asCallError(error)) }))
}

/** Another microphone for the joined call: it feeds the bridge (no renegotiation, nothing for the far ends). */
function jointReplaceTrack({ engine, joints }: Joints, callId: string, trackId: string, mediaOptions?: MediaOptions): void {
  const { store, runtimes, media } = engine
  const oldTrackId = shown(trackId)
  if (store.request({ type: 'replaceRequested', callId, trackId: oldTrackId }) === undefined) return
  const fail = (error: unknown): Observable<never> => {
    store.dispatch({ type: 'replaceFailed', callId, trackId: oldTrackId, error: asCallError(error) })
    return EMPTY
  }
  const checked = checkMediaOptions(mediaOptions ?? {})
  if (E.isLeft(checked)) return void fail(checked.left)
  const replace = (stream: MediaStream): void => {
    const replacement = stream.getTracks()[0]
    const joined = joints.get(callId)
    if (joined === undefined || replacement?.kind !== 'audio' || stream.getTracks().length !== 1) {
      stream.getTracks().forEach((each) => each.stop())
      throw new BasicError(errorCodes.call.USER_MEDIA_ERROR, 'The joined call is audio-only: its microphone can only be replaced by one audio track.')
    }
    joined.bridge.setLocal(replacement)
    const old = joined.microphone
    joined.microphone = replacement
    runtimes.replaceLocal(callId, old, oldTrackId, stream, replacement)
  }
  runtimes.own(callId, media.commands.userMedia(checked.right).pipe(tap(replace), catchError(fail)))
}

/** The commands with joined calls and their legs handled here; every other call goes to `commands`. */
export function jointRouting(parts: Joints): (commands: CallCommands) => CallCommands {
  const { store } = parts.engine
  /** A command that a leg refuses, and that a joined call does its own way (`joint`) or as any call. */
  const routed =
    <A extends unknown[]>(operation: JointRefusable, base: (callId: string, ...rest: A) => void, joint?: (callId: string, ...rest: A) => void, detail?: (...rest: A) => FailureDetail) =>
    (appCallId: string, ...rest: A): void => {
      // The documented API and apps in JavaScript pass ids on unchecked: as text, whatever an app gave.
      const callId = shown(appCallId)
      if (refusedByLeg(store, callId, operation, detail?.(...rest))) return
      if (joint !== undefined && store.callOf(callId)?.joint !== undefined) joint(callId, ...rest)
      else base(callId, ...rest)
    }
  /** A command on two calls: refused if either is a leg. */
  const paired =
    (operation: JointRefusable, base: (callId: string, otherCallId: string) => void) =>
    (callId: string, otherCallId: string): void =>
      void (refusedByLeg(store, shown(callId), operation) || refusedByLeg(store, shown(otherCallId), operation) || base(shown(callId), shown(otherCallId)))
  const trackOf = (trackId?: string): FailureDetail => (trackId === undefined || trackId === null ? {} : { trackId: shown(trackId) })
  const tonesOf = (tones: string): FailureDetail => ({ tones: typeof tones === 'string' ? tones : '' })

  return (commands) => ({
    ...commands,
    answer: routed('answer', commands.answer),
    reject: routed('reject', commands.reject),
    ignore: routed('end', commands.ignore),
    end: routed('end', commands.end),
    getStats: routed('stats', commands.getStats, (callId, trackId) => jointStats(parts, callId, trackId), trackOf),
    hold: routed('hold', commands.hold, jointHold(parts.engine, 'hold')),
    unhold: routed('unhold', commands.unhold, jointHold(parts.engine, 'unhold')),
    addMedia: routed('addMedia', commands.addMedia, audioOnly(store, 'addMedia', 'media cannot be added to it')),
    removeMedia: routed('removeMedia', commands.removeMedia, audioOnly(store, 'removeMedia', 'its microphone can be muted or replaced, not removed')),
    replaceTrack: routed('replaceTrack', commands.replaceTrack, (callId, trackId, media) => jointReplaceTrack(parts, callId, trackId, media)),
    sendDtmf: routed('dtmf', commands.sendDtmf, audioOnly(store, 'dtmf', 'DTMF goes to one remote party; send it before joining'), tonesOf),
    mediaRestart: (callId) => commands.mediaRestart(shown(callId)),
    consultativeTransfer: paired('transfer', commands.consultativeTransfer),
    join: paired('join', commands.join),
  })
}
