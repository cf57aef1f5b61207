import * as E from 'fp-ts/Either'
import { EMPTY, catchError, of, switchMap, tap, type Observable } from 'rxjs'
import type { BasicError } from '../../errors.js'
import { notifiedSessionId, type SessionInvitationNotification } from '../codecs.js'
import { displayAddress } from '../destination.js'
import { asCallError, endSessionOf, failCall, type CallEngine } from '../engine.js'
import { reportStatus } from '../requests.js'
import { callBySession } from '../steps.js'

/** An incoming call (notifications.md §4.1): its peer takes the offer, the platform hears `Ringing`, then `callInvited`. */
export function createInvitation(engine: Pick<CallEngine, 'store' | 'runtimes' | 'signalling' | 'link' | 'environment' | 'logger' | 'running' | 'now'>) {
  const { store, runtimes, signalling, link, environment, logger } = engine
  return (notification: SessionInvitationNotification): Observable<unknown> => {
    const sessionId = notifiedSessionId(notification.link)
    const where = signalling.scope()
    if (sessionId === undefined || E.isLeft(where)) {
      logger.error('An invitation without a session link (or before login) was dropped')
      return EMPTY
    }
    if (callBySession(store.current(), sessionId) !== undefined) return EMPTY
    const callId = environment.randomId()
    const webrtcSessionId = environment.randomId()
    const { originatorAddress, originatorName } = notification
    const originator = typeof originatorAddress === 'string' ? displayAddress(originatorAddress) : undefined
    const offer = notification.offer.sdp
    const to = link.user()?.username
    const arrive = (failure?: BasicError): void => {
      store.dispatch({
        type: 'callInvited',
        callId,
        webrtcSessionId,
        sessionId,
        from: originator,
        to,
        remoteParticipant: { displayNumber: originator, displayName: typeof originatorName === 'string' ? originatorName : undefined },
        isSlowStart: offer === undefined,
        remoteTracks: runtimes.earlyTracks(callId),
      })
      if (failure === undefined) return
      failCall(engine, callId, failure)
      endSessionOf(engine, where.right, sessionId, 'Could not refuse a call')
    }
    const ringing = reportStatus(link, where.right, sessionId, 'Ringing').pipe(
      catchError((error: unknown) => {
        logger.warn('Could not report ringing', error)
        return of(undefined)
      }),
    )
    const prepared: Observable<unknown> =
      offer === undefined
        ? of(undefined)
        : signalling.iceServers().pipe(switchMap((servers) => signalling.remoteSdp(runtimes.newPeer(callId, servers), 'offer', offer, 'incoming')))
    return prepared.pipe(
      switchMap(() => ringing),
      tap(() => arrive()),
      catchError((error: unknown) => {
        arrive(asCallError(error))
        return EMPTY
      }),
    )
  }
}
