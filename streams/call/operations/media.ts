import * as E from 'fp-ts/Either'
import { BasicError, errorCodes } from '../../errors.js'
import { checkMediaOptions, type MediaOptions } from '../../media/constraints.js'
import { defer, map, of, throwError } from 'rxjs'
import { bandwidthOf, type MediaChangeOptions } from '../commands.js'
import type { CallEngine } from '../engine.js'
import type { Peer } from '../peer.js'
import type { Renegotiation } from './reoffer.js'
import { transceiverOf } from './transceivers.js'

type Deps = Pick<CallEngine, 'store' | 'media' | 'logger'>

/** Ends local tracks of a call, in the media feature and in the call. */
const endLocal = ({ store, media }: Deps, callId: string, trackIds: readonly string[]): void => {
  media.commands.endTracks(trackIds, true)
  for (const trackId of trackIds) store.dispatch({ type: 'trackRemoved', callId, trackId, local: true })
}

/** Adding and removing media (calls.md §7): new local tracks, or local tracks taken off, by a re-offer. */
export function createMediaChanges(deps: Deps, renegotiation: Pick<Renegotiation, 'queue'>) {
  const { store, media, logger } = deps

  /** The new media's tracks on the peer; emits how to take them off again (the re-offer failed). */
  const addTracks = (callId: string, peer: Peer, stream: MediaStream): (() => void) => {
    if (!store.isLive(callId)) {
      stream.getTracks().forEach((track) => track.stop())
      throw new BasicError(errorCodes.call.INVALID_STATE, `Call ${callId} ended while its new media was being acquired.`)
    }
    media.commands.addMedia(stream.id, true, stream.getTracks())
    const senders = stream.getTracks().map((track) => peer.connection.addTrack(track, stream))
    // addTrack may reuse a spare transceiver (`inactive`, see below): we also want to receive on it.
    for (const sender of senders) transceiverOf(peer, sender).direction = 'sendrecv'
    for (const track of stream.getTracks()) store.dispatch({ type: 'trackAdded', callId, trackId: track.id, local: true })
    return () => {
      // Not stop(): Chromium then negotiates the stopped, never-negotiated transceiver (with its
      // dead track) in the next offer. A spare one without track stays `inactive` until the next
      // addTrack of its kind reuses it.
      for (const sender of senders) {
        const transceiver = transceiverOf(peer, sender)
        peer.connection.removeTrack(sender)
        transceiver.direction = 'inactive'
      }
      endLocal(deps, callId, stream.getTracks().map((track) => track.id))
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
            const undo = addTracks(callId, peer, stream)
            added = stream
            return undo
          }),
        )
      },
      bandwidth: (call) => bandwidthOf(options, call.bandwidth),
      succeed: (call) => {
        const trackIds = added?.getTracks().map((track) => track.id) ?? []
        store.dispatch({ type: 'reofferAnswered', callId: call.id, operation: 'addMedia', trackIds, mediaId: added?.id, bandwidth: bandwidthOf(options, call.bandwidth) })
      },
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
    renegotiation.queue(
      callId,
      {
        operation: 'removeMedia',
        prepare,
        bandwidth: (call) => bandwidthOf(options, call.bandwidth),
        succeed: (call) => {
          endLocal(deps, call.id, trackIds)
          store.dispatch({ type: 'reofferAnswered', callId: call.id, operation: 'removeMedia', trackIds, bandwidth: bandwidthOf(options, call.bandwidth) })
        },
      },
      trackIds,
    )
  }

  return { addMedia, removeMedia }
}
