import { of } from 'rxjs'
import type { CallEngine } from '../engine.js'
import type { Renegotiation } from './reoffer.js'
import { direct, openDirection } from './transceivers.js'

/** Hold and unhold (calls.md §7): every transceiver inactive, then back to what the call sends and receives. */
export function createHold({ store }: Pick<CallEngine, 'store'>, renegotiation: Pick<Renegotiation, 'queue'>) {
  const held = (operation: 'hold' | 'unhold') => (callId: string) =>
    renegotiation.queue(callId, {
      operation,
      prepare: (peer) => of(direct(peer, operation === 'hold' ? () => 'inactive' : openDirection)),
      bandwidth: (call) => call.bandwidth,
      succeed: (call) => void store.dispatch({ type: 'reofferAnswered', callId: call.id, operation }),
    })
  return { hold: held('hold'), unhold: held('unhold') }
}
