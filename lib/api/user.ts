import { each } from '../../streams/each.js'
import { errorCodes } from '../../streams/errors.js'
import { entryOf } from '../../streams/record.js'
import { lookupId } from './arguments.js'
import type { UsersFeature } from '../../streams/users/feature.js'
import type { SearchFilters, SearchOptions, User, UserEvent } from '../../streams/users/state.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'

/** A directory user: `userId`, `emailAddress`, `firstName`, `lastName`, `photoURL`, `buddy` (`"true"` / `"false"`), and any other attribute. */
export type UserInfo = User

export type { SearchFilters, SearchOptions }

/** The documented `user` namespace (directory). */
export interface UserApi {
  /**
   * Fetches information about a User. Emits `directory:change { results: [user] }` (nothing when no user matched, as the original
   * SDK); the User is then available with `user.get`. Errors: `directory:error` with code `users:3`; without a user id, `users:4`
   * and nothing sent.
   *
   * client.user.fetch('jane@example.com')
   */
  fetch(userId: string): void
  /** Fetches information about the current User from the directory (as `fetch` does). */
  fetchSelfInfo(): void
  /**
   * Retrieves information about a User, if available.
   * @throws BasicError `users:4` when `userId` is neither a string nor undefined (undefined gives undefined, as in the original SDK).
   */
  get(userId: string): UserInfo | undefined
  /** Retrieves information about all available Users. */
  getAll(): UserInfo[]
  /**
   * Searches the domain's directory for Users. Emits `directory:change { results, next? }`, with `next` the paging token for more
   * results; the results are also available with `user.get`. Invalid filters or options: `directory:error` with code `users:4`, nothing sent.
   *
   * client.user.search({ name: 'jane' }, { sortBy: 'lastName', order: 'asc', max: 10 })
   */
  search(filters?: SearchFilters, options?: SearchOptions): void
}

const toPublic = (event: UserEvent): PublicEvent[] => {
  if (event.type !== 'usersFound') return [{ type: 'directory:error', payload: { error: event.error } }]
  // As the original SDK: a fetch that matched nobody emits nothing (a search reports its empty results).
  if (event.operation !== 'search' && event.results.length === 0) return []
  return [{ type: 'directory:change', payload: event.next === undefined ? { results: event.results } : { results: event.results, next: event.next } }]
}

/** A copy of a held user (its values are scalars): what the app changes in it stays out of the known users. */
const copied = (user: User): UserInfo => ({ ...user })

/** The documented `user` namespace over the users feature. */
export function userApi({ users }: { readonly users: UsersFeature }): Namespace<UserApi> {
  const api: UserApi = {
    fetch: (userId) => users.commands.fetch(userId),
    fetchSelfInfo: () => users.commands.fetchSelfInfo(),
    get: (userId) => {
      const id = lookupId(userId, errorCodes.users.INVALID_PARAM, 'user.get: the user id must be a string')
      const found = id === undefined ? undefined : entryOf(users.current().users, id)
      return found === undefined ? undefined : copied(found)
    },
    getAll: () => Object.values(users.current().users).map(copied),
    search: (filters, options) => users.commands.search(filters, options),
  }
  return { api, events$: users.events$.pipe(each(toPublic)) }
}
