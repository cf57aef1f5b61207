import * as E from 'fp-ts/Either'
import { EMPTY, catchError, tap, type Observable } from 'rxjs'
import type { AnswerNotification } from '../codecs.js'
import { asCallError, endSessionOf, failCall, type CallEngine } from '../engine.js'
import type { CallRecord } from '../model.js'
import { awaitsAnswer } from '../steps.js'

/** A remote answer (notifications.md §4.2, §4.3): completes the call, or answers a re-offer of ours in flight. */
export function createRemoteAnswer(engine: Pick<CallEngine, 'store' | 'runtimes' | 'signalling' | 'link' | 'logger' | 'running' | 'now'>, startAudit: (callId: string) => void) {
  const { store, runtimes, signalling, logger, now } = engine
  return (call: CallRecord, notification: AnswerNotification): Observable<unknown> => {
    const runtime = runtimes.find(call.id)
    const awaiting = awaitsAnswer(call)
    const reoffered = runtime?.awaitingAnswer
    if (!awaiting && reoffered !== undefined) {
      reoffered(notification.answer.sdp)
      return EMPTY
    }
    if (!awaiting || runtime?.peer === undefined) {
      logger.debug(`Call ${call.id}: an answer is not expected in state ${call.state}; ignored`)
      return EMPTY
    }
    return signalling.remoteSdp(runtime.peer, 'answer', notification.answer.sdp, call.direction).pipe(
      tap(() => {
        store.dispatch({ type: 'remoteAnswered', callId: call.id, at: now() })
        startAudit(call.id)
      }),
      catchError((error: unknown) => {
        failCall(engine, call.id, asCallError(error))
        const where = signalling.scope()
        if (E.isRight(where)) endSessionOf(engine, where.right, call.wrtcsSessionId ?? '')
        return EMPTY
      }),
    )
  }
}
