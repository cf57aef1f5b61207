import { Observable, concatMap, map, of, throwError } from 'rxjs'
import type { Config } from '../config/state.js'
import type { AuthUser, PlatformLink } from '../connection/link.js'
import { invalidResponseCode } from '../connection/request.js'
import { BasicError, errorCodes } from '../errors.js'
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
  type CreatePresenceListRequest,
  type PresenceListSubscriptionRequest,
  type SmsInboundSubscriptionRequest,
  type TurnCredentials,
  type TurnCredentialsRequest,
} from './codecs.js'
import type { Channel, ServiceName, ServiceSubscription } from './state.js'

// The REST calls of the subscription feature (`channel-and-subscriptions.md` §2, §6–§8,
// `presence-groups-users.md` §1.4, `calls.md` §2), each a cold Observable.

/** What every call needs: the link, the user whose id is the path segment, and the configuration. */
export interface RequestContext {
  readonly link: Pick<PlatformLink, 'request'>
  readonly user: AuthUser
  readonly config: Config
}

const { subscription: codes } = errorCodes

/** The presence list the SDK creates when the user has none. */
export const presenceListName = 'myList'
/** Seconds a presence list subscription is asked to last. */
export const presenceSubscriptionDuration = 86400

const version = (context: RequestContext): string => context.config.authentication.server.version
const channelsPath = (context: RequestContext): string => `/cpaas/notificationchannel/${version(context)}/${context.user.username}/channels`

/** The text after `marker` in a resource URL (ids end their URLs). */
const after = (url: string, marker: string): string | undefined => {
  const index = url.indexOf(marker)
  const id = index < 0 ? '' : url.slice(index + marker.length)
  return id === '' ? undefined : id
}
const lastSegment = (url: string): string | undefined => url.split('/').filter((segment) => segment !== '').pop()

const unusable = (operation: string, fixedCode: string | undefined, detail: string): BasicError =>
  new BasicError(fixedCode ?? invalidResponseCode, `${operation} request failed: ${detail}`)

/** `POST .../channels`: a WebSocket channel with the configured lifetime and connectivity role. */
export function createChannel(context: RequestContext): Observable<Channel> {
  const operation = 'Create notification channel'
  const { subscription, authentication, connectivity } = context.config
  const lifetime = subscription.expires ?? subscription.channelLifetime
  const body: CreateChannelRequest = {
    notificationChannel: {
      channelLifetime: lifetime,
      channelType: 'Websockets',
      ...(authentication.clientCorrelator !== undefined ? { clientCorrelator: authentication.clientCorrelator } : {}),
      ...(connectivity.method.responsibleParty !== undefined ? { 'x-connCheckRole': connectivity.method.responsibleParty } : {}),
    },
  }
  return context.link
    .request({ method: 'POST', path: channelsPath(context), body, operation, fixedCode: codes.CPAAS_WSREQUEST_FAIL, response: CreateChannelResponse })
    .pipe(
      concatMap(({ notificationChannel: channel }) => {
        const id = after(channel.resourceURL, '/channels/')
        const channelURL = channel.channelData.channelURL
        if (id === undefined) return throwError(() => unusable(operation, codes.CPAAS_WSREQUEST_FAIL, 'resourceURL names no channel id'))
        if (!channelURL.startsWith('/')) return throwError(() => unusable(operation, codes.CPAAS_WSREQUEST_FAIL, 'channelURL is not a path'))
        return of<Channel>({
          id,
          callbackURL: channel.callbackURL,
          channelURL,
          resourceURL: channel.resourceURL,
          channelType: channel.channelType ?? 'Websockets',
          lifetime: channel.channelLifetime ?? lifetime,
        })
      }),
    )
}

