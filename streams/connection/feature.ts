/**
 * The platform connection: REST requests, the one notification WebSocket per client (reconnection, connectivity checks), the notification pipeline.
 *
 * Its `link` (`PlatformLink`, also `streams.link`) is every other feature's `link` dependency: use only `link.user()` / `link.user$`,
 * `link.request(spec)` and `link.notifications$` (filter by `kind`). The subscription feature opens the socket on its channel; no other feature does.
 */
import { EMPTY, Observable, Subject, Subscription, combineLatest, filter, map, of, pairwise, switchMap, take } from 'rxjs'
import type { AuthFeature } from '../auth/feature.js'
import type { ConfigFeature } from '../config/feature.js'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes } from '../errors.js'
import { select, storeFeature, type StoreFeature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import type { ConnectivityOptions } from './connectivityCheck.js'
import { cycle$, type CycleDeps } from './cycle.js'
import type { InboundNotification, PlatformLink } from './link.js'
import { notificationIntake } from './notifications.js'
import { createRequest } from './request.js'
import { createStore, echoing } from '../store.js'

export { socketUrl } from './cycle.js'
import { connectionReducer, initialConnectionState, type ConnectionEvent, type ConnectionState } from './state.js'

export interface ConnectionDeps {
  readonly config: ConfigFeature
  readonly environment: Environment
  readonly logs: Logs
  readonly auth: Pick<AuthFeature, 'user$' | 'user'>
}

export interface ConnectionCommands {
  /**
   * Opens the WebSocket on a channel path (`channelData.channelURL`) with the current access token, kept across reconnections; another path replaces it.
   * Emits once open (at once if it already is); errors with `subscription:1` when every attempt failed.
   */
  readonly connect: (channelURL: string) => Observable<void>
  /** Closes the socket on purpose (no reconnection). */
  readonly disconnect: () => void
  /** Switches connectivity checking on or off at run time. */
  readonly enableConnectivityChecking: (enable: boolean) => void
}

export interface ConnectionFeature extends StoreFeature<ConnectionState, ConnectionEvent, ConnectionCommands> {
  /** What every other feature uses to reach the platform. */
  readonly link: PlatformLink
  /** Hot; every accepted notification, once, in arrival order. */
  readonly notifications$: Observable<InboundNotification>
}

/** Whether a connect to `channelURL` opened (completes) or failed (errors), from the first event that tells. */
const openingOutcome = (events$: Observable<ConnectionEvent>, channelURL: string): Observable<void> =>
  events$.pipe(
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

/** The connection to the platform (see the top of this file). */
export function createConnection({ config, environment, logs, auth }: ConnectionDeps): ConnectionFeature {
  const logger = logs.logger('connection')
  const initial = config.current()
  const store = createStore(initialConnectionState(initial.connectivity), echoing(connectionReducer), logger)
  const dispatch = (event: ConnectionEvent): void => void store.dispatch(event)
  const targets = new Subject<string | undefined>()
  const running = new Subscription(() => targets.complete())
  const intake = notificationIntake(initial.notifications.idCacheLength)

  const checkOptions$: Observable<ConnectivityOptions> = combineLatest([config.config$, select(store.state$, (state) => state.checkConnectivity)]).pipe(
    map(([current, enabled]) => ({ ...current.connectivity, enabled })),
  )

  const cycleDeps: CycleDeps = { config, environment, logger, intake, user: auth.user, checkOptions$ }
  running.add(
    targets
      .pipe(switchMap((target) => (target === undefined ? EMPTY : cycle$(target, cycleDeps))))
      .subscribe((event) => {
        if (event.type === 'lost') logger.warn(event.error.message)
        if (event.type === 'gaveUp') logger.error(event.error.message)
        dispatch(event)
      }),
  )
  running.add(
    config.config$.pipe(pairwise()).subscribe(([previous, current]) => {
      intake.resize(current.notifications.idCacheLength)
      const { method, pingInterval, checkConnectivity } = current.connectivity
      const known = store.current()
      if (method !== known.method || pingInterval !== known.pingInterval) dispatch({ type: 'settingsChanged', method, pingInterval })
      // Only a change of the configured flag switches checking: enableConnectivityChecking's choice outlives updates of other settings.
      if (checkConnectivity !== previous.connectivity.checkConnectivity) dispatch({ type: 'checkingSwitched', enabled: checkConnectivity })
    }),
  )

  const connect = (channelURL: string): Observable<void> =>
    new Observable<void>((subscriber) => {
      const current = store.current()
      if (current.channelURL === channelURL && current.connected) return of(undefined).subscribe(subscriber)
      const outcome = openingOutcome(store.outputs$, channelURL).subscribe(subscriber)
      if (current.channelURL !== channelURL) targets.next(channelURL)
      return outcome
    })

  const disconnect = (): void => {
    if (store.current().channelURL === undefined) return
    targets.next(undefined)
    dispatch({ type: 'closed' })
  }

  const enableConnectivityChecking = (enable: boolean): void => dispatch({ type: 'checkingSwitched', enabled: enable })

  // One Subject for every feature that listens (each filters by kind), fed by the store's first subscriber: each notification reaches the
  // features in one hop, before any other subscriber of the outputs sees it. The store owns the subscription: it ends when the store completes.
  const notifications = new Subject<InboundNotification>()
  store.outputs$.subscribe({
    next: (event) => {
      if (event.type === 'notificationReceived') notifications.next(event.notification)
    },
    complete: () => notifications.complete(),
  })
  const notifications$ = notifications.asObservable()

  const link: PlatformLink = {
    user$: auth.user$,
    user: auth.user,
    request: createRequest({ config, environment, user: auth.user, disposed: () => running.closed }),
    notifications$,
  }

  return { ...storeFeature(store, running), commands: { connect, disconnect, enableConnectivityChecking }, link, notifications$ }
}
