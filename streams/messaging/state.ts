import type { BasicError } from '../errors.js'
import { Keyed } from '../keyed.js'

/** The conversation types (`conversation.chatTypes`): their values on the documented API. */
export const chatTypes = { ONETOONE: 'chat-oneToOne', GROUP: 'chat-group', SMS: 'sms' } as const
export type ChatType = (typeof chatTypes)[keyof typeof chatTypes]

const chatTypeAliases: Readonly<Record<string, ChatType>> = {
  'chat-oneToOne': 'chat-oneToOne',
  im: 'chat-oneToOne',
  // A public tutorial passes `chat`; accepted as 1:1 (messaging.md §1, Recommendation).
  chat: 'chat-oneToOne',
  'chat-group': 'chat-group',
  group: 'chat-group',
  sms: 'sms',
}

/** The conversation type a value names (with the aliases of `messaging.md` §1), or undefined for anything else. */
export const toChatType = (value: unknown): ChatType | undefined =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(chatTypeAliases, value) ? chatTypeAliases[value] : undefined

// ── Parts and messages ──────────────────────────────────────────────────────────────────────

export interface TextPart {
  readonly type: 'text'
  readonly text: string
}

/** Accepted on a message; never sent on the wire (`messaging.md` §3.1). */
export interface JsonPart {
  readonly type: 'json'
  readonly json: unknown
}

/**
 * A file: before sending, `file` holds the Blob/File; after upload or receipt the part carries
 * the platform's attributes (`name`, `x-id`, `size`, `content-type`), `rawURL` (the platform
 * link) and, once `createImageLinks` ran, `url` (an object URL usable in an `<img>`).
 */
export interface FilePart {
  readonly type: 'file'
  readonly file?: Blob
  readonly name?: string
  readonly rawURL?: string
  readonly 'x-id'?: string
  readonly size?: number | string
  readonly url?: string
  readonly [attribute: string]: unknown
}

/** Accepted by validation only; never sent. */
export interface LocationPart {
  readonly type: 'location'
  readonly [field: string]: unknown
}

export type Part = TextPart | JsonPart | FilePart | LocationPart

/** A message as held in a conversation (`messaging.md` §10). */
export interface Message {
  /** The platform's id; undefined while pending, null when the send failed. */
  readonly messageId: string | null | undefined
  /** Our own id of a message sent from this client, matched against the send's outcome. */
  readonly localId?: string
  readonly sender: string | undefined
  /** Outgoing: seconds since the epoch (set at send). Received and fetched: the platform's `dateTime` (milliseconds). */
  readonly timestamp: number
  readonly parts: readonly Part[]
  readonly isPending?: boolean
  readonly read?: boolean
  /** Outgoing messages only: the conversation type. */
  readonly type?: ChatType
  /** Outgoing: chat's raw status (`Sent`), SMS mapped (`Pending`, `Delivered`, `Failed`, `Unknown`). */
  readonly deliveryStatus?: string
  /** Why a send failed. */
  readonly error?: BasicError
  readonly isFetchingLinks?: boolean
  /** Fetched messages: the `x-destinationAddress`. */
  readonly destination?: string
}

/** Where `fetchMessages` continues: never fetched yet, or the platform's `next` token (undefined: no older page). */
export type HistoryCursor = { readonly fetched: false } | { readonly fetched: true; readonly next: string | undefined }

/** A conversation (`messaging.md` §10). */
export interface Conversation {
  readonly destination: readonly string[]
  readonly type: ChatType
  readonly messages: readonly Message[]
  readonly isTypingList: readonly string[]
  readonly description: string
  /** True while history is being fetched. */
  readonly isPending: boolean
  readonly id?: string
  readonly address?: string
  readonly lastMessage?: string
  readonly lastReceived?: number
  readonly lastPull?: number
  readonly history: HistoryCursor
}

export interface MessagingState {
  /** By `conversationKey`, in creation order (a persistent map: a change touches one entry, whatever the number of conversations). */
  readonly conversations: Keyed<Conversation>
}

export const initialMessagingState: MessagingState = { conversations: Keyed.empty() }

/** A conversation's identity: its destination array and type, compared exactly (`messaging.md` §1). */
export const conversationKey = (destination: readonly string[], type: ChatType): string => `${type}\u0000${destination.join('\u0001')}`

export const findConversation = (state: MessagingState, destination: readonly string[], type: ChatType): Conversation | undefined =>
  state.conversations.get(conversationKey(destination, type))

