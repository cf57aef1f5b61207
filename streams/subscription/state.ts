import type { BasicError } from '../errors.js'
import type { TurnCredentials } from './codecs.js'

/** The services an application can subscribe to (`channel-and-subscriptions.md` §9). */
export const availableServices = ['call', 'chat', 'smsinbound', 'presence'] as const
export type ServiceName = (typeof availableServices)[number]

/** The notification channel the SDK created. */
export interface Channel {
  /** The text after `/channels/` in its `resourceURL`. */
  readonly id: string
  /** Copied into every subscription's `notifyURL`. */
  readonly callbackURL: string
  /** The WebSocket path. */
  readonly channelURL: string
  readonly resourceURL: string
  readonly channelType: string
  /** Seconds, as granted (or as requested when the platform did not say). */
  readonly lifetime: number
}

/** One service subscription on the channel. */
export interface ServiceSubscription {
  readonly service: ServiceName
  /** The subscription id (from its `resourceURL`). */
  readonly id: string
  readonly resourceURL: string
  /** `presence` only: the presence list the subscription is for (also needed to watch users). */
  readonly presenceListId?: string
}

/** A service that could not be subscribed (never reported to the application, only logged). */
export interface ServiceFailure {
  readonly service: ServiceName
  readonly error: BasicError
}

export interface SubscriptionState {
  readonly channel: Channel | undefined
  readonly subscriptions: readonly ServiceSubscription[]
  /** A `subscribe` / `unsubscribe` request is running. */
  readonly isPending: boolean
  /** Fetched after a successful `call` subscription (`calls.md` §2). */
  readonly turnCredentials: TurnCredentials | undefined
}

export type SubscriptionOperation = 'subscribe' | 'unsubscribe'

export type SubscriptionEvent =
  /** A request was refused before anything started (bad arguments, no user, nothing to unsubscribe). */
  | { readonly type: 'requestRejected'; readonly operation: SubscriptionOperation; readonly error: BasicError }
  | { readonly type: 'operationStarted'; readonly operation: SubscriptionOperation }
  | { readonly type: 'channelCreated'; readonly channel: Channel }
  /** A subscribe request finished; `failed` services are simply not subscribed. */
  | { readonly type: 'servicesSubscribed'; readonly subscriptions: readonly ServiceSubscription[]; readonly failed: readonly ServiceFailure[] }
  /** An unsubscribe request finished; with no service left the socket was closed and the channel deleted. */
  | { readonly type: 'servicesUnsubscribed'; readonly services: readonly ServiceName[]; readonly channelDeleted: boolean }
  /** A request failed as a whole; `channelDropped` when its channel could not be used and was given up. */
  | { readonly type: 'operationFailed'; readonly operation: SubscriptionOperation; readonly error: BasicError; readonly channelDropped: boolean }
  | { readonly type: 'channelRefreshed'; readonly attemptNum: number; readonly lifetime: number }
  | { readonly type: 'channelRefreshFailed'; readonly attemptNum: number; readonly error: BasicError }
  /** The platform lost the channel; a new one carries the services that could be subscribed again. */
  | { readonly type: 'channelReplaced'; readonly channel: Channel; readonly subscriptions: readonly ServiceSubscription[]; readonly failed: readonly ServiceFailure[] }
  /** The channel cannot be used any more (reconnection gave up, or it could not be replaced): it and every subscription are forgotten. */
  | { readonly type: 'channelLost'; readonly error: BasicError }
  | { readonly type: 'turnCredentialsReceived'; readonly credentials: TurnCredentials }

export const initialSubscriptionState: SubscriptionState = { channel: undefined, subscriptions: [], isPending: false, turnCredentials: undefined }

/** The subscribed service names, each once, in subscription order. */
export const subscribedServices = (state: SubscriptionState): ServiceName[] => [...new Set(state.subscriptions.map((subscription) => subscription.service))]

/** No channel, so no subscription either. */
const channelGone = (state: SubscriptionState): SubscriptionState => ({ ...state, channel: undefined, subscriptions: [] })

const without = (subscriptions: readonly ServiceSubscription[], services: readonly ServiceName[]): ServiceSubscription[] =>
  subscriptions.filter((subscription) => !services.includes(subscription.service))

export const subscriptionReducer = (state: SubscriptionState, event: SubscriptionEvent): SubscriptionState => {
  switch (event.type) {
    case 'requestRejected':
    case 'channelRefreshFailed':
      return state
    case 'operationStarted':
      return { ...state, isPending: true }
    case 'channelCreated':
      return { ...state, channel: event.channel, subscriptions: [] }
    case 'servicesSubscribed': {
      const added = event.subscriptions.map((subscription) => subscription.service)
      return { ...state, isPending: false, subscriptions: [...without(state.subscriptions, added), ...event.subscriptions] }
    }
    case 'servicesUnsubscribed':
      return { ...(event.channelDeleted ? channelGone(state) : { ...state, subscriptions: without(state.subscriptions, event.services) }), isPending: false }
    case 'operationFailed':
      return { ...(event.channelDropped ? channelGone(state) : state), isPending: false }
    case 'channelRefreshed':
      return state.channel === undefined || state.channel.lifetime === event.lifetime ? state : { ...state, channel: { ...state.channel, lifetime: event.lifetime } }
    case 'channelReplaced':
      return { ...state, channel: event.channel, subscriptions: event.subscriptions }
    case 'channelLost':
      return channelGone(state)
    case 'turnCredentialsReceived':
      return { ...state, turnCredentials: event.credentials }
  }
}
