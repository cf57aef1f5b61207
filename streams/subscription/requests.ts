import type * as t from 'io-ts'
import { Observable, concatMap, map, of } from 'rxjs'
import type { Config } from '../config/state.js'
import type { AuthUser, PlatformLink } from '../connection/link.js'
import { invalidResponseCode } from '../connection/request.js'
import { BasicError, errorCodes } from '../errors.js'
import { definedFields } from '../record.js'
import type { CreatePresenceListRequest, PresenceListSubscriptionRequest } from '../presence/codecs.js'
import {
  CallSubscriptionResponse,
  ChannelLifetimeResponse,
  ChatSubscriptionResponse,
  CreateChannelResponse,
  CreatePresenceListResponse,
  PresenceListCollection,
  PresenceListSubscriptionResponse,
  SmsInboundSubscriptionResponse,
  TurnCredentialsResponse,
  type CallSubscriptionRequest,
  type ChannelLifetimeRequest,
  type ChatSubscriptionRequest,
  type CreateChannelRequest,
  type SmsInboundSubscriptionRequest,
  type TurnCredentials,
  type TurnCredentialsRequest,
} from './codecs.js'
import type { Channel, ServiceName, ServiceSubscription } from './state.js'

// The REST calls of the subscription feature (`channel-and-subscriptions.md` §2, §6–§8, `presence-groups-users.md` §1.4, `calls.md` §2).

export interface RequestContext {
  readonly link: Pick<PlatformLink, 'request'>
  readonly user: AuthUser
  readonly config: Config
}

const { subscription: codes } = errorCodes

/** The presence list the SDK creates when the user has none. */
const presenceListName = 'myList'
/** Seconds a presence list subscription is asked to last. */
const presenceSubscriptionDuration = 86400

/** `/cpaas/<api>/<version>/<userId>`: where every resource of the user's `api` lives. */
const userPath = (context: RequestContext, api: string): string => `/cpaas/${api}/${context.config.authentication.server.version}/${context.user.username}`
const channelsPath = (context: RequestContext): string => `${userPath(context, 'notificationchannel')}/channels`
const listSubscriptionsPath = (context: RequestContext): string => `${userPath(context, 'presence')}/subscriptions/presenceListSubscriptions`
/** The channel lifetime asked for (seconds): `subscription.expires` when set, as the reference reads it. */
const wantedLifetime = ({ subscription }: Config): number => subscription.expires ?? subscription.channelLifetime
const correlator = ({ authentication: { clientCorrelator } }: Config) => definedFields({ clientCorrelator })

/** The text after `marker` in a resource URL (ids end their URLs). */
const after = (url: string, marker: string): string | undefined => {
  const index = url.indexOf(marker)
  return index < 0 ? undefined : url.slice(index + marker.length) || undefined
}
const lastSegment = (url: string): string | undefined => url.split('/').filter((segment) => segment !== '').pop()

const unusable = (operation: string, fixedCode: string | undefined, detail: string): BasicError =>
  new BasicError(fixedCode ?? invalidResponseCode, `${operation} request failed: ${detail}`)

/** An id read from a resource URL; an answer that names none is an error. */
const idIn = (id: string | undefined, operation: string, what: string, fixedCode?: string): string => {
  if (id === undefined) throw unusable(operation, fixedCode, `resourceURL names no ${what} id`)
  return id
}

/** `POST .../channels`: a WebSocket channel with the configured lifetime and connectivity role. */
export function createChannel(context: RequestContext): Observable<Channel> {
  const operation = 'Create notification channel'
  const lifetime = wantedLifetime(context.config)
  const role = definedFields({ 'x-connCheckRole': context.config.connectivity.method.responsibleParty })
  const body: CreateChannelRequest = { notificationChannel: { channelLifetime: lifetime, channelType: 'Websockets', ...correlator(context.config), ...role } }
  return context.link.request({ method: 'POST', path: channelsPath(context), body, operation, fixedCode: codes.CPAAS_WSREQUEST_FAIL, response: CreateChannelResponse }).pipe(
    map(({ notificationChannel: channel }): Channel => {
      const id = idIn(after(channel.resourceURL, '/channels/'), operation, 'channel', codes.CPAAS_WSREQUEST_FAIL)
      const channelURL = channel.channelData.channelURL
      if (!channelURL.startsWith('/')) throw unusable(operation, codes.CPAAS_WSREQUEST_FAIL, 'channelURL is not a path')
      return {
        id,
        callbackURL: channel.callbackURL,
        channelURL,
        resourceURL: channel.resourceURL,
        channelType: channel.channelType ?? 'Websockets',
        lifetime: channel.channelLifetime ?? lifetime,
      }
    }),
  )
}

/** `PUT .../channels/<id>`: asks for the configured lifetime again; emits the granted lifetime (seconds). */
export function refreshChannel(context: RequestContext, channel: Channel): Observable<number> {
  const lifetime = wantedLifetime(context.config)
  const body: ChannelLifetimeRequest = { notificationChannelLifetime: { channelLifetime: lifetime } }
  const path = `${channelsPath(context)}/${channel.id}`
  return context.link
    .request({ method: 'PUT', path, body, operation: 'Refresh notification channel', fixedCode: codes.CPAAS_WSREFRESH_FAIL, response: ChannelLifetimeResponse })
    .pipe(map((response) => response.notificationChannelLifetime?.channelLifetime ?? lifetime))
}

/** `DELETE .../channels/<id>` (the platform closes its sockets and drops its subscriptions). */
export const deleteChannel = (context: RequestContext, channel: Channel): Observable<void> =>
  context.link.request({ method: 'DELETE', path: `${channelsPath(context)}/${channel.id}`, operation: 'Delete notification channel', fixedCode: codes.CPAAS_UNSUBSCRIBE_FAIL })

