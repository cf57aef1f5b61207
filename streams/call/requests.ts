import { map, type Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { BasicError } from '../errors.js'
import {
  CreateSessionResponse,
  SessionStatusResponse,
  sessionIdOf,
  type AnswerRequest,
  type CreateSessionRequest,
  type OfferRequest,
  type ReportedStatus,
  type SessionStatusRequest,
  type TransferRequest,
} from './codecs.js'

/** Where a user's signalling resources live: `/cpaas/webrtcsignaling/<version>/<userId>`. */
export interface CallScope {
  readonly version: string
  readonly userId: string
  /** Sent in every request body; undefined fields (no correlator, no display name) are left out of the JSON. */
  readonly clientCorrelator: string | undefined
}

const base = ({ version, userId }: CallScope): string => `/cpaas/webrtcsignaling/${version}/${userId}`

/** `POST .../sessions` (calls.md §3.2): places a call; emits the platform's session id. */
export function createSession(link: PlatformLink, scope: CallScope, address: string, sdp: string, displayName: string | undefined): Observable<string> {
  const body: CreateSessionRequest = {
    wrtcsSession: { clientCorrelator: scope.clientCorrelator, tParticipantAddress: address, offer: { sdp }, tParticipantName: displayName },
  }
  return link.request({ method: 'POST', path: `${base(scope)}/sessions`, body, operation: 'Create session', response: CreateSessionResponse }).pipe(
    map((response) => {
      const sessionId = sessionIdOf(response.wrtcsSession.resourceURL)
      if (sessionId === undefined) throw new BasicError('INVALID_RESPONSE', `Create session request failed: no session id in "${response.wrtcsSession.resourceURL}"`)
      return sessionId
    }),
  )
}

/** `PUT .../sessions/<id>/status` (calls.md §4, §12): ringing or the audit; emits the platform's status. */
export function reportStatus(link: PlatformLink, scope: CallScope, sessionId: string, status: ReportedStatus): Observable<string> {
  const body: SessionStatusRequest = { wrtcsSessionStatus: { clientCorrelator: scope.clientCorrelator, status } }
  return link
    .request({ method: 'PUT', path: `${base(scope)}/sessions/${sessionId}/status`, body, operation: 'Session Status Update', response: SessionStatusResponse })
    .pipe(map((response) => response.wrtcsSessionStatus.status))
}

/** `PUT .../sessions/<id>/answer` (calls.md §5, §6, §8): our answer, or our offer for a slow-start request. */
export function answerSession(link: PlatformLink, scope: CallScope, sessionId: string, sdp: string): Observable<void> {
  const body: AnswerRequest = { wrtcsAnswer: { clientCorrelator: scope.clientCorrelator, sdp } }
  return link.request({ method: 'PUT', path: `${base(scope)}/sessions/${sessionId}/answer`, body, operation: 'Answer session' })
}

/** `PUT .../sessions/<id>/update` (calls.md §7): our re-offer; a 2xx only means "sent", the answer comes as a notification. */
export function updateSession(link: PlatformLink, scope: CallScope, sessionId: string, sdp: string): Observable<void> {
  const body: OfferRequest = { wrtcsOffer: { clientCorrelator: scope.clientCorrelator, sdp } }
  return link.request({ method: 'PUT', path: `${base(scope)}/sessions/${sessionId}/update`, body, operation: 'Update session' })
}

/** `DELETE .../sessions/<id>` (calls.md §10): ends, cancels or rejects a call. */
export function endSession(link: PlatformLink, scope: CallScope, sessionId: string): Observable<void> {
  return link.request({ method: 'DELETE', path: `${base(scope)}/sessions/${sessionId}`, operation: 'End session' })
}

/** `PUT …/sessions/<id>/transfer` (calls.md §11); a 2xx only means "accepted", `SessionEnded` completes it. */
export function transferSession(link: PlatformLink, scope: CallScope, sessionId: string, address: string, otherSessionId: string): Observable<void> {
  const body: TransferRequest = { wrtcsTransfer: { clientCorrelator: scope.clientCorrelator, address, sessionId: otherSessionId } }
  return link.request({ method: 'PUT', path: `${base(scope)}/sessions/${sessionId}/transfer`, body, operation: 'Transfer session' })
}
