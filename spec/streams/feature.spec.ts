import { expect } from 'chai'
import { deepFrozen } from '../../streams/feature.js'

describe('feature views (streams/feature.ts)', () => {
  it('deepFrozen freezes a view with its plain objects and arrays, and leaves objects of classes (a Blob, an error) writable', () => {
    const error = new Error('kept writable')
    const view = deepFrozen([{ id: 'g1', participants: [{ address: 'ann@example.com' }], error }])
    expect(Object.isFrozen(view)).to.equal(true)
    expect(Object.isFrozen(view[0])).to.equal(true)
    expect(Object.isFrozen(view[0]!.participants)).to.equal(true)
    expect(Object.isFrozen(view[0]!.participants[0])).to.equal(true)
    expect(Object.isFrozen(error)).to.equal(false)
  })
})
