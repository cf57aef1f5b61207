import * as E from 'fp-ts/Either'
import { EMPTY, catchError, defer, type Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { shown, type BasicError } from '../errors.js'
import type { Logger } from '../logs/logger.js'
import { entryOf } from '../record.js'
import { asCallError } from './engine.js'
import type { CallsStore } from './model.js'
import { transferSession, type CallScope } from './requests.js'
import { refusalOf } from './steps.js'
import { remoteAddressOf } from './transfer.js'

interface TransferEngine {
  readonly store: Pick<CallsStore, 'dispatch' | 'current'>
  readonly link: PlatformLink
  readonly scope: () => E.Either<BasicError, CallScope>
  /** Runs a task of a call once its renegotiation in flight is done (its negotiation queue). */
  readonly afterNegotiation: (callId: string, task: () => Observable<unknown>) => void
  readonly logger: Pick<Logger, 'warn'>
}

interface TransferCommands {
  /** Transfers the remote party of one locally held call to the remote party of another; both calls end with "Transfer Successful". */
  readonly consultativeTransfer: (callId: string, otherCallId: string) => void
}

/** Consultative transfer: the request goes out once both calls are marked, and a failure unmarks them. */
export function createTransfer({ store, link, scope, afterNegotiation, logger }: TransferEngine): TransferCommands {
  const consultativeTransfer = (appCallId: string, appOtherCallId: string): void => {
    // The documented API passes ids on unchecked: as text, whatever an app gave.
    const [callId, otherCallId] = [shown(appCallId), shown(appOtherCallId)]
    if (refusalOf(store.dispatch({ type: 'transferRequested', callId, otherCallId })) !== undefined) return
    const fail = (error: unknown): Observable<never> => {
      const reason = asCallError(error)
      logger.warn(`Calls ${callId} and ${otherCallId}: transfer failed`, reason)
      store.dispatch({ type: 'transferFailed', callId, otherCallId, error: reason })
      return EMPTY
    }
    // After any renegotiation of the call in flight: the platform refuses a transfer while an offer waits.
    afterNegotiation(callId, () =>
      defer(() => {
        const { calls } = store.current()
        const call = entryOf(calls, callId)
        const other = entryOf(calls, otherCallId)
        if (call?.operation !== 'transfer' || other?.operation !== 'transfer') return EMPTY
        const where = scope()
        if (E.isLeft(where)) throw where.left
        return transferSession(link, where.right, call.wrtcsSessionId ?? '', remoteAddressOf(other), other.wrtcsSessionId ?? '')
      }).pipe(catchError(fail)),
    )
  }
  return { consultativeTransfer }
}
