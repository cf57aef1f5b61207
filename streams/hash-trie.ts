/**
 * The nodes of a hash array mapped trie, the storage under `Keyed`: 32-way branches indexed by 5 bits of a key's hash per level,
 * entries that remember their insertion order, and buckets for keys whose whole hashes collide. Every function returns new nodes
 * along the key's path and shares the rest.
 */
export interface Entry<V> {
  readonly kind: 'entry'
  readonly key: string
  readonly hash: number
  readonly value: V
  /** Insertion order. */
  readonly order: number
}

/** Up to 32 slots, present where `bitmap` has a bit (5 bits of the hash per level). */
export interface Branch<V> {
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

export type Slot<V> = Entry<V> | Branch<V> | Bucket<V>

// A reducer step hashes the same key several times (a presence update: its stamp, its user, both set), usually as the same string.
let lastKey: string | undefined
let lastHash = 0

/** FNV-1a over the UTF-16 code units. */
export function hashOf(key: string): number {
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

export function find<V>(root: Branch<V>, hash: number, key: string): Entry<V> | undefined {
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

// Whether the last `setIn` added a key (rather than replacing a value): one walk answers both.
let added = false

/** `root` with `key` set to `value` (a new key takes `order`), or `root` itself when it already holds that value. */
export function setIn<V>(root: Branch<V>, key: string, hash: number, value: V, order: number): Branch<V> {
  added = false
  return assoc(root, key, hash, value, order, 0)
}

/** Whether the last `setIn` added its key rather than replacing a value. */
export const lastSetAdded = (): boolean => added

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
export function without<V>(branch: Branch<V>, hash: number, key: string, shift: number): Branch<V> {
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

export function collect<V>(slot: Slot<V>, into: Entry<V>[]): void {
  if (slot.kind === 'entry') into.push(slot)
  else if (slot.kind === 'bucket') into.push(...slot.entries)
  else for (const child of slot.slots) collect(child, into)
}
