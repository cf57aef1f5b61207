import { entryOf } from '../record.js'
import { callStates, type CallRecord, type CallsReducer, type CallsState, type CallsStep, type EventOf, type Transition } from './model.js'
import { finish, liveCall, pairRefusal, put, refused, stateChanged } from './steps.js'

// Consultative transfer (protocol/calls.md §11, api-reference `call.consultativeTransfer`): both calls locally held, `PUT …/sessions/<id>/transfer`
// names the other call's session and remote address; the platform connects the two remote parties (they see ordinary re-offers) and ends both of
// this user's sessions: `SessionEnded` while the transfer is pending completes it.

/** The transition of both calls once the platform ended them (calls.md §11). */
export const transferSucceeded: Transition = { statusCode: 9905, reasonText: 'Transfer Successful' }
/** The transition of both calls when the platform refused the transfer (they stay held). */
export const transferFailed: Transition = { statusCode: -1, reasonText: 'Transfer Failed' }

/** Both calls marked as being transferred, or the refusal on the first one. */
function requestTransfer(state: CallsState, event: EventOf['transferRequested']): CallsStep {
  const error = pairRefusal(state, event.callId, event.otherCallId, 'transfer')
  if (error !== undefined) return refused(state, event.callId, 'transfer', error)
  const marked = [event.callId, event.otherCallId].reduce((next, id) => put(next, { ...(entryOf(next.calls, id) as CallRecord), operation: 'transfer' }), state)
  return { state: marked, outputs: [] }
}

/** Both calls unmarked, each with the error and "Transfer Failed". */
function failTransfer(state: CallsState, event: EventOf['transferFailed']): CallsStep {
  const marked = [event.callId, event.otherCallId].flatMap((id) => liveCall(state, id) ?? []).filter((call) => call.operation === 'transfer')
  return {
    state: marked.reduce((next, call) => put(next, { ...call, operation: undefined }), state),
    outputs: marked.map((call) => stateChanged(call, { transition: transferFailed, error: event.error })),
  }
}

/**
 * The call machine with consultative transfers: `transferRequested` marks both calls (else refused, `call:7` / `call:6`), `transferFailed` unmarks
 * them with the error and "Transfer Failed", and `SessionEnded` on a marked call ends it with "Transfer Successful" (9905).
 */
export const withTransfers =
  (reducer: CallsReducer): CallsReducer =>
  (state, event) => {
    if (event.type === 'transferRequested') return requestTransfer(state, event)
    if (event.type === 'transferFailed') return failTransfer(state, event)
    const call = event.type === 'remoteEnded' ? liveCall(state, event.callId) : undefined
    if (event.type === 'remoteEnded' && call?.operation === 'transfer')
      return finish(state, call, callStates.ENDED, event.at, { transition: transferSucceeded })
    return reducer(state, event)
  }

/** The address of the far end of a call, as the transfer request names it (`sip:user@domain`). */
export function remoteAddressOf(call: CallRecord): string {
  const address = (call.direction === 'outgoing' ? call.to : call.from) ?? call.remoteParticipant.displayNumber ?? ''
  return /^(sips?|tel):/i.test(address) ? address : `sip:${address}`
}
