import { Keyed } from '../keyed.js'
import type { Step } from '../store.js'
import { byRef, changeMessage, holdsMessage, insertByTime, mergeHistory, textOf } from './messages.js'
import { conversationKey, emptyConversation, type ChatType, type Conversation, type HistoryCursor, type Message, type MessagingEvent, type MessagingState, type Target } from './model.js'

export * from './model.js'

export const initialMessagingState: MessagingState = { conversations: Keyed.empty() }

export const findConversation = (state: MessagingState, destination: readonly string[], type: ChatType): Conversation | undefined =>
  state.conversations.get(conversationKey(destination, type))

type ConversationUpdate = (conversation: Conversation) => Conversation

/** Replaces the event's conversation (keeping the state object when nothing changed). */
function update(state: MessagingState, { destination, chatType }: Target, change: ConversationUpdate): MessagingState {
  const key = conversationKey(destination, chatType)
  const before = state.conversations.get(key)
  if (before === undefined) return state
  const after = change(before)
  return after === before ? state : { conversations: state.conversations.set(key, after) }
}

/** Changes the event's conversation, or adds the one `fresh` makes (changed too) at the end; `fresh` runs only then. */
function upsert(state: MessagingState, { destination, chatType }: Target, fresh: () => Conversation, change: ConversationUpdate = (existing) => existing): MessagingState {
  const key = conversationKey(destination, chatType)
  const before = state.conversations.get(key)
  const after = change(before ?? fresh())
  return after === before ? state : { conversations: state.conversations.set(key, after) }
}

const withMessages = (conversation: Conversation, messages: readonly Message[]): Conversation =>
  messages === conversation.messages ? conversation : { ...conversation, messages }

/** Changes the messages of the event's conversation that match. */
const changeMessages = (state: MessagingState, target: Target, matches: (message: Message) => boolean, change: (message: Message) => Message): MessagingState =>
  update(state, target, (conversation) => withMessages(conversation, changeMessage(conversation.messages, matches, change)))

const created = (event: Target & { readonly address?: string | undefined }): Conversation =>
  emptyConversation(event.destination, event.chatType, event.address === undefined ? {} : { address: event.address })

type Handlers = { readonly [K in MessagingEvent['type']]: (state: MessagingState, event: Extract<MessagingEvent, { type: K }>) => MessagingState }

const handlers: Handlers = {
  conversationCreated: (state, event) => upsert(state, event, () => created(event)),
  conversationsFetched: (state, event) =>
    // A send in flight is not wiped by the replacement: its outcome still has to land.
    event.conversations.reduce((next, fetched) => upsert(next, { destination: fetched.destination, chatType: fetched.type }, () => fetched, (held) => ({ ...fetched, messages: held.messages.filter((message) => message.isPending === true) })), state),
  conversationDeleted: (state, event) => {
    const conversations = state.conversations.remove(conversationKey(event.destination, event.chatType))
    return conversations === state.conversations ? state : { conversations }
  },
  messageSending: (state, event) =>
    upsert(state, event, () => emptyConversation(event.destination, event.chatType), (conversation) => ({ ...conversation, messages: insertByTime(conversation.messages, event.message) })),
  messageSent: (state, { type, destination, chatType, localId, ...sent }) =>
    update(state, { destination, chatType }, (conversation) => {
      // A copy of this send may have arrived first (outbound notification): keep one message.
      const messages = conversation.messages.filter((message) => message.messageId !== sent.messageId || message.localId === localId)
      return withMessages(conversation, changeMessage(messages, byRef(localId), (message) => ({ ...message, isPending: false, ...sent })))
    }),
  messageSendFailed: (state, event) =>
    changeMessages(state, event, byRef(event.localId), (message) => ({
      ...message,
      isPending: false,
      messageId: null,
      error: event.error,
      ...(event.deliveryStatus === undefined ? {} : { deliveryStatus: event.deliveryStatus }),
    })),
  messageReceived: (state, event) => {
    const { message } = event
    const inbound = event.direction === 'inbound'
    const text = textOf(message)
    const fields: Partial<Conversation> = { ...(inbound ? { lastReceived: message.timestamp } : {}), ...(inbound && text !== undefined ? { lastMessage: text } : {}) }
    return upsert(state, event, () => created(event), (conversation) =>
      // Known however old: re-sent notifications never add a second copy.
      message.messageId && holdsMessage(conversation, message.messageId) ? conversation : { ...conversation, ...fields, messages: insertByTime(conversation.messages, message) },
    )
  },
  ownCopyReceived: (state, event) => changeMessages(state, event, byRef(event.localId), (message) => ({ ...message, messageId: event.messageId, parts: event.parts })),
  historyRequested: (state, event) => update(state, event, (conversation) => (conversation.isPending ? conversation : { ...conversation, isPending: true })),
  historyFetched: (state, event) => {
    const apply: ConversationUpdate = (conversation) => {
      const moved: HistoryCursor = event.page === 'older' || !conversation.history.fetched ? { fetched: true, next: event.next } : conversation.history
      const { isTypingList, history } = event.recovered ? conversation : { isTypingList: [], history: moved }
      return { ...conversation, messages: mergeHistory(conversation.messages, event.messages), isTypingList, isPending: false, history }
    }
    return event.recovered ? upsert(state, event, () => emptyConversation(event.destination, event.chatType), apply) : update(state, event, apply)
  },
  historyFailed: (state, event) => update(state, event, (conversation) => (conversation.isPending ? { ...conversation, isPending: false } : conversation)),
  messagesCleared: (state, event) => update(state, event, (conversation) => withMessages(conversation, conversation.messages.length === 0 ? conversation.messages : [])),
  messageDeleted: (state, event) =>
    update(state, event, (conversation) => {
      const messages = conversation.messages.filter((message) => message.messageId !== event.messageId)
      return messages.length === conversation.messages.length ? conversation : withMessages(conversation, messages)
    }),
  deliveryStatusChanged: (state, event) =>
    changeMessages(state, event, (message) => message.messageId === event.messageId, (message) => ({ ...message, deliveryStatus: event.deliveryStatus })),
  messageRead: (state, event) => changeMessages(state, event, (message) => message.messageId === event.messageId && message.read !== true, (message) => ({ ...message, read: true })),
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
      if (event.state === 'active') return typing ? conversation : { ...conversation, isTypingList: [...conversation.isTypingList, event.sender] }
      return typing ? { ...conversation, isTypingList: conversation.isTypingList.filter((sender) => sender !== event.sender) } : conversation
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
