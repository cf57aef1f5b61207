/** One user's view of their conversations, as the messaging module stores it (deletions affect only that view). */

export type SessionKind = 'oneToOne' | 'group' | 'sms'

export interface StoredMessage {
  /** This view's id of the message (sender and recipients hold different ids). */
  readonly id: string
  /** The sender's address: identity for chat, E.164 number for SMS. */
  readonly sender: string
  /** `x-destinationAddress`: the recipient's identity (1:1), the group id, or the number it went to (SMS). */
  readonly destination: string
  readonly text?: string
  /** `x-id`s of attached files. */
  readonly files?: readonly string[]
  readonly dateTime: number
  /** `outbound`: sent from this view's owner. */
  readonly direction: 'inbound' | 'outbound'
  /** Chat: `Sent`; SMS: the platform's delivery status (`DeliveredToNetwork`, `DeliveredToTerminal`). */
  status: string
}

export interface StoredSession {
  readonly kind: SessionKind
  readonly sessionId: string
  /** Peer identity, group id, or remote number. */
  readonly remote: string
  /** Own identity, or own number (SMS). */
  readonly local: string
  readonly messages: StoredMessage[]
  lastPullTime: number
}

export interface UserView {
  /** By `sessionKey`. */
  readonly sessions: Record<string, StoredSession>
}

export interface MessagingData {
  /** By userId. */
  readonly users: Record<string, UserView>
}

export const sessionKey = (kind: SessionKind, remote: string, local: string): string =>
  kind === 'sms' ? `sms:${remote}|${local}` : `${kind}:${remote}`

/** The name under which the messaging module persists its `MessagingData` (`ctx.persisted`). */
export const messagingStoreName = 'messaging'

/** Drops `userId`'s view of a group conversation (a non-administrator's "delete conversation", `messaging.md` §8). */
export function forgetGroupHistory(data: MessagingData, userId: string, groupId: string): void {
  const view = Object.hasOwn(data.users, userId) ? data.users[userId]! : undefined
  const key = sessionKey('group', groupId, '')
  if (view !== undefined && Object.hasOwn(view.sessions, key)) delete view.sessions[key]
}

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
