import { EMPTY, concat, concatMap, catchError, defer, forkJoin, ignoreElements, map, merge, of, takeUntil, tap, type Observable, type SchedulerLike, type Subscription } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { ConnectionFeature } from '../connection/feature.js'
import type { AuthUser, PlatformLink } from '../connection/link.js'
import { BasicError, asBasicError, errorCodes, shown } from '../errors.js'
import type { Logger } from '../logs/logger.js'
import { before, deadlineIn, type Deadline } from './deadline.js'
import * as requests from './requests.js'
import { subscribedServices, type Channel, type ServiceFailure, type ServiceName, type ServiceSubscription, type SubscriptionEvent, type SubscriptionOperation, type SubscriptionState } from './state.js'

// The queued operations of the subscription feature, each a cold Observable of the events it causes.

/** What the operations use. */
export interface OperationDeps {
  readonly link: Pick<PlatformLink, 'request' | 'user'>
  readonly config: Pick<ConfigFeature, 'current'>
  readonly connection: Pick<ConnectionFeature['commands'], 'connect' | 'disconnect'>
  readonly scheduler: SchedulerLike
  readonly logger: Logger
  readonly current: () => SubscriptionState
  /** Owns work that outlives the operation that started it (deleting a dropped channel). */
  readonly running: Subscription
  /** A `call` subscription succeeded (TURN credentials are fetched then). */
  readonly callSubscribed: () => void
}

const codes = errorCodes.subscription

/** What subscribing services on a channel gave. */
interface Subscribed {
  readonly subscriptions: readonly ServiceSubscription[]
  readonly failed: readonly ServiceFailure[]
}

/** The socket of a channel could not be opened: the channel was closed and deleted. */
class ChannelDropped {
  constructor(readonly error: BasicError) {}
}

