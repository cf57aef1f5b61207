import * as E from 'fp-ts/Either'
import {
  BehaviorSubject,
  EMPTY,
  Observable,
  Subject,
  Subscription,
  catchError,
  concat,
  concatMap,
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  forkJoin,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  switchMap,
  takeUntil,
  tap,
  timer,
} from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { ConnectionFeature } from '../connection/feature.js'
import type { AuthUser, PlatformLink } from '../connection/link.js'
import { httpStatusOf } from '../connection/request.js'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes, shown } from '../errors.js'
import type { Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import type { TurnCredentials } from './codecs.js'
import { refreshBefore } from './refresh.js'
import * as requests from './requests.js'
import {
  availableServices,
  initialSubscriptionState,
  subscribedServices,
  subscriptionReducer,
  type Channel,
  type ServiceFailure,
  type ServiceName,
  type ServiceSubscription,
  type SubscriptionEvent,
  type SubscriptionOperation,
  type SubscriptionState,
} from './state.js'

export interface SubscriptionDeps {
  readonly config: ConfigFeature
  readonly environment: Pick<Environment, 'scheduler'>
  readonly logs: Logs
  readonly link: Pick<PlatformLink, 'request' | 'user'>
  readonly connection: { readonly commands: Pick<ConnectionFeature['commands'], 'connect' | 'disconnect'>; readonly events$: ConnectionFeature['events$'] }
}

export interface SubscriptionCommands {
  /** `services.subscribe(services, type)`: queued; outcome `servicesSubscribed` or `operationFailed` / `requestRejected`. */
  readonly subscribe: (services: unknown, type?: unknown) => void
  /** `services.unsubscribe(services, type)`: queued; outcome `servicesUnsubscribed` or `requestRejected`. */
  readonly unsubscribe: (services: unknown, type?: unknown) => void
  /** Fetches TURN credentials again (e.g. before a call when the fetch at subscription time failed). */
  readonly fetchTurnCredentials: () => Observable<TurnCredentials>
}

/** What `services.getSubscriptions()` returns. */
export interface Subscriptions {
  readonly subscribed: readonly ServiceName[]
  readonly available: readonly ServiceName[]
  readonly isPending: boolean
}

export interface SubscriptionFeature extends Feature<SubscriptionState, SubscriptionEvent, SubscriptionCommands> {
  /** Hot; `{ subscribed, available, isPending }`. */
  readonly subscriptions$: Observable<Subscriptions>
  /** Hot; the TURN credentials for calls (undefined until a `call` subscription fetched them). */
  readonly turnCredentials$: Observable<TurnCredentials | undefined>
  /** Hot; the presence list of the `presence` subscription (undefined without one), needed to watch users. */
  readonly presenceListId$: Observable<string | undefined>
  readonly current: () => SubscriptionState
  readonly subscriptions: () => Subscriptions
  readonly dispose: () => void
}

const badInput = (message: string): BasicError => new BasicError(errorCodes.general.BAD_INPUT, message)

/**
 * The services named by an application: `type` must be `websocket` (the default); names are
 * lowercased, unknown ones dropped, duplicates merged. No valid name left is `BAD_INPUT`.
 */
export function requestedServices(operation: SubscriptionOperation, services: unknown, type: unknown = 'websocket'): E.Either<BasicError, ServiceName[]> {
  const name = `services.${operation}`
  if (typeof type !== 'string' || type.toLowerCase() !== 'websocket') return E.left(badInput(`${name}: only the 'websocket' channel type is supported (got ${shown(type)})`))
  if (!Array.isArray(services)) return E.left(badInput(`${name}: services must be an array of service names`))
  if (services.length === 0) return E.left(badInput(`${name}: no services given; available: ${availableServices.join(', ')}`))
  const valid = [...new Set(services.filter((service): service is string => typeof service === 'string').map((service) => service.toLowerCase()))].filter(
    (service): service is ServiceName => (availableServices as readonly string[]).includes(service),
  )
  if (valid.length === 0) return E.left(badInput(`${name}: no valid service in [${services.map(shown).join(', ')}]; available: ${availableServices.join(', ')}`))
  return E.right(valid)
}

const toBasicError = (error: unknown, code: string, prefix: string): BasicError =>
  error instanceof BasicError ? error : new BasicError(code, `${prefix}: ${error instanceof Error ? error.message : String(error)}`)

/** The socket of a channel could not be opened: the channel was closed and deleted. */
class ChannelDropped {
  constructor(readonly error: BasicError) {}
}

/**
 * The notification channel and service subscriptions: `subscribe` creates the channel, opens
 * the socket and subscribes each service; the channel is refreshed at half its lifetime, and
 * re-created with its services when the platform lost it; `unsubscribe` removes the named
 * services and, with none left, closes the socket and deletes the channel. Requests are queued.
 */
export function createSubscription({ config, environment, logs, link, connection }: SubscriptionDeps): SubscriptionFeature {
  const logger = logs.logger('subscription')
  const { scheduler } = environment
  const state = new BehaviorSubject<SubscriptionState>(initialSubscriptionState)
  const events = new Subject<SubscriptionEvent>()
  const operations = new Subject<Observable<SubscriptionEvent>>()
  const running = new Subscription()

  const dispatch = (event: SubscriptionEvent): void => {
    const previous = state.getValue()
    const next = subscriptionReducer(previous, event)
    logger.action(event, previous, next)
    if (next !== previous) state.next(next)
    events.next(event)
  }

  const context = (user: AuthUser): requests.RequestContext => ({ link, user, config: config.current() })

  /** Emits once `subscription.timeout` seconds have passed since it was made. */
  const deadline = (): Observable<unknown> => {
    const expiresAt = scheduler.now() + config.current().subscription.timeout * 1000
    return defer(() => timer(Math.max(0, expiresAt - scheduler.now()), scheduler))
  }

  /** Runs `source` until the deadline; past it, unsubscribes it and fails with `error`. */
  const within = <T>(source: Observable<T>, deadline$: Observable<unknown>, error: () => BasicError): Observable<T> =>
    new Observable<T>((subscriber) => {
      const expiry = deadline$.subscribe(() => subscriber.error(error()))
      const inner = source.subscribe(subscriber)
      return () => {
        expiry.unsubscribe()
        inner.unsubscribe()
      }
    })

  const timedOut = (what: string, code: string) => (): BasicError =>
    new BasicError(code, `${what}: no answer within subscription.timeout (${config.current().subscription.timeout} s)`)

  const fetchTurn = (): Observable<TurnCredentials> =>
    defer(() => {
      const user = link.user()
      if (user === undefined) return EMPTY
      return requests.fetchTurnCredentials(context(user)).pipe(tap((credentials) => dispatch({ type: 'turnCredentialsReceived', credentials })))
    })

  /** The TURN fetch after a `call` subscription: owned by the feature, not by the request that started it. */
  const startTurnFetch = (): void => {
    const { call } = config.current()
    // Any list counts, even an empty one, and so does the default (unset); only null skips it (`calls.md` §2).
    if ((call.iceServers as unknown) === null || !call.serverTurnCredentials) return
    running.add(fetchTurn().subscribe({ error: (error: unknown) => logger.warn('TURN credentials not fetched', error) }))
  }

  /** Subscribes each service in parallel, until the deadline; failures are only logged. */
  const subscribeEach = (
    user: AuthUser,
    channel: Channel,
    services: readonly ServiceName[],
    deadline$: Observable<unknown>,
  ): Observable<{ subscriptions: ServiceSubscription[]; failed: ServiceFailure[] }> => {
    if (services.length === 0) return of({ subscriptions: [], failed: [] })
    const attempts = services.map((service) =>
      within(requests.subscribeService(context(user), channel, service), deadline$, timedOut(`Subscribe ${service} service`, errorCodes.subscription.CPAAS_SERVICE_SUB_FAIL)).pipe(
        tap(() => {
          if (service === 'call') startTurnFetch()
        }),
        map((subscription): ServiceSubscription | ServiceFailure => subscription),
        catchError((error: unknown) => of<ServiceFailure>({ service, error: toBasicError(error, errorCodes.subscription.CPAAS_SERVICE_SUB_FAIL, `Subscribe ${service} service`) })),
      ),
    )
    return forkJoin(attempts).pipe(
      map((results) => {
        const failed = results.filter((result): result is ServiceFailure => 'error' in result)
        for (const failure of failed) logger.warn(`Service ${failure.service} not subscribed: ${failure.error.message}`)
        return { subscriptions: results.filter((result): result is ServiceSubscription => !('error' in result)), failed }
      }),
    )
  }

  /** Deletes a channel nobody can use any more, in the background; failures are only logged. */
  const dropChannel = (user: AuthUser, channel: Channel): void => {
    running.add(requests.deleteChannel(context(user), channel).subscribe({ error: (error: unknown) => logger.debug('Channel not deleted', error) }))
  }

  /** Opens the socket on the channel before the deadline; on failure closes it and deletes the channel. */
  const openSocket = (user: AuthUser, channel: Channel, deadline$: Observable<unknown>): Observable<never> =>
    within(connection.commands.connect(channel.channelURL), deadline$, timedOut('WebSocket open', errorCodes.subscription.WS_CONNECTION_ERROR)).pipe(
      ignoreElements(),
      catchError((error: unknown) => {
        connection.commands.disconnect()
        dropChannel(user, channel)
        throw new ChannelDropped(toBasicError(error, errorCodes.subscription.WS_CONNECTION_ERROR, 'WebSocket open'))
      }),
    )

  const failed = (operation: SubscriptionOperation, error: unknown): SubscriptionEvent => {
    const channelDropped = error instanceof ChannelDropped
    const basic = channelDropped ? error.error : toBasicError(error, errorCodes.general.NO_CODE, `services.${operation}`)
    logger.warn(`services.${operation} failed: ${basic.message}`)
    return { type: 'operationFailed', operation, error: basic, channelDropped }
  }

  const withUser = (operation: SubscriptionOperation, run: (user: AuthUser) => Observable<SubscriptionEvent>): Observable<SubscriptionEvent> =>
    defer(() => {
      const user = link.user()
      return user === undefined
        ? of<SubscriptionEvent>({
            type: 'requestRejected',
            operation,
            error: new BasicError(errorCodes.authentication.INVALID_CREDENTIALS, `services.${operation}: no user; call setTokens first`),
          })
        : run(user)
    })

  const subscribeOperation = (services: readonly ServiceName[]): Observable<SubscriptionEvent> =>
    withUser('subscribe', (user) => {
      const deadline$ = deadline()
      const existing = state.getValue().channel
      const channel$: Observable<{ channel: Channel; created: boolean }> =
        existing !== undefined
          ? of({ channel: existing, created: false })
          : within(requests.createChannel(context(user)), deadline$, timedOut('Create notification channel', errorCodes.subscription.CPAAS_WSREQUEST_FAIL)).pipe(
              map((channel) => ({ channel, created: true })),
            )
      return concat(
        of<SubscriptionEvent>({ type: 'operationStarted', operation: 'subscribe' }),
        channel$.pipe(
          concatMap(({ channel, created }) => {
            const wanted = services.filter((service) => !subscribedServices(state.getValue()).includes(service))
            return concat(
              created ? of<SubscriptionEvent>({ type: 'channelCreated', channel }) : EMPTY,
              openSocket(user, channel, deadline$),
              subscribeEach(user, channel, wanted, deadline$).pipe(map((outcome): SubscriptionEvent => ({ type: 'servicesSubscribed', ...outcome }))),
            )
          }),
          catchError((error: unknown) => of(failed('subscribe', error))),
        ),
      )
    })

  const unsubscribeOperation = (services: readonly ServiceName[]): Observable<SubscriptionEvent> =>
    withUser('unsubscribe', (user) => {
      const { channel, subscriptions } = state.getValue()
      const leaving = subscriptions.filter((subscription) => services.includes(subscription.service))
      if (leaving.length === 0 || channel === undefined) {
        return of<SubscriptionEvent>({
          type: 'requestRejected',
          operation: 'unsubscribe',
          error: badInput(`services.unsubscribe: none of [${services.map(shown).join(', ')}] is subscribed`),
        })
      }
      const deadline$ = deadline()
      const lastOnes = leaving.length === subscriptions.length
      const deletes = leaving.map((subscription) =>
        requests.unsubscribeService(context(user), subscription).pipe(
          takeUntil(deadline$),
          catchError((error: unknown) => {
            logger.warn(`Service ${subscription.service} not unsubscribed on the platform`, error)
            return EMPTY
          }),
        ),
      )
      // With no service left the socket closes and the channel goes (channelType compared case-insensitively).
      const teardown$ =
        lastOnes && channel.channelType.toLowerCase() === 'websockets'
          ? defer(() => {
              connection.commands.disconnect()
              return requests.deleteChannel(context(user), channel).pipe(
                takeUntil(deadline$),
                catchError((error: unknown) => {
                  logger.warn('Notification channel not deleted on the platform', error)
                  return EMPTY
                }),
              )
            })
          : EMPTY
      return concat(
        of<SubscriptionEvent>({ type: 'operationStarted', operation: 'unsubscribe' }),
        merge(...deletes).pipe(ignoreElements()),
        teardown$.pipe(ignoreElements()),
        of<SubscriptionEvent>({ type: 'servicesUnsubscribed', services: leaving.map((subscription) => subscription.service), channelDeleted: lastOnes }),
      )
    })

  /** The platform lost `lost`: a new channel, the socket on it, the same services again. */
  const replaceOperation = (lost: Channel): Observable<SubscriptionEvent> =>
    defer(() => {
      const current = state.getValue()
      const user = link.user()
      if (current.channel?.id !== lost.id || user === undefined) return EMPTY
      logger.warn('The platform lost the notification channel: creating a new one')
      connection.commands.disconnect()
      const services = subscribedServices(current)
      const deadline$ = deadline()
      return within(requests.createChannel(context(user)), deadline$, timedOut('Create notification channel', errorCodes.subscription.CPAAS_WSREQUEST_FAIL)).pipe(
        concatMap((channel) =>
          concat(
            openSocket(user, channel, deadline$),
            subscribeEach(user, channel, services, deadline$).pipe(map((outcome): SubscriptionEvent => ({ type: 'channelReplaced', channel, ...outcome }))),
          ),
        ),
        catchError((error: unknown) => {
          const basic = error instanceof ChannelDropped ? error.error : toBasicError(error, errorCodes.subscription.CPAAS_WSREQUEST_FAIL, 'Channel re-creation')
          logger.error(`The notification channel could not be re-created: ${basic.message}`)
          return of<SubscriptionEvent>({ type: 'channelLost', error: basic })
        }),
      )
    })

  /** Reconnection gave up on `channelURL`: forget the channel (Recommendation §5) if it is still ours. */
  const forgetOperation = (channelURL: string, error: BasicError): Observable<SubscriptionEvent> =>
    defer(() => (state.getValue().channel?.channelURL === channelURL ? of<SubscriptionEvent>({ type: 'channelLost', error }) : EMPTY))

  const enqueue = (operation: Observable<SubscriptionEvent>): void => operations.next(operation)

  running.add(
    operations
      .pipe(
        concatMap((operation) =>
          operation.pipe(
            catchError((error: unknown) => {
              logger.error('A subscription operation failed unexpectedly', error)
              return EMPTY
            }),
          ),
        ),
      )
      .subscribe(dispatch),
  )

  const isGone = (error: unknown): boolean => httpStatusOf(error) === 404

  // Channel lifetime: refreshed at half of it (Recommendation §7), reported as auth:resub.
  running.add(
    state
      .pipe(
        map((current) => current.channel),
        distinctUntilChanged((a, b) => a?.id === b?.id),
        switchMap((channel) => {
          const user = link.user()
          if (channel === undefined || user === undefined) return EMPTY
          return refreshBefore(channel.lifetime, () => defer(() => requests.refreshChannel(context(link.user() ?? user), channel)), scheduler, { fatal: isGone }).pipe(
            tap((outcome) => {
              if (outcome.ok) dispatch({ type: 'channelRefreshed', attemptNum: outcome.attemptNum, lifetime: outcome.lifetime })
              else {
                const error = toBasicError(outcome.error, errorCodes.subscription.CPAAS_WSREFRESH_FAIL, 'Refresh notification channel')
                logger.warn(`Channel refresh failed: ${error.message}`)
                dispatch({ type: 'channelRefreshFailed', attemptNum: outcome.attemptNum, error })
                if (isGone(outcome.error)) enqueue(replaceOperation(channel))
              }
            }),
          )
        }),
      )
      .subscribe(),
  )

  // While the socket cannot reconnect, ask the platform whether the channel still exists.
  running.add(
    connection.events$
      .pipe(
        filter((event) => event.type === 'attemptFailed'),
        exhaustMap(() => {
          const { channel } = state.getValue()
          const user = link.user()
          if (channel === undefined || user === undefined) return EMPTY
          return requests.refreshChannel(context(user), channel).pipe(
            ignoreElements(),
            catchError((error: unknown) => {
              if (isGone(error)) enqueue(replaceOperation(channel))
              return EMPTY
            }),
          )
        }),
      )
      .subscribe(),
  )

  running.add(
    connection.events$.pipe(mergeMap((event) => (event.type === 'gaveUp' ? of(event) : EMPTY))).subscribe((event) => enqueue(forgetOperation(event.channelURL, event.error))),
  )

  const command = (operation: SubscriptionOperation, run: (services: readonly ServiceName[]) => Observable<SubscriptionEvent>) => (services: unknown, type?: unknown): void => {
    const requested = requestedServices(operation, services, type)
    if (E.isLeft(requested)) {
      logger.warn(requested.left.message)
      enqueue(of<SubscriptionEvent>({ type: 'requestRejected', operation, error: requested.left }))
      return
    }
    if (Array.isArray(services) && requested.right.length < services.length) logger.warn(`services.${operation}: unknown services dropped from [${services.map(shown).join(', ')}]`)
    enqueue(run(requested.right))
  }

  const view = (current: SubscriptionState): Subscriptions => ({ subscribed: subscribedServices(current), available: [...availableServices], isPending: current.isPending })
  const sameView = (a: Subscriptions, b: Subscriptions): boolean =>
    a.isPending === b.isPending && a.subscribed.length === b.subscribed.length && a.subscribed.every((service, index) => b.subscribed[index] === service)

  return {
    state$: state.asObservable(),
    events$: events.asObservable(),
    commands: {
      subscribe: command('subscribe', subscribeOperation),
      unsubscribe: command('unsubscribe', unsubscribeOperation),
      fetchTurnCredentials: fetchTurn,
    },
    subscriptions$: state.pipe(map(view), distinctUntilChanged(sameView)),
    turnCredentials$: state.pipe(
      map((current) => current.turnCredentials),
      distinctUntilChanged(),
    ),
    presenceListId$: state.pipe(
      map((current) => current.subscriptions.find((subscription) => subscription.service === 'presence')?.presenceListId),
      distinctUntilChanged(),
    ),
    current: () => state.getValue(),
    subscriptions: () => view(state.getValue()),
    dispose: () => {
      running.unsubscribe()
      operations.complete()
      state.complete()
      events.complete()
    },
  }
}
