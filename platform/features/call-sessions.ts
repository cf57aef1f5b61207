import type { Account, PlatformContext, PlatformReply } from '../context.js'
import { serviceError } from '../context.js'
import type { CallNotificationFrame } from '../../streams/call/codecs.js'
import type { DeviceFilter } from '../devices.js'
import type { ClockTimer } from '../clock.js'
import { timeouts, type Timeouts } from '../timers.js'

// The calls module's model: two parties, each with its own session id, and who owes an answer.
// The routes (`calls.ts`) and transfer (`calls-transfer.ts`) both work on this table.

export type Role = 'caller' | 'callee'

export interface Party {
  readonly role: Role
  readonly account: Account
  readonly sessionId: string
  /** The device that answered (its `clientCorrelator`), once a callee answered from one: later notifications go to it alone. */
  device?: string
  /** Ends the call when the party has been silent (no audit, no request) for the audit timeout; only while the call is connected. */
  watchdog?: ClockTimer
}

/**
 * What the party `answerer` owes: an answer to an offer, delivered to the other party as `kind`;
 * `wrtcsOfferNotification`: its "answer" is an offer (to an offer-less re-offer, calls.md §8.2),
 * relayed to the other party as a re-offer, which then owes the answer (transfer).
 */
export interface PendingAnswer {
  readonly answerer: Role
  readonly kind: 'wrtcsAcceptanceNotification' | 'wrtcsAnswerNotification' | 'wrtcsOfferNotification'
}

export interface PlatformCall {
  readonly caller: Party
  readonly callee: Party
  phase: 'ringing' | 'connected' | 'ended'
  /** Offer-less invitation (the caller is a gateway): the callee answers with an offer (calls.md §6). */
  readonly slowStart: boolean
  pending: PendingAnswer | undefined
  timer: ClockTimer | undefined
  /**
   * The callee's devices that reported `Ringing`: the access token of the report → its `clientCorrelator`
   * (undefined when two devices reported with one token). A reject (a DELETE, which names no device) is told apart by its token.
   */
  readonly ringingDevices: Map<string, string | undefined>
}

/** A session of the table: its call and which party of it the session is. */
export interface OwnedSession {
  readonly call: PlatformCall
  readonly party: Party
}

/** The calls module's subtree: `/cpaas/webrtcsignaling/:version/:userId`. */
export const callsBase = '/cpaas/webrtcsignaling/:version/:userId'

/** The other party of a session's call. */
export const peerOf = (call: PlatformCall, party: Party): Party => (party.role === 'caller' ? call.callee : call.caller)

/** Busy with an offer in flight (SIP 491 Request Pending). */
export const requestPending = (sessionId: string): PlatformReply =>
  serviceError(409, 'SVC0001', 'A service error occurred. Error code is %1', [`491 Request Pending on session ${sessionId}`])

/** The account an address names: as given, or by the user part of a `sip:` / `tel:` URI. */
export const addressed = (ctx: PlatformContext, address: string): Account | undefined =>
  ctx.accounts.find(address) ?? ctx.accounts.find(address.replace(/^(sips?|tel):/i, '').split('@')[0] ?? '')

/** The session table of the calls module, with the notifications every route sends. */
export interface CallSessions {
  /** The live or ended session of the path, if it belongs to `user`. */
  owned(user: Account, sessionId: string | undefined): OwnedSession | undefined
  /** Makes both sessions of `call` refer to it (later requests and audits of either session act on it). */
  register(call: PlatformCall): void
  /** Ends a live call (timers stop, its sessions are remembered for a while); tells nobody. Callers never pass an ended call. */
  end(call: PlatformCall): void
  /**
   * The party of a connected call was heard from (an audit, an answer, a re-offer): its watchdog starts over. A party silent for the
   * audit timeout is gone (its page closed, its network lost for good): both parties get `SessionEnded` and the call ends.
   */
  heard(call: PlatformCall, party: Party): void
  send(to: Party, frame: CallNotificationFrame): void
  link(to: Party): Array<{ rel: string; href: string }>
  /** A `wrtcsEventNotification` to one party. */
  event(to: Party, eventType: 'Ringing' | 'SessionEnded' | 'Cancelled', reason?: { statusCode: number; reasonText: string }): void
  /**
   * `Cancelled` to the devices of `party` other than `device`, the one it answered or rejected from (they rang too);
   * nobody when that device is unknown (undefined, or no channel of the party carries it).
   */
  stopRinging(party: Party, device: string | undefined): void
  readonly timers: Timeouts
  /** Forgets every session and stops every timer (module stop). */
  stop(): void
}

/** The resource path of a party's session (`resourceURL`, notification links). */
export const sessionPath = (party: Party): string => `/cpaas/webrtcsignaling/v1/${party.account.userId}/sessions/${party.sessionId}`

/** What `SessionEnded` tells both parties of a call that one of them stopped auditing. */
export const auditTimedOut = { statusCode: 408, reasonText: 'Session audit timed out' } as const

/**
 * The session table; an ended call's sessions are forgotten `endedRetention` ms after it ended, a connected call ends when one of its
 * parties is silent for `auditTimeout` ms.
 */
export function callSessions(ctx: PlatformContext, endedRetention: number, auditTimeout: number): CallSessions {
  const sessions = new Map<string, OwnedSession>()
  const timers = timeouts(ctx.clock)
  const link = (to: Party) => [{ rel: 'webrtcSession', href: sessionPath(to) }]
  const notify = (to: Party, frame: CallNotificationFrame, devices: DeviceFilter | undefined): void =>
    ctx.notify(to.account.userId, 'call', frame as unknown as Record<string, Record<string, unknown>>, devices)
  const send = (to: Party, frame: CallNotificationFrame): void => notify(to, frame, to.device === undefined ? undefined : { only: to.device })
  const event: CallSessions['event'] = (to, eventType, reason) => send(to, { wrtcsEventNotification: { eventType, link: link(to), ...reason } })
  const end = (call: PlatformCall): void => {
    call.phase = 'ended'
    timers.cancel(call.timer)
    for (const party of [call.caller, call.callee]) timers.cancel(party.watchdog)
    call.timer = timers.later(endedRetention, () => {
      // A transferred session belongs to another call by now.
      for (const { sessionId } of [call.caller, call.callee]) if (sessions.get(sessionId)?.call === call) sessions.delete(sessionId)
    })
  }
  const gone = (call: PlatformCall, party: Party): void => {
    ctx.log(`call ${party.sessionId}: ${party.account.userId} silent for ${auditTimeout} ms, the call ends`)
    for (const to of [call.caller, call.callee]) event(to, 'SessionEnded', auditTimedOut)
    end(call)
  }
  return {
    owned: (user, sessionId) => {
      const found = sessionId === undefined ? undefined : sessions.get(sessionId)
      return found !== undefined && found.party.account.userId === user.userId ? found : undefined
    },
    register: (call) => {
      for (const party of [call.caller, call.callee]) sessions.set(party.sessionId, { call, party })
    },
    end,
    heard: (call, party) => {
      timers.cancel(party.watchdog)
      party.watchdog = call.phase === 'connected' ? timers.later(auditTimeout, () => gone(call, party)) : undefined
    },
    send,
    link,
    event,
    stopRinging: (party, device) => {
      if (device !== undefined) notify(party, { wrtcsEventNotification: { eventType: 'Cancelled', link: link(party) } }, { except: device })
    },
    timers,
    stop: () => {
      timers.clear()
      sessions.clear()
    },
  }
}
