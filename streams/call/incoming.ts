import * as E from 'fp-ts/Either'
import { EMPTY, Subscription, catchError, forkJoin, from, map, of, switchMap, tap, throwError, type Observable } from 'rxjs'
import type { MediaOptions } from '../media/constraints.js'
import { bandwidthOf, constraintsOf, type AnswerOptions } from './commands.js'
import { asCallError, endCall, endSessionOf, type CallEngine } from './engine.js'
import type { Peer } from './peer.js'
import { answerSession, endSession } from './requests.js'
import { refusalOf } from './steps.js'

type Deps = Pick<CallEngine, 'store' | 'runtimes' | 'signalling' | 'link' | 'running' | 'logger' | 'now'>

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

/** The local media of an answer that did not complete stops, in the media feature and in the call. */
function stopAnswerMedia({ store, runtimes }: Pick<Deps, 'store' | 'runtimes'>, callId: string): void {
  runtimes.find(callId)?.localStream?.getTracks().forEach((track) => track.stop())
  runtimes.endTracks(callId, store.callOf(callId)?.localTracks ?? [], true)
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
      stopAnswerMedia({ store, runtimes }, callId)
      return unanswered({ store, runtimes, signalling }, callId, slowStart).pipe(
        catchError(() => of(undefined)),
        map(() => report(error)),
      )
    }
    const where = signalling.scope()
    if (E.isLeft(where)) return report(where.left)
    const answering = { effect: Subscription.EMPTY, sent: false }
    runtimes.runtime(callId).answering = answering
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
      switchMap((sdp) => {
        answering.sent = true
        return answerSession(link, where.right, call.wrtcsSessionId ?? '', sdp)
      }),
      tap(() => {
        runtimes.runtime(callId).unsentAnswer = undefined
        if (slowStart) return
        store.dispatch({ type: 'answered', callId, at: now() })
        startAudit(callId)
      }),
    )
    answering.effect = runtimes.own(callId, flow.pipe(catchError((error: unknown) => (store.isLive(callId) ? failed(error) : EMPTY))))
  }
}

/**
 * `reject`: the caller is told (`DELETE …/sessions/<id>`); `ignore`: the call ends here only. Either abandons an answer in progress: its effect and
 * its media stop (no answer is sent after them); an ignored call whose answer request went out is ended on the platform too.
 */
export function createRefusals(engine: Deps) {
  const { store, runtimes, signalling, link, running, now } = engine
  const reject = (callId: string): void => {
    const abandoning = store.callOf(callId)?.operation === 'answer'
    const call = store.request({ type: 'rejectRequested', callId })
    if (call === undefined) return
    if (abandoning) {
      runtimes.find(callId)?.answering?.effect.unsubscribe()
      stopAnswerMedia(engine, callId)
    }
    const report = (error: unknown): void => void store.dispatch({ type: 'operationFailed', callId, operation: 'reject', error: asCallError(error) })
    // Still Ringing after a failed reject: the abandoned answer's peer is made ready for the next answer first, as after a failed answer.
    const failed = (error: unknown): void => {
      const ready = abandoning ? unanswered(engine, callId, call.isSlowStart === true) : of(undefined)
      running.add(ready.pipe(catchError(() => of(undefined))).subscribe(() => report(error)))
    }
    const where = signalling.scope()
    const request$ = E.isLeft(where) ? throwError(() => where.left) : endSession(link, where.right, call.wrtcsSessionId ?? '')
    running.add(request$.subscribe({ complete: () => endCall(engine, { type: 'rejected', callId, at: now() }), error: failed }))
  }
  const ignore = (callId: string): void => {
    const before = store.callOf(callId)
    const answer = runtimes.find(callId)?.answering
    if (refusalOf(store.dispatch({ type: 'ignored', callId, at: now() })) !== undefined) return
    runtimes.release(callId, before)
    const where = signalling.scope()
    if (before?.operation !== 'answer' || answer?.sent !== true || E.isLeft(where)) return
    endSessionOf(engine, where.right, before.wrtcsSessionId ?? '', `Call ${callId}: could not end the session its answer reached`)
  }
  return { reject, ignore }
}
