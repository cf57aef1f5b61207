import type { BasicError } from '../errors.js'
import type { Keyed } from '../keyed.js'

/** The conversation types (`conversation.chatTypes`): their values on the documented API. */
export const chatTypes = { ONETOONE: 'chat-oneToOne', GROUP: 'chat-group', SMS: 'sms' } as const
export type ChatType = (typeof chatTypes)[keyof typeof chatTypes]

// A public tutorial passes `chat`; accepted as 1:1 (messaging.md §1, Recommendation).
const chatTypeAliases: Readonly<Record<string, ChatType>> = { 'chat-oneToOne': 'chat-oneToOne', im: 'chat-oneToOne', chat: 'chat-oneToOne', 'chat-group': 'chat-group', group: 'chat-group', sms: 'sms' }

/** The conversation type a value names (with the aliases of `messaging.md` §1), or undefined for anything else. */
export const toChatType = (value: unknown): ChatType | undefined =>
  typeof value === 'string' && Object.hasOwn(chatTypeAliases, value) ? chatTypeAliases[value] : undefined

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
 * A file: before sending, `file` holds the Blob/File; after upload or receipt, the platform's attributes (`name`, `x-id`, `size`, `content-type`),
 * `rawURL` (the platform link) and, once `createImageLinks` ran, `url` (an object URL for an `<img>`).
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
  /** Outgoing: seconds since the epoch (set at send, with its milliseconds as a fraction). Received and fetched: the platform's `dateTime` (milliseconds). */
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
  /** Oldest first. A conversation of the state builds this array from its log when first read, then gives the same one. */
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

/** A conversation's identity: its destination array and type, compared exactly (`messaging.md` §1). */
export const conversationKey = (destination: readonly string[], type: ChatType): string => `${type}\u0000${destination.join('\u0001')}`

/** A new, empty conversation. */
export const emptyConversation = (destination: readonly string[], type: ChatType, fields: Partial<Conversation> = {}): Conversation =>
  ({ destination, type, messages: [], isTypingList: [], description: '', isPending: false, history: { fetched: false }, ...fields })

/** The conversation an event is about. */
export type Target = { readonly destination: readonly string[]; readonly chatType: ChatType }

/** Facts, in the past tense: the reducer's only input. */
export type MessagingEvent =
  | (Target & { readonly type: 'conversationCreated'; readonly address?: string })
  /** `fetch` succeeded: these replace the local conversations with the same identity. */
  | { readonly type: 'conversationsFetched'; readonly conversations: readonly Conversation[] }
  | (Target & { readonly type: 'conversationDeleted'; readonly remote: boolean })
  | (Target & { readonly type: 'messageSending'; readonly message: Message })
  | (Target & { readonly type: 'messageSent'; readonly localId: string } & Sent)
  | (Target & { readonly type: 'messageSendFailed'; readonly localId: string; readonly error: BasicError; readonly deliveryStatus?: string })
  /** A message from a notification: `inbound` from someone else, `outbound` a copy of one's own send from another device. */
  | (Target & { readonly type: 'messageReceived'; readonly message: Message; readonly direction: 'inbound' | 'outbound'; readonly newConversation: boolean; readonly address?: string })
  /** The platform's copy of this client's send (`x-type: outbound`) came before its response: the pending message takes its id and parts. */
  | (Target & { readonly type: 'ownCopyReceived'; readonly localId: string; readonly messageId: string; readonly parts: readonly Part[] })
  | (Target & { readonly type: 'historyRequested' })
  /**
   * A history page arrived: `'older'` moves the cursor to `next`, `'latest'` sets it only if never fetched;
   * `recovered` marks a fetch after a reconnect (typing list kept, conversation created if unknown).
   */
  | (Target & { readonly type: 'historyFetched'; readonly messages: readonly Message[]; readonly next: string | undefined; readonly page: 'older' | 'latest' } & {
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

/** What the platform answered to a send. */
export interface Sent {
  readonly messageId: string
  readonly sender: string | undefined
  readonly deliveryStatus: string | undefined
  readonly parts: readonly Part[]
}

export type MessagingOperation =
  | 'addPart' | 'send' | 'fetchConversations' | 'fetchMessages' | 'deleteMessage' | 'deleteConversation' | 'setIsTyping' | 'createImageLinks' | 'notification' | 'recover'
