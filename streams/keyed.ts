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

  /** This map with `key` set to `value` (this map itself when it already holds that value). */
  set(key: string, value: V): Keyed<V> {
    added = false
    const root = assoc(this.root, key, hashOf(key), value, this.nextOrder, 0)
    if (root === this.root) return this
    const next = added ? new Keyed(root, this.size + 1, this.nextOrder + 1) : new Keyed<V>(root, this.size, this.nextOrder)
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

  /** The values in insertion order (one array per version, built on first call: do not mutate it). */
  values(): readonly V[] {
    this.derive()
    this.ordered ??= this.sorted!.map((entry) => entry.value)
    return this.ordered
  }

  /** The entries as a plain object, in insertion order (built once per version; a key such as `__proto__` stays data). */
  toRecord(): Readonly<Record<string, V>> {
    this.derive()
    this.record ??= Object.fromEntries(this.sorted!.map((entry) => [entry.key, entry.value]))
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
    this.ordered = replay.values
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

interface Entry<V> {
  readonly kind: 'entry'
  readonly key: string
  readonly hash: number
  readonly value: V
  /** Insertion order. */
  readonly order: number
}

/** Up to 32 slots, present where `bitmap` has a bit (5 bits of the hash per level). */
interface Branch<V> {
  readonly kind: 'branch'
  readonly bitmap: number
  readonly slots: readonly Slot<V>[]
}

/** Keys whose whole 32-bit hashes are equal. */
interface Bucket<V> {
  readonly kind: 'bucket'
  readonly hash: number
  readonly entries: readonly Entry<V>[]
}

type Slot<V> = Entry<V> | Branch<V> | Bucket<V>

// A reducer step hashes the same key several times (a presence update: its stamp, its user, both set), usually as the same string.
let lastKey: string | undefined
let lastHash = 0

/** FNV-1a over the UTF-16 code units. */
function hashOf(key: string): number {
  if (key === lastKey) return lastHash
  let hash = 0x811c9dc5
  for (let at = 0; at < key.length; at++) hash = Math.imul(hash ^ key.charCodeAt(at), 0x01000193)
  lastKey = key
  lastHash = hash >>> 0
  return lastHash
}

/** The slot bit of `hash` at `shift` (bit 31 makes a negative number: compare bits unsigned). */
const bitOf = (hash: number, shift: number): number => 1 << ((hash >>> shift) & 31)

function popCount(bits: number): number {
  let count = bits - ((bits >>> 1) & 0x55555555)
  count = (count & 0x33333333) + ((count >>> 2) & 0x33333333)
  return (((count + (count >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

const slotAt = (bitmap: number, bit: number): number => popCount(bitmap & (bit - 1))

function find<V>(root: Branch<V>, hash: number, key: string): Entry<V> | undefined {
  let node: Slot<V> = root
  for (let shift = 0; ; shift += 5) {
    if (node.kind === 'entry') return node.key === key ? node : undefined
    if (node.kind === 'bucket') return node.entries.find((entry) => entry.key === key)
    const bit = bitOf(hash, shift)
    if ((node.bitmap & bit) === 0) return undefined
    node = node.slots[slotAt(node.bitmap, bit)]!
  }
}

const replaced = <T>(items: readonly T[], at: number, item: T): T[] => {
  const copy = items.slice()
  copy[at] = item
  return copy
}

/** A branch at `shift` holding two slots whose hashes differ. */
function pair<V>(first: Entry<V> | Bucket<V>, second: Entry<V> | Bucket<V>, shift: number): Branch<V> {
  const firstBit = bitOf(first.hash, shift)
  const secondBit = bitOf(second.hash, shift)
  if (firstBit === secondBit) return { kind: 'branch', bitmap: firstBit, slots: [pair(first, second, shift + 5)] }
  return { kind: 'branch', bitmap: firstBit | secondBit, slots: firstBit >>> 0 < secondBit >>> 0 ? [first, second] : [second, first] }
}

// Whether the last `assoc` added a key (rather than replacing a value): one walk answers both.
let added = false

const entryOf = <V>(key: string, hash: number, value: V, order: number): Entry<V> => ({ kind: 'entry', key, hash, value, order })

/** `items` with `item` inserted at `at`, in one copy. */
function insertedAt<T>(items: readonly T[], at: number, item: T): T[] {
  const copy = new Array<T>(items.length + 1)
  for (let index = 0; index < at; index++) copy[index] = items[index]!
  copy[at] = item
  for (let index = at; index < items.length; index++) copy[index + 1] = items[index]!
  return copy
}

/** `branch` with `key` set to `value` (a new key takes `order`), or `branch` itself when it already holds that value. */
function assoc<V>(branch: Branch<V>, key: string, hash: number, value: V, order: number, shift: number): Branch<V> {
  const bit = bitOf(hash, shift)
  const at = slotAt(branch.bitmap, bit)
  if ((branch.bitmap & bit) === 0) {
    added = true
    return { kind: 'branch', bitmap: branch.bitmap | bit, slots: insertedAt(branch.slots, at, entryOf(key, hash, value, order)) }
  }
  const slot = branch.slots[at]!
  const next = slot.kind === 'branch' ? assoc(slot, key, hash, value, order, shift + 5) : assocLeaf(slot, key, hash, value, order, shift + 5)
  return next === slot ? branch : { kind: 'branch', bitmap: branch.bitmap, slots: replaced(branch.slots, at, next) }
}

/** What an entry or a bucket becomes once `key` is set in it (itself when it already holds that value). */
function assocLeaf<V>(slot: Entry<V> | Bucket<V>, key: string, hash: number, value: V, order: number, shift: number): Slot<V> {
  if (slot.hash !== hash) {
    added = true
    return pair(slot, entryOf(key, hash, value, order), shift)
  }
  if (slot.kind === 'entry') {
    if (slot.key === key) return slot.value === value ? slot : entryOf(key, hash, value, slot.order)
    added = true
    return { kind: 'bucket', hash, entries: [slot, entryOf(key, hash, value, order)] }
  }
  const at = slot.entries.findIndex((held) => held.key === key)
  if (at < 0) {
    added = true
    return { kind: 'bucket', hash, entries: [...slot.entries, entryOf(key, hash, value, order)] }
  }
  const held = slot.entries[at]!
  return held.value === value ? slot : { kind: 'bucket', hash, entries: replaced(slot.entries, at, entryOf(key, hash, value, held.order)) }
}

/** `branch` without `key`, which it holds; empty branches are dropped from their parent. */
function without<V>(branch: Branch<V>, hash: number, key: string, shift: number): Branch<V> {
  const bit = bitOf(hash, shift)
  const at = slotAt(branch.bitmap, bit)
  const slot = branch.slots[at]!
  const rest = slot.kind === 'entry' ? undefined : slot.kind === 'branch' ? without(slot, hash, key, shift + 5) : bucketWithout(slot, key)
  if (rest === undefined || (rest.kind === 'branch' && rest.bitmap === 0)) {
    return { kind: 'branch', bitmap: branch.bitmap & ~bit, slots: [...branch.slots.slice(0, at), ...branch.slots.slice(at + 1)] }
  }
  return { kind: 'branch', bitmap: branch.bitmap, slots: replaced(branch.slots, at, rest) }
}

function bucketWithout<V>(bucket: Bucket<V>, key: string): Slot<V> {
  const entries = bucket.entries.filter((entry) => entry.key !== key)
  return entries.length === 1 ? entries[0]! : { kind: 'bucket', hash: bucket.hash, entries }
}

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

function collect<V>(slot: Slot<V>, into: Entry<V>[]): void {
  if (slot.kind === 'entry') into.push(slot)
  else if (slot.kind === 'bucket') into.push(...slot.entries)
  else for (const child of slot.slots) collect(child, into)
}
