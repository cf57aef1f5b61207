import type { PlatformContext } from '../../context.js'
import type { Person } from '../../../streams/presence/codecs.js'

/** A user's current presence and its version: strictly increasing per user, sent as `dateTime` so clients can drop older frames. */
export interface StoredPresence {
  readonly person: Person
  readonly updatedAt: number
}

/** A presence list: its name and the watched users, as the owner wrote them. */
export interface StoredList {
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

/** presentity userId → watcher userId → entry as the watcher wrote it → lists holding it. */
type Watchers = Map<string, Map<string, Map<string, Set<string>>>>

/** Who a user's presence is shown to, and what the platform knows of it: the persisted presence and lists, and who watches whom. */
export interface PresenceBook {
  /** The userId behind any address form, or the address as written. */
  canonical(address: string): string
  presenceOf(userId: string): StoredPresence | undefined
  /** Stores a new presence, versioned after the previous one. */
  publish(userId: string, person: Person): void
  listsOf(userId: string): StoredList[]
  listOf(userId: string, listId: string): StoredList | undefined
  addList(owner: string, list: StoredList): void
  deleteList(owner: string, list: StoredList): void
  /** The list's entry that names `entry` (as written, or in another case: addresses are case-insensitive), if any. */
  heldAs(list: StoredList, entry: string): string | undefined
  /** Adds entries to a list; those that name no user it holds yet. */
  addEntries(owner: string, list: StoredList, entries: readonly string[]): string[]
  removeEntries(owner: string, list: StoredList, entries: readonly string[]): void
  /** For each watcher of `presentity`: the entries naming them, each with the lists holding it. */
  watchersOf(presentity: string): Iterable<[watcher: string, entries: Map<string, Set<string>>]>
}

export function presenceBook(ctx: PlatformContext): PresenceBook {
  const store = ctx.persisted<PresenceData>('presence', () => ({ presence: {}, lists: {} }))
  const data = store.value
  const watchers: Watchers = new Map()
  /** The entries of each list by their lowercase form, so that adding or removing one costs the same however long the list is. */
  const held = new WeakMap<StoredList, Map<string, string>>()
  const heldBy = (list: StoredList): Map<string, string> => {
    let entries = held.get(list)
    if (entries === undefined) held.set(list, (entries = new Map(list.contacts.map((entry) => [entry.toLowerCase(), entry]))))
    return entries
  }
  const canonical = (address: string): string => ctx.accounts.find(address)?.userId ?? address
  const listsOf = (userId: string): StoredList[] => (Object.hasOwn(data.lists, userId) ? data.lists[userId]! : [])

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

  const presenceOf = (userId: string): StoredPresence | undefined => (Object.hasOwn(data.presence, userId) ? data.presence[userId] : undefined)
  return {
    canonical,
    presenceOf,
    publish: (userId, person) => {
      const previous = presenceOf(userId)?.updatedAt ?? 0
      data.presence[userId] = { person, updatedAt: Math.max(ctx.now(), previous + 1) }
      store.save()
    },
    listsOf,
    listOf: (userId, listId) => listsOf(userId).find((list) => list.id === listId),
    addList: (owner, list) => {
      data.lists[owner] = [...listsOf(owner), list]
      for (const entry of list.contacts) index(owner, list, entry, true)
      store.save()
    },
    deleteList: (owner, list) => {
      for (const entry of list.contacts) index(owner, list, entry, false)
      data.lists[owner] = listsOf(owner).filter((known) => known !== list)
      store.save()
    },
    heldAs: (list, entry) => heldBy(list).get(entry.toLowerCase()),
    addEntries: (owner, list, entries) => {
      const known = heldBy(list)
      const fresh: string[] = []
      for (const entry of entries) {
        if (known.has(entry.toLowerCase())) continue
        fresh.push(entry)
        known.set(entry.toLowerCase(), entry)
        list.contacts.push(entry)
        index(owner, list, entry, true)
      }
      store.save()
      return fresh
    },
    removeEntries: (owner, list, entries) => {
      const known = heldBy(list)
      for (const entry of entries) {
        known.delete(entry.toLowerCase())
        list.contacts.splice(list.contacts.indexOf(entry), 1)
        index(owner, list, entry, false)
      }
      store.save()
    },
    watchersOf: (presentity) => watchers.get(presentity) ?? [],
  }
}
