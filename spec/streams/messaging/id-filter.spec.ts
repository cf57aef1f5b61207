import { expect } from 'chai'
import { IdFilter } from '../../../streams/messaging/id-filter.js'

describe('streams/messaging/id-filter', () => {
  it('never misses an id it was given, past its capacity too', () => {
    const filter = IdFilter.sized(10)
    const ids = Array.from({ length: 200 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`)
    ids.forEach((id) => filter.add(id))
    expect(filter.full).to.equal(true)
    expect(ids.filter((id) => !filter.mayHold(id))).to.deep.equal([])
  })

  it('answers nearly every id it was not given with a miss while within its capacity', () => {
    const filter = IdFilter.sized(1000)
    for (let index = 0; index < 2000; index += 1) filter.add(`bench-${index}`)
    expect(filter.full).to.equal(true)
    let hits = 0
    for (let index = 2000; index < 102_000; index += 1) if (filter.mayHold(`bench-${index}`)) hits += 1
    // About 1 in 400 at capacity.
    expect(hits).to.be.below(500)
  })
})
