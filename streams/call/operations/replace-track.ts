import * as E from 'fp-ts/Either'
import { EMPTY, catchError, concatMap, defer, from, tap, throwError } from 'rxjs'
import { BasicError, errorCodes } from '../../errors.js'
import { checkMediaOptions, type MediaOptions } from '../../media/constraints.js'
import { asCallError, type CallEngine } from '../engine.js'
import type { Renegotiation } from './reoffer.js'

/** The one track of `old`'s kind that new media brought, else the media is stopped and refused. */
function replacementOf(stream: MediaStream, old: MediaStreamTrack): MediaStreamTrack {
  const tracks = stream.getTracks()
  const replacement = tracks.find((track) => track.kind === old.kind)
  if (replacement !== undefined && tracks.length === 1) return replacement
  tracks.forEach((track) => track.stop())
  const asked = tracks.map((track) => track.kind).join(' and ')
  throw new BasicError(errorCodes.call.USER_MEDIA_ERROR, `Track ${old.id} is ${old.kind}: the replacement must be one ${old.kind} track (media asked for ${asked}).`)
}

/** Replacing a local track (calls.md §13): the sender takes a new track, without renegotiation. */
export function createReplaceTrack({ store, runtimes, media }: Pick<CallEngine, 'store' | 'runtimes' | 'media'>, renegotiation: Pick<Renegotiation, 'whenIdle'>) {
  return (callId: string, oldTrackId: string, mediaOptions?: MediaOptions): void => {
    const replaced = defer(() => {
      if (store.request({ type: 'replaceRequested', callId, trackId: oldTrackId }) === undefined) return EMPTY
      const checked = checkMediaOptions(mediaOptions ?? {})
      if (E.isLeft(checked)) throw checked.left
      const sender = runtimes.peerOf(callId).connection.getSenders().find((candidate) => candidate.track?.id === oldTrackId)
      const old = sender?.track
      if (sender === undefined || old === null || old === undefined) throw new BasicError(errorCodes.call.STATE_DESYNC, `Track ${oldTrackId} is not sent on call ${callId}.`)
      return media.commands.userMedia(checked.right).pipe(
        concatMap((stream) => {
          const replacement = replacementOf(stream, old)
          return from(sender.replaceTrack(replacement)).pipe(
            catchError((error: unknown) => (replacement.stop(), throwError(() => asCallError(error)))),
            // The new track is the call's (in its local stream, in the media feature, in the call), unless the call ended meanwhile.
            tap(() => (store.isLive(callId) ? runtimes.replaceLocal(callId, old, oldTrackId, stream, replacement) : replacement.stop())),
          )
        }),
      )
    })
    const fail = (error: unknown) => (store.dispatch({ type: 'replaceFailed', callId, trackId: oldTrackId, error: asCallError(error) }), EMPTY)
    renegotiation.whenIdle(callId, () => replaced.pipe(catchError(fail)))
  }
}
