import { MessageLog } from './log.js'
import type { Conversation, Message } from './model.js'

const logKey = Symbol('messages')

interface Held {
  readonly [logKey]: MessageLog
}

// One getter for every conversation the reducer makes: `messages` is an array built from the log when first read, so that a message
// costs the conversation a log step, not a copy of all it holds. It stays an enumerable property: spreads and JSON see the array.
const messagesProperty: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Held): readonly Message[] {
    return this[logKey].toArray()
  },
}

/** The log of a conversation's messages: the one the reducer made it with, else one of its array (a fetched conversation, a new one). */
export const logOf = (conversation: Conversation): MessageLog => (conversation as Partial<Held>)[logKey] ?? MessageLog.from(conversation.messages)

/**
 * The conversation with `changes` and the messages of `log`. Its other fields are copied one by one: a spread would read `messages`,
 * building the array this avoids.
 *
 * revised(conversation, { isPending: true })
 * revised(conversation, {}, logOf(conversation).push(message))
 */
export function revised(conversation: Conversation, changes: Partial<Omit<Conversation, 'messages'>>, log: MessageLog = logOf(conversation)): Conversation {
  const next: Record<string, unknown> = {}
  for (const key of Object.keys(conversation)) if (key !== 'messages') next[key] = conversation[key as keyof Conversation]
  Object.assign(next, changes)
  Object.defineProperty(next, 'messages', messagesProperty)
  // Defined last, as the log itself: a property defined before the others are added turns the object into a dictionary.
  return Object.defineProperty(next, logKey, { value: log }) as unknown as Conversation
}
