import * as t from 'io-ts'
import { requestBody } from '../connection/codecs.js'

// The notification channel, the service subscriptions and the TURN credentials fetched after a `call` subscription, shared with the local platform
// (`channel-and-subscriptions.md` §2, §7, §8, `presence-groups-users.md` §1.4, `calls.md` §2).

/** The channel's settings: asked for when it is created, echoed in the answer. */
const ChannelSettings = t.partial({
  /** Seconds: asked for, then as granted. */
  channelLifetime: t.number,
  clientCorrelator: t.string,
  'x-connCheckRole': t.string,
})

/** `POST /cpaas/notificationchannel/<ver>/<userId>/channels` body. */
export const CreateChannelRequest = /* @__PURE__ */ requestBody(() => t.type({ notificationChannel: t.intersection([t.type({ channelType: t.string }), ChannelSettings]) }))
export type CreateChannelRequest = t.TypeOf<typeof CreateChannelRequest>

/** The `notificationChannel` object the platform answers with (201). */
const NotificationChannel = t.intersection([
  t.type({
    /** Opaque; copied into every subscription's `callbackReference.notifyURL`. */
    callbackURL: t.string,
    /** The WebSocket path (starts with `/`). */
    channelData: t.type({ channelURL: t.string }),
    /** `.../channels/<channelId>`: the channel id is the text after `/channels/`. */
    resourceURL: t.string,
  }),
  t.partial({ channelType: t.string }),
  ChannelSettings,
])

/** `POST .../channels` response. */
export const CreateChannelResponse = t.type({ notificationChannel: NotificationChannel })

/** `PUT .../channels/<id>` (and `.../channelLifetime`) body. */
export const ChannelLifetimeRequest = /* @__PURE__ */ requestBody(() => t.type({ notificationChannelLifetime: t.type({ channelLifetime: t.number }) }))
export type ChannelLifetimeRequest = t.TypeOf<typeof ChannelLifetimeRequest>

/** `PUT .../channels/<id>` response: the granted lifetime (200), or nothing (204, read as `{}`). */
export const ChannelLifetimeResponse = t.partial({
  notificationChannelLifetime: t.partial({ channelLifetime: t.number }),
})

const CallbackReference = t.type({ notifyURL: t.string })

const SubscriptionObject = t.intersection([t.type({ callbackReference: CallbackReference }), t.partial({ clientCorrelator: t.string })])

/** A subscription object as the platform echoes it: with the `resourceURL` naming its id. */
const SubscriptionResource = t.intersection([SubscriptionObject, t.type({ resourceURL: t.string })])

/** `POST /cpaas/webrtcsignaling/<ver>/<userId>/subscriptions` body. */
export const CallSubscriptionRequest = /* @__PURE__ */ requestBody(() => t.type({ wrtcsNotificationSubscription: SubscriptionObject }))
export type CallSubscriptionRequest = t.TypeOf<typeof CallSubscriptionRequest>
export const CallSubscriptionResponse = t.type({ wrtcsNotificationSubscription: SubscriptionResource })

/** `POST /cpaas/chat/<ver>/<userId>/subscriptions` body. */
export const ChatSubscriptionRequest = /* @__PURE__ */ requestBody(() => t.type({ chatNotificationSubscription: SubscriptionObject }))
export type ChatSubscriptionRequest = t.TypeOf<typeof ChatSubscriptionRequest>
export const ChatSubscriptionResponse = t.type({ chatNotificationSubscription: SubscriptionResource })

/** `POST /cpaas/smsmessaging/<ver>/<userId>/inbound/subscriptions` body. */
export const SmsInboundSubscriptionRequest = /* @__PURE__ */ requestBody(() =>
  t.type({ subscription: t.intersection([SubscriptionObject, t.partial({ destinationAddress: t.string })]) }),
)
export type SmsInboundSubscriptionRequest = t.TypeOf<typeof SmsInboundSubscriptionRequest>
export const SmsInboundSubscriptionResponse = t.type({
  subscription: t.intersection([SubscriptionResource, t.partial({ destinationAddress: t.string })]),
})

/** `POST /cpaas/smsmessaging/<ver>/<userId>/outbound/<userId>/subscriptions` body (disabled in the reference; not offered by the SDK). */
export const SmsOutboundSubscriptionRequest = /* @__PURE__ */ requestBody(() => t.type({ deliveryReceiptSubscription: SubscriptionObject }))

/** One presence list in `GET /cpaas/presence/<ver>/<userId>/presenceLists`. */
const PresenceListEntry = t.intersection([t.type({ resourceURL: t.string }), t.partial({ 'x-listName': t.string })])

/** `GET .../presenceLists` response; `presenceList` is an array, possibly empty. */
export const PresenceListCollection = t.type({
  presenceListCollection: t.type({ presenceList: t.array(PresenceListEntry) }),
})

/** `POST .../presenceLists` response. */
export const CreatePresenceListResponse = t.type({ presenceList: PresenceListEntry })

/** `POST .../presenceListSubscriptions/<listId>` response; `presenceListId` is required. */
export const PresenceListSubscriptionResponse = t.type({
  presenceListSubscription: t.intersection([
    t.type({ resourceURL: t.string, presenceListId: t.string }),
    t.partial({ callbackReference: CallbackReference, clientCorrelator: t.string, duration: t.number }),
  ]),
})

/** `POST /cpaas/webrtcsignaling/<ver>/<userId>/turn` body. */
export const TurnCredentialsRequest = /* @__PURE__ */ requestBody(() => t.type({ wrtcsTurnCredentials: t.partial({ clientCorrelator: t.string }) }))
export type TurnCredentialsRequest = t.TypeOf<typeof TurnCredentialsRequest>

/** TURN credentials: used with every configured ICE server (`calls.md` §2). */
export const TurnCredentials = t.type({ username: t.string, password: t.string })
export type TurnCredentials = t.TypeOf<typeof TurnCredentials>

/** `POST .../turn` response (required). */
export const TurnCredentialsResponse = t.type({ wrtcsTurnCredentials: TurnCredentials })
