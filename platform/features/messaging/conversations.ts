import type { Account, PlatformContext } from '../../context.js'

// One user's view of their conversations, as the messaging module stores it (deletions affect only that view).

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

interface UserView {
  /** By `sessionKey`. */
  readonly sessions: Record<string, StoredSession>
}

interface MessagingData {
  /** By userId. */
  readonly users: Record<string, UserView>
}

/** Where a conversation is filed in one user's view. */
export interface SessionAddress {
  readonly kind: SessionKind
  readonly remote: string
  readonly local: string
}

const sessionKey = ({ kind, remote, local }: SessionAddress): string => (kind === 'sms' ? `sms:${remote}|${local}` : `${kind}:${remote}`)

const persisted = (ctx: PlatformContext) => ctx.persisted<MessagingData>('messaging', () => ({ users: {} }))

/** Every user's conversations, persisted. */
export interface Conversations {
  /** The user's conversation filed there, if any. */
  find(userId: string, where: SessionAddress): StoredSession | undefined
  /** The user's conversation filed there, made when missing. */
  open(userId: string, where: SessionAddress): StoredSession
  /** The user's conversations of one kind. */
  list(userId: string, kind: SessionKind): StoredSession[]
  /** Drops one conversation from the user's view. */
  remove(userId: string, session: StoredSession): void
  save(): void
}

export function conversations(ctx: PlatformContext): Conversations {
  const store = persisted(ctx)
  const { users } = store.value
  const viewOf = (userId: string): UserView => {
    if (!Object.hasOwn(users, userId)) users[userId] = { sessions: {} }
    return users[userId]!
  }
  return {
    find: (userId, where) => {
      const sessions = Object.hasOwn(users, userId) ? users[userId]!.sessions : {}
      const key = sessionKey(where)
      return Object.hasOwn(sessions, key) ? sessions[key] : undefined
    },
    open: (userId, where) => {
      const { sessions } = viewOf(userId)
      const key = sessionKey(where)
      if (!Object.hasOwn(sessions, key)) sessions[key] = { kind: where.kind, sessionId: ctx.id(), remote: where.remote, local: where.local, messages: [], lastPullTime: 0 }
      return sessions[key]!
    },
    list: (userId, kind) => Object.values(viewOf(userId).sessions).filter((session) => session.kind === kind),
    remove: (userId, session) => {
      delete viewOf(userId).sessions[sessionKey(session)]
    },
    save: () => store.save(),
  }
}

/** Drops `userId`'s view of a group conversation (a non-administrator's "delete conversation", `messaging.md` §8). */
export function forgetGroupHistory(ctx: PlatformContext, userId: string, groupId: string): void {
  const store = persisted(ctx)
  const view = Object.hasOwn(store.value.users, userId) ? store.value.users[userId]! : undefined
  const key = sessionKey({ kind: 'group', remote: groupId, local: '' })
  if (view !== undefined && Object.hasOwn(view.sessions, key)) delete view.sessions[key]
  store.save()
}

/** A number without its `tel:` prefix. */
export const bareNumber = (address: string): string => address.replace(/^tel:/, '')

/** The peer's canonical address (conversations are filed under identities), or the address as given. */
export const peerAddress = (ctx: PlatformContext, address: string): string => ctx.accounts.find(address)?.identity ?? address

/** The number behind `default` or an explicit sender; undefined when the user does not own it. */
export const ownNumber = (ctx: PlatformContext, user: Account, sender: string): string | undefined => {
  if (sender === 'default') return user.phoneNumber
  const number = bareNumber(sender)
  return ctx.accounts.find(number)?.userId === user.userId ? number : undefined
}

/** Where an SMS thread of the path (`remoteAddresses/:remote/localAddresses/:local`) is filed. */
export const smsThread = (ctx: PlatformContext, user: Account, remote: string, local: string): SessionAddress => ({
  kind: 'sms',
  remote: bareNumber(remote),
  local: ownNumber(ctx, user, local) ?? local,
})
