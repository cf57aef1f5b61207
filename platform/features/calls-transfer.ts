import type { Account, PlatformContext, PlatformReply } from '../context.js'
import { notFound } from '../context.js'
import { badInput } from '../errors.js'
import { TransferRequest, type CallNotificationFrame } from '../../streams/call/codecs.js'
import type { Party, PlatformCall } from './calls.js'

// Consultative transfer (`protocol/calls.md` §11): `PUT …/sessions/<id>/transfer` with the other
// session of the same user. The platform re-pairs the two remote parties' sessions as one call
// and bridges their signalling: the first gets an offer-less re-offer (§8.2), its offer goes to
// the second as an ordinary re-offer (§8.1, a new `o=` line: its peer connection is recreated),
// and the second's answer comes back to the first (`wrtcsAnswerNotification`). Their media then
// flows directly. The transferring user's two sessions end with `SessionEnded` 9905.

/** What `SessionEnded` tells the transferring user (calls.md §11, events.md §6 transition). */
export const transferSucceeded = { statusCode: 9905, reasonText: 'Transfer Successful' } as const

/** The session table of the calls module, as the transfer route needs it (`platform/features/calls.ts`). */
export interface CallSessions {
  /** `/cpaas/webrtcsignaling/:version/:userId`. */
  readonly base: string
  /** The live or ended session of the path, if it belongs to `user`. */
  owned(user: Account, sessionId: string | undefined): { readonly call: PlatformCall; readonly party: Party } | undefined
  /** The other party of a session's call. */
  peerOf(call: PlatformCall, party: Party): Party
  /** Makes both sessions of `call` refer to it (later requests and audits of either session act on it). */
  register(call: PlatformCall): void
  /** Ends a call once (timers stop, its sessions are remembered for a while); tells nobody. */
  end(call: PlatformCall): void
  send(to: Party, frame: CallNotificationFrame): void
  link(to: Party): Array<{ rel: string; href: string }>
  /** 409: an offer is in flight on the session (SIP 491 Request Pending). */
  requestPending(sessionId: string): PlatformReply
}

const bare = (address: string): string => address.replace(/^(sips?|tel):/i, '')

/** Registers `PUT …/sessions/:sessionId/transfer` on the calls module's sessions. */
export function transferRoutes(ctx: PlatformContext, calls: CallSessions): void {
  ctx.route('PUT', `${calls.base}/sessions/:sessionId/transfer`, { body: TransferRequest }, ({ body, user, params }) => {
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
      if (call.pending !== undefined) return calls.requestPending(id)
    }

    const transferee = calls.peerOf(here.call, here.party)
    const target = calls.peerOf(there.call, there.party)
    const addressed = ctx.accounts.find(address) ?? ctx.accounts.find(bare(address).split('@')[0] ?? '')
    if (addressed?.userId !== target.account.userId)
      return badInput(`wrtcsTransfer.address: ${address} is not the remote party of session ${otherId}`)

    // The transferee offers first (it has no SDP to answer), the target answers.
    const paired: PlatformCall = {
      caller: { role: 'caller', account: transferee.account, sessionId: transferee.sessionId },
      callee: { role: 'callee', account: target.account, sessionId: target.sessionId },
      phase: 'connected',
      slowStart: false,
      pending: { answerer: 'caller', kind: 'wrtcsOfferNotification' },
      timer: undefined,
    }
    calls.end(here.call)
    calls.end(there.call)
    calls.register(paired)
    calls.send(paired.caller, { wrtcsOfferNotification: { offer: {}, link: calls.link(paired.caller) } })
    for (const party of [here.party, there.party])
      calls.send(party, { wrtcsEventNotification: { eventType: 'SessionEnded', link: calls.link(party), ...transferSucceeded } })
    ctx.log(`call transfer by ${user.userId}: ${transferee.account.userId} (${transferee.sessionId}) ↔ ${target.account.userId} (${target.sessionId})`)
    return { status: 204 }
  })
}
