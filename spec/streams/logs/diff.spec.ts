import { expect } from 'chai'
import { diffStates } from '../../../streams/logs/diff.js'

describe('diffStates', () => {
  it('is empty for the same state', () => {
    const state = { a: { b: 1 } }
    expect(diffStates(state, state)).to.deep.equal([])
    expect(diffStates({ a: { b: 1 } }, { a: { b: 1 } })).to.deep.equal([])
  })

  it('lists changed, added and removed leaves with their paths', () => {
    expect(diffStates({ calls: { c1: { state: 'Ringing' }, c2: {} } }, { calls: { c1: { state: 'Connected' }, c3: {} } })).to.deep.equal([
      { kind: 'changed', path: 'calls.c1.state', before: 'Ringing', after: 'Connected' },
      { kind: 'removed', path: 'calls.c2', before: {} },
      { kind: 'added', path: 'calls.c3', after: {} },
    ])
  })

  it('walks arrays by index', () => {
    expect(diffStates({ list: [1, 2] }, { list: [1, 3, 4] })).to.deep.equal([
      { kind: 'changed', path: 'list.1', before: 2, after: 3 },
      { kind: 'added', path: 'list.2', after: 4 },
    ])
  })

  it('reports a whole value when its type changes', () => {
    expect(diffStates({ a: [1] }, { a: { 0: 1 } })).to.deep.equal([{ kind: 'changed', path: 'a', before: [1], after: { 0: 1 } }])
  })
})
