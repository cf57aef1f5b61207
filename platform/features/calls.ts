import type { Account, PlatformContext, PlatformFeature, PlatformReply, PlatformRequest } from '../context.js'
import { notFound } from '../context.js'
import { badInput } from '../errors.js'
import { AnswerRequest, CreateSessionRequest, OfferRequest, SessionStatusRequest } from '../../streams/call/codecs.js'
import { addressed, callSessions, callsBase, peerOf, requestPending, sessionPath, type CallSessions, type OwnedSession, type PlatformCall } from './call-sessions.js'
import { transferRoute } from './calls-transfer.js'

// WebRTC signalling (`protocol/calls.md` §16, `notifications.md` §9): a relay between two
// parties, each with its own session id. SDPs travel verbatim; the platform only tracks who
// has to answer what, so that hold / unhold / media changes (re-offers in both directions),
// slow start and transfer all reuse the same two moves: offer → answer.

export interface CallsOptions {
  /** How long an unanswered call rings before the caller gets `SessionEnded` and the callee `Cancelled` (ms; default 60 s). */
  readonly ringTimeout?: number
  /** How long before a call to a user with no `call` subscription ends with 480 Temporarily Unavailable (ms; default 1 s). */
  readonly unreachableDelay?: number
  /** How long an ended session is remembered (its DELETE still answers 204, its audit `Closed`), in ms (default 10 min). */
  readonly endedRetention?: number
  /**
   * How long a party of a connected call may be silent (no audit, which clients send every 25 s, nor any other request of its session)
   * before the call ends with `SessionEnded` 408 to both parties, in ms (default 2 min).
   */
  readonly auditTimeout?: number
}

const displayName = (account: Account): string | undefined => {
  const name = `${account.firstName} ${account.lastName}`.trim()
  return name === '' ? undefined : name
}

/** The bearer token of a request (the core has checked it); a device's requests carry its own. */
const tokenOf = (headers: PlatformRequest<unknown>['headers']): string => /^Bearer\s+(\S+)/i.exec(String(headers.authorization ?? ''))?.[1] ?? ''

/** The session of the path if it belongs to the user and its call has not ended; its party is heard from (a request of its own). */
const heardFrom = (calls: CallSessions, user: Account, sessionId: string | undefined): OwnedSession | undefined => {
  const found = calls.owned(user, sessionId)
  if (found === undefined || found.call.phase === 'ended') return undefined
  calls.heard(found.call, found.party)
  return found
}

/** `POST …/sessions`: invites the callee, or ends the call with 480 when they cannot be reached; rings for `ringTimeout`. */
function inviteRoute(ctx: PlatformContext, calls: CallSessions, ringTimeout: number, unreachableDelay: number): void {
  ctx.route('POST', `${callsBase}/sessions`, { body: CreateSessionRequest }, ({ body, user }) => {
    const { tParticipantAddress: address, tParticipantName: name, offer } = body.wrtcsSession
    const calleeAccount = addressed(ctx, address)
    if (calleeAccount === undefined) return notFound(address)
    const call: PlatformCall = {
      caller: { role: 'caller', account: user, sessionId: ctx.id() },
      callee: { role: 'callee', account: calleeAccount, sessionId: ctx.id() },
      phase: 'ringing',
      slowStart: offer.sdp === undefined,
      pending: undefined,
      timer: undefined,
      ringingDevices: new Map(),
    }
    calls.register(call)
    if (!ctx.subscriptions.has(calleeAccount.userId, 'call')) {
      ctx.log(`call ${call.caller.sessionId}: ${calleeAccount.userId} has no call subscription`)
      call.timer = calls.timers.later(unreachableDelay, () => {
        calls.event(call.caller, 'SessionEnded', { statusCode: 480, reasonText: 'Temporarily Unavailable' })
        calls.end(call)
      })
    } else {
      const originatorName = name ?? displayName(user)
      calls.send(call.callee, {
        wrtcsSessionInvitationNotification: {
          originatorAddress: user.identity,
          ...(originatorName === undefined ? {} : { originatorName }),
          offer: offer.sdp === undefined ? {} : { sdp: offer.sdp },
          link: calls.link(call.callee),
        },
      })
      call.timer = calls.timers.later(ringTimeout, () => {
        calls.event(call.caller, 'SessionEnded', { statusCode: 408, reasonText: 'Request Timeout' })
        calls.event(call.callee, 'Cancelled')
        calls.end(call)
      })
    }
    return { status: 201, body: { wrtcsSession: { resourceURL: sessionPath(call.caller), tParticipantAddress: address, offer } } }
  })
}

