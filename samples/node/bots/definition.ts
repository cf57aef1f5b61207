import { EMPTY, filter, mergeMap, take, type Observable } from 'rxjs'
import type { UserConfig } from '../../../lib/index.js'
import type { CallObject } from '../../../lib/api/call.js'
import type { Agent } from '../agent.js'
import type { SyntheticMediaOptions, SyntheticTrack } from '../media.js'

/** One kind of bot: the `bot` field of its accounts in `platform/users.json`, and what it does. */
export interface BotDefinition {
  /** `echo`, `ivr`, … as in the account's `bot` field. */
  readonly kind: string
  /** What it does, in one line (printed by `npm start`). */
  readonly description: string
  /** The services it subscribes to. */
  readonly services: readonly string[]
  /** SDK configuration it needs (merged over the agent's). */
  readonly config?: UserConfig
  /** What its synthetic devices play. */
  readonly media?: SyntheticMediaOptions
  /** True when `start` publishes the bot's presence itself; otherwise it shows as Open / Available while it runs. */
  readonly publishesPresence?: boolean
  /** Starts reacting to the agent's events; everything it starts is given to `agent.own`. */
  start(agent: Agent): void
}

/**
 * A bot's `start` that handles every incoming call with `handle`, which may return what it keeps
 * doing for that call (the agent owns it, with the calls of the other callers running alongside).
 *
 * start: onEachCall((agent, call) => agent.client.call.reject(call.id))
 */
export function onEachCall(handle: (agent: Agent, call: CallObject) => Observable<unknown> | void): (agent: Agent) => void {
  return (agent) => agent.own(agent.incomingCalls$.pipe(mergeMap((call) => handle(agent, call) ?? EMPTY)).subscribe())
}

/** What to answer a call with: audio, and video when the caller sends video. */
export function offeredMedia(agent: Agent, call: CallObject): { readonly audio: true; readonly video: boolean } {
  const kinds = call.remoteTracks.map((trackId) => agent.client.media.getTrackById(trackId)?.kind)
  return { audio: true, video: kinds.includes('video') }
}

/** Emits once when the call is connected (never if it ends first: the caller's state stream completes). */
export function connected(agent: Agent, callId: string): Observable<string> {
  return agent.callStates(callId).pipe(
    filter((state) => state === 'Connected'),
    take(1),
  )
}

/** Emits once when the call has ended. */
export function callEnded(agent: Agent, callId: string): Observable<string> {
  return agent.callStates(callId).pipe(
    filter((state) => state === 'Ended' || state === 'Cancelled'),
    take(1),
  )
}

/** The agent's synthetic local track of a kind in a call. */
export function localTrack(agent: Agent, callId: string, kind: string): SyntheticTrack | undefined {
  return (agent.client.call.getById(callId)?.localTracks ?? []).map((trackId) => agent.media.local(trackId)).find((track) => track?.kind === kind)
}