/** `PUT .../channels/<id>`: asks for the configured lifetime again; emits the granted lifetime (seconds). */
export function refreshChannel(context: RequestContext, channel: Channel): Observable<number> {
  const { subscription } = context.config
  const lifetime = subscription.expires ?? subscription.channelLifetime
  const body: ChannelLifetimeRequest = { notificationChannelLifetime: { channelLifetime: lifetime } }
  return context.link
    .request({
      method: 'PUT',
      path: `${channelsPath(context)}/${channel.id}`,
      body,
      operation: 'Refresh notification channel',
      fixedCode: codes.CPAAS_WSREFRESH_FAIL,
      response: ChannelLifetimeResponse,
    })
    .pipe(map((response) => response.notificationChannelLifetime?.channelLifetime ?? lifetime))
}

/** `DELETE .../channels/<id>` (the platform closes its sockets and drops its subscriptions). */
export const deleteChannel = (context: RequestContext, channel: Channel): Observable<void> =>
  context.link.request({
    method: 'DELETE',
    path: `${channelsPath(context)}/${channel.id}`,
    operation: 'Delete notification channel',
    fixedCode: codes.CPAAS_UNSUBSCRIBE_FAIL,
  })

const subscriptionObject = (context: RequestContext, channel: Channel) => ({
  callbackReference: { notifyURL: channel.callbackURL },
  ...(context.config.authentication.clientCorrelator !== undefined ? { clientCorrelator: context.config.authentication.clientCorrelator } : {}),
})

const record = (service: ServiceName, resourceURL: string, id: string | undefined, operation: string, fixedCode?: string): Observable<ServiceSubscription> =>
  id === undefined ? throwError(() => unusable(operation, fixedCode, 'resourceURL names no subscription id')) : of({ service, id, resourceURL })

/** The presence dance: the first presence list (created when there is none), then a subscription to it. */
function subscribePresence(context: RequestContext, channel: Channel): Observable<ServiceSubscription> {
  const base = `/cpaas/presence/${version(context)}/${context.user.username}`
  const create: CreatePresenceListRequest = { presenceList: { 'x-listName': presenceListName, presenceContact: [] } }
  const listId$ = context.link.request({ method: 'GET', path: `${base}/presenceLists`, operation: 'Get presence lists', response: PresenceListCollection }).pipe(
    concatMap(({ presenceListCollection }) => {
      const first = presenceListCollection.presenceList[0]
      return first !== undefined
        ? of(first.resourceURL)
        : context.link
            .request({ method: 'POST', path: `${base}/presenceLists`, body: create, operation: 'Create presence list', response: CreatePresenceListResponse })
            .pipe(map((response) => response.presenceList.resourceURL))
    }),
    concatMap((resourceURL) => {
      const id = lastSegment(resourceURL)
      return id === undefined ? throwError(() => unusable('Get presence lists', undefined, 'resourceURL names no presence list id')) : of(id)
    }),
  )
  return listId$.pipe(
    concatMap((listId) => {
      const body: PresenceListSubscriptionRequest = {
        presenceListSubscription: { ...subscriptionObject(context, channel), duration: presenceSubscriptionDuration },
      }
      return context.link.request({
        method: 'POST',
        path: `${base}/subscriptions/presenceListSubscriptions/${listId}`,
        body,
        operation: 'Subscribe to presence list',
        response: PresenceListSubscriptionResponse,
      })
    }),
    concatMap(({ presenceListSubscription: created }) => {
      const id = lastSegment(created.resourceURL)
      return id === undefined
        ? throwError(() => unusable('Subscribe to presence list', undefined, 'resourceURL names no subscription id'))
        : of<ServiceSubscription>({ service: 'presence', id, resourceURL: created.resourceURL, presenceListId: created.presenceListId })
    }),
  )
}

