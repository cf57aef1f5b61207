import { EMPTY, catchError, concatMap, defer, finalize, map, of, tap, type Observable } from 'rxjs'
import { BasicError, errorCodes } from '../../errors.js'
import { asCallError, type CallEngine } from '../engine.js'
import { inactivated, inferRemoteOperation, mediaFlowing, receives, sdpSessionId, setupActiveAsActpass } from '../inference.js'
import type { NegotiationTask } from '../negotiation.js'
import type { Peer } from '../peer.js'
import { answerSession } from '../requests.js'
import type { CallRecord, RemoteOperation } from '../model.js'
import type { Renegotiation } from './reoffer.js'
import { direct } from './transceivers.js'

type Deps = Pick<CallEngine, 'store' | 'runtimes' | 'signalling' | 'link'>

/** What a remote SDP does, with a far end that resumes media after its own hold read as `unhold`. */
const operationOf = (call: CallRecord, intent: string, sdp: string): RemoteOperation => {
  const operation = inferRemoteOperation(intent, sdp)
  return operation === 'unknown' && call.remoteHold === true && mediaFlowing(sdp) ? 'unhold' : operation
}

/** Remote tracks the far end no longer sends (it removed them) end. */
const endUnreceivedTracks = (deps: Deps, callId: string, peer: Peer): void => {
  const call = deps.store.callOf(callId)
  if (call === undefined) return
  for (const transceiver of peer.connection.getTransceivers()) {
    const trackId = transceiver.receiver.track.id
    if (!receives(transceiver.currentDirection) && call.remoteTracks.includes(trackId)) deps.runtimes.endTracks(call.id, [trackId], false)
  }
}

/** A new peer connection in place of the call's, and what becomes of the one it replaced (once: the first of `retire` and `restore` wins). */
interface Replacement {
  readonly peer: Peer
  /** The replaced peer closes and the remote tracks it received end. */
  readonly retire: () => void
  /** The replaced peer is the call's again, with its media (the new one closes). */
  readonly restore: () => void
}

/** A new peer connection in place of the call's (the far end changed, or a slow-start re-offer): local tracks move over; the one it replaced stays open. */
const replacePeer = (deps: Deps, callId: string): Observable<Replacement> =>
  deps.signalling.iceServers().pipe(
    map((servers) => {
      const call = deps.store.liveOf(callId)
      if (call === undefined) throw new BasicError(errorCodes.call.INVALID_STATE, `Call ${callId} ended.`)
      const runtime = deps.runtimes.runtime(callId)
      const old = runtime.peer
      const tracks = (old?.connection.getSenders() ?? []).flatMap((sender) => (sender.track === null ? [] : [sender.track]))
      const peer = deps.runtimes.newPeer(callId, servers)
      for (const track of tracks) peer.connection.addTrack(track, ...(runtime.localStream?.getTracks().includes(track) === true ? [runtime.localStream] : []))
      if (call.localHold === true) direct(peer, () => 'inactive')
      let settled = false
      const once = (settle: () => void) => (): void => {
        if (settled) return
        settled = true
        settle()
      }
      const retire = once(() => {
        old?.close()
        // A call that ended has ended its tracks already.
        if (deps.store.isLive(callId)) deps.runtimes.endTracks(callId, call.remoteTracks, false)
      })
      const restore = once(() => (old === undefined ? undefined : deps.runtimes.restorePeer(callId, old)))
      return { peer, retire, restore }
    }),
  )

/** Says that answering a remote re-offer failed (`call:stateChange` with the error); emits nothing. */
const failure = (store: Deps['store'], callId: string, operation: RemoteOperation, error: unknown): Observable<never> => {
  store.dispatch({ type: 'remoteOfferFailed', callId, operation, error: asCallError(error) })
  return EMPTY
}

/**
 * §8.2: a slow-start re-offer: a new peer connection, our offer sent as the answer, then the far end's answer. The peer it replaces keeps the media
 * until then: a failure makes it the call's again (then says why), a call that ends meanwhile closes it.
 */
