// Keys that collide under the hash of streams/hash-trie.ts, for the specs of the trie and of Keyed.

/** The map's hash (FNV-1a over the UTF-16 code units), to make keys that collide. */
export const fnv = (key: string): number => {
  let hash = 0x811c9dc5
  for (let at = 0; at < key.length; at++) hash = Math.imul(hash ^ key.charCodeAt(at), 0x01000193)
  return hash >>> 0
}

/**
 * `count` keys with one whole 32-bit hash. Prefixes whose hashes share their upper 16 bits differ
 * in the lower 16 only, so one code unit more each (their hash xor a common target) makes every
 * state equal; the multiply after it keeps them equal.
 */
export function colliding(count: number, tag: string): string[] {
  const byHigh = new Map<number, string[]>()
  for (let index = 0; ; index++) {
    const prefix = `${tag}${index}`
    const group = byHigh.get(fnv(prefix) >>> 16) ?? []
    group.push(prefix)
    byHigh.set(fnv(prefix) >>> 16, group)
    if (group.length === count) {
      const target = fnv(group[0]!) ^ 0x61
      return group.map((held) => held + String.fromCharCode(fnv(held) ^ target))
    }
  }
}
