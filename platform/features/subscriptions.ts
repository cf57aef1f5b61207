import type * as t from 'io-ts'
import type { Account, PlatformContext, ServiceName } from '../context.js'
import { notFound } from '../context.js'
import { coreOf } from '../core.js'
import type { SubscriptionRecord } from '../channels.js'
import { CallSubscriptionRequest, ChatSubscriptionRequest, SmsInboundSubscriptionRequest, SmsOutboundSubscriptionRequest } from '../../streams/subscription/codecs.js'
import { badInput } from '../errors.js'

interface SubscriptionObject {
  readonly callbackReference: { readonly notifyURL: string }
  readonly clientCorrelator?: string
  readonly destinationAddress?: string
}

interface ServiceEndpoint<Wrapper extends string> {
  readonly service: ServiceName
  /** Path pattern of the collection (`.../subscriptions`); the response's `resourceURL` is below it, at version v1. */
  readonly pattern: string
  /** The wrapper key of request and response bodies. */
  readonly wrapper: Wrapper
  readonly codec: t.Decoder<unknown, Record<Wrapper, SubscriptionObject>>
  /** Fields the platform adds to the echoed object. */
  readonly extra?: (user: Account, object: SubscriptionObject) => Record<string, unknown>
}

/** The collection path of a subscription for this user: `pattern` with its parameters filled in, at version v1. */
const collectionOf = (pattern: string, user: Account, params: Readonly<Record<string, string>>): string =>
  pattern.replace(/:(\w+)/g, (_, name: string) => (name === 'version' ? 'v1' : name === 'userId' ? user.userId : params[name]!))

/** The per-service subscriptions of `protocol/channel-and-subscriptions.md` §8 (`call`, `chat`, `smsinbound`, `smsoutbound`). */
export function subscriptionsFeature(ctx: PlatformContext): void {
  const { hub } = coreOf(ctx)

  const serve = <Wrapper extends string>(endpoint: ServiceEndpoint<Wrapper>): void => {
    const response = (record: SubscriptionRecord, user: Account, params: Readonly<Record<string, string>>, object: SubscriptionObject) => ({
      [endpoint.wrapper]: {
        ...object,
        ...endpoint.extra?.(user, object),
        resourceURL: `${collectionOf(endpoint.pattern, user, params)}/${record.id}`,
      },
    })

    ctx.route('POST', endpoint.pattern, { body: endpoint.codec }, ({ body, user, params }) => {
      const object = body[endpoint.wrapper]
      const record = hub.subscribe(user.userId, endpoint.service, object.callbackReference.notifyURL, object.clientCorrelator)
      if (record === undefined) return badInput(`${endpoint.wrapper}.callbackReference.notifyURL`)
      return { status: 201, body: response(record, user, params, object) }
    })

    ctx.route('GET', `${endpoint.pattern}/:subscriptionId`, {}, ({ user, params }) => {
      const record = hub.subscription(user.userId, params.subscriptionId!)
      if (record === undefined || record.service !== endpoint.service) return notFound(params.subscriptionId!)
      const object = { callbackReference: { notifyURL: record.channelId }, clientCorrelator: record.clientCorrelator }
      return { status: 200, body: response(record, user, params, object) }
    })

    ctx.route('DELETE', `${endpoint.pattern}/:subscriptionId`, {}, ({ user, params }) =>
      hub.unsubscribe(user.userId, params.subscriptionId!, endpoint.service) ? { status: 204 } : notFound(params.subscriptionId!),
    )
  }

  serve({ service: 'call', pattern: '/cpaas/webrtcsignaling/:version/:userId/subscriptions', wrapper: 'wrtcsNotificationSubscription', codec: CallSubscriptionRequest })
  serve({ service: 'chat', pattern: '/cpaas/chat/:version/:userId/subscriptions', wrapper: 'chatNotificationSubscription', codec: ChatSubscriptionRequest })
  serve({
    service: 'smsinbound',
    pattern: '/cpaas/smsmessaging/:version/:userId/inbound/subscriptions',
    wrapper: 'subscription',
    codec: SmsInboundSubscriptionRequest,
    // With no destinationAddress the user's own number is subscribed.
    extra: (user, object) => ({ destinationAddress: object.destinationAddress ?? user.phoneNumber }),
  })
  serve({ service: 'smsoutbound', pattern: '/cpaas/smsmessaging/:version/:userId/outbound/:senderAddress/subscriptions', wrapper: 'deliveryReceiptSubscription', codec: SmsOutboundSubscriptionRequest })
}
