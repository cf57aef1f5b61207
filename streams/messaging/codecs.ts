import * as t from 'io-ts'
import { requestBody } from '../connection/codecs.js'

// Wire payloads of messaging (`protocol/messaging.md`, `notifications.md` §5–§6), shared by the SDK and the local platform.
// Extra fields the reference platform may add are ignored; required fields are those the protocol marks **required**.

const fields = <R extends t.Props, O extends t.Props>(required: R, optional: O) => t.intersection([t.type(required), t.partial(optional)])

/** `{ rel, href }` pointing at the resource a notification concerns. */
export const Link = t.type({ rel: t.string, href: t.string })
export type Link = t.TypeOf<typeof Link>

const NumberOrString = t.union([t.number, t.string])

// ── Sending chat (§3.2) and the typing indicator (§6.1): one URL, told apart by the top key ──

/** `POST .../messages` body of a chat message; an uploaded file is referenced as `{ name, "x-id" }`. */
export const ChatMessageBody = /* @__PURE__ */ requestBody(() => t.type({ chatMessage: t.partial({ text: t.string, attachment: t.array(t.type({ name: t.string, 'x-id': t.string })) }) }))
export type ChatMessageBody = t.TypeOf<typeof ChatMessageBody>

/** `active` while the user types, `idle` otherwise. */
export const ComposingState = /* @__PURE__ */ requestBody(() => t.keyof({ active: null, idle: null }))
export type ComposingState = t.TypeOf<typeof ComposingState>

/** `POST .../messages` body of a typing indicator. */
export const IsComposingBody = /* @__PURE__ */ requestBody(() => t.type({ isComposing: fields({ state: ComposingState }, { contenttype: t.string, refresh: NumberOrString, lastactive: t.number }) }))
export type IsComposingBody = t.TypeOf<typeof IsComposingBody>

/** What the shared chat URL accepts: a message or a typing indicator. */
export const ChatPostBody = /* @__PURE__ */ requestBody(() => t.union([ChatMessageBody, IsComposingBody]))
export type ChatPostBody = t.TypeOf<typeof ChatPostBody>

/** 201 answer to a chat send: `resourceURL` holds the message id after `/messages/`. */
export const ChatSendResponse = t.type({ chatMessage: fields({ resourceURL: t.string }, { senderAddress: t.string, status: t.string, text: t.string, dateTime: t.number }) })

// ── File upload (§3.3) ──────────────────────────────────────────────────────────────────────

/** The `root-fields` form field the reference sends with every upload. */
export const UploadRootFields = /* @__PURE__ */ requestBody(() => t.type({ object: t.type({ attributes: t.type({ attribute: t.array(t.unknown) }), flags: t.type({ flag: t.array(t.unknown) }) }) }))

/** An attribute of a stored object; values are strings, or arrays of strings in the OMA model. */
const ObjectAttribute = t.type({ name: t.string, value: t.union([t.string, t.number, t.array(t.string)]) })

/** Answer to an upload: the attribute list (`name`, `x-id`, `link`, `size`, `content-type`). */
export const FileUploadResponse = t.type({ object: t.type({ attributes: t.type({ attribute: t.array(ObjectAttribute) }) }) })
export type FileUploadResponse = t.TypeOf<typeof FileUploadResponse>

// ── Conversation list (§7.1) and history (§7.2) ────────────────────────────────────────────

/** One entry of `GET .../oneToOne/sessions` or `.../group/sessions`. */
export const ChatSession = fields(
  { sessionType: t.string, sessionDetails: t.partial({ lastText: t.string, lastMessageTime: t.number, lastPullTime: t.number }) },
  { sessionId: t.string, remoteAddress: t.string, localAddress: t.string },
)
export type ChatSession = t.TypeOf<typeof ChatSession>

export const ChatSessionListResponse = t.type({ chatSessionList: t.type({ chatSession: t.array(ChatSession) }) })

/** An attachment as history and notifications carry it: `link` is an absolute URL. */
export const ReceivedAttachment = fields({ link: t.string }, { name: t.string, size: NumberOrString, 'x-id': t.string, 'content-type': t.string })
export type ReceivedAttachment = t.TypeOf<typeof ReceivedAttachment>

const chatText = { 'x-destinationAddress': t.string, text: t.string, attachment: t.array(ReceivedAttachment), dateTime: t.number }

/** One message of a chat history page. */
export const HistoryMessage = fields({ resourceURL: t.string }, { ...chatText, senderAddress: t.string, status: t.string })
export type HistoryMessage = t.TypeOf<typeof HistoryMessage>

/** `GET .../messages`: a page of history, oldest first; `next` when older messages remain (**Later**). */
export const ChatMessageListResponse = t.type({ chatMessageList: fields({ chatMessage: t.array(HistoryMessage) }, { next: t.string }) })

// ── SMS (§4, §7 Later) ──────────────────────────────────────────────────────────────────────

const smsText = { outboundSMSTextMessage: t.type({ message: t.string }) }

/** `POST /cpaas/smsmessaging/v1/<userId>/outbound/<sender>/requests` body. */
export const SmsSendBody = /* @__PURE__ */ requestBody(() => t.type({ outboundSMSMessageRequest: fields({ address: t.array(t.string), ...smsText }, { clientCorrelator: t.string, senderAddress: t.string }) }))
export type SmsSendBody = t.TypeOf<typeof SmsSendBody>

const DeliveryInfo = fields({ deliveryStatus: t.string }, { address: t.string, messageId: t.string })

