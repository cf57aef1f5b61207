import { expect } from 'chai'
import { manualClock } from './clock.js'

describe('platform specs: manual clock', () => {
  it('fires a timer exactly when advance reaches its due time, with now() at that time', () => {
    const clock = manualClock(1_000)
    const fired: number[] = []
    clock.later(500, () => fired.push(clock.now()))
    clock.advance(499)
    expect(fired).to.deep.equal([])
    clock.advance(1)
    expect(fired).to.deep.equal([1_500])
    expect(clock.pending()).to.equal(0)
  })

  it('fires due timers in due order, then in the order they were set, including timers set meanwhile', () => {
    const clock = manualClock(0)
    const fired: string[] = []
    clock.later(30, () => fired.push('c'))
    clock.later(10, () => {
      fired.push('a')
      clock.later(5, () => fired.push(`a+5 at ${clock.now()}`))
    })
    clock.later(10, () => fired.push('b'))
    clock.advance(100)
    expect(fired).to.deep.equal(['a', 'b', 'a+5 at 15', 'c'])
    expect(clock.now()).to.equal(100)
  })

  it('never fires a cancelled timer', () => {
    const clock = manualClock(0)
    let fired = false
    clock.later(10, () => (fired = true)).cancel()
    clock.advance(20)
    expect(fired).to.equal(false)
  })
})
