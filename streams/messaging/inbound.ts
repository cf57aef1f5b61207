import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type * as t from 'io-ts'
import type { InboundNotification } from '../connection/link.js'
import { BasicError, errorCodes } from '../errors.js'
import {
  ChatMessageNotification,
  DeliveryInfoNotification,
  InboundSmsNotification,
  MessageEventNotification,
  type ChatSession,
  type HistoryMessage,
  type Link,
  type ReceivedAttachment,
  type SmsHistoryMessage,
  type SmsThread,
} from './codecs.js'
import {
  chatTypeOfHref,
  emptyConversation,
  findConversation,
  holdsMessage,
  messageIdOf,
  pendingSendOf,
  smsDeliveryStatus,
  type ChatType,
  type Conversation,
  type FilePart,
  type Message,
  type MessagingEvent,
  type MessagingState,
  type Part,
} from './state.js'

/** What the platform sends, turned into state: notifications into events, response bodies into conversations and messages. */

/** A decode failure as the error the feature reports (`messages:error`). */
export const malformed = (what: string, errors: t.Errors): BasicError => {
  const paths = errors
    .slice(0, 3)
    .map((error) => error.context.map((entry) => entry.key).filter((key) => key !== '').join('.') || '(root)')
    .join(', ')
  return new BasicError(errorCodes.general.NO_CODE, `Malformed ${what}: unexpected value at ${paths}`)
}

const decode = <A>(codec: t.Decoder<unknown, A>, value: unknown, what: string): E.Either<BasicError, A> =>
  pipe(codec.decode(value), E.mapLeft((errors) => malformed(what, errors)))

/** `{ type: "file", ...attachment, rawURL: link }` (`notifications.md` §5.1). */
export const filePartOf = (attachment: ReceivedAttachment): FilePart => ({ type: 'file', ...attachment, rawURL: attachment.link })

const chatParts = (text: string | undefined, attachments: readonly ReceivedAttachment[] | undefined): readonly Part[] => [
  ...(text ? [{ type: 'text' as const, text }] : []),
  ...(attachments ?? []).map(filePartOf),
]

