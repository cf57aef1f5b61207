import type { Account, PlatformContext, PlatformReply } from '../context.js'
import { notFound, serviceError } from '../context.js'
import {
  AdhocPresenceListRequest,
  CreatePresenceListRequest,
  PresenceContactRequest,
  PresenceListSubscriptionRequest,
  PresenceSourceRequest,
  wireActivities,
  wireStatuses,
  type Person,
} from '../../streams/presence/codecs.js'

/** A user's current presence and its version: strictly increasing per user, sent as `dateTime` so clients can drop older frames. */
interface StoredPresence {
  readonly person: Person
  readonly updatedAt: number
}

/** A presence list: its name and the watched users, as the owner wrote them. */
interface StoredList {
  readonly id: string
  readonly name: string
  readonly contacts: string[]
}

interface PresenceData {
  /** By canonical userId. */
  readonly presence: Record<string, StoredPresence>
  /** By owner userId: the owner's lists in creation order. */
  readonly lists: Record<string, StoredList[]>
}

/** A presence list subscription, kept while its channel lives (`ctx.subscriptions`). */
interface ListSubscription {
  readonly id: string
  readonly userId: string
  readonly listId: string
}

const unknownPresence: Person = {
  'overriding-willingness': { overridingWillingnessValue: 'Closed' },
  activities: { activityValue: 'ActivitiesUnknown' },
}

const badValue = (part: string, value: string): PlatformReply => serviceError(400, 'SVC0002', 'Invalid input value for message part %1', [`${part}: ${value}`])

/** The entries of a presence-contact path segment or body: one id, an array, or ids joined by commas (§1.5). */
const entries = (value: string | readonly string[]): string[] =>
  [...new Set((typeof value === 'string' ? value.split(',') : value).map((entry) => entry.trim()).filter((entry) => entry !== ''))]

/**
 * Presence (`protocol/presence-groups-users.md` §1): publish, one-shot fetch, presence lists,
 * list subscriptions for the `presence` service, and fan-out of every change to the watchers
 * (`notifications.md` §7, §9).
 */
