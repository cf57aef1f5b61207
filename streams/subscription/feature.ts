import * as E from 'fp-ts/Either'
import { EMPTY, Subject, Subscription, concatMap, defer, distinctUntilChanged, map, tap, type Observable } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { ConnectionFeature } from '../connection/feature.js'
import type { PlatformLink } from '../connection/link.js'
import type { Environment } from '../environment.js'
import { shown } from '../errors.js'
import { select, storeFeature, type StoreFeature } from '../feature.js'
import { loggedAndDropped, type Logs } from '../logs/logger.js'
import { createStore, echoing } from '../store.js'
import type { TurnCredentials } from './codecs.js'
import { keepChannel } from './keeping.js'
import { subscriptionOperations } from './operations.js'
import * as requests from './requests.js'
import { requestedServices, sameSubscriptions, subscriptionsOf, type Subscriptions } from './services.js'
import { initialSubscriptionState, subscriptionReducer, type Channel, type SubscriptionEvent, type SubscriptionOperation, type SubscriptionState } from './state.js'

export { requestedServices, type Subscriptions } from './services.js'

export interface SubscriptionDeps {
  readonly config: ConfigFeature
  readonly environment: Pick<Environment, 'scheduler'>
  readonly logs: Logs
  readonly link: Pick<PlatformLink, 'request' | 'user'>
  readonly connection: { readonly commands: Pick<ConnectionFeature['commands'], 'connect' | 'disconnect'>; readonly events$: ConnectionFeature['events$'] }
}

export interface SubscriptionCommands {
  /** `services.subscribe(services, type)`: queued; outcome `servicesSubscribed` or `operationFailed` / `requestRejected`. */
  readonly subscribe: (services: readonly string[], type?: string) => void
  /** `services.unsubscribe(services, type)`: queued; outcome `servicesUnsubscribed` or `requestRejected`. */
  readonly unsubscribe: (services: readonly string[], type?: string) => void
  /** Fetches TURN credentials again (e.g. before a call when the fetch at subscription time failed). */
  readonly fetchTurnCredentials: () => Observable<TurnCredentials>
}

export interface SubscriptionFeature extends StoreFeature<SubscriptionState, SubscriptionEvent, SubscriptionCommands> {
  /** Hot; `{ subscribed, available, isPending }`. */
  readonly subscriptions$: Observable<Subscriptions>
  /** Hot; the TURN credentials for calls (undefined until a `call` subscription fetched them). */
  readonly turnCredentials$: Observable<TurnCredentials | undefined>
  /** Hot; the presence list of the `presence` subscription (undefined without one), needed to watch users. */
  readonly presenceListId$: Observable<string | undefined>
  readonly subscriptions: () => Subscriptions
}

/**
 * The notification channel and service subscriptions, requests queued: `subscribe` creates the channel, opens the socket and subscribes each service;
 * `unsubscribe` with no service left closes the socket and deletes the channel. The channel is refreshed at half its lifetime, re-created when lost.
 */
export function createSubscription({ config, environment, logs, link, connection }: SubscriptionDeps): SubscriptionFeature {
  const logger = logs.logger('subscription')
  const { scheduler } = environment
  const store = createStore(initialSubscriptionState, echoing(subscriptionReducer), logger)
  const dispatch = (event: SubscriptionEvent): void => void store.dispatch(event)
  const queue = new Subject<Observable<SubscriptionEvent>>()
  const running = new Subscription(() => queue.complete())
  const enqueue = (operation: Observable<SubscriptionEvent>): void => queue.next(operation)

  const fetchTurnCredentials = (): Observable<TurnCredentials> =>
    defer(() => {
      const user = link.user()
      if (user === undefined) return EMPTY
      return requests.fetchTurnCredentials({ link, user, config: config.current() }).pipe(tap((credentials) => dispatch({ type: 'turnCredentialsReceived', credentials })))
    })

  /** The TURN fetch after a `call` subscription: owned by the feature, not by the request that started it. */
  const callSubscribed = (): void => {
    const { call } = config.current()
    // Any list counts, even an empty one, and so does the default (unset); only null skips it (`calls.md` §2).
    if (call.iceServers === null || !call.serverTurnCredentials) return
    running.add(fetchTurnCredentials().subscribe({ error: (error: unknown) => logger.warn('TURN credentials not fetched', error) }))
  }

  const operations = subscriptionOperations({ link, config, connection: connection.commands, scheduler, logger, current: store.current, running, callSubscribed })
  // Operations run one after the other, in the order they were asked for.
  running.add(queue.pipe(concatMap((operation) => operation.pipe(loggedAndDropped(logger, 'error', 'A subscription operation failed unexpectedly')))).subscribe(dispatch))
  const replace = (lost: Channel): void => enqueue(operations.replace(lost))
  running.add(keepChannel({ link, config, connectionEvents$: connection.events$, scheduler, logger, state$: store.state$, current: store.current, dispatch, replace }).subscribe())
  running.add(connection.events$.subscribe((event) => (event.type === 'gaveUp' ? enqueue(operations.forget(event.channelURL, event.error)) : undefined)))

  const command = (operation: SubscriptionOperation) => (services: readonly string[], type?: string): void => {
    // The app may pass anything: requestedServices checks it.
    const requested = requestedServices(operation, services, type)
    if (E.isLeft(requested)) {
      logger.warn(requested.left.message)
      return enqueue(operations.rejected(operation, requested.left))
    }
    if (Array.isArray(services) && requested.right.length < services.length) logger.warn(`services.${operation}: unknown services dropped from [${services.map(shown).join(', ')}]`)
    enqueue(operations[operation](requested.right))
  }

  return {
    ...storeFeature(store, running),
    commands: { subscribe: command('subscribe'), unsubscribe: command('unsubscribe'), fetchTurnCredentials },
    subscriptions$: store.state$.pipe(map(subscriptionsOf), distinctUntilChanged(sameSubscriptions)),
    turnCredentials$: select(store.state$, (state) => state.turnCredentials),
    presenceListId$: select(store.state$, (state) => state.subscriptions.find((subscription) => subscription.service === 'presence')?.presenceListId),
    subscriptions: () => subscriptionsOf(store.current()),
  }
}
