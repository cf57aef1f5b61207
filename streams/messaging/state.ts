import { Keyed } from '../keyed.js'
import { definedFields } from '../record.js'
import type { Step } from '../store.js'
import { logOf, revised } from './held.js'
import { MessageLog } from './log.js'
import { byRef, changeMessage, holdsMessage, insertByTime, mergeHistory, textOf } from './messages.js'
import { conversationKey, emptyConversation, type ChatType, type Conversation, type HistoryCursor, type Message, type MessagingEvent, type MessagingState, type Target } from './model.js'

export * from './model.js'

export const initialMessagingState: MessagingState = { conversations: Keyed.empty() }

export const findConversation = (state: MessagingState, destination: readonly string[], type: ChatType): Conversation | undefined =>
  state.conversations.get(conversationKey(destination, type))

type ConversationUpdate = (conversation: Conversation) => Conversation

/** Changes the event's conversation, or adds the one `fresh` makes (changed too) at the end; `fresh` runs only then, and without it a missing conversation stays missing. */
function upsert(state: MessagingState, { destination, chatType }: Target, fresh: (() => Conversation) | undefined, change: ConversationUpdate = (existing) => existing): MessagingState {
  const key = conversationKey(destination, chatType)
  const held = state.conversations.get(key)
  const before = held ?? fresh?.()
  if (before === undefined) return state
  const after = change(before)
  return after === held ? state : { conversations: state.conversations.set(key, after) }
}

/** Replaces the event's conversation (keeping the state object when nothing changed). */
const update = (state: MessagingState, target: Target, change: ConversationUpdate): MessagingState => upsert(state, target, undefined, change)

/** The conversation with the messages of `log`, made from `held`, its own: itself when that changed nothing. */
const withLog = (conversation: Conversation, held: MessageLog, log: MessageLog): Conversation => (log === held ? conversation : revised(conversation, {}, log))

/** Changes the newest message of the event's conversation that matches (one with this platform id, when `messageId` is given). */
const changeMessages = (state: MessagingState, target: Target, matches: (message: Message) => boolean, change: (message: Message) => Message, messageId?: string): MessagingState =>
  update(state, target, (conversation) => {
    const log = logOf(conversation)
    // The id set answers a miss at once, where a search would read every message.
    return messageId !== undefined && !log.holds(messageId) ? conversation : withLog(conversation, log, changeMessage(log, matches, change))
  })

/** The log of the messages of `log` that `keep`: a new log only when one goes. */
function kept(log: MessageLog, keep: (message: Message) => boolean): MessageLog {
  const messages = log.toArray()
  const left = messages.filter(keep)
  return left.length === messages.length ? log : MessageLog.from(left)
}

const created = (event: Target & { readonly address?: string | undefined }): Conversation =>
  emptyConversation(event.destination, event.chatType, definedFields({ address: event.address }))

type Handlers = { readonly [K in MessagingEvent['type']]: (state: MessagingState, event: Extract<MessagingEvent, { type: K }>) => MessagingState }

