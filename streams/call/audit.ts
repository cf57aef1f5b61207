import * as E from 'fp-ts/Either'
import { EMPTY, catchError, expand, filter, map, of, switchMap, tap, timer, type Observable } from 'rxjs'
import { endCall, type CallEngine } from './engine.js'
import { reportStatus } from './requests.js'
import type { Transition } from './model.js'

/** How often a connected call confirms its session, and how soon after a failed round (calls.md §12). */
const auditInterval = 25_000
const auditRetry = 5_000

const auditFailure: Transition = { statusCode: 9909, reasonText: 'Call has ended due to call audit failure.' }

/**
 * Audits of answered calls: a call whose session the platform no longer knows ends. Returns `startAudit(callId)`.
 * The audit is the call's own effect: every ending releases the call's runtime first, which stops it.
 */
export function createAudit(engine: Pick<CallEngine, 'store' | 'runtimes' | 'signalling' | 'link' | 'environment' | 'logger' | 'now'>) {
  const { store, runtimes, signalling, link, environment, logger, now } = engine
  return (callId: string): void => {
    const where = signalling.scope()
    const sessionId = store.callOf(callId)?.wrtcsSessionId
    if (E.isLeft(where) || sessionId === undefined) return
    /** One round after `delay`: emits the delay of the next round, 0 when the platform closed the session. */
    const round = (delay: number): Observable<number> =>
      timer(delay, environment.scheduler).pipe(
        switchMap(() =>
          reportStatus(link, where.right, sessionId, 'Connected').pipe(
            map((status) => (status === 'Closed' ? 0 : auditInterval)),
            catchError(() => of(auditRetry)),
          ),
        ),
      )
    const ended$ = round(auditInterval).pipe(
      expand((delay) => (delay === 0 ? EMPTY : round(delay))),
      filter((delay) => delay === 0),
      tap(() => {
        logger.warn(`Call ${callId}: the platform no longer knows its session; ending it`)
        endCall(engine, { type: 'remoteEnded', callId, at: now(), transition: auditFailure })
      }),
    )
    runtimes.own(callId, ended$)
  }
}
