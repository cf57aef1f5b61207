import { of } from 'rxjs'
import type { Renegotiation } from './reoffer.js'
import { direct, openDirection } from './transceivers.js'

/** Hold and unhold (calls.md §7): every transceiver inactive, then back to what the call sends and receives. */
export function createHold(renegotiation: Pick<Renegotiation, 'queue'>) {
  const held = (operation: 'hold' | 'unhold') => (callId: string) =>
    renegotiation.queue(callId, { operation, prepare: (peer) => of(direct(peer, operation === 'hold' ? () => 'inactive' : openDirection)) })
  return { hold: held('hold'), unhold: held('unhold') }
}
