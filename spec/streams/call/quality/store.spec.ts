import { expect } from 'chai'
import { qualityReducer, type QualityState } from '../../../../streams/call/quality/store.js'
import type { QualityStep } from '../../../../streams/call/quality/warnings.js'

const step = (values: Partial<QualityStep> = {}): QualityStep => ({
  quality: { mos: 2.1, rttMs: 40, jitterMs: 3, packetLossPercent: 25, warnings: ['packet-loss', 'low-mos'] },
  changes: [],
  values: { 'packet-loss': 25, 'low-mos': 2.1, 'high-rtt': 40 },
  ...values,
})

describe('call quality: the store of every call (streams/call/quality/store.ts)', () => {
  it("keeps each call's latest quality and reports each warning change with its call id", () => {
    const sampled = qualityReducer({}, { type: 'qualitySampled', callId: 'c1', step: step({ changes: [{ name: 'packet-loss', active: true, value: 25 }] }) })
    expect(sampled.state.c1!.quality.warnings).to.deep.equal(['packet-loss', 'low-mos'])
    expect(sampled.outputs).to.deep.equal([{ type: 'qualityWarning', callId: 'c1', name: 'packet-loss', active: true, value: 25 }])
    const other = qualityReducer(sampled.state, { type: 'qualitySampled', callId: 'c2', step: step({ quality: { ...step().quality, warnings: [] } }) })
    expect(Object.keys(other.state)).to.deep.equal(['c1', 'c2'])
    expect(other.outputs).to.deep.equal([])
  })

  it("clears a call's active warnings when its sampling stops (the call ended), keeping its last figures", () => {
    const state: QualityState = qualityReducer({}, { type: 'qualitySampled', callId: 'c1', step: step() }).state
    const stopped = qualityReducer(state, { type: 'samplingStopped', callId: 'c1' })
    expect(stopped.outputs).to.deep.equal([
      { type: 'qualityWarning', callId: 'c1', name: 'packet-loss', active: false, value: 25 },
      { type: 'qualityWarning', callId: 'c1', name: 'low-mos', active: false, value: 2.1 },
    ])
    expect(stopped.state.c1!.quality).to.deep.equal({ ...step().quality, warnings: [] })
    expect(qualityReducer(stopped.state, { type: 'samplingStopped', callId: 'c1' })).to.deep.equal({ state: stopped.state, outputs: [] })
    // Nothing to clear: the state itself, so that subscribers see no change.
    expect(qualityReducer(stopped.state, { type: 'samplingStopped', callId: 'c1' }).state).to.equal(stopped.state)
    expect(qualityReducer(stopped.state, { type: 'samplingStopped', callId: '__proto__' })).to.deep.equal({ state: stopped.state, outputs: [] })
  })
})
