import type { StoredMessage } from './conversations.js'

/** What a history request asks for (**Later** paging, `messaging.md` §7.2). */
export interface PageQuery {
  readonly max: number
  /** A token from a previous page: continue with the messages before it. */
  readonly next: string | undefined
  /** Upper bound (inclusive) on `dateTime`. */
  readonly lastMessageTime: number | undefined
}

/** Largest page; also the default when `max` is absent (the reference asks for no limit). */
export const maxPage = 1000

/** Parses `max`, `next` and `lastMessageTime`; a string naming the bad parameter when one is malformed. */
export function pageQuery(query: URLSearchParams): PageQuery | string {
  const maxText = query.get('max')
  const max = maxText === null ? maxPage : Number(maxText)
  if (!Number.isInteger(max) || max < 1) return 'max'
  const timeText = query.get('lastMessageTime')
  const lastMessageTime = timeText === null ? undefined : Number(timeText)
  if (lastMessageTime !== undefined && !Number.isFinite(lastMessageTime)) return 'lastMessageTime'
  const next = query.get('next') ?? undefined
  if (next !== undefined && !/^\d+_[a-z0-9-]+$/.test(next)) return 'next'
  return { max: Math.min(max, maxPage), next, lastMessageTime }
}

/**
 * The newest `max` messages (oldest first) before the `next` token and at or before
 * `lastMessageTime`, and the token for the page before them when there is one. The token
 * names the page's oldest message, so new messages arriving meanwhile do not shift pages.
 */
export function page(messages: readonly StoredMessage[], query: PageQuery): { readonly items: readonly StoredMessage[]; readonly next: string | undefined } {
  let candidates = messages
  if (query.next !== undefined) {
    const [time, id] = query.next.split('_') as [string, string]
    const at = messages.findIndex((message) => message.id === id)
    candidates = at >= 0 ? messages.slice(0, at) : messages.filter((message) => message.dateTime < Number(time))
  }
  if (query.lastMessageTime !== undefined) candidates = candidates.filter((message) => message.dateTime <= query.lastMessageTime!)
  const items = candidates.slice(Math.max(0, candidates.length - query.max))
  const oldest = items[0]
  return { items, next: candidates.length > items.length && oldest !== undefined ? `${oldest.dateTime}_${oldest.id}` : undefined }
}
