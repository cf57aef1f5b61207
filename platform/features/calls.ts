import type { Account, PlatformContext, PlatformFeature, PlatformReply } from '../context.js'
import { notFound, serviceError } from '../context.js'
import { badInput } from '../errors.js'
import {
  AnswerRequest,
  CreateSessionRequest,
  OfferRequest,
  SessionStatusRequest,
  type CallNotificationFrame,
} from '../../streams/call/codecs.js'
import { transferRoutes } from './calls-transfer.js'

// WebRTC signalling (`protocol/calls.md` §16, `notifications.md` §9): a relay between two
// parties, each with its own session id. SDPs travel verbatim; the platform only tracks who
// has to answer what, so that hold / unhold / media changes (re-offers in both directions),
// slow start and, later, transfer all reuse the same two moves: offer → answer.

export interface CallsOptions {
  /** How long an unanswered call rings before the caller gets `SessionEnded` and the callee `Cancelled` (ms; default 60 s). */
  readonly ringTimeout?: number
  /** How long before a call to a user with no `call` subscription ends with 480 Temporarily Unavailable (ms; default 1 s). */
  readonly unreachableDelay?: number
  /** How long an ended session is remembered (its DELETE still answers 204, its audit `Closed`), in ms (default 10 min). */
  readonly endedRetention?: number
}

export type Role = 'caller' | 'callee'

export interface Party {
  readonly role: Role
  readonly account: Account
  readonly sessionId: string
}

/**
 * What the party `answerer` owes: an answer to an offer, delivered to the other party as `kind`;
 * `wrtcsOfferNotification`: its "answer" is an offer (to an offer-less re-offer, calls.md §8.2),
 * relayed to the other party as a re-offer, which then owes the answer (transfer).
 */
interface PendingAnswer {
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
  timer: ReturnType<typeof setTimeout> | undefined
}

const other = (role: Role): Role => (role === 'caller' ? 'callee' : 'caller')

const sessionPath = (party: Party): string => `/cpaas/webrtcsignaling/v1/${party.account.userId}/sessions/${party.sessionId}`

const displayName = (account: Account): string | undefined => {
  const name = `${account.firstName} ${account.lastName}`.trim()
  return name === '' ? undefined : name
}

/** Busy with an offer in flight (SIP 491 Request Pending). */
const requestPending = (sessionId: string): PlatformReply =>
  serviceError(409, 'SVC0001', 'A service error occurred. Error code is %1', [`491 Request Pending on session ${sessionId}`])

