import { asapScheduler, observeOn } from 'rxjs'
import { each } from '../../streams/each.js'
import { badInput } from '../../streams/errors.js'
import type { MessagingFeature } from '../../streams/messaging/feature.js'
import { findMessage } from '../../streams/messaging/messages.js'
import { partError } from '../../streams/messaging/parts.js'
import {
  conversationKey,
  findConversation,
  type ChatType,
  type Conversation as ConversationState,
  type Message as MessageState,
  type MessagingEvent,
  type Part,
} from '../../streams/messaging/state.js'
import type { Logs } from '../../streams/logs/logger.js'
import { stringsArgument } from './arguments.js'
import type { Conversation, ConversationChange, Message, MessageContext, MessageSender, StoredMessage } from './conversation-types.js'

/** The documented objects of the Messaging namespace over the held state: Conversation, Message and MessageSender. */

/** The recipient of `operation`: a non-empty string, or an array of one. */
export const recipientOf = (recipient: unknown, operation: string): string => {
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

/** What the namespace reads: the messaging feature, and the link for the current user. */
export interface MessagingStreams {
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
export function conversationOf(streams: MessagingStreams, held: ConversationState): Conversation {
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
    deleteMessages: (messageIds = []) => commands.deleteMessages(destination, type, stringsArgument(messageIds, 'conversation.deleteMessages: pass an array of message IDs')),
    delete: () => commands.deleteConversation(destination, type),
    subscribe: (subscriber) => subscribeTo(streams, conversationKey(destination, type), destination[0] as string, subscriber),
    fetchMessages: (amount = 50) => {
      if (!Number.isInteger(amount) || amount < 1) throw badInput('conversation.fetchMessages: the amount must be a positive integer')
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
