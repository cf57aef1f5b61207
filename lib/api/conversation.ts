import { EMPTY } from 'rxjs'
import { each } from '../../streams/each.js'
import { badInput, shown } from '../../streams/errors.js'
import {
  chatTypes as chatTypeValues,
  findConversation,
  toChatType,
  type ChatType,
  type Conversation as ConversationState,
  type MessagingEvent,
  type MessagingState,
  type Target,
} from '../../streams/messaging/state.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'
import { conversationOf, recipientOf, type MessagingStreams } from './conversation-objects.js'
import type { Conversation, ConversationApi } from './conversation-types.js'

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

const pair = (conversation: Pick<ConversationState, 'destination' | 'type'>) => ({ destination: [...conversation.destination], type: conversation.type })
const at = (target: Target) => ({ destination: [...target.destination], type: target.chatType })
const messageChange = (target: Target, messageId: string | null | undefined, type: ChatType = target.chatType): PublicEvent[] => [
  { type: 'messages:change', payload: { destination: [...target.destination], messageId, type } },
]
/** A message of a conversation the user did not have yet creates it (`conversations:change`); otherwise it changes it. */
const arrived = (target: Target, messageId: string | null | undefined, newConversation: boolean): PublicEvent[] =>
  newConversation ? [{ type: 'conversations:change', payload: { ...at(target), messageId } }] : messageChange(target, messageId)

/** The documented events of one core event (`protocol/events.md` §7); `state` is the state it produced. */
function messagingPublicEvents(event: MessagingEvent, state: MessagingState): PublicEvent[] {
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

/** `build` made into a function that builds once per key (held weakly) and then returns what it built. */
function memoized<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const built = new WeakMap<K, V>()
  return (key) => {
    let value = built.get(key)
    if (value === undefined) built.set(key, (value = build(key)))
    return value
  }
}

function buildConversationApi(streams: MessagingStreams): Namespace<ConversationApi> {
  const { messaging } = streams
  // Getters reuse the object of a conversation the state has not changed since (its messages are built when read).
  const documented = memoized((held: ConversationState): Conversation => conversationOf(streams, held))
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
  return { api, events$: messaging.events$.pipe(each((event) => messagingPublicEvents(event, messaging.current()))) }
}

/** The documented Messaging namespace over the messaging feature: `client.conversation`, one per set of streams, shared with `client.messaging`. */
export const conversationApi: (streams: MessagingStreams) => Namespace<ConversationApi> = memoized(buildConversationApi)

/** `client.messaging`: the reference's name of the same namespace (its events come through `conversation`). */
export const messagingApi = (streams: MessagingStreams): Namespace<ConversationApi> => ({ api: conversationApi(streams).api, events$: EMPTY })
