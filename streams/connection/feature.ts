/**
 * The platform connection: REST requests, the one notification WebSocket per client (with its
 * reconnection and connectivity checks), and the notification pipeline.
 *
 * THE LINK FOR OTHER FEATURES: `createConnection(deps).link` is the `PlatformLink`
 * (`./link.ts`) every other feature receives as its `link` dependency; `createStreams` exposes
 * it as `streams.link` (and `streams.connection.link`). Use only `link.user()` / `link.user$`,
 * `link.request(spec)` and `link.notifications$` (filter by `kind`).
 *
 * The socket is opened by the subscription feature (`streams/subscription/`) on the channel it
 * creates; features never open it themselves.
 */
import { EMPTY, Observable, Subject, Subscription, catchError, combineLatest, concat, defer, filter, map, mergeMap, of, skip, switchMap, take } from 'rxjs'
import type { AuthFeature } from '../auth/feature.js'
import type { ConfigFeature } from '../config/feature.js'
import type { Config } from '../config/state.js'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes } from '../errors.js'
import { select, storeFeature, type Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import { connectivityCheck, type ConnectivityOptions } from './connectivityCheck.js'
import { classifyFrame } from './frames.js'
import type { InboundNotification, PlatformLink } from './link.js'
import { notificationIntake } from './notifications.js'
import { ReconnectLimitReached, reconnect, reconnectPolicy, type Reconnecting } from './reconnect.js'
import { createRequest } from './request.js'
import { socketSession, type SocketSignal } from './socket.js'
import { createStore, echoing } from '../store.js'
import { connectionReducer, initialConnectionState, type ConnectionEvent, type ConnectionState } from './state.js'

export interface ConnectionDeps {
  readonly config: ConfigFeature
  readonly environment: Environment
  readonly logs: Logs
  readonly auth: Pick<AuthFeature, 'user$' | 'user'>
}

export interface ConnectionCommands {
  /**
   * Opens the WebSocket on a channel path (`channelData.channelURL`) with the current access
   * token, which it keeps across reconnections. Emits once open (at once if it already is);
   * errors with `subscription:1` when every attempt failed. Another path replaces the socket.
   */
  readonly connect: (channelURL: string) => Observable<void>
  /** Closes the socket on purpose (no reconnection). */
  readonly disconnect: () => void
  /** Switches connectivity checking on or off at run time. */
  readonly enableConnectivityChecking: (enable: boolean) => void
}

export interface ConnectionFeature extends Feature<ConnectionState, ConnectionEvent, ConnectionCommands> {
  /** What every other feature uses to reach the platform. */
  readonly link: PlatformLink
  /** Hot; every accepted notification, once, in arrival order. */
  readonly notifications$: Observable<InboundNotification>
  /** The socket state, synchronously. */
  readonly current: () => ConnectionState
  readonly dispose: () => void
}

/** `ws:` for an `http` server, `wss:` otherwise; the token as `access_token` (`channel-and-subscriptions.md` §3). */
export const socketUrl = (server: Config['authentication']['server'], channelURL: string, accessToken: string): string =>
  `${server.protocol === 'http' ? 'ws' : 'wss'}://${server.base ?? ''}:${server.port}${channelURL}${channelURL.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(accessToken)}`

const socketError = (what: string, error: unknown): BasicError => {
  const reason = error instanceof Error && error.message !== '' ? error.message : 'no reason given'
  return new BasicError(errorCodes.subscription.WS_CONNECTION_ERROR, `WebSocket ${what}: ${reason}`)
}

const settingsOf = (config: Config): { method: Config['connectivity']['method']; pingInterval: number } => ({
  method: config.connectivity.method,
  pingInterval: config.connectivity.pingInterval,
})

/** The connection to the platform (see the top of this file). */
export function createConnection({ config, environment, logs, auth }: ConnectionDeps): ConnectionFeature {
  const logger = logs.logger('connection')
  const { scheduler } = environment
  const initial = config.current()
  const store = createStore(initialConnectionState({ ...settingsOf(initial), checkConnectivity: initial.connectivity.checkConnectivity }), echoing(connectionReducer), logger)
  const dispatch = (event: ConnectionEvent): void => void store.dispatch(event)
  const targets = new Subject<string | undefined>()
  const running = new Subscription(() => targets.complete())
  const intake = notificationIntake(initial.notifications.idCacheLength)

  const checkOptions$: Observable<ConnectivityOptions> = combineLatest([config.config$, select(store.state$, (state) => state.checkConnectivity)]).pipe(
    map(([current, enabled]) => ({
      enabled,
      method: current.connectivity.method,
      pingInterval: current.connectivity.pingInterval,
      maxMissedPings: current.connectivity.maxMissedPings,
    })),
  )

  /** The events of one received frame: control frames are the check's business; notifications go through the intake. */
  const frameEvents = (value: unknown): ConnectionEvent[] => {
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

  /** One connection cycle on a channel: open, check, reconnect, until given up or replaced. */
  const cycle$ = (channelURL: string): Observable<ConnectionEvent> =>
    defer(() => {
      const connecting: ConnectionEvent = { type: 'connecting', channelURL }
      const { WebSocket } = environment
      const user = auth.user()
      const { server } = config.current().authentication
      const notOpened = (reason: string): Observable<ConnectionEvent> => {
        const gaveUp: ConnectionEvent = { type: 'gaveUp', channelURL, error: new BasicError(errorCodes.subscription.WS_CONNECTION_ERROR, `WebSocket not opened: ${reason}`) }
        return of(connecting, gaveUp)
      }
      if (WebSocket === undefined) return notOpened('no WebSocket in the environment (in Node, pass { WebSocket } from the ws package)')
      if (user === undefined) return notOpened('no access token (call setTokens first)')
      if (server.base === undefined || server.base === '') return notOpened('authentication.server.base is not configured')

      let open = false
      const toEvents = (signal: SocketSignal | Reconnecting): ConnectionEvent[] => {
        switch (signal.type) {
          case 'opened':
            open = true
            return [{ type: 'opened' }]
          case 'frame':
            return frameEvents(signal.value)
          case 'unreadable':
            logger.warn(`Frame dropped: ${signal.error.message}`)
            return [{ type: 'frameRejected', error: signal.error }]
          case 'reconnecting':
            if (signal.attempt === 1) {
              open = false
              return [{ type: 'lost', error: socketError('connection lost', signal.error), reconnecting: true }, { type: 'reconnecting' }]
            }
            return [{ type: 'attemptFailed', failures: signal.attempt - 1, delay: signal.delay, error: socketError('attempt failed', signal.error) }]
        }
      }

      return concat(
        of(connecting),
        socketSession(socketUrl(server, channelURL, user.accessToken), WebSocket).pipe(
          connectivityCheck(checkOptions$, scheduler),
          reconnect(() => reconnectPolicy(config.current().connectivity), scheduler, (signal) => signal.type === 'opened'),
          mergeMap(toEvents),
          catchError((error: unknown) => {
            if (open) return of<ConnectionEvent>({ type: 'lost', error: socketError('connection lost', error), reconnecting: false })
            const reason = error instanceof ReconnectLimitReached ? `every attempt failed, ${error.message}` : error instanceof Error ? error.message : String(error)
            return of<ConnectionEvent>({ type: 'gaveUp', channelURL, error: socketError('could not be opened', new Error(reason)) })
          }),
        ),
      )
    })

  running.add(
    targets
      .pipe(switchMap((target) => (target === undefined ? EMPTY : cycle$(target))))
      .subscribe((event) => {
        if (event.type === 'lost') logger.warn(event.error.message)
        if (event.type === 'gaveUp') logger.error(event.error.message)
        dispatch(event)
      }),
  )
  running.add(
    config.config$.pipe(skip(1)).subscribe((current) => {
      intake.resize(current.notifications.idCacheLength)
      const { method, pingInterval } = store.current()
      const settings = settingsOf(current)
      if (settings.method !== method || settings.pingInterval !== pingInterval) dispatch({ type: 'settingsChanged', ...settings })
      if (current.connectivity.checkConnectivity !== store.current().checkConnectivity) {
        dispatch({ type: 'checkingSwitched', enabled: current.connectivity.checkConnectivity })
      }
    }),
  )

  const connect = (channelURL: string): Observable<void> =>
    new Observable<void>((subscriber) => {
      const current = store.current()
      if (current.channelURL === channelURL && current.connected) {
        subscriber.next()
        subscriber.complete()
        return undefined
      }
      const outcome = store.outputs$
        .pipe(
          filter(
            (event) =>
              event.type === 'opened' ||
              event.type === 'gaveUp' ||
              event.type === 'closed' ||
              (event.type === 'lost' && !event.reconnecting) ||
              (event.type === 'connecting' && event.channelURL !== channelURL),
          ),
          take(1),
          map((event) => {
            if (event.type === 'opened') return undefined
            throw event.type === 'gaveUp' ? event.error : new BasicError(errorCodes.subscription.WS_CONNECTION_ERROR, 'WebSocket closed before it opened')
          }),
        )
        .subscribe(subscriber)
      if (current.channelURL !== channelURL) targets.next(channelURL)
      return outcome
    })

  const disconnect = (): void => {
    if (store.current().channelURL === undefined) return
    targets.next(undefined)
    dispatch({ type: 'closed' })
  }

  const enableConnectivityChecking = (enable: boolean): void => dispatch({ type: 'checkingSwitched', enabled: enable })

  const notifications$ = store.outputs$.pipe(
    filter((event): event is Extract<ConnectionEvent, { type: 'notificationReceived' }> => event.type === 'notificationReceived'),
    map((event) => event.notification),
  )

  const link: PlatformLink = {
    user$: auth.user$,
    user: auth.user,
    request: createRequest({ config, environment, user: auth.user }),
    notifications$,
  }

  return { ...storeFeature(store, running), commands: { connect, disconnect, enableConnectivityChecking }, link, notifications$ }
}
