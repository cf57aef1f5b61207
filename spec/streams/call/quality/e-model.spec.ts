import { expect } from 'chai'
import { codecImpairments, delayImpairment, equipmentImpairment, estimatedMos, impairmentOf, mosOf, rating, unknownCodec } from '../../../../streams/call/quality/e-model.js'

// Known points of ITU-T G.107 (Annex B's R → MOS curve, the delay impairment's knee at 177.3 ms)
// and G.113 App. I (G.711 with concealment, Bpl 25.1).

describe('call quality: the E-model (streams/call/quality/e-model.ts)', () => {
  it('maps a rating R to the MOS of G.107 Annex B: 1 at 0 or below, 4.5 at 100 or above, the curve between', () => {
    const points: Array<[number, number]> = [[-5, 1], [0, 1], [50, 2.58], [60, 3.1], [70, 3.6], [80, 4.02], [90, 4.34], [93.2, 4.41], [100, 4.5], [120, 4.5]]
    for (const [r, mos] of points) expect(mosOf(r), `R ${r}`).to.be.closeTo(mos, 0.005)
  })

  it('impairs delay by 0.024 per ms up to 177.3 ms, and by 0.11 more per ms beyond', () => {
    expect(delayImpairment(0)).to.equal(0)
    expect(delayImpairment(100)).to.be.closeTo(2.4, 1e-9)
    expect(delayImpairment(177.3)).to.be.closeTo(4.2552, 1e-9)
    expect(delayImpairment(300)).to.be.closeTo(7.2 + 0.11 * 122.7, 1e-9)
  })

  it('impairs a codec under random loss as Ie + (95 − Ie)·Ppl/(Ppl + Bpl): G.711 with concealment loses 7.01 at 2%', () => {
    expect(equipmentImpairment(codecImpairments.pcmu!, 0)).to.equal(0)
    expect(equipmentImpairment(codecImpairments.pcmu!, 2)).to.be.closeTo(7.011, 0.001)
    expect(equipmentImpairment({ ie: 11, bpl: 19, frameMs: 10 }, 0)).to.equal(11)
    expect(equipmentImpairment(codecImpairments.pcmu!, 100)).to.be.closeTo(95 * (100 / 125.1), 1e-9)
  })

  it('knows Opus by name or MIME type in any case; an unknown codec is judged as G.711 without concealment', () => {
    expect(impairmentOf('audio/opus')).to.equal(codecImpairments.opus)
    expect(impairmentOf('OPUS')).to.equal(codecImpairments.opus)
    expect(impairmentOf('audio/PCMU')).to.equal(codecImpairments.pcmu)
    expect(impairmentOf('audio/ilbc')).to.equal(unknownCodec)
    expect(impairmentOf(undefined)).to.equal(unknownCodec)
    // Named by the far end's SDP: a name of Object.prototype's is an unknown codec too.
    for (const name of ['constructor', 'audio/__proto__', 'toString']) expect(impairmentOf(name)).to.equal(unknownCodec)
    expect(rating({ rttMs: 40, jitterMs: 2, packetLossPercent: 1, codec: 'constructor' })).to.be.a('number').and.not.be.NaN
  })

  it('rates a perfect Opus call 93.2 less its 20 ms frame: R 92.72, MOS 4.40', () => {
    expect(rating({ rttMs: 0, jitterMs: 0, packetLossPercent: 0, codec: 'opus' })).to.be.closeTo(92.72, 1e-9)
    expect(estimatedMos({ rttMs: 0, jitterMs: 0, packetLossPercent: 0, codec: 'opus' })).to.equal(4.4)
  })

  it('takes half the round trip, twice the jitter and the codec frame as the one-way effective latency', () => {
    // 400/2 + 2·30 + 20 = 280 ms → Id = 6.72 + 0.11·102.7 = 18.017
    expect(rating({ rttMs: 400, jitterMs: 30, packetLossPercent: 0, codec: 'audio/opus' })).to.be.closeTo(93.2 - 18.017, 1e-9)
  })

  it('drops with loss, delay and jitter, and Opus holds up better than an unknown codec', () => {
    const good = estimatedMos({ rttMs: 40, jitterMs: 2, packetLossPercent: 0, codec: 'audio/opus' })
    expect(good).to.equal(4.39)
    expect(estimatedMos({ rttMs: 40, jitterMs: 2, packetLossPercent: 25, codec: 'audio/opus' })).to.be.below(3.5).and.above(1)
    expect(estimatedMos({ rttMs: 600, jitterMs: 2, packetLossPercent: 0, codec: 'audio/opus' })).to.be.below(good)
    expect(estimatedMos({ rttMs: 40, jitterMs: 80, packetLossPercent: 0, codec: 'audio/opus' })).to.be.below(good)
    expect(estimatedMos({ rttMs: 40, jitterMs: 2, packetLossPercent: 5, codec: 'audio/opus' })).to.be.above(estimatedMos({ rttMs: 40, jitterMs: 2, packetLossPercent: 5, codec: 'x' }))
    expect(estimatedMos({ rttMs: 5000, jitterMs: 500, packetLossPercent: 100 })).to.equal(1)
  })
})
