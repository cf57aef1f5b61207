import { expect } from 'chai'
import { readingOf, sampleOf, type StatsReading } from '../../../../streams/call/quality/reading.js'

// Stats reports as Chromium's getStats gives them (values reduced to the fields read).

const report = ({ received = 500, lost = 0, videoReceived = 900, jitter = 0.004, rtt = 0.05, level = 0.2 } = {}) => [
  { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
  { id: 'CP1', type: 'candidate-pair', currentRoundTripTime: rtt, state: 'succeeded', nominated: true },
  { id: 'CP2', type: 'candidate-pair', currentRoundTripTime: 0.9, state: 'failed' },
  { id: 'IA', type: 'inbound-rtp', kind: 'audio', packetsReceived: received, packetsLost: lost, jitter, codecId: 'C111' },
  { id: 'IV', type: 'inbound-rtp', kind: 'video', packetsReceived: videoReceived, packetsLost: 0, jitter: 0.02, codecId: 'C96' },
  { id: 'C111', type: 'codec', mimeType: 'audio/opus' },
  { id: 'C96', type: 'codec', mimeType: 'video/VP8' },
  { id: 'SA', type: 'media-source', kind: 'audio', audioLevel: level },
  { id: 'RIA', type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.3 },
]

const both = { receiving: ['audio', 'video'] as const, microphone: true }

describe('call quality: stats readings and samples (streams/call/quality/reading.ts)', () => {
  it('reads the selected pair round trip, the audio jitter and codec, the microphone level and inbound counters per kind', () => {
    expect(readingOf(report(), both)).to.deep.equal({
      inbound: { audio: { received: 500, lost: 0 }, video: { received: 900, lost: 0 } },
      jitterMs: 4,
      rttMs: 50,
      codec: 'audio/opus',
      audioInputLevel: 0.2,
    })
  })

  it('falls back to the RTCP round trip without a selected pair, and to video jitter without audio', () => {
    const stats = report().filter((stat) => stat.type !== 'transport' && stat.type !== 'candidate-pair' && stat.id !== 'IA')
    const reading = readingOf(stats, { receiving: ['video'], microphone: false })
    expect(reading.rttMs).to.equal(300)
    expect(reading.jitterMs).to.equal(20)
    expect(reading.codec).to.equal(undefined)
  })

  it('leaves out kinds the far end is not expected to send, and the level of a microphone that is not live', () => {
    const reading = readingOf(report(), { receiving: ['audio'], microphone: false })
    expect(Object.keys(reading.inbound)).to.deep.equal(['audio'])
    expect(reading.audioInputLevel).to.equal(undefined)
  })

  it('expects a kind with no inbound stream yet at zero packets', () => {
    expect(readingOf([], both).inbound).to.deep.equal({ audio: { received: 0, lost: 0 }, video: { received: 0, lost: 0 } })
  })

  it('samples the loss between two readings as a percentage of the audio packets sent, and which kinds arrived', () => {
    const before = readingOf(report(), both)
    const after = readingOf(report({ received: 530, lost: 10, videoReceived: 900 }), both)
    const sample = sampleOf(before, after)
    expect(sample.fresh).to.equal(false)
    expect(sample.packetLossPercent).to.equal(25)
    expect(sample.arriving).to.deep.equal({ audio: true, video: false })
  })

  it('has no loss figure for the first sample of a connected period, or when nothing was sent', () => {
    const reading: StatsReading = readingOf(report(), both)
    expect(sampleOf(undefined, reading)).to.include({ fresh: true, packetLossPercent: undefined })
    expect(sampleOf(undefined, reading).arriving).to.deep.equal({ audio: true, video: true })
    expect(sampleOf(reading, reading).packetLossPercent).to.equal(undefined)
    expect(sampleOf(reading, reading).arriving).to.deep.equal({ audio: false, video: false })
  })

  it('counts a kind as arriving only once packets came: none yet in the first sample, or in a kind the previous reading did not expect', () => {
    const audioOnly = readingOf(report(), { receiving: ['audio'], microphone: false })
    const videoStarting = readingOf(report({ videoReceived: 0 }), both)
    expect(sampleOf(undefined, videoStarting).arriving).to.deep.equal({ audio: true, video: false })
    expect(sampleOf(audioOnly, videoStarting).arriving).to.deep.equal({ audio: false, video: false })
    expect(sampleOf(audioOnly, readingOf(report({ received: 501, videoReceived: 1 }), both)).arriving).to.deep.equal({ audio: true, video: true })
  })
})
