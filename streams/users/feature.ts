import * as E from 'fp-ts/Either'
import { Subscription, type Observable } from 'rxjs'
import { BasicError, errorCodes } from '../errors.js'
import { deepFrozen, frozenStates, selectFrozen, storeFeature, type FeatureDeps, type StoreFeature } from '../feature.js'
import { isAbsent, isId, isRecord } from '../guards.js'
import { userRequests } from '../outcome.js'
import { createStore, echoing } from '../store.js'
import { queryKeys, searchFilters } from './codecs.js'
import { searchDirectory, type DirectoryQuery } from './requests.js'
import { initialUsersState, toUser, usersReducer, type DirectoryOperation, type SearchFilters, type SearchOptions, type User, type UserEvent, type UsersState } from './state.js'

export type UsersDeps = Pick<FeatureDeps, 'logs' | 'link'>

export interface UsersCommands {
  /** Searches the directory with filters and sorting / paging options. Outcome: `usersFound` (`next` for the next page). */
  readonly search: (filters?: SearchFilters, options?: SearchOptions) => void
  readonly fetch: (userId: string) => void
  /** Fetches the current user (by the local part of their identity). */
  readonly fetchSelfInfo: () => void
}

export interface UsersFeature extends StoreFeature<UsersState, UserEvent, UsersCommands> {
  /** Hot; every user found so far, by user id. */
  readonly users$: Observable<Readonly<Record<string, User>>>
}

const invalid = (message: string): BasicError => new BasicError(errorCodes.users.INVALID_PARAM, message)

/** A search's filters and options (the app may pass anything) as the query the SDK sends (§4.1), or what is wrong with them. */
export const searchQuery = (filters: unknown, options: unknown): E.Either<BasicError, { directoryId: string; query: DirectoryQuery }> => {
  if (!isAbsent(filters) && !isRecord(filters)) return E.left(invalid('user.search: filters must be an object'))
  if (!isAbsent(options) && !isRecord(options)) return E.left(invalid('user.search: options must be an object'))
  const merged: Record<string, unknown> = { ...(isRecord(filters) ? filters : {}), ...(isRecord(options) ? options : {}) }
  const given = (key: string): unknown => (isAbsent(merged[key]) ? undefined : merged[key])
  const notText = [...searchFilters, 'next', 'directoryId'].find((key) => given(key) !== undefined && typeof given(key) !== 'string')
  if (notText !== undefined) return E.left(invalid(`user.search: ${notText} must be a string`))
  const { sortBy, order, max } = { sortBy: given('sortBy'), order: given('order'), max: given('max') }
  if (sortBy !== undefined && !(searchFilters as readonly unknown[]).includes(sortBy)) return E.left(invalid(`user.search: sortBy must be one of ${searchFilters.join(', ')}`))
  if (order !== undefined && order !== 'asc' && order !== 'desc') return E.left(invalid('user.search: order must be "asc" or "desc"'))
  if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max > 0)) return E.left(invalid('user.search: max must be a positive whole number'))
  // Every query key is taken as the app gave it, but `userName`, which falls back to `userId`.
  const query = Object.fromEntries(queryKeys.map((key) => [key, key === 'userName' ? (given('userName') ?? given('userId')) : given(key)])) as DirectoryQuery
  return E.right({ directoryId: (given('directoryId') as string | undefined) ?? 'default', query })
}

/** Users: the domain's directory and every user found in it. */
export function createUsers({ logs, link }: UsersDeps): UsersFeature {
  const logger = logs.logger('users')
  const store = createStore(deepFrozen(initialUsersState), echoing(frozenStates(usersReducer)), logger)
  const running = new Subscription()
  const request = userRequests(running, link, (event: UserEvent) => void store.dispatch(event))
  const fail = (operation: DirectoryOperation, error: BasicError): void => void store.dispatch({ type: 'directoryFailed', operation, error })

  /** Runs one search; fetch and fetchSelfInfo keep the first user found. */
  const search$ = (operation: DirectoryOperation, directoryId: string, query: DirectoryQuery): void =>
    request(
      'User Request',
      (user) => searchDirectory(link, user.username, directoryId, query),
      (page) => {
        const users = page.directoryItem.map(toUser)
        const results = users.filter((found): found is User => found !== undefined)
        if (results.length < users.length) logger.warn(`Dropped ${users.length - results.length} directory item(s) without a primaryContact`)
        return { type: 'usersFound', operation, results: operation === 'search' ? results : results.slice(0, 1), next: operation === 'search' ? page.next : undefined }
      },
      // Every directory failure, a missing user too, carries the fixed code users:3 (protocol/README.md, fixed codes); the message keeps the detail.
      (error) => fail(operation, new BasicError(errorCodes.users.DIRECTORY_REQUEST_FAIL, error.message)),
    )
  const byName = (userName: string): DirectoryQuery => ({ order: 'asc', sortBy: 'name', userName })

  const search = (filters?: SearchFilters, options?: SearchOptions): void => {
    const checked = searchQuery(filters, options)
    if (E.isLeft(checked)) return fail('search', checked.left)
    search$('search', checked.right.directoryId, checked.right.query)
  }

  const fetch = (userId: string): void => {
    if (!isId(userId)) return fail('fetch', invalid('user.fetch: expected a user id (a non-empty string)'))
    search$('fetch', 'default', byName(userId))
  }

  // The local part of the user's identity (without a user, search$ reports that instead).
  const fetchSelfInfo = (): void => search$('fetchSelfInfo', 'default', byName((link.user()?.identity ?? link.user()?.username ?? '').split('@')[0]!))

  return { ...storeFeature(store, running), users$: selectFrozen(store.state$, (state) => state.users), commands: { search, fetch, fetchSelfInfo } }
}
