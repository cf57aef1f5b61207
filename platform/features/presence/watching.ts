import type { PlatformContext } from '../../context.js'
import type { PresenceBook, StoredPresence } from './book.js'
import { shownPerson } from './wire.js'

/** A presence list subscription, kept while its channel lives (`ctx.subscriptions`). */
export interface ListSubscription {
  readonly id: string
  readonly userId: string
  readonly listId: string
}

/** The list subscriptions of every user, and the presence notifications they get (`notifications.md` §7). */
export interface Watching {
  get(subscriptionId: string): ListSubscription | undefined
  record(subscription: ListSubscription): void
  forget(subscription: ListSubscription): void
  /** Removes every subscription to one list (it is deleted). */
  dropList(userId: string, listId: string): void
  /** The lists of `userId` with a live subscription; records whose channels are gone are dropped here. */
  subscribedLists(userId: string): ReadonlySet<string>
  /** Sends one entry's presence to the watcher. */
  notify(watcher: string, entry: string): void
  /** Sends `presentity`'s presence to every watcher with a subscribed list holding them, once per entry. */
  fanOut(presentity: string): void
}

export function watching(ctx: PlatformContext, book: PresenceBook): Watching {
  const subscriptions = new Map<string, ListSubscription>()
  /** userId → subscription id → list id. */
  const byUser = new Map<string, Map<string, string>>()

  const forget = (subscription: ListSubscription): void => {
    subscriptions.delete(subscription.id)
    const mine = byUser.get(subscription.userId)
    mine?.delete(subscription.id)
    if (mine?.size === 0) byUser.delete(subscription.userId)
  }
  const subscribedLists = (userId: string): ReadonlySet<string> => {
    const mine = byUser.get(userId)
    if (mine === undefined) return new Set()
    if (!ctx.subscriptions.has(userId, 'presence')) {
      for (const id of [...mine.keys()]) forget(subscriptions.get(id)!)
      return new Set()
    }
    return new Set(mine.values())
  }
  const send = (watcher: string, entry: string, stored: StoredPresence | undefined): void =>
    ctx.notify(watcher, 'presence', {
      presenceNotification: { presentityUserId: entry, presence: { person: shownPerson(stored) }, dateTime: stored?.updatedAt ?? 0 },
    })

  return {
    get: (id) => subscriptions.get(id),
    record: (subscription) => {
      subscriptions.set(subscription.id, subscription)
      const mine = byUser.get(subscription.userId) ?? new Map<string, string>()
      byUser.set(subscription.userId, mine.set(subscription.id, subscription.listId))
    },
    forget,
    dropList: (userId, listId) => {
      for (const subscription of [...subscriptions.values()]) {
        if (subscription.userId !== userId || subscription.listId !== listId) continue
        ctx.subscriptions.remove(userId, subscription.id)
        forget(subscription)
      }
    },
    subscribedLists,
    notify: (watcher, entry) => send(watcher, entry, book.presenceOf(book.canonical(entry))),
    fanOut: (presentity) => {
      const stored = book.presenceOf(presentity)
      for (const [watcher, byEntry] of book.watchersOf(presentity)) {
        const subscribed = subscribedLists(watcher)
        if (subscribed.size === 0) continue
        for (const [entry, lists] of byEntry) {
          if ([...lists].some((listId) => subscribed.has(listId))) send(watcher, entry, stored)
        }
      }
    },
  }
}
