import type { Account, PlatformContext, PlatformReply } from '../../context.js'
import { badInput } from '../../errors.js'
import { ChatPostBody, type ChatMessageBody, type IsComposingBody } from '../../../streams/messaging/codecs.js'
import type { Conversations, StoredMessage } from './conversations.js'
import { group, isDelivery, oneToOne, type Delivery } from './deliveries.js'
import type { MessagingFiles } from './files.js'
import type { MessagingWire } from './wire.js'

/** What sending a chat message needs of the messaging module. */
export interface ChatSending {
  readonly conversations: Conversations
  readonly files: MessagingFiles
  readonly wire: MessagingWire
  relayTyping(sender: Account, delivery: Delivery, composing: IsComposingBody['isComposing']): void
}

/**
 * Files a chat message in the sender's history and in each recipient's (each view with its own
 * id), then notifies the recipients and, as `x-type: outbound`, the sender's other devices.
 */
function deliverChat(ctx: PlatformContext, chat: ChatSending, sender: Account, delivery: Delivery, message: ChatMessageBody['chatMessage'], selfPath: (id: string) => string): PlatformReply {
  const fileIds = (message.attachment ?? []).map((attachment) => attachment['x-id'])
  if (message.text === undefined && fileIds.length === 0) return badInput('chatMessage.text')
  const refused = chat.files.refusal(sender, fileIds)
  if (refused !== undefined) return refused
  const dateTime = ctx.now()
  const text = message.text === undefined ? {} : { text: message.text }
  const base = { sender: sender.identity, destination: delivery.destination, ...text, ...(fileIds.length > 0 ? { files: fileIds } : {}), dateTime, status: 'Sent' }
  const own: StoredMessage = { ...base, id: ctx.id(), direction: 'outbound' }
  const ownSession = chat.conversations.open(sender.userId, { kind: delivery.kind, remote: delivery.remote, local: sender.identity })
  ownSession.messages.push(own)
  const copies = delivery.recipients.map((recipient) => {
    const session = chat.conversations.open(recipient.userId, recipient)
    const copy: StoredMessage = { ...base, id: ctx.id(), direction: 'inbound' }
    session.messages.push(copy)
    return { userId: recipient.userId, session, copy }
  })
  chat.files.share(fileIds, delivery.recipients.map((recipient) => recipient.userId))
  chat.conversations.save()
  for (const { userId, session, copy } of copies) chat.wire.notifyChat(userId, session, copy)
  chat.wire.notifyChat(sender.userId, ownSession, own)
  return { status: 201, body: { chatMessage: { resourceURL: selfPath(own.id), senderAddress: sender.identity, status: 'Sent', ...text, dateTime } } }
}

/** `POST …/messages` of a 1:1 or group conversation: a message, or a typing indicator. */
export function chatSendRoutes(ctx: PlatformContext, chat: ChatSending): void {
  const post = (delivery: Delivery | PlatformReply, user: Account, body: ChatPostBody, selfPath: (id: string) => string): PlatformReply => {
    if (!isDelivery(delivery)) return delivery
    if ('isComposing' in body) {
      chat.relayTyping(user, delivery, body.isComposing)
      return { status: 204 }
    }
    return deliverChat(ctx, chat, user, delivery, body.chatMessage, selfPath)
  }
  ctx.route('POST', '/cpaas/chat/:version/:userId/oneToOne/:peer/adhoc/messages', { body: ChatPostBody }, ({ user, params, body }) =>
    post(oneToOne(ctx, user, params.peer!), user, body, (id) => `/cpaas/chat/v1/${user.userId}/oneToOne/${params.peer}/adhoc/messages/${id}`),
  )
  ctx.route('POST', '/cpaas/chat/:version/:userId/group/:groupId/messages', { body: ChatPostBody }, ({ user, params, body }) =>
    post(group(ctx, user, params.groupId!), user, body, (id) => `/cpaas/chat/v1/${user.userId}/group/${params.groupId}/messages/${id}`),
  )
}
