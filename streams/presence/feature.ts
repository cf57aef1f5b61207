import * as E from 'fp-ts/Either'
import { AsyncSubject, EMPTY, Subject, Subscription, concat, filter, finalize, map, mergeMap, type Observable } from 'rxjs'
import { checked } from '../connection/decode.js'
import type { AuthUser, InboundNotification } from '../connection/link.js'
import { badInput, BasicError, errorCodes, shown } from '../errors.js'
import { select, storeFeature, type FeatureDeps, type StoreFeature } from '../feature.js'
import { isAbsent, isId, signedIn } from '../guards.js'
import type { Logger } from '../logs/logger.js'
import { inOrder, settled, settler } from '../outcome.js'
import { createStore, echoing } from '../store.js'
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

export interface PresenceDeps extends Pick<FeatureDeps, 'config' | 'logs' | 'link'> {
  /** Hot, replaying: the presence list of the current `presence` service subscription, if there is one (`streams/subscription`). */
  readonly presenceListId$: Observable<string | undefined>
}

/** One user id or several (`presence.fetch`, `subscribe`, `unsubscribe`). */
export type UserIds = string | readonly string[]

export interface PresenceCommands {
  /**
   * Publishes the user's presence, each update after the previous one answered; `note` only with `ActivitiesOther` (dropped with another
   * activity, as the original SDK does). `selfPresenceUpdateStarted` (own presence loading), then `selfPresenceUpdated` or `presenceFailed`.
   */
  readonly update: (status: string, activity: string, note?: string) => void
  /** Fetches the presence of one user or several, once. Outcome: `presenceFetched` or `presenceFailed`. */
  readonly fetch: (users: UserIds) => void
  /** Watches users: the platform notifies their presence now and on every change. */
  readonly subscribe: (users: UserIds) => void
  /** Stops watching users; they leave the state. */
  readonly unsubscribe: (users: UserIds) => void
}

export interface PresenceFeature extends StoreFeature<PresenceState, PresenceEvent, PresenceCommands> {
  /**
   * Hot; the presence of other users, by user id: a new plain record at each change, built from every watched user. An app watching
   * thousands reads `state$` instead, whose `users` (a `Keyed`) changes only the entry of the user who changed.
   */
  readonly presence$: Observable<Readonly<Record<string, UserPresence>>>
}

/** The users argument of fetch / subscribe / unsubscribe: one id or a non-empty array of ids. */
export const userIdList = (users: unknown, operation: string): E.Either<BasicError, readonly string[]> => {
  const list = typeof users === 'string' ? [users] : users
  return Array.isArray(list) && list.length > 0 && list.every(isId)
    ? E.right([...new Set(list as string[])])
    : E.left(badInput(`presence.${operation}: expected a user id or a non-empty array of user ids`))
}

const valueOf = (userId: string, { 'overriding-willingness': willingness, activities }: Person): PresenceValue => ({
  userId,
  status: willingness.overridingWillingnessValue,
  activity: activities.activityValue,
  note: activities.other,
})

/** Watch and unwatch requests in flight at once; the rest wait unsent, so a timeout runs from the send (else thousands time out in the browser's queue). */
export const watchRequestsInFlight = 6

/** The person `presence.update` publishes, or why its arguments are refused. */
const publishedPerson = (status: string, activity: string, note: unknown): E.Either<BasicError, Person> => {
  const wireStatus = toWireStatus(status)
  if (wireStatus === undefined) return E.left(new BasicError(errorCodes.presence.INVALID_STATUS, `Invalid presence status: ${shown(status)}`))
  const wireActivity = toWireActivity(activity)
  if (wireActivity === undefined) return E.left(new BasicError(errorCodes.presence.INVALID_ACTIVITY, `Invalid presence activity: ${shown(activity)}`))
  // As the original SDK: a note goes out only with ActivitiesOther, and an empty one not at all (a page may pass its note field whatever the activity).
  const text = wireActivity !== 'ActivitiesOther' || isAbsent(note) || note === '' ? undefined : note
  if (text !== undefined && typeof text !== 'string') return E.left(badInput('presence.update: the note must be a string'))
  return E.right(person(wireStatus, wireActivity, text))
}

/** The event a presence notification makes (its presence, or that it was stale), the error of a malformed one, or nothing. */
const presenceEventOf = (notification: InboundNotification, current: PresenceState, logger: Logger): PresenceEvent | BasicError | undefined => {
  const decoded = checked(PresenceNotification, notification.body)
  if (E.isLeft(decoded)) {
    logger.warn('Dropped a malformed presence notification', notification.id)
    return badInput('A presence notification could not be read: presence.person needs overriding-willingness and activities')
  }
  const { presentityUserId, presence, dateTime } = decoded.right
  if (presence === undefined) return void logger.debug('Ignored a presence notification without presence', notification.id)
  if (isStale(current, presentityUserId, dateTime)) return { type: 'stalePresenceIgnored', userId: presentityUserId, stamp: dateTime ?? 0 }
  return { type: 'presenceReceived', presence: valueOf(presentityUserId, presence.person), stamp: dateTime }
}

