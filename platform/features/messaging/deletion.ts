import type { Account, PlatformContext, PlatformReply } from '../../context.js'
import { notFound } from '../../context.js'
import { peerAddress, smsThread, type Conversations, type SessionAddress } from './conversations.js'
import type { MessagingWire } from './wire.js'

/**
 * Deletion of a whole conversation or of one message, in the user's own view only; their other
 * devices get a `chatMessageEventNotification` / `smsEventNotification` (`messaging.md` §8).
 */
export function deletionRoutes(ctx: PlatformContext, conversations: Conversations, wire: MessagingWire): void {
  const deleteSession = (user: Account, where: SessionAddress): PlatformReply => {
    const session = conversations.find(user.userId, where)
    if (session === undefined) return notFound(where.remote)
    conversations.remove(user.userId, session)
    conversations.save()
    wire.notifyDeletion(user.userId, session, undefined)
    return { status: 204 }
  }
  const deleteOne = (user: Account, where: SessionAddress, messageId: string): PlatformReply => {
    const session = conversations.find(user.userId, where)
    const at = session?.messages.findIndex((message) => message.id === messageId) ?? -1
    if (session === undefined || at < 0) return notFound(messageId)
    session.messages.splice(at, 1)
    conversations.save()
    wire.notifyDeletion(user.userId, session, messageId)
    return { status: 204 }
  }
  const oneToOne = (user: Account, peer: string): SessionAddress => ({ kind: 'oneToOne', remote: peerAddress(ctx, peer), local: user.identity })

  const chat = '/cpaas/chat/:version/:userId'
  ctx.route('DELETE', `${chat}/oneToOne/:peer/adhoc/messages`, {}, ({ user, params }) => deleteSession(user, oneToOne(user, params.peer!)))
  ctx.route('DELETE', `${chat}/oneToOne/:peer/adhoc/messages/:messageId`, {}, ({ user, params }) => deleteOne(user, oneToOne(user, params.peer!), params.messageId!))
  ctx.route('DELETE', `${chat}/group/:groupId/messages/:messageId`, {}, ({ user, params }) =>
    deleteOne(user, { kind: 'group', remote: params.groupId!, local: user.identity }, params.messageId!),
  )
  const thread = '/cpaas/smsmessaging/:version/:userId/remoteAddresses/:remote/localAddresses/:local'
  ctx.route('DELETE', thread, {}, ({ user, params }) => deleteSession(user, smsThread(ctx, user, params.remote!, params.local!)))
  ctx.route('DELETE', `${thread}/messages/:messageId`, {}, ({ user, params }) => deleteOne(user, smsThread(ctx, user, params.remote!, params.local!), params.messageId!))
}
