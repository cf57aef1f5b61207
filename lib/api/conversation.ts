import { asapScheduler, EMPTY, observeOn, type Observable } from 'rxjs'
import { each } from '../../streams/each.js'
import { badInput, shown } from '../../streams/errors.js'
import type { MessagingFeature } from '../../streams/messaging/feature.js'
import { findMessage } from '../../streams/messaging/messages.js'
import { partError } from '../../streams/messaging/parts.js'
import {
  chatTypes as chatTypeValues,
  conversationKey,
  findConversation,
  toChatType,
  type ChatType,
  type Conversation as ConversationState,
  type Message as MessageState,
  type MessagingEvent,
  type MessagingState,
  type Part,
  type Target,
} from '../../streams/messaging/state.js'
import type { Logs } from '../../streams/logs/logger.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'
import type { Conversation, ConversationApi, ConversationChange, Message, MessageContext, MessageSender, StoredMessage } from './conversation-types.js'

export type { ChatType, Part, TextPart, JsonPart, FilePart, LocationPart } from '../../streams/messaging/state.js'
export type { Conversation, ConversationApi, ConversationChange, ConversationOptions, Message, MessageContext, MessageSender, StoredMessage } from './conversation-types.js'

const typeOf = (options: unknown, operation: string): ChatType => {
  if (options === undefined || options === null) return 'chat-oneToOne'
  if (typeof options !== 'object') throw badInput(`conversation.${operation}: options must be an object such as { type: 'chat-oneToOne' }`)
  const { type } = options as { type?: unknown }
  if (type === undefined) return 'chat-oneToOne'
  const known = toChatType(type)
  if (known === undefined) throw badInput(`conversation.${operation}: unknown conversation type "${shown(type)}"; use conversation.chatTypes (chat-oneToOne, chat-group, sms)`)
  return known
}

const recipientOf = (recipient: unknown, operation: string): string => {
  // The original SDK also takes the recipient in an array of one (`create([userId], …)`).
  const single = Array.isArray(recipient) && recipient.length === 1 ? (recipient[0] as unknown) : recipient
  if (typeof single !== 'string' || single.trim() === '') throw badInput(`conversation.${operation}: the recipient must be a non-empty string (or an array of one)`)
  return single
}

/** The messages events of one cause and the id of the message concerned, for `Conversation.subscribe`. */
const changedMessageIds: { readonly [K in MessagingEvent['type']]?: (event: Extract<MessagingEvent, { type: K }>) => string | undefined } = {
  messageSending: (event) => event.message.localId,
  messageSent: (event) => event.messageId,
  messageSendFailed: () => undefined,
  messageReceived: (event) => event.message.messageId ?? undefined,
  ownCopyReceived: (event) => event.messageId,
  historyFetched: (event) => event.newMessageIds.at(-1),
  messagesCleared: () => undefined,
  messageDeleted: (event) => event.messageId,
  deliveryStatusChanged: (event) => event.messageId,
  messageRead: (event) => event.messageId,
  linkCreated: (event) => event.ref,
}

const changedMessage = (event: MessagingEvent): { readonly key: string; readonly messageId: string | undefined } | undefined => {
  const idOf = changedMessageIds[event.type] as ((event: MessagingEvent) => string | undefined) | undefined
  return idOf && 'chatType' in event ? { key: conversationKey(event.destination, event.chatType), messageId: idOf(event) } : undefined
}

const pair = (conversation: Pick<ConversationState, 'destination' | 'type'>) => ({ destination: [...conversation.destination], type: conversation.type })
const at = (target: Target) => ({ destination: [...target.destination], type: target.chatType })
const messageChange = (target: Target, messageId: string | null | undefined, type: ChatType = target.chatType): PublicEvent[] => [
  { type: 'messages:change', payload: { destination: [...target.destination], messageId, type } },
]
/** A message of a conversation the user did not have yet creates it (`conversations:change`); otherwise it changes it. */
const arrived = (target: Target, messageId: string | null | undefined, newConversation: boolean): PublicEvent[] =>
  newConversation ? [{ type: 'conversations:change', payload: { ...at(target), messageId } }] : messageChange(target, messageId)