/**
 * Runs outcomes at most `inFlight` at once, each user's once that user's previous one ended: a watch and an unwatch in flight together
 * could reach the platform swapped.
 */
function perUserQueue(running: Subscription, inFlight: number): (userId: string, outcome$: Observable<never>) => void {
  const waiting = new Subject<Observable<never>>()
  running.add(waiting.pipe(mergeMap((outcome$) => outcome$, inFlight)).subscribe())
  /** The end of each user's latest outcome not finished yet. */
  const ends = new Map<string, Observable<never>>()
  return (userId, outcome$) => {
    const end = new AsyncSubject<never>()
    const before = ends.get(userId) ?? EMPTY
    ends.set(userId, end)
    // The queue starts outcomes in order, so `before` holds a slot already (or is done): waiting for it never blocks the queue.
    waiting.next(
      concat(before, outcome$).pipe(
        finalize(() => {
          end.complete()
          if (ends.get(userId) === end) ends.delete(userId)
        }),
      ),
    )
  }
}

/** Presence: the user's own presence, the presence of watched and fetched users, and their notifications. */
export function createPresence({ config, logs, link, presenceListId$ }: PresenceDeps): PresenceFeature {
  const logger = logs.logger('presence')
  const store = createStore(initialPresenceState, echoing(presenceReducer), logger)
  const running = new Subscription()
  const run = settler(running)
  let presenceListId: string | undefined
  running.add(presenceListId$.subscribe((listId) => (presenceListId = listId)))
  const dispatch = (event: PresenceEvent): void => void store.dispatch(event)
  const fail = (operation: PresenceOperation, error: BasicError, userIds: readonly string[] = []): void => dispatch({ type: 'presenceFailed', operation, error, userIds })

  /** Where the user's presence lives. */
  const scopeOf = (user: AuthUser): PresenceScope => ({ version: config.current().authentication.server.version, userId: user.username })

  // One after another: in flight together, the platform could store an earlier update last, and the user's last choice would be lost.
  const publish = inOrder(running)

  const update = (status: string, activity: string, note?: string): void => {
    const published = publishedPerson(status, activity, note)
    if (E.isLeft(published)) return fail('update', published.left)
    const user = signedIn(link, 'Presence publish request')
    if (E.isLeft(user)) return fail('update', user.left)
    dispatch({ type: 'selfPresenceUpdateStarted' })
    const publish$ = publishPresence(link, scopeOf(user.right), config.current().authentication.clientCorrelator, published.right)
    const stored = (person: Person): void => {
      const { userId: _self, ...presence } = valueOf('self', person)
      dispatch({ type: 'selfPresenceUpdated', ...presence })
    }
    publish(settled(publish$, stored, (error) => fail('update', error)))
  }

  const forUsers =
    (operation: 'fetch' | 'subscribe' | 'unsubscribe', name: string, effect: (userIds: readonly string[], scope: PresenceScope) => void) =>
    (users: UserIds): void => {
      const userIds = userIdList(users, operation)
      if (E.isLeft(userIds)) return fail(operation, userIds.left)
      if (operation !== 'fetch' && presenceListId === undefined) {
        const error = `presence.${operation}: subscribe to the presence service first (services.subscribe(['presence']))`
        return fail(operation, new BasicError(errorCodes.subscription.CPAAS_SERVICE_SUB_FAIL, error), userIds.right)
      }
      const user = signedIn(link, `${name} request`)
      if (E.isLeft(user)) return fail(operation, user.left, userIds.right)
      effect(userIds.right, scopeOf(user.right))
    }

  const fetch = forUsers('fetch', 'Fetch users presence', (userIds, where) => {
    dispatch({ type: 'presenceFetchStarted', userIds })
    run(
      fetchPresence(link, where, userIds),
      (contacts) => dispatch({ type: 'presenceFetched', userIds, presences: contacts.map((contact) => valueOf(contact.presentityUserId, contact.presence.person)) }),
      (error) => fail('fetch', error, userIds),
    )
  })

  /** Watch or unwatch each user with its own request (Recommendation of §1.5). */
  const queued = perUserQueue(running, watchRequestsInFlight)
  const watching = (operation: 'subscribe' | 'unsubscribe') =>
    forUsers(operation, operation === 'subscribe' ? 'Add presence user' : 'Remove presence user', (userIds, where) => {
      const [send, type] = operation === 'subscribe' ? ([watchUser, 'userWatched'] as const) : ([unwatchUser, 'userUnwatched'] as const)
      const listId = presenceListId!
      for (const userId of userIds) queued(userId, settled(send(link, where, listId, userId), () => dispatch({ type, userId }), (error) => fail(operation, error, [userId])))
    })

  running.add(
    link.notifications$.pipe(filter((notification) => notification.kind === 'presenceNotification')).subscribe((notification) => {
      const read = presenceEventOf(notification, store.current(), logger)
      if (read instanceof BasicError) fail('notification', read)
      else if (read !== undefined) dispatch(read)
    }),
  )

  return {
    ...storeFeature(store, running),
    presence$: select(store.state$, (state) => state.users).pipe(map((users) => users.toRecord())),
    commands: { update, fetch, subscribe: watching('subscribe'), unsubscribe: watching('unsubscribe') },
  }
}
