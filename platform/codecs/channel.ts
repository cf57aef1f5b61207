import * as t from 'io-ts'

// Wire codecs of the notification channel and of the call / chat / SMS service subscriptions
// (`protocol/channel-and-subscriptions.md` §2, §7, §8). They belong with the SDK's
// `streams/subscription/codecs.ts`; they live here until that file exists, so that both sides
// can later share one definition.

/** `POST .../channels` body. */
export const CreateChannelRequest = t.type({
  notificationChannel: t.intersection([
    t.type({ channelType: t.string }),
    t.partial({
      channelLifetime: t.number,
      clientCorrelator: t.string,
      'x-connCheckRole': t.string,
    }),
  ]),
})
export type CreateChannelRequest = t.TypeOf<typeof CreateChannelRequest>

/** `PUT .../channels/<id>` and `PUT .../channels/<id>/channelLifetime` body. */
export const ChannelLifetimeRequest = t.type({
  notificationChannelLifetime: t.type({ channelLifetime: t.number }),
})
export type ChannelLifetimeRequest = t.TypeOf<typeof ChannelLifetimeRequest>

const CallbackReference = t.type({ notifyURL: t.string })

const SubscriptionObject = t.intersection([t.type({ callbackReference: CallbackReference }), t.partial({ clientCorrelator: t.string })])

/** `POST .../webrtcsignaling/<ver>/<userId>/subscriptions` body. */
export const CallSubscriptionRequest = t.type({ wrtcsNotificationSubscription: SubscriptionObject })

/** `POST .../chat/<ver>/<userId>/subscriptions` body. */
export const ChatSubscriptionRequest = t.type({ chatNotificationSubscription: SubscriptionObject })

/** `POST .../smsmessaging/<ver>/<userId>/inbound/subscriptions` body. */
export const SmsInboundSubscriptionRequest = t.type({
  subscription: t.intersection([SubscriptionObject, t.partial({ destinationAddress: t.string })]),
})

/** `POST .../smsmessaging/<ver>/<userId>/outbound/<userId>/subscriptions` body (disabled in the reference). */
export const SmsOutboundSubscriptionRequest = t.type({ deliveryReceiptSubscription: SubscriptionObject })