/** The documented events of one core event (`protocol/events.md` §7); `state` is the state it produced. */
export function messagingPublicEvents(event: MessagingEvent, state: MessagingState): PublicEvent[] {
  switch (event.type) {
    case 'conversationCreated':
      return [{ type: 'conversations:new', payload: at(event) }]
    case 'conversationsFetched':
      return [{ type: 'conversations:change', payload: event.conversations.map(pair) }]
    case 'conversationDeleted':
      return [{ type: 'conversations:change', payload: state.conversations.values().map(pair) }]
    case 'messageReceived':
      return arrived(event, event.message.messageId, event.newConversation)
    case 'messageSent':
      return [{ type: 'messages:change', payload: { ...at(event), messageId: event.messageId, sender: event.sender } }]
    case 'messageSendFailed':
      return [{ type: 'messages:change', payload: { ...at(event), messageId: undefined, sender: undefined } }]
    case 'historyFetched':
      return event.recovered ? arrived(event, event.newMessageIds.at(-1), event.newConversation) : [{ type: 'messages:change', payload: at(event) }]
    case 'historyFailed':
      return [{ type: 'messages:error', payload: { error: event.error } }]
    case 'messagesCleared':
    case 'linkCreated':
      return [{ type: 'messages:change', payload: at(event) }]
    case 'messageDeleted':
    case 'messageRead':
      return messageChange(event, event.messageId)
    case 'deliveryStatusChanged':
      return messageChange(event, event.messageId, 'sms')
    case 'typingChanged':
      return [{ type: 'isTypingList:change', payload: { destination: [...event.destination], sender: event.sender, type: event.chatType, state: event.state } }]
    case 'messagingFailed':
      // A failed message deletion carries the error itself; every other failure `{ error }` (events.md §7).
      return [{ type: 'messages:error', payload: event.operation === 'deleteMessage' ? event.error : { error: event.error } }]
    default:
      return []
  }
}

/** What the namespace reads: the messaging feature, and the link for the current user. */
interface MessagingStreams {
  readonly messaging: MessagingFeature
  /** Where a throwing app callback is reported. */
  readonly logs?: Logs
  readonly link?: { readonly user: () => { readonly username: string; readonly identity: string | undefined } | undefined }
  /** Where the conversations' `features` come from (config `messaging.features`). */
  readonly config?: { readonly current: () => { readonly messaging: { readonly features: readonly string[] } } }
}

const featuresOf = (streams: MessagingStreams): readonly string[] => [...(streams.config?.current().messaging.features ?? [])]

/** What a Message knows of its conversation (the original SDK's `convoContext`). */
function contextOf(streams: MessagingStreams, held: ConversationState): MessageContext {
  const context = { features: featuresOf(streams), isGroup: held.destination.length > 1, type: held.type }
  return held.id === undefined ? context : { ...context, id: held.id }
}

/** The documented Message over a held one: its methods act through the commands. */
function storedMessageOf(streams: MessagingStreams, message: MessageState, destination: readonly string[], type: ChatType): StoredMessage {
  const { commands } = streams.messaging
  const isOwn = (sender: string | undefined): boolean => {
    const user = streams.link?.user()
    return sender !== undefined && user !== undefined && (sender === user.username || sender === user.identity)
  }
  return {
    ...message,
    parts: message.parts.map((part) => ({ ...part })),
    markRead: () => {
      if (message.messageId && !isOwn(message.sender)) commands.markRead(destination, type, message.messageId)
    },
    forward: (participant) => {
      const target = [recipientOf(participant, 'forward').toLowerCase()]
      commands.create(target, type)
      commands.send(target, type, message.parts)
    },
    createImageLinks: () => {
      const ref = message.localId ?? message.messageId
      if (ref) commands.createImageLinks(destination, type, ref)
    },
  }
}

/** The Message of getMessages / getMessage: the conversation's destination and type replace a fetched message's own. */
const messageOf = (streams: MessagingStreams, message: MessageState, held: ConversationState): Message => ({
  ...storedMessageOf(streams, message, held.destination, held.type),
  destination: [...held.destination],
  type: held.type,
  convoContext: contextOf(streams, held),
})

/** A MessageSender: parts are checked as they are added, the whole message when it is sent. */
function senderOf(streams: MessagingStreams, held: ConversationState, initial: readonly Part[]): MessageSender {
  const { commands } = streams.messaging
  const { destination, type } = held
  const parts: Part[] = []
  let localId: string | undefined
  const sender: MessageSender = {
    get parts() {
      return [...parts]
    },
    destination: [...destination],
    type,
    convoContext: contextOf(streams, held),
    addPart: (part) => {
      const error = partError(part)
      if (error) commands.reportError('addPart', error)
      else parts.push(part)
    },
    send: () => {
      localId = commands.send(destination, type, [...parts]) ?? localId
    },
    createImageLinks: () => {
      if (localId) commands.createImageLinks(destination, type, localId)
    },
  }
  initial.forEach(sender.addPart)
  return sender
}

/** Calls `subscriber` (later, never inside a dispatch) for each change of the messages of the conversation under `key`. */
function subscribeTo(streams: MessagingStreams, key: string, conversationId: string, subscriber: (change: ConversationChange) => void): () => void {
  if (typeof subscriber !== 'function') throw badInput('conversation.subscribe: the subscriber must be a function')
  const appLogger = streams.logs?.logger('conversation')
  const subscription = streams.messaging.events$
    .pipe(
      each((event) => {
        const changed = changedMessage(event)
        return changed?.key === key ? [changed.messageId] : []
      }),
      observeOn(asapScheduler),
    )
    .subscribe((messageId) => {
      try {
        subscriber({ conversationId, messageId })
      } catch (error) {
        // An app's subscriber that throws is reported, never re-thrown: it would crash the process.
        appLogger?.error('A conversation subscriber threw', error)
      }
    })
  return () => subscription.unsubscribe()
}

/** What a documented Conversation shows its `messages` from. */
const source = Symbol('source')

