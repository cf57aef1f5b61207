import type { Message, Part, TextPart } from './model.js'

// Most received messages carry one text part: rather than keep a parts array and part object each, such a message keeps its text hidden and
// reads `parts`, `isPending` and `read` through shared getters. It reads, spreads, compares and serialises as the plain message; `parts` is new at each read.
// Its timestamp, a platform time in milliseconds, is kept as two small integers: a number field past 2^30 is a boxed double of its own in V8.

const text = Symbol('text')
const high = Symbol('high')
const low = Symbol('low')
/** Where the timestamp is cut: `high × split + low`, each below 2^30 for any safe integer. */
const split = 2 ** 24

interface OneText extends Message {
  readonly [text]: string
  readonly [high]: number
  readonly [low]: number
}

const oneTextParts = (message: OneText): readonly Part[] => [{ type: 'text', text: message[text] }]
const falseGetter = { enumerable: true, get: (): boolean => false }
const partsGetter = { enumerable: true, get: function (this: OneText) { return oneTextParts(this) } }
const timestampGetter = { enumerable: true, get: function (this: OneText) { return this[high] * split + this[low] } }

type Writable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Builds a one-text message. A constructor, not a literal: V8 sizes the objects of a constructor for the properties it adds (slack tracking),
 * so all its fields stay inside the object. Its prototype is Object's, so each is a plain object. The accessors come from shared descriptors,
 * one `defineProperty` each: a message keeps the shape of the others, and `defineProperties` takes twice as long.
 */
const OneTextMessage = function (this: Writable<Message>, messageId: string, sender: string | undefined, timestamp: number, body: string) {
  this.messageId = messageId
  this.sender = sender
  Object.defineProperty(this, high, { value: Math.floor(timestamp / split) | 0 })
  Object.defineProperty(this, low, { value: timestamp % split | 0 })
  Object.defineProperty(this, 'timestamp', timestampGetter)
  Object.defineProperty(this, text, { value: body })
  Object.defineProperty(this, 'parts', partsGetter)
  Object.defineProperty(this, 'isPending', falseGetter)
  Object.defineProperty(this, 'read', falseGetter)
} as unknown as { new (messageId: string, sender: string | undefined, timestamp: number, body: string): OneText; prototype: object }
OneTextMessage.prototype = Object.prototype

/**
 * A received, unread message (`isPending: false, read: false`), held compactly when its parts are one text part and its timestamp a
 * whole number of milliseconds (0 or more).
 *
 * receivedMessage('m-1', 'bob@example.com', 1_700_000_000_000, [{ type: 'text', text: 'Hi' }]).parts // [{ type: 'text', text: 'Hi' }]
 */
export function receivedMessage(messageId: string, sender: string | undefined, timestamp: number, parts: readonly Part[]): Message {
  const [only] = parts
  const compact = parts.length === 1 && only?.type === 'text' && Object.keys(only).length === 2 && Number.isSafeInteger(timestamp) && timestamp >= 0
  if (!compact) return { messageId, sender, timestamp, parts, isPending: false, read: false }
  return new OneTextMessage(messageId, sender, timestamp, (only as TextPart).text)
}