export function presenceFeature(ctx: PlatformContext): void {
  const store = ctx.persisted<PresenceData>('presence', () => ({ presence: {}, lists: {} }))
  const data = store.value
  const subscriptions = new Map<string, ListSubscription>()
  /** userId → subscription id → list id. */
  const subscribedByUser = new Map<string, Map<string, string>>()
  /** One source id per user and clientCorrelator (one per device). */
  const sources = new Map<string, string>()
  /** presentity userId → watcher userId → entry as the watcher wrote it → lists holding it. */
  const watchers = new Map<string, Map<string, Map<string, Set<string>>>>()

  const root = (user: Account): string => `/cpaas/presence/v1/${user.userId}`
  const canonical = (address: string): string => ctx.accounts.find(address)?.userId ?? address
  const listsOf = (userId: string): StoredList[] => (Object.hasOwn(data.lists, userId) ? data.lists[userId]! : [])
  const listOf = (userId: string, listId: string): StoredList | undefined => listsOf(userId).find((list) => list.id === listId)
  const presenceOf = (userId: string): StoredPresence | undefined => (Object.hasOwn(data.presence, userId) ? data.presence[userId] : undefined)

  const index = (owner: string, list: StoredList, entry: string, add: boolean): void => {
    const presentity = canonical(entry)
    const byWatcher = watchers.get(presentity) ?? new Map<string, Map<string, Set<string>>>()
    const byEntry = byWatcher.get(owner) ?? new Map<string, Set<string>>()
    const lists = byEntry.get(entry) ?? new Set<string>()
    if (add) lists.add(list.id)
    else lists.delete(list.id)
    if (lists.size > 0) byEntry.set(entry, lists)
    else byEntry.delete(entry)
    if (byEntry.size > 0) byWatcher.set(owner, byEntry)
    else byWatcher.delete(owner)
    if (byWatcher.size > 0) watchers.set(presentity, byWatcher)
    else watchers.delete(presentity)
  }
  for (const [owner, lists] of Object.entries(data.lists)) for (const list of lists) for (const entry of list.contacts) index(owner, list, entry, true)

  const record = (subscription: ListSubscription): void => {
    subscriptions.set(subscription.id, subscription)
    const mine = subscribedByUser.get(subscription.userId) ?? new Map<string, string>()
    subscribedByUser.set(subscription.userId, mine.set(subscription.id, subscription.listId))
  }
  const forget = (subscription: ListSubscription): void => {
    subscriptions.delete(subscription.id)
    const mine = subscribedByUser.get(subscription.userId)
    mine?.delete(subscription.id)
    if (mine?.size === 0) subscribedByUser.delete(subscription.userId)
  }

  /** The lists of `userId` with a live subscription; records whose channels are gone are dropped here. */
  const subscribedLists = (userId: string): ReadonlySet<string> => {
    const mine = subscribedByUser.get(userId)
    if (mine === undefined) return new Set()
    if (!ctx.subscriptions.has(userId, 'presence')) {
      for (const id of [...mine.keys()]) forget(subscriptions.get(id)!)
      return new Set()
    }
    return new Set(mine.values())
  }

  const notification = (entry: string, stored: StoredPresence | undefined): Record<string, Record<string, unknown>> => ({
    presenceNotification: {
      presentityUserId: entry,
      presence: { person: stored?.person ?? unknownPresence },
      dateTime: stored?.updatedAt ?? 0,
    },
  })

  /** Sends `presentity`'s presence to every watcher with a subscribed list holding them, once per entry. */
  const fanOut = (presentity: string): void => {
    const stored = presenceOf(presentity)
    for (const [watcher, byEntry] of watchers.get(presentity) ?? []) {
      const subscribed = subscribedLists(watcher)
      if (subscribed.size === 0) continue
      for (const [entry, lists] of byEntry) {
        if ([...lists].some((listId) => subscribed.has(listId))) ctx.notify(watcher, 'presence', notification(entry, stored))
      }
    }
  }

  const listBody = (user: Account, list: StoredList) => ({
    resourceURL: `${root(user)}/presenceLists/${list.id}`,
    'x-listName': list.name,
    presenceContact: list.contacts.map((presentityUserId) => ({ presentityUserId })),
  })

  ctx.route('POST', '/cpaas/presence/:version/:userId/presenceSources', { body: PresenceSourceRequest }, ({ body, user }) => {
    const { clientCorrelator, presence } = body.presenceSource
    const status = presence.person['overriding-willingness'].overridingWillingnessValue
    const { activityValue, other } = presence.person.activities
    if (!(wireStatuses as readonly string[]).includes(status)) return badValue('overridingWillingnessValue', status)
    if (!(wireActivities as readonly string[]).includes(activityValue)) return badValue('activityValue', activityValue)
    const person: Person = {
      'overriding-willingness': { overridingWillingnessValue: status },
      activities: activityValue === 'ActivitiesOther' && other !== undefined ? { activityValue, other } : { activityValue },
    }
    const previous = presenceOf(user.userId)?.updatedAt ?? 0
    data.presence[user.userId] = { person, updatedAt: Math.max(ctx.now(), previous + 1) }
    store.save()
    const sourceKey = `${user.userId}\n${clientCorrelator ?? ''}`
    const sourceId = sources.get(sourceKey) ?? ctx.id()
    sources.set(sourceKey, sourceId)
    fanOut(user.userId)
    return {
      status: 201,
      body: {
        presenceSource: {
          ...(clientCorrelator === undefined ? {} : { clientCorrelator }),
          presence: { person },
          resourceURL: `${root(user)}/presenceSources/${sourceId}`,
        },
      },
    }
  })

  ctx.route('POST', '/cpaas/presence/:version/:userId/adhocPresenceList', { body: AdhocPresenceListRequest }, ({ body }) => {
    const requested = entries(body.adhocPresenceList.presentityUserId)
    const presenceContact = requested.map((presentityUserId) => ({
      presentityUserId,
      presence: { person: presenceOf(canonical(presentityUserId))?.person ?? unknownPresence },
    }))
    return { status: 200, body: { presenceList: { presenceContact } } }
  })

  ctx.route('GET', '/cpaas/presence/:version/:userId/presenceLists', {}, ({ user }) => ({
    status: 200,
    body: {
      presenceListCollection: {
        presenceList: listsOf(user.userId).map((list) => ({ resourceURL: `${root(user)}/presenceLists/${list.id}`, 'x-listName': list.name })),
      },
    },
  }))

  ctx.route('POST', '/cpaas/presence/:version/:userId/presenceLists', { body: CreatePresenceListRequest }, ({ body, user }) => {
    const list: StoredList = {
      id: ctx.id(),
      name: body.presenceList['x-listName'] ?? 'myList',
      contacts: entries((body.presenceList.presenceContact ?? []).map((contact) => contact.presentityUserId)),
    }
    data.lists[user.userId] = [...listsOf(user.userId), list]
    for (const entry of list.contacts) index(user.userId, list, entry, true)
    store.save()
    return { status: 201, body: { presenceList: listBody(user, list) } }
  })

  ctx.route('GET', '/cpaas/presence/:version/:userId/presenceLists/:listId', {}, ({ user, params }) => {
    const list = listOf(user.userId, params.listId!)
    return list === undefined ? notFound(params.listId!) : { status: 200, body: { presenceList: listBody(user, list) } }
  })

  ctx.route('DELETE', '/cpaas/presence/:version/:userId/presenceLists/:listId', {}, ({ user, params }) => {
    const list = listOf(user.userId, params.listId!)
    if (list === undefined) return notFound(params.listId!)
    for (const entry of list.contacts) index(user.userId, list, entry, false)
    data.lists[user.userId] = listsOf(user.userId).filter((known) => known !== list)
    store.save()
    for (const subscription of [...subscriptions.values()]) {
      if (subscription.userId === user.userId && subscription.listId === list.id) {
        ctx.subscriptions.remove(user.userId, subscription.id)
        forget(subscription)
      }
    }
    return { status: 204 }
  })

  ctx.route(
    'PUT',
    '/cpaas/presence/:version/:userId/presenceLists/:listId/presenceContacts/:presentity',
    { body: PresenceContactRequest },
    ({ body, user, params }) => {
      const list = listOf(user.userId, params.listId!)
      if (list === undefined) return notFound(params.listId!)
      const added = entries(params.presentity!)
      const fresh = added.filter((entry) => !list.contacts.includes(entry))
      for (const entry of fresh) {
        list.contacts.push(entry)
        index(user.userId, list, entry, true)
      }
      store.save()
      // The watcher gets each added user's current presence at once (§1.5), if the list is subscribed.
      if (subscribedLists(user.userId).has(list.id)) {
        for (const entry of added) ctx.notify(user.userId, 'presence', notification(entry, presenceOf(canonical(entry))))
      }
      return { status: fresh.length > 0 ? 201 : 200, body: { presenceContact: { presentityUserId: body.presenceContact.presentityUserId } } }
    },
  )

  ctx.route('DELETE', '/cpaas/presence/:version/:userId/presenceLists/:listId/presenceContacts/:presentity', {}, ({ user, params }) => {
    const list = listOf(user.userId, params.listId!)
    if (list === undefined) return notFound(params.listId!)
    const removed = entries(params.presentity!).filter((entry) => list.contacts.includes(entry))
    if (removed.length === 0) return notFound(params.presentity!)
    for (const entry of removed) {
      list.contacts.splice(list.contacts.indexOf(entry), 1)
      index(user.userId, list, entry, false)
    }
    store.save()
    return { status: 204 }
  })

  ctx.route(
    'POST',
    '/cpaas/presence/:version/:userId/subscriptions/presenceListSubscriptions/:listId',
    { body: PresenceListSubscriptionRequest },
    ({ body, user, params }) => {
      const list = listOf(user.userId, params.listId!)
      if (list === undefined) return notFound(params.listId!)
      const { callbackReference, clientCorrelator, duration = 86400 } = body.presenceListSubscription
      const added = ctx.subscriptions.add(user.userId, 'presence', callbackReference.notifyURL, clientCorrelator)
      if (added === undefined) return badValue('presenceListSubscription.callbackReference.notifyURL', callbackReference.notifyURL)
      record({ id: added.id, userId: user.userId, listId: list.id })
      return {
        status: 201,
        body: {
          presenceListSubscription: {
            callbackReference,
            ...(clientCorrelator === undefined ? {} : { clientCorrelator }),
            duration,
            presenceListId: list.id,
            resourceURL: `${root(user)}/subscriptions/presenceListSubscriptions/${list.id}/${added.id}`,
          },
        },
      }
    },
  )

  ctx.route('DELETE', '/cpaas/presence/:version/:userId/subscriptions/presenceListSubscriptions/:listId/:subscriptionId', {}, ({ user, params }) => {
    const subscription = subscriptions.get(params.subscriptionId!)
    if (subscription === undefined || subscription.userId !== user.userId || subscription.listId !== params.listId) return notFound(params.subscriptionId!)
    forget(subscription)
    ctx.subscriptions.remove(user.userId, subscription.id)
    return { status: 204 }
  })
}
