import type { Conversation, Message, TextPart } from './model.js'

/** Milliseconds for ordering: outgoing timestamps are seconds (with a millisecond fraction), platform ones milliseconds. */
export const sortTime = (timestamp: number): number => (timestamp < 1e11 ? Math.round(timestamp * 1000) : timestamp)

export const textOf = (message: Message): string | undefined => message.parts.find((part): part is TextPart => part.type === 'text')?.text

/** True for the message with this handle: our local id for our own sends, else the platform id. */
export const byRef = (ref: string) => (message: Message) => message.localId === ref || message.messageId === ref

export const findMessage = (conversation: Conversation, ref: string): Message | undefined => conversation.messages.find(byRef(ref))

/**
 * The local send an outbound copy belongs to: the oldest unmatched pending message of this client (a conversation sends one at a time)
 * with the same text and number of files.
 */
export function pendingSendOf(conversation: Conversation | undefined, copy: Message): string | undefined {
  const filesOf = (message: Message) => message.parts.filter((part) => part.type === 'file').length
  const oldest = conversation?.messages.find((message) => message.isPending === true && message.localId !== undefined && !message.messageId)
  return oldest && (textOf(oldest) ?? '') === (textOf(copy) ?? '') && filesOf(oldest) === filesOf(copy) ? oldest.localId : undefined
}

/**
 * The platform ids of a messages array, cached beside the state. Arrays `insertByTime` derives from the newest share its set, grown in place
 * (constant work per message): an older array's set may hold later ids, so a hit there is confirmed by a scan; a miss is final.
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

/** Inserts a message at its place by time (after messages of the same time). */
export function insertByTime(messages: readonly Message[], message: Message): readonly Message[] {
  const time = sortTime(message.timestamp)
  let at = messages.length
  while (at > 0 && sortTime(messages[at - 1]!.timestamp) > time) at--
  // `concat` allocates the exact length: an array spread grows by half again, slack the state would keep.
  const inserted = at === messages.length ? messages.concat([message]) : [...messages.slice(0, at), message, ...messages.slice(at)]
  const index = idIndexOf(messages)
  if (index.owner === messages) {
    if (message.messageId) index.ids.add(message.messageId)
    index.owner = inserted
    idIndexes.set(inserted, index)
  }
  return inserted
}

/** The messages with `change` applied to those that match; the same array when none does. */
export function changeMessage(messages: readonly Message[], matches: (message: Message) => boolean, change: (message: Message) => Message): readonly Message[] {
  return messages.some(matches) ? messages.map((message) => (matches(message) ? change(message) : message)) : messages
}

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
export function mergeHistory(held: readonly Message[], fetched: readonly Message[]): readonly Message[] {
  if (fetched.length === 0) return held
  const fetchedById = new Map(fetched.flatMap((message) => (message.messageId ? [[message.messageId, message] as const] : [])))
  const merged = held.map((message) => {
    const replacement = message.messageId ? fetchedById.get(message.messageId) : undefined
    if (replacement === undefined) return message
    fetchedById.delete(replacement.messageId as string)
    return mergeFetched(message, replacement)
  })
  // Array sort is stable (ES2019): messages of the same time keep their order.
  return [...merged, ...fetchedById.values()].sort((a, b) => sortTime(a.timestamp) - sortTime(b.timestamp))
}
