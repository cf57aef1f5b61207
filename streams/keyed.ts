import { type Branch, collect, type Entry, find, hashOf, lastSetAdded, setIn, without } from './hash-trie.js'

/**
 * A persistent map (a hash array mapped trie): `set` and `remove` share every node but the ≤ 7 on the key's path, so a reducer changes
 * one entry of thousands in constant work. Iteration follows insertion order (a key set again keeps its place; removed and set again, it goes last).
 *
 * const users = Keyed.empty<UserPresence>().set('ann@example.com', ann)
 * users.get('ann@example.com') // ann; the old map is unchanged
 */
export class Keyed<V> {
  private static readonly none = new Keyed<never>({ kind: 'branch', bitmap: 0, slots: [] }, 0, 0)

  static empty<V>(): Keyed<V> {
    return Keyed.none
  }

  // Declared, then stored by the constructor: a build for ES2020 turns each class field into a defineProperty call, and a version is made per change.
  private declare readonly root: Branch<V>
  /** The number of entries. */
  declare readonly size: number
  private declare readonly nextOrder: number
  /** Derived views, built on first use: this version never changes. */
  private declare sorted: readonly Entry<V>[] | undefined
  private declare ordered: readonly V[] | undefined
  private declare record: Readonly<Record<string, V>> | undefined
  /** The entries in order of the version this one came from and the changes since, while few: `sorted` then costs a copy, not a walk and a sort. */
  private declare since: Since<V> | undefined

  private constructor(root: Branch<V>, size: number, nextOrder: number) {
    this.root = root
    this.size = size
    this.nextOrder = nextOrder
    this.sorted = undefined
    this.ordered = undefined
    this.record = undefined
    this.since = undefined
  }

  get(key: string): V | undefined {
    return find(this.root, hashOf(key), key)?.value
  }

  has(key: string): boolean {
    return find(this.root, hashOf(key), key) !== undefined
  }

  /** This map with `key` set to `value`, frozen (this map itself when it already holds that value): the entries are handed out to apps. */
  set(key: string, value: V): Keyed<V> {
    if (typeof value === 'object' && value !== null) Object.freeze(value)
    const root = setIn(this.root, key, hashOf(key), value, this.nextOrder)
    if (root === this.root) return this
    const next = lastSetAdded() ? new Keyed(root, this.size + 1, this.nextOrder + 1) : new Keyed<V>(root, this.size, this.nextOrder)
    return next.after(this, key)
  }

  /** This map without `key` (this map itself when it has no such key). */
  remove(key: string): Keyed<V> {
    const hash = hashOf(key)
    const entry = find(this.root, hash, key)
    if (entry === undefined) return this
    return this.size === 1 ? Keyed.empty() : new Keyed<V>(without(this.root, hash, key, 0), this.size - 1, this.nextOrder).after(this, key, entry)
  }

  /** The values of those of `keys` that are held, once each, in insertion order (work in proportion to `keys`, not to the map). */
  pick(keys: Iterable<string>): V[] {
    const found = new Map<string, Entry<V>>()
    for (const key of keys) {
      const entry = found.has(key) ? undefined : find(this.root, hashOf(key), key)
      if (entry !== undefined) found.set(key, entry)
    }
    return [...found.values()].sort((a, b) => a.order - b.order).map((entry) => entry.value)
  }

  /** The values in insertion order (one frozen array per version, built on first call: the next version's is made from it). */
  values(): readonly V[] {
    this.derive()
    this.ordered ??= Object.freeze(this.sorted!.map((entry) => entry.value))
    return this.ordered
  }

  /** The entries as a frozen plain object, in insertion order (built once per version; a key such as `__proto__` stays data). */
  toRecord(): Readonly<Record<string, V>> {
    this.derive()
    this.record ??= Object.freeze(Object.fromEntries(this.sorted!.map((entry) => [entry.key, entry.value])))
    return this.record
  }

  /** Builds the entries (and values) in order: from those of the version this one came from when it had them (a copy and the changes since), else by a walk and a sort. */
  private derive(): void {
    if (this.sorted !== undefined) return
    if (this.since === undefined) {
      this.sorted = collected(this.root)
      return
    }
    const replay = replayed(this.since)
    this.sorted = replay.entries
    this.ordered = replay.values === undefined ? undefined : Object.freeze(replay.values)
    this.since = undefined
  }

  /** This new version after `key` was set (or `removed`), noting how its views follow from `previous`'s when those are known, so that reading them after each change stays cheap. */
  private after(previous: Keyed<V>, key: string, removed?: Entry<V>): this {
    const { sorted, ordered, since } = previous
    if (sorted !== undefined) this.since = { sorted, ordered, changes: [this.changeOf(key, removed)] }
    else if (since !== undefined && since.changes.length < maxChangesSince) this.since = { ...since, changes: [...since.changes, this.changeOf(key, removed)] }
    return this
  }

  private changeOf(key: string, removed: Entry<V> | undefined): Change<V> {
    return removed === undefined ? { entry: find(this.root, hashOf(key), key)!, removed: false } : { entry: removed, removed: true }
  }
}

/** One entry set (added or replaced) or removed. */
interface Change<V> {
  readonly entry: Entry<V>
  readonly removed: boolean
}

/** An earlier version's entries and (when it had built them) values in order, and the changes made since (never the version itself: no chain of versions is kept alive). */
interface Since<V> {
  readonly sorted: readonly Entry<V>[]
  readonly ordered: readonly V[] | undefined
  readonly changes: readonly Change<V>[]
}

// Past this many changes the walk and sort are as cheap as replaying them.
const maxChangesSince = 8

/** The entries under `root` in insertion order. */
function collected<V>(root: Branch<V>): Entry<V>[] {
  const all: Entry<V>[] = []
  collect(root, all)
  return all.sort((a, b) => a.order - b.order)
}

/** The entries in insertion order after `changes`, and their values when the earlier values are known: an entry keeps its order when its value is replaced, and a new one has the highest. */
function replayed<V>({ sorted, ordered, changes }: Since<V>): { entries: Entry<V>[]; values: V[] | undefined } {
  const entries = sorted.slice()
  const values = ordered?.slice()
  for (const { entry, removed } of changes) {
    const at = indexOfOrder(entries, entry.order)
    if (removed) {
      entries.splice(at, 1)
      values?.splice(at, 1)
    } else if (at < entries.length && entries[at]!.order === entry.order) {
      entries[at] = entry
      if (values !== undefined) values[at] = entry.value
    } else {
      entries.push(entry)
      values?.push(entry.value)
    }
  }
  return { entries, values }
}

/** The index of the entry of `order` in entries sorted by order, or where it would go. */
function indexOfOrder<V>(entries: readonly Entry<V>[], order: number): number {
  let low = 0
  let high = entries.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (entries[middle]!.order < order) low = middle + 1
    else high = middle
  }
  return low
}
