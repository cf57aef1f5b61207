import * as E from 'fp-ts/Either'
import { EMPTY, catchError, defer, type Observable } from 'rxjs'
import { BasicError, errorCodes, shown } from '../errors.js'
import { asCallError, type CallEngine } from './engine.js'
import { transferSession } from './requests.js'
import { remoteAddressOf } from './transfer.js'

/** Consultative transfer: the request goes out once both calls are marked, and a failure unmarks them. */
export function createTransfer({ store, link, signalling, runtimes, logger }: Pick<CallEngine, 'store' | 'link' | 'signalling' | 'runtimes' | 'logger'>) {
  return (appCallId: string, appOtherCallId: string): void => {
    // The documented API passes ids on unchecked: as text, whatever an app gave.
    const [callId, otherCallId] = [shown(appCallId), shown(appOtherCallId)]
    if (store.request({ type: 'transferRequested', callId, otherCallId }) === undefined) return
    const fail = (error: unknown): Observable<never> => {
      const reason = asCallError(error)
      logger.warn(`Calls ${callId} and ${otherCallId}: transfer failed`, reason)
      store.dispatch({ type: 'transferFailed', callId, otherCallId, error: reason })
      return EMPTY
    }
    // After any renegotiation of the call in flight: the platform refuses a transfer while an offer waits.
    runtimes.runtime(callId).negotiation.local(() =>
      defer(() => {
        const call = store.callOf(callId)
        const other = store.callOf(otherCallId)
        // A call that ended (or is ending) while the transfer waited: the call left is freed with the failure.
        if (call?.operation !== 'transfer' || other?.operation !== 'transfer')
          throw new BasicError(errorCodes.call.INVALID_STATE, `Calls ${callId} and ${otherCallId} cannot be transferred: one of them ended while the transfer waited.`)
        const where = signalling.scope()
        if (E.isLeft(where)) throw where.left
        return transferSession(link, where.right, call.wrtcsSessionId ?? '', remoteAddressOf(other), other.wrtcsSessionId ?? '')
      }).pipe(catchError(fail)),
    )
  }
}