/**
 * The local send an outbound copy belongs to: the oldest pending message of this client in the
 * conversation (sends of a conversation go out one at a time) with the same text and number of
 * files, not matched yet.
 */
export function pendingSendOf(conversation: Conversation | undefined, copy: Message): string | undefined {
  const textOf = (message: Message) => message.parts.find((part): part is TextPart => part.type === 'text')?.text ?? ''
  const filesOf = (message: Message) => message.parts.filter((part) => part.type === 'file').length
  const oldest = conversation?.messages.find((message) => message.isPending === true && message.localId !== undefined && !message.messageId)
  return oldest && textOf(oldest) === textOf(copy) && filesOf(oldest) === filesOf(copy) ? oldest.localId : undefined
}

/** A message's handle within its conversation: our local id for our own sends, else the platform id. */
export const messageRef = (message: Message): string | undefined => message.localId ?? message.messageId ?? undefined

export const findMessage = (conversation: Conversation, ref: string): Message | undefined =>
  conversation.messages.find((message) => message.localId === ref || message.messageId === ref)

/**
 * The platform ids of a messages array: a cache beside the state, not in it. Arrays derived by
 * `insertByTime` from the newest one share its set, which grows in place (constant work per
 * message); an older array's set may then hold ids added after it, so a hit there is confirmed
 * by a scan (only for reads of an old state), and a miss is always final.
 */
interface IdIndex {
  readonly ids: Set<string>
  /** The newest array the set describes exactly. */
  owner: readonly Message[]
}

const idIndexes = new WeakMap<readonly Message[], IdIndex>()

function idIndexOf(messages: readonly Message[]): IdIndex {
  let index = idIndexes.get(messages)
  if (index === undefined) {
    index = { ids: new Set(messages.flatMap((message) => (message.messageId ? [message.messageId] : []))), owner: messages }
    idIndexes.set(messages, index)
  }
  return index
}

/** True when the conversation holds a message with this platform id, however old. */
export function holdsMessage(conversation: Conversation | undefined, messageId: string): boolean {
  if (conversation === undefined) return false
  const index = idIndexOf(conversation.messages)
  if (!index.ids.has(messageId)) return false
  return index.owner === conversation.messages || conversation.messages.some((message) => message.messageId === messageId)
}

export const hasMessageId = (state: MessagingState, destination: readonly string[], type: ChatType, messageId: string): boolean =>
  holdsMessage(findConversation(state, destination, type), messageId)

/** A new, empty conversation. */
export const emptyConversation = (destination: readonly string[], type: ChatType, fields: Partial<Conversation> = {}): Conversation => ({
  destination,
  type,
  messages: [],
  isTypingList: [],
  description: '',
  isPending: false,
  history: { fetched: false },
  ...fields,
})

/** Milliseconds for ordering: outgoing timestamps are seconds, platform ones milliseconds. */
export const sortTime = (timestamp: number): number => (timestamp < 1e11 ? timestamp * 1000 : timestamp)

/** The message id of a `resourceURL` or link: the text after `/messages/`. */
export const messageIdOf = (url: string): string | undefined => {
  const at = url.indexOf('/messages/')
  return at < 0 ? undefined : url.slice(at + '/messages/'.length) || undefined
}

/** Conversation type from a chat link: `/group/` or `/oneToOne/` after at least three path segments (`notifications.md` §5.1). */
export const chatTypeOfHref = (href: string): ChatType | undefined => {
  const segments = href.split('/').filter((segment) => segment !== '')
  const rest = segments.slice(3)
  if (rest.includes('group')) return 'chat-group'
  if (rest.includes('oneToOne')) return 'chat-oneToOne'
  return undefined
}

/** The SDK's SMS `deliveryStatus` for a platform one (`messaging.md` §4). */
export const smsDeliveryStatus = (status: string | undefined): string => {
  switch (status) {
    case 'DeliveredToNetwork':
      return 'Pending'
    case 'DeliveredToTerminal':
      return 'Delivered'
    case 'DeliveryImpossible':
      return 'Failed'
    default:
      return 'Unknown'
  }
}

// ── Events: facts, in the past tense; the reducer's only input ──────────────────────────────

interface Target {
  readonly destination: readonly string[]
  readonly chatType: ChatType
}