const decodeSegment = (value: string): string => {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** The segment after `marker` in a path (`/group/<id>` → `<id>`). */
const segmentAfter = (href: string, marker: string): string | undefined => {
  const segments = href.split('/')
  const at = segments.indexOf(marker)
  const value = at < 0 ? undefined : segments[at + 1]
  return value ? decodeSegment(value) : undefined
}

/** The conversation a chat link points at, from the user's point of view: `[peer]` or `[groupId]`. */
export const chatTargetOfHref = (href: string): { destination: readonly string[]; chatType: ChatType } | undefined => {
  const chatType = chatTypeOfHref(href)
  const peer = chatType === 'chat-group' ? segmentAfter(href, 'group') : chatType === 'chat-oneToOne' ? segmentAfter(href, 'oneToOne') : undefined
  return chatType && peer ? { destination: [peer], chatType } : undefined
}

const linkWith = (links: readonly Link[], rel: string): Link | undefined => links.find((link) => link.rel === rel)

const unknownType = (what: string) => new BasicError(errorCodes.messaging.SET_IS_TYPING_FAIL, `Cannot tell the conversation type of a ${what}`)

function chatNotificationEvents(notification: ChatMessageNotification, state: MessagingState): E.Either<BasicError, readonly MessagingEvent[]> {
  const { chatMessage, isComposing, link } = notification
  if (chatMessage) {
    const direction = chatMessage['x-type']
    if (direction !== 'inbound' && direction !== 'outbound') return E.right([])
    const first = link[0]
    const href = (linkWith(link, 'chatMessage') ?? first)?.href
    const chatType = href === undefined ? undefined : chatTypeOfHref(href)
    const messageId = first === undefined ? undefined : messageIdOf(first.href)
    if (!chatType || !messageId) return E.left(new BasicError(errorCodes.general.NO_CODE, 'Malformed chatMessageNotification: no chatMessage link with a message id'))
    const remote = direction === 'outbound' || chatType === 'chat-group' ? chatMessage['x-destinationAddress'] : chatMessage.senderAddress
    if (!remote) return E.left(new BasicError(errorCodes.general.NO_CODE, 'Malformed chatMessageNotification: no destination address'))
    const destination = [remote]
    const message: Message = {
      messageId,
      sender: chatMessage.senderAddress,
      timestamp: chatMessage.dateTime ?? notification.dateTime ?? 0,
      parts: chatParts(chatMessage.text, chatMessage.attachment),
      isPending: false,
      read: false,
      ...(direction === 'outbound' ? { type: chatType } : {}),
    }
    const held = findConversation(state, destination, chatType)
    // A copy whose id is held already came after its send's answer: it is a duplicate, not a match.
    const known = holdsMessage(held, messageId)
    const localId = direction === 'outbound' && !known ? pendingSendOf(held, message) : undefined
    if (localId !== undefined) return E.right([{ type: 'ownCopyReceived', destination, chatType, localId, messageId, parts: message.parts }])
    const address = direction === 'inbound' && chatType === 'chat-oneToOne' ? chatMessage['x-destinationAddress'] : undefined
    return E.right([
      {
        type: 'messageReceived',
        destination,
        chatType,
        message,
        direction,
        newConversation: held === undefined,
        ...(address === undefined ? {} : { address }),
      },
    ])
  }
  if (isComposing) {
    if (isComposing['x-type'] !== 'inbound') return E.right([])
    const href = (linkWith(link, 'chatSession') ?? link[0])?.href
    const chatType = href === undefined ? undefined : chatTypeOfHref(href)
    if (!chatType) return E.left(unknownType('typing notification'))
    const remote = chatType === 'chat-group' ? isComposing['x-destinationAddress'] : isComposing.senderAddress
    if (!remote) return E.left(new BasicError(errorCodes.general.NO_CODE, 'Malformed chatMessageNotification: typing indicator without destination'))
    if (isComposing.state !== 'active' && isComposing.state !== 'idle') return E.right([])
    return E.right([{ type: 'typingChanged', destination: [remote], chatType, sender: isComposing.senderAddress, state: isComposing.state }])
  }
  return E.right([])
}

function smsNotificationEvents(notification: InboundSmsNotification, state: MessagingState, now: number): E.Either<BasicError, readonly MessagingEvent[]> {
  const sms = notification.inboundSMSMessage
  const sender = sms.senderAddress ?? sms.senderAdress
  if (!sender || !sms.messageId) return E.left(new BasicError(errorCodes.general.NO_CODE, 'Malformed inboundSMSMessageNotification: no sender or message id'))
  const destination = [sender]
  const message: Message = {
    messageId: sms.messageId,
    sender,
    timestamp: notification.dateTime ?? sms.dateTime ?? now,
    parts: [{ type: 'text', text: sms.message ?? '' }],
    isPending: false,
    read: false,
  }
  return E.right([
    {
      type: 'messageReceived',
      destination,
      chatType: 'sms',
      message,
      direction: 'inbound',
      newConversation: findConversation(state, destination, 'sms') === undefined,
      ...(sms.destinationAddress === undefined ? {} : { address: sms.destinationAddress }),
    },
  ])
}

/** The SMS thread a link points at: `[remoteAddress]`. */
const smsTargetOfHref = (href: string): readonly string[] | undefined => {
  const remote = segmentAfter(href, 'remoteAddresses')
  return remote ? [remote] : undefined
}

function messageEventEvents(kind: string, notification: MessageEventNotification): E.Either<BasicError, readonly MessagingEvent[]> {
  const href = notification.link[0]?.href
  if (href === undefined) return E.left(new BasicError(errorCodes.general.NO_CODE, `Malformed ${kind}: no link`))
  const target = kind === 'smsEventNotification' ? mapTarget(smsTargetOfHref(href), 'sms') : chatTargetOfHref(href)
  if (!target) return E.left(new BasicError(errorCodes.general.NO_CODE, `Malformed ${kind}: cannot tell the conversation of ${href}`))
  switch (notification.eventType) {
    case 'MessageDeleted': {
      const messageId = messageIdOf(href)
      return messageId ? E.right([{ type: 'messageDeleted', ...target, messageId, remote: true }]) : E.left(new BasicError(errorCodes.general.NO_CODE, `Malformed ${kind}: no message id`))
    }
    case 'SessionDeleted':
      return E.right([{ type: 'conversationDeleted', ...target, remote: true }])
    default:
      return E.right([])
  }
}

const mapTarget = (destination: readonly string[] | undefined, chatType: ChatType) => (destination ? { destination, chatType } : undefined)

/**
 * The state events one notification causes (none for kinds and variants messaging ignores), or
 * the error a malformed one is reported as. Pure: `state` is only read, to tell whether a
 * message starts a new conversation.
 */
export function notificationEvents(notification: InboundNotification, state: MessagingState, now: number): E.Either<BasicError, readonly MessagingEvent[]> {
  const { kind, body } = notification
  switch (kind) {
    case 'chatMessageNotification':
      return pipe(decode(ChatMessageNotification, body, kind), E.chain((decoded) => chatNotificationEvents(decoded, state)))
    case 'inboundSMSMessageNotification':
      return pipe(decode(InboundSmsNotification, body, kind), E.chain((decoded) => smsNotificationEvents(decoded, state, now)))
    case 'deliveryInfoNotification':
      return pipe(
        decode(DeliveryInfoNotification, body, kind),
        E.map(({ deliveryInfo }) => [
          {
            type: 'deliveryStatusChanged' as const,
            destination: [deliveryInfo.address],
            chatType: 'sms' as const,
            messageId: deliveryInfo.messageId,
            deliveryStatus: smsDeliveryStatus(deliveryInfo.deliveryStatus),
          },
        ]),
      )
    case 'chatMessageEventNotification':
    case 'smsEventNotification':
      return pipe(decode(MessageEventNotification, body, kind), E.chain((decoded) => messageEventEvents(kind, decoded)))
    default:
      return E.right([])
  }
}

// ── Response bodies ─────────────────────────────────────────────────────────────────────────

const sessionTypes: Readonly<Record<string, ChatType>> = { ONETOONE: 'chat-oneToOne', GROUP: 'chat-group', SMS: 'sms' }

/** A conversation of the list (`messaging.md` §7.1), or undefined when its type is unknown. */
export function conversationOfSession(session: ChatSession): Conversation | undefined {
  const type = sessionTypes[session.sessionType.toUpperCase()]
  if (!type || session.remoteAddress === undefined) return undefined
  const details = session.sessionDetails
  return emptyConversation([session.remoteAddress], type, {
    ...(session.sessionId === undefined ? {} : { id: session.sessionId }),
    ...(session.localAddress === undefined ? {} : { address: session.localAddress }),
    ...(details.lastText === undefined ? {} : { lastMessage: details.lastText }),
    ...(details.lastMessageTime === undefined ? {} : { lastReceived: details.lastMessageTime }),
    ...(details.lastPullTime === undefined ? {} : { lastPull: details.lastPullTime }),
  })
}

/** An SMS conversation of the thread list (**Later**). */
export function conversationOfThread(thread: SmsThread): Conversation {
  const details = thread.threadDetails ?? {}
  return emptyConversation([thread.remoteAddress], 'sms', {
    ...(thread.localAddress === undefined ? {} : { address: thread.localAddress }),
    ...(details.lastText === undefined ? {} : { lastMessage: details.lastText }),
    ...(details.lastMessageTime === undefined ? {} : { lastReceived: details.lastMessageTime }),
    ...(details.lastPullTime === undefined ? {} : { lastPull: details.lastPullTime }),
  })
}

/** A message of a chat history page (`messaging.md` §7.2), or undefined without an id. */
export function messageOfHistory(item: HistoryMessage): Message | undefined {
  const messageId = messageIdOf(item.resourceURL)
  if (!messageId) return undefined
  return {
    messageId,
    sender: item.senderAddress,
    timestamp: item.dateTime ?? 0,
    parts: chatParts(item.text, item.attachment),
    ...(item['x-destinationAddress'] === undefined ? {} : { destination: item['x-destinationAddress'] }),
  }
}

/** A message of an SMS thread's history (**Later**): `outbound` ones are the user's own. */
export function messageOfSmsHistory(item: SmsHistoryMessage, username: string, remote: string): Message | undefined {
  const messageId = messageIdOf(item.resourceURL)
  if (!messageId) return undefined
  const outbound = item.type === 'outbound'
  return {
    messageId,
    sender: outbound ? username : remote,
    timestamp: item.dateTime ?? 0,
    parts: [{ type: 'text', text: item.message ?? '' }],
    ...(outbound ? { type: 'sms' as const, deliveryStatus: smsDeliveryStatus(item.status) } : {}),
  }
}
