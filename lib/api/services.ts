import { each } from '../../streams/each.js'
import type { SubscriptionEvent } from '../../streams/subscription/state.js'
import type { SubscriptionFeature } from '../../streams/subscription/feature.js'
import { errorCodes } from '../../streams/errors.js'
import type { PublicEvent } from '../events.js'
import { argument, Ids } from './arguments.js'
import type { Namespace } from '../namespace.js'

/** What `services.getSubscriptions()` returns. */
export interface SubscriptionsInfo {
  /** The services with an active subscription (lowercase). */
  readonly subscribed: string[]
  /** The services an application can subscribe to: `call`, `chat`, `smsinbound`, `presence`. */
  readonly available: string[]
  /** A `subscribe` / `unsubscribe` request is running. */
  readonly isPending: boolean
}

/** The documented `services` namespace (api-reference, Subscription). */
export interface ServicesApi {
  /**
   * Subscribes to platform notifications for SDK services: creates the notification channel (once), opens the WebSocket (`type`:
   * only `'websocket'`, the default) and subscribes each service. Names are case-insensitive; unknown ones are dropped.
   * `subscription:change` fires when the request starts and when it ends (services that failed are simply not in `subscribed`);
   * `subscription:error` when it failed as a whole (`BAD_INPUT` for no valid service, `subscription:2` channel creation,
   * `subscription:1` WebSocket). Requests run one after the other.
   *
   * client.services.subscribe(['call', 'chat', 'smsinbound', 'presence'])
   * @throws BasicError `BAD_INPUT` when `services` is not an array (the reference throws too).
   */
  subscribe(services: string[], type?: string): void
  /**
   * Cancels subscriptions of the named services (the others stay); when none remains the WebSocket is closed and the channel deleted.
   * `subscription:change` at start and end; `subscription:error` with `BAD_INPUT` when none of the services is subscribed. `type` as for `subscribe`.
   *
   * client.services.unsubscribe(['chat'])
   * @throws BasicError `BAD_INPUT` when `services` is not an array (the reference throws too).
   */
  unsubscribe(services: string[], type?: string): void
  /**
   * Retrieves the subscribed and available services, and whether a request is running. No I/O.
   *
   * const { subscribed, available } = client.services.getSubscriptions()
   * client.services.subscribe(available.filter(service => !subscribed.includes(service)))
   */
  getSubscriptions(): SubscriptionsInfo
}

const change: PublicEvent = { type: 'subscription:change', payload: {} }
/** Every service dropped because the channel cannot be reached any more: the original SDK's reason. */
const lostConnection: PublicEvent = { type: 'subscription:change', payload: { reason: 'LOST_CONNECTION' } }

/** The documented events of the subscription feature (`protocol/events.md` §2–3). */
const subscriptionPublicEvents = (event: SubscriptionEvent): PublicEvent[] => {
  switch (event.type) {
    case 'operationStarted':
    case 'servicesSubscribed':
    case 'servicesUnsubscribed':
    case 'channelReplaced':
      return [change]
    case 'operationFailed':
    case 'requestRejected':
      return [{ type: 'subscription:error', payload: { error: event.error } }]
    case 'channelLost':
      return [lostConnection, { type: 'subscription:error', payload: { error: event.error } }]
    case 'channelRefreshed':
      return [{ type: 'auth:resub', payload: { attemptNum: event.attemptNum, isFailure: false } }]
    case 'channelRefreshFailed':
      return [{ type: 'auth:resub', payload: { attemptNum: event.attemptNum, isFailure: true, error: event.error } }]
    case 'channelCreated':
    case 'turnCredentialsReceived':
      return []
  }
}

/** The services an app named, once they are an array (the reference throws otherwise; other entries are the feature's to drop). */
const listOf = (services: string[], operation: string): readonly string[] => {
  argument(Ids, services, errorCodes.general.BAD_INPUT, `services.${operation}(services)`)
  return services
}

/** The `services` namespace over the subscription feature. */
export function servicesApi({ subscription }: { readonly subscription: SubscriptionFeature }): Namespace<ServicesApi> {
  return {
    api: {
      subscribe: (services, type) => subscription.commands.subscribe(listOf(services, 'subscribe'), type),
      unsubscribe: (services, type) => subscription.commands.unsubscribe(listOf(services, 'unsubscribe'), type),
      getSubscriptions: () => {
        const { subscribed, available, isPending } = subscription.subscriptions()
        return { subscribed: [...subscribed], available: [...available], isPending }
      },
    },
    events$: subscription.events$.pipe(each(subscriptionPublicEvents)),
  }
}
