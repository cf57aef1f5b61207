import { expect } from 'chai'
import { createConfig } from '../../../streams/config/feature.js'
import { defaultQualityThresholds } from '../../../streams/config/quality.js'

describe('call.qualityThresholds (streams/config/quality.ts)', () => {
  it('defaults to 400 ms round trip, 30 ms jitter, 3% loss, MOS 3.5, 3 s without inbound media, 10 s of a constant microphone', () => {
    const config = createConfig({})
    expect(config.current().call.qualityThresholds).to.deep.equal({ rttMs: 400, jitterMs: 30, packetLossPercent: 3, mos: 3.5, noInboundMediaMs: 3000, constantAudioInputMs: 10_000 })
    config.dispose()
  })

  it('takes a partial update and keeps the other thresholds', () => {
    const config = createConfig({ call: { qualityThresholds: { rttMs: 250 } } })
    config.update({ call: { qualityThresholds: { packetLossPercent: 1, mos: 4 } } })
    expect(config.current().call.qualityThresholds).to.deep.equal({ ...defaultQualityThresholds, rttMs: 250, packetLossPercent: 1, mos: 4 })
    config.dispose()
  })

  it('takes the bounds: 0% and 100% loss, MOS 1 and 4.5', () => {
    const config = createConfig({})
    for (const update of [{ packetLossPercent: 0, mos: 1 }, { packetLossPercent: 100, mos: 4.5 }]) {
      config.update({ call: { qualityThresholds: update } })
      expect(config.current().call.qualityThresholds).to.deep.equal({ ...defaultQualityThresholds, ...update })
    }
    config.dispose()
  })

  it('refuses a bad threshold with a BAD_INPUT error naming it, and keeps the config as it was', () => {
    const config = createConfig({})
    for (const [value, member] of [
      [{ rttMs: 0 }, 'rttMs'],
      [{ jitterMs: -5 }, 'jitterMs'],
      [{ packetLossPercent: 101 }, 'packetLossPercent'],
      [{ packetLossPercent: -1 }, 'packetLossPercent'],
      [{ mos: 5 }, 'mos'],
      [{ mos: 0.5 }, 'mos'],
      [{ noInboundMediaMs: Number.NaN }, 'noInboundMediaMs'],
      [{ constantAudioInputMs: '10000' }, 'constantAudioInputMs'],
      [400, 'qualityThresholds'],
    ] as const) {
      expect(() => config.update({ call: { qualityThresholds: value as never } }), JSON.stringify(value))
        .to.throw()
        .that.satisfies((error: { code: string; message: string }) => error.code === 'BAD_INPUT' && error.message.includes(member))
      expect(config.current().call.qualityThresholds).to.deep.equal(defaultQualityThresholds)
    }
    expect(() => createConfig({ call: { qualityThresholds: { rttMs: Infinity } } })).to.throw().with.property('code', 'BAD_INPUT')
    config.dispose()
  })
})
