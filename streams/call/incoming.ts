import * as E from 'fp-ts/Either'
import { EMPTY, catchError, forkJoin, from, map, of, switchMap, tap, type Observable } from 'rxjs'
import type { MediaOptions } from '../media/constraints.js'
import { bandwidthOf, constraintsOf, type AnswerOptions } from './commands.js'
import { asCallError, endCall, type CallEngine } from './engine.js'
import type { Peer } from './peer.js'
import { answerSession, endSession } from './requests.js'
import { refusalOf } from './steps.js'

type Deps = Pick<CallEngine, 'store' | 'runtimes' | 'signalling' | 'link' | 'running' | 'now'>

/**
 * After a failed answer, a peer that can answer again: a slow-start call's peer is dropped (the next answer makes one). A peer whose answer was set
 * but not sent is kept (it may have met the far end already: a new peer could not); one that took our tracks but set no answer is replaced by a new
 * one with the far end's offer again, as the invitation made it.
 */
function unanswered({ store, runtimes, signalling }: Pick<Deps, 'store' | 'runtimes' | 'signalling'>, callId: string, slowStart: boolean): Observable<unknown> {
  const runtime = runtimes.find(callId)
  const old = runtime?.peer
  const offer = old?.connection.remoteDescription?.sdp
  if (runtime === undefined || old === undefined || (!slowStart && runtime.unsentAnswer !== undefined)) return of(undefined)
  const used = old.connection.localDescription !== null || old.connection.getSenders().some((sender) => sender.track !== null)
  if (!slowStart && (!used || offer === undefined)) return of(undefined)
  // Not the call's peer any more first, so its closing is not the call's media connection closing.
  runtime.peer = undefined
  old.close()
  if (slowStart || offer === undefined) return of(undefined)
  runtimes.endTracks(callId, store.callOf(callId)?.remoteTracks ?? [], false)
  return signalling.iceServers().pipe(switchMap((servers) => runtimes.newPeer(callId, servers).remoteDescription('offer', offer)))
}

/** New media on the senders of a peer that answered already (no new negotiation); tracks of a kind it does not send are let go. */
function onSenders(runtimes: Deps['runtimes'], callId: string, peer: Peer, stream: MediaStream): Observable<unknown> {
  const free = [...stream.getTracks()]
  const swaps = peer.connection.getSenders().flatMap((sender) => {
    const index = free.findIndex((track) => track.kind === sender.track?.kind)
    return index < 0 ? [] : [sender.replaceTrack(free.splice(index, 1)[0] ?? null)]
  })
  runtimes.endTracks(callId, free.map((track) => track.id), true)
  return from(Promise.all(swaps))
}

/** `answer` (calls.md §5; a slow-start invitation is answered with our offer, §6). */
export function createAnswer({ store, runtimes, signalling, link, now }: Deps, startAudit: (callId: string) => void) {
  return (callId: string, mediaOptions: MediaOptions, options?: AnswerOptions): void => {
    const bandwidth = bandwidthOf(options)
    const call = store.request({ type: 'answerRequested', callId, mediaConstraints: constraintsOf(mediaOptions), bandwidth })
    if (call === undefined) return
    const slowStart = call.isSlowStart === true
    const report = (error: unknown): void => void store.dispatch({ type: 'operationFailed', callId, operation: 'answer', error: asCallError(error) })
    // The call stays Ringing: its media stops, and its peer is made ready for the next answer before the failure is told.
    const failed = (error: unknown): Observable<void> => {
      runtimes.find(callId)?.localStream?.getTracks().forEach((track) => track.stop())
      runtimes.endTracks(callId, store.callOf(callId)?.localTracks ?? [], true)
      return unanswered({ store, runtimes, signalling }, callId, slowStart).pipe(
        catchError(() => of(undefined)),
        map(() => report(error)),
      )
    }
    const where = signalling.scope()
    if (E.isLeft(where)) return report(where.left)
    const flow = forkJoin([slowStart ? signalling.iceServers() : of([]), runtimes.localMedia(callId, mediaOptions)]).pipe(
      switchMap(([servers, stream]) => {
        const peer = slowStart ? runtimes.newPeer(callId, servers) : runtimes.peerOf(callId)
        // Our answer was set before and the platform did not take it: it goes again, with the new media on its senders.
        const unsent = slowStart ? undefined : runtimes.find(callId)?.unsentAnswer
        if (unsent !== undefined) return onSenders(runtimes, callId, peer, stream).pipe(map(() => unsent))
        peer.addLocal(stream)
        // Slow start: our offer goes as the answer; the far end's answer completes the call (remote answer).
        return signalling.localSdp(peer, slowStart ? 'offer' : 'answer', bandwidth).pipe(
          tap((sdp) => {
            if (!slowStart) runtimes.runtime(callId).unsentAnswer = sdp
          }),
        )
      }),
      switchMap((sdp) => answerSession(link, where.right, call.wrtcsSessionId ?? '', sdp)),
      tap(() => {
        runtimes.runtime(callId).unsentAnswer = undefined
        if (slowStart) return
        store.dispatch({ type: 'answered', callId, at: now() })
        startAudit(callId)
      }),
    )
    runtimes.own(callId, flow.pipe(catchError((error: unknown) => (store.isLive(callId) ? failed(error) : EMPTY))))
  }
}

/** `reject`: the caller is told (`DELETE …/sessions/<id>`); `ignore`: the call ends here only. */
export function createRefusals(engine: Deps) {
  const { store, runtimes, signalling, link, running, now } = engine
  const reject = (callId: string): void => {
    const call = store.request({ type: 'rejectRequested', callId })
    if (call === undefined) return
    const failed = (error: unknown): void => void store.dispatch({ type: 'operationFailed', callId, operation: 'reject', error: asCallError(error) })
    const where = signalling.scope()
    if (E.isLeft(where)) return failed(where.left)
    running.add(endSession(link, where.right, call.wrtcsSessionId ?? '').subscribe({ complete: () => endCall(engine, { type: 'rejected', callId, at: now() }), error: failed }))
  }
  const ignore = (callId: string): void => {
    const before = store.callOf(callId)
    if (refusalOf(store.dispatch({ type: 'ignored', callId, at: now() })) === undefined) runtimes.release(callId, before)
  }
  return { reject, ignore }
}
