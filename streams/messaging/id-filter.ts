// A Bloom filter of message ids: 16 bits an id at capacity, 4 probes (about 1 in 400 misses taken for a hit when full). A Set of the ids
// took 10 to 20 bytes an id for its table; this takes 2 to 4, in an array of small integers that stays on the JS heap.

/** Bits an id is given: the filter's size is `capacity × bitsPerId`. */
const bitsPerId = 16
const probes = 4
/** Bits a word holds: 30 keep every word a small integer (a Smi in V8, stored unboxed). */
const wordBits = 30

/** FNV-1a of the id's UTF-16 code units. */
function hashOf(id: string): number {
  let hash = 0x811c9dc5
  for (let at = 0; at < id.length; at += 1) hash = Math.imul(hash ^ id.charCodeAt(at), 0x01000193)
  return hash >>> 0
}

/** A second hash from the first (murmur3's finaliser), odd, so that the probes `h1 + i × h2` differ. */
function stepOf(hash: number): number {
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35)
  return ((mixed ^ (mixed >>> 16)) | 1) >>> 0
}

/**
 * The ids a conversation's log may hold: a miss is final, a hit only likely (confirm it by reading the messages). Ids are only added;
 * past `capacity` the filter still answers, with more false hits, so its owner builds a larger one (`full`).
 *
 * const filter = IdFilter.sized(1)
 * filter.add('m-1')
 * filter.mayHold('m-1') // true; filter.mayHold('m-2') // false, nearly always
 */
export class IdFilter {
  private declare readonly words: number[]
  private declare readonly bits: number
  private declare readonly capacity: number
  private declare added: number

  private constructor(capacity: number) {
    this.capacity = capacity
    this.bits = capacity * bitsPerId
    this.words = new Array<number>(Math.ceil(this.bits / wordBits)).fill(0)
    this.added = 0
  }

  /** An empty filter with room for twice `count` ids (at least 32). */
  static sized(count: number): IdFilter {
    return new IdFilter(Math.max(32, 2 * count))
  }

  /** True once it holds as many ids as it was sized for. */
  get full(): boolean {
    return this.added >= this.capacity
  }

  add(id: string): void {
    const hash = hashOf(id)
    const step = stepOf(hash)
    for (let probe = 0, at = hash % this.bits; probe < probes; probe += 1, at = (at + step) % this.bits) {
      const word = Math.floor(at / wordBits)
      this.words[word] = this.words[word]! | (1 << at % wordBits)
    }
    this.added += 1
  }

  /** False when `id` was never added; true when it was, and now and then when it was not. */
  mayHold(id: string): boolean {
    const hash = hashOf(id)
    const step = stepOf(hash)
    for (let probe = 0, at = hash % this.bits; probe < probes; probe += 1, at = (at + step) % this.bits) {
      if ((this.words[Math.floor(at / wordBits)]! & (1 << at % wordBits)) === 0) return false
    }
    return true
  }
}
