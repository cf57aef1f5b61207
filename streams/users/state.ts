import type { BasicError } from '../errors.js'
import { isId } from '../guards.js'
import type { DirectoryItem } from './codecs.js'

/** A directory user (`presence-groups-users.md` §4.2): `userId`, `emailAddress`, `firstName`, `lastName`, `photoURL`, `buddy` ("true"/"false"), others as is. */
export interface User {
  readonly userId: string
  readonly [attribute: string]: unknown
}

/** The filters of `user.search`; every one matches as a case-insensitive substring. */
export interface SearchFilters {
  /** Matches the User ID of the user (sent as `userName`). */
  readonly userId?: string
  /** Matches the firstName or lastName. */
  readonly name?: string
  readonly firstName?: string
  readonly lastName?: string
  /** Matches the userName (wins over `userId`). */
  readonly userName?: string
  /** Matches any phone number of the user. */
  readonly phoneNumber?: string
}

/** The sorting and paging options of `user.search`. */
export interface SearchOptions {
  /** One of the filter names. */
  readonly sortBy?: keyof SearchFilters
  /** Ascending (default) or descending. */
  readonly order?: 'asc' | 'desc'
  readonly max?: number
  /** The paging token of a previous `directory:change` (its `next`), for the next chunk of results. */
  readonly next?: string
}

export interface UsersState {
  /** Every user found so far, by user id. */
  readonly users: Readonly<Record<string, User>>
}

export type DirectoryOperation = 'search' | 'fetch' | 'fetchSelfInfo'

export type UserEvent =
  | { readonly type: 'usersFound'; readonly operation: DirectoryOperation; readonly results: readonly User[]; readonly next: string | undefined }
  | { readonly type: 'directoryFailed'; readonly operation: DirectoryOperation; readonly error: BasicError }

export const initialUsersState: UsersState = { users: {} }

/** A directory item as a user: `{ <name>: <value> }` with `primaryContact` renamed `userId`; undefined without one. */
export const toUser = (item: DirectoryItem): User | undefined => {
  const attributes = 'attribute' in item ? item.attribute : item.attributeList.attribute
  const user: Record<string, unknown> = Object.fromEntries(attributes.map(({ name, value }) => [name === 'primaryContact' ? 'userId' : name, value]))
  return isId(user.userId) ? (user as User) : undefined
}

/** The pure reducer of known users: results are merged into what was known of them. */
export function usersReducer(state: UsersState, event: UserEvent): UsersState {
  switch (event.type) {
    case 'usersFound': {
      if (event.results.length === 0) return state
      // A Map, then one record: a user id may be any string, `__proto__` included, and a search of thousands copies the users once.
      const users = new Map(Object.entries(state.users))
      for (const user of event.results) users.set(user.userId, { ...users.get(user.userId), ...user })
      return { users: Object.fromEntries(users) }
    }
    case 'directoryFailed':
      return state
  }
}
