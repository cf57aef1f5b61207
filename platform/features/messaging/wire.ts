import type { PlatformContext } from '../../context.js'
import type { StoredMessage, StoredSession } from './conversations.js'
import type { MessagingFiles, WireAttachment } from './files.js'

// The wire forms of stored conversations: resource paths, chat message bodies, and the
// notifications of inbound delivery and deletion (`notifications.md` §5, §6).

type ChatWhere = Pick<StoredSession, 'kind' | 'remote'>

/** The chat resource of a session as `userId` sees it (`.../oneToOne/<peer>/adhoc` or `.../group/<id>`). */
export const chatSessionPath = (userId: string, session: ChatWhere): string =>
  session.kind === 'group' ? `/cpaas/chat/v1/${userId}/group/${session.remote}` : `/cpaas/chat/v1/${userId}/oneToOne/${session.remote}/adhoc`

export const chatMessageURL = (userId: string, session: ChatWhere, id: string): string => `${chatSessionPath(userId, session)}/messages/${id}`

export const smsThreadPath = (userId: string, remote: string, local: string): string =>
  `/cpaas/smsmessaging/v1/${userId}/remoteAddresses/${remote}/localAddresses/${local}`

/** Chat messages as history and notifications carry them, and the notifications of one user's view. */
export interface MessagingWire {
  /** The message's fields on the wire; attachment links name `origin` (`files.ts`). */
  chatBody(
    message: StoredMessage,
    origin: string,
  ): {
    senderAddress: string
    'x-destinationAddress': string
    text?: string
    attachment?: WireAttachment[]
    dateTime: number
  }
  /** Delivers a stored chat message to the devices of the view's owner (`x-type` its direction). */
  notifyChat(userId: string, session: StoredSession, message: StoredMessage): void
  /** Tells the user's devices that part of their history was deleted elsewhere (the whole session when no `messageId`). */
  notifyDeletion(userId: string, session: StoredSession, messageId: string | undefined): void
}

export function messagingWire(ctx: PlatformContext, files: MessagingFiles): MessagingWire {
  const attachmentsOf = (message: StoredMessage, origin: string): WireAttachment[] =>
    (message.files ?? []).flatMap((id) => {
      const attachment = files.wire(id, origin)
      return attachment === undefined ? [] : [attachment]
    })

  const chatBody = (message: StoredMessage, origin: string) => {
    const attachment = attachmentsOf(message, origin)
    return {
      senderAddress: message.sender,
      'x-destinationAddress': message.destination,
      ...(message.text === undefined ? {} : { text: message.text }),
      ...(attachment.length > 0 ? { attachment } : {}),
      dateTime: message.dateTime,
    }
  }

  const smsDeletion = (userId: string, session: StoredSession, messageId: string | undefined): void => {
    const thread = smsThreadPath(userId, session.remote, session.local)
    ctx.notify(userId, 'smsinbound', {
      smsEventNotification: messageId === undefined
        ? { eventType: 'SessionDeleted', link: [{ rel: 'smsThread', href: thread }] }
        : { eventType: 'MessageDeleted', link: [{ rel: 'smsMessage', href: `${thread}/messages/${messageId}` }] },
    })
  }

  return {
    chatBody,
    notifyChat: (userId, session, message) =>
      ctx.notify(userId, 'chat', (origin) => ({
        chatMessageNotification: {
          dateTime: message.dateTime,
          chatMessage: { ...chatBody(message, origin), 'x-type': message.direction },
          link: [{ rel: 'chatMessage', href: chatMessageURL(userId, session, message.id) }],
        },
      })),
    notifyDeletion: (userId, session, messageId) => {
      if (session.kind === 'sms') return smsDeletion(userId, session, messageId)
      ctx.notify(userId, 'chat', {
        chatMessageEventNotification: messageId === undefined
          ? { eventType: 'SessionDeleted', link: [{ rel: 'chatSession', href: chatSessionPath(userId, session) }] }
          : { eventType: 'MessageDeleted', link: [{ rel: 'chatMessage', href: chatMessageURL(userId, session, messageId) }] },
      })
    },
  }
}
