import type { chatTypes, ChatType, Message as MessageState, Part } from '../../streams/messaging/state.js'

/** The documented objects of the Messaging namespace (`seed/api-reference.md`, Conversation, MessageSender, Message). */

/** Options naming a conversation type (`conversation.chatTypes`); `chat-oneToOne` when absent. */
export interface ConversationOptions {
  /** `chat-oneToOne` (alias `im`, `chat`), `chat-group` (alias `group`) or `sms`. */
  readonly type?: string
}

/** What a conversation's `subscribe` subscriber is called with. */
export interface ConversationChange {
  /** The conversation participant (its first destination). */
  readonly conversationId: string
  /** The ID of the message that caused the change (undefined when none did: a history fetch, a clear). */
  readonly messageId: string | undefined
}

/**
 * A message as a conversation's `messages` array holds it (`seed/api-reference.md`, Message): `timestamp` (seconds, with
 * milliseconds as the fraction, for messages sent from here; the platform's milliseconds for received ones), `isPending`, `read`,
 * `parts`, `sender`, `messageId`, `type` and `deliveryStatus` (sent messages), `error` (failed sends), and the methods below.
 */
export interface StoredMessage extends MessageState {
  /** Marks a received message read (locally; no request is sent). Emits `messages:change`. */
  markRead(): void
  /** Sends this message's parts to `participant` in a conversation of the same type. */
  forward(participant: string): void
  /** Downloads the message's files and stores an object URL per file part as `url` (an `<img>` source); `messages:change` per file. */
  createImageLinks(): void
}

/** What a Message object knows of its conversation, as the original SDK's `convoContext`. */
export interface MessageContext {
  /** The conversation's messaging features (config `messaging.features`). */
  readonly features: readonly string[]
  /** True for a conversation with several destinations (never, today: a destination is one user, group or number). */
  readonly isGroup: boolean
  /** The platform's session id of the conversation (conversations from `fetch`). */
  readonly id?: string
  readonly type: ChatType
}

/**
 * A message as `Conversation.getMessages` / `getMessage` return it: the stored message with, as in
 * the original SDK, its conversation's `destination` (an array) and `type`, and `convoContext`.
 */
export interface Message extends Omit<StoredMessage, 'destination' | 'type'> {
  /** The conversation's destination. */
  readonly destination: readonly string[]
  /** The conversation's type. */
  readonly type: ChatType
  /** What the message knows of its conversation. */
  readonly convoContext: MessageContext
}

/** A message being composed: add parts, then send it (`seed/api-reference.md`, MessageSender). */
export interface MessageSender extends Pick<Message, 'destination' | 'type' | 'convoContext'> {
  /** The parts added so far. */
  readonly parts: readonly Part[]
  /** Adds a Part; an invalid one (no or unknown type, both json and a file, missing payload) is reported as `messages:error { error }`, not added, not thrown. */
  addPart(part: Part): void
  /**
   * Sends the message: it appears at once in the conversation as pending, then as sent (with its `messageId`) or failed (with `error`);
   * `messages:change` follows either way. A message without a text part, or with more than one file (`messaging:10`), is refused
   * with `messages:error { error }` and nothing is sent.
   */
  send(): void
  /** Creates usable image links for the files of the sent message (see `Message.createImageLinks`). */
  createImageLinks(): void
}

/** A conversation with a user, a group or a phone number (`seed/api-reference.md`, Conversation). */
export interface Conversation {
  /** The remote user ID, group ID or phone number, as an array of one. */
  readonly destination: readonly string[]
  /** `chat-oneToOne`, `chat-group` or `sms`. */
  readonly type: ChatType
  /** The ID of the current user in this conversation. */
  readonly address: string | undefined
  /** When a message was last received (milliseconds since epoch). */
  readonly lastReceived: number | undefined
  /** The last message received. */
  readonly lastMessage: string | undefined
  /** The messages, oldest first. */
  readonly messages: readonly StoredMessage[]
  /** The user IDs of the users currently typing. */
  readonly isTypingList: readonly string[]
  /** The platform's session id (conversations from `fetch`). */
  readonly id: string | undefined
  /** When the conversation was last read on the platform (`lastPullTime` of `fetch`), in milliseconds. */
  readonly lastPull: number | undefined
  /** A text describing the conversation (empty, as in the original SDK). */
  readonly description: string
  /** The messaging features of the conversation (config `messaging.features`), as in the original SDK. */
  readonly features: readonly string[]
  /** True while history is being fetched. */
  readonly isPending: boolean
  /**
   * Creates a message to send in this conversation from a Part (or a text, or an array of Parts); add more with `addPart`, then `send()`.
   *
   * conversation.createMessage({ type: 'text', text: 'This is the message' }).send()
   */
  createMessage(part?: Part | string | readonly Part[]): MessageSender
  /** Clears this conversation's messages from local state; the next `fetchMessages` starts again from the newest page. Emits `messages:change`. */
  clearMessages(): void
  /** The messages of this conversation, oldest first. */
  getMessages(): Message[]
  /** One message of this conversation by its ID (or by the local id of a message being sent). */
  getMessage(messageId: string): Message | undefined
  /** Deletes messages (on the platform, for this user). Emits `messages:change` per message, `messages:error` on failure. */
  deleteMessages(messageIds?: readonly string[]): void
  /**
   * Deletes the conversation (for this user). Emits `conversations:change` with the remaining conversations. For a group conversation
   * the request is the reference's `DELETE .../group/<groupId>`, which deletes the group when the user is its administrator and
   * otherwise makes the user leave it; `client.groups` is not told (its `fetch` shows the change).
   */
  delete(): void
  /** Calls `subscriber({ conversationId, messageId })` whenever this conversation's messages change; returns the unsubscribe function. */
  subscribe(subscriber: (change: ConversationChange) => void): () => void
  /** Fetches `amount` messages of history (newest first page, then older ones on each further call). Emits `messages:change`. */
  fetchMessages(amount?: number): void
  /** Tells the other participants whether the user is typing (chat conversations). */
  setIsTyping(isTyping: boolean): void
}

/** The documented Messaging namespace: `client.conversation` (also reachable as `client.messaging`). */
export interface ConversationApi {
  /**
   * The conversation with a user, group or number, if there is one.
   *
   * const conversation = client.conversation.get('bob@example.com')
   * @throws BasicError `BAD_INPUT` for a recipient that is not a non-empty string (or an array of one) or an unknown type.
   */
  get(recipient: string | readonly [string], options?: ConversationOptions): Conversation | undefined
  /** Every conversation, in creation order. */
  getAll(): Conversation[]
  /**
   * Creates (or returns the existing) conversation; the recipient (also as an array of one, as the original SDK takes it) is
   * lower-cased. Emits `conversations:new` when it is new.
   *
   * const conversation = client.conversation.create('bob@example.com', { type: client.conversation.chatTypes.ONETOONE })
   * @throws BasicError `BAD_INPUT` for a recipient that is not a non-empty string (or an array of one) or an unknown type.
   */
  create(recipient: string | readonly [string], options?: ConversationOptions): Conversation
  /**
   * Fetches the user's conversations of a type from the platform (they replace local ones with the same identity). Emits
   * `conversations:change` with the fetched `[{ destination, type }]`, or `messages:error` (`messaging:8`).
   *
   * client.conversation.fetch({ type: client.conversation.chatTypes.GROUP })
   */
  fetch(options?: ConversationOptions): void
  /** The conversation types: `ONETOONE` (`chat-oneToOne`), `GROUP` (`chat-group`), `SMS` (`sms`). */
  readonly chatTypes: typeof chatTypes
}
