import type { BasicError } from '../errors.js'

/** The presence of another user, as `presence.get` / `getAll` return it (`presence-groups-users.md` §1.6). */
export interface UserPresence {
  readonly userId: string
  readonly status?: string
  readonly activity?: string
  readonly note?: string
  /** True while a fetch for this user is under way. */
  readonly loading: boolean
}

/** The current user's own presence, as `presence.getSelf` returns it. */
export interface SelfPresence {
  readonly status?: string
  readonly activity?: string
  readonly note?: string
  readonly loading: boolean
  /** `false`, or the error of the last failed update. */
  readonly error: false | BasicError
}

export interface PresenceState {
  readonly self: SelfPresence
  readonly users: Readonly<Record<string, UserPresence>>
  /**
   * Per user, the platform's order stamp (`dateTime`) of the newest notification applied, so
   * that a replayed older frame never overwrites newer presence (`channel-and-subscriptions.md` §5).
   */
  readonly stamps: Readonly<Record<string, number>>
}

/** A presence value as read from the wire: the user, the status, the activity and the note. */
export interface PresenceValue {
  readonly userId: string
  readonly status: string
  readonly activity: string
  readonly note: string | undefined
}

export type PresenceOperation = 'update' | 'fetch' | 'subscribe' | 'unsubscribe' | 'notification'

export type PresenceEvent =
  | { readonly type: 'selfPresenceUpdated'; readonly status: string; readonly activity: string; readonly note: string | undefined }
  | { readonly type: 'presenceFetchStarted'; readonly userIds: readonly string[] }
  | { readonly type: 'presenceFetched'; readonly userIds: readonly string[]; readonly presences: readonly PresenceValue[] }
  | { readonly type: 'presenceReceived'; readonly presence: PresenceValue; readonly stamp: number | undefined }
  | { readonly type: 'stalePresenceIgnored'; readonly userId: string; readonly stamp: number }
  | { readonly type: 'userWatched'; readonly userId: string }
  | { readonly type: 'userUnwatched'; readonly userId: string }
  | { readonly type: 'presenceFailed'; readonly operation: PresenceOperation; readonly error: BasicError; readonly userIds: readonly string[] }

export const initialPresenceState: PresenceState = {
  self: { loading: false, error: false },
  users: {},
  stamps: {},
}

/** The entry of `key` (own properties only: a user id may be any string). */
const entry = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined => (Object.hasOwn(record, key) ? record[key] : undefined)

/** `record` with `key` set; a computed key always makes an own property, even `__proto__`. */
const withKey = <V>(record: Readonly<Record<string, V>>, key: string, value: V): Readonly<Record<string, V>> => ({ ...record, [key]: value })

const withoutKey = <V>(record: Readonly<Record<string, V>>, key: string): Readonly<Record<string, V>> => {
  if (!Object.hasOwn(record, key)) return record
  const { [key]: _removed, ...rest } = record
  return rest
}

const stored = ({ userId, status, activity, note }: PresenceValue): UserPresence =>
  note === undefined ? { userId, status, activity, loading: false } : { userId, status, activity, note, loading: false }

/** True when a notification stamped `stamp` is older than the newest one applied for `userId`. */
export const isStale = (state: PresenceState, userId: string, stamp: number | undefined): boolean => {
  const newest = entry(state.stamps, userId)
  return stamp !== undefined && newest !== undefined && stamp < newest
}

/** The pure reducer of presence. */
export function presenceReducer(state: PresenceState, event: PresenceEvent): PresenceState {
  switch (event.type) {
    case 'selfPresenceUpdated': {
      const { status, activity, note } = event
      const self: SelfPresence = note === undefined ? { status, activity, loading: false, error: false } : { status, activity, note, loading: false, error: false }
      return { ...state, self }
    }
    case 'presenceFetchStarted': {
      if (event.userIds.length === 0) return state
      const users = event.userIds.reduce((known, userId) => withKey(known, userId, { ...(entry(known, userId) ?? { userId }), loading: true }), state.users)
      return { ...state, users }
    }
    case 'presenceFetched': {
      // Users the platform left out stop loading and keep what was known of them.
      const missing = event.userIds.filter((userId) => entry(state.users, userId)?.loading === true && !event.presences.some((p) => p.userId === userId))
      if (event.presences.length === 0 && missing.length === 0) return state
      const stopped = missing.reduce((known, userId) => withKey(known, userId, { ...entry(known, userId)!, loading: false }), state.users)
      const users = event.presences.reduce((known, presence) => withKey(known, presence.userId, stored(presence)), stopped)
      return { ...state, users }
    }
    case 'presenceReceived': {
      const { presence, stamp } = event
      if (isStale(state, presence.userId, stamp)) return state
      const users = withKey(state.users, presence.userId, stored(presence))
      const stamps = stamp === undefined ? state.stamps : withKey(state.stamps, presence.userId, stamp)
      return { ...state, users, stamps }
    }
    case 'userUnwatched':
      return Object.hasOwn(state.users, event.userId) || Object.hasOwn(state.stamps, event.userId)
        ? { ...state, users: withoutKey(state.users, event.userId), stamps: withoutKey(state.stamps, event.userId) }
        : state
    case 'presenceFailed': {
      if (event.operation === 'update') return { ...state, self: { ...state.self, loading: false, error: event.error } }
      const loadingUsers = event.userIds.filter((userId) => entry(state.users, userId)?.loading === true)
      if (event.operation !== 'fetch' || loadingUsers.length === 0) return state
      const users = loadingUsers.reduce((known, userId) => withKey(known, userId, { ...entry(known, userId)!, loading: false }), state.users)
      return { ...state, users }
    }
    case 'stalePresenceIgnored':
    case 'userWatched':
      return state
  }
}
