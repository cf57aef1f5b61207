import * as E from 'fp-ts/Either'
import type * as t from 'io-ts'
import { filter, type Subscription } from 'rxjs'
import { checked, describeDecodeErrors } from '../connection/decode.js'
import type { InboundNotification } from '../connection/link.js'
import { BasicError, errorCodes } from '../errors.js'
import { definedFields, entryOf } from '../record.js'
import { ChatMessageNotification, DeliveryInfoNotification, InboundSmsNotification, MessageEventNotification } from './codecs.js'
import { chatTypeOfHref, messageIdOf, messagingNotificationKinds, smsDeliveryStatus } from './codecs.js'
import type { ChatSession, HistoryMessage, Link, NotifiedChatMessage, NotifiedIsComposing, ReceivedAttachment, SmsHistoryMessage, SmsThread } from './codecs.js'
import type { MessagingContext } from './effects.js'
import { holdsMessage, pendingSendOf } from './messages.js'
import { receivedMessage } from './received.js'
import { chatTypes, emptyConversation, type ChatType, type Conversation, type Message, type MessagingEvent, type MessagingState, type Part, type Target } from './model.js'
import { findConversation } from './state.js'

type Events = E.Either<BasicError, readonly MessagingEvent[]>

/** The error a malformed notification of `kind` is reported as (`messages:error`), saying why. */
const malformed = (kind: string, why: string): E.Either<BasicError, never> => E.left(new BasicError(errorCodes.general.NO_CODE, `Malformed ${kind}: ${why}`))
const malformedChat = (why: string): Events => malformed('chatMessageNotification', why)

/** No state events: a notification messaging ignores (one shared result, as nothing changes it). */
const none: Events = E.right([])

/** The decoded body, or a decode failure as the error the feature reports (`messages:error`). */
const decode = <A>(codec: t.Type<A, unknown, unknown>, value: unknown, what: string): E.Either<BasicError, A> => {
  const read = checked(codec, value)
  return E.isRight(read) ? read : malformed(what, describeDecodeErrors(read.left))
}

/** `then` of the decoded body, or the decode's error (`E.chain` without the allocations of fp-ts's data-first/last dispatch, once per notification). */
const andThen = <A>(decoded: E.Either<BasicError, A>, then: (value: A) => Events): Events => (E.isLeft(decoded) ? decoded : then(decoded.right))

/** A text part (when there is text) then `{ type: "file", ...attachment, rawURL: link }` per attachment (`notifications.md` §5.1). */
const chatParts = (text: string | undefined, attachments: readonly ReceivedAttachment[] | undefined): readonly Part[] => [
  ...(text ? [{ type: 'text' as const, text }] : []),
  ...(attachments ?? []).map((attachment) => ({ type: 'file' as const, ...attachment, rawURL: attachment.link })),
]

