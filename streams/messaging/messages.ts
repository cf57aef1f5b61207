import { logOf } from './held.js'
import { MessageLog } from './log.js'
import type { Conversation, Message, TextPart } from './model.js'

/** Milliseconds for ordering: outgoing timestamps are seconds (with a millisecond fraction), platform ones milliseconds. */
export const sortTime = (timestamp: number): number => (timestamp < 1e11 ? Math.round(timestamp * 1000) : timestamp)

export const textOf = (message: Message): string | undefined => message.parts.find((part): part is TextPart => part.type === 'text')?.text

/** True for the message with this handle: our local id for our own sends, else the platform id. */
export const byRef = (ref: string) => (message: Message) => message.localId === ref || message.messageId === ref

/** The newest message of the conversation that matches, without building its messages array. */
export function findNewest(conversation: Conversation, matches: (message: Message) => boolean): Message | undefined {
  const log = logOf(conversation)
  return log.at(log.findLastIndex(matches))
}

export const findMessage = (conversation: Conversation, ref: string): Message | undefined => findNewest(conversation, byRef(ref))

/**
 * The local send an outbound copy belongs to: the oldest unmatched pending message of this client (a conversation sends one at a time)
 * with the same text and number of files. Searched from the newest, only as far back as the conversation has pending messages.
 */
export function pendingSendOf(conversation: Conversation | undefined, copy: Message): string | undefined {
  const log = conversation === undefined ? MessageLog.empty : logOf(conversation)
  let oldest: Message | undefined
  for (let at = log.length - 1, seen = 0; at >= 0 && seen < log.pending; at -= 1) {
    const message = log.at(at)!
    if (message.isPending !== true) continue
    seen += 1
    if (message.localId !== undefined && !message.messageId) oldest = message
  }
  const filesOf = (message: Message) => message.parts.filter((part) => part.type === 'file').length
  return oldest && (textOf(oldest) ?? '') === (textOf(copy) ?? '') && filesOf(oldest) === filesOf(copy) ? oldest.localId : undefined
}

/** True when the conversation holds a message with this platform id, however old. */
export const holdsMessage = (conversation: Conversation | undefined, messageId: string): boolean => conversation !== undefined && logOf(conversation).holds(messageId)

/** The log with a message at its place by time (after messages of the same time): searched from the newest, where it nearly always goes. */
export function insertByTime(log: MessageLog, message: Message): MessageLog {
  const time = sortTime(message.timestamp)
  let at = log.length
  while (at > 0 && sortTime(log.at(at - 1)!.timestamp) > time) at--
  return log.insert(at, message)
}

/** The log with `change` applied to the newest message that matches; the same log when none does. */
export function changeMessage(log: MessageLog, matches: (message: Message) => boolean, change: (message: Message) => Message): MessageLog {
  const at = log.findLastIndex(matches)
  return at === -1 ? log : log.set(at, change(log.at(at)!))
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
