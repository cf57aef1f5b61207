import { map } from 'rxjs'
import { BasicError, errorCodes } from '../../errors.js'
import type { CallEngine } from '../engine.js'
import type { Renegotiation } from './reoffer.js'

/**
 * `call.mediaRestart(callId)`: an ICE restart with fresh TURN credentials, renegotiated through the call's update signalling (calls.md §7) so both
 * sides gather new candidates; a held call stays held (directions untouched). Outcome: `call:mediaRestart`.
 */
export function createMediaRestart({ signalling }: Pick<CallEngine, 'signalling'>, renegotiation: Pick<Renegotiation, 'queue'>) {
  return (callId: string): void =>
    renegotiation.queue(callId, {
      operation: 'mediaRestart',
      prepare: ({ connection }) =>
        signalling.iceServers(true).pipe(
          map((iceServers) => {
            if (typeof connection.restartIce !== 'function') throw new BasicError(errorCodes.call.NOT_SUPPORTED, 'This WebRTC implementation cannot restart ICE (RTCPeerConnection.restartIce).')
            connection.setConfiguration({ ...connection.getConfiguration(), iceServers })
            connection.restartIce()
            // Nothing to undo: a failed restart leaves the old candidates, which may still work.
            return () => undefined
          }),
        ),
    })
}
