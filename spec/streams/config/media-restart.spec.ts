import { expect } from 'chai'
import { createConfig } from '../../../streams/config/feature.js'

describe('call.automaticMediaRestart (streams/config/media-restart.ts)', () => {
  it('defaults to on: 2 s of grace, 5 attempts, 1 s doubling up to 16 s between them, 10 s for each', () => {
    const config = createConfig({})
    expect(config.current().call.automaticMediaRestart).to.deep.equal({ enabled: true, gracePeriod: 2000, attempts: 5, delay: 1000, maxDelay: 16000, timeout: 10000 })
    config.dispose()
  })

  it('takes a partial update and keeps the other keys', () => {
    const config = createConfig({ call: { automaticMediaRestart: { attempts: 2 } } })
    expect(config.current().call.automaticMediaRestart).to.deep.equal({ enabled: true, gracePeriod: 2000, attempts: 2, delay: 1000, maxDelay: 16000, timeout: 10000 })
    config.dispose()
  })
})
