import { expect } from 'chai'
import { Faults } from '../../../platform/faults.js'

// The rules behind the admin API's delays and pauses; the admin spec drives them over HTTP.
/** Fault rules given these delay rules (ms, path prefix), in this order. */
function delayed(...rules: Array<[number, string]>): Faults {
  const faults = new Faults()
  for (const [ms, prefix] of rules) faults.delay(ms, prefix)
  return faults
}

describe('platform core: fault rules', () => {
  it('delays a path by its longest matching prefix, whatever the order the rules came in', () => {
    const faults = delayed([300, '/cpaas/chat/'], [500, '/'], [100, '/cpaas/'])
    expect(faults.delayFor('/cpaas/chat/v1/x')).to.equal(300)
    expect(faults.delayFor('/cpaas/presence/v1/x')).to.equal(100)
    expect(faults.delayFor('/other')).to.equal(500)
  })

  it('removes a delay rule set to 0, so that a shorter prefix applies again', () => {
    const faults = delayed([500, '/'], [100, '/cpaas/'], [0, '/cpaas/'])
    expect(faults.delayFor('/cpaas/chat/v1/x')).to.equal(500)
    expect(faults.summary().delays).to.deep.equal([{ prefix: '/', ms: 500 }])
  })

  it('keeps a delay of answers apart from the delay of requests of the same prefix: each is set and removed alone', () => {
    const faults = delayed([200, '/cpaas/'])
    faults.delay(300, '/cpaas/', 'answer')
    expect(faults.delayFor('/cpaas/chat/v1/x')).to.equal(200)
    expect(faults.delayFor('/cpaas/chat/v1/x', 'answer')).to.equal(300)
    faults.delay(0, '/cpaas/')
    expect(faults.delayFor('/cpaas/chat/v1/x')).to.equal(0)
    expect(faults.summary().delays).to.deep.equal([{ prefix: '/cpaas/', ms: 300, answer: true }])
  })

  it("resuming everyone also resumes users paused one by one, and the summary says who is paused", () => {
    const faults = new Faults()
    faults.pauseConnectivity(true, 'alice@example.com')
    expect(faults.summary().connectivityPaused).to.deep.equal(['alice@example.com'])
    faults.pauseConnectivity(true)
    expect(faults.summary().connectivityPaused).to.equal(true)
    expect(faults.connectivityPaused('bob@example.com')).to.equal(true)
    faults.pauseConnectivity(false)
    expect(faults.connectivityPaused('alice@example.com')).to.equal(false)
    expect(faults.summary().connectivityPaused).to.deep.equal([])
  })
})
