import { catchError, defer, of, startWith, type Observable } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { Environment } from '../environment.js'
import { each } from '../each.js'
import { BasicError, errorCodes } from '../errors.js'
import type { Logger } from '../logs/logger.js'
import { connectivityCheck, type ConnectivityOptions } from './connectivityCheck.js'
import { classifyFrame } from './frames.js'
import type { AuthUser } from './link.js'
import type { NotificationIntake } from './notifications.js'
import { baseUrl, noBase } from './request.js'
import { ReconnectLimitReached, reconnect, reconnectPolicy, type Reconnecting } from './reconnect.js'
import { socketSession, type SocketSignal } from './socket.js'
import type { ConnectionEvent } from './state.js'

export interface CycleDeps {
  readonly config: Pick<ConfigFeature, 'current'>
  readonly environment: Pick<Environment, 'WebSocket' | 'scheduler'>
  readonly logger: Logger
  readonly intake: NotificationIntake
  readonly user: () => AuthUser | undefined
  readonly checkOptions$: Observable<ConnectivityOptions>
}

/** The REST base with `ws:` for `http:`, `wss:` for `https:`; the token as `access_token` (`channel-and-subscriptions.md` §3). */
export const socketUrl = (base: string, channelURL: string, accessToken: string): string =>
  `${base.replace(/^http/, 'ws')}${channelURL}${channelURL.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(accessToken)}`

const socketError = (what: string, error: unknown): BasicError => {
  const reason = error instanceof Error && error.message !== '' ? error.message : 'no reason given'
  return new BasicError(errorCodes.subscription.WS_CONNECTION_ERROR, `WebSocket ${what}: ${reason}`)
}

/** The events of one received frame: control frames are the check's business; notifications go through the intake. */
function frameEvents(value: unknown, { intake, logger }: CycleDeps): ConnectionEvent[] {
  if (classifyFrame(value).kind !== 'notification') return []
  const outcome = intake.accept(value)
  switch (outcome.type) {
    case 'accepted':
      return [{ type: 'notificationReceived', notification: outcome.notification }]
    case 'duplicate':
      logger.debug(`Duplicate notification dropped (id ${outcome.id})`)
      return []
    case 'rejected':
      logger.warn(`Notification dropped: ${outcome.error.message}`)
      return [{ type: 'frameRejected', error: outcome.error }]
  }
}

/** The events of one signal of the socket; `opened` tells whether the socket is open now. */
function signalEvents(signal: SocketSignal | Reconnecting, deps: CycleDeps, opened: (open: boolean) => void): ConnectionEvent[] {
  switch (signal.type) {
    case 'opened':
      opened(true)
      return [{ type: 'opened' }]
    case 'frame':
      return frameEvents(signal.value, deps)
    case 'unreadable':
      deps.logger.warn(`Frame dropped: ${signal.error.message}`)
      return [{ type: 'frameRejected', error: signal.error }]
    case 'reconnecting':
      if (signal.attempt > 1) return [{ type: 'attemptFailed', failures: signal.attempt - 1, delay: signal.delay, error: socketError('attempt failed', signal.error) }]
      opened(false)
      return [{ type: 'lost', error: socketError('connection lost', signal.error), reconnecting: true }, { type: 'reconnecting' }]
  }
}

/**
 * One connection cycle on a channel as the connection's events: open, check, reconnect, until given up (or replaced by another channel).
 *
 * targets$.pipe(switchMap((channelURL) => cycle$(channelURL, deps)))
 */
export const cycle$ = (channelURL: string, deps: CycleDeps): Observable<ConnectionEvent> =>
  defer(() => {
    const connecting: ConnectionEvent = { type: 'connecting', channelURL }
    const { WebSocket, scheduler } = deps.environment
    const user = deps.user()
    const base = baseUrl(deps.config.current().authentication.server)
    const gaveUp = (what: string, reason: string): ConnectionEvent => ({ type: 'gaveUp', channelURL, error: socketError(what, new Error(reason)) })
    const notOpened = (reason: string): Observable<ConnectionEvent> => of(connecting, gaveUp('not opened', reason))
    if (WebSocket === undefined) return notOpened('no WebSocket in the environment (in Node, pass { WebSocket } from the ws package)')
    if (user === undefined) return notOpened('no access token (call setTokens first)')
    if (base === undefined) return notOpened(noBase)

    let open = false
    // Each attempt carries the newest token (setTokens since): the reference reopens with the first, which the platform refuses once expired.
    const session$ = defer(() => socketSession(socketUrl(base, channelURL, (deps.user() ?? user).accessToken), WebSocket))
    return session$.pipe(
      connectivityCheck(deps.checkOptions$, scheduler),
      reconnect(() => reconnectPolicy(deps.config.current().connectivity), scheduler, (signal) => signal.type === 'opened'),
      each((signal) => signalEvents(signal, deps, (now) => (open = now))),
      catchError((error: unknown) => {
        if (open) return of<ConnectionEvent>({ type: 'lost', error: socketError('connection lost', error), reconnecting: false })
        const reason = error instanceof ReconnectLimitReached ? `every attempt failed, ${error.message}` : error instanceof Error ? error.message : String(error)
        return of(gaveUp('could not be opened', reason))
      }),
      startWith(connecting),
    )
  })