/** The calls module with chosen timings (`callsFeature` uses the defaults). */
export function callsFeatureWith(options: CallsOptions = {}): PlatformFeature {
  const ringTimeout = options.ringTimeout ?? 60_000
  const unreachableDelay = options.unreachableDelay ?? 1_000
  const endedRetention = options.endedRetention ?? 600_000

  return (ctx: PlatformContext) => {
    const sessions = new Map<string, { readonly call: PlatformCall; readonly party: Party }>()
    const timers = new Set<ReturnType<typeof setTimeout>>()

    const later = (ms: number, run: () => void): ReturnType<typeof setTimeout> => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        run()
      }, ms)
      timer.unref?.()
      timers.add(timer)
      return timer
    }
    const cancel = (timer: ReturnType<typeof setTimeout> | undefined): void => {
      if (timer === undefined) return
      clearTimeout(timer)
      timers.delete(timer)
    }

    const partyOf = (call: PlatformCall, role: Role): Party => (role === 'caller' ? call.caller : call.callee)

    const send = (to: Party, frame: CallNotificationFrame): void =>
      ctx.notify(to.account.userId, 'call', frame as unknown as Record<string, Record<string, unknown>>)

    const link = (to: Party) => [{ rel: 'webrtcSession', href: sessionPath(to) }]

    const event = (to: Party, eventType: 'Ringing' | 'SessionEnded' | 'Cancelled', reason?: { statusCode: number; reasonText: string }): void =>
      send(to, { wrtcsEventNotification: { eventType, link: link(to), ...reason } })

    /** Ends a call once: timers stop; the sessions stay known for a while (late DELETEs, audits). */
    const end = (call: PlatformCall): void => {
      if (call.phase === 'ended') return
      call.phase = 'ended'
      call.pending = undefined
      cancel(call.timer)
      call.timer = later(endedRetention, () => {
        // A transferred session belongs to another call by now.
        for (const { sessionId } of [call.caller, call.callee]) if (sessions.get(sessionId)?.call === call) sessions.delete(sessionId)
      })
    }

    /** The session of the path, if it belongs to the requesting user. */
    const owned = (user: Account, sessionId: string | undefined) => {
      const found = sessionId === undefined ? undefined : sessions.get(sessionId)
      return found !== undefined && found.party.account.userId === user.userId ? found : undefined
    }

    const base = '/cpaas/webrtcsignaling/:version/:userId'

    ctx.route('POST', `${base}/sessions`, { body: CreateSessionRequest }, ({ body, user }) => {
      const { tParticipantAddress: address, tParticipantName: name, offer } = body.wrtcsSession
      const calleeAccount = ctx.accounts.find(address) ?? ctx.accounts.find(address.replace(/^(sips?|tel):/i, '').split('@')[0] ?? '')
      if (calleeAccount === undefined) return notFound(address)
      const call: PlatformCall = {
        caller: { role: 'caller', account: user, sessionId: ctx.id() },
        callee: { role: 'callee', account: calleeAccount, sessionId: ctx.id() },
        phase: 'ringing',
        slowStart: offer.sdp === undefined,
        pending: undefined,
        timer: undefined,
      }
      sessions.set(call.caller.sessionId, { call, party: call.caller })
      sessions.set(call.callee.sessionId, { call, party: call.callee })

      if (!ctx.subscriptions.has(calleeAccount.userId, 'call')) {
        ctx.log(`call ${call.caller.sessionId}: ${calleeAccount.userId} has no call subscription`)
        call.timer = later(unreachableDelay, () => {
          event(call.caller, 'SessionEnded', { statusCode: 480, reasonText: 'Temporarily Unavailable' })
          end(call)
        })
      } else {
        send(call.callee, {
          wrtcsSessionInvitationNotification: {
            originatorAddress: user.identity,
            ...(name === undefined && displayName(user) === undefined ? {} : { originatorName: name ?? displayName(user) }),
            offer: offer.sdp === undefined ? {} : { sdp: offer.sdp },
            link: link(call.callee),
          },
        })
        call.timer = later(ringTimeout, () => {
          if (call.phase !== 'ringing') return
          event(call.caller, 'SessionEnded', { statusCode: 408, reasonText: 'Request Timeout' })
          event(call.callee, 'Cancelled')
          end(call)
        })
      }
      return {
        status: 201,
        body: { wrtcsSession: { resourceURL: sessionPath(call.caller), tParticipantAddress: address, offer } },
      }
    })

    ctx.route('PUT', `${base}/sessions/:sessionId/status`, { body: SessionStatusRequest }, ({ body, user, params }) => {
      const found = owned(user, params.sessionId)
      const reply = (status: string): PlatformReply => ({ status: 200, body: { wrtcsSessionStatus: { status } } })
      if (found === undefined || found.call.phase === 'ended') return reply('Closed')
      const { call, party } = found
      const status = body.wrtcsSessionStatus.status
      if (status === 'Ringing' && party.role === 'callee' && call.phase === 'ringing') event(call.caller, 'Ringing')
      return reply(status === 'Ringing' ? 'Ringing' : 'Connected')
    })

    ctx.route('PUT', `${base}/sessions/:sessionId/answer`, { body: AnswerRequest }, ({ body, user, params }) => {
      const found = owned(user, params.sessionId)
      if (found === undefined || found.call.phase === 'ended') return notFound(params.sessionId ?? '')
      const { call, party } = found
      const sdp = body.wrtcsAnswer.sdp
      const to = partyOf(call, other(party.role))

      if (call.phase === 'ringing' && party.role === 'callee') {
        cancel(call.timer)
        call.timer = undefined
        call.phase = 'connected'
        if (call.slowStart) {
          // The callee's "answer" is its offer; the gateway caller answers it (calls.md §6).
          call.pending = { answerer: 'caller', kind: 'wrtcsAcceptanceNotification' }
          send(to, { wrtcsOfferNotification: { offer: { sdp }, link: link(to) } })
        } else send(to, { wrtcsAcceptanceNotification: { answer: { sdp }, link: link(to) } })
        return { status: 204 }
      }
      if (call.pending?.answerer === party.role) {
        const { kind } = call.pending
        call.pending = undefined
        if (kind === 'wrtcsOfferNotification') {
          call.pending = { answerer: to.role, kind: 'wrtcsAnswerNotification' }
          send(to, { wrtcsOfferNotification: { offer: { sdp }, link: link(to) } })
          return { status: 204 }
        }
        send(to, kind === 'wrtcsAcceptanceNotification' ? { wrtcsAcceptanceNotification: { answer: { sdp }, link: link(to) } } : { wrtcsAnswerNotification: { answer: { sdp }, link: link(to) } })
        return { status: 204 }
      }
      return badInput(`wrtcsAnswer: session ${params.sessionId} has no offer waiting for an answer`)
    })

    ctx.route('PUT', `${base}/sessions/:sessionId/update`, { body: OfferRequest }, ({ body, user, params }) => {
      const found = owned(user, params.sessionId)
      if (found === undefined || found.call.phase === 'ended') return notFound(params.sessionId ?? '')
      const { call, party } = found
      if (call.phase !== 'connected') return badInput(`wrtcsOffer: session ${params.sessionId} is not answered yet`)
      if (call.pending !== undefined) return requestPending(params.sessionId ?? '')
      const to = partyOf(call, other(party.role))
      const sdp = body.wrtcsOffer.sdp
      // Offer-less (a gateway's re-INVITE without SDP): the other party is asked for an offer (slow-start re-offer, calls.md §8.2).
      call.pending = { answerer: to.role, kind: sdp === undefined ? 'wrtcsOfferNotification' : 'wrtcsAnswerNotification' }
      send(to, { wrtcsOfferNotification: { offer: sdp === undefined ? {} : { sdp }, link: link(to) } })
      return { status: 204 }
    })

    ctx.route('DELETE', `${base}/sessions/:sessionId`, {}, ({ user, params }) => {
      const found = owned(user, params.sessionId)
      if (found === undefined) return notFound(params.sessionId ?? '')
      const { call, party } = found
      if (call.phase === 'ended') return { status: 204 }
      const to = partyOf(call, other(party.role))
      event(to, call.phase === 'ringing' && party.role === 'caller' ? 'Cancelled' : 'SessionEnded')
      end(call)
      return { status: 204 }
    })

    transferRoutes(ctx, {
      base,
      owned,
      peerOf: (call, party) => partyOf(call, other(party.role)),
      register: (call) => {
        for (const party of [call.caller, call.callee]) sessions.set(party.sessionId, { call, party })
      },
      end,
      send,
      link,
      requestPending,
    })

    return {
      stop: () => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        sessions.clear()
      },
    }
  }
}

/** WebRTC call signalling with the recommended timings (60 s ring timeout). */
export const callsFeature: PlatformFeature = callsFeatureWith()
