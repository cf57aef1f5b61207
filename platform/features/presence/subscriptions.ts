import type { PlatformContext } from '../../context.js'
import { notFound } from '../../context.js'
import { PresenceListSubscriptionRequest } from '../../../streams/presence/codecs.js'
import type { PresenceBook } from './book.js'
import type { Watching } from './watching.js'
import { badValue, presenceRoot } from './wire.js'

/** Subscriptions to a presence list for the `presence` service: the owner is notified of every change of a watched user. */
export function listSubscriptionRoutes(ctx: PlatformContext, book: PresenceBook, watching: Watching): void {
  const collection = '/cpaas/presence/:version/:userId/subscriptions/presenceListSubscriptions/:listId'
  ctx.route('POST', collection, { body: PresenceListSubscriptionRequest }, ({ body, user, params }) => {
    const list = book.listOf(user.userId, params.listId!)
    if (list === undefined) return notFound(params.listId!)
    const { callbackReference, clientCorrelator, duration = 86400 } = body.presenceListSubscription
    const added = ctx.subscriptions.add(user.userId, 'presence', callbackReference.notifyURL, clientCorrelator)
    if (added === undefined) return badValue('presenceListSubscription.callbackReference.notifyURL', callbackReference.notifyURL)
    watching.record({ id: added.id, userId: user.userId, listId: list.id })
    const presenceListSubscription = {
      callbackReference,
      ...(clientCorrelator === undefined ? {} : { clientCorrelator }),
      duration,
      presenceListId: list.id,
      resourceURL: `${presenceRoot(user)}/subscriptions/presenceListSubscriptions/${list.id}/${added.id}`,
    }
    return { status: 201, body: { presenceListSubscription } }
  })

  ctx.route('DELETE', `${collection}/:subscriptionId`, {}, ({ user, params }) => {
    const subscription = watching.get(params.subscriptionId!)
    if (subscription === undefined || subscription.userId !== user.userId || subscription.listId !== params.listId) return notFound(params.subscriptionId!)
    watching.forget(subscription)
    ctx.subscriptions.remove(user.userId, subscription.id)
    return { status: 204 }
  })
}
