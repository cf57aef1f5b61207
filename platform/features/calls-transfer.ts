import type { PlatformContext } from '../context.js'
import { notFound } from '../context.js'
import { badInput } from '../errors.js'
import { TransferRequest } from '../../streams/call/codecs.js'
import { addressed, callsBase, peerOf, requestPending, type CallSessions, type PlatformCall } from './call-sessions.js'

// Consultative transfer (`protocol/calls.md` §11): `PUT …/sessions/<id>/transfer` with the other
// session of the same user. The platform re-pairs the two remote parties' sessions as one call
// and bridges their signalling: the first gets an offer-less re-offer (§8.2), its offer goes to
// the second as an ordinary re-offer (§8.1, a new `o=` line: its peer connection is recreated),
// and the second's answer comes back to the first (`wrtcsAnswerNotification`). Their media then
// flows directly. The transferring user's two sessions end with `SessionEnded` 9905.

/** What `SessionEnded` tells the transferring user (calls.md §11, events.md §6 transition). */
export const transferSucceeded = { statusCode: 9905, reasonText: 'Transfer Successful' } as const

/** Registers `PUT …/sessions/:sessionId/transfer` on the calls module's sessions. */
export function transferRoute(ctx: PlatformContext, calls: CallSessions): void {
  ctx.route('PUT', `${callsBase}/sessions/:sessionId/transfer`, { body: TransferRequest }, ({ body, user, params }) => {
    const { address, sessionId: otherId } = body.wrtcsTransfer
    const sessionId = params.sessionId ?? ''
    const here = calls.owned(user, sessionId)
    if (here === undefined || here.call.phase === 'ended') return notFound(sessionId)
    if (otherId === undefined)
      return badInput('wrtcsTransfer.sessionId: the local platform only does consultative transfers (the other call’s session id)')
    const there = calls.owned(user, otherId)
    if (there === undefined || there.call.phase === 'ended') return notFound(otherId)
    if (there.call === here.call) return badInput('wrtcsTransfer.sessionId: the session being transferred itself')
    for (const [id, { call }] of [[sessionId, here], [otherId, there]] as const) {
      if (call.phase !== 'connected') return badInput(`wrtcsTransfer: session ${id} is not answered yet`)
      if (call.pending !== undefined) return requestPending(id)
    }

    const transferee = peerOf(here.call, here.party)
    const target = peerOf(there.call, there.party)
    if (addressed(ctx, address)?.userId !== target.account.userId)
      return badInput(`wrtcsTransfer.address: ${address} is not the remote party of session ${otherId}`)

    // The transferee offers first (it has no SDP to answer), the target answers.
    const paired: PlatformCall = {
      caller: { role: 'caller', account: transferee.account, sessionId: transferee.sessionId, device: transferee.device },
      callee: { role: 'callee', account: target.account, sessionId: target.sessionId, device: target.device },
      phase: 'connected',
      slowStart: false,
      pending: { answerer: 'caller', kind: 'wrtcsOfferNotification' },
      timer: undefined,
      ringingDevices: new Map(),
    }
    calls.end(here.call)
    calls.end(there.call)
    calls.register(paired)
    for (const party of [paired.caller, paired.callee]) calls.heard(paired, party)
    calls.send(paired.caller, { wrtcsOfferNotification: { offer: {}, link: calls.link(paired.caller) } })
    for (const party of [here.party, there.party]) calls.event(party, 'SessionEnded', transferSucceeded)
    ctx.log(`call transfer by ${user.userId}: ${transferee.account.userId} (${transferee.sessionId}) ↔ ${target.account.userId} (${target.sessionId})`)
    return { status: 204 }
  })
}