/** Subscribes one service on the channel with the exact bodies of §8; emits its record. */
export function subscribeService(context: RequestContext, channel: Channel, service: ServiceName): Observable<ServiceSubscription> {
  const { username } = context.user
  const fixedCode = codes.CPAAS_SERVICE_SUB_FAIL
  switch (service) {
    case 'call': {
      const operation = 'Subscribe call service'
      const body: CallSubscriptionRequest = { wrtcsNotificationSubscription: subscriptionObject(context, channel) }
      return context.link
        .request({ method: 'POST', path: `/cpaas/webrtcsignaling/${version(context)}/${username}/subscriptions`, body, operation, fixedCode, response: CallSubscriptionResponse })
        .pipe(concatMap(({ wrtcsNotificationSubscription: { resourceURL } }) => record(service, resourceURL, after(resourceURL, '/subscriptions/'), operation, fixedCode)))
    }
    case 'chat': {
      const operation = 'Subscribe chat service'
      const body: ChatSubscriptionRequest = { chatNotificationSubscription: subscriptionObject(context, channel) }
      return context.link
        .request({ method: 'POST', path: `/cpaas/chat/${version(context)}/${username}/subscriptions`, body, operation, fixedCode, response: ChatSubscriptionResponse })
        .pipe(concatMap(({ chatNotificationSubscription: { resourceURL } }) => record(service, resourceURL, after(resourceURL, '/subscriptions/'), operation, fixedCode)))
    }
    case 'smsinbound': {
      const operation = 'Subscribe smsinbound service'
      const { smsFrom } = context.config.messaging
      const body: SmsInboundSubscriptionRequest = {
        subscription: { ...subscriptionObject(context, channel), ...(smsFrom !== undefined ? { destinationAddress: smsFrom } : {}) },
      }
      return context.link
        .request({ method: 'POST', path: `/cpaas/smsmessaging/${version(context)}/${username}/inbound/subscriptions`, body, operation, fixedCode, response: SmsInboundSubscriptionResponse })
        .pipe(concatMap(({ subscription: { resourceURL } }) => record(service, resourceURL, after(resourceURL, '/subscriptions/'), operation, fixedCode)))
    }
    case 'presence':
      return subscribePresence(context, channel)
  }
}

/** Deletes one service subscription (§6, §8). */
export function unsubscribeService(context: RequestContext, subscription: ServiceSubscription): Observable<void> {
  const { username } = context.user
  const ver = version(context)
  switch (subscription.service) {
    case 'call':
      return context.link.request({
        method: 'DELETE',
        path: `/cpaas/webrtcsignaling/${ver}/${username}/subscriptions/${subscription.id}`,
        operation: 'Unsubscribe call service',
        fixedCode: codes.CPAAS_SERVICE_SUB_FAIL,
      })
    case 'chat':
      return context.link.request({
        method: 'DELETE',
        path: `/cpaas/chat/${ver}/${username}/subscriptions/${subscription.id}`,
        operation: 'Unsubscribe chat service',
        fixedCode: codes.CPAAS_SERVICE_UNSUB_FAIL,
      })
    case 'smsinbound':
      return context.link.request({
        method: 'DELETE',
        path: `/cpaas/smsmessaging/${ver}/${username}/inbound/subscriptions/${subscription.id}`,
        operation: 'Unsubscribe smsinbound service',
        fixedCode: codes.CPAAS_SERVICE_UNSUB_FAIL,
      })
    case 'presence':
      return context.link.request({
        method: 'DELETE',
        path: `/cpaas/presence/${ver}/${username}/subscriptions/presenceListSubscriptions/${subscription.presenceListId ?? ''}/${subscription.id}`,
        operation: 'Unsubscribe from presence list',
      })
  }
}

/** `POST .../turn` (`calls.md` §2). */
export function fetchTurnCredentials(context: RequestContext): Observable<TurnCredentials> {
  const { clientCorrelator } = context.config.authentication
  const body: TurnCredentialsRequest = { wrtcsTurnCredentials: clientCorrelator !== undefined ? { clientCorrelator } : {} }
  return context.link
    .request({
      method: 'POST',
      path: `/cpaas/webrtcsignaling/${version(context)}/${context.user.username}/turn`,
      body,
      operation: 'Fetch credentials',
      response: TurnCredentialsResponse,
    })
    .pipe(map((response) => response.wrtcsTurnCredentials))
}
