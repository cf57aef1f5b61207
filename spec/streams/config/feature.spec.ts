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

describe('config feature, refused values', () => {
  it('throws a BasicError BAD_INPUT for a bad section and keeps the configuration exactly as it was', () => {
    const config = createConfig({ logs: { logLevel: 'warn' } })
    const before = config.current()
    const seen: Config[] = []
    const subscription = config.config$.subscribe((value) => seen.push(value))
    for (const bad of [{ logs: null }, { call: 5 }, { connectivity: 'x' }, { subscription: [] }]) {
      expect(() => config.update(bad as never)).to.throw().with.property('code', 'BAD_INPUT')
    }
    expect(config.current()).to.equal(before)
    expect(seen).to.deep.equal([before])
    config.update({ logs: { logLevel: 'error' } })
    expect(config.current().logs.logLevel).to.equal('error')
    subscription.unsubscribe()
    config.dispose()
  })

  it('names updateConfig in the error of a refused update', () => {
    const config = createConfig()
    expect(() => config.update({ connectivity: 'x' } as never)).to.throw(/^updateConfig: invalid configuration/)
    config.dispose()
  })

  it('refuses a bad initial configuration with a BasicError BAD_INPUT', () => {
    expect(() => createConfig({ connectivity: { pingInterval: -5 } } as never)).to.throw().with.property('code', 'BAD_INPUT')
  })
})