export type MessagingEvent =
  | (Target & { readonly type: 'conversationCreated'; readonly address?: string })
  /** `fetch` succeeded: these replace the local conversations with the same identity. */
  | { readonly type: 'conversationsFetched'; readonly conversations: readonly Conversation[] }
  | (Target & { readonly type: 'conversationDeleted'; readonly remote: boolean })
  | (Target & { readonly type: 'messageSending'; readonly message: Message })
  | (Target & {
      readonly type: 'messageSent'
      readonly localId: string
      readonly messageId: string
      readonly sender: string | undefined
      readonly deliveryStatus: string | undefined
      readonly parts: readonly Part[]
    })
  | (Target & { readonly type: 'messageSendFailed'; readonly localId: string; readonly error: BasicError; readonly deliveryStatus?: string })
  /** A message from a notification: `inbound` from someone else, `outbound` a copy of one's own send from another device. */
  | (Target & {
      readonly type: 'messageReceived'
      readonly message: Message
      readonly direction: 'inbound' | 'outbound'
      readonly newConversation: boolean
      readonly address?: string
    })
  /**
   * The platform's copy of a send of this client (`x-type: outbound`) arrived before the send's
   * response: the pending message learns its id and the platform's parts, and stays one message.
   */
  | (Target & { readonly type: 'ownCopyReceived'; readonly localId: string; readonly messageId: string; readonly parts: readonly Part[] })
  | (Target & { readonly type: 'historyRequested' })
  /**
   * A history page arrived. `page: 'older'` moves the paging cursor to `next`; `'latest'` (the
   * newest page) sets it only if history was never fetched; `recovered` marks a fetch after a
   * reconnect (typing list kept, conversation created if unknown).
   */
  | (Target & {
      readonly type: 'historyFetched'
      readonly messages: readonly Message[]
      readonly next: string | undefined
      readonly page: 'older' | 'latest'
      readonly recovered: boolean
      readonly newMessageIds: readonly string[]
      readonly newConversation: boolean
    })
  | (Target & { readonly type: 'historyFailed'; readonly error: BasicError })
  | (Target & { readonly type: 'messagesCleared' })
  | (Target & { readonly type: 'messageDeleted'; readonly messageId: string; readonly remote: boolean })
  | (Target & { readonly type: 'deliveryStatusChanged'; readonly messageId: string; readonly deliveryStatus: string })
  | (Target & { readonly type: 'messageRead'; readonly messageId: string })
  | (Target & { readonly type: 'linksRequested'; readonly ref: string })
  | (Target & { readonly type: 'linkCreated'; readonly ref: string; readonly partIndex: number; readonly url: string })
  | (Target & { readonly type: 'linksSettled'; readonly ref: string })
  | (Target & { readonly type: 'typingChanged'; readonly sender: string; readonly state: 'active' | 'idle' })
  /** An operation failed with nothing to change in state (the error goes to `messages:error`). */
  | { readonly type: 'messagingFailed'; readonly operation: MessagingOperation; readonly error: BasicError }

export type MessagingOperation =
  | 'addPart'
  | 'send'
  | 'fetchConversations'
  | 'fetchMessages'
  | 'deleteMessage'
  | 'deleteConversation'
  | 'setIsTyping'
  | 'createImageLinks'
  | 'notification'
  | 'recover'

// ── Reducer ─────────────────────────────────────────────────────────────────────────────────

type ConversationUpdate = (conversation: Conversation) => Conversation

/** Replaces one conversation (keeping the state object when nothing changed). */
function update(state: MessagingState, destination: readonly string[], type: ChatType, change: ConversationUpdate): MessagingState {
  const key = conversationKey(destination, type)
  const before = state.conversations.get(key)
  if (before === undefined) return state
  const after = change(before)
  return after === before ? state : { conversations: state.conversations.set(key, after) }
}

/** Adds a conversation at the end, or changes the existing one. */
function upsert(state: MessagingState, conversation: Conversation, change: ConversationUpdate = (existing) => existing): MessagingState {
  const key = conversationKey(conversation.destination, conversation.type)
  if (state.conversations.has(key)) return update(state, conversation.destination, conversation.type, change)
  return { conversations: state.conversations.set(key, change(conversation)) }
}

function remove(state: MessagingState, destination: readonly string[], type: ChatType): MessagingState {
  const conversations = state.conversations.remove(conversationKey(destination, type))
  return conversations === state.conversations ? state : { conversations }
}

