import * as E from 'fp-ts/Either'
import { EMPTY, Subject, catchError, concatMap, defer, filter, map, merge, type Observable } from 'rxjs'
import { describeDecodeErrors } from '../../connection/decode.js'
import type { InboundNotification } from '../../connection/link.js'
import { BasicError, errorCodes } from '../../errors.js'
import {
  decodeCallNotification,
  isCallNotificationKind,
  linkedSessionId,
  notifiedSessionId,
  type AnswerNotification,
  type CallNotification,
  type CallNotificationKind,
  type EventNotification,
  type SessionInvitationNotification,
} from '../codecs.js'
import type { CallEngine } from '../engine.js'
import type { CallRecord } from '../model.js'
import { callBySession, isAnswered } from '../steps.js'
import { awaitSession, type Held } from './park.js'
import { sessionEvents } from './session-event.js'

/** Frames for a session this client does not know yet wait this long (its create response is on its way). */
const unmatchedLifetime = 10_000

type CallFrame = InboundNotification & { readonly kind: CallNotificationKind }

/** What each call notification does, once decoded and matched with its call. */
interface InboundHandlers {
  readonly invited: (notification: SessionInvitationNotification) => Observable<unknown>
  readonly answered: (call: CallRecord, notification: AnswerNotification) => Observable<unknown>
  readonly sessionEvent: (call: CallRecord, notification: EventNotification) => void
  /** A re-offer of an answered call; `sdp` undefined is a slow-start re-offer (calls.md §8.2). */
  readonly reoffered: (callId: string, sdp: string | undefined) => void
}

/**
 * Why a decoded notification still cannot be used, or undefined: no session in its link, or an SDP that is no SDP where nothing would report it
 * (an invitation, or a session not ours: an answer that fails on a call of ours ends that call with the error, notifications.md §4.2).
 */
function unusable(notification: CallNotification, known: (sessionId: string) => boolean): string | undefined {
  const sessionId = notifiedSessionId(notification.body.link)
  if (sessionId === undefined) return 'link[0].href names no session'
  const sdp = notification.kind === 'wrtcsEventNotification' ? undefined : 'offer' in notification.body ? notification.body.offer.sdp : notification.body.answer.sdp
  return sdp === undefined || sdp.startsWith('v=') || (notification.kind !== 'wrtcsSessionInvitationNotification' && known(sessionId)) ? undefined : 'the SDP does not start with v='
}

/**
 * The link's call notifications (notifications.md §4), one at a time in arrival order: decoded with their tagged codec, matched with their call,
 * handled. A frame for an unknown session waits while an outgoing call awaits its session; a malformed one is reported on its call, else to `dropped`.
 */
export function routeInbound(
  { store, link, logger, environment }: Pick<CallEngine, 'store' | 'link' | 'logger' | 'environment'>,
  handlers: InboundHandlers,
  dropped: (error: BasicError) => void,
): Observable<unknown> {
  const parked = new Subject<Held<CallFrame>>()
  const callOfSession = (sessionId: string | undefined): CallRecord | undefined => (sessionId === undefined ? undefined : callBySession(store.current(), sessionId))

  const hold = (frame: CallFrame, sessionId: string): Observable<never> => {
    if (Object.values(store.current().calls).some((call) => call.state === 'Initiating')) parked.next({ frame, sessionId })
    else logger.debug(`Call notification ${frame.kind} for an unknown session ignored`)
    return EMPTY
  }

  const malformed = (frame: CallFrame, why: string): Observable<never> => {
    logger.error(`A malformed ${frame.kind} was dropped: ${why}`)
    const call = callOfSession(linkedSessionId(frame.body))
    const error = new BasicError(errorCodes.call.GENERIC_ERROR, `Malformed ${frame.kind}: ${why}`)
    if (call !== undefined) store.dispatch({ type: 'notificationRejected', callId: call.id, error })
    else dropped(error)
    return EMPTY
  }

  const act = (frame: CallFrame, notification: CallNotification): Observable<unknown> => {
    if (notification.kind === 'wrtcsSessionInvitationNotification') return handlers.invited(notification.body)
    const sessionId = notifiedSessionId(notification.body.link) ?? ''
    const call = callOfSession(sessionId)
    switch (notification.kind) {
      case 'wrtcsAcceptanceNotification':
      case 'wrtcsAnswerNotification':
        return call === undefined ? hold(frame, sessionId) : handlers.answered(call, notification.body)
      case 'wrtcsEventNotification':
        if (call !== undefined) handlers.sessionEvent(call, notification.body)
        else if ((sessionEvents as readonly string[]).includes(notification.body.eventType)) return hold(frame, sessionId)
        return EMPTY
      case 'wrtcsOfferNotification':
        if (call !== undefined && isAnswered(call)) handlers.reoffered(call.id, notification.body.offer.sdp)
        else logger.debug(`A re-offer for ${call === undefined ? 'an unknown session' : `call ${call.id} in state ${call.state}`} was ignored`)
        return EMPTY
    }
  }

  const handle = (frame: CallFrame): Observable<unknown> => {
    const decoded = decodeCallNotification(frame.kind, frame.body)
    if (E.isLeft(decoded)) return malformed(frame, describeDecodeErrors(decoded.left))
    const why = unusable(decoded.right, (sessionId) => callOfSession(sessionId) !== undefined)
    return why === undefined ? act(frame, decoded.right) : malformed(frame, why)
  }

  const created$ = store.outputs$.pipe(
    filter((output) => output.type === 'callStarted'),
    map((output) => store.callOf(output.callId)?.wrtcsSessionId ?? ''),
  )
  const frames$ = link.notifications$.pipe(filter((notification): notification is CallFrame => isCallNotificationKind(notification.kind)))
  return merge(frames$, parked.pipe(awaitSession(created$, unmatchedLifetime, environment.scheduler))).pipe(
    concatMap((frame) =>
      defer(() => handle(frame)).pipe(
        catchError((error: unknown) => {
          logger.error(`Handling ${frame.kind} failed`, error)
          return EMPTY
        }),
      ),
    ),
  )
}