/**
 * `PUT …/status`: the callee's `Ringing` reaches the caller (and tells which device rings with which token);
 * any audit of an ended or unknown session reads `Closed`.
 */
function statusRoute(ctx: PlatformContext, calls: CallSessions): void {
  ctx.route('PUT', `${callsBase}/sessions/:sessionId/status`, { body: SessionStatusRequest }, ({ body, user, params, headers }) => {
    const found = heardFrom(calls, user, params.sessionId)
    const reply = (status: string): PlatformReply => ({ status: 200, body: { wrtcsSessionStatus: { status } } })
    if (found === undefined) return reply('Closed')
    const { call, party } = found
    const { status, clientCorrelator } = body.wrtcsSessionStatus
    if (status === 'Ringing' && party.role === 'callee' && call.phase === 'ringing') {
      const token = tokenOf(headers)
      const known = call.ringingDevices
      known.set(token, known.has(token) && known.get(token) !== clientCorrelator ? undefined : clientCorrelator)
      calls.event(call.caller, 'Ringing')
    }
    return reply(status === 'Ringing' ? 'Ringing' : 'Connected')
  })
}

/**
 * The callee answers a ringing call from one of its devices: acceptance to the caller, or (slow
 * start) its offer, which the caller answers; the callee's other devices stop ringing.
 */
function accept(calls: CallSessions, { call, party }: OwnedSession, sdp: string, device: string | undefined): PlatformReply {
  const to = peerOf(call, party)
  calls.timers.cancel(call.timer)
  call.timer = undefined
  call.phase = 'connected'
  party.device = device
  calls.stopRinging(party, device)
  for (const each of [call.caller, call.callee]) calls.heard(call, each)
  if (call.slowStart) {
    // The callee's "answer" is its offer; the gateway caller answers it (calls.md §6).
    call.pending = { answerer: 'caller', kind: 'wrtcsAcceptanceNotification' }
    calls.send(to, { wrtcsOfferNotification: { offer: { sdp }, link: calls.link(to) } })
  } else calls.send(to, { wrtcsAcceptanceNotification: { answer: { sdp }, link: calls.link(to) } })
  return { status: 204 }
}

/** A party pays what it owes: an answer relayed as `kind`, or (to an offer-less re-offer) an offer the other party then answers. */
function relayAnswer(calls: CallSessions, { call, party }: OwnedSession, sdp: string): PlatformReply {
  const to = peerOf(call, party)
  const kind = call.pending!.kind
  call.pending = undefined
  if (kind === 'wrtcsOfferNotification') {
    call.pending = { answerer: to.role, kind: 'wrtcsAnswerNotification' }
    calls.send(to, { wrtcsOfferNotification: { offer: { sdp }, link: calls.link(to) } })
  } else if (kind === 'wrtcsAcceptanceNotification') calls.send(to, { wrtcsAcceptanceNotification: { answer: { sdp }, link: calls.link(to) } })
  else calls.send(to, { wrtcsAnswerNotification: { answer: { sdp }, link: calls.link(to) } })
  return { status: 204 }
}

