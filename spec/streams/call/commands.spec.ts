import { expect } from 'chai'
import { bandwidthOf, constraintsOf } from '../../../streams/call/commands.js'

describe('call command options (streams/call/commands.ts)', () => {
  describe('bandwidthOf', () => {
    it('is 5000 kbps for each kind without options or bandwidth', () => {
      expect(bandwidthOf(undefined)).to.deep.equal({ audio: 5000, video: 5000 })
      expect(bandwidthOf({})).to.deep.equal({ audio: 5000, video: 5000 })
    })

    it('takes each kind given; a kind left out keeps its current value', () => {
      expect(bandwidthOf({ bandwidth: { video: 500 } })).to.deep.equal({ audio: 5000, video: 500 })
      expect(bandwidthOf({ bandwidth: { audio: 64 } }, { audio: 32, video: 700 })).to.deep.equal({ audio: 64, video: 700 })
    })

    it('keeps the current limits when the bandwidth is no object', () => {
      const current = { audio: 32, video: 700 }
      expect(bandwidthOf({ bandwidth: null as never }, current)).to.equal(current)
      expect(bandwidthOf({ bandwidth: 'fast' as never }, current)).to.equal(current)
    })

    it('puts back 5000 for a kind given as no positive finite number (not the current value)', () => {
      const current = { audio: 32, video: 700 }
      for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '64', undefined]) {
        expect(bandwidthOf({ bandwidth: { audio: bad as never } }, current), String(bad)).to.deep.equal({ audio: 5000, video: 700 })
      }
    })
  })

  describe('constraintsOf', () => {
    it('records the media options an app passed, and {} for anything but an object', () => {
      const media = { audio: true, video: false }
      expect(constraintsOf(media)).to.equal(media)
      expect(constraintsOf(null as never)).to.deep.equal({})
      expect(constraintsOf(undefined as never)).to.deep.equal({})
      expect(constraintsOf(true as never)).to.deep.equal({})
    })
  })
})
