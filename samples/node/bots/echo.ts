import { EMPTY, mergeMap, switchMap, takeUntil, tap, type Observable } from 'rxjs'
import type { Agent } from '../agent.js'
import { audioOf, framesOf } from '../media.js'
import { callEnded, connected, localTrack, offeredMedia, onEachCall, type BotDefinition } from './definition.js'

/** Plays what a remote track carries on the agent's local track of the same kind. */
function echo(agent: Agent, callId: string, remote: MediaStreamTrack): Observable<unknown> {
  const local = localTrack(agent, callId, remote.kind)
  if (local === undefined) return EMPTY
  return remote.kind === 'audio' ? audioOf(remote).pipe(tap((data) => local.push(data))) : framesOf(remote).pipe(tap((frame) => local.push(frame)))
}

/** `echo`: answers every call and sends the caller's audio and video back (wrtc sinks into wrtc sources). */
export const echoBot = (): BotDefinition => ({
  kind: 'echo',
  description: 'answers every call and sends your audio and video back to you',
  services: ['call'],
  // Its tracks play nothing of their own: only what the caller sends.
  media: { audio: undefined, video: undefined },
  start: onEachCall((agent, call) => {
    agent.log(`answering ${call.from ?? 'a caller'} to echo the call`)
    agent.client.call.answer(call.id, offeredMedia(agent, call))
    return connected(agent, call.id).pipe(
      switchMap(() => agent.remoteTracks(call.id)),
      mergeMap((remote) => echo(agent, call.id, remote)),
      takeUntil(callEnded(agent, call.id)),
    )
  }),
})