function offerForSlowStart(deps: Deps, { answerTo, intentOf, scopeOf }: Renegotiation, call: CallRecord): Observable<unknown> {
  const { store, runtimes, signalling, link } = deps
  const scope = scopeOf()
  const previous = intentOf(call.id)
  let operation: RemoteOperation = 'unknown'
  let replacement: Replacement | undefined
  const applied = ({ peer, retire }: Replacement, answer: string): Observable<unknown> => {
    const localHold = store.callOf(call.id)?.localHold === true
    operation = operationOf(call, previous, answer)
    return signalling.remoteSdp(peer, 'answer', operation === 'unhold' && localHold ? inactivated(answer) : answer, call.direction).pipe(
      tap(() => {
        retire()
        if (!localHold) runtimes.runtime(call.id).remoteIntent = answer
        store.dispatch({ type: 'remoteOfferAnswered', callId: call.id, operation })
      }),
    )
  }
  return replacePeer(deps, call.id).pipe(
    concatMap((made) => {
      replacement = made
      return signalling.localSdp(made.peer, 'offer', undefined).pipe(
        concatMap((offer) => answerTo(call.id, answerSession(link, scope, call.wrtcsSessionId ?? '', offer))),
        concatMap((answer) => applied(made, answer)),
      )
    }),
    catchError((error: unknown) => {
      replacement?.restore()
      return failure(store, call.id, operation, error)
    }),
    finalize(() => replacement?.retire()),
  )
}

/** Remote re-offers (calls.md §8), answered in the call's negotiation queue before its local operations. */
export function createRemoteOffers(deps: Deps, renegotiation: Renegotiation): (callId: string, sdp: string | undefined) => void {
  const { store, runtimes, signalling, link } = deps
  const { intentOf, scopeOf } = renegotiation

  /** §8.1: a re-offer with an SDP, answered with `PUT …/answer`. */
  const answerOffer = (call: CallRecord, offer: string): Observable<unknown> => {
    const current = runtimes.peerOf(call.id)
    const scope = scopeOf()
    const operation = operationOf(call, intentOf(call.id), offer)
    const shaped = setupActiveAsActpass(call.localHold === true && mediaFlowing(offer) ? inactivated(offer) : offer)
    const previous = current.connection.remoteDescription?.sdp
    // What the call negotiated before: our answer that never reached the far end is undone, both sides keep this.
    const before = current.negotiated()
    let used = current
    const renewed = replacePeer(deps, call.id).pipe(
      map(({ peer, retire }) => {
        retire()
        return peer
      }),
    )
    return (previous !== undefined && sdpSessionId(previous) !== sdpSessionId(offer) ? renewed : of(current)).pipe(
      concatMap((peer) => {
        used = peer
        return signalling.remoteSdp(peer, 'offer', shaped, call.direction).pipe(concatMap(() => signalling.localSdp(peer, 'answer', call.bandwidth)))
      }),
      concatMap((answer) => answerSession(link, scope, call.wrtcsSessionId ?? '', answer)),
      tap(() => {
        runtimes.runtime(call.id).remoteIntent = offer
        if (operation === 'removeMedia' || operation === 'stopMusicOnHold') endUnreceivedTracks(deps, call.id, used)
        store.dispatch({ type: 'remoteOfferAnswered', callId: call.id, operation })
      }),
      catchError((error: unknown) =>
        (used === current ? used.restore(before) : used.rollback()).pipe(
          catchError(() => of(undefined)),
          concatMap(() => failure(store, call.id, operation, error)),
        ),
      ),
    )
  }

  return (callId, sdp) => {
    const task: NegotiationTask = () =>
      defer(() => {
        const call = store.liveOf(callId)
        if (call === undefined) return EMPTY
        return sdp === undefined ? offerForSlowStart(deps, renegotiation, call) : answerOffer(call, sdp)
      }).pipe(catchError((error: unknown) => failure(store, callId, 'unknown', error)))
    runtimes.runtime(callId).negotiation.remote(task)
  }
}
