import { expect } from 'chai'
import * as E from 'fp-ts/Either'
import { checkTones, dtmfPause, dtmfSchedule, dtmfTiming } from '../../../streams/call/dtmf.js'

describe('DTMF tones and timing (streams/call/dtmf.ts)', () => {
  it('accepts 0-9, *, # and , (pause)', () => {
    expect(checkTones('0123456789*#,')).to.deep.equal(E.right('0123456789*#,'))
  })

  it('refuses anything else with call:7, naming each bad character once (A-D are not documented tones)', () => {
    const refused = checkTones('12AxA#')
    if (E.isRight(refused)) throw new Error('accepted')
    expect(refused.left).to.include({ name: 'BasicError', code: 'call:7' })
    expect(refused.left.message).to.contain('"A", "x"')
    for (const tone of ['', undefined, 5, ['1']]) {
      const result = checkTones(tone)
      expect(E.isLeft(result) && result.left.code, String(tone)).to.equal('call:7')
    }
  })

  it('defaults to 100 ms tones and 70 ms gaps; clamps as RTCDTMFSender does (40–6000 ms, gap ≥ 30 ms)', () => {
    expect(dtmfTiming(undefined, undefined)).to.deep.equal(E.right({ duration: 100, gap: 70 }))
    expect(dtmfTiming(10, 5)).to.deep.equal(E.right({ duration: 40, gap: 30 }))
    expect(dtmfTiming(9000, 200)).to.deep.equal(E.right({ duration: 6000, gap: 200 }))
    for (const [duration, gap] of [[Number.NaN, 70], ['100', 70], [100, -1]] as const) {
      const result = dtmfTiming(duration, gap)
      expect(E.isLeft(result) && result.left.code, `${duration}/${gap}`).to.equal('call:7')
    }
  })

  it('schedules each tone with its two frequencies; a comma is a 2 s pause', () => {
    const { tones, length } = dtmfSchedule('1,#', { duration: 100, gap: 70 })
    expect(tones).to.deep.equal([
      { at: 0, low: 697, high: 1209 },
      { at: 170 + dtmfPause, low: 941, high: 1477 },
    ])
    expect(length).to.equal(170 + dtmfPause + 170)
  })
})
