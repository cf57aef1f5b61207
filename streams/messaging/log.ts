import { IdFilter } from './id-filter.js'
import type { Message } from './model.js'

const bits = 5
const width = 1 << bits
const mask = width - 1

const isPending = (message: Message): boolean => message.isPending === true

/** A node of the trie: at level 0 a leaf of 32 messages, above it up to 32 nodes of the level below. */
type Node = readonly unknown[]

/** The trie with `leaf` appended after its `count` messages (a multiple of 32): a new root above a full one. */
function appended(root: Node, shift: number, count: number, leaf: readonly Message[]): { readonly root: Node; readonly shift: number } {
  if (count >>> bits >= 1 << shift) return { root: [root, pathTo(shift, leaf)], shift: shift + bits }
  return { root: withLeaf(root, shift, count, leaf), shift }
}

function withLeaf(node: Node, level: number, count: number, leaf: readonly Message[]): Node {
  const index = (count >>> level) & mask
  const copy = node.slice()
  copy[index] = level === bits ? leaf : withLeaf((node[index] as Node | undefined) ?? [], level - bits, count, leaf)
  return copy
}

const pathTo = (level: number, leaf: readonly Message[]): Node => (level === 0 ? leaf : [pathTo(level - bits, leaf)])

function assoc(node: Node, level: number, index: number, message: Message): Node {
  const copy = node.slice()
  copy[(index >>> level) & mask] = level === 0 ? message : assoc(node[(index >>> level) & mask] as Node, level - bits, index, message)
  return copy
}

function leavesOf(node: Node, level: number, leaves: (readonly Message[])[]): void {
  if (level === 0) leaves.push(node as readonly Message[])
  else for (const child of node) leavesOf(child as Node, level - bits, leaves)
}

/**
 * The platform ids of a log, shared by the logs `push` derives from the newest one and grown in place: a filter, whose hit a scan confirms
 * (an older log's filter may also hold later ids); a miss is final.
 */
interface IdIndex {
  readonly ids: IdFilter
  /** The newest log the set describes exactly. */
  owner: MessageLog
}

/**
 * A conversation's messages as a persistent vector (a 32-way trie and a tail of up to 32): `push` and `set` copy at most the tail and
 * one node per level, so a conversation takes a message in constant work however many it holds. `toArray()` builds the array once per log.
 *
 * const log = MessageLog.from(conversation.messages).push(message)
 * log.at(log.length - 1) // message; the earlier log is unchanged
 */
export class MessageLog {
  static readonly empty = new MessageLog([], bits, 0, [], 0)

  // Declared, then stored by the constructor: a build for ES2020 turns each class field into a defineProperty call, and a log is made per message.
  private declare readonly root: Node
  private declare readonly shift: number
  /** Messages in the trie: those before the tail. */
  private declare readonly count: number
  private declare readonly tail: readonly Message[]
  /** How many messages are pending (sent from here, no outcome yet). */
  declare readonly pending: number
  private declare array: readonly Message[] | undefined
  private declare index: IdIndex | undefined

  private constructor(root: Node, shift: number, count: number, tail: readonly Message[], pending: number) {
    this.root = root
    this.shift = shift
    this.count = count
    this.tail = tail
    this.pending = pending
    this.array = undefined
    this.index = undefined
  }

  /** The log of these messages, in their order. */
  static from(messages: readonly Message[]): MessageLog {
    if (messages.length === 0) return MessageLog.empty
    for (const message of messages) Object.freeze(message)
    let trie = { root: [] as Node, shift: bits }
    const full = messages.length - (messages.length % width)
    for (let at = 0; at < full; at += width) trie = appended(trie.root, trie.shift, at, messages.slice(at, at + width))
    const log = new MessageLog(trie.root, trie.shift, full, messages.slice(full), messages.filter(isPending).length)
    // Frozen: it is what `conversation.messages` hands out, and an app that reorders it must not reorder the log.
    log.array = Object.freeze(messages)
    return log
  }

  get length(): number {
    return this.count + this.tail.length
  }

  at(index: number): Message | undefined {
    if (index < 0 || index >= this.length) return undefined
    if (index >= this.count) return this.tail[index - this.count]
    let node = this.root
    for (let level = this.shift; level > 0; level -= bits) node = node[(index >>> level) & mask] as Node
    return node[index & mask] as Message
  }