/** Inserts a message at its place by time (after messages of the same time). */
function insertByTime(messages: readonly Message[], message: Message): readonly Message[] {
  const time = sortTime(message.timestamp)
  let at = messages.length
  while (at > 0 && sortTime(messages[at - 1]!.timestamp) > time) at--
  const inserted = at === messages.length ? [...messages, message] : [...messages.slice(0, at), message, ...messages.slice(at)]
  const index = idIndexOf(messages)
  if (index.owner === messages) {
    if (message.messageId) index.ids.add(message.messageId)
    index.owner = inserted
    idIndexes.set(inserted, index)
  }
  return inserted
}

const changeMessage = (messages: readonly Message[], matches: (message: Message) => boolean, change: (message: Message) => Message): readonly Message[] => {
  let changed = false
  const next = messages.map((message) => {
    if (!matches(message)) return message
    changed = true
    return change(message)
  })
  return changed ? next : messages
}

const withMessages = (conversation: Conversation, messages: readonly Message[]): Conversation =>
  messages === conversation.messages ? conversation : { ...conversation, messages }

const byRef = (ref: string) => (message: Message) => message.localId === ref || message.messageId === ref

/** A fetched message over the one held: the platform's fields win, local-only ones (read, links, local id) stay. */
function mergeFetched(held: Message, fetched: Message): Message {
  const parts = fetched.parts.map((part) => {
    if (part.type !== 'file') return part
    const previous = held.parts.find((candidate) => candidate.type === 'file' && candidate['x-id'] !== undefined && candidate['x-id'] === part['x-id'])
    return previous?.type === 'file' && previous.url !== undefined ? { ...part, url: previous.url } : part
  })
  return { ...held, ...fetched, parts }
}

/** Union by message id (fetched entries win), ordered by time (`messaging.md` §7.2). */
function mergeHistory(held: readonly Message[], fetched: readonly Message[]): readonly Message[] {
  if (fetched.length === 0) return held
  const fetchedById = new Map(fetched.filter((message) => message.messageId).map((message) => [message.messageId as string, message]))
  const merged: Message[] = []
  for (const message of held) {
    const replacement = message.messageId ? fetchedById.get(message.messageId) : undefined
    if (replacement) {
      merged.push(mergeFetched(message, replacement))
      fetchedById.delete(message.messageId as string)
    } else merged.push(message)
  }
  merged.push(...fetchedById.values())
  return merged
    .map((message, position) => ({ message, position }))
    .sort((a, b) => sortTime(a.message.timestamp) - sortTime(b.message.timestamp) || a.position - b.position)
    .map(({ message }) => message)
}

const textOf = (message: Message): string | undefined => message.parts.find((part): part is TextPart => part.type === 'text')?.text

/**
 * The pure reducer of messaging: conversations keyed by (destination, type), messages
 * de-duplicated by message id within a conversation and ordered by time.
 */
