import type { Message, Part } from './model.js'

// Most received messages carry one text part: rather than keep a parts array and part object each, such a message keeps its text hidden and
// reads `parts`, `isPending` and `read` through shared getters. It reads, spreads, compares and serialises as the plain message; `parts` is new at each read.

const text = Symbol('text')

interface OneText extends Message {
  readonly [text]: string
}

const oneTextParts = (message: OneText): readonly Part[] => [{ type: 'text', text: message[text] }]
const no = (): boolean => false

// Shared by every such message: an accessor defined from the same descriptor keeps the message a fast object of the same shape.
const oneTextFields: PropertyDescriptorMap = {
  [text]: { enumerable: false },
  parts: { enumerable: true, get: function (this: OneText) { return oneTextParts(this) } },
  isPending: { enumerable: true, get: no },
  read: { enumerable: true, get: no },
}

/**
 * A received, unread message (`isPending: false, read: false`), held compactly when its parts are one text part.
 *
 * receivedMessage('m-1', 'bob@example.com', 1_700_000_000_000, [{ type: 'text', text: 'Hi' }]).parts // [{ type: 'text', text: 'Hi' }]
 */
export function receivedMessage(messageId: string, sender: string | undefined, timestamp: number, parts: readonly Part[]): Message {
  const [only] = parts
  if (parts.length !== 1 || only?.type !== 'text' || Object.keys(only).length !== 2) return { messageId, sender, timestamp, parts, isPending: false, read: false }
  return Object.defineProperties({ messageId, sender, timestamp, [text]: only.text }, oneTextFields) as OneText
}
