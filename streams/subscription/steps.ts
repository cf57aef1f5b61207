import { catchError, concat, defer, forkJoin, ignoreElements, map, of, takeUntil, tap, type Observable, type SchedulerLike, type Subscription } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { ConnectionFeature } from '../connection/feature.js'
import type { AuthUser, PlatformLink } from '../connection/link.js'
import { BasicError, asBasicError, errorCodes, type ErrorCode } from '../errors.js'
import { loggedAndDropped, type Logger } from '../logs/logger.js'
import { before, deadlineIn, type Deadline } from './deadline.js'
import * as requests from './requests.js'
import { type Channel, type ServiceFailure, type ServiceName, type ServiceSubscription, type SubscriptionEvent, type SubscriptionOperation, type SubscriptionState } from './state.js'

// The steps of the subscription operations: channel, socket, services, each before the deadline.

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

type Subscribed = Pick<Extract<SubscriptionEvent, { type: 'servicesSubscribed' }>, 'subscriptions' | 'failed'>

/** The socket of a channel could not be opened: the channel was closed and deleted. */
class ChannelDropped {
  constructor(readonly error: BasicError) {}
}

/** The error of a dropped channel, or any other failure as a BasicError with `code` after `context`. */
export const droppedOr = (error: unknown, code: ErrorCode, context: string): BasicError => (error instanceof ChannelDropped ? error.error : asBasicError(error, code, context))

export function channelSteps(deps: OperationDeps) {
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

  /**
   * Opens the socket on the channel before the deadline. On failure a channel `created` for this request is closed and deleted (in the
   * background); one held before is left to the connection, whose reconnection goes on (its giving up forgets the channel).
   */
  const openSocket = (user: AuthUser, channel: Channel, at: Deadline, created: boolean): Observable<never> =>
    connection.connect(channel.channelURL).pipe(
      before(at, 'WebSocket open', codes.WS_CONNECTION_ERROR),
      ignoreElements(),
      catchError((error: unknown) => {
        const basic = asBasicError(error, codes.WS_CONNECTION_ERROR, 'WebSocket open')
        if (!created) throw basic
        connection.disconnect()
        deps.running.add(requests.deleteChannel(context(user), channel).subscribe({ error: (cause: unknown) => logger.debug('Channel not deleted', cause) }))
        throw new ChannelDropped(basic)
      }),
    )

  /** The socket on the channel (`created` for this request or held before), then the services subscribed on it, as the event `done` makes of what they gave. */
  const openAndSubscribe = (
    user: AuthUser,
    channel: Channel,
    created: boolean,
    services: readonly ServiceName[],
    at: Deadline,
    done: (outcome: Subscribed) => SubscriptionEvent,
  ): Observable<SubscriptionEvent> => concat(openSocket(user, channel, at, created), subscribeEach(user, channel, services, at).pipe(map(done)))

  const failed = (operation: SubscriptionOperation, error: unknown): SubscriptionEvent => {
    const basic = droppedOr(error, errorCodes.general.NO_CODE, `services.${operation}`)
    logger.warn(`services.${operation} failed: ${basic.message}`)
    return { type: 'operationFailed', operation, error: basic, channelDropped: error instanceof ChannelDropped }
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
    request$.pipe(takeUntil(at.passed$), loggedAndDropped(logger, 'warn', what))

  return { context, deadline, createChannel, openAndSubscribe, failed, rejected, withUser, tolerated }
}
