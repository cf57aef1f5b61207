import { expect } from 'chai'
import { defaultQualityThresholds } from '../../../../streams/config/quality.js'
import { createCallQuality, qualityReducer, type QualityState } from '../../../../streams/call/quality/store.js'
import type { QualityStep } from '../../../../streams/call/quality/warnings.js'
import { virtualClock } from '../node-webrtc.js'

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

// The feature against a stand-in peer connection (connected, losing a third of its inbound packets), on a virtual clock: a real
// connection cannot be made to lose packets on demand. getStats answers on the microtask queue, which `settled()` lets run.
const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

function lossyPeer(): RTCPeerConnection {
  let packets = 0
  const peer = Object.assign(new EventTarget(), {
    iceConnectionState: 'connected',
    connectionState: 'connected',
    getTransceivers: () => [{ currentDirection: 'recvonly', receiver: { track: { kind: 'audio' } } }],
    getSenders: () => [],
    getStats: async () => {
      packets += 100
      return new Map([['audio', { id: 'audio', type: 'inbound-rtp', kind: 'audio', packetsReceived: packets, packetsLost: packets / 2 }]])
    },
  })
  return peer as unknown as RTCPeerConnection
}

describe('call quality: the feature (streams/call/quality/store.ts)', () => {
  it('logs only the samples that change a warning, clears the warnings when the watch ends, and completes on dispose', async () => {
    const { clock, advance } = virtualClock()
    const logged: unknown[] = []
    const quality = createCallQuality({ thresholds: () => defaultQualityThresholds, scheduler: clock, logger: { action: (event) => void logged.push(event) } })
    const warnings: unknown[] = []
    quality.warnings$.subscribe((warning) => warnings.push(warning))
    const watching = quality.watch('c1', lossyPeer()).subscribe()
    for (let second = 0; second < 4; second++) {
      advance(1000)
      await settled()
    }
    expect(warnings[0]).to.include({ type: 'qualityWarning', callId: 'c1', name: 'packet-loss', active: true })
    // Four samples, of which only those that raised a warning are logged.
    const sampled = logged.filter((event) => (event as { type: string }).type === 'qualitySampled')
    expect(sampled.length).to.be.below(4)
    expect(sampled.every((event) => (event as { step: { changes: unknown[] } }).step.changes.length > 0)).to.equal(true)
    expect(sampled).to.not.be.empty

    watching.unsubscribe()
    expect(warnings.at(-1)).to.include({ callId: 'c1', name: 'packet-loss', active: false })
    expect(quality.current().c1?.quality.warnings).to.deep.equal([])

    let completed = false
    quality.quality$.subscribe({ complete: () => (completed = true) })
    quality.dispose()
    expect(completed).to.equal(true)
  })
})