  /** This log with `message` last. */
  push(message: Message): MessageLog {
    // Frozen, as every message the log holds: a conversation hands them out to apps.
    Object.freeze(message)
    return this.withTail(this.tail.concat([message]), message)
  }

  /** This log with `message` before the message at `index` (last when `index` is the length). */
  insert(index: number, message: Message): MessageLog {
    if (index >= this.length) return this.push(message)
    Object.freeze(message)
    if (index < this.count) return MessageLog.from([...this.toArray().slice(0, index), message, ...this.toArray().slice(index)])
    const at = index - this.count
    return this.withTail([...this.tail.slice(0, at), message, ...this.tail.slice(at)], message)
  }

  /** This log with `tail` (its tail and the added `message`, up to 33) after the trie: a full first 32 go into the trie. */
  private withTail(tail: readonly Message[], message: Message): MessageLog {
    const pending = this.pending + Number(isPending(message))
    if (tail.length <= width) return this.derived(new MessageLog(this.root, this.shift, this.count, tail, pending), message)
    const { root, shift } = appended(this.root, this.shift, this.count, tail.slice(0, width))
    return this.derived(new MessageLog(root, shift, this.count + width, tail.slice(width), pending), message)
  }

  /** This log with the message at `index` replaced. */
  set(index: number, message: Message): MessageLog {
    Object.freeze(message)
    const replaced = this.at(index)!
    const pending = this.pending - Number(isPending(replaced)) + Number(isPending(message))
    const next =
      index >= this.count
        ? new MessageLog(this.root, this.shift, this.count, this.tail.map((held, at) => (at === index - this.count ? message : held)), pending)
        : new MessageLog(assoc(this.root, this.shift, index, message), this.shift, this.count, this.tail, pending)
    // The id set goes on only when no id leaves it: a message that gets its id, or keeps it.
    return !replaced.messageId || replaced.messageId === message.messageId ? this.derived(next, message) : next
  }

  /** The messages, in order: built on first use, then the same array. */
  toArray(): readonly Message[] {
    if (this.array === undefined) {
      const leaves: (readonly Message[])[] = []
      leavesOf(this.root, this.shift, leaves)
      // Allocated at its exact length (it is what a reader of `messages` keeps), then filled: no spread of thousands of leaves as arguments.
      const array = new Array<Message>(this.length)
      let at = 0
      for (const leaf of [...leaves, this.tail]) for (const message of leaf) array[at++] = message
      // Frozen: an app that reorders what it read must not reorder the log.
      this.array = Object.freeze(array)
    }
    return this.array
  }

  /** The index of the last message that `matches`, or -1; searched from the newest. */
  findLastIndex(matches: (message: Message) => boolean): number {
    for (let at = this.length - 1; at >= 0; at -= 1) if (matches(this.at(at)!)) return at
    return -1
  }

  /** True when the log holds a message with this platform id, however old. */
  holds(messageId: string): boolean {
    // The shared empty log keeps no filter: one would follow whichever conversation first grew from it.
    if (this.length === 0) return false
    if (!this.idIndex().ids.mayHold(messageId)) return false
    return this.findLastIndex((message) => message.messageId === messageId) !== -1
  }

  private idIndex(): IdIndex {
    if (this.index === undefined) this.index = { ids: this.idFilter(), owner: this }
    return this.index
  }

  /** A filter of the platform ids of this log's messages, with room to grow. */
  private idFilter(): IdFilter {
    const ids = IdFilter.sized(this.length)
    for (let at = 0; at < this.length; at += 1) {
      const id = this.at(at)!.messageId
      if (id) ids.add(id)
    }
    return ids
  }

  /** `next`, made from this log by adding or replacing `message`: it takes over this log's id filter when this log was its owner. */
  private derived(next: MessageLog, message: Message): MessageLog {
    const index = this.index
    if (index !== undefined && index.owner === this) {
      // A full filter stays with the older logs, whose ids it holds; `next` gets a larger one (a rebuild per doubling).
      if (index.ids.full) {
        next.index = { ids: next.idFilter(), owner: next }
        return next
      }
      if (message.messageId) index.ids.add(message.messageId)
      index.owner = next
      next.index = index
    }
    return next
  }
}
