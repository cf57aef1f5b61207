/**
 * `client.conversation` (also `client.messaging`): chat, group chat and SMS conversations, their
 * messages, files and typing indicators. Events: `conversations:*`, `messages:*`, `isTypingList:change`.
 *
 * @module client.conversation
 */
export type { ConversationApi, Conversation, ConversationOptions, ConversationChange, Message, MessageContext, MessageSender, StoredMessage, ChatType, Part, TextPart, JsonPart, FilePart, LocationPart } from '../../lib/api/conversation.js'