/** The segment after `marker` in a path (`/group/<id>` → `<id>`), URI-decoded when it can be. */
const segmentAfter = (href: string, marker: string): string | undefined => {
  const segments = href.split('/')
  const value = segments.includes(marker) ? segments[segments.indexOf(marker) + 1] : undefined
  if (!value) return undefined
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** The conversation a chat link points at, from the user's point of view: `[peer]` or `[groupId]`. */
export const chatTargetOfHref = (href: string): Target | undefined => {
  const chatType = chatTypeOfHref(href)
  const peer = chatType === undefined ? undefined : segmentAfter(href, chatType === 'chat-group' ? 'group' : 'oneToOne')
  return chatType && peer ? { destination: [peer], chatType } : undefined
}

/** The conversation type a chat notification's links tell: its link of this `rel`, else its first. */
const chatTypeOfLinks = (links: readonly Link[], rel: string): ChatType | undefined => chatTypeOfHref((links.find((link) => link.rel === rel) ?? links[0])?.href ?? '')

/** A chat message, or the platform's copy of one's own send (`notifications.md` §5.1). */
function chatMessageEvents(notification: ChatMessageNotification, chatMessage: NotifiedChatMessage, state: MessagingState): Events {
  const direction = chatMessage['x-type']
  if (direction !== 'inbound' && direction !== 'outbound') return none
  const { link } = notification
  const chatType = chatTypeOfLinks(link, 'chatMessage')
  const messageId = link[0] === undefined ? undefined : messageIdOf(link[0].href)
  if (!chatType || !messageId) return malformedChat('no chatMessage link with a message id')
  const remote = direction === 'outbound' || chatType === 'chat-group' ? chatMessage['x-destinationAddress'] : chatMessage.senderAddress
  if (!remote) return malformedChat('no destination address')
  const target = { destination: [remote], chatType }
  const timestamp = chatMessage.dateTime ?? notification.dateTime ?? 0
  const parts = chatParts(chatMessage.text, chatMessage.attachment)
  const held = findConversation(state, target.destination, chatType)
  // The held conversation's copy of the peer's address: its messages share one string, not one each.
  const sender = held?.destination[0] === chatMessage.senderAddress ? held.destination[0] : chatMessage.senderAddress
  const message: Message = direction === 'outbound' ? { messageId, sender, timestamp, parts, isPending: false, read: false, type: chatType } : receivedMessage(messageId, sender, timestamp, parts)
  // A copy whose id is held already came after its send's answer: it is a duplicate, not a match.
  const localId = direction === 'outbound' && !holdsMessage(held, messageId) ? pendingSendOf(held, message) : undefined
  if (localId !== undefined) return E.right([{ type: 'ownCopyReceived', ...target, localId, messageId, parts: message.parts }])
  const address = direction === 'inbound' && chatType === 'chat-oneToOne' ? chatMessage['x-destinationAddress'] : undefined
  return E.right([{ type: 'messageReceived', ...target, message, direction, newConversation: held === undefined, ...definedFields({ address }) }])
}

/** A typing indicator of someone else (`notifications.md` §6.1). */
function typingEvents(notification: ChatMessageNotification, isComposing: NotifiedIsComposing): Events {
  if (isComposing['x-type'] !== 'inbound') return none
  const chatType = chatTypeOfLinks(notification.link, 'chatSession')
  if (!chatType) return E.left(new BasicError(errorCodes.messaging.SET_IS_TYPING_FAIL, 'Cannot tell the conversation type of a typing notification'))
  const remote = chatType === 'chat-group' ? isComposing['x-destinationAddress'] : isComposing.senderAddress
  if (!remote) return malformedChat('typing indicator without destination')
  if (isComposing.state !== 'active' && isComposing.state !== 'idle') return none
  return E.right([{ type: 'typingChanged', destination: [remote], chatType, sender: isComposing.senderAddress, state: isComposing.state }])
}

const chatNotificationEvents = (notification: ChatMessageNotification, state: MessagingState): Events =>
  notification.chatMessage
    ? chatMessageEvents(notification, notification.chatMessage, state)
    : notification.isComposing
      ? typingEvents(notification, notification.isComposing)
      : none

function smsNotificationEvents(notification: InboundSmsNotification, state: MessagingState, now: number): Events {
  const sms = notification.inboundSMSMessage
  const sender = sms.senderAddress ?? sms.senderAdress
  if (!sender || !sms.messageId) return malformed('inboundSMSMessageNotification', 'no sender or message id')
  const destination = [sender]
  const timestamp = notification.dateTime ?? sms.dateTime ?? now
  const message = receivedMessage(sms.messageId, sender, timestamp, [{ type: 'text', text: sms.message ?? '' }])
  const newConversation = findConversation(state, destination, 'sms') === undefined
  return E.right([{ type: 'messageReceived', destination, chatType: 'sms', message, direction: 'inbound', newConversation, ...definedFields({ address: sms.destinationAddress }) }])
}

function messageEventEvents(kind: string, notification: MessageEventNotification): Events {
  const href = notification.link[0]?.href
  if (href === undefined) return malformed(kind, 'no link')
  const remote = kind === 'smsEventNotification' ? segmentAfter(href, 'remoteAddresses') : undefined
  const target = kind === 'smsEventNotification' ? (remote ? { destination: [remote], chatType: 'sms' as const } : undefined) : chatTargetOfHref(href)
  if (!target) return malformed(kind, `cannot tell the conversation of ${href}`)
  const messageId = messageIdOf(href)
  if (notification.eventType === 'SessionDeleted') return E.right([{ type: 'conversationDeleted', ...target, remote: true }])
  if (notification.eventType !== 'MessageDeleted') return none
  return messageId ? E.right([{ type: 'messageDeleted', ...target, messageId, remote: true }]) : malformed(kind, 'no message id')
}

/**
 * The state events of one notification (none for what messaging ignores), or the error a malformed one is reported as.
 * Pure: `state` is only read, to tell whether a message starts a new conversation.
 */
export function notificationEvents(notification: InboundNotification, state: MessagingState, now: number): Events {
  const { kind, body } = notification
  switch (kind) {
    case 'chatMessageNotification':
      return andThen(decode(ChatMessageNotification, body, kind), (decoded) => chatNotificationEvents(decoded, state))
    case 'inboundSMSMessageNotification':
      return andThen(decode(InboundSmsNotification, body, kind), (decoded) => smsNotificationEvents(decoded, state, now))
    case 'deliveryInfoNotification':
      return andThen(decode(DeliveryInfoNotification, body, kind), ({ deliveryInfo: info }) =>
        E.right([{ type: 'deliveryStatusChanged', destination: [info.address], chatType: 'sms', messageId: info.messageId, deliveryStatus: smsDeliveryStatus(info.deliveryStatus) }]),
      )
    case 'chatMessageEventNotification':
    case 'smsEventNotification':
      return andThen(decode(MessageEventNotification, body, kind), (decoded) => messageEventEvents(kind, decoded))
    default:
      return none
  }
}

type Receiving = Pick<MessagingContext, 'link' | 'environment' | 'current' | 'dispatch' | 'logger'>

const kinds: ReadonlySet<string> = new Set(messagingNotificationKinds)

/** Dispatches the events of each messaging notification; a malformed one is logged and reported as `messagingFailed`. */
export const receive = ({ link, environment, current, dispatch, logger }: Receiving): Subscription =>
  link.notifications$.pipe(filter((notification) => kinds.has(notification.kind))).subscribe((notification) => {
    const read = notificationEvents(notification, current(), environment.scheduler.now())
    if (E.isRight(read)) return read.right.forEach(dispatch)
    logger.warn(`Ignored a ${notification.kind}: ${read.left.message}`)
    dispatch({ type: 'messagingFailed', operation: 'notification', error: read.left })
  })

// ── Response bodies ─────────────────────────────────────────────────────────────────────────

/** A listed conversation: a chat session or an SMS thread, with the details both carry. */
const listed = (remote: string, type: ChatType, address: string | undefined, details: ChatSession['sessionDetails'], id?: string): Conversation =>
  emptyConversation([remote], type, definedFields({ id, address, lastMessage: details.lastText, lastReceived: details.lastMessageTime, lastPull: details.lastPullTime }))

/** A conversation of the list (`messaging.md` §7.1), or undefined when its type is unknown. */
export function conversationOfSession(session: ChatSession): Conversation | undefined {
  const type = entryOf(chatTypes, session.sessionType.toUpperCase())
  if (!type || session.remoteAddress === undefined) return undefined
  return listed(session.remoteAddress, type, session.localAddress, session.sessionDetails, session.sessionId)
}

/** An SMS conversation of the thread list (**Later**). */
export const conversationOfThread = (thread: SmsThread): Conversation => listed(thread.remoteAddress, 'sms', thread.localAddress, thread.threadDetails ?? {})

/** A message of a chat history page (`messaging.md` §7.2), or undefined without an id. */
export function messageOfHistory(item: HistoryMessage): Message | undefined {
  const messageId = messageIdOf(item.resourceURL)
  if (!messageId) return undefined
  return { messageId, sender: item.senderAddress, timestamp: item.dateTime ?? 0, parts: chatParts(item.text, item.attachment), ...definedFields({ destination: item['x-destinationAddress'] }) }
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