const handlers: Handlers = {
  conversationCreated: (state, event) => upsert(state, event, () => created(event)),
  conversationsFetched: (state, event) =>
    // A send in flight is not wiped by the replacement: its outcome still has to land.
    event.conversations.reduce((next, fetched) => upsert(next, { destination: fetched.destination, chatType: fetched.type }, () => fetched, (held) => revised(fetched, {}, MessageLog.from(held.messages.filter((message) => message.isPending === true)))), state),
  conversationDeleted: (state, event) => {
    const conversations = state.conversations.remove(conversationKey(event.destination, event.chatType))
    return conversations === state.conversations ? state : { conversations }
  },
  messageSending: (state, event) =>
    upsert(state, event, () => emptyConversation(event.destination, event.chatType), (conversation) => revised(conversation, {}, insertByTime(logOf(conversation), event.message))),
  messageSent: (state, { type, destination, chatType, localId, ...sent }) =>
    update(state, { destination, chatType }, (conversation) => {
      const held = logOf(conversation)
      // A copy of this send may have arrived first (outbound notification): keep one message.
      const log = held.holds(sent.messageId) ? kept(held, (message) => message.messageId !== sent.messageId || message.localId === localId) : held
      return withLog(conversation, held, changeMessage(log, byRef(localId), (message) => ({ ...message, isPending: false, ...sent })))
    }),
  messageSendFailed: (state, event) =>
    changeMessages(state, event, byRef(event.localId), (message) => ({
      ...message,
      isPending: false,
      messageId: null,
      error: event.error,
      ...definedFields({ deliveryStatus: event.deliveryStatus }),
    })),
  messageReceived: (state, event) => {
    const { message } = event
    const fields: Partial<Conversation> = event.direction === 'inbound' ? definedFields({ lastReceived: message.timestamp, lastMessage: textOf(message) }) : {}
    return upsert(state, event, () => created(event), (conversation) =>
      // Known however old: re-sent notifications never add a second copy.
      message.messageId && holdsMessage(conversation, message.messageId) ? conversation : revised(conversation, fields, insertByTime(logOf(conversation), message)),
    )
  },
  ownCopyReceived: (state, event) => changeMessages(state, event, byRef(event.localId), (message) => ({ ...message, messageId: event.messageId, parts: event.parts })),
  historyRequested: (state, event) => update(state, event, (conversation) => (conversation.isPending ? conversation : revised(conversation, { isPending: true }))),
  historyFetched: (state, event) => {
    const apply: ConversationUpdate = (conversation) => {
      const moved: HistoryCursor = event.page === 'older' || !conversation.history.fetched ? { fetched: true, next: event.next } : conversation.history
      const { isTypingList, history } = event.recovered ? conversation : { isTypingList: [], history: moved }
      const log = event.messages.length === 0 ? logOf(conversation) : MessageLog.from(mergeHistory(conversation.messages, event.messages))
      return revised(conversation, { isTypingList, isPending: false, history }, log)
    }
    return event.recovered ? upsert(state, event, () => emptyConversation(event.destination, event.chatType), apply) : update(state, event, apply)
  },
  historyFailed: (state, event) => update(state, event, (conversation) => (conversation.isPending ? revised(conversation, { isPending: false }) : conversation)),
  // The cursor goes too: the next page is the newest again, not the one after a page no longer held.
  messagesCleared: (state, event) =>
    update(state, event, (conversation) =>
      logOf(conversation).length === 0 && !conversation.history.fetched ? conversation : revised(conversation, { history: { fetched: false } }, MessageLog.empty),
    ),
  messageDeleted: (state, event) =>
    update(state, event, (conversation) => {
      const log = logOf(conversation)
      return log.holds(event.messageId) ? withLog(conversation, log, kept(log, (message) => message.messageId !== event.messageId)) : conversation
    }),
  deliveryStatusChanged: (state, event) =>
    changeMessages(state, event, (message) => message.messageId === event.messageId, (message) => ({ ...message, deliveryStatus: event.deliveryStatus }), event.messageId),
  messageRead: (state, event) =>
    changeMessages(state, event, (message) => message.messageId === event.messageId && message.read !== true, (message) => ({ ...message, read: true }), event.messageId),
  linksRequested: (state, event) => changeMessages(state, event, byRef(event.ref), (message) => ({ ...message, isFetchingLinks: true })),
  linkCreated: (state, event) =>
    changeMessages(state, event, byRef(event.ref), (message) => ({
      ...message,
      parts: message.parts.map((part, position) => (position === event.partIndex && part.type === 'file' ? { ...part, url: event.url } : part)),
    })),
  linksSettled: (state, event) => changeMessages(state, event, byRef(event.ref), (message) => ({ ...message, isFetchingLinks: false })),
  typingChanged: (state, event) =>
    update(state, event, (conversation) => {
      const typing = conversation.isTypingList.includes(event.sender)
      if (event.state === 'active') return typing ? conversation : revised(conversation, { isTypingList: [...conversation.isTypingList, event.sender] })
      return typing ? revised(conversation, { isTypingList: conversation.isTypingList.filter((sender) => sender !== event.sender) }) : conversation
    }),
  messagingFailed: (state) => state,
}

/** The pure reducer of messaging: conversations keyed by (destination, type), their messages de-duplicated by message id and ordered by time. */
export const messagingReducer = (state: MessagingState, event: MessagingEvent): MessagingState =>
  (handlers[event.type] as (state: MessagingState, event: MessagingEvent) => MessagingState)(state, event)

/** Events that say nothing when they changed nothing (a duplicate notification, a second deletion). */
const silentWhenUnchanged: ReadonlySet<MessagingEvent['type']> = new Set<MessagingEvent['type']>(
  ['conversationCreated', 'messageReceived', 'messageDeleted', 'conversationDeleted', 'deliveryStatusChanged', 'messageRead', 'historyRequested', 'linksRequested', 'linksSettled'],
)

/** The reducer as a store step: the event is its own output, unless it changed nothing and says nothing then. */
export function messagingStep(state: MessagingState, event: MessagingEvent): Step<MessagingState, MessagingEvent> {
  const next = messagingReducer(state, event)
  return { state: next, outputs: next === state && silentWhenUnchanged.has(event.type) ? [] : [event] }
}
