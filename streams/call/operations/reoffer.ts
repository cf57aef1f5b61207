import * as E from 'fp-ts/Either'
import { AsyncSubject, EMPTY, catchError, concat, defer, finalize, ignoreElements, map, of, switchMap, tap, throwError, timeout, type Observable } from 'rxjs'
import { httpStatusOf } from '../../connection/request.js'
import { BasicError, errorCodes } from '../../errors.js'
import { definedFields } from '../../record.js'
import { asCallError, type CallEngine } from '../engine.js'
import type { NegotiationTask } from '../negotiation.js'
import type { Peer } from '../peer.js'
import { updateSession, type CallScope } from '../requests.js'
import type { Bandwidth, CallEvent, CallRecord, ReofferOperation } from '../model.js'

/** How long a re-offer waits for the far end's answer before it fails (and is rolled back). */
export const reofferAnswerTimeout = 20_000
/** How long an operation that met glare (409) waits for the far end's offer before it fails. */
export const glareWait = 10_000

/** What a local re-offer does to the peer before its offer, and after the far end answered. */
interface ReofferPlan {
  readonly operation: ReofferOperation
  /** Changes the peer (directions, tracks); emits how to undo the change if the operation fails. */
  readonly prepare: (peer: Peer, call: CallRecord) => Observable<() => void>
  /** The bandwidth the offer asks for, which `reofferAnswered` then settles; the call's when left out. */
  readonly bandwidth?: (call: CallRecord) => Bandwidth
  /** After the answer was applied: what `reofferAnswered`, which completes the operation, says besides (and any effect first). */
  readonly answered?: (call: CallRecord) => Pick<Extract<CallEvent, { type: 'reofferAnswered' }>, 'trackIds' | 'mediaId'>
}

/** The renegotiation steps the mid-call operations share (protocol/calls.md §7, §8). */
export type Renegotiation = ReturnType<typeof createRenegotiation>

type RenegotiationDeps = Pick<CallEngine, 'store' | 'runtimes' | 'signalling' | 'link' | 'logger' | 'environment'>

/** Sends an offer (`sent$`), then emits the far end's answer: awaited on the call's runtime from before sending until it comes or either step fails (an error after `reofferAnswerTimeout`). */
const answerTo = ({ runtimes, environment }: RenegotiationDeps, callId: string, sent$: Observable<unknown>): Observable<string> =>
  defer(() => {
    const runtime = runtimes.runtime(callId)
    const answer = new AsyncSubject<string>()
    const receive = (sdp: string): void => {
      runtime.awaitingAnswer = undefined
      answer.next(sdp)
      answer.complete()
    }
    runtime.awaitingAnswer = receive
    const late = () => throwError(() => new BasicError(errorCodes.call.GENERIC_ERROR, `Call ${callId}: the far end did not answer the re-offer within ${reofferAnswerTimeout / 1000} s.`))
    const answer$ = answer.pipe(timeout({ first: reofferAnswerTimeout, scheduler: environment.scheduler, with: late }))
    return concat(sent$.pipe(ignoreElements()), answer$).pipe(
      finalize(() => {
        if (runtime.awaitingAnswer === receive) runtime.awaitingAnswer = undefined
      }),
    )
  })

/** The call's re-offers, one at a time in its negotiation queue, with one retry after a glare. */
export function createRenegotiation(deps: RenegotiationDeps) {
  const { store, runtimes, signalling, link, logger } = deps
  const scopeOf = (): CallScope => {
    const scope = signalling.scope()
    if (E.isLeft(scope)) throw scope.left
    return scope.right
  }
  /** The far end's last SDP that says what it wants (taken from the peer the first time). */
  const intentOf = (callId: string): string => {
    const runtime = runtimes.runtime(callId)
    runtime.remoteIntent ??= runtime.peer?.connection.remoteDescription?.sdp
    return runtime.remoteIntent ?? ''
  }

  /** Runs a task in the call's negotiation queue, or at once when the call is not live (it is then refused). */
  const whenIdle = (callId: string, task: NegotiationTask): void => {
    if (store.isLive(callId)) runtimes.runtime(callId).negotiation.local(task)
    else task().subscribe()
  }

  /** Offer → PUT update → the answer; a failure rolls the peer back and undoes the plan's change. */
  const reoffer = (callId: string, plan: ReofferPlan): NegotiationTask => {
    const fail = (error: unknown): void => void store.dispatch({ type: 'reofferFailed', callId, operation: plan.operation, error: asCallError(error) })
    const rolledBack = (peer: Peer, undo: () => void, error: unknown, retried: boolean): Observable<unknown> =>
      peer.rollback().pipe(
        catchError((rollbackError: unknown) => {
          logger.warn(`Call ${callId}: could not roll back the ${plan.operation} offer`, rollbackError)
          return of(undefined)
        }),
        tap(() => {
          undo()
          if (!store.isLive(callId)) return
          if (retried || httpStatusOf(error) !== 409) return fail(error)
          logger.info(`Call ${callId}: ${plan.operation} met the far end's re-offer (glare); retrying once after it`)
          runtimes.runtime(callId).negotiation.retryAfterRemote(attempt(true), () => fail(error), glareWait)
        }),
      )
    const attempt =
      (retried: boolean): NegotiationTask =>
      () =>
        defer(() => {
          const call = store.liveOf(callId)
          if (call === undefined || call.operation !== plan.operation) return EMPTY
          const peer = runtimes.peerOf(callId)
          const scope = scopeOf()
          const bandwidth = plan.bandwidth?.(call)
          intentOf(callId)
          let undo = (): void => undefined
          return plan.prepare(peer, call).pipe(
            switchMap((undoing) => {
              undo = undoing
              return signalling.localSdp(peer, 'offer', bandwidth ?? call.bandwidth)
            }),
            switchMap((offer) => answerTo(deps, callId, updateSession(link, scope, call.wrtcsSessionId ?? '', offer))),
            switchMap((answer) => signalling.remoteSdp(peer, 'answer', answer, call.direction).pipe(map(() => answer))),
            // After a glare's rollback, Chromium sends no video until the senders' tracks are set again (Peer.reattachSenders).
            switchMap((answer) => (retried ? peer.reattachSenders().pipe(map(() => answer)) : of(answer))),
            tap((answer) => {
              if (plan.operation !== 'hold') runtimes.runtime(callId).remoteIntent = answer
              store.dispatch({ type: 'reofferAnswered', callId, operation: plan.operation, ...plan.answered?.(call), ...definedFields({ bandwidth }) })
            }),
            catchError((error: unknown) => rolledBack(peer, undo, error, retried)),
          )
        }).pipe(catchError((error: unknown) => (fail(error), EMPTY)))
    return attempt(false)
  }

  /** Queues a local re-offer; the request is checked when its turn comes (the call's state then). */
  const queue = (callId: string, plan: ReofferPlan, trackIds?: readonly string[]): void => {
    const task = reoffer(callId, plan)
    const requested = { type: 'reofferRequested', callId, operation: plan.operation, ...definedFields({ trackIds }) } as const
    whenIdle(callId, () => defer(() => (store.request(requested) === undefined ? EMPTY : task())))
  }

  return { queue, whenIdle, answerTo: (callId: string, sent$: Observable<unknown>) => answerTo(deps, callId, sent$), intentOf, scopeOf }
}
