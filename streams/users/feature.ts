import * as E from 'fp-ts/Either'
import { BehaviorSubject, Subject, Subscription, distinctUntilChanged, map, type Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { BasicError, errorCodes, isBasicError } from '../errors.js'
import type { Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import { searchFilters } from './codecs.js'
import { searchDirectory, type DirectoryPage, type DirectoryQuery } from './requests.js'
import { initialUsersState, toUser, usersReducer, type DirectoryOperation, type User, type UserEvent, type UsersState } from './state.js'

export interface UsersDeps {
  readonly logs: Logs
  readonly link: PlatformLink
}

export interface UsersCommands {
  /** Searches the directory with filters and sorting / paging options. Outcome: `usersFound` (`next` for the next page). */
  readonly search: (filters?: unknown, options?: unknown) => void
  /** Fetches one user by user id. */
  readonly fetch: (userId: unknown) => void
  /** Fetches the current user (by the local part of their identity). */
  readonly fetchSelfInfo: () => void
}

export interface UsersFeature extends Feature<UsersState, UserEvent, UsersCommands> {
  /** Hot; every user found so far, by user id. */
  readonly users$: Observable<Readonly<Record<string, User>>>
  readonly current: () => UsersState
  readonly dispose: () => void
}

const invalid = (message: string): BasicError => new BasicError(errorCodes.users.INVALID_PARAM, message)

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A search's filters and options as the query the SDK sends (§4.1), or what is wrong with them. */
export const searchQuery = (filters: unknown, options: unknown): E.Either<BasicError, { directoryId: string; query: DirectoryQuery }> => {
  if (filters !== undefined && filters !== null && !isPlainObject(filters)) return E.left(invalid('user.search: filters must be an object'))
  if (options !== undefined && options !== null && !isPlainObject(options)) return E.left(invalid('user.search: options must be an object'))
  const merged: Record<string, unknown> = { ...(filters ?? {}), ...(options ?? {}) }
  for (const key of [...searchFilters, 'next', 'directoryId']) {
    const value = merged[key]
    if (value !== undefined && value !== null && typeof value !== 'string') return E.left(invalid(`user.search: ${key} must be a string`))
  }
  const { sortBy, order, max, directoryId = 'default' } = merged
  if (sortBy !== undefined && sortBy !== null && !(searchFilters as readonly unknown[]).includes(sortBy)) {
    return E.left(invalid(`user.search: sortBy must be one of ${searchFilters.join(', ')}`))
  }
  if (order !== undefined && order !== null && order !== 'asc' && order !== 'desc') return E.left(invalid('user.search: order must be "asc" or "desc"'))
  if (max !== undefined && max !== null && !(typeof max === 'number' && Number.isInteger(max) && max > 0)) {
    return E.left(invalid('user.search: max must be a positive whole number'))
  }
  const pick = (key: string): string | number | undefined => (merged[key] === null ? undefined : (merged[key] as string | number | undefined))
  const query: DirectoryQuery = {
    name: pick('name'),
    firstName: pick('firstName'),
    lastName: pick('lastName'),
    userName: pick('userName') ?? pick('userId'),
    phoneNumber: pick('phoneNumber'),
    sortBy: pick('sortBy'),
    order: pick('order'),
    max: pick('max'),
    next: pick('next'),
  }
  return E.right({ directoryId: directoryId as string, query })
}

/** Users: the domain's directory and every user found in it. */
export function createUsers({ logs, link }: UsersDeps): UsersFeature {
  const logger = logs.logger('users')
  const state = new BehaviorSubject<UsersState>(initialUsersState)
  const events = new Subject<UserEvent>()
  const running = new Subscription()

  const dispatch = (event: UserEvent): void => {
    const previous = state.getValue()
    const next = usersReducer(previous, event)
    logger.action(event, previous, next)
    if (next !== previous) state.next(next)
    events.next(event)
  }
  const fail = (operation: DirectoryOperation, error: BasicError): void => dispatch({ type: 'directoryFailed', operation, error })

  /** Runs one search; `firstOnly` keeps the first item (fetch and fetchSelfInfo). */
  const search$ = (operation: DirectoryOperation, directoryId: string, query: DirectoryQuery, firstOnly: boolean): void => {
    const user = link.user()
    if (user === undefined) return fail(operation, new BasicError(errorCodes.users.DIRECTORY_REQUEST_FAIL, 'User Request failed: no user (set tokens first)'))
    running.add(
      searchDirectory(link, user.username, directoryId, query).subscribe({
        next: (page: DirectoryPage) => {
          const users = page.items.map(toUser)
          const dropped = users.filter((found) => found === undefined).length
          if (dropped > 0) logger.warn(`Dropped ${dropped} directory item(s) without a primaryContact`)
          const results = users.filter((found): found is User => found !== undefined)
          dispatch({ type: 'usersFound', operation, results: firstOnly ? results.slice(0, 1) : results, next: firstOnly ? undefined : page.next })
        },
        // Every directory failure carries the fixed code users:3 (protocol/README.md, fixed codes); the message keeps the detail.
        error: (cause: unknown) =>
          fail(operation, new BasicError(errorCodes.users.DIRECTORY_REQUEST_FAIL, isBasicError(cause) ? cause.message : `User Request failed: ${String(cause)}`)),
      }),
    )
  }

  const search = (filters?: unknown, options?: unknown): void => {
    const checked = searchQuery(filters, options)
    if (E.isLeft(checked)) return fail('search', checked.left)
    search$('search', checked.right.directoryId, checked.right.query, false)
  }

  const fetch = (userId: unknown): void => {
    if (typeof userId !== 'string' || userId === '') return fail('fetch', invalid('user.fetch: expected a user id (a non-empty string)'))
    search$('fetch', 'default', { order: 'asc', sortBy: 'name', userName: userId }, true)
  }

  const fetchSelfInfo = (): void => {
    const user = link.user()
    const identity = user?.identity ?? user?.username
    if (identity === undefined) return fail('fetchSelfInfo', new BasicError(errorCodes.users.DIRECTORY_REQUEST_FAIL, 'User Request failed: no user (set tokens first)'))
    search$('fetchSelfInfo', 'default', { order: 'asc', sortBy: 'name', userName: identity.split('@')[0] }, true)
  }

  return {
    state$: state.asObservable(),
    events$: events.asObservable(),
    users$: state.pipe(
      map((current) => current.users),
      distinctUntilChanged(),
    ),
    current: () => state.getValue(),
    commands: { search, fetch, fetchSelfInfo },
    dispose: () => {
      running.unsubscribe()
      events.complete()
      state.complete()
    },
  }
}