/** 201 answer to an SMS send: message id after `/messages/` of `resourceURL`, status of `deliveryInfo[0]`. */
export const SmsSendResponse = t.type({
  outboundSMSMessageRequest: fields(
    { resourceURL: t.string, deliveryInfoList: fields({ deliveryInfo: t.array(DeliveryInfo) }, { resourceURL: t.string }) },
    { address: t.array(t.string), clientCorrelator: t.string, ...smsText, senderAddress: t.string },
  ),
})

/** One SMS conversation of `GET .../remoteAddresses` (**Later**). */
export const SmsThread = fields(
  { remoteAddress: t.string },
  {
    localAddress: t.string,
    resourceURL: t.string,
    threadDetails: t.partial({ lastText: t.string, lastPullTime: t.number, firstMessageTime: t.number, lastMessageTime: t.number, length: t.number }),
  },
)
export type SmsThread = t.TypeOf<typeof SmsThread>

export const SmsThreadListResponse = t.type({ smsThreadList: t.type({ smsThread: t.array(SmsThread) }) })

/** One SMS of a thread's history (**Later**): `type: outbound` is local → remote. */
export const SmsHistoryMessage = fields({ resourceURL: t.string }, { message: t.string, type: t.string, status: t.string, dateTime: t.number })
export type SmsHistoryMessage = t.TypeOf<typeof SmsHistoryMessage>

export const SmsMessageListResponse = t.type({ smsMessageList: fields({ smsMessage: t.array(SmsHistoryMessage) }, { next: t.string }) })

// ── Inbound notifications (notifications.md §5, §6) ─────────────────────────────────────────

/** The message carried by a `chatMessageNotification` (`x-type` `inbound`, or `outbound` for copies of one's own sends). */
export const NotifiedChatMessage = fields({ senderAddress: t.string }, { ...chatText, 'x-type': t.string })
export type NotifiedChatMessage = t.TypeOf<typeof NotifiedChatMessage>

/** The typing indicator carried by a `chatMessageNotification`. */
export const NotifiedIsComposing = fields(
  { state: t.string, senderAddress: t.string },
  { 'x-destinationAddress': t.string, contenttype: t.string, refresh: NumberOrString, lastactive: t.number, 'x-type': t.string },
)
export type NotifiedIsComposing = t.TypeOf<typeof NotifiedIsComposing>

/** Body of `chatMessageNotification`: a message or a typing indicator, and its links. */
export const ChatMessageNotification = fields({ id: t.string, link: t.array(Link) }, { dateTime: t.number, chatMessage: NotifiedChatMessage, isComposing: NotifiedIsComposing })
export type ChatMessageNotification = t.TypeOf<typeof ChatMessageNotification>

const inboundSms = { senderAddress: t.string, senderAdress: t.string, destinationAddress: t.string, message: t.string, messageId: t.string, dateTime: t.number }

/** Body of `inboundSMSMessageNotification`; the sender may come misspelled (`senderAdress`). */
export const InboundSmsNotification = fields({ id: t.string, inboundSMSMessage: t.partial(inboundSms) }, { dateTime: t.number })
export type InboundSmsNotification = t.TypeOf<typeof InboundSmsNotification>

/** Body of `deliveryInfoNotification`: a new status of a sent SMS. */
export const DeliveryInfoNotification = t.type({ id: t.string, deliveryInfo: t.type({ address: t.string, deliveryStatus: t.string, messageId: t.string }) })

/**
 * Body of `chatMessageEventNotification` and `smsEventNotification`: the user's history changed on another device. `MessageDeleted` links the
 * message (`rel` `chatMessage` / `smsMessage`), `SessionDeleted` the conversation (`chatSession` / `smsThread`); the reference ignores both (notifications.md §3).
 */
export const MessageEventNotification = t.type({ id: t.string, eventType: t.string, link: t.array(Link) })
export type MessageEventNotification = t.TypeOf<typeof MessageEventNotification>

/** The notification kinds messaging owns. */
export const messagingNotificationKinds = ['chatMessageNotification', 'inboundSMSMessageNotification', 'deliveryInfoNotification', 'chatMessageEventNotification', 'smsEventNotification'] as const

/** The message id of a `resourceURL` or link: the text after `/messages/`. */
export const messageIdOf = (url: string): string | undefined => {
  const at = url.indexOf('/messages/')
  return at < 0 ? undefined : detached(url.slice(at + '/messages/'.length)) || undefined
}

/** `text` as a string of its own: in V8 a slice of 13+ characters is a view that keeps its source alive (an id would hold its whole link). */
const detached = (text: string): string => (text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string))

/** A link with the path segment `name` after at least three others (empty segments not counted), the nearest tried first. */
const segmentAfterThree = (name: string): RegExp => new RegExp(`^/*(?:[^/]+/+){3}(?:[^/]+/+)*?${name}(?:/|$)`)
const groupHref = segmentAfterThree('group')
const oneToOneHref = segmentAfterThree('oneToOne')

/**
 * Conversation type from a chat link: `/group/` or `/oneToOne/` after at least three path segments (`notifications.md` §5.1).
 * Two regular expressions: splitting each link into an array took three times as long (0.6 against 0.2 µs a link in Node).
 */
export const chatTypeOfHref = (href: string): 'chat-group' | 'chat-oneToOne' | undefined =>
  groupHref.test(href) ? 'chat-group' : oneToOneHref.test(href) ? 'chat-oneToOne' : undefined

const smsStatuses: Readonly<Record<string, string>> = { DeliveredToNetwork: 'Pending', DeliveredToTerminal: 'Delivered', DeliveryImpossible: 'Failed' }

/** The SDK's SMS `deliveryStatus` for a platform one (`messaging.md` §4). */
export const smsDeliveryStatus = (status: string | undefined): string =>
  status !== undefined && Object.hasOwn(smsStatuses, status) ? (smsStatuses[status] as string) : 'Unknown'