/** The subscribe, unsubscribe, replace and forget operations over `deps`. */
export function subscriptionOperations(deps: OperationDeps) {
  const { link, config, connection, logger } = deps
  const context = (user: AuthUser): requests.RequestContext => ({ link, user, config: config.current() })
  const deadline = (): Deadline => deadlineIn(config.current().subscription.timeout, deps.scheduler)
  const createChannel = (user: AuthUser, at: Deadline): Observable<Channel> =>
    requests.createChannel(context(user)).pipe(before(at, 'Create notification channel', codes.CPAAS_WSREQUEST_FAIL))

  /** Subscribes each service in parallel, until the deadline; failures are only logged. */
  const subscribeEach = (user: AuthUser, channel: Channel, services: readonly ServiceName[], at: Deadline): Observable<Subscribed> => {
    if (services.length === 0) return of({ subscriptions: [], failed: [] })
    const attempts = services.map((service) =>
      requests.subscribeService(context(user), channel, service).pipe(
        before(at, `Subscribe ${service} service`, codes.CPAAS_SERVICE_SUB_FAIL),
        tap(() => (service === 'call' ? deps.callSubscribed() : undefined)),
        map((subscription): ServiceSubscription | ServiceFailure => subscription),
        catchError((error: unknown) => of<ServiceFailure>({ service, error: asBasicError(error, codes.CPAAS_SERVICE_SUB_FAIL, `Subscribe ${service} service`) })),
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

  /** Opens the socket on the channel before the deadline; on failure closes it and deletes the channel (in the background). */
  const openSocket = (user: AuthUser, channel: Channel, at: Deadline): Observable<never> =>
    connection.connect(channel.channelURL).pipe(
      before(at, 'WebSocket open', codes.WS_CONNECTION_ERROR),
      ignoreElements(),
      catchError((error: unknown) => {
        connection.disconnect()
        deps.running.add(requests.deleteChannel(context(user), channel).subscribe({ error: (cause: unknown) => logger.debug('Channel not deleted', cause) }))
        throw new ChannelDropped(asBasicError(error, codes.WS_CONNECTION_ERROR, 'WebSocket open'))
      }),
    )

  const failed = (operation: SubscriptionOperation, error: unknown): SubscriptionEvent => {
    const channelDropped = error instanceof ChannelDropped
    const basic = channelDropped ? error.error : asBasicError(error, errorCodes.general.NO_CODE, `services.${operation}`)
    logger.warn(`services.${operation} failed: ${basic.message}`)
    return { type: 'operationFailed', operation, error: basic, channelDropped }
  }

  const rejected = (operation: SubscriptionOperation, error: BasicError): Observable<SubscriptionEvent> => of({ type: 'requestRejected', operation, error })

  const withUser = (operation: SubscriptionOperation, run: (user: AuthUser) => Observable<SubscriptionEvent>): Observable<SubscriptionEvent> =>
    defer(() => {
      const user = link.user()
      if (user !== undefined) return run(user)
      return rejected(operation, new BasicError(errorCodes.authentication.INVALID_CREDENTIALS, `services.${operation}: no user; call setTokens first`))
    })

  /** A request that fails is logged and left out (`what` names it). */
  const tolerated = <T>(request$: Observable<T>, at: Deadline, what: string): Observable<T> =>
    request$.pipe(
      takeUntil(at.passed$),
      catchError((error: unknown) => {
        logger.warn(what, error)
        return EMPTY
      }),
    )

  const subscribe = (services: readonly ServiceName[]): Observable<SubscriptionEvent> =>
    withUser('subscribe', (user) => {
      const at = deadline()
      const existing = deps.current().channel
      const channel$ = existing !== undefined ? of({ channel: existing, created: false }) : createChannel(user, at).pipe(map((channel) => ({ channel, created: true })))
      const subscribed$ = channel$.pipe(
        concatMap(({ channel, created }) => {
          const wanted = services.filter((service) => !subscribedServices(deps.current()).includes(service))
          return concat(
            created ? of<SubscriptionEvent>({ type: 'channelCreated', channel }) : EMPTY,
            openSocket(user, channel, at),
            subscribeEach(user, channel, wanted, at).pipe(map((outcome): SubscriptionEvent => ({ type: 'servicesSubscribed', ...outcome }))),
          )
        }),
        catchError((error: unknown) => of(failed('subscribe', error))),
      )
      return concat(of<SubscriptionEvent>({ type: 'operationStarted', operation: 'subscribe' }), subscribed$)
    })

  const unsubscribe = (services: readonly ServiceName[]): Observable<SubscriptionEvent> =>
    withUser('unsubscribe', (user) => {
      const { channel, subscriptions } = deps.current()
      const leaving = subscriptions.filter((subscription) => services.includes(subscription.service))
      if (leaving.length === 0 || channel === undefined) {
        return rejected('unsubscribe', new BasicError(errorCodes.general.BAD_INPUT, `services.unsubscribe: none of [${services.map(shown).join(', ')}] is subscribed`))
      }
      const at = deadline()
      const lastOnes = leaving.length === subscriptions.length
      const deletes = leaving.map((subscription) =>
        tolerated(requests.unsubscribeService(context(user), subscription), at, `Service ${subscription.service} not unsubscribed on the platform`),
      )
      // With no service left the socket closes and the channel goes (channelType compared case-insensitively).
      const teardown$ =
        lastOnes && channel.channelType.toLowerCase() === 'websockets'
          ? defer(() => {
              connection.disconnect()
              return tolerated(requests.deleteChannel(context(user), channel), at, 'Notification channel not deleted on the platform')
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
  const replace = (lost: Channel): Observable<SubscriptionEvent> =>
    defer(() => {
      const current = deps.current()
      const user = link.user()
      if (current.channel?.id !== lost.id || user === undefined) return EMPTY
      logger.warn('The platform lost the notification channel: creating a new one')
      connection.disconnect()
      const at = deadline()
      return createChannel(user, at).pipe(
        concatMap((channel) =>
          concat(
            openSocket(user, channel, at),
            subscribeEach(user, channel, subscribedServices(current), at).pipe(map((outcome): SubscriptionEvent => ({ type: 'channelReplaced', channel, ...outcome }))),
          ),
        ),
        catchError((error: unknown) => {
          const basic = error instanceof ChannelDropped ? error.error : asBasicError(error, codes.CPAAS_WSREQUEST_FAIL, 'Channel re-creation')
          logger.error(`The notification channel could not be re-created: ${basic.message}`)
          return of<SubscriptionEvent>({ type: 'channelLost', error: basic })
        }),
      )
    })

  /** Reconnection gave up on `channelURL`: forget the channel (Recommendation §5) if it is still ours. */
  const forget = (channelURL: string, error: BasicError): Observable<SubscriptionEvent> =>
    defer(() => (deps.current().channel?.channelURL === channelURL ? of<SubscriptionEvent>({ type: 'channelLost', error }) : EMPTY))

  return { subscribe, unsubscribe, replace, forget, rejected }
}
