import { expect } from 'chai'
import { createConfig } from '../../../streams/config/feature.js'
import type { Config } from '../../../streams/config/state.js'

describe('config feature', () => {
  it('starts from the defaults merged with the initial values', () => {
    const config = createConfig({ logs: { logLevel: 'warn' } })
    expect(config.current().logs.logLevel).to.equal('warn')
    expect(config.current().logs.flatten).to.equal(false)
    config.dispose()
  })

  it('replays the current configuration to a late subscriber and emits every update', () => {
    const config = createConfig()
    config.update({ connectivity: { pingInterval: 1000 } })
    const seen: Config[] = []
    const subscription = config.config$.subscribe((value) => seen.push(value))
    config.update({ connectivity: { maxMissedPings: 7 } })
    expect(seen.map((value) => [value.connectivity.pingInterval, value.connectivity.maxMissedPings])).to.deep.equal([
      [1000, 3],
      [1000, 7],
    ])
    subscription.unsubscribe()
    config.dispose()
  })

  it('completes config$ on dispose', () => {
    const config = createConfig()
    let completed = false
    config.config$.subscribe({ complete: () => (completed = true) })
    config.dispose()
    expect(completed).to.equal(true)
  })
})
