import * as E from 'fp-ts/Either'
import { BehaviorSubject, Subject, Subscription, distinctUntilChanged, filter, map, type Observable } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { PlatformLink } from '../connection/link.js'
import { settle } from '../outcome.js'
import { BasicError, errorCodes, isBasicError, shown } from '../errors.js'
import type { Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import { PresenceNotification, type Person } from './codecs.js'
import { fetchPresence, person, publishPresence, unwatchUser, watchUser, type PresenceScope } from './requests.js'
import {
  initialPresenceState,
  isStale,
  presenceReducer,
  type PresenceEvent,
  type PresenceOperation,
  type PresenceState,
  type PresenceValue,
  type UserPresence,
} from './state.js'
import { toWireActivity, toWireStatus } from './values.js'

export interface PresenceDeps {
  readonly config: ConfigFeature
  readonly logs: Logs
  readonly link: PlatformLink
  /** Hot, replaying: the presence list of the current `presence` service subscription, if there is one (`streams/subscription`). */
  readonly presenceListId$: Observable<string | undefined>
}

export interface PresenceCommands {
  /** Publishes the user's presence; `note` only with `ActivitiesOther`. Outcome: `selfPresenceUpdated` or `presenceFailed`. */
  readonly update: (status: unknown, activity: unknown, note?: unknown) => void
  /** Fetches the presence of one user or several, once. Outcome: `presenceFetched` or `presenceFailed`. */
  readonly fetch: (users: unknown) => void
  /** Watches users: the platform notifies their presence now and on every change. */
  readonly subscribe: (users: unknown) => void
  /** Stops watching users; they leave the state. */
  readonly unsubscribe: (users: unknown) => void
}

export interface PresenceFeature extends Feature<PresenceState, PresenceEvent, PresenceCommands> {
  /** Hot; the presence of other users, by user id. */
  readonly presence$: Observable<Readonly<Record<string, UserPresence>>>
  readonly current: () => PresenceState
  readonly dispose: () => void
}

/** The users argument of fetch / subscribe / unsubscribe: one id or a non-empty array of ids. */
export const userIdList = (users: unknown, operation: string): E.Either<BasicError, readonly string[]> => {
  const list = typeof users === 'string' ? [users] : users
  return Array.isArray(list) && list.length > 0 && list.every((user) => typeof user === 'string' && user !== '')
    ? E.right([...new Set(list as string[])])
    : E.left(new BasicError(errorCodes.general.BAD_INPUT, `presence.${operation}: expected a user id or a non-empty array of user ids`))
}

const valueOf = (userId: string, { 'overriding-willingness': willingness, activities }: Person): PresenceValue => ({
  userId,
  status: willingness.overridingWillingnessValue,
  activity: activities.activityValue,
  note: activities.other,
})

/** Presence: the user's own presence, the presence of watched and fetched users, and their notifications. */
export function createPresence({ config, logs, link, presenceListId$ }: PresenceDeps): PresenceFeature {
  const logger = logs.logger('presence')
  const state = new BehaviorSubject<PresenceState>(initialPresenceState)
  const events = new Subject<PresenceEvent>()
  const running = new Subscription()
  let presenceListId: string | undefined
  running.add(presenceListId$.subscribe((listId) => (presenceListId = listId)))

  const dispatch = (event: PresenceEvent): void => {
    const previous = state.getValue()
    const next = presenceReducer(previous, event)
    logger.action(event, previous, next)
    if (next !== previous) state.next(next)
    events.next(event)
  }
  const fail = (operation: PresenceOperation, error: BasicError, userIds: readonly string[] = []): void =>
    dispatch({ type: 'presenceFailed', operation, error, userIds })

  /** Where the user's presence lives, or the error to report when there is no user yet. */
  const scope = (operation: string): E.Either<BasicError, PresenceScope> => {
    const user = link.user()
    return user === undefined
      ? E.left(new BasicError(errorCodes.general.BAD_INPUT, `${operation} request failed: no user (set tokens first)`))
      : E.right({ version: config.current().authentication.server.version, userId: user.username })
  }

  /** Runs one request, owned by the feature (disposing aborts it); a request with no body completes without a value. */
  const run = <A>(request$: Observable<A>, next: (value: A) => void, error: (error: BasicError) => void): void => settle(running, request$, next, error)

  const update = (status: unknown, activity: unknown, note?: unknown): void => {
    const wireStatus = toWireStatus(status)
    if (wireStatus === undefined) return fail('update', new BasicError(errorCodes.presence.INVALID_STATUS, `Invalid presence status: ${shown(status)}`))
    const wireActivity = toWireActivity(activity)
    if (wireActivity === undefined) return fail('update', new BasicError(errorCodes.presence.INVALID_ACTIVITY, `Invalid presence activity: ${shown(activity)}`))
    if (note !== undefined && note !== null && typeof note !== 'string') return fail('update', new BasicError(errorCodes.general.BAD_INPUT, 'presence.update: the note must be a string'))
    const text = typeof note === 'string' ? note : undefined
    if (text !== undefined && wireActivity !== 'ActivitiesOther') {
      return fail('update', new BasicError(errorCodes.general.BAD_INPUT, 'presence.update: a note can only be given with the activity ACTIVITIES_OTHER'))
    }
    const where = scope('Presence publish')
    if (E.isLeft(where)) return fail('update', where.left)
    run(
      publishPresence(link, where.right, config.current().authentication.clientCorrelator, person(wireStatus, wireActivity, text)),
      (stored) => {
        const { status: storedStatus, activity: storedActivity, note: storedNote } = valueOf('self', stored)
        dispatch({ type: 'selfPresenceUpdated', status: storedStatus, activity: storedActivity, note: storedNote })
      },
      (error) => fail('update', error),
    )
  }

  const fetch = (users: unknown): void => {
    const userIds = userIdList(users, 'fetch')
    if (E.isLeft(userIds)) return fail('fetch', userIds.left)
    const where = scope('Fetch users presence')
    if (E.isLeft(where)) return fail('fetch', where.left, userIds.right)
    dispatch({ type: 'presenceFetchStarted', userIds: userIds.right })
    run(
      fetchPresence(link, where.right, userIds.right),
      (contacts) =>
        dispatch({ type: 'presenceFetched', userIds: userIds.right, presences: contacts.map((contact) => valueOf(contact.presentityUserId, contact.presence.person)) }),
      (error) => fail('fetch', error, userIds.right),
    )
  }

  /** Watch or unwatch each user with its own request (Recommendation of §1.5). */
  const watching = (operation: 'subscribe' | 'unsubscribe') => (users: unknown) => {
    const userIds = userIdList(users, operation)
    if (E.isLeft(userIds)) return fail(operation, userIds.left)
    const listId = presenceListId
    if (listId === undefined) {
      return fail(
        operation,
        new BasicError(errorCodes.subscription.CPAAS_SERVICE_SUB_FAIL, `presence.${operation}: subscribe to the presence service first (services.subscribe(['presence']))`),
        userIds.right,
      )
    }
    const where = scope(operation === 'subscribe' ? 'Add presence user' : 'Remove presence user')
    if (E.isLeft(where)) return fail(operation, where.left, userIds.right)
    for (const userId of userIds.right) {
      if (operation === 'subscribe') {
        run(watchUser(link, where.right, listId, userId), () => dispatch({ type: 'userWatched', userId }), (error) => fail(operation, error, [userId]))
      } else {
        run(unwatchUser(link, where.right, listId, userId), () => dispatch({ type: 'userUnwatched', userId }), (error) => fail(operation, error, [userId]))
      }
    }
  }

  running.add(
    link.notifications$.pipe(filter((notification) => notification.kind === 'presenceNotification')).subscribe((notification) => {
      const decoded = PresenceNotification.decode(notification.body)
      if (E.isLeft(decoded)) {
        logger.warn('Dropped a malformed presence notification', notification.id)
        return fail('notification', new BasicError(errorCodes.general.BAD_INPUT, 'A presence notification could not be read: presence.person needs overriding-willingness and activities'))
      }
      const { presentityUserId, presence, dateTime } = decoded.right
      if (presence === undefined) return logger.debug('Ignored a presence notification without presence', notification.id)
      if (isStale(state.getValue(), presentityUserId, dateTime)) {
        return dispatch({ type: 'stalePresenceIgnored', userId: presentityUserId, stamp: dateTime ?? 0 })
      }
      dispatch({ type: 'presenceReceived', presence: valueOf(presentityUserId, presence.person), stamp: dateTime })
    }),
  )

  return {
    state$: state.asObservable(),
    events$: events.asObservable(),
    presence$: state.pipe(
      map((current) => current.users),
      distinctUntilChanged(),
      map((users) => users.toRecord()),
    ),
    current: () => state.getValue(),
    commands: { update, fetch, subscribe: watching('subscribe'), unsubscribe: watching('unsubscribe') },
    dispose: () => {
      running.unsubscribe()
      events.complete()
      state.complete()
    },
  }
}

/** Any failure as a BasicError (the link already maps platform errors; this covers the unexpected). */
export const asBasicError = (cause: unknown): BasicError =>
  isBasicError(cause) ? cause : new BasicError(errorCodes.general.NO_CODE, cause instanceof Error ? cause.message : String(cause))