export function messagingReducer(state: MessagingState, event: MessagingEvent): MessagingState {
  switch (event.type) {
    case 'conversationCreated':
      return upsert(state, emptyConversation(event.destination, event.chatType, event.address === undefined ? {} : { address: event.address }))

    case 'conversationsFetched':
      return event.conversations.reduce(
        (next, fetched) =>
          upsert(next, fetched, (held) => ({
            ...fetched,
            // A send in flight is not wiped by the replacement: its outcome still has to land.
            messages: held.messages.filter((message) => message.isPending === true),
          })),
        state,
      )

    case 'conversationDeleted':
      return remove(state, event.destination, event.chatType)

    case 'messageSending':
      return upsert(state, emptyConversation(event.destination, event.chatType), (conversation) => ({
        ...conversation,
        messages: insertByTime(conversation.messages, event.message),
      }))

    case 'messageSent':
      return update(state, event.destination, event.chatType, (conversation) => {
        // A copy of this send may have arrived first (outbound notification): keep one message.
        const messages = conversation.messages.filter((message) => message.messageId !== event.messageId || message.localId === event.localId)
        const sent = changeMessage(messages, (message) => message.localId === event.localId, (message) => ({
          ...message,
          isPending: false,
          messageId: event.messageId,
          sender: event.sender,
          deliveryStatus: event.deliveryStatus,
          parts: event.parts,
        }))
        return withMessages(conversation, sent)
      })

    case 'messageSendFailed':
      return update(state, event.destination, event.chatType, (conversation) => {
        const messages = changeMessage(conversation.messages, (message) => message.localId === event.localId, (message) => ({
          ...message,
          isPending: false,
          messageId: null,
          error: event.error,
          ...(event.deliveryStatus === undefined ? {} : { deliveryStatus: event.deliveryStatus }),
        }))
        return withMessages(conversation, messages)
      })

    case 'messageReceived': {
      const { message } = event
      const inbound = event.direction === 'inbound'
      const fields: Partial<Conversation> = {
        ...(inbound ? { lastReceived: message.timestamp } : {}),
        ...(inbound && textOf(message) !== undefined ? { lastMessage: textOf(message) } : {}),
      }
      const created = emptyConversation(event.destination, event.chatType, event.address === undefined ? {} : { address: event.address })
      return upsert(state, created, (conversation) => {
        // Known however old: re-sent notifications never add a second copy.
        if (message.messageId && holdsMessage(conversation, message.messageId)) return conversation
        return { ...conversation, ...fields, messages: insertByTime(conversation.messages, message) }
      })
    }

    case 'ownCopyReceived':
      return update(state, event.destination, event.chatType, (conversation) =>
        withMessages(
          conversation,
          changeMessage(conversation.messages, (message) => message.localId === event.localId, (message) => ({ ...message, messageId: event.messageId, parts: event.parts })),
        ),
      )

    case 'historyRequested':
      return update(state, event.destination, event.chatType, (conversation) => (conversation.isPending ? conversation : { ...conversation, isPending: true }))

    case 'historyFetched': {
      const apply: ConversationUpdate = (conversation) => {
        const history: HistoryCursor =
          event.page === 'older' || !conversation.history.fetched ? { fetched: true, next: event.next } : conversation.history
        return {
          ...conversation,
          messages: mergeHistory(conversation.messages, event.messages),
          isTypingList: event.recovered ? conversation.isTypingList : [],
          isPending: false,
          history: event.recovered ? conversation.history : history,
        }
      }
      return event.recovered ? upsert(state, emptyConversation(event.destination, event.chatType), apply) : update(state, event.destination, event.chatType, apply)
    }

    case 'historyFailed':
      return update(state, event.destination, event.chatType, (conversation) => (conversation.isPending ? { ...conversation, isPending: false } : conversation))

    case 'messagesCleared':
      return update(state, event.destination, event.chatType, (conversation) => (conversation.messages.length === 0 ? conversation : withMessages(conversation, [])))

    case 'messageDeleted':
      return update(state, event.destination, event.chatType, (conversation) => {
        const messages = conversation.messages.filter((message) => message.messageId !== event.messageId)
        return messages.length === conversation.messages.length ? conversation : withMessages(conversation, messages)
      })

    case 'deliveryStatusChanged':
      return update(state, event.destination, event.chatType, (conversation) => {
        const messages = changeMessage(conversation.messages, (message) => message.messageId === event.messageId, (message) => ({
          ...message,
          deliveryStatus: event.deliveryStatus,
        }))
        return withMessages(conversation, messages)
      })

    case 'messageRead':
      return update(state, event.destination, event.chatType, (conversation) => {
        const messages = changeMessage(conversation.messages, (message) => message.messageId === event.messageId && message.read !== true, (message) => ({
          ...message,
          read: true,
        }))
        return withMessages(conversation, messages)
      })

    case 'linksRequested':
      return update(state, event.destination, event.chatType, (conversation) =>
        withMessages(conversation, changeMessage(conversation.messages, byRef(event.ref), (message) => ({ ...message, isFetchingLinks: true }))),
      )

    case 'linkCreated':
      return update(state, event.destination, event.chatType, (conversation) =>
        withMessages(
          conversation,
          changeMessage(conversation.messages, byRef(event.ref), (message) => ({
            ...message,
            parts: message.parts.map((part, position) => (position === event.partIndex && part.type === 'file' ? { ...part, url: event.url } : part)),
          })),
        ),
      )

    case 'linksSettled':
      return update(state, event.destination, event.chatType, (conversation) =>
        withMessages(conversation, changeMessage(conversation.messages, byRef(event.ref), (message) => ({ ...message, isFetchingLinks: false }))),
      )

    case 'typingChanged':
      return update(state, event.destination, event.chatType, (conversation) => {
        const typing = conversation.isTypingList.includes(event.sender)
        if (event.state === 'active') return typing ? conversation : { ...conversation, isTypingList: [...conversation.isTypingList, event.sender] }
        return typing ? { ...conversation, isTypingList: conversation.isTypingList.filter((sender) => sender !== event.sender) } : conversation
      })

    case 'messagingFailed':
      return state

    default:
      return state
  }
}
