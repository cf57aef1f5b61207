import { expect } from 'chai'
import fc from 'fast-check'
import { Keyed } from '../../streams/keyed.js'

type Step = { readonly op: 'set'; readonly key: string; readonly value: number } | { readonly op: 'remove'; readonly key: string }

// Few distinct keys, so that sets over held keys and removals of held keys are frequent.
const key = fc.oneof(fc.constantFrom('a', 'b', '__proto__', 'constructor', ''), fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 3000 }).map(String))
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

  it('returns itself for a change that changes nothing', () => {
    const map = Keyed.empty<number>().set('a', 1)
    expect(map.set('a', 1)).to.equal(map)
    expect(map.remove('b')).to.equal(map)
  })
})
