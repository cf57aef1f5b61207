import * as E from 'fp-ts/Either'
import { checkMediaOptions, type MediaOptions } from '../../media/constraints.js'
import { defer, map, of, throwError } from 'rxjs'
import { bandwidthOf, type MediaChangeOptions } from '../commands.js'
import type { CallEngine } from '../engine.js'
import type { Peer } from '../peer.js'
import type { CallRecord } from '../model.js'
import type { Renegotiation } from './reoffer.js'
import { transceiverOf } from './transceivers.js'

/** Adding and removing media (calls.md §7): new local tracks, or local tracks taken off, by a re-offer. */
export function createMediaChanges({ runtimes, media, logger }: Pick<CallEngine, 'runtimes' | 'media' | 'logger'>, renegotiation: Pick<Renegotiation, 'queue'>) {
  /** The new media's tracks on the peer; emits how to take them off again (the re-offer failed). */
  const addTracks = (callId: string, peer: Peer, stream: MediaStream): (() => void) => {
    runtimes.addLocal(callId, stream)
    const transceivers = stream.getTracks().map((track) => transceiverOf(peer, peer.connection.addTrack(track, stream)))
    // addTrack may reuse a spare transceiver (`inactive`, see below): we also want to receive on it.
    for (const transceiver of transceivers) transceiver.direction = 'sendrecv'
    return () => {
      // Not stop(): Chromium then negotiates the stopped, never-negotiated transceiver (with its dead track) in the next offer. A spare one
      // without track stays `inactive` until the next addTrack of its kind reuses it.
      for (const transceiver of transceivers) {
        peer.connection.removeTrack(transceiver.sender)
        transceiver.direction = 'inactive'
      }
      runtimes.endTracks(callId, stream.getTracks().map((track) => track.id), true)
    }
  }

  const addMedia = (callId: string, mediaOptions: MediaOptions, options?: MediaChangeOptions): void => {
    const checked = checkMediaOptions(mediaOptions ?? {})
    let added: MediaStream | undefined
    renegotiation.queue(callId, {
      operation: 'addMedia',
      prepare: (peer) => {
        if (E.isLeft(checked)) return throwError(() => checked.left)
        return media.commands.userMedia(checked.right).pipe(
          map((stream) => {
            added = stream
            return addTracks(callId, peer, stream)
          }),
        )
      },
      bandwidth: (call) => bandwidthOf(options, call.bandwidth),
      answered: () => ({ trackIds: added?.getTracks().map((track) => track.id) ?? [], mediaId: added?.id }),
    })
  }

  const removeMedia = (callId: string, trackIds: readonly string[], options?: MediaChangeOptions): void => {
    const prepare = (peer: Peer) =>
      defer(() => {
        const removed = peer.connection.getTransceivers().filter((transceiver) => transceiver.sender.track !== null && trackIds.includes(transceiver.sender.track.id))
        const kept = removed.map((transceiver) => ({ transceiver, track: transceiver.sender.track, direction: transceiver.direction }))
        for (const { transceiver } of kept) peer.connection.removeTrack(transceiver.sender)
        return of(() => {
          for (const { transceiver, track, direction } of kept) {
            transceiver.direction = direction
            void transceiver.sender.replaceTrack(track).catch((error: unknown) => logger.warn('Could not restore a track', error))
          }
        })
      })
    const answered = (call: CallRecord) => {
      runtimes.endTracks(call.id, trackIds, true)
      return { trackIds }
    }
    renegotiation.queue(callId, { operation: 'removeMedia', prepare, bandwidth: (call) => bandwidthOf(options, call.bandwidth), answered }, trackIds)
  }

  return { addMedia, removeMedia }
}