const subscriptionObject = (context: RequestContext, channel: Channel) => ({ callbackReference: { notifyURL: channel.callbackURL }, ...correlator(context.config) })

/**
 * A service subscribed with a POST of `{ <key>: subscription }` to `/cpaas/<api>/<version>/<userId>/<tail>` (§8), removed with a DELETE of `<tail>/<id>`;
 * its body is typed by the request codec the platform decodes it with.
 */
const simple = <K extends string, Body extends Record<K, object>>(api: string, tail: string, key: K, response: t.Decoder<unknown, Readonly<Record<K, { readonly resourceURL: string }>>>, unsubscribeCode: string) => ({
  path: (context: RequestContext): string => `${userPath(context, api)}/${tail}`,
  unsubscribeCode,
  post: (context: RequestContext, path: string, subscription: Body[K], operation: string): Observable<string> =>
    context.link
      .request({ method: 'POST', path, body: { [key]: subscription }, operation, fixedCode: codes.CPAAS_SERVICE_SUB_FAIL, response })
      .pipe(map((answer) => answer[key].resourceURL)),
})

const simpleServices = {
  call: simple<'wrtcsNotificationSubscription', CallSubscriptionRequest>('webrtcsignaling', 'subscriptions', 'wrtcsNotificationSubscription', CallSubscriptionResponse, codes.CPAAS_SERVICE_SUB_FAIL),
  chat: simple<'chatNotificationSubscription', ChatSubscriptionRequest>('chat', 'subscriptions', 'chatNotificationSubscription', ChatSubscriptionResponse, codes.CPAAS_SERVICE_UNSUB_FAIL),
  smsinbound: simple<'subscription', SmsInboundSubscriptionRequest>('smsmessaging', 'inbound/subscriptions', 'subscription', SmsInboundSubscriptionResponse, codes.CPAAS_SERVICE_UNSUB_FAIL),
}

/** The user's first presence list, created when there is none (§1.4). */
function presenceListId(context: RequestContext): Observable<string> {
  const path = `${userPath(context, 'presence')}/presenceLists`
  const create: CreatePresenceListRequest = { presenceList: { 'x-listName': presenceListName, presenceContact: [] } }
  return context.link.request({ method: 'GET', path, operation: 'Get presence lists', response: PresenceListCollection }).pipe(
    concatMap(({ presenceListCollection }) => {
      const first = presenceListCollection.presenceList[0]
      if (first !== undefined) return of(first.resourceURL)
      return context.link
        .request({ method: 'POST', path, body: create, operation: 'Create presence list', response: CreatePresenceListResponse })
        .pipe(map((response) => response.presenceList.resourceURL))
    }),
    map((resourceURL) => idIn(lastSegment(resourceURL), 'Get presence lists', 'presence list')),
  )
}

/** The presence dance: the first presence list, then a subscription to it. */
function subscribePresence(context: RequestContext, channel: Channel): Observable<ServiceSubscription> {
  const operation = 'Subscribe to presence list'
  return presenceListId(context).pipe(
    concatMap((listId) => {
      const body: PresenceListSubscriptionRequest = { presenceListSubscription: { ...subscriptionObject(context, channel), duration: presenceSubscriptionDuration } }
      const path = `${listSubscriptionsPath(context)}/${listId}`
      return context.link.request({ method: 'POST', path, body, operation, response: PresenceListSubscriptionResponse })
    }),
    map(({ presenceListSubscription: { resourceURL, presenceListId } }): ServiceSubscription => ({ service: 'presence', id: idIn(lastSegment(resourceURL), operation, 'subscription'), resourceURL, presenceListId })),
  )
}

/** Subscribes one service on the channel with the exact bodies of §8; emits its record. */
export function subscribeService(context: RequestContext, channel: Channel, service: ServiceName): Observable<ServiceSubscription> {
  if (service === 'presence') return subscribePresence(context, channel)
  const operation = `Subscribe ${service} service`
  const body = { ...subscriptionObject(context, channel), ...(service === 'smsinbound' ? definedFields({ destinationAddress: context.config.messaging.smsFrom }) : {}) }
  const { path, post } = simpleServices[service]
  return post(context, path(context), body, operation).pipe(
    map((resourceURL) => ({ service, id: idIn(after(resourceURL, '/subscriptions/'), operation, 'subscription', codes.CPAAS_SERVICE_SUB_FAIL), resourceURL })),
  )
}

/** Deletes one service subscription (§6, §8). */
export function unsubscribeService(context: RequestContext, subscription: ServiceSubscription): Observable<void> {
  const { service, id } = subscription
  if (service === 'presence') {
    const path = `${listSubscriptionsPath(context)}/${subscription.presenceListId ?? ''}/${id}`
    return context.link.request({ method: 'DELETE', path, operation: 'Unsubscribe from presence list' })
  }
  const { path, unsubscribeCode } = simpleServices[service]
  return context.link.request({ method: 'DELETE', path: `${path(context)}/${id}`, operation: `Unsubscribe ${service} service`, fixedCode: unsubscribeCode })
}

/** `POST .../turn` (`calls.md` §2). */
export function fetchTurnCredentials(context: RequestContext): Observable<TurnCredentials> {
  const body: TurnCredentialsRequest = { wrtcsTurnCredentials: correlator(context.config) }
  const path = `${userPath(context, 'webrtcsignaling')}/turn`
  return context.link.request({ method: 'POST', path, body, operation: 'Fetch credentials', response: TurnCredentialsResponse }).pipe(map((response) => response.wrtcsTurnCredentials))
}