/** `PUT …/answer`: answers the invitation, or whatever offer the session owes an answer to. */
function answerRoute(ctx: PlatformContext, calls: CallSessions): void {
  ctx.route('PUT', `${callsBase}/sessions/:sessionId/answer`, { body: AnswerRequest }, ({ body, user, params }) => {
    const found = heardFrom(calls, user, params.sessionId)
    if (found === undefined) return notFound(params.sessionId ?? '')
    const { call, party } = found
    if (call.phase === 'ringing' && party.role === 'callee') return accept(calls, found, body.wrtcsAnswer.sdp, body.wrtcsAnswer.clientCorrelator)
    if (call.pending?.answerer === party.role) return relayAnswer(calls, found, body.wrtcsAnswer.sdp)
    return badInput(`wrtcsAnswer: session ${params.sessionId} has no offer waiting for an answer`)
  })
}

/** `PUT …/update`: a re-offer (hold, unhold, media change) to the other party, one at a time. */
function updateRoute(ctx: PlatformContext, calls: CallSessions): void {
  ctx.route('PUT', `${callsBase}/sessions/:sessionId/update`, { body: OfferRequest }, ({ body, user, params }) => {
    const found = heardFrom(calls, user, params.sessionId)
    if (found === undefined) return notFound(params.sessionId ?? '')
    const { call, party } = found
    if (call.phase !== 'connected') return badInput(`wrtcsOffer: session ${params.sessionId} is not answered yet`)
    if (call.pending !== undefined) return requestPending(params.sessionId ?? '')
    const to = peerOf(call, party)
    const sdp = body.wrtcsOffer.sdp
    // Offer-less (a gateway's re-INVITE without SDP): the other party is asked for an offer (slow-start re-offer, calls.md §8.2).
    call.pending = { answerer: to.role, kind: sdp === undefined ? 'wrtcsOfferNotification' : 'wrtcsAnswerNotification' }
    calls.send(to, { wrtcsOfferNotification: { offer: sdp === undefined ? {} : { sdp }, link: calls.link(to) } })
    return { status: 204 }
  })
}

/**
 * `DELETE …/sessions/:id`: the other party gets `Cancelled` (caller hangs up a ringing call) or `SessionEnded`.
 * A callee's reject also stops its other devices ringing (`Cancelled`); the rejecting one, told apart by the
 * token it reported `Ringing` with, gets nothing, as a single device does.
 */
function hangUpRoute(ctx: PlatformContext, calls: CallSessions): void {
  ctx.route('DELETE', `${callsBase}/sessions/:sessionId`, {}, ({ user, params, headers }) => {
    const found = calls.owned(user, params.sessionId)
    if (found === undefined) return notFound(params.sessionId ?? '')
    const { call, party } = found
    if (call.phase === 'ended') return { status: 204 }
    const rejected = call.phase === 'ringing' && party.role === 'callee'
    calls.event(peerOf(call, party), call.phase === 'ringing' && party.role === 'caller' ? 'Cancelled' : 'SessionEnded')
    if (rejected) calls.stopRinging(party, call.ringingDevices.get(tokenOf(headers)))
    calls.end(call)
    return { status: 204 }
  })
}

/** The calls module with chosen timings (`callsFeature` uses the defaults). */
export function callsFeatureWith(options: CallsOptions = {}): PlatformFeature {
  return (ctx: PlatformContext) => {
    const calls = callSessions(ctx, options.endedRetention ?? 600_000, options.auditTimeout ?? 120_000)
    inviteRoute(ctx, calls, options.ringTimeout ?? 60_000, options.unreachableDelay ?? 1_000)
    statusRoute(ctx, calls)
    answerRoute(ctx, calls)
    updateRoute(ctx, calls)
    hangUpRoute(ctx, calls)
    transferRoute(ctx, calls)
    return { stop: () => calls.stop() }
  }
}

/** WebRTC call signalling with the recommended timings (60 s ring timeout). */
export const callsFeature: PlatformFeature = callsFeatureWith()