interface Showing {
  readonly [source]: { readonly streams: MessagingStreams; readonly held: ConversationState }
}

// One getter for every conversation: an object literal with a getter of its own is a dictionary object, several times the size, that the app keeps.
const messagesProperty: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Showing) {
    const { streams, held } = this[source]
    return held.messages.map((found) => storedMessageOf(streams, found, held.destination, held.type))
  },
}

/** The documented Conversation over a held one: a snapshot of its fields, its messages read when asked. */
function conversationOf(streams: MessagingStreams, held: ConversationState): Conversation {
  const { messaging } = streams
  const { commands } = messaging
  const { destination, type } = held
  const current = (): ConversationState | undefined => findConversation(messaging.current(), destination, type)
  const fields = { destination: [...destination], type, address: held.address, lastReceived: held.lastReceived, lastMessage: held.lastMessage }
  Object.defineProperty(fields, 'messages', messagesProperty)
  const methods: Omit<Conversation, keyof typeof fields | 'messages'> = {
    isTypingList: [...held.isTypingList],
    id: held.id,
    lastPull: held.lastPull,
    description: held.description,
    features: featuresOf(streams),
    isPending: held.isPending,
    createMessage: (part) => senderOf(streams, held, part === undefined ? [] : typeof part === 'string' ? [{ type: 'text', text: part }] : Array.isArray(part) ? part : [part as Part]),
    clearMessages: () => commands.clearMessages(destination, type),
    getMessages: () => {
      const conversation = current()
      return conversation === undefined ? [] : conversation.messages.map((found) => messageOf(streams, found, conversation))
    },
    getMessage: (messageId) => {
      const conversation = current()
      const found = conversation && typeof messageId === 'string' ? findMessage(conversation, messageId) : undefined
      return conversation && found ? messageOf(streams, found, conversation) : undefined
    },
    deleteMessages: (messageIds = []) => {
      if (!Array.isArray(messageIds) || messageIds.some((id) => typeof id !== 'string')) throw badInput('conversation.deleteMessages: pass an array of message IDs')
      commands.deleteMessages(destination, type, messageIds)
    },
    delete: () => commands.deleteConversation(destination, type),
    subscribe: (subscriber) => subscribeTo(streams, conversationKey(destination, type), destination[0] as string, subscriber),
    fetchMessages: (amount = 50) => {
      if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1) throw badInput('conversation.fetchMessages: the amount must be a positive integer')
      commands.fetchMessages(destination, type, amount)
    },
    setIsTyping: (isTyping) => {
      if (typeof isTyping !== 'boolean') throw badInput('conversation.setIsTyping: isTyping must be a boolean')
      commands.setIsTyping(destination, type, isTyping)
    },
  }
  const conversation: Conversation = Object.assign(fields as typeof fields & Pick<Conversation, 'messages'>, methods)
  // Defined last: a property defined before the others are added turns the object into a dictionary too.
  return Object.defineProperty(conversation, source, { value: { streams, held } })
}

function buildConversationApi(streams: MessagingStreams): Namespace<ConversationApi> {
  const { messaging } = streams
  // Getters reuse the object of a conversation the state has not changed since (its messages are built when read).
  const built = new WeakMap<ConversationState, Conversation>()
  const documented = (held: ConversationState): Conversation => {
    let conversation = built.get(held)
    if (conversation === undefined) built.set(held, (conversation = conversationOf(streams, held)))
    return conversation
  }
  const find = (recipient: string, type: ChatType): ConversationState | undefined => {
    const state = messaging.current()
    return findConversation(state, [recipient], type) ?? findConversation(state, [recipient.toLowerCase()], type)
  }
  const api: ConversationApi = {
    get: (recipient, options) => {
      const held = find(recipientOf(recipient, 'get'), typeOf(options, 'get'))
      return held ? documented(held) : undefined
    },
    getAll: () => messaging.current().conversations.values().map(documented),
    create: (recipient, options) => {
      const type = typeOf(options, 'create')
      return documented(messaging.commands.create([recipientOf(recipient, 'create').toLowerCase()], type))
    },
    fetch: (options) => messaging.commands.fetchConversations(typeOf(options, 'fetch')),
    chatTypes: chatTypeValues,
  }
  const events$: Observable<PublicEvent> = messaging.events$.pipe(each((event) => messagingPublicEvents(event, messaging.current())))
  return { api, events$ }
}

const namespaces = new WeakMap<object, Namespace<ConversationApi>>()

/**
 * The documented Messaging namespace over the messaging feature: `client.conversation`. One
 * instance per set of streams, shared with `client.messaging`.
 */
export function conversationApi(streams: MessagingStreams): Namespace<ConversationApi> {
  const existing = namespaces.get(streams)
  if (existing) return existing
  const namespace = buildConversationApi(streams)
  namespaces.set(streams, namespace)
  return namespace
}

/** `client.messaging`: the reference's name of the same namespace (its events come through `conversation`). */
export const messagingApi = (streams: MessagingStreams): Namespace<ConversationApi> => ({ api: conversationApi(streams).api, events$: EMPTY })
