import type { BasicError } from '../errors.js'
import { Keyed } from '../keyed.js'

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
export interface SelfPresence extends Pick<UserPresence, 'status' | 'activity' | 'note'> {
  readonly loading: boolean
  /** `false`, or the error of the last failed update. */
  readonly error: false | BasicError
}

export interface PresenceState {
  readonly self: SelfPresence
  /** By user id (a persistent map: one update changes one entry, in constant work). */
  readonly users: Keyed<UserPresence>
  /**
   * Per user, the `dateTime` of the newest notification applied, so a replayed older frame never overwrites newer presence
   * (`channel-and-subscriptions.md` §5); it leaves with the user (`userUnwatched`).
   */
  readonly stamps: Keyed<number>
}

/** A presence value as read from the wire. */
export interface PresenceValue {
  readonly userId: string
  readonly status: string
  readonly activity: string
  readonly note: string | undefined
}

export type PresenceOperation = 'update' | 'fetch' | 'subscribe' | 'unsubscribe' | 'notification'

export type PresenceEvent =
  | { readonly type: 'selfPresenceUpdateStarted' }
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
  users: Keyed.empty(),
  stamps: Keyed.empty(),
}

const stored = ({ userId, status, activity, note }: PresenceValue): UserPresence =>
  note === undefined ? { userId, status, activity, loading: false } : { userId, status, activity, note, loading: false }

/** `users` with those of `userIds` still loading stopped, keeping what was known of them (`users` itself when none was). */
const stopLoading = (users: Keyed<UserPresence>, userIds: readonly string[]): Keyed<UserPresence> =>
  userIds.reduce((known, userId) => (known.get(userId)?.loading === true ? known.set(userId, { ...known.get(userId)!, loading: false }) : known), users)

/** True when a notification stamped `stamp` is older than the newest one applied for `userId`. */
export const isStale = (state: PresenceState, userId: string, stamp: number | undefined): boolean => {
  const newest = state.stamps.get(userId)
  return stamp !== undefined && newest !== undefined && stamp < newest
}

/** The pure reducer of presence. */
export function presenceReducer(state: PresenceState, event: PresenceEvent): PresenceState {
  switch (event.type) {
    case 'selfPresenceUpdateStarted':
      // As the original SDK: the own presence is loading from the update's call until its answer, without the error of an earlier one.
      return { ...state, self: { ...state.self, loading: true, error: false } }
    case 'selfPresenceUpdated': {
      const { status, activity, note } = event
      const self: SelfPresence = note === undefined ? { status, activity, loading: false, error: false } : { status, activity, note, loading: false, error: false }
      return { ...state, self }
    }
    case 'presenceFetchStarted': {
      if (event.userIds.length === 0) return state
      const users = event.userIds.reduce((known, userId) => known.set(userId, { ...(known.get(userId) ?? { userId }), loading: true }), state.users)
      return { ...state, users }
    }
    case 'presenceFetched': {
      // Users the platform left out stop loading and keep what was known of them.
      const returned = new Set(event.presences.map((presence) => presence.userId))
      const stopped = stopLoading(state.users, event.userIds.filter((userId) => !returned.has(userId)))
      const users = event.presences.reduce((known, presence) => known.set(presence.userId, stored(presence)), stopped)
      return users === state.users ? state : { ...state, users }
    }
    case 'presenceReceived': {
      const { presence, stamp } = event
      if (isStale(state, presence.userId, stamp)) return state
      const users = state.users.set(presence.userId, stored(presence))
      const stamps = stamp === undefined ? state.stamps : state.stamps.set(presence.userId, stamp)
      // Every field named rather than spread: in Node's V8, a spread that then replaces fields costs ~20× a literal on every notification.
      return { self: state.self, users, stamps }
    }
    case 'userUnwatched':
      return state.users.has(event.userId) || state.stamps.has(event.userId)
        ? { ...state, users: state.users.remove(event.userId), stamps: state.stamps.remove(event.userId) }
        : state
    case 'presenceFailed': {
      if (event.operation === 'update') return { ...state, self: { ...state.self, loading: false, error: event.error } }
      const users = event.operation === 'fetch' ? stopLoading(state.users, event.userIds) : state.users
      return users === state.users ? state : { ...state, users }
    }
    case 'stalePresenceIgnored':
    case 'userWatched':
      return state
  }
}
