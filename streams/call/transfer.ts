import * as E from 'fp-ts/Either'
import { EMPTY, catchError, defaultIfEmpty, defer, map, type Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { BasicError, errorCodes, isBasicError, shown } from '../errors.js'
import type { TransferRequest } from './codecs.js'
import type { CallContext } from './context.js'
import type { CallScope } from './requests.js'
import {
  callStates,
  finish,
  invalidState,
  isTerminal,
  put,
  refusalOf,
  snapshot,
  unknownCall,
  type CallEvent,
  type CallRecord,
  type CallsState,
  type CallsStep,
  type Transition,
} from './state.js'
import { entryOf } from '../record.js'

// Consultative transfer (protocol/calls.md §11, api-reference `call.consultativeTransfer`): both
// calls locally held; `PUT …/sessions/<id>/transfer` names the other call's session and remote
// address; the platform connects the two remote parties (they see ordinary re-offers) and ends
// both of this user's sessions, and `SessionEnded` while the transfer is pending completes it.

/** The transition of both calls once the platform ended them (calls.md §11). */
export const transferSucceeded: Transition = { statusCode: 9905, reasonText: 'Transfer Successful' }
/** The transition of both calls when the platform refused the transfer (they stay held). */
export const transferFailed: Transition = { statusCode: -1, reasonText: 'Transfer Failed' }

export type TransferEvent =
  | { readonly type: 'transferRequested'; readonly callId: string; readonly otherCallId: string }
  | { readonly type: 'transferFailed'; readonly callId: string; readonly otherCallId: string; readonly error: BasicError }

type Reducer = (state: CallsState, event: CallEvent) => CallsStep

const isAnswered = (call: CallRecord): boolean => call.state === callStates.CONNECTED || call.state === callStates.ON_HOLD

/** Why two calls cannot be transferred to each other now, or undefined. */
function transferRefusal(state: CallsState, callId: string, otherCallId: string): BasicError | undefined {
  if (callId === otherCallId) return new BasicError(errorCodes.call.INVALID_PARAM, `A transfer needs two different calls; both ids are "${callId}".`)
  for (const id of [callId, otherCallId]) {
    const call = entryOf(state.calls, id)
    if (call === undefined) return unknownCall(id)
    const transferable = isAnswered(call) && call.localHold === true && call.operation === undefined && call.wrtcsSessionId !== undefined && call.joinedInto === undefined
    if (!transferable) return invalidState(call, 'transfer', 'a locally held call with no operation in progress')
  }
  return undefined
}

/**
 * The call machine with consultative transfers: `transferRequested` marks both calls (refused
 * with `call:7` / `call:6` otherwise), `transferFailed` unmarks them with an error and the
 * "Transfer Failed" transition, and `SessionEnded` on a marked call ends it with
 * "Transfer Successful" (9905).
 */
export const withTransfers =
  (reducer: Reducer): Reducer =>
  (state, event) => {
    switch (event.type) {
      case 'transferRequested': {
        const error = transferRefusal(state, event.callId, event.otherCallId)
        const call = entryOf(state.calls, event.callId)
        if (error !== undefined)
          return { state, outputs: [{ type: 'stateChanged', callId: event.callId, previous: call === undefined ? undefined : snapshot(call), transition: undefined, error }] }
        const other = entryOf(state.calls, event.otherCallId) as CallRecord
        return { state: put(put(state, { ...(call as CallRecord), operation: 'transfer' }), { ...other, operation: 'transfer' }), outputs: [] }
      }
      case 'transferFailed': {
        let next = state
        const outputs: CallsStep['outputs'][number][] = []
        for (const id of [event.callId, event.otherCallId]) {
          const call = entryOf(next.calls, id)
          if (call === undefined || call.operation !== 'transfer' || isTerminal(call.state)) continue
          next = put(next, { ...call, operation: undefined })
          outputs.push({ type: 'stateChanged', callId: id, previous: snapshot(call), transition: transferFailed, error: event.error })
        }
        return { state: next, outputs }
      }
      case 'remoteEnded': {
        const call = entryOf(state.calls, event.callId)
        if (call?.operation === 'transfer' && !isTerminal(call.state)) return finish(state, call, callStates.ENDED, event.at, { transition: transferSucceeded })
        return reducer(state, event)
      }
      default:
        return reducer(state, event)
    }
  }

/** The address of the far end of a call, as the transfer request names it (`sip:user@domain`). */
export function remoteAddressOf(call: CallRecord): string {
  const address = (call.direction === 'outgoing' ? call.to : call.from) ?? call.remoteParticipant.displayNumber ?? ''
  return /^(sips?|tel):/i.test(address) ? address : `sip:${address}`
}

/** `PUT …/sessions/<id>/transfer` (calls.md §11); a 2xx only means "accepted", `SessionEnded` completes it. */
export function transferSession(link: PlatformLink, scope: CallScope, sessionId: string, address: string, otherSessionId: string): Observable<void> {
  const body: TransferRequest = {
    wrtcsTransfer: { ...(scope.clientCorrelator === undefined ? {} : { clientCorrelator: scope.clientCorrelator }), address, sessionId: otherSessionId },
  }
  return link
    .request({ method: 'PUT', path: `/cpaas/webrtcsignaling/${scope.version}/${scope.userId}/sessions/${sessionId}/transfer`, body, operation: 'Transfer session' })
    .pipe(
      map(() => undefined),
      defaultIfEmpty(undefined),
    )
}

export interface TransferCommands {
  /** Transfers the remote party of one locally held call to the remote party of another; both calls end with "Transfer Successful". */
  readonly consultativeTransfer: (callId: unknown, otherCallId: unknown) => void
}

/** Consultative transfer over the call feature's context. */
export function createTransfer(ctx: CallContext): TransferCommands {
  const consultativeTransfer = (callId: unknown, otherCallId: unknown): void => {
    const id = shown(callId)
    const otherId = shown(otherCallId)
    if (refusalOf(ctx.dispatch({ type: 'transferRequested', callId: id, otherCallId: otherId })) !== undefined) return
    const fail = (error: unknown): void => {
      const reason = isBasicError(error) ? error : new BasicError(errorCodes.call.GENERIC_ERROR, error instanceof Error ? error.message : String(error))
      ctx.logger.warn(`Calls ${id} and ${otherId}: transfer failed`, reason)
      ctx.dispatch({ type: 'transferFailed', callId: id, otherCallId: otherId, error: reason })
    }
    // After any renegotiation of the call in flight: the platform refuses a transfer while an offer waits.
    ctx.runtime(id).negotiation.local(() =>
      defer(() => {
        const call = ctx.callOf(id)
        const other = ctx.callOf(otherId)
        if (call?.operation !== 'transfer' || other?.operation !== 'transfer') return EMPTY
        const scope = ctx.scope()
        if (E.isLeft(scope)) throw scope.left
        return transferSession(ctx.link, scope.right, call.wrtcsSessionId ?? '', remoteAddressOf(other), other.wrtcsSessionId ?? '')
      }).pipe(
        catchError((error: unknown) => {
          fail(error)
          return EMPTY
        }),
      ),
    )
  }
  return { consultativeTransfer }
}
