import { expect } from 'chai'
import fc from 'fast-check'
import { Keyed } from '../../streams/keyed.js'
import { colliding, fnv } from './colliding-keys.js'

type Step = { readonly op: 'set'; readonly key: string; readonly value: number } | { readonly op: 'remove'; readonly key: string }

const collidingKeys = [...colliding(4, 'c'), ...colliding(3, 'd')]

// Few distinct keys, so that sets over held keys and removals of held keys are frequent; some
// share a whole hash (a bucket), and among thousands many share the first levels of the trie.
const key = fc.oneof(
  fc.constantFrom('a', 'b', '__proto__', 'constructor', ''),
  fc.string({ maxLength: 3 }),
  fc.integer({ min: 0, max: 3000 }).map(String),
  fc.constantFrom(...collidingKeys),
)
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('remove' as const), key }),
)

/** The same steps applied to a Map (the model) and to a Keyed. */
function replay(steps: readonly Step[]): { model: Map<string, number>; map: Keyed<number> } {
  const model = new Map<string, number>()
  let map = Keyed.empty<number>()
  for (const change of steps) {
    if (change.op === 'set') {
      model.set(change.key, change.value)
      map = map.set(change.key, change.value)
    } else {
      model.delete(change.key)
      map = map.remove(change.key)
    }
  }
  return { model, map }
}

/** The record holds the model's entries, as own data properties in the model's order (integer-like keys first, as every object has them), frozen. */
function expectRecord(record: Readonly<Record<string, number>>, model: Map<string, number>): void {
  const expected = Object.fromEntries(model)
  expect(Object.keys(record)).to.deep.equal(Object.keys(expected))
  for (const key of Object.keys(expected)) expect(Object.getOwnPropertyDescriptor(record, key)).to.deep.equal({ value: expected[key], writable: false, enumerable: true, configurable: false })
  expect(Object.getPrototypeOf(record)).to.equal(Object.prototype)
}

describe('Keyed (persistent map)', () => {
  it('answers get, has, size and insertion order as a Map given the same steps does', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const { model, map } = replay(steps)
        expect(map.size).to.equal(model.size)
        expect(map.values()).to.deep.equal([...model.values()])
        expect(map.toRecord()).to.deep.equal(Object.fromEntries(model))
        for (const change of steps) {
          expect(map.get(change.key)).to.equal(model.get(change.key))
          expect(map.has(change.key)).to.equal(model.has(change.key))
        }
      }),
      { seed: 14, numRuns: 300 },
    )
  })

  it("keeps its values and record right when they are read between changes, as a store's subscribers read them", () => {
    const read = fc.constantFrom('none', 'values', 'record', 'both')
    fc.assert(
      fc.property(fc.array(fc.tuple(step, read), { maxLength: 300 }), (steps) => {
        const model = new Map<string, number>()
        const versions: Array<{ map: Keyed<number>; expected: Map<string, number> }> = []
        let map = Keyed.empty<number>()
        for (const [change, reading] of steps) {
          if (change.op === 'set') model.set(change.key, change.value)
          else model.delete(change.key)
          map = change.op === 'set' ? map.set(change.key, change.value) : map.remove(change.key)
          if (reading === 'values' || reading === 'both') expect(map.values()).to.deep.equal([...model.values()])
          if (reading === 'record' || reading === 'both') expectRecord(map.toRecord(), model)
          versions.push({ map, expected: new Map(model) })
        }
        for (const { map: version, expected } of versions) {
          expect(version.values()).to.deep.equal([...expected.values()])
          expectRecord(version.toRecord(), expected)
        }
      }),
      { seed: 14, numRuns: 300 },
    )
  })

  it('holds keys of one hash apart, as a Map does', () => {
    expect(new Set(collidingKeys.slice(0, 4).map(fnv)).size).to.equal(1)
    expect(new Set(collidingKeys.slice(4).map(fnv)).size).to.equal(1)
    expect(new Set(collidingKeys).size).to.equal(7)
    fc.assert(
      fc.property(fc.array(fc.record({ op: fc.constantFrom('set' as const, 'remove' as const), key: fc.constantFrom(...collidingKeys, 'a', 'b'), value: fc.integer({ min: 0, max: 2 }) }), { maxLength: 60 }), (steps) => {
        const { model, map } = replay(steps)
        expect(map.size).to.equal(model.size)
        expect(map.values()).to.deep.equal([...model.values()])
        for (const held of collidingKeys) expect(map.get(held)).to.equal(model.get(held))
      }),
      { seed: 14, numRuns: 500 },
    )
  })

  it('returns itself for a set of the value held, and a new version otherwise, whatever the key shares its hash with', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 100 }), key, fc.integer({ min: 0, max: 3 }), (steps, changed, value) => {
        const { model, map } = replay(steps)
        const next = map.set(changed, value)
        if (model.get(changed) === value) expect(next).to.equal(map)
        else {
          expect(next).to.not.equal(map)
          expect(next.size).to.equal(model.has(changed) ? model.size : model.size + 1)
          expect(map.get(changed)).to.equal(model.get(changed))
        }
      }),
      { seed: 14, numRuns: 500 },
    )
  })

  it('picks the values of some keys once each, in insertion order, as filtering the values would', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), fc.array(key, { maxLength: 20 }), (steps, wanted) => {
        const { model, map } = replay(steps)
        expect(map.pick(wanted)).to.deep.equal([...model].filter(([held]) => wanted.includes(held)).map(([, value]) => value))
      }),
      { seed: 14, numRuns: 300 },
    )
  })

  it('leaves every earlier version as it was', () => {
    const versions = [Keyed.empty<number>()]
    for (let index = 0; index < 5000; index++) versions.push(versions.at(-1)!.set(`user${index % 2500}`, index))
    const removed = versions.at(-1)!.remove('user7')
    expect(versions[2500]!.get('user7')).to.equal(7)
    expect(versions[2500]!.size).to.equal(2500)
    expect(versions.at(-1)!.get('user7')).to.equal(2507)
    expect(removed.has('user7')).to.equal(false)
    expect(removed.size).to.equal(2499)
  })

  it('hands out frozen values and record: an app that reorders or deletes from them cannot change the next version', () => {
    const map = Keyed.empty<number>().set('a', 1).set('b', 2).set('c', 3)
    expect(() => (map.values() as number[]).reverse()).to.throw(TypeError)
    expect(() => delete (map.toRecord() as Record<string, number>).a).to.throw(TypeError)
    expect(map.set('b', 20).values()).to.deep.equal([1, 20, 3])
  })

  it('freezes the entries it is given: an app that writes to one it got cannot change the map', () => {
    const entry = Keyed.empty<{ status: string }>().set('ann', { status: 'Open' }).get('ann')!
    expect(() => ((entry as { status: string }).status = 'Closed')).to.throw(TypeError)
  })

  it('returns itself for a change that changes nothing', () => {
    const map = Keyed.empty<number>().set('a', 1)
    expect(map.set('a', 1)).to.equal(map)
    expect(map.remove('b')).to.equal(map)
  })

  it('is the empty map itself once its last key is removed', () => {
    expect(Keyed.empty<number>().set('a', 1).remove('a')).to.equal(Keyed.empty<number>())
  })
})
