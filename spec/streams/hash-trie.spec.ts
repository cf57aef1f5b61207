import { expect } from 'chai'
import fc from 'fast-check'
import { collect, find, hashOf, setIn, without, type Branch, type Entry, type Slot } from '../../streams/hash-trie.js'
import { colliding } from './colliding-keys.js'

// The trie's shape, which Keyed's answers cannot show: a trie that keeps empty branches or
// one-entry buckets answers right but grows with churn, and one that mixes hashes in a bucket
// answers right until a key that shares the bucket's first levels arrives.

const collidingKeys = [...colliding(3, 'c'), ...colliding(3, 'd')]
const key = fc.oneof(fc.integer({ min: 0, max: 3000 }).map(String), fc.constantFrom(...collidingKeys))
const step = fc.record({ set: fc.boolean(), key })
const emptyRoot = (): Branch<number> => ({ kind: 'branch', bitmap: 0, slots: [] })

/** Every problem with the shape under `slot`, reached at `shift` by the bits `path` of the hash. */
function problems(slot: Slot<number>, shift: number, path: number, root: boolean): string[] {
  const mask = shift === 0 ? 0 : shift >= 32 ? -1 : (1 << shift) - 1
  const misplaced = (hash: number): boolean => ((hash & mask) >>> 0) !== ((path & mask) >>> 0)
  if (slot.kind === 'entry') return misplaced(slot.hash) ? [`entry ${slot.key} off its hash's path`] : []
  if (slot.kind === 'bucket') {
    const found: string[] = []
    if (slot.entries.length < 2) found.push(`bucket of ${slot.entries.length}`)
    if (slot.entries.some((entry) => entry.hash !== slot.hash)) found.push('bucket mixing hashes')
    if (misplaced(slot.hash)) found.push('bucket off its hash\'s path')
    return found
  }
  if (!root && slot.bitmap === 0) return ['empty branch']
  const bits = [...Array(32).keys()].filter((bit) => (slot.bitmap >>> bit) & 1)
  if (bits.length !== slot.slots.length) return ['bitmap and slots disagree']
  return bits.flatMap((bit, at) => problems(slot.slots[at]!, shift + 5, path | (bit << shift), false))
}

describe('hash trie nodes', () => {
  it('keeps its shape through any sets and removals: no empty branch, no bucket of one, a bucket only for one whole hash', () => {
    expect(new Set(collidingKeys.slice(0, 3).map(hashOf)).size).to.equal(1)
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const held = new Set<string>()
        let root = emptyRoot()
        for (const { set, key: changed } of steps) {
          if (set) {
            root = setIn(root, changed, hashOf(changed), 1, held.size)
            held.add(changed)
          } else if (held.delete(changed)) root = without(root, hashOf(changed), changed, 0)
          expect(problems(root, 0, 0, true)).to.deep.equal([])
        }
        for (const changed of held) expect(find(root, hashOf(changed), changed)?.key).to.equal(changed)
        const entries: Entry<number>[] = []
        collect(root, entries)
        expect(entries.map((entry) => entry.key).sort()).to.deep.equal([...held].sort())
      }),
      { seed: 14, numRuns: 300 },
    )
  })

  it('is the empty root again once every key is removed, colliding ones included', () => {
    const keys = [...collidingKeys, ...Array.from({ length: 2000 }, (_, index) => `user${index}`)]
    let root = emptyRoot()
    for (const [order, held] of keys.entries()) root = setIn(root, held, hashOf(held), order, order)
    for (const held of keys) root = without(root, hashOf(held), held, 0)
    expect(root).to.deep.equal(emptyRoot())
  })
})
